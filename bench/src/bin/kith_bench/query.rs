//! `kith-bench query`: search latency and relevance of the relay's view against
//! PostgreSQL 15 full-text search (and tantivy, with the `tantivy` feature), on the
//! same synthetic region and the same queries.
//!
//! The view is filled through `View::restore` (the path a relay takes when it loads
//! its store), with the records in a store of its own that it reads the bodies of a
//! page's opportunities from, as a relay's does, and searched in this process through `opportunity_query` and
//! `View::search_opportunities`, as the gRPC handler does, without the network.
//! PostgreSQL is asked over one loopback connection, so its figures include a
//! round trip (tens of microseconds); tantivy runs in this process. Each engine
//! runs every query once after a warm-up of the first 200, one at a time.

use anyhow::Context;
use clap::Args;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kith_proto::domain::{Opportunity, OpportunityStatus};
use kith_proto::time::{CivilDate, now_ms};
use kith_relay::store::{EntityRecord, HubRecord, Record};
use kith_relay::view::View;
use kith_tests::relevance::{self, Family, TestSet, data_dir, evaluate, search_view};

use crate::common::{Better, Figure, Section, percentiles, pg_connect};
use crate::data::{self, Query, Region, Shape};
use crate::pg::{self, Row, Search};

#[derive(Debug, Args, Clone)]
pub struct QueryArgs {
    /// Opportunities in the region.
    #[arg(long, default_value_t = 100_000)]
    pub opportunities: usize,
    /// Hubs that published them.
    #[arg(long, default_value_t = 100)]
    pub hubs: usize,
    /// The view reads a page's opportunities from a store, as `kith-relay
    /// --bodies-in-store` does, rather than holding them.
    #[arg(long)]
    pub bodies_in_store: bool,
    /// Queries timed per engine, the five shapes in turn.
    #[arg(long, default_value_t = 10_000)]
    pub queries: usize,
    /// PostgreSQL URL; its database is created if missing, its tables replaced.
    #[arg(long, env = "KITH_BENCH_PG", default_value = crate::common::DEFAULT_PG)]
    pub pg: String,
    /// Seed of the synthetic region and its queries.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

const WARM_UP: usize = 200;

/// The view of `region`, as a relay that loaded it from its store holds it. With
/// `bodies_in` (`--bodies-in-store`), its records are also written to a store in
/// that directory, which the view reads a page's bodies from.
pub fn kith_view(region: &Region, now: i64, bodies_in: Option<&std::path::Path>) -> anyhow::Result<View> {
    let store = bodies_in.map(kith_relay::store::Store::open).transpose()?;
    let mut view = View::with_places(CivilDate::at(now, &jiff::tz::TimeZone::UTC), pg::places().clone());
    if let Some(store) = &store {
        view.read_bodies_from(store.clone());
    }
    let put = |record: &Record| store.as_ref().map_or(Ok(()), |s| s.put(record));
    for (i, hub) in region.hubs.iter().enumerate() {
        let record = HubRecord { profile: data::hub_profile(i), seq: 1, at_ms: now, region: crate::common::region() };
        let record = Record::Hub { hub: hub.clone(), record: Box::new(record) };
        put(&record)?;
        view.restore(record)?;
    }
    for l in &region.listings {
        let record = EntityRecord { seq: 2, at_ms: l.created_ms, item: Some(l.item.clone()) };
        let record = Record::listing(region.hubs[l.hub].clone(), l.item.id, &record);
        put(&record)?;
        view.restore(record)?;
    }
    Ok(view)
}

/// Listings added to the full view in each of [`late_arrivals`]' two ways.
const LATE: usize = 1_000;

/// Adds `n` listings to a full view newer than every other (each one's label
/// appended), then `n` that arrive late, all between the same two neighbours,
/// ascending: a run into one gap, whose labels are spread over and over. Gives the
/// mean time a listing took each way, in µs.
fn late_arrivals(view: &mut View, region: &Region, now: i64, n: usize) -> anyhow::Result<(f64, f64)> {
    let hub = &region.hubs[0];
    let mut put = |ms: i64, i: usize| -> anyhow::Result<()> {
        let mut item = region.listings[i % region.listings.len()].item.clone();
        item.id = ulid::Ulid::from_parts(ms as u64, (i as u128) << 20 | 0x5eed);
        let record = EntityRecord { seq: 2, at_ms: now, item: Some(item) };
        view.restore(Record::listing(hub.clone(), record.item.as_ref().expect("an item").id, &record))?;
        Ok(())
    };
    let newest = region.listings.iter().map(|l| l.created_ms).max().unwrap_or(now);
    let started = Instant::now();
    for i in 0..n {
        put(newest + 1 + i as i64, i)?;
    }
    let in_order = started.elapsed().as_secs_f64() * 1e6 / n as f64;
    let oldest = region.listings.iter().map(|l| l.created_ms).min().unwrap_or(now);
    let started = Instant::now();
    for i in 0..n {
        put(oldest + 1 + i as i64, n + i)?;
    }
    let late = started.elapsed().as_secs_f64() * 1e6 / n as f64;
    Ok((in_order, late))
}

/// A synthetic opportunity as a row of every engine.
pub fn opportunity_row<'a>(hub: &'a str, o: &'a Opportunity, created_ms: i64) -> Row<'a> {
    Row {
        id: o.id.to_string(),
        hub,
        family: "opportunity",
        title: &o.title,
        skills: o.skills.join(", "),
        description: &o.description,
        area: &o.area,
        kind: Some(o.kind.as_str()),
        sector: Some(o.sector.as_str()),
        paid: o.pay.is_paid(),
        remote: o.remote,
        for_tags: vec![],
        open: o.status == OpportunityStatus::Open,
        closes_on: o.closes_on.map(|d| d.to_string()),
        created_ms,
        point: pg::point_of(&o.area),
    }
}

fn region_rows(region: &Region) -> impl Iterator<Item = Row<'_>> {
    region.listings.iter().map(|l| opportunity_row(region.hubs[l.hub].as_str(), &l.item, l.created_ms))
}

/// The test set's listings as rows.
fn relevance_rows(set: &TestSet) -> Vec<Row<'_>> {
    let created = |o: ulid::Ulid| o.timestamp_ms() as i64;
    let mut rows: Vec<Row<'_>> =
        set.opportunities.iter().map(|(_, o)| opportunity_row("relevance", o, created(o.id))).collect();
    for (_, s) in &set.safe_houses {
        rows.push(Row {
            id: s.id.to_string(),
            hub: "relevance",
            family: "safehouse",
            title: &s.name,
            // Who the house is for is searchable text at the relay too.
            skills: s.for_tags.iter().map(|t| t.as_str().replace('-', " ")).collect::<Vec<_>>().join(", "),
            description: &s.description,
            area: &s.area,
            kind: None,
            sector: None,
            paid: false,
            remote: false,
            for_tags: s.for_tags.iter().map(|t| t.as_str()).collect(),
            open: true,
            closes_on: None,
            created_ms: created(s.id),
            point: pg::point_of(&s.area),
        });
    }
    rows
}

/// A query of the benchmark as an engine-neutral search.
fn search_of(q: &Query) -> Search {
    Search {
        text: q.text.clone(),
        family: None,
        area: q.area.clone(),
        kind: q.kind.map(|k| k.as_str().to_owned()),
        sector: q.sector.map(|s| s.as_str().to_owned()),
        paid_only: q.paid_only,
        for_tag: None,
        near: pg::point_of(&q.near).map(|point| pg::Near { words: kith_relay::view::area_words(&q.near), point }),
    }
}

/// A query of the relevance set as an engine-neutral search.
fn relevance_search(q: &relevance::Query) -> Search {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Search {
        text: q.q.clone(),
        family: Some(if q.family == Family::Opportunity { "opportunity" } else { "safehouse" }),
        area: q.area.clone(),
        kind: opt(&q.kind),
        sector: None,
        paid_only: false,
        for_tag: opt(&q.for_tag),
        near: None,
    }
}

/// Latencies and result counts of one engine, by shape.
#[derive(Default)]
struct Timings {
    by_shape: BTreeMap<Shape, Vec<Duration>>,
    hits: BTreeMap<Shape, usize>,
}

impl Timings {
    fn add(&mut self, shape: Shape, took: Duration, hits: usize) {
        self.by_shape.entry(shape).or_default().push(took);
        *self.hits.entry(shape).or_default() += hits;
    }

    /// p50, p99, p99.9 of one shape, or of all queries ([`Shape::ALL`]'s: the
    /// near shape is apart).
    fn percentiles(&self, shape: Option<Shape>) -> [f64; 3] {
        let mut all: Vec<Duration> = match shape {
            Some(s) => self.by_shape.get(&s).cloned().unwrap_or_default(),
            None => Shape::ALL.iter().filter_map(|s| self.by_shape.get(s)).flatten().copied().collect(),
        };
        percentiles(&mut all)
    }

    fn mean_hits(&self, shape: Shape) -> f64 {
        let n = self.by_shape.get(&shape).map_or(0, Vec::len).max(1);
        *self.hits.get(&shape).unwrap_or(&0) as f64 / n as f64
    }
}

fn time_kith(view: &View, queries: &[Query], today: CivilDate) -> anyhow::Result<Timings> {
    let run = |q: &Query| -> anyhow::Result<usize> {
        let query = kith_relay::query::opportunity_query(&q.request(), view.places())
            .map_err(|s| anyhow::anyhow!("{}", s.message()))?;
        let page = view.search_opportunities(&query, today).map_err(|_| anyhow::anyhow!("timed out"))?;
        Ok(page.items.len())
    };
    for q in queries.iter().take(WARM_UP) {
        run(q)?;
    }
    let mut t = Timings::default();
    for q in queries {
        let started = Instant::now();
        let hits = run(q).with_context(|| format!("kith: {q:?}"))?;
        t.add(q.shape, started.elapsed(), hits);
    }
    Ok(t)
}

async fn time_pg(searcher: &mut pg::Searcher<'_>, queries: &[Query]) -> anyhow::Result<Timings> {
    for q in queries.iter().take(WARM_UP) {
        searcher.search(&search_of(q)).await?;
    }
    searcher.fallbacks = 0;
    let mut t = Timings::default();
    for q in queries {
        let s = search_of(q);
        let started = Instant::now();
        let hits = searcher.search(&s).await.with_context(|| format!("postgres: {q:?}"))?.len();
        t.add(q.shape, started.elapsed(), hits);
    }
    Ok(t)
}

/// tantivy is timed on every shape but the near one, which it has no order for.
#[cfg(feature = "tantivy")]
fn time_tantivy(index: &crate::tantivy_engine::Engine, queries: &[Query]) -> anyhow::Result<Timings> {
    for q in queries.iter().take(WARM_UP) {
        index.search(&search_of(q))?;
    }
    let mut t = Timings::default();
    for q in queries.iter().filter(|q| q.shape != Shape::Near) {
        let s = search_of(q);
        let started = Instant::now();
        let hits = index.search(&s).with_context(|| format!("tantivy: {q:?}"))?.len();
        t.add(q.shape, started.elapsed(), hits);
    }
    Ok(t)
}

/// Relevance of the three engines on the test set: (recall@10, MRR, failures).
struct Relevance {
    kith: relevance::Report,
    pg: relevance::Report,
    tantivy: Option<relevance::Report>,
}

async fn relevance(client: &tokio_postgres::Client) -> anyhow::Result<Relevance> {
    let set = TestSet::load(&data_dir())?;
    let keys = set.keys_by_id();
    let view = relevance::view(&set)?;
    let kith = evaluate(&set, |q| search_view(&view, &keys, q))?;

    let table = "bench_relevance";
    pg::create_table(client, table).await?;
    pg::copy_rows(client, table, relevance_rows(&set).into_iter()).await?;
    pg::create_indexes(client, table).await?;
    let mut searcher = pg::Searcher::new(client, table);
    let mut answers = Vec::with_capacity(set.queries.len());
    for q in &set.queries {
        let ids = searcher.search(&relevance_search(q)).await?;
        answers.push(ids.iter().filter_map(|id| keys.get(id).cloned()).collect::<Vec<String>>());
    }
    let mut answers = answers.into_iter();
    let pg = evaluate(&set, |_| answers.next().context("one answer per query"))?;

    #[cfg(feature = "tantivy")]
    let tantivy = {
        let engine = crate::tantivy_engine::Engine::build(relevance_rows(&set).into_iter())?;
        Some(evaluate(&set, |q| {
            let ids = engine.search(&relevance_search(q))?;
            Ok(ids.iter().filter_map(|id| keys.get(id).cloned()).collect())
        })?)
    };
    #[cfg(not(feature = "tantivy"))]
    let tantivy = None;
    Ok(Relevance { kith, pg, tantivy })
}

pub async fn run(args: &QueryArgs) -> anyhow::Result<Section> {
    let client = pg_connect(&args.pg).await?;
    let now = now_ms();
    let today = CivilDate::at(now, &jiff::tz::TimeZone::UTC);
    eprintln!("query: generating {} opportunities of {} hubs", args.opportunities, args.hubs);
    let region = Region::generate(args.seed, args.opportunities, args.hubs, now);
    let queries = data::queries(args.seed + 1, args.queries, &region);
    let mut notes = Vec::new();

    let started = Instant::now();
    let store_dir = tempfile::Builder::new().prefix("kith-bench-query-").tempdir()?;
    let mut view = kith_view(&region, now, args.bodies_in_store.then(|| store_dir.path()))?;
    notes.push(format!("kith: view filled through View::restore in {:.1?}", started.elapsed()));
    eprintln!("query: timing {} queries on kith", queries.len());
    let kith = time_kith(&view, &queries, today)?;
    let (in_order, late) = late_arrivals(&mut view, &region, now, LATE)?;
    drop(view);

    eprintln!("query: loading PostgreSQL");
    let table = "bench_opportunities";
    let started = Instant::now();
    pg::create_table(&client, table).await?;
    let copied = pg::copy_rows(&client, table, region_rows(&region)).await?;
    let copy_took = started.elapsed();
    let started = Instant::now();
    pg::create_indexes(&client, table).await?;
    notes.push(format!(
        "postgres: {copied} rows copied in {copy_took:.1?}, indexed and analysed in {:.1?}",
        started.elapsed()
    ));
    eprintln!("query: timing {} queries on PostgreSQL", queries.len());
    let mut searcher = pg::Searcher::new(&client, table);
    let pg_t = time_pg(&mut searcher, &queries).await?;
    notes.push(format!(
        "postgres: {} of {} queries fell back to the trigram search",
        searcher.fallbacks,
        queries.len()
    ));

    #[cfg(feature = "tantivy")]
    let tantivy: Option<Timings> = {
        eprintln!("query: indexing and timing tantivy");
        let started = Instant::now();
        let engine = crate::tantivy_engine::Engine::build(region_rows(&region))?;
        notes.push(format!(
            "tantivy {}: {} documents indexed in RAM in {:.1?}",
            crate::tantivy_engine::VERSION,
            region.listings.len(),
            started.elapsed()
        ));
        Some(time_tantivy(&engine, &queries)?)
    };
    #[cfg(not(feature = "tantivy"))]
    let tantivy: Option<Timings> = {
        notes.push("tantivy: not built; build kith-bench with `--features tantivy` for its figures".into());
        None
    };

    let mut figures = Vec::new();
    let shapes: Vec<Option<Shape>> = Shape::TIMED.iter().copied().map(Some).chain([None]).collect();
    for shape in shapes {
        let label = shape.map_or("all queries", Shape::name);
        let k = kith.percentiles(shape);
        let p = pg_t.percentiles(shape);
        let t = tantivy.as_ref().map(|t| t.percentiles(shape));
        for (i, name) in ["p50", "p99", "p99.9"].iter().enumerate() {
            let mut f =
                Figure::new(format!("{label} {name}"), "ms", Better::Lower, k[i], Some(p[i])).tantivy(t.map(|t| t[i]));
            if *name == "p99" && shape.is_none() {
                f = f.goal("kith p99 < 10 ms at 1M; ratio ≤ 0.1");
            }
            if *name == "p99" && shape == Some(Shape::Near) {
                f = f.goal("kith ≤ 2× its p99 of all queries at 1M");
            }
            figures.push(f);
        }
    }
    let (near_p99, all_p99) = (kith.percentiles(Some(Shape::Near))[1], kith.percentiles(None)[1]);
    notes.push(format!(
        "word near a place: kith p99 {near_p99:.2} ms is {:.2}× its p99 of all queries ({all_p99:.2} ms)",
        near_p99 / all_p99
    ));
    for shape in Shape::TIMED {
        notes.push(format!(
            "{}: mean results per query kith {:.1}, postgres {:.1}{}",
            shape.name(),
            kith.mean_hits(shape),
            pg_t.mean_hits(shape),
            tantivy.as_ref().map_or(String::new(), |t| format!(", tantivy {:.1}", t.mean_hits(shape)))
        ));
    }

    figures.push(Figure::new(
        format!("a listing arriving late, into one gap, vs in order ({LATE} each, mean)"),
        "µs",
        Better::Lower,
        late,
        Some(in_order),
    ));
    notes.push(
        "late listings: all between the same two neighbours, ascending (a hub that was offline), so that \
         their labels are spread again and again, each spread remapping every posting set"
            .into(),
    );
    eprintln!("query: relevance test set");
    let rel = relevance(&client).await?;
    figures.push(
        Figure::new("relevance recall@10", "", Better::Higher, rel.kith.recall_at_10, Some(rel.pg.recall_at_10))
            .tantivy(rel.tantivy.as_ref().map(|r| r.recall_at_10)),
    );
    figures.push(
        Figure::new("relevance MRR", "", Better::Higher, rel.kith.mrr, Some(rel.pg.mrr))
            .tantivy(rel.tantivy.as_ref().map(|r| r.mrr)),
    );
    notes.push(format!(
        "relevance set: {} queries; failing its strict checks: kith {}, postgres {}{}",
        rel.kith.queries,
        rel.kith.failures.len(),
        rel.pg.failures.len(),
        rel.tantivy.as_ref().map_or(String::new(), |t| format!(", tantivy {}", t.failures.len()))
    ));

    Ok(Section {
        command: "query",
        setup: format!(
            "{} opportunities, {} hubs, {} queries ({} of each shape), page {}",
            args.opportunities,
            args.hubs,
            queries.len(),
            queries.len() / Shape::TIMED.len(),
            data::PAGE
        ),
        baseline: "PostgreSQL 15: tsvector (english; title A, skills B, description C, area D) with GIN, \
                   websearch_to_tsquery + ts_rank, pg_trgm word_similarity fallback, btree filters; near a \
                   place, the area first, then GiST nearest-neighbour order on a point; one loopback connection"
            .into(),
        figures,
        notes,
    })
}
