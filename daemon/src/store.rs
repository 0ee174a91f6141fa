//! Opening a daemon's sled database, with one rule for a store that is in use.
//!
//! sled locks its files while a database is open, and reports a held lock only as an
//! I/O error whose text says so. A daemon takes a lock of its own first, on a file
//! beside sled's (`kith.lock` in the same directory), through the operating system's
//! `flock` with a typed answer: held by another process means the store is in use.
//! sled's own lock may still outlive a database this process dropped by a few
//! moments (its I/O threads finish their last writes), so with our lock in hand an
//! error from sled is tried again for a short while before it is reported.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use thiserror::Error;

/// How long opening a store waits for its previous holder to let go of it.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, Error)]
pub enum OpenError {
    #[error("{path} is in use by another process (is the daemon already running?)")]
    InUse { path: PathBuf },
    /// sled found its files damaged.
    #[error("{path}: {why}")]
    Corrupt { path: PathBuf, why: String },
    #[error("cannot open {path}: {why}")]
    Io { path: PathBuf, why: String },
}

/// An open sled database and the lock that says this process owns it.
#[derive(Debug)]
pub struct Opened {
    pub db: sled::Db,
    /// Kept beside the database for as long as it is used (clones share it); the
    /// store is free again when the last one is dropped.
    pub lock: Lock,
}

/// This process's hold on a store.
#[derive(Clone, Debug)]
pub struct Lock(#[allow(dead_code)] Arc<File>);

/// Opens (or creates) the database at `config`'s path, waiting up to [`LOCK_WAIT`]
/// for a previous holder to let go.
pub fn open(config: sled::Config, path: &Path) -> Result<Opened, OpenError> {
    let io = |e: std::io::Error| OpenError::Io { path: path.to_owned(), why: e.to_string() };
    std::fs::create_dir_all(path).map_err(io)?;
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(path.join("kith.lock")).map_err(io)?;
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(TryLockError::WouldBlock) => return Err(OpenError::InUse { path: path.to_owned() }),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
    }
    loop {
        match config.open() {
            Ok(db) => return Ok(Opened { db, lock: Lock(Arc::new(lock)) }),
            Err(sled::Error::Corruption { .. }) => {
                return Err(OpenError::Corrupt { path: path.to_owned(), why: "sled found its files damaged".into() });
            }
            // Our lock is ours: whoever held sled's last is this process, finishing.
            Err(sled::Error::Io(_)) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(OpenError::Io { path: path.to_owned(), why: e.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_held_by_another_opener_is_in_use_and_free_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let first = open(sled::Config::new().path(&path), &path).unwrap();
        first.db.insert(b"k", b"v").unwrap();
        // Another open file description of the lock: as another process would hold it.
        let started = Instant::now();
        let second = open(sled::Config::new().path(&path), &path);
        assert!(matches!(second, Err(OpenError::InUse { .. })), "{second:?}");
        assert!(started.elapsed() >= LOCK_WAIT, "it waited for the holder first");
        drop(first);
        let again = open(sled::Config::new().path(&path), &path).expect("free once dropped");
        assert_eq!(again.db.get(b"k").unwrap().as_deref(), Some(&b"v"[..]));
    }
}
