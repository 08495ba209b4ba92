//! `update`: changes some properties of a customer. The API takes only whole records
//! (`replace`), so this reads the customer, makes the changes and sends it back, through the
//! client's `update_customer`.

use clap::{ArgMatches, Command};
use serde_json::Value;
use trustly_customers::{Client, CustomerPatch, types};

use crate::body::read_patch;
use crate::exit::Failure;
use crate::generated::replace_customer;
use crate::output::to_json;
use crate::params::required;

/// The command's name.
pub(crate) const NAME: &str = "update";

/// What `update` says of itself after `--help`.
const ABOUT: &str = "Change some properties of a customer by id";
const LONG_ABOUT: &str = "\
Change some properties of a customer by id

The body holds only the changes: a property given is set (an object, such as the address, is
replaced whole), a property given as `null` is removed, a property left out stays as it is.
The customer is read (`get`), changed, and sent back whole (`replace`), since the API takes
whole records only. Nothing guards against another writer between the read and the write:
the API offers no version or ETag, so the later write wins.";

/// `update <CUSTOMER_ID> (--file PATH | -)`: the arguments of `replace`, the command of the
/// operation it is built on, so the id is parsed and checked as the spec says.
pub(crate) fn command(generated: &[Command]) -> Command {
    generated
        .iter()
        .find(|c| c.get_name() == replace_customer::COMMAND)
        .expect("the generated commands include the one `update` is built on")
        .clone()
        .name(NAME)
        .about(ABOUT)
        .long_about(LONG_ABOUT)
}

/// Reads the changes, checked against the spec's `Customer` as a patch, and applies them.
pub(crate) async fn run(client: &Client, args: &ArgMatches) -> Result<Value, Failure> {
    let customer_id: &types::CustomerId = required(args, replace_customer::CUSTOMER_ID)?;
    let patch: CustomerPatch = read_patch(
        args,
        replace_customer::BODY,
        &[(replace_customer::CUSTOMER_ID, customer_id.as_ref())],
    )?;
    let customer = client.update_customer(customer_id, &patch).await?;
    if patch.is_empty() {
        // The client sent no write; a script reading stdout gets the record as it stands.
        eprintln!(
            "{}: {NAME}: the body changes nothing, so the customer was read and not written",
            crate::options::NAME
        );
    }
    to_json(&customer)
}
