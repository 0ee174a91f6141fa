//! Fingerprints the sources that decide how the view is laid out in memory (this
//! crate's and `kith-proto`'s), so that a view snapshot written by one build is never
//! read by another: `KITH_VIEW_BUILD`, used by `src/snapshot.rs`.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dirs = [manifest.join("src"), manifest.join("../proto/src")];
    let mut files = Vec::new();
    for dir in &dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        sources(dir, &mut files)?;
    }
    files.sort();
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for file in &files {
        hash.write(file.strip_prefix(&manifest).unwrap_or(file).to_string_lossy().as_bytes());
        hash.write(&std::fs::read(file)?);
    }
    println!("cargo:rustc-env=KITH_VIEW_BUILD={}-{:016x}", env!("CARGO_PKG_VERSION"), hash.finish());
    Ok(())
}
