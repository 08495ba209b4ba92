//! The customer records and the API's rules for changing them, with no I/O.
//!
//! Each record is kept as its serialized JSON (`Bytes`): a read copies bytes into the response
//! without serializing anything, and 100,000 customers take a few hundred bytes each instead
//! of a tree of maps and strings. A change parses the one record it touches, merges, checks the
//! result against the spec's `Customer` schema, and serializes it again.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use serde_json::{Map, Value};
use trustly_customers_spec::facts;

use crate::generated::operations;
use crate::generated::schemas::customer;
use crate::journal::{Journal, Unsaved};
use crate::record::{Identity, external_id, stored_form};

/// The first `customerId` handed out: ten digits, like Trustly's.
pub(crate) const FIRST_CUSTOMER_ID: u64 = 1_000_000_001;

/// The largest `customerId` or `nextCustomerId` a data file may hold. Ids are handed out by
/// adding one: near `u64::MAX` that overflows and hands a second customer the id of the first,
/// replacing it. Half the range leaves more creates than any run makes.
pub(crate) const MAX_LOADED_ID: u64 = u64::MAX / 2;

/// The spec's schema for a stored customer.
pub(crate) const RECORD: &str = "Customer";

/// Whether a client's value for this property is ignored: the spec's `readOnly` properties of a
/// customer, and the record's identity, which the emulator assigns itself: its
/// [`customer::CUSTOMER_ID`] (a request may carry one only to name the customer) and its
/// [`customer::MERCHANT_ID`] (the account's).
fn server_owned(name: &str) -> bool {
    static READ_ONLY: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let read_only = READ_ONLY.get_or_init(|| {
        let doc = trustly_customers_spec::document();
        facts::component(doc, RECORD)
            .map(|schema| facts::read_only(doc, schema))
            .unwrap_or_default()
    });
    read_only.contains(&name) || name == customer::CUSTOMER_ID || name == customer::MERCHANT_ID
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No customer has the `customerId` given in this place: the path parameter's name, or the
    /// JSON pointer of the body's property.
    NotFound(String),
    /// The request is invalid; one message per problem, each naming the field.
    Invalid(Vec<String>),
}

/// Every customer, in creation order, with an index by `externalId`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Keyed by the numeric `customerId`; ids grow, so key order is creation order.
    records: BTreeMap<u64, Bytes>,
    by_external_id: HashMap<String, u64>,
    next_id: u64,
    /// Counts changes, so the data file writer knows which ones a write covers.
    version: u64,
    /// With a data file: the changes since the last save.
    journal: Journal,
}

impl Store {
    pub(crate) fn new() -> Self {
        Store {
            next_id: FIRST_CUSTOMER_ID,
            ..Store::default()
        }
    }

    /// An empty store about to be filled from a data file whose next id is `next_id`.
    pub(crate) fn with_next_id(next_id: u64) -> Result<Self, String> {
        if next_id > MAX_LOADED_ID {
            return Err(format!(
                "`nextCustomerId` is above {MAX_LOADED_ID}, too close to the largest id"
            ));
        }
        let mut store = Store::new();
        store.next_id = next_id.max(FIRST_CUSTOMER_ID);
        Ok(store)
    }

    /// Adds one customer read from a data file: `bytes` its JSON, `identity` its `customerId`
    /// and `externalId`; `what` names it in errors. Returns its id. Refused: no numeric id, an
    /// id above [`MAX_LOADED_ID`], an id or an `externalId` another customer has.
    pub(crate) fn insert_loaded(
        &mut self,
        what: impl Fn() -> String,
        Identity {
            customer_id,
            external_id,
        }: Identity,
        bytes: Bytes,
    ) -> Result<u64, String> {
        let id = customer_id
            .as_deref()
            .and_then(parse_id)
            .ok_or_else(|| format!("{} has no numeric {}", what(), customer::CUSTOMER_ID))?;
        if id > MAX_LOADED_ID {
            return Err(format!(
                "{} has a {} above {MAX_LOADED_ID}, too close to the largest id",
                what(),
                customer::CUSTOMER_ID
            ));
        }
        if self.records.contains_key(&id) {
            return Err(format!("{} repeats {} {id}", what(), customer::CUSTOMER_ID));
        }
        if let Some(ext) = external_id
            && self.by_external_id.insert(ext, id).is_some()
        {
            return Err(format!(
                "{} repeats another customer's {}",
                what(),
                customer::EXTERNAL_ID
            ));
        }
        self.records.insert(id, bytes);
        self.next_id = self.next_id.max(id + 1);
        Ok(id)
    }

    /// From now on, keeps what each change replaces until [`Store::take_unsaved`]: for a store
    /// whose contents are those of its data file.
    pub(crate) fn keep_unsaved(&mut self) {
        self.journal.start(self.next_id);
    }

    /// The changes since the last call (or since [`Store::keep_unsaved`]), for a save.
    pub(crate) fn take_unsaved(&mut self) -> Unsaved {
        let records = &self.records;
        self.journal
            .take(self.version, self.next_id, |id| records.get(&id).cloned())
    }

    /// A save of `failed` did not reach the data file: every change it held, and every one
    /// made since, is undone, so that the store holds what the file holds. The version goes
    /// on counting.
    pub(crate) fn undo(&mut self, failed: &Unsaved) {
        let (saved, saved_next_id) = self.journal.undo(failed);
        for (id, saved) in saved {
            if let Some(ext) = self.records.get(&id).and_then(|r| external_id(r)) {
                self.by_external_id.remove(&ext);
            }
            match saved {
                Some(record) => {
                    if let Some(ext) = external_id(&record) {
                        self.by_external_id.insert(ext, id);
                    }
                    self.records.insert(id, record);
                }
                None => {
                    self.records.remove(&id);
                }
            }
        }
        self.next_id = saved_next_id;
        self.version += 1;
    }

    /// Removes every customer; ids start again at [`FIRST_CUSTOMER_ID`], as in a new store.
    /// With a data file, the next save deletes them there: the journal keeps each one as the
    /// file holds it, so that a failed save puts them back. A change, like any other: the
    /// version counts it, so a save covers it.
    pub(crate) fn clear(&mut self) {
        for (id, record) in std::mem::take(&mut self.records) {
            self.journal.note(id, || Some(record));
        }
        self.by_external_id.clear();
        self.next_id = FIRST_CUSTOMER_ID;
        self.version += 1;
    }

    /// The id the next new customer gets.
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id
    }

    /// How many changes this store has seen since it was loaded.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// How many customers there are.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Every customer's id and record, in id order: what a new data file is filled with.
    pub(crate) fn records(&self) -> impl Iterator<Item = (u64, &Bytes)> {
        self.records.iter().map(|(id, record)| (*id, record))
    }

    /// The customer with this `customerId`, as JSON.
    pub(crate) fn get(&self, customer_id: &str) -> Option<Bytes> {
        self.records.get(&parse_id(customer_id)?).cloned()
    }

    /// Customers in creation order; each filter given must match.
    pub(crate) fn list(&self, customer_id: Option<&str>, external_id: Option<&str>) -> Vec<Bytes> {
        let by_customer = customer_id.map(parse_id);
        let by_external = external_id.map(|e| self.by_external_id.get(e).copied());
        match (by_customer, by_external) {
            (None, None) => self.records.values().cloned().collect(),
            (Some(c), None) => c
                .and_then(|c| self.records.get(&c))
                .cloned()
                .into_iter()
                .collect(),
            (None, Some(e)) => e
                .and_then(|e| self.records.get(&e))
                .cloned()
                .into_iter()
                .collect(),
            (Some(c), Some(e)) => match (c, e) {
                (Some(c), Some(e)) if c == e => self.records.get(&c).cloned().into_iter().collect(),
                _ => Vec::new(),
            },
        }
    }

    /// "Create or update a customer": `body` has been checked against `Customer`.
    ///
    /// The customer named by the body's `customerId` is updated; else the one with the query's
    /// `externalId`; else the one with the body's; else a new one is created.
    ///
    /// A body `customerId` no customer has creates the customer with that id, as Trustly's own
    /// example pair shows (its request names `customerId` 1002580963, its answer is that
    /// customer), provided it is an id this server could have handed out (decimal digits); any
    /// other is a 404. Either way a repeat of the request finds the same customer.
    ///
    /// Repeating a request never creates a second customer once it names one by `externalId`:
    /// a new customer keeps the body's `externalId`, else the query's, and a repeat finds it by
    /// whichever it kept (the query's first, then the body's).
    pub(crate) fn create_or_update(
        &mut self,
        query_external_id: Option<&str>,
        body: Map<String, Value>,
        merchant_id: &str,
        now: i64,
    ) -> Result<Bytes, Refusal> {
        // The spec refuses an empty query `externalId` before it gets here; should one arrive,
        // it names no customer.
        let query_external_id = query_external_id.filter(|q| !q.is_empty());
        if let Some(q) = query_external_id {
            self.agrees_with_query(q, &body)?;
        }
        let body_external_id = body.get(customer::EXTERNAL_ID).and_then(Value::as_str);
        let mut new_id = None;
        let target = if let Some(cid) = body.get(customer::CUSTOMER_ID).and_then(Value::as_str) {
            match parse_id(cid).filter(|id| *id <= MAX_LOADED_ID) {
                Some(id) if self.records.contains_key(&id) => Some(id),
                Some(id) => {
                    new_id = Some(id);
                    None
                }
                None => return Err(Refusal::NotFound(format!("/{}", customer::CUSTOMER_ID))),
            }
        } else {
            [query_external_id, body_external_id]
                .into_iter()
                .flatten()
                .find_map(|e| self.by_external_id.get(e).copied())
        };
        match target {
            Some(id) => self.merge_into(id, body, merchant_id, now),
            None => {
                let query_external_id = query_external_id.map(str::to_owned);
                let mut record = Map::new();
                apply_patch(&mut record, body);
                // A body `externalId` is a property sent, so it overwrites; without one the
                // query's is kept (a `null` beside the query's was refused above).
                if let Some(q) = query_external_id
                    && !record.contains_key(customer::EXTERNAL_ID)
                {
                    record.insert(customer::EXTERNAL_ID.into(), Value::String(q));
                }
                let id = new_id.unwrap_or(self.next_id);
                record.insert(customer::CUSTOMER_ID.into(), Value::String(id.to_string()));
                record.insert(customer::CREATED_AT.into(), Value::from(now));
                self.commit(id, None, record, merchant_id, now)
            }
        }
    }

    /// A create-or-update that names its customer by the query's `externalId` `q` must not
    /// name another one in its body, nor take `q` away: either would make a repeat of the same
    /// request act on a different customer, or create a second one, and which id wins would
    /// be a guess. Refused with a 400:
    ///
    /// - a body `customerId` of a customer other than the one `q` names, or of a customer whose
    ///   `externalId` is not `q`;
    /// - a body `externalId` of `null`, new customer or not (on an existing one it would remove
    ///   `q`, and the repeat would create a duplicate; refused on a new one too, so that a
    ///   request and its repeat are answered alike).
    ///
    /// A body `externalId` other than `q` renames the customer `q` names: a repeat finds it by
    /// the new one.
    fn agrees_with_query(&self, q: &str, body: &Map<String, Value>) -> Result<(), Refusal> {
        if body.get(customer::EXTERNAL_ID).is_some_and(Value::is_null) {
            return Err(Refusal::Invalid(vec![format!(
                "/{}: cannot be null when the query names the customer by {}",
                customer::EXTERNAL_ID,
                operations::create_or_update_customer::EXTERNAL_ID
            )]));
        }
        let Some(cid) = body.get(customer::CUSTOMER_ID).and_then(Value::as_str) else {
            return Ok(());
        };
        let named_by_query = self.by_external_id.get(q).copied();
        let named_by_body = parse_id(cid).filter(|id| self.records.contains_key(id));
        let agree = match (named_by_query, named_by_body) {
            (Some(a), Some(b)) => a == b,
            // `q` is nobody's yet: the customer the body names must not have another one.
            (None, Some(b)) => self.external_id_of(b).is_none_or(|e| e == q),
            // The body names no stored customer (a 404 follows), or names none at all.
            (_, None) => true,
        };
        if agree {
            Ok(())
        } else {
            Err(Refusal::Invalid(vec![format!(
                "/{}: names a different customer than the query's {}",
                customer::CUSTOMER_ID,
                operations::create_or_update_customer::EXTERNAL_ID
            )]))
        }
    }

    /// The stored `externalId` of customer `id`, if it has one.
    fn external_id_of(&self, id: u64) -> Option<String> {
        external_id(self.records.get(&id)?)
    }

    /// "Update a customer by id" (`replaceCustomer`): `body`, a whole customer, has been
    /// checked against the operation's body schema. Merged like any change: what it leaves out
    /// stays. The path names the customer; a body `customerId` is ignored, like every
    /// server-owned property.
    pub(crate) fn replace(
        &mut self,
        customer_id: &str,
        body: Map<String, Value>,
        merchant_id: &str,
        now: i64,
    ) -> Result<Bytes, Refusal> {
        let id = parse_id(customer_id)
            .filter(|id| self.records.contains_key(id))
            .ok_or_else(|| Refusal::NotFound(operations::replace_customer::CUSTOMER_ID.into()))?;
        self.merge_into(id, body, merchant_id, now)
    }

    fn merge_into(
        &mut self,
        id: u64,
        patch: Map<String, Value>,
        merchant_id: &str,
        now: i64,
    ) -> Result<Bytes, Refusal> {
        let stored = &self.records[&id];
        let mut record: Map<String, Value> = serde_json::from_slice(stored)
            .map_err(|_| Refusal::Invalid(vec!["the stored customer could not be read".into()]))?;
        let old_external_id = record
            .get(customer::EXTERNAL_ID)
            .and_then(Value::as_str)
            .map(str::to_owned);
        apply_patch(&mut record, patch);
        self.commit(id, old_external_id, record, merchant_id, now)
    }

    /// Sets the server-owned properties, checks the result, and stores it.
    fn commit(
        &mut self,
        id: u64,
        old_external_id: Option<String>,
        mut record: Map<String, Value>,
        merchant_id: &str,
        now: i64,
    ) -> Result<Bytes, Refusal> {
        record.insert(
            customer::MERCHANT_ID.into(),
            Value::String(merchant_id.to_owned()),
        );
        record.insert(customer::UPDATED_AT.into(), Value::from(now));
        let record = Value::Object(record);
        let violations = trustly_customers_spec::check_component(RECORD, &record);
        if !violations.is_empty() {
            return Err(Refusal::Invalid(
                violations.iter().map(ToString::to_string).collect(),
            ));
        }
        let new_external_id = record.get(customer::EXTERNAL_ID).and_then(Value::as_str);
        if let Some(ext) = new_external_id
            && self
                .by_external_id
                .get(ext)
                .is_some_and(|&other| other != id)
        {
            return Err(Refusal::Invalid(vec![format!(
                "/{0}: another customer already has this {0}",
                customer::EXTERNAL_ID
            )]));
        }
        if old_external_id.as_deref() != new_external_id {
            if let Some(old) = &old_external_id {
                self.by_external_id.remove(old);
            }
            if let Some(new) = new_external_id {
                self.by_external_id.insert(new.to_owned(), id);
            }
        }
        let bytes = stored_form(serde_json::to_vec(&record).unwrap_or_default());
        self.journal.note(id, || self.records.get(&id).cloned());
        self.records.insert(id, bytes.clone());
        self.next_id = self.next_id.max(id + 1);
        self.version += 1;
        Ok(bytes)
    }
}

/// Top-level merge: a property sent overwrites the whole value, `null` removes it, absent
/// stays. Server-owned properties are skipped. A `null` deeper down removes its property too
/// ([`without_nulls`]), so a stored record never holds one.
fn apply_patch(record: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        if server_owned(&key) {
            continue;
        }
        if value.is_null() {
            record.shift_remove(&key);
        } else {
            record.insert(key, without_nulls(value));
        }
    }
}

/// `value` with every object property whose value is `null` removed, at any depth: the spec's
/// rule that `null` removes the property it is the value of. Array elements are kept, `null`
/// ones too: they are not properties, and dropping one would shift the others.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// A `customerId` as the store keys it: only the exact decimal spelling the server handed out
/// (`"0123"` names no customer even though it parses as 123).
fn parse_id(text: &str) -> Option<u64> {
    // Digits only (no sign) and no leading zero: the spelling `u64`'s `Display` gives, checked
    // without writing one, since every request that names a customer comes through here.
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    if !digits || leading_zero {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_id;

    #[test]
    fn an_id_is_read_only_in_the_spelling_the_server_writes() {
        for (text, id) in [("0", Some(0)), ("7", Some(7)), ("10", Some(10))] {
            assert_eq!(parse_id(text), id, "{text}");
        }
        assert_eq!(parse_id("18446744073709551615"), Some(u64::MAX));
        for other in [
            "",
            "00",
            "01",
            "007",
            "+7",
            "-7",
            " 7",
            "7 ",
            "1e3",
            "18446744073709551616",
        ] {
            assert_eq!(parse_id(other), None, "{other:?}");
        }
    }
}
