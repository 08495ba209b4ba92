//! Request bodies from a file or stdin: read, parsed, and held up to the spec before anything is
//! sent, so a typo costs a clear message and not a round trip (or a half-applied change).

use std::io::Read;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use trustly_customers::{CustomerId, CustomerPatch, NewCustomer};

use crate::args::Source;
use crate::exit::Failure;

/// Bodies are a single customer record; anything larger is a wrong file, not a customer.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Properties the server owns. A record printed by `get` can be edited and sent back as it is:
/// these are dropped rather than refused.
const SERVER_OWNED: &[&str] = &["createdAt", "updatedAt"];

/// Reads a create-or-update body: a `Customer`. A `customerId` in it names the customer to update.
pub(crate) fn read_customer(source: &Source) -> Result<NewCustomer, Failure> {
    read(source, "Customer", |_, _| Ok(()))
}

/// Reads a merge patch for the customer `customer_id`: a `CustomerUpdate`.
///
/// A whole customer as `get` prints it is a valid patch (the spec says so), so its `customerId`
/// is dropped when it is this customer's; a different one is refused, since the path and the
/// body would name two customers.
pub(crate) fn read_patch(
    source: &Source,
    customer_id: &CustomerId,
) -> Result<CustomerPatch, Failure> {
    read(source, "CustomerUpdate", |name, map| {
        match map.get("customerId") {
            Some(Value::String(id)) if id == customer_id.as_str() => {
                map.remove("customerId");
                Ok(())
            }
            Some(_) => Err(Failure::usage(format!(
                "{name}: /customerId: names another customer than {customer_id}; leave it out"
            ))),
            None => Ok(()),
        }
    })
}

/// Reads `source`, lets `prepare` adjust the object, checks it against the spec's `component`
/// schema, then decodes it as `T`.
fn read<T: DeserializeOwned>(
    source: &Source,
    component: &str,
    prepare: impl FnOnce(&str, &mut Map<String, Value>) -> Result<(), Failure>,
) -> Result<T, Failure> {
    let (name, bytes) = read_bytes(source)?;
    // Some editors start UTF-8 files with a byte order mark, which JSON does not allow.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut value: Value = serde_json::from_slice(text)
        .map_err(|e| Failure::usage(format!("{name}: not valid JSON: {e}")))?;
    if let Value::Object(map) = &mut value {
        for key in SERVER_OWNED {
            map.remove(*key);
        }
        prepare(&name, map)?;
    }
    let violations = trustly_customers_spec::check_component(component, &value);
    if !violations.is_empty() {
        // Every problem at once, each naming its field: one edit fixes the file. Violations
        // never quote the values, which may be personal data.
        let all: Vec<String> = violations.iter().map(ToString::to_string).collect();
        return Err(Failure::usage(format!(
            "{name}: not a valid {component}: {}",
            all.join("; ")
        )));
    }
    serde_json::from_value(value)
        .map_err(|e| Failure::usage(format!("{name}: not a valid {component}: {e}")))
}

fn read_bytes(source: &Source) -> Result<(String, Vec<u8>), Failure> {
    let (name, reader): (String, Box<dyn Read>) = match source {
        Source::Stdin => ("stdin".into(), Box::new(std::io::stdin().lock())),
        Source::File(path) => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("{name}: cannot open: {e}")))?;
            (name, Box::new(file))
        }
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::usage(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::usage(format!(
            "{name}: larger than {MAX_INPUT_BYTES} bytes; a customer record is far smaller"
        )));
    }
    Ok((name, bytes))
}
