//! `--seed FILE`: customers loaded at start, from the list envelope `{"customers": [...]}`.
//!
//! Each entry is checked as a create's body is (against the spec's `Customer`, the server's
//! own properties ignored; a `customerId` of digits is kept) and added as a create would add
//! it. The first bad entry stops the start: the error names the entry's index and the JSON
//! pointer of what is wrong in it, never a value, which may be personal.

use std::path::Path;

use serde_json::Value;
use trustly_customers_spec::{escape_token, facts};

use crate::clock::now_millis;
use crate::generated::schemas::customer_list;
use crate::store::{RECORD, Refusal, Store};

/// Adds the customers of the seed file at `path` to `store`; what is wrong with it if any is
/// bad (then `store` may hold some of them, and must not be served).
pub(crate) fn load(path: &Path, store: &mut Store, merchant_id: &str) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    // Position only: serde_json's own text could quote part of the file.
    let root: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("is not JSON (line {}, column {})", e.line(), e.column()))?;
    let envelope = format!("/{}", escape_token(customer_list::CUSTOMERS));
    let Some(entries) = root.pointer(&envelope).and_then(Value::as_array) else {
        return Err(format!(
            "{envelope}: expected the list envelope {{\"{}\": [...]}}",
            customer_list::CUSTOMERS
        ));
    };
    let doc = trustly_customers_spec::document();
    let schema = facts::component(doc, RECORD);
    let schema_pointer = format!("/components/schemas/{}", escape_token(RECORD));
    let now = now_millis();
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("{envelope}/{index}");
        let mut entry = entry.clone();
        if let (Value::Object(map), Some(schema)) = (&mut entry, schema) {
            facts::strip_read_only(doc, schema, map);
        }
        let violations = trustly_customers_spec::schema::check(doc, &schema_pointer, &entry);
        if let Some(first) = violations.first() {
            // The pointers only: a violation's message may quote the value.
            return Err(format!(
                "customer {index} ({at}{}) does not satisfy {} of the spec{}",
                first.instance,
                first.schema,
                match violations.len() {
                    1 => String::new(),
                    n => format!(", and {} more problem(s) in it", n - 1),
                }
            ));
        }
        let Value::Object(body) = entry else {
            return Err(format!("customer {index} ({at}) is not an object"));
        };
        store
            .create_or_update(None, body, merchant_id, now)
            .map_err(|refusal| match refusal {
                Refusal::NotFound(place) => {
                    format!("customer {index} ({at}{place}): not a customerId of digits")
                }
                Refusal::Invalid(messages) => {
                    format!("customer {index} ({at}): {}", messages.join("; "))
                }
            })?;
    }
    Ok(entries.len())
}
