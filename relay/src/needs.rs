//! What is missing, said by the people who looked: searches on the board and the
//! helpline screen that found nothing, and the words people give when asked "What
//! were you looking for?", counted so that the region can publish them (`/needs`,
//! `kith region needs`, the printed directory) without telling on anyone.
//!
//! A need is recorded as cells of (ISO week, area, kind asked for) and (ISO week,
//! area, term): the area is a postcode district or a town the region knows (what a
//! person typed is never kept), the terms are the query's folded words (no digits,
//! at most [`MAX_TERMS`]), the time no finer than the week. No address, no cookie.
//!
//! People, not searches: a cell counts a client (an IPv6 client by its /64) once a
//! day, through a keyed hash of its address whose key is made at random each day and
//! kept only in memory; what is stored is a hash of that and the cell, so the day's
//! set cannot be linked to an address, nor to the next day's. (A relay restarted
//! during a day makes a new key: a person may then be counted twice that day.)
//!
//! Published only above [`THRESHOLD`] distinct people per cell. The kinds of each
//! week form a table of areas × kinds with totals of each area and each kind; a
//! line with a single hidden cell gets a second one hidden (the smallest shown),
//! until no hidden cell can be worked out from a total ([`suppress`]). Terms are
//! published cell by cell, with no totals, and a hidden term is not named at all.
//!
//! From the view, which is public: for each area and each group a safe house is for,
//! the hours of each week when no house for them there had a bed free (or said how
//! many it had), sampled every minute.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::Mutex;

use kith_proto::domain::{ForTag, UnmetWork};
use kith_proto::time::CivilDate;

use crate::store::{Store, StoreError};

/// Fewer distinct people than this in a cell, and the cell is not published.
pub const THRESHOLD: u32 = 10;
/// Terms recorded from one query, at most.
pub const MAX_TERMS: usize = 5;
/// Weeks published, the current one included.
pub const WEEKS: usize = 8;

/// What one person asked for and did not find.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// The kind asked for: `work`, `work: paid-job`, `service: food`, `safe place:
    /// women`, `anything`.
    pub kind: String,
    /// A postcode district or a town the region knows, or `anywhere`.
    pub area: String,
    pub terms: Vec<String>,
}

/// The folded words of a query worth counting: letters only, 3 to 24 of them, at
/// most [`MAX_TERMS`], each once, in order.
pub fn terms(query: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    kith_text::words(query)
        .filter(|w| (3..=24).contains(&w.chars().count()) && w.chars().all(char::is_alphabetic))
        .filter(|w| seen.insert(w.clone()))
        .take(MAX_TERMS)
        .collect()
}

/// The ISO week of a day: `2026-W49`.
pub fn week(day: CivilDate) -> String {
    day.iso_week()
}

/// A cell's key in the store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cell {
    pub week: String,
    pub area: String,
    /// 0: a kind; 1: a term; 2: a group with no bed free (minutes).
    pub dim: u8,
    pub value: String,
}

const KIND: u8 = 0;
const TERM: u8 = 1;
const NO_BED: u8 = 2;

/// Recording needs; one per relay.
pub struct Needs {
    store: Store,
    /// Today's key for clients' hashes: made at random, never stored.
    key: Mutex<(CivilDate, [u8; 32])>,
}

impl Needs {
    pub fn new(store: Store) -> Needs {
        Needs { store, key: Mutex::new((CivilDate { year: 1970, month: 1, day: 1 }, [0; 32])) }
    }

    /// Today's key, made anew (and yesterday's hashes dropped) when the day changed.
    fn key(&self, today: CivilDate) -> Result<[u8; 32], StoreError> {
        let mut key = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if key.0 != today {
            *key = (today, rand::random());
            self.store.clear_needs_seen()?;
        }
        Ok(key.1)
    }

    /// Counts `asked` for `client` on `today`, once a day per cell.
    pub fn record(&self, client: Option<IpAddr>, today: CivilDate, asked: &Asked) -> Result<(), StoreError> {
        let key = self.key(today)?;
        let client = client.map(crate::throttle::key);
        let who = match client {
            Some(IpAddr::V4(a)) => a.octets().to_vec(),
            Some(IpAddr::V6(a)) => a.octets().to_vec(),
            None => Vec::new(),
        };
        let week = week(today);
        let cells = std::iter::once((KIND, asked.kind.clone())).chain(asked.terms.iter().map(|t| (TERM, t.clone())));
        for (dim, value) in cells {
            let cell = Cell { week: week.clone(), area: asked.area.clone(), dim, value };
            let cell = postcard::to_stdvec(&cell).expect("a cell encodes");
            let mut h = Sha256::new();
            h.update(key);
            h.update(&who);
            h.update(&cell);
            let seen: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
            if self.store.first_need_today(seen)? {
                self.store.add_to_need(&cell, 1)?;
            }
        }
        Ok(())
    }

    /// Adds `minutes` with no bed free for `group` in `area`.
    pub fn no_bed(&self, today: CivilDate, area: &str, group: &str, minutes: u32) -> Result<(), StoreError> {
        let cell = Cell { week: week(today), area: area.to_owned(), dim: NO_BED, value: group.to_owned() };
        self.store.add_to_need(&postcard::to_stdvec(&cell).expect("a cell encodes"), minutes)
    }

    /// What may be published of the last [`WEEKS`] weeks up to `today`, with the
    /// work the hubs' pools could not take (`unmet`, from their profiles).
    pub fn report(&self, today: CivilDate, unmet: &[UnmetWork]) -> Result<Report, StoreError> {
        let mut weeks: Vec<String> = (0..WEEKS as i64)
            .filter_map(|n| today.to_jiff().checked_sub(jiff::Span::new().weeks(n)).ok())
            .map(|d| week(CivilDate::from(d)))
            .collect();
        weeks.dedup();
        let mut by_week: BTreeMap<String, Vec<(Cell, u32)>> = BTreeMap::new();
        for (bytes, count) in self.store.need_cells()? {
            let Ok(cell) = postcard::from_bytes::<Cell>(&bytes) else { continue };
            if weeks.contains(&cell.week) {
                by_week.entry(cell.week.clone()).or_default().push((cell, count));
            }
        }
        let weeks = weeks
            .into_iter()
            .map(|w| {
                let cells = by_week.remove(&w).unwrap_or_default();
                let mut report = WeekReport::of(w, cells);
                report.unmet_work = unmet_of(&report.week, unmet);
                report
            })
            .collect();
        Ok(Report { threshold: THRESHOLD, weeks })
    }
}

/// What is published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Cells of fewer people than this are not shown.
    pub threshold: u32,
    /// Newest first.
    pub weeks: Vec<WeekReport>,
}

impl Report {
    /// As the query API and the printed directory carry it.
    pub fn to_v1(&self) -> kith_proto::v1::Needs {
        use kith_proto::v1;
        let figures = |shown: &[Shown]| -> Vec<v1::NeedFigure> {
            shown
                .iter()
                .map(|s| v1::NeedFigure { area: s.area.clone(), what: s.what.clone(), people: s.people })
                .collect()
        };
        v1::Needs {
            threshold: self.threshold,
            weeks: self
                .weeks
                .iter()
                .map(|w| v1::NeedWeek {
                    week: w.week.clone(),
                    kinds: figures(&w.kinds),
                    area_totals: figures(&w.area_totals),
                    kind_totals: figures(&w.kind_totals),
                    terms: figures(&w.terms),
                    no_bed: w
                        .no_bed
                        .iter()
                        .map(|b| v1::NoBedHours { area: b.area.clone(), group: b.group.clone(), hours: b.hours })
                        .collect(),
                    unmet_work: w
                        .unmet_work
                        .iter()
                        .map(|u| v1::UnmetJobs { work: u.work.clone(), reason: u.reason.clone(), jobs: u.jobs })
                        .collect(),
                })
                .collect(),
            licence: crate::board::needs::LICENCE.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeekReport {
    pub week: String,
    /// Areas × kinds: `people` is `None` where it is hidden.
    pub kinds: Vec<Shown>,
    /// People per area (every kind), where shown.
    pub area_totals: Vec<Shown>,
    /// People per kind (every area), where shown.
    pub kind_totals: Vec<Shown>,
    /// Terms of at least [`THRESHOLD`] people; the others are not named.
    pub terms: Vec<Shown>,
    /// Hours with no bed free, per area and group.
    pub no_bed: Vec<NoBed>,
    /// Jobs the hubs' pools could not take, per kind of work and reason.
    pub unmet_work: Vec<Unmet>,
}

/// Jobs booked with the region's pools that none could take, in one week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmet {
    /// The skills the jobs needed, or `any work`.
    pub work: String,
    pub reason: String,
    pub jobs: u32,
}

/// The region's unmet work of `week`: every hub's, summed by work and reason, most
/// jobs first. Jobs are bookings an organisation or a person made, not people
/// searching: counted whole, with no threshold.
fn unmet_of(week: &str, unmet: &[UnmetWork]) -> Vec<Unmet> {
    let mut sum: BTreeMap<(String, String), u32> = BTreeMap::new();
    for u in unmet.iter().filter(|u| u.week == week) {
        *sum.entry((u.work.clone(), u.reason.clone())).or_default() += u.jobs;
    }
    let mut out: Vec<Unmet> = sum.into_iter().map(|((work, reason), jobs)| Unmet { work, reason, jobs }).collect();
    out.sort_by(|a, b| b.jobs.cmp(&a.jobs).then_with(|| a.work.cmp(&b.work)));
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Empty for a kind's total.
    pub area: String,
    /// The kind or the term; empty for an area's total.
    pub what: String,
    pub people: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoBed {
    pub area: String,
    pub group: String,
    pub hours: f64,
}

impl WeekReport {
    fn of(week: String, cells: Vec<(Cell, u32)>) -> WeekReport {
        let mut kinds = BTreeMap::new();
        let mut terms = Vec::new();
        let mut no_bed = Vec::new();
        for (cell, count) in cells {
            match cell.dim {
                KIND => {
                    kinds.insert((cell.area, cell.value), count);
                }
                TERM if count >= THRESHOLD => {
                    terms.push(Shown { area: cell.area, what: cell.value, people: Some(count) })
                }
                NO_BED => no_bed.push(NoBed {
                    area: cell.area,
                    group: cell.value,
                    hours: (f64::from(count) / 6.0).round() / 10.0,
                }),
                _ => {}
            }
        }
        terms.sort_by(|a, b| b.people.cmp(&a.people).then(a.area.cmp(&b.area)).then(a.what.cmp(&b.what)));
        let table = suppress(&kinds);
        WeekReport {
            week,
            kinds: table.cells,
            area_totals: table.rows,
            kind_totals: table.columns,
            terms,
            no_bed,
            unmet_work: Vec::new(),
        }
    }
}

/// A table as published: its cells, the totals of its rows and columns.
#[derive(Debug, PartialEq)]
pub struct Suppressed {
    pub cells: Vec<Shown>,
    pub rows: Vec<Shown>,
    pub columns: Vec<Shown>,
}

/// One row or column of a table: its cells, whether its total is shown, whether it
/// is a row, and its name.
type Line = (Vec<(String, String)>, bool, bool, String);

/// Hides what cannot be published of a table of (row, column) → people: every cell
/// and total below [`THRESHOLD`] (primary), then, while a row or a column whose
/// total is shown has exactly one hidden cell, the smallest other cell shown in it
/// (secondary), so that no hidden cell is its total minus the cells shown. A row
/// or column with one cell only is hidden whole.
pub fn suppress(table: &BTreeMap<(String, String), u32>) -> Suppressed {
    let mut hidden: BTreeSet<(String, String)> =
        table.iter().filter(|(_, n)| **n < THRESHOLD).map(|(k, _)| k.clone()).collect();
    let mut rows: BTreeMap<String, u32> = BTreeMap::new();
    let mut columns: BTreeMap<String, u32> = BTreeMap::new();
    for ((r, c), n) in table {
        *rows.entry(r.clone()).or_default() += n;
        *columns.entry(c.clone()).or_default() += n;
    }
    let mut hidden_rows: BTreeSet<String> =
        rows.iter().filter(|(_, n)| **n < THRESHOLD).map(|(r, _)| r.clone()).collect();
    let mut hidden_columns: BTreeSet<String> =
        columns.iter().filter(|(_, n)| **n < THRESHOLD).map(|(c, _)| c.clone()).collect();
    loop {
        let mut changed = false;
        // Each line: its cells, and whether its total is shown.
        let lines: Vec<Line> = rows
            .keys()
            .map(|r| {
                (table.keys().filter(|(x, _)| x == r).cloned().collect(), !hidden_rows.contains(r), true, r.clone())
            })
            .chain(columns.keys().map(|c| {
                (table.keys().filter(|(_, y)| y == c).cloned().collect(), !hidden_columns.contains(c), false, c.clone())
            }))
            .collect();
        for (cells, total_shown, is_row, name) in lines {
            if !total_shown {
                continue;
            }
            let hidden_here = cells.iter().filter(|k| hidden.contains(*k)).count();
            if hidden_here != 1 {
                continue;
            }
            let smallest_shown =
                cells.iter().filter(|k| !hidden.contains(*k)).min_by_key(|k| (table[*k], (*k).clone()));
            match smallest_shown {
                Some(k) => {
                    hidden.insert(k.clone());
                }
                // The line's only cell is hidden: its total would give it away.
                None if is_row => {
                    hidden_rows.insert(name);
                }
                None => {
                    hidden_columns.insert(name);
                }
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
    let shown = |n: u32, hide: bool| (!hide).then_some(n);
    Suppressed {
        cells: table
            .iter()
            .map(|((r, c), &n)| Shown {
                area: r.clone(),
                what: c.clone(),
                people: shown(n, hidden.contains(&(r.clone(), c.clone()))),
            })
            .collect(),
        rows: rows
            .iter()
            .map(|(r, &n)| Shown { area: r.clone(), what: String::new(), people: shown(n, hidden_rows.contains(r)) })
            .collect(),
        columns: columns
            .iter()
            .map(|(c, &n)| Shown { area: String::new(), what: c.clone(), people: shown(n, hidden_columns.contains(c)) })
            .collect(),
    }
}

/// The groups a safe house is counted for: each it says it is for, or `anyone`.
pub fn groups(for_tags: &[ForTag]) -> Vec<String> {
    if for_tags.is_empty() {
        return vec!["anyone".to_owned()];
    }
    for_tags.iter().map(|t| t.as_str().to_owned()).collect()
}

/// How often the safe houses are looked at for beds free.
const SAMPLE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Every minute until `stop`: for each area (a house's postcode district, else its
/// area as it gives it) and each group its houses are for, whether any house there
/// for them has a bed free now by a report that is not stale; a minute with none is
/// added to that week's hours.
pub(crate) async fn sample_beds(
    shared: crate::Shared,
    needs: std::sync::Arc<Needs>,
    clock: crate::clock::RegionClock,
    mut stop: kith_daemon::Stop,
) {
    let mut every = tokio::time::interval(SAMPLE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    every.tick().await;
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = kith_daemon::stopped(&mut stop) => return,
        }
        let now = kith_proto::time::now_ms();
        let free = {
            let view = shared.view();
            beds_free(&view, now)
        };
        let today = clock.today();
        for ((area, group), any_free) in free {
            if !any_free && let Err(e) = needs.no_bed(today, &area, &group, 1) {
                tracing::warn!(error = %e, "hours with no bed free cannot be counted");
            }
        }
    }
}

/// For each (area, group): whether a house there for that group has a bed free.
pub fn beds_free(view: &crate::view::View, now_ms: i64) -> BTreeMap<(String, String), bool> {
    let mut free: BTreeMap<(String, String), bool> = BTreeMap::new();
    let mut query = crate::view::SafeHouseQuery { page_size: 1000, ..Default::default() };
    while let Ok(page) = view.list_safe_houses(&query, now_ms) {
        for hit in &page.items {
            let area = match &hit.place {
                Some(p) => p.district.clone(),
                None => hit.item.area.clone(),
            };
            let has_bed = hit.item.availability.and_then(|a| a.beds_free_at(now_ms)).is_some_and(|n| n > 0);
            for group in groups(&hit.item.for_tags) {
                *free.entry((area.clone(), group)).or_default() |= has_bed;
            }
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    free
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cells: &[(&str, &str, u32)]) -> BTreeMap<(String, String), u32> {
        cells.iter().map(|(r, c, n)| ((r.to_string(), c.to_string()), *n)).collect()
    }

    fn people(s: &Suppressed, r: &str, c: &str) -> Option<u32> {
        s.cells.iter().find(|x| x.area == r && x.what == c).and_then(|x| x.people)
    }

    #[test]
    fn cells_under_the_threshold_are_hidden_and_cannot_be_worked_out_from_totals() {
        // In LS6, 3 people looked for training: hidden. With LS6's total shown, the
        // total less food and work would give the 3: so LS6's work (the smallest
        // other) is hidden too; then the training and work columns each had one
        // hidden cell, and so on until every line shown has none or two or more.
        let t = table(&[
            ("LS6", "food", 40),
            ("LS6", "work", 12),
            ("LS6", "training", 3),
            ("BD1", "food", 30),
            ("BD1", "work", 25),
            ("BD1", "training", 20),
            ("WF1", "food", 50),
            ("WF1", "work", 30),
            ("WF1", "training", 15),
        ]);
        let s = suppress(&t);
        assert_eq!(people(&s, "LS6", "training"), None, "primary");
        assert_eq!(people(&s, "LS6", "work"), None, "secondary: the smallest other cell of its row");
        assert_eq!(people(&s, "WF1", "training"), None, "secondary: of its column");
        for area in ["LS6", "BD1", "WF1"] {
            assert!(people(&s, area, "food").is_some(), "{area}'s food stays shown");
        }
        for line in s.rows.iter().filter(|r| r.people.is_some()) {
            let hidden = s.cells.iter().filter(|c| c.area == line.area && c.people.is_none()).count();
            assert_ne!(hidden, 1, "row {}", line.area);
        }
        for line in s.columns.iter().filter(|c| c.people.is_some()) {
            let hidden = s.cells.iter().filter(|c| c.what == line.what && c.people.is_none()).count();
            assert_ne!(hidden, 1, "column {}", line.what);
        }
        // A line of one small cell hides its total with it.
        let s = suppress(&table(&[("LS6", "food", 40), ("LS6", "safe place", 3)]));
        assert_eq!(s.columns.iter().find(|c| c.what == "safe place").unwrap().people, None);
        assert_eq!(people(&s, "LS6", "food"), None, "else LS6's total less food gives it");
    }

    #[test]
    fn nine_people_publish_nothing_and_ten_publish_the_cell() {
        let s = suppress(&table(&[("LS6", "food", 9)]));
        assert_eq!(people(&s, "LS6", "food"), None);
        assert!(s.rows.iter().chain(&s.columns).all(|t| t.people.is_none()));
        let s = suppress(&table(&[("LS6", "food", 10)]));
        assert_eq!(people(&s, "LS6", "food"), Some(10));
    }

    #[test]
    fn terms_are_words_only() {
        assert_eq!(
            terms("Allotment near LS6 1AB, call 07700900123 allotment gardening!"),
            ["allotment", "near", "call", "gardening"]
        );
        assert_eq!(terms("a an 12 x"), Vec::<String>::new());
    }

    #[test]
    fn weeks_are_iso_weeks() {
        assert_eq!(week(CivilDate { year: 2026, month: 12, day: 6 }), "2026-W49");
        assert_eq!(week(CivilDate { year: 2027, month: 1, day: 1 }), "2026-W53");
    }
}
