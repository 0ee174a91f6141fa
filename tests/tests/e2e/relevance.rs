//! The relevance test set (`tests/relevance/`): realistic listings of a region and
//! the queries people type, misspellings included, with what must come first.

use kith_tests::relevance::{TestSet, data_dir, evaluate, search_view, view};

#[test]
fn people_find_what_they_mean() -> anyhow::Result<()> {
    let set = TestSet::load(&data_dir())?;
    assert!(set.queries.len() >= 50, "the set should have at least 50 queries, has {}", set.queries.len());
    let view = view(&set)?;
    let keys = set.keys_by_id();
    let report = evaluate(&set, |q| search_view(&view, &keys, q))?;
    println!(
        "relevance: {} queries, recall@10 {:.3}, MRR {:.3}, {} failed",
        report.queries,
        report.recall_at_10,
        report.mrr,
        report.failures.len()
    );
    assert!(report.failures.is_empty(), "queries that did not rank as people expect:\n{}", report.failures.join("\n"));
    Ok(())
}
