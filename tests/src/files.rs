//! Looking for bytes in every file under a directory, for tests that prove where a
//! piece of personal data is (and is not) written: stores, JetStream's message
//! blocks, logs.

use std::path::{Path, PathBuf};

/// Every regular file under `root`, recursively (symbolic links are not followed);
/// `root` itself when it is a file.
pub fn all_files(root: &Path) -> Vec<PathBuf> {
    if root.is_file() {
        return vec![root.to_path_buf()];
    }
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read directory {}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.unwrap_or_else(|e| panic!("read directory {}: {e}", dir.display()));
            let kind = entry.file_type().unwrap_or_else(|e| panic!("file type of {}: {e}", entry.path().display()));
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files
}

/// The files under `root` (or `root` itself, if a file) whose raw bytes contain `needle` anywhere.
pub fn files_containing(root: &Path, needle: &[u8]) -> Vec<PathBuf> {
    assert!(!needle.is_empty(), "looking for nothing");
    all_files(root)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            contains(&bytes, needle)
        })
        .collect()
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bytes_in_nested_files_only_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/deep.bin"), b"\x00\x01Canary-1\xff").unwrap();
        std::fs::write(dir.path().join("top.log"), b"nothing here").unwrap();
        std::fs::write(dir.path().join("a/split.log"), b"Cana").unwrap();
        assert_eq!(all_files(dir.path()).len(), 3);
        assert_eq!(all_files(&dir.path().join("top.log")), vec![dir.path().join("top.log")]);
        assert_eq!(files_containing(dir.path(), b"Canary-1"), vec![dir.path().join("a/b/deep.bin")]);
        assert!(files_containing(dir.path(), b"Canary-2").is_empty());
    }
}
