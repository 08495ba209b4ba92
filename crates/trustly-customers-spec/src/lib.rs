//! `openapi/customers.yaml` at run time.
//!
//! - [`schema::check`] holds a JSON value up to one of the spec's schemas and lists every
//!   violation with the JSON pointer of the offending value. The codegen lint checks the
//!   documented examples with it; the emulator checks request bodies; the CLI checks input files
//!   before sending them; the tests check responses.
//! - [`conventions`] is the registry of the spec's conventions (the keys it gives a meaning
//!   beyond OpenAPI's): for each, where it may stand, its value, what it means, what carries
//!   it into the code and how the spec diff classes a change of it.
//! - [`facts`] reads the conventions and the operations, the same way for the code generator,
//!   the emulator and the CLI.
//! - [`sample::sample`] makes a value for any schema with every property set, for tests that
//!   must cover whatever the spec declares.
//! - With the `embedded` feature, [`document`] is the spec itself, compiled into the binary, and
//!   [`check_component`] checks a value against one of its `components/schemas`.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod conventions;
pub mod facts;
pub mod sample;
pub mod schema;

pub use schema::Violation;

/// Escapes one JSON pointer token (RFC 6901): `~` becomes `~0` and `/` becomes `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(feature = "embedded")]
mod embedded;

#[cfg(feature = "embedded")]
pub use embedded::{check_component, check_component_patch, check_component_strict, document};
