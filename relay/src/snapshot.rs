//! A checkpoint of the whole view, so that a relay restarted — after a clean stop or
//! a crash — answers in seconds instead of re-reading and re-indexing every record.
//!
//! Ingest writes one between two batches (the store flushed, so it holds exactly
//! what the view holds) once enough has changed or some minutes have passed, and a
//! clean stop writes a last one. A checkpoint begins a new epoch of the store's log
//! of changed records ([`Store::begin_epoch`]), writes the view to
//! `DIR/view.snapshot` (a temporary file, synced, renamed) and then marks the store
//! with its nonce and that epoch ([`Store::set_checkpoint`]), which forgets the
//! changes it holds. At start the snapshot is used only when it carries the nonce
//! of the store's mark, this build's format and matching checksums; the records
//! changed since its epoch are then put back over it ([`Store::changed_since`]).
//! Every other case — no mark, `--rebuild`, `--unpin`, a snapshot of another build,
//! a damaged file — loads the store's records as before. The store stays the
//! relay's record; a checkpoint is only a faster way to the same view.
//!
//! # File layout
//!
//! ```text
//! "KITHVIEW"  version u32 LE  nonce 16 B  build: len u8 + version and source fingerprint
//! sections, one after the other: postcard (crate::view::View::write_section)
//! for each section: length u64 LE, crc32 u32 LE      then: number of sections u32 LE
//! ```
//!
//! The sections are read back on two threads, each read and checked on its own, so
//! that a million listings load in about a second; listings come in blocks of 65,536,
//! so the file is never in memory whole.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use thiserror::Error;
use ulid::Ulid;

use crate::store::{Store, StoreError};
use crate::view::View;
use kith_text::places::Places;
use std::sync::Arc;

/// The snapshot inside the relay's directory.
pub const FILE: &str = "view.snapshot";

const MAGIC: &[u8; 8] = b"KITHVIEW";

/// The layout of the view in a snapshot. A snapshot of another version (or of
/// another build of the relay) is not read.
const VERSION: u32 = 7;

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
struct Crc<W: Write> {
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
/// renamed) and marks `store` as held by it as of `epoch` (begun with
/// [`Store::begin_epoch`] just before). Call only when the store holds exactly what
/// the view holds: between ingest's batches, the store flushed.
pub fn save(view: &View, dir: &Path, store: &Store, epoch: u64) -> Result<(), SnapshotError> {
    let path = path(dir);
    let tmp = dir.join(format!("{FILE}.tmp"));
    let io = |source| SnapshotError::Io { path: tmp.clone(), source };
    let nonce = Ulid::new();
    let file = File::create(&tmp).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(&header(nonce)).map_err(io)?;
    let count = view.sections();
    let mut contents = Vec::with_capacity(count);
    for section in 0..count {
        let mut body = Crc { inner: &mut out, hasher: crc32fast::Hasher::new(), len: 0 };
        view.write_section(section, &mut body).map_err(|source| SnapshotError::Encode { path: tmp.clone(), source })?;
        contents.push((body.len, body.hasher.finalize()));
    }
    for (len, crc) in contents {
        out.write_all(&len.to_le_bytes()).map_err(io)?;
        out.write_all(&crc.to_le_bytes()).map_err(io)?;
    }
    out.write_all(&(count as u32).to_le_bytes()).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, &path).map_err(io)?;
    // The rename itself is durable once the directory is.
    File::open(dir).and_then(|d| d.sync_all()).map_err(|source| SnapshotError::Io { path: dir.to_owned(), source })?;
    store.set_checkpoint(nonce, epoch)?;
    Ok(())
}

/// Bytes at `offset` of `file`.
fn read_at(file: &File, offset: u64, len: u64) -> std::io::Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| std::io::Error::other("a section larger than memory"))?;
    let mut bytes = vec![0; len];
    file.read_exact_at(&mut bytes, offset)?;
    Ok(bytes)
}

/// Reads the snapshot written as `nonce`.
pub fn load(dir: &Path, nonce: Ulid, places: Arc<Places>) -> Result<View, SnapshotError> {
    let path = path(dir);
    let io = |source| SnapshotError::Io { path: path.clone(), source };
    let unusable = |why: String| SnapshotError::Unusable { path: path.clone(), why };
    let file = File::open(&path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let head = header(nonce);
    if size < head.len() as u64 + 4 {
        return Err(unusable("too short".into()));
    }
    let found = read_at(&file, 0, head.len() as u64).map_err(io)?;
    if found[..8] != head[..8] {
        return Err(unusable("not a view snapshot".into()));
    }
    if found[8..12] != head[8..12] || found[28..] != head[28..] {
        return Err(unusable("written by another build of the relay".into()));
    }
    if found[12..28] != head[12..28] {
        return Err(unusable("not the snapshot the store was left with".into()));
    }
    let count = read_at(&file, size - 4, 4).map_err(io)?;
    let count = u64::from(u32::from_le_bytes(count[..].try_into().expect("4 bytes")));
    let footer = 12 * count + 4;
    if size < head.len() as u64 + footer {
        return Err(unusable("damaged (its table of sections)".into()));
    }
    let table = read_at(&file, size - footer, footer - 4).map_err(io)?;
    let mut sections = Vec::with_capacity(count as usize);
    let mut offset = head.len() as u64;
    for entry in table.chunks_exact(12) {
        let len = u64::from_le_bytes(entry[..8].try_into().expect("8 bytes"));
        let crc = u32::from_le_bytes(entry[8..].try_into().expect("4 bytes"));
        sections.push((offset, len, crc));
        offset = offset.checked_add(len).ok_or_else(|| unusable("damaged (section lengths)".into()))?;
    }
    if offset != size - footer {
        return Err(unusable("damaged (section lengths)".into()));
    }
    let section = |i: usize| {
        let (offset, len, crc) = sections[i];
        let bytes = read_at(&file, offset, len).map_err(|e| e.to_string())?;
        if crc32fast::hash(&bytes) != crc {
            return Err(format!("damaged (checksum of section {i})"));
        }
        Ok(bytes)
    };
    View::read_image(section, sections.len(), places).map_err(unusable)
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
