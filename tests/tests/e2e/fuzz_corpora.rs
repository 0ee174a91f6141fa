//! Every fuzz target's committed corpus (`fuzz/corpus/<target>/`, what cargo-fuzz
//! found and kept) replayed through the same function cargo-fuzz ran, on stable
//! Rust: a regression of any input that once passed fails here.

#[test]
fn every_corpus_replays_without_a_failure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut replayed = 0;
    for (name, target) in kith_fuzz_targets::TARGETS {
        let dir = root.join(name);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut n = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            // (A fuzzer running meanwhile replaces inputs by smaller ones.)
            let Ok(data) = std::fs::read(&path) else { continue };
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} fails", path.display());
            n += 1;
        }
        assert!(n > 0, "{name}: the corpus is empty");
        replayed += n;
    }
    eprintln!("replayed {replayed} inputs of {} targets", kith_fuzz_targets::TARGETS.len());
}
