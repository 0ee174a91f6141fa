//! Reading services from Open Referral HSDS 3 files, for `kith service import`.
//!
//! Two inputs: HSDS JSON (one service, a list of them, or a page of the API with
//! `contents`), and HSDS's tabular data package (a directory of CSV files with its
//! `datapackage.json`). The CSV tables are first checked against the package's own
//! foreign keys (a row naming a row that does not exist is reported, not fatal),
//! then joined into the same nested shape as the JSON, so that one conversion reads
//! both.
//!
//! Every problem names where it is (`phones.csv:3`, `services.json: [2]`), the field
//! and the reason. A bad related row (a phone, an address, a schedule) is left out
//! and the service imported without it; a service whose own fields are bad is left
//! out whole. Nothing is written here: the command sends what was read.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use ulid::Ulid;

use kith_proto::domain::{self, Sector};
use kith_proto::service::{self as svc, Category, ClockTime, Place, Schedule, ServiceStatus, Weekday};
use kith_proto::time::CivilDate;
use kith_proto::{convert, v1, validate};

use crate::hsds;

/// Where a row came from, kept in the joined JSON for problem reports.
const AT: &str = "_kith_at";

/// Why an input could not be read at all. A bad row or a bad service is not an
/// error but a [`Problem`]: the rest is still read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{name} is not JSON")]
    NotJson {
        name: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{name}: expected a service, a list of services or a page with contents")]
    NotServices { name: String },
    #[error(
        "{path:?}: a table of the data package must be a file inside its directory (no absolute path, no \"..\", \
         no link out of it); nothing was read"
    )]
    OutsidePackage { path: String },
    #[error("{path}: no header row")]
    NoHeader {
        path: String,
        #[source]
        source: csv::Error,
    },
    #[error("{path}: not CSV")]
    NotCsv {
        path: String,
        #[source]
        source: csv::Error,
    },
    #[error("the data package lists no resources")]
    NoResources,
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Read { path: path.to_owned(), source }
}

/// One thing wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// `services.csv:2`, or `file.json: [0]`.
    pub at: String,
    pub field: String,
    pub reason: String,
}

/// A service read from the input, ready to be sent.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Its id in the input: what maps it to the same Kith service at every import.
    pub source_id: String,
    pub name: String,
    pub at: String,
    pub fields: v1::ServiceFields,
}

/// What the input does not say, given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    /// For services whose taxonomy terms and words match none of Kith's categories.
    pub category: Option<Category>,
    pub sector: Option<Sector>,
}

/// Reads `path`: an HSDS JSON file, a data package directory, or its `datapackage.json`.
pub fn read(path: &Path, defaults: &Defaults) -> Result<(Vec<Candidate>, Vec<Problem>), ImportError> {
    let mut problems = Vec::new();
    let services = if path.is_dir() || path.file_name().is_some_and(|n| n == "datapackage.json") {
        let dir = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
        read_package(dir, &mut problems)?
    } else {
        read_json(path)?
    };
    let candidates = services.iter().filter_map(|s| candidate(s, defaults, &mut problems)).collect();
    Ok((candidates, problems))
}

fn read_json(path: &Path) -> Result<Vec<Value>, ImportError> {
    let text = std::fs::read_to_string(path).map_err(read_error(path))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    json_services(&name, &text)
}

/// Services from an HSDS JSON text (a service, a list, or a page with `contents`)
/// named `name` in what problems say, read as `kith service import` reads a file.
pub fn read_json_text(
    name: &str,
    text: &str,
    defaults: &Defaults,
) -> Result<(Vec<Candidate>, Vec<Problem>), ImportError> {
    let mut problems = Vec::new();
    let services = json_services(name, text)?;
    let candidates = services.iter().filter_map(|s| candidate(s, defaults, &mut problems)).collect();
    Ok((candidates, problems))
}

fn json_services(name: &str, text: &str) -> Result<Vec<Value>, ImportError> {
    let value: Value =
        serde_json::from_str(text).map_err(|source| ImportError::NotJson { name: name.to_owned(), source })?;
    let (items, prefix) = match value {
        Value::Array(items) => (items, ""),
        Value::Object(ref map) if map.get("contents").is_some_and(Value::is_array) => {
            (map["contents"].as_array().cloned().unwrap_or_default(), "contents")
        }
        Value::Object(_) => (vec![value], ""),
        _ => return Err(ImportError::NotServices { name: name.to_owned() }),
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            if s.is_object() {
                s[AT] = format!("{name}: {prefix}[{i}]").into();
            }
            s
        })
        .collect())
}

/// A CSV table: rows as objects (empty cells left out), each with its file and line.
fn read_table(dir: &Path, path: &str) -> Result<Vec<Map<String, Value>>, ImportError> {
    // A resource without a path (its data inline) has no table to read.
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let file = inside_package(dir, path)?;
    if !file.exists() {
        return Ok(Vec::new());
    }
    let reader = std::fs::File::open(&file).map_err(read_error(&file))?;
    table_rows(path, reader)
}

/// `path` (a resource's path in `datapackage.json`) within the package's directory
/// `dir`, or an error if it is not inside it: an absolute path, a `..`, or a link
/// out of it. Checked before anything is opened, so that a crafted package cannot
/// make the importer read (and echo rows of) other files of the machine.
fn inside_package(dir: &Path, path: &str) -> Result<PathBuf, ImportError> {
    use std::path::Component;
    let outside = || ImportError::OutsidePackage { path: path.to_owned() };
    let relative = Path::new(path);
    if path.is_empty() || !relative.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(outside());
    }
    let file = dir.join(relative);
    // A link inside the package may still point out of it.
    if let (Ok(real_dir), Ok(real_file)) = (dir.canonicalize(), file.canonicalize())
        && !real_file.starts_with(&real_dir)
    {
        return Err(outside());
    }
    Ok(file)
}

/// The rows of the CSV table `path` read from `reader`.
fn table_rows(path: &str, reader: impl std::io::Read) -> Result<Vec<Map<String, Value>>, ImportError> {
    let mut reader = csv::Reader::from_reader(reader);
    let headers = reader.headers().map_err(|source| ImportError::NoHeader { path: path.to_owned(), source })?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|source| ImportError::NotCsv { path: path.to_owned(), source })?;
        // The line the record starts on, the header being line 1.
        let line = record.position().map_or(0, |p| p.line() + 1);
        let mut row = Map::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            if !v.trim().is_empty() {
                row.insert(h.to_owned(), Value::String(v.to_owned()));
            }
        }
        row.insert(AT.into(), format!("{path}:{line}").into());
        rows.push(row);
    }
    Ok(rows)
}

/// HSDS's own data package: which file is which table, and their foreign keys.
static HSDS_PACKAGE: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| serde_json::from_str(hsds::DATAPACKAGE).expect("HSDS's data package is JSON"));

/// Services from the CSV tables of a data package given in memory, by file name
/// (`service.csv`, `organization.csv`, …, as HSDS's own data package names them),
/// read as `kith service import DIR` reads a directory.
pub fn read_csv_tables(
    files: &HashMap<String, Vec<u8>>,
    defaults: &Defaults,
) -> Result<(Vec<Candidate>, Vec<Problem>), ImportError> {
    let mut problems = Vec::new();
    let services = package_services(&HSDS_PACKAGE, &mut problems, |path| match files.get(path) {
        Some(bytes) => table_rows(path, bytes.as_slice()),
        None => Ok(Vec::new()),
    })?;
    let candidates = services.iter().filter_map(|s| candidate(s, defaults, &mut problems)).collect();
    Ok((candidates, problems))
}

fn read_package(dir: &Path, problems: &mut Vec<Problem>) -> Result<Vec<Value>, ImportError> {
    let package_file = dir.join("datapackage.json");
    let package: Value = match std::fs::read_to_string(&package_file) {
        // A symbolic link that git wrote out as a file holds the path it pointed at:
        // followed only to another package descriptor (HSDS's examples point at the
        // specification's own), never to any other file.
        Ok(text)
            if !text.contains('{')
                && Path::new(text.trim()).file_name().is_some_and(|n| n == "datapackage.json")
                && dir.join(text.trim()).is_file() =>
        {
            let target = dir.join(text.trim());
            let text = std::fs::read_to_string(&target).map_err(read_error(&target))?;
            serde_json::from_str(&text)
                .map_err(|source| ImportError::NotJson { name: target.display().to_string(), source })?
        }
        Ok(text) => serde_json::from_str(&text)
            .map_err(|source| ImportError::NotJson { name: package_file.display().to_string(), source })?,
        // Without one, HSDS's own tells which file is which table.
        Err(_) => HSDS_PACKAGE.clone(),
    };
    package_services(&package, problems, |path| read_table(dir, path))
}

/// The services of a data package whose tables `load` reads by path, joined with
/// their phones, schedules, areas and languages; the package's broken foreign keys
/// among `problems`.
fn package_services(
    package: &Value,
    problems: &mut Vec<Problem>,
    mut load: impl FnMut(&str) -> Result<Vec<Map<String, Value>>, ImportError>,
) -> Result<Vec<Value>, ImportError> {
    let resources = package["resources"].as_array().ok_or(ImportError::NoResources)?;
    let mut tables: HashMap<String, Vec<Map<String, Value>>> = HashMap::new();
    let mut paths: HashMap<String, String> = HashMap::new();
    for r in resources {
        let (name, path) = (r["name"].as_str().unwrap_or_default(), r["path"].as_str().unwrap_or_default());
        tables.insert(name.to_owned(), load(path)?);
        paths.insert(name.to_owned(), path.to_owned());
    }
    // The package's own foreign keys: reported, not fatal.
    for r in resources {
        let name = r["name"].as_str().unwrap_or_default();
        for fk in r["schema"]["foreignKeys"].as_array().into_iter().flatten() {
            let (field, target) =
                (fk["fields"].as_str().unwrap_or_default(), fk["reference"]["resource"].as_str().unwrap_or_default());
            let ids: std::collections::HashSet<&str> = tables
                .get(target)
                .into_iter()
                .flatten()
                .filter_map(|row| row.get("id").and_then(Value::as_str))
                .collect();
            for row in tables.get(name).into_iter().flatten() {
                if let Some(v) = row.get(field).and_then(Value::as_str)
                    && !ids.contains(v)
                {
                    problems.push(Problem {
                        at: row[AT].as_str().unwrap_or_default().to_owned(),
                        field: field.to_owned(),
                        reason: format!(
                            "names {target} {v}, which {} does not have",
                            paths.get(target).map_or(target, String::as_str)
                        ),
                    });
                }
            }
        }
    }
    let by = |table: &str, key: &str| -> HashMap<String, Vec<Value>> {
        let mut map: HashMap<String, Vec<Value>> = HashMap::new();
        for row in tables.get(table).into_iter().flatten() {
            if let Some(k) = row.get(key).and_then(Value::as_str) {
                map.entry(k.to_owned()).or_default().push(Value::Object(row.clone()));
            }
        }
        map
    };
    let by_id = |table: &str| -> HashMap<String, Value> {
        by(table, "id").into_iter().filter_map(|(k, mut v)| v.pop().map(|v| (k, v))).collect()
    };
    let (phones, schedules, areas, languages) = (
        by("phone", "service_id"),
        by("schedule", "service_id"),
        by("service_area", "service_id"),
        by("language", "service_id"),
    );
    let (attributes, sals, addresses, access) = (
        by("attribute", "link_id"),
        by("service_at_location", "service_id"),
        by("address", "location_id"),
        by("accessibility", "location_id"),
    );
    let (locations, terms, orgs) = (by_id("location"), by_id("taxonomy_term"), by_id("organization"));
    let mut services = Vec::new();
    for row in tables.get("service").into_iter().flatten() {
        let mut s = Value::Object(row.clone());
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let get = |m: &HashMap<String, Vec<Value>>| Value::Array(m.get(&id).cloned().unwrap_or_default());
        s["phones"] = get(&phones);
        s["schedules"] = get(&schedules);
        s["service_areas"] = get(&areas);
        s["languages"] = get(&languages);
        s["attributes"] = Value::Array(
            attributes
                .get(&id)
                .into_iter()
                .flatten()
                .map(|a| {
                    let mut a = a.clone();
                    if let Some(t) = a["taxonomy_term_id"].as_str().and_then(|t| terms.get(t)) {
                        a["taxonomy_term"] = t.clone();
                    }
                    a
                })
                .collect(),
        );
        s["service_at_locations"] = Value::Array(
            sals.get(&id)
                .into_iter()
                .flatten()
                .map(|sal| {
                    let mut sal = sal.clone();
                    if let Some(loc) = sal["location_id"].as_str().and_then(|l| locations.get(l)) {
                        let mut loc = loc.clone();
                        let lid = loc["id"].as_str().unwrap_or_default().to_owned();
                        loc["addresses"] = Value::Array(addresses.get(&lid).cloned().unwrap_or_default());
                        loc["accessibility"] = Value::Array(access.get(&lid).cloned().unwrap_or_default());
                        sal["location"] = loc;
                    }
                    sal
                })
                .collect(),
        );
        if let Some(org) = row.get("organization_id").and_then(Value::as_str).and_then(|o| orgs.get(o)) {
            s["organization"] = org.clone();
        }
        services.push(s);
    }
    Ok(services)
}

/// A string field, trimmed; numbers as they are written (CSV cells are strings).
fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn at(v: &Value, parent: &str, path: &str) -> String {
    v[AT].as_str().map_or_else(|| format!("{parent} {path}"), str::to_owned)
}

/// Words that say which of Kith's categories a service is in, when its taxonomy
/// terms are not Kith's own.
const CATEGORY_WORDS: &[(Category, &[&str])] = &[
    (Category::EmploymentSupport, &["employment", "job", "jobs", "work", "career", "careers", "cv"]),
    (Category::BenefitsAndMoney, &["benefit", "benefits", "money", "debt", "welfare", "financial", "finance"]),
    (Category::Housing, &["housing", "homeless", "homelessness", "tenancy", "accommodation"]),
    (Category::TrainingAndEducation, &["training", "education", "learning", "course", "courses", "college", "skills"]),
    (Category::PeerSupport, &["peer"]),
    (Category::Crisis, &["crisis", "emergency", "suicide"]),
    (Category::ArtsAndLeisure, &["art", "arts", "leisure", "sport", "music", "culture", "creative"]),
    (Category::Health, &["health", "counselling", "counseling", "therapy", "gp", "nhs", "wellbeing", "mental"]),
    (Category::LegalAndAdvocacy, &["legal", "advocacy", "rights", "law", "immigration"]),
    (Category::Food, &["food", "meal", "meals", "pantry", "foodbank"]),
    (Category::FamilyAndCarers, &["family", "families", "carer", "carers", "parent", "parents", "children"]),
    (Category::DigitalInclusion, &["digital", "computer", "computers", "internet", "online"]),
    (Category::DrugsAndAlcohol, &["drug", "drugs", "alcohol", "substance", "addiction"]),
    (Category::CommunityAndSocial, &["community", "social", "club", "friendship", "befriending"]),
    (Category::Transport, &["transport", "travel", "bus", "taxi"]),
];

fn categories(s: &Value, defaults: &Defaults) -> Vec<Category> {
    let terms: Vec<&Value> = s["attributes"].as_array().into_iter().flatten().map(|a| &a["taxonomy_term"]).collect();
    // Kith's own taxonomy first (an export read back), by code or name.
    let own: Vec<Category> = terms
        .iter()
        .filter_map(|t| {
            let (code, name) = (text(t, "code"), text(t, "name"));
            Category::ALL.iter().copied().find(|c| c.as_str() == code || c.label().eq_ignore_ascii_case(&name))
        })
        .collect();
    if !own.is_empty() {
        return own;
    }
    let mut words = String::new();
    for t in &terms {
        words.push_str(&format!(" {} {}", text(t, "name"), text(t, "description")));
    }
    words.push_str(&format!(" {} {}", text(s, "name"), text(s, "description")));
    let words: Vec<String> =
        words.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let mut found: Vec<Category> = CATEGORY_WORDS
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| words.iter().any(|w| w == k)))
        .map(|(c, _)| *c)
        .take(svc::limits::CATEGORIES)
        .collect();
    if found.is_empty() {
        found.extend(defaults.category);
    }
    found
}

/// A time as HSDS writes it: `10:00`, `10:00:00`, with a `Z` or an offset left off
/// (opening hours are the region's local time).
fn clock(field: &str, value: &str) -> Result<ClockTime, validate::ValidationError> {
    let v = value.trim().trim_end_matches('Z');
    let v = match v.rfind(['+', '-']) {
        Some(i) if i >= 5 => &v[..i],
        _ => v,
    };
    ClockTime::parse(field, v)
}

fn schedule(h: &Value, place: &str, problems: &mut Vec<Problem>) -> Option<v1::Schedule> {
    let mut report = |field: &str, reason: String| {
        problems.push(Problem { at: place.to_owned(), field: field.into(), reason });
        None
    };
    let mut days = Vec::new();
    for d in text(h, "byday").split(',').map(str::trim).filter(|d| !d.is_empty()) {
        // Monthly rules (`2MO`) keep their day; the week in the month goes in the note.
        let code = d.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
        match Weekday::read("byday", code) {
            Ok(day) => days.push(day),
            Err(e) => return report("byday", e.problem),
        }
    }
    let (opens, closes) = (text(h, "opens_at"), text(h, "closes_at"));
    let hours = match (opens.is_empty(), closes.is_empty()) {
        (false, false) => match (clock("opens_at", &opens), clock("closes_at", &closes)) {
            (Ok(o), Ok(c)) => Some((o, c)),
            (Err(e), _) | (_, Err(e)) => return report(&e.field, e.problem),
        },
        _ => None,
    };
    let words = format!("{} {}", text(h, "attending_type"), text(h, "description")).to_lowercase();
    let mut note = text(h, "notes");
    if text(h, "freq") == "MONTHLY" {
        note = format!(
            "monthly ({}){}",
            text(h, "byday"),
            if note.is_empty() { String::new() } else { format!("; {note}") }
        );
    }
    let schedule = Schedule {
        days,
        hours,
        by_appointment: words.contains("appointment"),
        note: note.chars().take(svc::limits::NOTE).collect(),
    };
    match schedule.validate("schedule") {
        Ok(s) => {
            let (opens, closes) =
                s.hours.map_or((String::new(), String::new()), |(o, c)| (o.to_string(), c.to_string()));
            Some(v1::Schedule {
                days: s.days.iter().map(|d| d.as_str().to_owned()).collect(),
                opens,
                closes,
                by_appointment: s.by_appointment,
                note: s.note,
            })
        }
        Err(e) => report(&e.field, e.problem),
    }
}

fn address(loc: &Value, place: &str, problems: &mut Vec<Problem>) -> Option<v1::Place> {
    let a = loc["addresses"].as_array().and_then(|a| a.first())?;
    let a_at = at(a, place, "addresses[0]");
    let street = [text(a, "address_1"), text(a, "address_2")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let place_value =
        Place::Address { street: street.clone(), town: text(a, "city"), postcode: text(a, "postal_code") }
            .validate("address");
    match place_value {
        Ok(Place::Address { street, town, postcode }) => {
            Some(v1::Place { r#where: Some(v1::place::Where::Address(v1::Address { street, town, postcode })) })
        }
        Ok(_) => None,
        Err(e) => {
            problems.push(Problem { at: a_at, field: e.field, reason: e.problem });
            None
        }
    }
}

/// The Kith fields of one HSDS service; None (with the problem) when it cannot be one.
fn candidate(s: &Value, defaults: &Defaults, problems: &mut Vec<Problem>) -> Option<Candidate> {
    let place = s[AT].as_str().unwrap_or("?").to_owned();
    let problem = |field: &str, reason: String| Problem { at: place.clone(), field: field.into(), reason };
    let id = text(s, "id");
    if id.is_empty() {
        problems.push(problem("id", "missing: every service needs its id, so that a second import updates it".into()));
        return None;
    }
    let categories = categories(s, defaults);
    if categories.is_empty() {
        problems.push(problem(
            "categories",
            "none of Kith's categories matches its taxonomy terms or words; give --default-category".into(),
        ));
        return None;
    }
    let status = match ServiceStatus::from_hsds("status", &text(s, "status")) {
        Ok(s) => s,
        Err(_) => ServiceStatus::Active,
    };
    let fees_text = text(s, "fees_description");
    let free = fees_text.eq_ignore_ascii_case("free") || fees_text.to_lowercase().starts_with("free ");
    let mut phones = Vec::new();
    for p in s["phones"].as_array().into_iter().flatten() {
        let number = text(p, "number").trim_matches('"').trim().to_owned();
        match validate::phone("number", &number) {
            Ok(n) if !n.is_empty() && phones.len() < svc::limits::PHONES => phones.push(n),
            Ok(_) => {}
            Err(e) => problems.push(Problem { at: at(p, &place, "phones"), field: "number".into(), reason: e.problem }),
        }
    }
    let email = match svc::email("email", &text(s, "email")) {
        Ok(e) => e,
        Err(e) => {
            problems.push(problem("email", e.problem));
            String::new()
        }
    };
    let website = match svc::website("url", &text(s, "url")) {
        Ok(w) => w,
        Err(e) => {
            problems.push(problem("url", e.problem));
            String::new()
        }
    };
    let schedules: Vec<v1::Schedule> = s["schedules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| schedule(h, &at(h, &place, "schedules"), problems))
        .take(svc::limits::SCHEDULES)
        .collect();
    let mut places = Vec::new();
    let mut accessibility = Vec::new();
    for sal in s["service_at_locations"].as_array().into_iter().flatten() {
        let loc = &sal["location"];
        let loc_at = at(loc, &place, "service_at_locations");
        for a in loc["accessibility"].as_array().into_iter().flatten() {
            let d = text(a, "description");
            if !d.is_empty() {
                accessibility.push(d.chars().take(svc::limits::LIST_ITEM).collect());
            }
        }
        if text(loc, "location_type") == "virtual" {
            places.push(v1::Place { r#where: Some(v1::place::Where::Online(true)) });
        } else if let Some(p) = address(loc, &loc_at, problems) {
            places.push(p);
        }
    }
    for area in s["service_areas"].as_array().into_iter().flatten() {
        match domain::area("service_area.name", &text(area, "name")) {
            Ok(a) => places.push(v1::Place { r#where: Some(v1::place::Where::Area(a)) }),
            Err(e) => problems.push(Problem {
                at: at(area, &place, "service_areas"),
                field: "name".into(),
                reason: e.problem,
            }),
        }
    }
    places.truncate(svc::limits::PLACES);
    let assured_on = match text(s, "assured_date") {
        d if d.is_empty() => String::new(),
        d => match CivilDate::parse("assured_date", &d) {
            Ok(d) => d.to_string(),
            Err(e) => {
                problems.push(problem("assured_date", e.problem));
                String::new()
            }
        },
    };
    let age = |key: &str, problems: &mut Vec<Problem>| -> Option<i64> {
        let v = text(s, key);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if (0.0..=svc::limits::MAX_AGE as f64).contains(&n) => Some(n as i64),
            _ => {
                problems.push(Problem { at: place.clone(), field: key.into(), reason: format!("not an age: {v:?}") });
                None
            }
        }
    };
    let (min_age, max_age) = (age("minimum_age", problems), age("maximum_age", problems));
    let clip = |s: String, n: usize| -> String { s.chars().take(n).collect() };
    let fields = v1::ServiceFields {
        name: text(s, "name"),
        description: clip(text(s, "description"), svc::limits::DESCRIPTION),
        status: status.as_str().into(),
        sector: defaults.sector.unwrap_or(Sector::Ordinary).as_str().into(),
        categories: categories.iter().map(|c| c.as_str().to_owned()).collect(),
        eligibility: clip(text(s, "eligibility_description"), svc::limits::TEXT),
        min_age,
        max_age: max_age.filter(|m| min_age.is_none_or(|n| n <= *m)),
        free,
        fees: if free { String::new() } else { clip(fees_text, svc::limits::TEXT) },
        languages: s["languages"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| clip(text(l, "name"), svc::limits::LIST_ITEM))
            .filter(|l| !l.is_empty())
            .take(svc::limits::LIST_ITEMS)
            .collect(),
        accessibility: accessibility.into_iter().take(svc::limits::LIST_ITEMS).collect(),
        application_process: clip(text(s, "application_process"), svc::limits::TEXT),
        self_referral: false,
        phones,
        email,
        website,
        schedules,
        places,
        assured_on,
        provider: clip(text(&s["organization"], "name"), svc::limits::PROVIDER),
    };
    match convert::service_from_fields(Ulid::nil(), &fields) {
        Ok(_) => Some(Candidate { source_id: id, name: fields.name.clone(), at: place, fields }),
        Err(e) => {
            problems.push(Problem { at: place, field: e.field, reason: e.problem });
            None
        }
    }
}

/// Problems grouped by where they are, for a person.
pub fn report(problems: &[Problem]) -> String {
    let mut by_at: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in problems {
        by_at.entry(&p.at).or_default().push(format!("{}: {}", p.field, p.reason));
    }
    by_at.into_iter().map(|(at, lines)| format!("{at}: {}", lines.join("; "))).collect::<Vec<_>>().join("\n")
}
