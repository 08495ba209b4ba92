//! The `--data` file: a SQLite database with one row per customer.
//!
//! ```text
//! $ sqlite3 customers.db .schema
//! CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;
//! CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, record TEXT NOT NULL) STRICT;
//! $ sqlite3 customers.db "SELECT record ->> '$.externalId' FROM customers"
//! ```
//!
//! `meta` holds `format` (`trustly-customers-mock/2`), `next_customer_id`, and
//! `checked_against`: the spec (as JSON) that every record was last checked against. `record`
//! is the customer exactly as the emulator serves it.
//!
//! - **A save writes only the customers it changed** (and deletes those a reset removed), in
//!   one transaction, so its cost does not grow with the number of customers.
//! - **Durable before answered**: WAL mode with `synchronous = FULL`, so a commit is flushed to
//!   disk (`fsync` of the log) before it returns. A kill or power cut at any moment loses no
//!   answered change; SQLite rolls back a half-written commit at the next open.
//! - **Never someone else's file**: a file is opened only when it is a SQLite database whose
//!   `application_id` is this emulator's and whose `meta` says this format. Anything else is
//!   refused, never written to (an earlier JSON file is migrated instead: [`super::open`]).
//! - **A new file is whole or absent**: it is built as `FILE.tmp` and renamed into place.

use std::fs;
use std::io;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::lock::DataFileLock;
use super::paths::{sibling, sync_directory_of, temp_path};
use crate::journal::Unsaved;
use crate::load::{self, Check};
use crate::store::Store;

/// The value of `meta.format`: which layout the file has.
pub(crate) const FORMAT: &str = "trustly-customers-mock/2";

/// SQLite's `application_id` for this emulator's files (`tcm2` in ASCII), so that `file(1)`
/// and this emulator tell them from other SQLite databases.
const APPLICATION_ID: i32 = 0x7463_6d32;

/// The `meta` key of the spec every record was last checked against.
///
/// Every record is checked against the spec's `Customer` schema when it is written. Checking
/// 100,000 of them again at every start would take seconds, so a start checks them only when
/// the spec compiled into the emulator differs from the one recorded here (a new version of
/// the emulator), and then records it. Starts with the same spec check that each record is
/// JSON with its row's id and a unique `externalId`.
const CHECKED_AGAINST: &str = "checked_against";

/// The spec compiled into this build, as the text recorded under [`CHECKED_AGAINST`].
fn spec_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| trustly_customers_spec::document().to_string())
}

/// The first 16 bytes of every SQLite database file.
pub(crate) const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How the data file is written: through the log (WAL), so that a commit appends the pages it
/// changed, and with the log flushed to disk at every commit. Other processes (`sqlite3`) can
/// read the file while the emulator runs.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";

/// How long a save waits for another process's write lock on the file (a `sqlite3` shell in
/// the middle of a write) before it fails and its changes are undone. The requests waiting on
/// the save wait that long too; SQLite's own default through rusqlite is 5 s.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(250);

/// The data file, open for saves, with its lock: dropping it closes the connection first,
/// then releases the lock, so no second emulator opens the file before this one has closed
/// it.
#[derive(Debug)]
pub(crate) struct Database {
    connection: Connection,
    _lock: DataFileLock,
}

/// Writes a new database holding `store` at `path`: built as `FILE.tmp`, flushed, then renamed
/// over `path`, so that `path` is never a half-built file.
pub(crate) fn create(path: &Path, store: &Store) -> Result<(), String> {
    let temp = temp_path(path);
    let failed = |e: &dyn std::fmt::Display| format!("cannot create it: {e}");
    // A leftover of a crash while building: ours (the name is this emulator's), never read.
    // And the logs of a database that was at `path` and is gone (deleted to start empty):
    // SQLite does not check that a log belongs to the file beside it, and would apply the old
    // file's last changes to the new one.
    for leftover in [
        temp.clone(),
        sibling(&temp, "-journal"),
        sibling(&temp, "-wal"),
        sibling(path, "-wal"),
        sibling(path, "-shm"),
        sibling(path, "-journal"),
    ] {
        match fs::remove_file(&leftover) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed(&e)),
        }
    }
    // Created by hand first, readable by its owner only: customers' personal data. SQLite gives
    // its log files the database file's permissions.
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&temp).map_err(|e| failed(&e))?;

    let mut connection = Connection::open_with_flags(&temp, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| failed(&e))?;
    fill(&mut connection, store).map_err(|e| failed(&e))?;
    // Closing checkpoints the log into the file and removes it.
    connection.close().map_err(|(_, e)| failed(&e))?;
    fs::rename(&temp, path).map_err(|e| failed(&e))?;
    sync_directory_of(path);
    Ok(())
}

/// The tables, the format marker and every customer of `store` (checked against this build's
/// spec), in one transaction.
fn fill(connection: &mut Connection, store: &Store) -> rusqlite::Result<()> {
    connection.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA journal_mode = WAL;"
    ))?;
    let transaction = connection.transaction()?;
    transaction.execute_batch(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;
         CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, record TEXT NOT NULL) STRICT;",
    )?;
    transaction.execute(
        "INSERT INTO meta (key, value) VALUES ('format', ?1), ('next_customer_id', ?2), (?3, ?4)",
        (
            FORMAT,
            id_value(store.next_id()),
            CHECKED_AGAINST,
            spec_text(),
        ),
    )?;
    {
        let mut insert =
            transaction.prepare("INSERT INTO customers (customer_id, record) VALUES (?1, ?2)")?;
        for (id, record) in store.records() {
            insert.execute((id_value(id), text(record)?))?;
        }
    }
    transaction.commit()
}

/// Opens the SQLite file at `path`, which must be this emulator's, and loads it; `lock` is
/// its lock, held from now on by the [`Database`] (and released if it cannot be opened).
pub(crate) fn open_existing(path: &Path, lock: DataFileLock) -> Result<(Database, Store), String> {
    // No `SQLITE_OPEN_CREATE`: a file that went away in between is an error, not a new file.
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| format!("cannot open it: {e}"))?;
    let damaged = |e: rusqlite::Error| format!("it is damaged or not a database: {e}");
    let application_id: i32 = connection
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(damaged)?;
    if application_id != APPLICATION_ID {
        return Err(format!(
            "it is a SQLite database, but not one of this emulator (its application_id is \
             {application_id}, not {APPLICATION_ID})"
        ));
    }
    let meta = |key: &str| {
        connection.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get::<_, rusqlite::types::Value>(0)
        })
    };
    match meta("format").map_err(damaged)? {
        rusqlite::types::Value::Text(format) if format == FORMAT => {}
        rusqlite::types::Value::Text(format) => {
            return Err(format!(
                "it holds format {format:?}, which this version of the emulator cannot read \
                 (it reads {FORMAT:?})"
            ));
        }
        _ => return Err("its `format` is not text".into()),
    }
    // Before anything is written to it: the file is this emulator's.
    connection.execute_batch(PRAGMAS).map_err(damaged)?;
    connection.busy_timeout(BUSY_TIMEOUT).map_err(damaged)?;
    let next_id = match meta("next_customer_id").map_err(damaged)? {
        rusqlite::types::Value::Integer(n) => u64::try_from(n).ok(),
        _ => None,
    }
    .ok_or("`next_customer_id` is not a number of 0 or more")?;
    let checked = match meta(CHECKED_AGAINST) {
        Ok(rusqlite::types::Value::Text(spec)) if spec == spec_text() => Check::Identity,
        _ => Check::Schema,
    };
    let store = {
        let mut rows = connection
            .prepare("SELECT customer_id, record FROM customers ORDER BY customer_id")
            .map_err(damaged)?;
        let rows = rows
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(damaged)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(damaged)?;
        load::from_rows(
            next_id,
            rows.into_iter()
                .map(|(id, record)| (id, record.into_bytes())),
            checked,
        )?
    };
    if checked == Check::Schema {
        connection
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (CHECKED_AGAINST, spec_text()),
            )
            .map_err(|e| format!("cannot write to it: {e}"))?;
    }
    Ok((
        Database {
            connection,
            _lock: lock,
        },
        store,
    ))
}

impl Database {
    /// Writes `unsaved` in one transaction: on disk when this returns `Ok`, not written at all
    /// when it returns an error.
    pub(crate) fn save(&mut self, unsaved: &Unsaved) -> rusqlite::Result<()> {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut upsert = transaction.prepare_cached(
                "INSERT INTO customers (customer_id, record) VALUES (?1, ?2)
                 ON CONFLICT (customer_id) DO UPDATE SET record = excluded.record",
            )?;
            for (id, record) in &unsaved.records {
                upsert.execute((id_value(*id), text(record)?))?;
            }
            // The customers a reset removed: in the same transaction as the rest, so that a
            // crash in the middle of a reset leaves every customer or none.
            let mut delete =
                transaction.prepare_cached("DELETE FROM customers WHERE customer_id = ?1")?;
            for id in &unsaved.deleted {
                delete.execute([id_value(*id)])?;
            }
            transaction
                .prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'next_customer_id'")?
                .execute([id_value(unsaved.next_id)])?;
        }
        transaction.commit()
    }
}

/// An id as SQLite stores it. Ids stay below `MAX_LOADED_ID` (half of `u64`'s range), so they
/// fit in an `i64`.
fn id_value(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// A record as SQLite text: serde_json writes UTF-8.
fn text(record: &[u8]) -> rusqlite::Result<&str> {
    Ok(std::str::from_utf8(record)?)
}
