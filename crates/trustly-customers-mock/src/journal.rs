//! What changed since the last save to the data file: for each customer changed (or removed by
//! a reset), what the file holds for it, so that a save writes or deletes those customers only,
//! and a save that fails can be undone. Without a data file nothing is kept.

use std::collections::BTreeMap;

use axum::body::Bytes;

/// The changes a store has made since its last save.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// What the data file holds for each customer changed since the last save (`None`: not
    /// there yet). `None` for a store without a data file: nothing is kept.
    before: Option<BTreeMap<u64, Option<Bytes>>>,
    /// The next id the data file holds.
    saved_next_id: u64,
}

/// The changes one save writes: every customer changed since the last save, as it is now,
/// every one removed since (by a reset), and what the data file held before, to undo them if
/// the save fails.
#[derive(Debug)]
pub(crate) struct Unsaved {
    /// The store version the save covers.
    pub(crate) version: u64,
    pub(crate) next_id: u64,
    /// `(customerId, record)`, in id order.
    pub(crate) records: Vec<(u64, Bytes)>,
    /// The ids of the customers removed, in id order. One created and removed since the last
    /// save is among them too: deleting a row the file does not have changes nothing.
    pub(crate) deleted: Vec<u64>,
    before: BTreeMap<u64, Option<Bytes>>,
    saved_next_id: u64,
}

impl Unsaved {
    /// Whether there is anything to write.
    pub(crate) fn is_empty(&self) -> bool {
        // Not the next id alone: a reset of customers whose ids are below the first one
        // (created with a `customerId` of their own) leaves it as it was.
        self.records.is_empty() && self.deleted.is_empty() && self.next_id == self.saved_next_id
    }
}

impl Journal {
    /// From now on, keeps what each change replaces: for a store whose contents, and next id
    /// `next_id`, are those of its data file.
    pub(crate) fn start(&mut self, next_id: u64) {
        self.before = Some(BTreeMap::new());
        self.saved_next_id = next_id;
    }

    /// Customer `id` is about to change or be removed; `saved` gives it as it is now (`None`:
    /// not there). The first change since the last save keeps that, what the data file holds.
    pub(crate) fn note(&mut self, id: u64, saved: impl FnOnce() -> Option<Bytes>) {
        if let Some(before) = &mut self.before {
            before.entry(id).or_insert_with(saved);
        }
    }

    /// The changes since the last call (or since [`Journal::start`]), for a save of store
    /// version `version`, whose next id is `next_id`; `current` gives each changed customer
    /// as it is now (`None`: removed).
    pub(crate) fn take(
        &mut self,
        version: u64,
        next_id: u64,
        current: impl Fn(u64) -> Option<Bytes>,
    ) -> Unsaved {
        let before = self.before.as_mut().map(std::mem::take).unwrap_or_default();
        let (mut records, mut deleted) = (Vec::new(), Vec::new());
        for &id in before.keys() {
            match current(id) {
                Some(record) => records.push((id, record)),
                None => deleted.push(id),
            }
        }
        let unsaved = Unsaved {
            version,
            next_id,
            records,
            deleted,
            before,
            saved_next_id: self.saved_next_id,
        };
        self.saved_next_id = next_id;
        unsaved
    }

    /// A save of `failed` did not reach the data file: what the file holds for every customer
    /// changed since the last save that did (`failed`'s, and those changed since), and its next
    /// id. The journal starts again from there.
    pub(crate) fn undo(&mut self, failed: &Unsaved) -> (BTreeMap<u64, Option<Bytes>>, u64) {
        let mut before = failed.before.clone();
        // A customer changed again since keeps its older (saved) state from `failed`.
        for (id, saved) in self.before.as_mut().map(std::mem::take).unwrap_or_default() {
            before.entry(id).or_insert(saved);
        }
        self.saved_next_id = failed.saved_next_id;
        (before, failed.saved_next_id)
    }
}
