//! A snapshot of the whole view, so that a relay restarted after a clean stop
//! answers in a second instead of re-reading and re-indexing every record.
//!
//! When the relay stops cleanly (ingest stopped, store flushed) it writes the view
//! to `DIR/view.snapshot` and then marks the store with the snapshot's nonce
//! ([`Store::set_snapshot`]). At start the mark is taken away before anything else
//! can change the store ([`Store::take_snapshot`]); the snapshot is used only when
//! it carries that nonce, this build's format and a matching checksum, and is then
//! deleted. Every other case — a crash, `--rebuild`, `--unpin`, a snapshot of
//! another build, a damaged file — loads the store's records as before. The store
//! stays the relay's record; a snapshot is only a faster way to the same view.
//!
//! # File layout
//!
//! ```text
//! "KITHVIEW"  version u32 LE  nonce 16 B  build: len u8 + version and source fingerprint
//! body: postcard of the view (crate::view::View::write_image)
//! body length u64 LE  crc32 of the body u32 LE
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;
use ulid::Ulid;

use crate::store::{Store, StoreError};
use crate::view::View;

/// The snapshot inside the relay's directory.
pub const FILE: &str = "view.snapshot";

const MAGIC: &[u8; 8] = b"KITHVIEW";

/// The layout of the view in a snapshot. A snapshot of another version (or of
/// another build of the relay) is not read.
const VERSION: u32 = 1;

/// The build of the relay: its version and a fingerprint of the sources that lay
/// out the view (`build.rs`), so that a snapshot is read only by the build that
/// wrote it. A new build loads the store's records once.
const BUILD: &str = env!("KITH_VIEW_BUILD");

#[derive(Debug, Error)]
pub enum SnapshotError {
    #[error("view snapshot {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("view snapshot {path}: cannot encode the view: {source}")]
    Encode { path: PathBuf, source: postcard::Error },
    #[error("view snapshot {path}: {why}")]
    Unusable { path: PathBuf, why: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// Counts and checksums the bytes that pass through it.
struct Crc<W> {
    inner: W,
    hasher: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Crc<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn header(nonce: Ulid) -> Vec<u8> {
    let mut h = Vec::with_capacity(8 + 4 + 16 + 1 + BUILD.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&VERSION.to_le_bytes());
    h.extend_from_slice(&nonce.to_bytes());
    h.push(BUILD.len() as u8);
    h.extend_from_slice(BUILD.as_bytes());
    h
}

/// Writes `view` to the snapshot file (through a temporary file, synced, then
/// renamed) and marks `store` as held by it. Call only when the store holds exactly
/// what the view holds: ingest stopped and the store flushed.
pub fn save(view: &View, dir: &Path, store: &Store) -> Result<(), SnapshotError> {
    let path = path(dir);
    let tmp = dir.join(format!("{FILE}.tmp"));
    let io = |source| SnapshotError::Io { path: tmp.clone(), source };
    let nonce = Ulid::new();
    let file = File::create(&tmp).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(&header(nonce)).map_err(io)?;
    let mut body = Crc { inner: out, hasher: crc32fast::Hasher::new(), len: 0 };
    view.write_image(&mut body).map_err(|source| SnapshotError::Encode { path: tmp.clone(), source })?;
    let Crc { inner: mut out, hasher, len } = body;
    out.write_all(&len.to_le_bytes()).map_err(io)?;
    out.write_all(&hasher.finalize().to_le_bytes()).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, &path).map_err(io)?;
    // The rename itself is durable once the directory is.
    File::open(dir).and_then(|d| d.sync_all()).map_err(|source| SnapshotError::Io { path: dir.to_owned(), source })?;
    store.set_snapshot(nonce)?;
    Ok(())
}

/// Reads the snapshot written as `nonce`.
pub fn load(dir: &Path, nonce: Ulid) -> Result<View, SnapshotError> {
    let path = path(dir);
    let bytes = std::fs::read(&path).map_err(|source| SnapshotError::Io { path: path.clone(), source })?;
    let unusable = |why: String| SnapshotError::Unusable { path: path.clone(), why };
    let head = header(nonce);
    if bytes.len() < head.len() + 12 {
        return Err(unusable("too short".into()));
    }
    if bytes[..8] != head[..8] {
        return Err(unusable("not a view snapshot".into()));
    }
    if bytes[8..12] != head[8..12] || bytes[28..head.len()] != head[28..] {
        return Err(unusable("written by another build of the relay".into()));
    }
    if bytes[12..28] != head[12..28] {
        return Err(unusable("not the snapshot the store was left with".into()));
    }
    let (body, trailer) = bytes[head.len()..].split_at(bytes.len() - head.len() - 12);
    let len = u64::from_le_bytes(trailer[..8].try_into().expect("8 bytes"));
    let crc = u32::from_le_bytes(trailer[8..].try_into().expect("4 bytes"));
    if len != body.len() as u64 || crc32fast::hash(body) != crc {
        return Err(unusable("damaged (length or checksum)".into()));
    }
    View::read_image(body).map_err(unusable)
}

/// Deletes the snapshot file, if there is one: once the relay runs, the store
/// moves on and the file no longer says anything true.
pub fn remove(dir: &Path) -> Result<(), SnapshotError> {
    let path = path(dir);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(SnapshotError::Io { path, source: e }),
        _ => Ok(()),
    }
}
