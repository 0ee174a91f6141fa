//! Where the binaries under test are: next to the test executable, in cargo's
//! `target/<profile>/` (a test runs from `target/<profile>/deps/`, a harness binary
//! from `target/<profile>/`), or in `KITH_BIN_DIR`.

use std::path::PathBuf;

/// The directory that holds `kith-hub`, `kith-relay` and `kith`.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KITH_BIN_DIR") {
        return dir.into();
    }
    let exe = std::env::current_exe().expect("path of the running executable");
    let mut dir = exe.parent().expect("executable has a directory").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// The path of binary `name`, which must have been built.
pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        panic!(
            "{} does not exist: run `cargo test --workspace`, which builds it, or `cargo build --workspace --bins`",
            path.display()
        );
    }
    path
}

/// The `nats-server` to run: `KITH_NATS_SERVER`, else Debian's `/usr/sbin/nats-server`,
/// else the first one on `PATH`.
pub fn nats_server() -> PathBuf {
    if let Some(path) = std::env::var_os("KITH_NATS_SERVER") {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "KITH_NATS_SERVER={} does not exist", path.display());
        return path;
    }
    let debian = PathBuf::from("/usr/sbin/nats-server");
    if debian.is_file() {
        return debian;
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("nats-server");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "nats-server not found (looked at KITH_NATS_SERVER, /usr/sbin/nats-server and PATH): \
         install it with `sudo apt-get install nats-server`, or run `tests/run`, which does"
    );
}
