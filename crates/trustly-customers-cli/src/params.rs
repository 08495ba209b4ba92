//! A command's argument values: how they are parsed, and read back once parsed.

use clap::ArgMatches;
use clap::builder::{NonEmptyStringValueParser, TypedValueParser};

use crate::exit::Failure;

/// A parameter's value: text that is not empty (an empty id names nothing), as its type.
pub(crate) fn non_empty<T>() -> impl TypedValueParser<Value = T>
where
    T: From<String> + Clone + Send + Sync + 'static,
{
    NonEmptyStringValueParser::new().map(T::from)
}

/// A value clap requires, so always present once parsing succeeded.
pub(crate) fn required<'a, T: Clone + Send + Sync + 'static>(
    args: &'a ArgMatches,
    id: &str,
) -> Result<&'a T, Failure> {
    args.get_one::<T>(id)
        .ok_or_else(|| Failure::usage(format!("{id} is required")))
}
