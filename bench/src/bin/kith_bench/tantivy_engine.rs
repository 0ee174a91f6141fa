//! tantivy on the same rows and searches as Kith and PostgreSQL (`--features
//! tantivy`): an off-the-shelf search library beside the relay's hand-written index.
//!
//! # Index
//!
//! In RAM, merged into one segment. `title`, `skills` and `description` with the
//! `en_stem` analyser (lower case, English Snowball stemming) and term frequencies;
//! `raw`, all three again with the `default` analyser (lower case, no stemming), for
//! typos and prefixes; `area` (its words, `ls` for `LS6`), `kind`, `sector`,
//! `family`, `for_tags` as raw terms; `paid`, `open`, `for_anyone` as indexed
//! booleans; `closes_on` (days since 1970, none = never) and `created` (ms) as fast
//! i64 fields; `row` as a fast u64, the listing's place in the loaded rows.
//!
//! # Query
//!
//! One `BooleanQuery`. Every word of the text (stop words dropped) is a `Must` of
//! `Should`s: term queries on the stemmed word in `title` (boost 3), `skills` (2),
//! `description` (1), the word in `area` (0.5), a `FuzzyTermQuery` on `raw` (1 edit
//! from 5 letters, 2 from 9, transpositions cost 1; boost 0.5) and, for the last
//! word, a prefix (`FuzzyTermQuery::new_prefix`, 0 edits; boost 0.5). Filters are
//! `Must`s of constant score 0: `open`, `closes_on >= today` (a fast-field range),
//! and each given filter. Ranked by BM25; without words, newest first by the
//! `created` fast field. A hit's id is read from the `row` fast field, not from the
//! stored document.

use anyhow::Context;
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, TantivyDocument, Term};

use crate::data::{PAGE, area_words};
use crate::pg::{Row, Search};

/// The tantivy version this was built with.
pub const VERSION: &str = "0.27";

/// Words left out of a query, as the relay and PostgreSQL's `english` config do.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "me", "my", "near", "of",
    "on", "or", "the", "to", "with",
];

struct Fields {
    title: Field,
    skills: Field,
    description: Field,
    raw: Field,
    area: Field,
    kind: Field,
    sector: Field,
    family: Field,
    for_tags: Field,
    for_anyone: Field,
    paid: Field,
    open: Field,
    closes_on: Field,
    created: Field,
    row: Field,
}

pub struct Engine {
    index: Index,
    reader: IndexReader,
    f: Fields,
    /// Listing ids by row.
    ids: Vec<String>,
}

fn days(date: &str) -> i64 {
    let d: kith_proto::time::CivilDate =
        date.parse().unwrap_or(kith_proto::time::CivilDate { year: 2200, month: 1, day: 1 });
    days_of(d)
}

fn days_of(d: kith_proto::time::CivilDate) -> i64 {
    // Howard Hinnant's days-from-civil.
    let (y, m, d) = (i64::from(d.year) - i64::from(d.month <= 2), i64::from(d.month), i64::from(d.day));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Engine {
    pub fn build<'a>(rows: impl Iterator<Item = Row<'a>>) -> anyhow::Result<Engine> {
        let mut b = Schema::builder();
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer("en_stem").set_index_option(IndexRecordOption::WithFreqs),
        );
        let plain = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer("default").set_index_option(IndexRecordOption::Basic),
        );
        let f = Fields {
            title: b.add_text_field("title", stemmed.clone()),
            skills: b.add_text_field("skills", stemmed.clone()),
            description: b.add_text_field("description", stemmed),
            raw: b.add_text_field("raw", plain),
            area: b.add_text_field("area", STRING),
            kind: b.add_text_field("kind", STRING),
            sector: b.add_text_field("sector", STRING),
            family: b.add_text_field("family", STRING),
            for_tags: b.add_text_field("for_tags", STRING),
            for_anyone: b.add_bool_field("for_anyone", INDEXED),
            paid: b.add_bool_field("paid", INDEXED),
            open: b.add_bool_field("open", INDEXED),
            closes_on: b.add_i64_field("closes_on", INDEXED | FAST),
            created: b.add_i64_field("created", FAST),
            row: b.add_u64_field("row", FAST),
        };
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(2, 400_000_000).context("tantivy writer")?;
        let mut ids = Vec::new();
        for r in rows {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.title, r.title);
            doc.add_text(f.skills, &r.skills);
            doc.add_text(f.description, r.description);
            doc.add_text(f.raw, format!("{} {} {}", r.title, r.skills, r.description));
            for w in area_words(r.area) {
                doc.add_text(f.area, w);
            }
            if let Some(k) = r.kind {
                doc.add_text(f.kind, k);
            }
            if let Some(s) = r.sector {
                doc.add_text(f.sector, s);
            }
            doc.add_text(f.family, r.family);
            for t in &r.for_tags {
                doc.add_text(f.for_tags, t);
            }
            doc.add_bool(f.for_anyone, r.for_tags.is_empty());
            doc.add_bool(f.paid, r.paid);
            doc.add_bool(f.open, r.open);
            doc.add_i64(f.closes_on, r.closes_on.as_deref().map_or(i64::MAX, days));
            doc.add_i64(f.created, r.created_ms);
            doc.add_u64(f.row, ids.len() as u64);
            ids.push(r.id);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        reader.reload()?;
        Ok(Engine { index, reader, f, ids })
    }

    fn analyse(analyser: &mut TextAnalyzer, word: &str) -> Option<String> {
        let mut stream = analyser.token_stream(word);
        let mut out = None;
        stream.process(&mut |t| {
            if out.is_none() {
                out = Some(t.text.clone());
            }
        });
        out
    }

    fn term(field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
    }

    fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
    }

    /// The ids of the first page of results, best first.
    pub fn search(&self, s: &Search) -> anyhow::Result<Vec<String>> {
        let f = &self.f;
        let mut stem = self.index.tokenizers().get("en_stem").context("en_stem analyser")?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let words: Vec<String> = s
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .collect();
        for (i, word) in words.iter().enumerate() {
            let stemmed = Self::analyse(&mut stem, word).unwrap_or_else(|| word.clone());
            let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Should, Box::new(BoostQuery::new(Self::term(f.title, &stemmed), 3.0))),
                (Occur::Should, Box::new(BoostQuery::new(Self::term(f.skills, &stemmed), 2.0))),
                (Occur::Should, Self::term(f.description, &stemmed)),
                (Occur::Should, Box::new(BoostQuery::new(Self::term(f.area, word), 0.5))),
            ];
            let letters = word.chars().count();
            if letters >= 5 {
                let edits = if letters >= 9 { 2 } else { 1 };
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.raw, word), edits, true);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), 0.5))));
            }
            if i + 1 == words.len() {
                let prefix = FuzzyTermQuery::new_prefix(Term::from_field_text(f.raw, word), 0, true);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), 0.5))));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        let bool_term = |field, v| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_bool(field, v), IndexRecordOption::Basic))
        };
        clauses.push(Self::filter(bool_term(f.open, true)));
        let today = days_of(kith_proto::time::CivilDate::today_here());
        clauses.push(Self::filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f.closes_on, today)),
            Bound::Unbounded,
        ))));
        if let Some(family) = s.family {
            clauses.push(Self::filter(Self::term(f.family, family)));
        }
        if let Some(kind) = &s.kind {
            clauses.push(Self::filter(Self::term(f.kind, kind)));
        }
        if let Some(sector) = &s.sector {
            clauses.push(Self::filter(Self::term(f.sector, sector)));
        }
        if s.paid_only {
            clauses.push(Self::filter(bool_term(f.paid, true)));
        }
        for w in s.area.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            clauses.push(Self::filter(Self::term(f.area, &w.to_lowercase())));
        }
        if let Some(tag) = &s.for_tag {
            let either: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, Self::term(f.for_tags, tag)), (Occur::Should, bool_term(f.for_anyone, true))];
            clauses.push(Self::filter(Box::new(BooleanQuery::new(either))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let hits: Vec<DocAddress> = if words.is_empty() {
            let top = TopDocs::with_limit(PAGE).order_by_fast_field::<i64>("created", Order::Desc);
            searcher.search(&query, &top)?.into_iter().map(|(_, a)| a).collect()
        } else {
            let top = TopDocs::with_limit(PAGE).order_by_score();
            searcher.search(&query, &top)?.into_iter().map(|(_, a)| a).collect()
        };
        let mut ids = Vec::with_capacity(hits.len());
        for a in hits {
            let rows = searcher.segment_reader(a.segment_ord).fast_fields().u64("row")?;
            let row = rows.first(a.doc_id).context("a document without a row")?;
            ids.push(self.ids[row as usize].clone());
        }
        Ok(ids)
    }
}
