//! The region as open data, checked with the ecosystem's own tools against real
//! processes: a hub lists services and a safe house through the `kith` CLI, and the
//! relay's HSDS 3 API is then validated by Open Referral's JSON Schemas
//! (`tests/hsds/check.py`, the `jsonschema` package) and fuzzed by `schemathesis`
//! against the API's OpenAPI description.
//!
//! The HSDS schemas and examples are the repository's copy (`tests/hsds/spec`); the
//! Python packages are those `tests/run` installs into `target/py`, and without them
//! a check is recorded as skipped (which fails a run with `CI=true`).

use std::path::{Path, PathBuf};
use std::process::Command;

use kith_tests::{DEFAULT_TIMEOUT, Region, skip, wait_until, workspace};

/// The HSDS 3 schemas and examples the checks read: a copy in the repository
/// (`tests/hsds/spec`, CC BY-SA), or `KITH_HSDS_DIR`.
pub(crate) fn hsds_dir() -> PathBuf {
    let dir =
        std::env::var_os("KITH_HSDS_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("tests/hsds/spec"));
    assert!(dir.join("schema/compiled/service.json").exists(), "no HSDS schemas in {}", dir.display());
    dir
}

/// The Python of `target/py` (a virtual environment `tests/run` makes), when it can
/// import `module`; otherwise the check is recorded as skipped.
pub(crate) fn python(check: &str, module: &str) -> Option<Command> {
    let bin = workspace().join("target/py/bin/python");
    let mut probe = Command::new(&bin);
    probe.args(["-c", &format!("import {module}")]);
    if !probe.output().is_ok_and(|o| o.status.success()) {
        skip(
            check,
            &format!(
                "needs the Python package {module} in target/py ({} cannot import it; tests/run installs it)",
                bin.display()
            ),
        );
        return None;
    }
    Some(Command::new(bin))
}

/// What the hub lists: three services (one with every kind of field), a safe house
/// and two opportunities.
#[rustfmt::skip]
const LISTINGS: &[&[&str]] = &[
    &["service", "add", "--name", "Welfare rights drop-in", "--category", "benefits-and-money",
      "--description", "Help with Universal Credit and appeals", "--free", "--hours", "mon-fri 10:00-16:00",
      "--hours", "sat by appointment", "--address", "12 Chapeltown Road, Leeds LS7 3AP", "--online",
      "--phone", "0113 496 0110", "--email", "advice@example.org", "--website", "https://example.org/advice",
      "--language", "Urdu", "--min-age", "16", "--max-age", "99"],
    &["service", "add", "--name", "Community pantry", "--category", "food", "--fees", "£3 a bag",
      "--area", "Leeds LS6"],
    &["service", "add", "--name", "Peer group", "--sector", "mental-health", "--category", "peer-support",
      "--free", "--area", "Leeds"],
    &["safehouse", "add", "--name", "Rainbow House", "--area", "Leeds LS6", "--beds", "4", "--for", "lgbtq",
      "--phone", "0113 496 0303"],
    &["opportunity", "add", "--title", "Market garden assistant", "--kind", "paid-job", "--sector", "ordinary",
      "--area", "Leeds LS6", "--pay-pence", "1221", "--pay-per", "hour", "--hours-per-week", "16",
      "--skill", "gardening", "--closes", "2099-01-31", "--how-to-apply", "Ring Sam on 0113 496 0101"],
    &["opportunity", "add", "--title", "Remote bookkeeping", "--kind", "volunteering", "--sector", "ordinary",
      "--area", "Leeds", "--remote"],
];

async fn listed_region() -> Region {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    for args in LISTINGS {
        hub.kith(*args).await.ok();
    }
    wait_until("the relay has the listings", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        stats.services == 3 && stats.safe_houses == 1 && stats.opportunities == 2
    })
    .await;
    region
}

#[tokio::test]
async fn the_hsds_api_validates_against_open_referrals_schemas() {
    let Some(mut python) = python("open_data: HSDS API against Open Referral's JSON Schemas", "jsonschema") else {
        return;
    };
    let hsds = hsds_dir();
    let region = listed_region().await;
    let out = python
        .arg(workspace().join("tests/hsds/check.py"))
        .arg(region.relay.http_url())
        .arg(&hsds)
        .output()
        .expect("run tests/hsds/check.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the HSDS API does not validate:\n{stdout}");
    assert!(stdout.contains("4 services"), "{stdout}");
}

/// The served OpenAPI description with its remote `$ref`s pointing at the local
/// schemas, and `GET /service_at_locations/{id}` answering a service_at_location (the
/// spec points it at service.json, a known bug of HSDS 3.0).
fn local_openapi(hsds: &Path, into: &Path) -> PathBuf {
    let served = std::fs::read_to_string(workspace().join("opendata/hsds/openapi.json")).expect("the OpenAPI file");
    let remote = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/";
    let local = format!("file://{}/schema/", hsds.canonicalize().expect("HSDS dir").display());
    let mut spec: serde_json::Value = serde_json::from_str(&served.replace(remote, &local)).expect("OpenAPI JSON");
    let sal = &mut spec["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["$ref"];
    *sal = format!("{local}compiled/service_at_location.json").into();
    let path = into.join("openapi.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
    path
}

#[tokio::test]
async fn the_hsds_api_passes_schemathesis() {
    let Some(mut python) = python("open_data: HSDS API under schemathesis", "schemathesis") else {
        return;
    };
    let hsds = hsds_dir();
    let region = listed_region().await;
    let tmp = tempfile::tempdir().unwrap();
    let spec = local_openapi(&hsds, tmp.path());
    let out = python
        .current_dir(tmp.path())
        .args(["-m", "schemathesis.cli", "run"])
        .arg(&spec)
        .args(["--url", &region.relay.http_url()])
        // Server errors and answers that break the schema fail; a 400 for a bad
        // parameter is the right answer even where the spec lists only 200.
        .args(["--checks", "not_a_server_error,response_schema_conformance,content_type_conformance"])
        .args(["--max-examples", "25", "--generation-deterministic"])
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "schemathesis found problems:\n{stdout}");
}

#[tokio::test]
async fn the_export_is_a_valid_hsds_data_package_and_job_postings() {
    let region = listed_region().await;
    let out = tempfile::tempdir().unwrap();
    let hsds_dir = out.path().join("hsds");
    let hsds_out = hsds_dir.to_str().unwrap();
    let written = region.relay.kith(["region", "export", "--format", "hsds", "--out", hsds_out]).await.ok();
    assert_eq!(written["counts"]["service"], 4, "{written}");
    assert_eq!(written["counts"]["organization"], 1, "{written}");
    assert_eq!(written["counts"]["taxonomy_term"], 17, "{written}");
    let services = std::fs::read_to_string(hsds_dir.join("services.csv")).unwrap();
    assert!(services.starts_with("id,organization_id,program_id,name,"), "{services}");
    assert!(services.contains("Welfare rights drop-in") && services.contains("Rainbow House"), "{services}");
    let addresses = std::fs::read_to_string(hsds_dir.join("addresses.csv")).unwrap();
    assert!(
        addresses.contains("LS7 3AP") && !addresses.contains("LS6"),
        "a safe house never has an address: {addresses}"
    );
    let bad = region.relay.kith(["region", "export", "--format", "pdf", "--out", hsds_out]).await.failure();
    assert!(bad.contains("--format"), "{bad}");

    // Without frictionless, python() records the check as skipped.
    if let Some(mut python) = python("open_data: the data package under frictionless", "frictionless") {
        let out = python
            .args(["-m", "frictionless", "validate", "--json"])
            .arg(hsds_dir.join("datapackage.json"))
            .output()
            .expect("run frictionless");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("frictionless said: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
        let errors: Vec<String> = report["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|t| t["errors"].as_array().cloned().unwrap_or_default())
            .map(|e| format!("{}: {}", e["type"], e["message"]))
            .collect();
        assert!(report["valid"] == true, "frictionless found {} problems:\n{}", errors.len(), errors.join("\n"));
    }

    let jobs_dir = out.path().join("jobs");
    let jobs_out = jobs_dir.to_str().unwrap();
    let written = region.relay.kith(["region", "export", "--format", "jobposting", "--out", jobs_out]).await.ok();
    assert_eq!(written["counts"]["JobPosting"], 2, "{written}");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(jobs_dir.join("jobpostings.jsonld")).unwrap()).unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().unwrap();
    let garden = graph.iter().find(|p| p["title"] == "Market garden assistant").expect("the garden job");
    for key in [
        "description",
        "datePosted",
        "validThrough",
        "hiringOrganization",
        "jobLocation",
        "employmentType",
        "baseSalary",
        "workHours",
        "skills",
        "directApply",
        "applicationContact",
    ] {
        assert!(garden.get(key).is_some(), "no {key} in {garden}");
    }
    assert_eq!(garden["@type"], "JobPosting");
    assert_eq!(garden["baseSalary"]["value"]["unitText"], "HOUR");
    assert_eq!(garden["validThrough"], "2099-01-31T23:59:59Z");
    let remote = graph.iter().find(|p| p["title"] == "Remote bookkeeping").expect("the remote one");
    assert_eq!(remote["jobLocationType"], "TELECOMMUTE");
}

#[tokio::test]
async fn hsds_files_import_and_a_second_import_updates_rather_than_duplicates() {
    let hsds = hsds_dir();
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let examples = hsds.join("examples");

    // The spec's CSV example: its four broken foreign keys are reported, not fatal.
    let csv = examples.join("csv");
    let dry = hub.kith(["service", "import", csv.to_str().unwrap(), "--dry-run"]).await.ok();
    assert_eq!((dry["created"].clone(), dry["dry_run"].clone()), (1.into(), true.into()), "{dry}");
    assert!(hub.kith(["service", "list"]).await.array().is_empty(), "a dry run writes nothing");
    let first = hub.kith(["service", "import", csv.to_str().unwrap()]).await.ok();
    assert_eq!(first["created"], 1, "{first}");
    let problems = first["problems"].as_array().unwrap();
    let broken_keys: Vec<&serde_json::Value> =
        problems.iter().filter(|p| p["reason"].as_str().unwrap_or_default().contains("does not have")).collect();
    assert_eq!(broken_keys.len(), 4, "{problems:#?}");
    for p in problems {
        assert!(p["at"].as_str().unwrap().contains(".csv:"), "every problem names a file and line: {p}");
    }
    // The first row under the header is line 2.
    assert!(problems.iter().any(|p| p["at"] == "locations.csv:2" && p["field"] == "organization_id"), "{problems:#?}");
    let again = hub.kith(["service", "import", csv.to_str().unwrap()]).await.ok();
    assert_eq!((again["created"].clone(), again["unchanged"].clone()), (0.into(), 1.into()), "{again}");

    // The JSON examples: a full service (the same id as the CSV's: an update), and
    // a page of the API.
    let full = hub.kith(["service", "import", examples.join("service_full.json").to_str().unwrap()]).await.ok();
    assert_eq!(full["created"], 0, "the same HSDS id is the same service: {full}");
    let list = hub.kith(["service", "import", examples.join("service_list.json").to_str().unwrap()]).await.ok();
    assert!(list["problems"].as_array().is_some(), "{list}");
    let services = hub.kith(["service", "list"]).await.array();
    assert_eq!(services.len(), 1, "{services:#?}");
    assert_eq!(services[0]["name"], "Community Counselling");
    assert!(services[0]["categories"].as_array().unwrap().contains(&"health".into()), "{}", services[0]);

    // A file that is not HSDS is one clear error and changes nothing.
    let not_json = region.relay.root().join("not.json");
    std::fs::write(&not_json, "id,name\n").unwrap();
    let err = hub.kith(["service", "import", not_json.to_str().unwrap()]).await.failure();
    assert!(err.contains("not JSON"), "{err}");
    assert_eq!(hub.kith(["service", "list"]).await.array().len(), 1);
}
