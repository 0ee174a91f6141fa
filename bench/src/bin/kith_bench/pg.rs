//! PostgreSQL 15 as the baseline of `query` and `memory`: the same listings in one
//! table, loaded with `COPY`, indexed as a careful developer would index them for
//! this search, and queried with full-text search, ranked, with a trigram fallback
//! for misspellings.
//!
//! # Schema
//!
//! ```sql
//! CREATE TABLE <t> (
//!   id text PRIMARY KEY, hub text NOT NULL, family text NOT NULL,
//!   title text NOT NULL, skills text NOT NULL,
//!   words text NOT NULL,            -- title and skills: what a misspelling is matched against
//!   description text NOT NULL, area text NOT NULL,
//!   area_words text[] NOT NULL,     -- lower-case area words, plus `ls` for `LS6`
//!   kind text, sector text, paid boolean NOT NULL, remote boolean NOT NULL,
//!   for_tags text[] NOT NULL,       -- safe houses (relevance set only)
//!   open boolean NOT NULL,          -- status is open
//!   closes_on date, created bigint NOT NULL,
//!   pt point,                       -- the area's postcode district centroid (BNG metres), or NULL
//!   tsv tsvector GENERATED ALWAYS AS (
//!     setweight(to_tsvector('english', title), 'A') ||
//!     setweight(to_tsvector('english', skills), 'B') ||
//!     setweight(to_tsvector('english', description), 'C') ||
//!     setweight(to_tsvector('english', area), 'D')) STORED);
//! -- after COPY:
//! CREATE INDEX ON <t> USING gin (tsv);
//! CREATE INDEX ON <t> USING gin (words gin_trgm_ops);
//! CREATE INDEX ON <t> USING gin (area_words);
//! CREATE INDEX ON <t> USING gist (pt);
//! CREATE INDEX ON <t> (kind); (sector); (paid); (area); (closes_on); (created);
//! ANALYZE <t>;
//! ```
//!
//! # Queries
//!
//! Every query has `open AND (closes_on IS NULL OR closes_on >= current_date)` (the
//! relay's default: open and not past its closing day) and, for each filter given,
//! `kind = $k`, `sector = $s`, `paid`, `area_words @> $a` (every word of the area
//! filter), and for the relevance set `family = $f` and
//! `(cardinality(for_tags) = 0 OR for_tags @> ARRAY[$tag])`. With words:
//!
//! ```sql
//! SELECT id, hub, title, kind, area, closes_on FROM <t>
//!  WHERE tsv @@ websearch_to_tsquery('english', $1) AND <filters>
//!  ORDER BY ts_rank(tsv, websearch_to_tsquery('english', $1)) DESC, created DESC
//!  LIMIT 50;
//! ```
//!
//! and when that finds nothing (a misspelling), the trigram fallback:
//!
//! ```sql
//! SELECT id, hub, title, kind, area, closes_on FROM <t>
//!  WHERE $1 <% words AND <filters>
//!  ORDER BY word_similarity($1, words) DESC, created DESC LIMIT 50;
//! ```
//!
//! Without words: `SELECT … WHERE <filters> ORDER BY created DESC LIMIT 50`.
//!
//! Near a place, as the relay answers: what has the place's words in its area, as
//! above; then, when the page is not full, the nearest of the rest by GiST's
//! nearest-neighbour order (PostgreSQL's own `point`, no extension):
//!
//! ```sql
//! SELECT … WHERE [tsv @@ websearch_to_tsquery('english', $1) AND] <filters>
//!   AND NOT area_words @> $n AND pt IS NOT NULL ORDER BY pt <-> point($x, $y) LIMIT 50 - found;
//! ```
//! Statements are prepared once per shape of SQL and reused.

use anyhow::Context;
use bytes::Bytes;
use futures::SinkExt;
use std::collections::HashMap;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Statement};

use crate::data::{PAGE, area_words};

/// One row to load: what every engine indexes of a listing.
pub struct Row<'a> {
    pub id: String,
    pub hub: &'a str,
    pub family: &'static str,
    pub title: &'a str,
    pub skills: String,
    pub description: &'a str,
    pub area: &'a str,
    pub kind: Option<&'static str>,
    pub sector: Option<&'static str>,
    pub paid: bool,
    pub remote: bool,
    pub for_tags: Vec<&'static str>,
    pub open: bool,
    pub closes_on: Option<String>,
    pub created_ms: i64,
    /// The centroid of the area's postcode district, when it names one.
    pub point: Option<(i32, i32)>,
}

/// The places of the benchmark's region: GB's, with West Yorkshire's own names
/// (`deploy/places/west-yorkshire.txt`: Keighley, Dewsbury …), as its relay would have.
pub fn places() -> &'static std::sync::Arc<kith_text::places::Places> {
    static PLACES: std::sync::LazyLock<std::sync::Arc<kith_text::places::Places>> = std::sync::LazyLock::new(|| {
        let own = include_str!("../../../../deploy/places/west-yorkshire.txt");
        std::sync::Arc::new(kith_text::places::Places::builtin().with_file(own).expect("the demo's places file reads"))
    });
    &PLACES
}

/// The centroid of the district `area` names, on the British National Grid.
pub fn point_of(area: &str) -> Option<(i32, i32)> {
    let places = places();
    places.resolve(area).ok().flatten().map(|d| (places.point(d).east, places.point(d).north))
}

/// A search, engine-neutral.
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub text: String,
    pub family: Option<&'static str>,
    pub area: String,
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub paid_only: bool,
    pub for_tag: Option<String>,
    /// Nearest first from this place: its area's words first, then by distance.
    pub near: Option<Near>,
}

/// Where a search by distance measures from.
#[derive(Clone, Debug)]
pub struct Near {
    pub words: Vec<String>,
    pub point: (i32, i32),
}

/// Drops and creates table `table` (no indexes yet).
pub async fn create_table(client: &Client, table: &str) -> anyhow::Result<()> {
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {table};
             CREATE TABLE {table} (
               id text PRIMARY KEY, hub text NOT NULL, family text NOT NULL,
               title text NOT NULL, skills text NOT NULL, words text NOT NULL,
               description text NOT NULL, area text NOT NULL, area_words text[] NOT NULL,
               kind text, sector text, paid boolean NOT NULL, remote boolean NOT NULL,
               for_tags text[] NOT NULL, open boolean NOT NULL,
               closes_on date, created bigint NOT NULL, pt point,
               tsv tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('english', title), 'A') ||
                 setweight(to_tsvector('english', skills), 'B') ||
                 setweight(to_tsvector('english', description), 'C') ||
                 setweight(to_tsvector('english', area), 'D')) STORED)"
        ))
        .await
        .with_context(|| format!("create table {table}"))
}

/// Creates the indexes of `table` and analyses it.
pub async fn create_indexes(client: &Client, table: &str) -> anyhow::Result<()> {
    let mut sql = format!(
        "SET maintenance_work_mem = '512MB';
         CREATE INDEX {table}_tsv ON {table} USING gin (tsv);
         CREATE INDEX {table}_words_trgm ON {table} USING gin (words gin_trgm_ops);
         CREATE INDEX {table}_area_words ON {table} USING gin (area_words);
         CREATE INDEX {table}_pt ON {table} USING gist (pt);"
    );
    for column in ["kind", "sector", "paid", "area", "closes_on", "created"] {
        sql.push_str(&format!("CREATE INDEX {table}_{column} ON {table} ({column});"));
    }
    sql.push_str(&format!("ANALYZE {table};"));
    client.batch_execute(&sql).await.with_context(|| format!("index table {table}"))
}

/// Escapes a value for COPY's text format.
fn escape(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// An array literal of plain words (letters, digits and `-` only).
fn array(words: &[impl AsRef<str>]) -> String {
    let joined: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    format!("{{{}}}", joined.join(","))
}

/// Loads `rows` into `table` with one `COPY … FROM STDIN` (text format).
pub async fn copy_rows<'a>(client: &Client, table: &str, rows: impl Iterator<Item = Row<'a>>) -> anyhow::Result<u64> {
    let sink = client
        .copy_in::<_, Bytes>(&format!(
            "COPY {table} (id, hub, family, title, skills, words, description, area, area_words, kind, sector, \
             paid, remote, for_tags, open, closes_on, created, pt) FROM STDIN"
        ))
        .await
        .context("COPY")?;
    futures::pin_mut!(sink);
    let mut buf = String::with_capacity(1 << 20);
    for r in rows {
        let words = format!("{} {}", r.title, r.skills);
        for (i, field) in
            [r.id.as_str(), r.hub, r.family, r.title, &r.skills, &words, r.description, r.area].iter().enumerate()
        {
            if i > 0 {
                buf.push('\t');
            }
            escape(&mut buf, field);
        }
        buf.push('\t');
        buf.push_str(&array(&area_words(r.area)));
        for v in [r.kind, r.sector] {
            buf.push('\t');
            match v {
                Some(v) => escape(&mut buf, v),
                None => buf.push_str("\\N"),
            }
        }
        buf.push_str(if r.paid { "\tt" } else { "\tf" });
        buf.push_str(if r.remote { "\tt" } else { "\tf" });
        buf.push('\t');
        buf.push_str(&array(&r.for_tags));
        buf.push_str(if r.open { "\tt\t" } else { "\tf\t" });
        match &r.closes_on {
            Some(d) => buf.push_str(d),
            None => buf.push_str("\\N"),
        }
        buf.push('\t');
        buf.push_str(&r.created_ms.to_string());
        match r.point {
            Some((e, n)) => buf.push_str(&format!("\t({e},{n})")),
            None => buf.push_str("\t\\N"),
        }
        buf.push('\n');
        if buf.len() > (1 << 20) - 16_384 {
            sink.send(Bytes::from(std::mem::take(&mut buf))).await.context("COPY data")?;
            buf.reserve(1 << 20);
        }
    }
    if !buf.is_empty() {
        sink.send(Bytes::from(buf)).await.context("COPY data")?;
    }
    sink.finish().await.context("finish COPY")
}

/// Sizes of a table in bytes: (table with TOAST, indexes, total).
pub async fn sizes(client: &Client, table: &str) -> anyhow::Result<(i64, i64, i64)> {
    let row = client
        .query_one(
            "SELECT pg_table_size($1::text::regclass), pg_indexes_size($1::text::regclass), pg_total_relation_size($1::text::regclass)",
            &[&table],
        )
        .await
        .context("table sizes")?;
    Ok((row.get(0), row.get(1), row.get(2)))
}

/// Searches one table, reusing prepared statements.
pub struct Searcher<'a> {
    client: &'a Client,
    table: String,
    statements: HashMap<String, Statement>,
    /// Queries answered by the trigram fallback.
    pub fallbacks: usize,
}

impl<'a> Searcher<'a> {
    pub fn new(client: &'a Client, table: &str) -> Searcher<'a> {
        Searcher { client, table: table.to_owned(), statements: HashMap::new(), fallbacks: 0 }
    }

    async fn run(&mut self, sql: String, params: &[&(dyn ToSql + Sync)]) -> anyhow::Result<Vec<String>> {
        let statement = match self.statements.get(&sql) {
            Some(s) => s.clone(),
            None => {
                let s = self.client.prepare(&sql).await.with_context(|| format!("prepare {sql}"))?;
                self.statements.insert(sql.clone(), s.clone());
                s
            }
        };
        let rows = self.client.query(&statement, params).await.with_context(|| format!("query {sql}"))?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    /// The ids of the first page of results, best first.
    pub async fn search(&mut self, s: &Search) -> anyhow::Result<Vec<String>> {
        let Some(near) = &s.near else { return self.search_in(s, None).await };
        // The place's area first, as a filter by its words; then the nearest.
        let in_area = Search { area: near.words.join(" "), near: None, ..s.clone() };
        let mut found = self.search_in(&in_area, None).await?;
        if found.len() < PAGE {
            found.extend(self.search_in(s, Some((near, PAGE - found.len()))).await?);
        }
        Ok(found)
    }

    /// One query: or, with `beyond`, the nearest outside the place's area.
    async fn search_in(&mut self, s: &Search, beyond: Option<(&Near, usize)>) -> anyhow::Result<Vec<String>> {
        let text = s.text.trim().to_owned();
        let area: Vec<String> =
            s.area.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let mut filters = vec!["open AND (closes_on IS NULL OR closes_on >= current_date)".to_owned()];
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if !text.is_empty() {
            params.push(&text);
        }
        let add = |filters: &mut Vec<String>, params: &mut Vec<&'_ (dyn ToSql + Sync)>, sql: &str| {
            filters.push(sql.replace('?', &format!("${}", params.len())));
        };
        if let Some(family) = &s.family {
            params.push(family);
            add(&mut filters, &mut params, "family = ?");
        }
        if let Some(kind) = &s.kind {
            params.push(kind);
            add(&mut filters, &mut params, "kind = ?");
        }
        if let Some(sector) = &s.sector {
            params.push(sector);
            add(&mut filters, &mut params, "sector = ?");
        }
        if s.paid_only {
            filters.push("paid".into());
        }
        if !area.is_empty() {
            params.push(&area);
            add(&mut filters, &mut params, "area_words @> ?::text[]");
        }
        if let Some(tag) = &s.for_tag {
            params.push(tag);
            add(&mut filters, &mut params, "(cardinality(for_tags) = 0 OR for_tags @> ARRAY[?::text])");
        }
        let t = self.table.clone();
        let columns = "id, hub, title, kind, area, closes_on";
        if let Some((near, limit)) = beyond {
            let (x, y) = (f64::from(near.point.0), f64::from(near.point.1));
            let words = &near.words;
            params.push(words);
            add(&mut filters, &mut params, "NOT area_words @> ?::text[] AND pt IS NOT NULL");
            let (px, py) = (params.len() + 1, params.len() + 2);
            params.push(&x);
            params.push(&y);
            let text_filter = if text.is_empty() { "" } else { "tsv @@ websearch_to_tsquery('english', $1) AND " };
            let sql = format!(
                "SELECT {columns} FROM {t} WHERE {text_filter}{} ORDER BY pt <-> point(${px}, ${py}) LIMIT {limit}",
                filters.join(" AND ")
            );
            return self.run(sql, &params).await;
        }
        let filters = filters.join(" AND ");
        if text.is_empty() {
            let sql = format!("SELECT {columns} FROM {t} WHERE {filters} ORDER BY created DESC LIMIT {PAGE}");
            return self.run(sql, &params).await;
        }
        let sql = format!(
            "SELECT {columns} FROM {t} WHERE tsv @@ websearch_to_tsquery('english', $1) AND {filters} \
             ORDER BY ts_rank(tsv, websearch_to_tsquery('english', $1)) DESC, created DESC LIMIT {PAGE}"
        );
        let found = self.run(sql, &params).await?;
        if !found.is_empty() {
            return Ok(found);
        }
        self.fallbacks += 1;
        let sql = format!(
            "SELECT {columns} FROM {t} WHERE $1 <% words AND {filters} \
             ORDER BY word_similarity($1, words) DESC, created DESC LIMIT {PAGE}"
        );
        self.run(sql, &params).await
    }
}
