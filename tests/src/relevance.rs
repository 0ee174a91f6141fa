//! The relevance test set: realistic listings of a region, the queries people type,
//! and what must come first for each. The suite checks it (`tests/relevance.rs`) and
//! `kith-bench query` prints its recall@10 and MRR beside PostgreSQL's.
//!
//! The data is `tests/relevance/listings.toml` and `queries.toml`. Listings are
//! given oldest first; each gets an id whose time follows its place in the file,
//! so "newest first" among ties is "later in the file first".
//!
//! A query passes when its first results are exactly its `first` ids (in any
//! order), every `also` id is in the top ten, and no `not` id is returned at all.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use ulid::Ulid;

use kith_proto::domain::{ForTag, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, SafeHouse, Sector};
use kith_proto::envelope::{open, seal};
use kith_proto::event::Event;
use kith_proto::time::CivilDate;
use kith_proto::{Slug, v1};
use kith_relay::view::{Outcome, View};

/// Where the data is.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("relevance")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listings {
    #[serde(default)]
    pub opportunity: Vec<OpportunityEntry>,
    #[serde(default)]
    pub safehouse: Vec<SafeHouseEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunityEntry {
    pub key: String,
    pub title: String,
    pub kind: String,
    pub sector: String,
    #[serde(default)]
    pub description: String,
    pub area: String,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub support: Vec<String>,
    /// `12.21/hour`; absent for unpaid.
    pub pay: Option<String>,
    #[serde(default)]
    pub remote: bool,
    pub hours_per_week: Option<f32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeHouseEntry {
    pub key: String,
    pub name: String,
    pub area: String,
    #[serde(default)]
    pub for_tags: Vec<String>,
    pub beds_total: u16,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Opportunity,
    Safehouse,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub q: String,
    pub family: Family,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub for_tag: String,
    pub first: Vec<String>,
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub not: Vec<String>,
    #[serde(default)]
    pub why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Queries {
    query: Vec<Query>,
}

/// The test set, with each listing as the domain value a hub would publish.
#[derive(Debug)]
pub struct TestSet {
    pub opportunities: Vec<(String, Opportunity)>,
    pub safe_houses: Vec<(String, SafeHouse)>,
    pub queries: Vec<Query>,
}

/// The id of the `i`-th listing of the file: a minute apart, in file order.
fn id(i: usize) -> Ulid {
    Ulid::from_parts(1_790_000_000_000 + i as u64 * 60_000, i as u128)
}

fn pay(text: &str) -> anyhow::Result<Pay> {
    let (pounds, per) = text.split_once('/').with_context(|| format!("pay {text:?}: expected POUNDS/UNIT"))?;
    let pence = (pounds.trim().parse::<f64>().with_context(|| format!("pay {text:?}"))? * 100.0).round() as i64;
    Ok(Pay::paid(pence, PayPer::parse("pay.per", per)?.as_str())?)
}

impl TestSet {
    pub fn load(dir: &Path) -> anyhow::Result<TestSet> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))
        };
        let listings: Listings = toml::from_str(&read("listings.toml")?).context("listings.toml")?;
        let queries: Queries = toml::from_str(&read("queries.toml")?).context("queries.toml")?;
        let mut i = 0;
        let mut opportunities = Vec::new();
        for e in listings.opportunity {
            i += 1;
            let o = Opportunity {
                id: id(i),
                title: e.title,
                kind: OpportunityKind::parse("kind", &e.kind)?,
                sector: Sector::parse("sector", &e.sector)?,
                description: e.description,
                area: e.area,
                remote: e.remote,
                hours_per_week: e.hours_per_week,
                pay: e.pay.as_deref().map(pay).transpose()?.unwrap_or(Pay::Unpaid),
                expenses_paid: false,
                skills: e.skills,
                support: e.support,
                lived_experience_required: false,
                how_to_apply: "Ring the hub".into(),
                closes_on: None,
                status: OpportunityStatus::Open,
            };
            let o = o.validate().with_context(|| format!("opportunity {}", e.key))?;
            opportunities.push((e.key, o));
        }
        let mut safe_houses = Vec::new();
        for e in listings.safehouse {
            i += 1;
            let for_tags = e.for_tags.iter().map(|t| ForTag::parse("for_tags", t)).collect::<Result<_, _>>()?;
            let s = SafeHouse {
                id: id(i),
                name: e.name,
                area: e.area,
                for_tags,
                beds_total: e.beds_total,
                wheelchair_access: false,
                self_referral: true,
                longest_stay_nights: None,
                phone: "0113 496 0000".into(),
                description: e.description,
                availability: None,
            };
            let s = s.validate().with_context(|| format!("safe house {}", e.key))?;
            safe_houses.push((e.key, s));
        }
        let set = TestSet { opportunities, safe_houses, queries: queries.query };
        set.check_keys()?;
        Ok(set)
    }

    fn check_keys(&self) -> anyhow::Result<()> {
        let opps: HashSet<&str> = self.opportunities.iter().map(|(k, _)| k.as_str()).collect();
        let houses: HashSet<&str> = self.safe_houses.iter().map(|(k, _)| k.as_str()).collect();
        for q in &self.queries {
            let keys = if q.family == Family::Opportunity { &opps } else { &houses };
            for k in q.first.iter().chain(&q.also).chain(&q.not) {
                if !keys.contains(k.as_str()) {
                    bail!("query {:?} names {k:?}, which is not a listing of its family", q.q);
                }
            }
            if q.first.is_empty() {
                bail!("query {:?} has no `first`", q.q);
            }
        }
        Ok(())
    }

    /// Listing keys by id, for reading results.
    pub fn keys_by_id(&self) -> HashMap<String, String> {
        let opps = self.opportunities.iter().map(|(k, o)| (o.id.to_string(), k.clone()));
        let houses = self.safe_houses.iter().map(|(k, s)| (s.id.to_string(), k.clone()));
        opps.chain(houses).collect()
    }
}

/// How one engine did on the test set.
#[derive(Debug, Default)]
pub struct Report {
    /// Mean over queries of the share of `first` and `also` ids in the top ten.
    pub recall_at_10: f64,
    /// Mean over queries of 1 / the rank of the first `first` or `also` id.
    pub mrr: f64,
    pub queries: usize,
    /// One line for each query that did not pass.
    pub failures: Vec<String>,
}

/// Runs every query through `search` (which returns listing keys, best first).
pub fn evaluate(
    set: &TestSet,
    mut search: impl FnMut(&Query) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<Report> {
    let mut report = Report { queries: set.queries.len(), ..Default::default() };
    for q in &set.queries {
        let got = search(q).with_context(|| format!("query {:?}", q.q))?;
        let relevant: HashSet<&str> = q.first.iter().chain(&q.also).map(String::as_str).collect();
        let top: Vec<&str> = got.iter().take(10).map(String::as_str).collect();
        report.recall_at_10 += top.iter().filter(|k| relevant.contains(*k)).count() as f64 / relevant.len() as f64;
        if let Some(rank) = got.iter().position(|k| relevant.contains(k.as_str())) {
            report.mrr += 1.0 / (rank + 1) as f64;
        }
        let head: HashSet<&str> = got.iter().take(q.first.len()).map(String::as_str).collect();
        let want: HashSet<&str> = q.first.iter().map(String::as_str).collect();
        let mut problems = Vec::new();
        if head != want {
            problems.push(format!("first {:?}", q.first));
        }
        let missing: Vec<&String> = q.also.iter().filter(|k| !top.contains(&k.as_str())).collect();
        if !missing.is_empty() {
            problems.push(format!("also {missing:?} in the top ten"));
        }
        let unwanted: Vec<&String> = q.not.iter().filter(|k| got.contains(k)).collect();
        if !unwanted.is_empty() {
            problems.push(format!("not {unwanted:?}"));
        }
        if !problems.is_empty() {
            let shown: Vec<&str> = got.iter().take(8).map(String::as_str).collect();
            report.failures.push(format!(
                "{:?} (area {:?}, kind {:?}, for {:?}) wanted {}; got {shown:?}{} — {}",
                q.q,
                q.area,
                q.kind,
                q.for_tag,
                problems.join(", "),
                if got.len() > 8 { " …" } else { "" },
                q.why
            ));
        }
    }
    let n = set.queries.len().max(1) as f64;
    report.recall_at_10 /= n;
    report.mrr /= n;
    Ok(report)
}

/// A relay's view holding the whole test set, published by one hub.
pub fn view(set: &TestSet) -> anyhow::Result<View> {
    let region = Slug::parse("region", "west-yorkshire")?;
    let hub = Slug::parse("hub", "relevance")?;
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let profile = Event::Profile(kith_proto::domain::HubProfile {
        name: "Relevance test hub".into(),
        description: String::new(),
        contact: String::new(),
        helpline_hours: String::new(),
        signing_key: key.verifying_key().to_bytes(),
        box_key: [1; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    });
    let events = std::iter::once(profile)
        .chain(set.opportunities.iter().map(|(_, o)| Event::OpportunityPublished(o.clone())))
        .chain(set.safe_houses.iter().map(|(_, s)| Event::SafeHousePublished(s.clone())));
    let mut view = View::new(CivilDate::today_here());
    for (seq, event) in (1..).zip(events) {
        let sealed = seal(&region, &hub, seq, 1_790_000_000_000, &event, &key)?;
        let opened = open(&sealed.bytes, &sealed.subject.to_string(), Some(&key.verifying_key()))?;
        if !matches!(view.apply(&opened), Outcome::Applied(_)) {
            bail!("event {seq} of the test set was not applied");
        }
    }
    Ok(view)
}

/// Runs a query of the set against a view, as the gRPC API would.
pub fn search_view(view: &View, keys: &HashMap<String, String>, q: &Query) -> anyhow::Result<Vec<String>> {
    let key_of = |id: &String| keys.get(id).cloned().with_context(|| format!("unknown id {id}"));
    match q.family {
        Family::Opportunity => {
            let request = v1::SearchOpportunitiesRequest {
                query: q.q.clone(),
                area: q.area.clone(),
                kind: q.kind.clone(),
                page_size: 50,
                ..Default::default()
            };
            let query = kith_relay::query::opportunity_query(&request, view.places())
                .map_err(|s| anyhow::anyhow!("{}", s.message()))?;
            let page =
                view.search_opportunities(&query, CivilDate::today_here()).map_err(|_| anyhow::anyhow!("timed out"))?;
            page.items.iter().map(|o| key_of(&o.item.id.to_string())).collect()
        }
        Family::Safehouse => {
            let request = v1::ListSafeHousesRequest {
                query: q.q.clone(),
                area: q.area.clone(),
                for_tag: q.for_tag.clone(),
                page_size: 50,
                ..Default::default()
            };
            let query = kith_relay::query::safe_house_query(&request, view.places())
                .map_err(|s| anyhow::anyhow!("{}", s.message()))?;
            let page =
                view.list_safe_houses(&query, kith_proto::time::now_ms()).map_err(|_| anyhow::anyhow!("timed out"))?;
            page.items.iter().map(|s| key_of(&s.item.id.to_string())).collect()
        }
    }
}
