//! Where the index keeps what it read: one interface ([`AuditStore`]) and its embedded SQLite
//! implementation (rusqlite with the bundled library: nothing to install). A PostgreSQL store
//! for a multi-hospital deployment implements the same trait.
//!
//! An event is stored once, under (block, index in block); the cursor (the next block to read)
//! moves in the same transaction as the block's events, so an index interrupted anywhere resumes
//! where it stopped and never stores an event twice.

use super::events::Subject;
use crate::chain::hex;
use crate::error::{DeployError, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// The schema this code reads and writes. A database written by another version is refused
/// with a clear error, never half-read.
pub const SCHEMA_VERSION: u32 = 1;

/// The chain and contracts a store indexes: a store holds exactly one deployment's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub genesis_hash: [u8; 32],
    /// (manifest name, address, block it was instantiated in).
    pub contracts: Vec<(String, [u8; 32], u64)>,
}

/// One event ready to store: its position, the contract (by manifest name), its name, raw
/// data, and the keys it is found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub index: u32,
    pub extrinsic: Option<u32>,
    pub time_ms: u64,
    pub contract: String,
    pub name: &'static str,
    pub data: Vec<u8>,
    pub subjects: Vec<Subject>,
}

/// An event read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub block: u64,
    pub index: u32,
    pub extrinsic: Option<u32>,
    pub time_ms: u64,
    pub contract: String,
    pub name: String,
    pub data: Vec<u8>,
}

/// Which events a query wants: by name, optionally by a key and a time window.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub names: &'a [&'a str],
    pub subject: Option<&'a Subject>,
    pub since_ms: Option<u64>,
    pub until_ms: Option<u64>,
}

pub trait AuditStore {
    /// Ties a new store to a deployment, or checks that an existing one indexes that same
    /// deployment (the same genesis hash and contract addresses).
    fn bind(&mut self, binding: &Binding) -> Result<()>;
    /// The deployment the store indexes, if bound.
    fn binding(&self) -> Result<Option<Binding>>;
    /// The next block to index (the first block of the earliest contract, on a new store).
    fn next_block(&self) -> Result<u64>;
    /// Stores a block's carechain events and moves the cursor past it, in one transaction.
    /// Returns how many events were new (a block indexed before stores nothing again).
    fn commit_block(&mut self, block: u64, events: &[NewEvent]) -> Result<usize>;
    /// Events matching `filter`, in chain order.
    fn events(&self, filter: &Filter<'_>) -> Result<Vec<StoredEvent>>;
    fn event_count(&self) -> Result<u64>;
}

pub struct Sqlite {
    conn: Connection,
    path: String,
}

fn io(path: &str) -> impl Fn(rusqlite::Error) -> DeployError + '_ {
    move |e| DeployError::Io { path: path.to_string(), reason: format!("audit database: {e}") }
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn uint(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;
CREATE TABLE contracts (name TEXT PRIMARY KEY, address BLOB NOT NULL UNIQUE, from_block INTEGER NOT NULL) STRICT;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    block INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    extrinsic INTEGER,
    time_ms INTEGER NOT NULL,
    contract TEXT NOT NULL REFERENCES contracts(name),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (block, idx)
) STRICT;
CREATE INDEX events_by_name ON events (name, block, idx);
-- The keys an event is found by; name and time repeated so a patient's accounting is one index range.
CREATE TABLE subjects (
    kind TEXT NOT NULL,
    key BLOB NOT NULL,
    name TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    event INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (kind, key, name, time_ms, event)
) STRICT, WITHOUT ROWID;
";

impl Sqlite {
    /// Opens (or creates) the database at `path`. Refuses a database of another schema version,
    /// or a file that is not one.
    pub fn open(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(io(&shown))?;
        Self::init(conn, shown)
    }

    /// Opens an existing database for reading only (`audit serve`, the queries): never creates
    /// or changes a file, and refuses one that is not an audit database of this schema version.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let shown_too = shown.clone();
        let e = io(&shown_too);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(&e)?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(&e)?;
        if version != SCHEMA_VERSION {
            return Err(DeployError::Io {
                path: shown,
                reason: format!(
                    "not an audit database of schema version {SCHEMA_VERSION} (found version {version}); \
                     `carechain deploy --audit-db` or `audit index` writes one"
                ),
            });
        }
        Ok(Self { conn, path: shown })
    }

    /// A database in memory (tests, and the embedded chain's report when no file is asked for).
    pub fn in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(io(":memory:"))?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Self> {
        let shown = path.clone();
        let e = io(&shown);
        conn.pragma_update(None, "journal_mode", "WAL").map_err(&e)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(&e)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(&e)?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(&e)?;
        let tables: u32 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0)).map_err(&e)?;
        match (version, tables) {
            (0, 0) => {
                conn.execute_batch(SCHEMA).map_err(&e)?;
                conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(&e)?;
            }
            (SCHEMA_VERSION, _) => {}
            (found, _) => {
                return Err(DeployError::Io {
                    path,
                    reason: format!(
                        "audit database of schema version {found}, this carechain reads version {SCHEMA_VERSION}; \
                         index into a new file (the chain keeps the history)"
                    ),
                })
            }
        }
        Ok(Self { conn, path })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> DeployError + '_ {
        io(&self.path)
    }

    /// Bytes the database takes on disk (pages in use × page size).
    pub fn size_bytes(&self) -> Result<u64> {
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0)).map_err(self.err())?;
        let free: i64 = self.conn.pragma_query_value(None, "freelist_count", |r| r.get(0)).map_err(self.err())?;
        let size: i64 = self.conn.pragma_query_value(None, "page_size", |r| r.get(0)).map_err(self.err())?;
        Ok(uint(pages.saturating_sub(free).saturating_mul(size)))
    }
}

fn mismatch(path: &str, what: String) -> DeployError {
    DeployError::Io {
        path: path.to_string(),
        reason: format!("this audit database indexes another deployment ({what}); use a new file for this one"),
    }
}

impl AuditStore for Sqlite {
    fn bind(&mut self, binding: &Binding) -> Result<()> {
        if let Some(existing) = self.binding()? {
            if existing.genesis_hash != binding.genesis_hash {
                return Err(mismatch(&self.path, format!("chain {}", hex(&existing.genesis_hash))));
            }
            for (name, address, _) in &binding.contracts {
                if existing.contracts.iter().any(|(n, a, _)| n == name && a != address) {
                    return Err(mismatch(&self.path, format!("{name} at another address")));
                }
            }
        }
        let tx = self.conn.unchecked_transaction().map_err(io(&self.path))?;
        tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('genesis_hash', ?1)", [&binding.genesis_hash[..]])
            .map_err(io(&self.path))?;
        for (name, address, from_block) in &binding.contracts {
            tx.execute(
                "INSERT OR IGNORE INTO contracts (name, address, from_block) VALUES (?1, ?2, ?3)",
                params![name, &address[..], int(*from_block)],
            )
            .map_err(io(&self.path))?;
        }
        let first = binding.contracts.iter().map(|(_, _, b)| *b).min().unwrap_or(0);
        tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('next_block', ?1)", [int(first)])
            .map_err(io(&self.path))?;
        tx.commit().map_err(io(&self.path))
    }

    fn binding(&self) -> Result<Option<Binding>> {
        let genesis: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'genesis_hash'", [], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        let Some(genesis) = genesis else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare("SELECT name, address, from_block FROM contracts ORDER BY from_block")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)?)))
            .map_err(self.err())?;
        let mut contracts = Vec::new();
        for row in rows {
            let (name, address, block) = row.map_err(self.err())?;
            contracts.push((name, <[u8; 32]>::try_from(address).unwrap_or_default(), uint(block)));
        }
        Ok(Some(Binding { genesis_hash: <[u8; 32]>::try_from(genesis).unwrap_or_default(), contracts }))
    }

    fn next_block(&self) -> Result<u64> {
        let next: Option<i64> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'next_block'", [], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        Ok(next.map(uint).unwrap_or(0))
    }

    fn commit_block(&mut self, block: u64, events: &[NewEvent]) -> Result<usize> {
        let path = self.path.clone();
        let e = io(&path);
        let tx = self.conn.transaction().map_err(&e)?;
        let mut new = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO events (block, idx, extrinsic, time_ms, contract, name, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&e)?;
            let mut subject = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO subjects (kind, key, name, time_ms, event) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&e)?;
            for ev in events {
                let inserted = insert
                    .execute(params![
                        int(block),
                        ev.index,
                        ev.extrinsic,
                        int(ev.time_ms),
                        ev.contract,
                        ev.name,
                        ev.data
                    ])
                    .map_err(&e)?;
                if inserted == 0 {
                    continue;
                }
                new += 1;
                let id = tx.last_insert_rowid();
                for s in &ev.subjects {
                    subject.execute(params![s.kind(), s.key(), ev.name, int(ev.time_ms), id]).map_err(&e)?;
                }
            }
        }
        tx.execute("UPDATE meta SET value = max(value, ?1) WHERE key = 'next_block'", [int(block.saturating_add(1))])
            .map_err(&e)?;
        tx.commit().map_err(&e)?;
        Ok(new)
    }

    fn events(&self, f: &Filter<'_>) -> Result<Vec<StoredEvent>> {
        if f.names.is_empty() {
            return Ok(Vec::new());
        }
        let since = int(f.since_ms.unwrap_or(0));
        let until = int(f.until_ms.unwrap_or(u64::MAX));
        let names = vec!["?"; f.names.len()].join(", ");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let sql = match f.subject {
            // Served by the subjects primary key: (kind, key, name, time) is one index range.
            Some(s) => {
                args.push(s.kind().to_string().into());
                args.push(s.key().into());
                format!(
                    "SELECT e.block, e.idx, e.extrinsic, e.time_ms, e.contract, e.name, e.data
                     FROM subjects s JOIN events e ON e.id = s.event
                     WHERE s.kind = ? AND s.key = ? AND s.name IN ({names}) AND s.time_ms BETWEEN ? AND ?
                     ORDER BY e.block, e.idx"
                )
            }
            None => format!(
                "SELECT block, idx, extrinsic, time_ms, contract, name, data FROM events
                 WHERE name IN ({names}) AND time_ms BETWEEN ? AND ? ORDER BY block, idx"
            ),
        };
        args.extend(f.names.iter().map(|n| rusqlite::types::Value::from(n.to_string())));
        args.push(since.into());
        args.push(until.into());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(StoredEvent {
                    block: uint(r.get(0)?),
                    index: r.get(1)?,
                    extrinsic: r.get(2)?,
                    time_ms: uint(r.get(3)?),
                    contract: r.get(4)?,
                    name: r.get(5)?,
                    data: r.get(6)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    fn event_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).map_err(self.err())?;
        Ok(uint(n))
    }
}
