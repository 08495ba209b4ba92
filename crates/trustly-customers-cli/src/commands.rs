//! Runs one command against the API and returns what to print.

use serde::Serialize;
use serde_json::{Value, json};
use trustly_customers::{Client, ListFilter};

use crate::args::Command;
use crate::exit::Failure;
use crate::input;

/// Runs `command`, returning the JSON to print on success. Input is read and checked first, so
/// invalid input fails before anything is sent.
pub(crate) async fn run(client: &Client, command: Command) -> Result<Value, Failure> {
    match command {
        Command::Get { customer_id } => to_json(&client.get_customer(&customer_id).await?),
        Command::List {
            external_id,
            customer_id,
        } => {
            let mut filter = ListFilter::all();
            if let Some(id) = external_id {
                filter = filter.external_id(id);
            }
            if let Some(id) = customer_id {
                filter = filter.customer_id(id);
            }
            let customers = client.list_customers(&filter).await?;
            // The API's own shape, so output and API documentation read the same.
            Ok(json!({ "customers": to_json(&customers)? }))
        }
        Command::Upsert {
            external_id,
            source,
        } => {
            let customer = input::read_customer(&source)?;
            let saved = match external_id {
                Some(id) => {
                    client
                        .upsert_customer_by_external_id(&id, &customer)
                        .await?
                }
                None => client.create_or_update_customer(&customer).await?,
            };
            to_json(&saved)
        }
        Command::Update {
            customer_id,
            source,
        } => {
            let patch = input::read_patch(&source, &customer_id)?;
            to_json(&client.update_customer(&customer_id, &patch).await?)
        }
    }
}

fn to_json(value: &impl Serialize) -> Result<Value, Failure> {
    // Serializing our own types to a JSON value cannot fail (no maps with non-string keys);
    // if it ever did, it is reported rather than unwrapped.
    serde_json::to_value(value).map_err(|e| Failure {
        exit: crate::exit::Exit::Server,
        message: format!("cannot print the response: {e}"),
    })
}
