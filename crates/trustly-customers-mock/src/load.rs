//! Rebuilding a store from the records a data file holds, each checked before it is served:
//! against the spec's `Customer` schema, or, for records already checked against this same
//! spec, only for what identifies them. An error names the record (by row, or by position in
//! an earlier JSON file) and the problem, never a customer's data.

use serde_json::Value;

use crate::generated::schemas::customer;
use crate::record::{Identity, stored_form};
use crate::store::{RECORD, Store};

/// How much of a record read from a data file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Against the spec's `Customer` schema, and everything below.
    Schema,
    /// That it is a JSON object with a numeric `customerId`, not repeated, and an `externalId`
    /// no other record has: for records already checked against this same spec.
    Identity,
}

/// A store holding the database's rows `(customerId, record)`, each record checked as `check`
/// says. The bytes are kept as they are: what was saved is what is served.
pub(crate) fn from_rows(
    next_id: u64,
    rows: impl IntoIterator<Item = (i64, Vec<u8>)>,
    check: Check,
) -> Result<Store, String> {
    let mut store = Store::with_next_id(next_id)?;
    for (row_id, bytes) in rows {
        let what = || format!("the customer in row {row_id}");
        // The position only: serde_json's own text quotes the value it did not expect.
        let not_json = |e: serde_json::Error| {
            let problem = if e.is_data() {
                "is not a customer (an object whose ids are text, each given once)"
            } else {
                "is not valid JSON"
            };
            format!(
                "{} {problem} (line {}, column {})",
                what(),
                e.line(),
                e.column()
            )
        };
        let identity = match check {
            Check::Schema => {
                let record: Value = serde_json::from_slice(&bytes).map_err(not_json)?;
                checked_identity(&record).map_err(|e| format!("{} {e}", what()))?
            }
            // Only the two properties are kept; the rest is read past (still checked to be
            // JSON) without building anything.
            Check::Identity => serde_json::from_slice(&bytes).map_err(not_json)?,
        };
        let id = store.insert_loaded(what, identity, stored_form(bytes))?;
        if i64::try_from(id) != Ok(row_id) {
            return Err(format!("{} has {} {id}", what(), customer::CUSTOMER_ID));
        }
    }
    Ok(store)
}

/// A store holding the customers of a `trustly-customers-mock/1` JSON file, each checked
/// against the spec's `Customer` schema.
pub(crate) fn from_json_records(next_id: u64, records: Vec<Value>) -> Result<Store, String> {
    let mut store = Store::with_next_id(next_id)?;
    for (i, record) in records.into_iter().enumerate() {
        let what = || format!("customer #{i}");
        let identity = checked_identity(&record).map_err(|e| format!("{} {e}", what()))?;
        let bytes = stored_form(serde_json::to_vec(&record).unwrap_or_default());
        store.insert_loaded(what, identity, bytes)?;
    }
    Ok(store)
}

/// Checks a record read from a data file against the spec's `Customer` schema; its
/// `customerId` and `externalId`. The error follows the record's name.
fn checked_identity(record: &Value) -> Result<Identity, String> {
    let violations = trustly_customers_spec::check_component(RECORD, record);
    if let Some(v) = violations.first() {
        return Err(format!("does not satisfy the Customer schema: {v}"));
    }
    let text = |name| record.get(name).and_then(Value::as_str).map(str::to_owned);
    Ok(Identity {
        customer_id: text(customer::CUSTOMER_ID),
        external_id: text(customer::EXTERNAL_ID),
    })
}
