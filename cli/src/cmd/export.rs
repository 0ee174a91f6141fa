//! `kith region export`: the region as files other tools read.
//!
//! - `--format hsds`: an Open Referral HSDS 3 tabular data package — one CSV per
//!   table of HSDS's `datapackage.json` (which is written beside them), every
//!   organization, service, safe house (as a service with an area), offer (as a
//!   service with its areas and its rate as a cost option), location, address,
//!   phone, schedule, service area, language, cost option, attribute and taxonomy
//!   term.
//!   Tables Kith has nothing for are written with their header only, so that the
//!   package is whole and its foreign keys can be checked.
//! - `--format jobposting`: the open opportunities as schema.org `JobPosting`
//!   JSON-LD (`jobpostings.jsonld`, one `@graph`).
//!
//! Everything is read from the relay's gRPC API, page by page.

use anyhow::Context;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::Path;

use super::family::pages;
use crate::connect::{self, Region};
use kith_opendata::hsds;
use kith_opendata::jobposting::{self, Publisher};
use kith_proto::{Slug, convert, v1};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Open Referral HSDS 3: CSV tables and datapackage.json.
    Hsds,
    /// schema.org JobPosting JSON-LD of the open opportunities.
    Jobposting,
}

/// What was written, for the summary line and `--json`.
#[derive(Debug, Default, serde::Serialize)]
pub struct Written {
    pub dir: String,
    pub files: Vec<String>,
    /// Rows per table (hsds) or postings (jobposting).
    pub counts: BTreeMap<String, usize>,
}

pub async fn export(region: &mut Region, format: Format, out: &Path) -> anyhow::Result<Written> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let hubs = region.client.list_hubs(v1::ListHubsRequest {}).await.map_err(|s| region.error(s))?.into_inner();
    let slug = Slug::parse("region", &hubs.region).context("the relay names no region: upgrade it")?;
    match format {
        Format::Hsds => hsds_package(region, &slug, &hubs.items, out).await,
        Format::Jobposting => job_postings(region, &hubs.items, out).await,
    }
}

async fn hsds_package(region: &mut Region, slug: &Slug, hubs: &[v1::Hub], out: &Path) -> anyhow::Result<Written> {
    let request = v1::SearchServicesRequest {
        include_inactive: true,
        page_size: 500,
        sort: "newest".into(),
        ..Default::default()
    };
    let services = pages::<v1::Service>(region, request, usize::MAX).await?.0;
    let request = v1::ListSafeHousesRequest { page_size: 500, sort: "newest".into(), ..Default::default() };
    let houses = pages::<v1::SafeHouse>(region, request, usize::MAX).await?.0;
    let request = v1::SearchOffersRequest { page_size: 500, sort: "newest".into(), ..Default::default() };
    let offers = pages::<v1::Offer>(region, request, usize::MAX).await?.0;

    let mut tables = Tables::new()?;
    for h in hubs {
        let hub = Slug::parse("hub", &h.id)?;
        tables.add("organization", hsds::organization(slug, &hub, &h.name, &h.description, &h.contact));
    }
    let mut full = Vec::new();
    for s in &services {
        let hub = Slug::parse("hub", &s.hub)?;
        let item = convert::service_from_v1(s).with_context(|| format!("service {} of {}", s.id, s.hub))?;
        full.push(hsds::service(slug, &hub, item.id, &item, s.updated_at_ms));
    }
    for s in &houses {
        let hub = Slug::parse("hub", &s.hub)?;
        let (house, free) =
            convert::safehouse_from_v1(s).with_context(|| format!("safe house {} of {}", s.id, s.hub))?;
        full.push(hsds::safe_house(slug, &hub, house.id, &house, free, s.updated_at_ms));
    }
    for o in &offers {
        let hub = Slug::parse("hub", &o.hub)?;
        let item = kith_proto::offer::offer_from_v1(o).with_context(|| format!("offer {} of {}", o.id, o.hub))?;
        full.push(hsds::offer(slug, &hub, item.id, &item, o.updated_at_ms));
    }
    for service in full {
        tables.add_service(service);
    }
    tables.add("taxonomy", hsds::taxonomy());
    for term in hsds::taxonomy_terms() {
        tables.add("taxonomy_term", term);
    }
    tables.write(out)
}

/// HSDS's tables, their columns in the data package's order, and their rows.
struct Tables {
    package: Value,
    rows: BTreeMap<String, Vec<Map<String, Value>>>,
}

impl Tables {
    fn new() -> anyhow::Result<Tables> {
        Ok(Tables { package: serde_json::from_str(hsds::DATAPACKAGE)?, rows: BTreeMap::new() })
    }

    /// Adds an object's one-to-one fields as a row of `table`.
    fn add(&mut self, table: &str, object: Value) {
        let Value::Object(map) = object else { return };
        let row = map.into_iter().filter(|(_, v)| !v.is_array() && !v.is_object()).collect();
        self.rows.entry(table.to_owned()).or_default().push(row);
    }

    /// A fully nested service: the service, then each of its related rows in its table.
    fn add_service(&mut self, service: Value) {
        let sid = service["id"].clone();
        let org = service["organization_id"].clone();
        for (key, table) in [
            ("phones", "phone"),
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("cost_options", "cost_option"),
        ] {
            for mut row in service[key].as_array().cloned().unwrap_or_default() {
                row["service_id"] = sid.clone();
                self.add(table, row);
            }
        }
        for attribute in service["attributes"].as_array().cloned().unwrap_or_default() {
            self.add("attribute", attribute);
        }
        for sal in service["service_at_locations"].as_array().cloned().unwrap_or_default() {
            let mut location = sal["location"].clone();
            for address in location["addresses"].as_array().cloned().unwrap_or_default() {
                self.add("address", address);
            }
            location["organization_id"] = org.clone();
            self.add("location", location);
            self.add("service_at_location", sal);
        }
        self.add("service", service);
    }

    /// Every table of the package as CSV, and the package itself.
    fn write(self, out: &Path) -> anyhow::Result<Written> {
        let mut written = Written { dir: out.display().to_string(), ..Default::default() };
        let resources = self.package["resources"].as_array().context("the data package lists no resources")?;
        for resource in resources {
            let (name, path) =
                (resource["name"].as_str().unwrap_or_default(), resource["path"].as_str().unwrap_or_default());
            let columns: Vec<&str> = resource["schema"]["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["name"].as_str())
                .collect();
            let file = out.join(path);
            let mut csv = csv::Writer::from_path(&file).with_context(|| format!("cannot write {}", file.display()))?;
            csv.write_record(&columns)?;
            let rows = self.rows.get(name).map(Vec::as_slice).unwrap_or_default();
            for row in rows {
                csv.write_record(columns.iter().map(|c| cell(row.get(*c))))?;
            }
            csv.flush()?;
            written.files.push(path.to_owned());
            written.counts.insert(name.to_owned(), rows.len());
        }
        let package = out.join("datapackage.json");
        std::fs::write(&package, hsds::DATAPACKAGE).with_context(|| format!("cannot write {}", package.display()))?;
        written.files.push("datapackage.json".into());
        Ok(written)
    }
}

/// A JSON value as a CSV cell: strings as they are, numbers and booleans as JSON writes them.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

async fn job_postings(region: &mut Region, hubs: &[v1::Hub], out: &Path) -> anyhow::Result<Written> {
    let request = v1::SearchOpportunitiesRequest { page_size: 500, sort: "newest".into(), ..Default::default() };
    let opportunities = pages::<v1::Opportunity>(region, request, usize::MAX).await?.0;
    let by_hub: BTreeMap<&str, &v1::Hub> = hubs.iter().map(|h| (h.id.as_str(), h)).collect();
    let mut graph = Vec::new();
    for o in &opportunities {
        let item = convert::opportunity_from_v1(o).with_context(|| format!("opportunity {} of {}", o.id, o.hub))?;
        let hub = by_hub.get(o.hub.as_str());
        let by = Publisher {
            name: hub.map_or(o.hub.as_str(), |h| h.name.as_str()),
            contact: hub.map_or("", |h| h.contact.as_str()),
        };
        let mut posting = jobposting::job_posting(&item, &by, None);
        if let Value::Object(map) = &mut posting {
            // One @context for the whole graph.
            map.remove("@context");
        }
        graph.push(posting);
    }
    let file = out.join("jobpostings.jsonld");
    let doc = json!({"@context": "https://schema.org", "@graph": graph});
    std::fs::write(&file, serde_json::to_vec_pretty(&doc)?)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(Written {
        dir: out.display().to_string(),
        files: vec!["jobpostings.jsonld".into()],
        counts: BTreeMap::from([("JobPosting".to_owned(), graph.len())]),
    })
}

/// Connects and exports; used by `kith region export`.
pub async fn run(relay: &str, format: Format, out: &Path) -> anyhow::Result<Written> {
    let mut region = connect::region(relay).await?;
    export(&mut region, format, out).await
}
