//! The region as open data, checked with the ecosystem's own tools against real
//! processes: a hub lists services and a safe house through the `kith` CLI, and the
//! relay's HSDS 3 API is then validated by Open Referral's JSON Schemas
//! (`tests/hsds/check.py`, the `jsonschema` package) and fuzzed by `schemathesis`
//! against the API's OpenAPI description.
//!
//! They need the HSDS schemas (`../shared/hsds`, or `KITH_HSDS_DIR`) and the Python
//! packages `tests/run` installs into `target/py`; without them the test says what
//! is missing and is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use kith_tests::{DEFAULT_TIMEOUT, Region, wait_until};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_owned()
}

/// The HSDS schemas, when this machine has them.
fn hsds_dir() -> Option<PathBuf> {
    let dir =
        std::env::var_os("KITH_HSDS_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/hsds"));
    dir.join("schema/compiled/service.json").exists().then_some(dir)
}

/// `python3` with the packages of `target/py`, when they import.
fn python(module: &str) -> Option<Command> {
    let mut probe = Command::new("python3");
    probe.env("PYTHONPATH", workspace().join("target/py")).args(["-c", &format!("import {module}")]);
    if !probe.output().is_ok_and(|o| o.status.success()) {
        return None;
    }
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONPATH", workspace().join("target/py"));
    Some(cmd)
}

async fn listed_region() -> Region {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    for args in [
        &[
            "service",
            "add",
            "--name",
            "Welfare rights drop-in",
            "--category",
            "benefits-and-money",
            "--description",
            "Help with Universal Credit and appeals",
            "--free",
            "--hours",
            "mon-fri 10:00-16:00",
            "--hours",
            "sat by appointment",
            "--address",
            "12 Chapeltown Road, Leeds LS7 3AP",
            "--online",
            "--phone",
            "0113 496 0110",
            "--email",
            "advice@example.org",
            "--website",
            "https://example.org/advice",
            "--language",
            "Urdu",
            "--min-age",
            "16",
            "--max-age",
            "99",
        ][..],
        &[
            "service",
            "add",
            "--name",
            "Community pantry",
            "--category",
            "food",
            "--fees",
            "£3 a bag",
            "--area",
            "Leeds LS6",
        ],
        &[
            "service",
            "add",
            "--name",
            "Peer group",
            "--sector",
            "mental-health",
            "--category",
            "peer-support",
            "--free",
            "--area",
            "Leeds",
        ],
        &[
            "safehouse",
            "add",
            "--name",
            "Rainbow House",
            "--area",
            "Leeds LS6",
            "--beds",
            "4",
            "--for",
            "lgbtq",
            "--phone",
            "0113 496 0303",
        ],
    ] {
        hub.kith(args).await.ok();
    }
    wait_until("the relay has the listings", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        stats.services == 3 && stats.safe_houses == 1
    })
    .await;
    region
}

#[tokio::test]
async fn the_hsds_api_validates_against_open_referrals_schemas() {
    let (Some(hsds), Some(mut python)) = (hsds_dir(), python("jsonschema")) else {
        eprintln!(
            "SKIPPED: needs the HSDS schemas (../shared/hsds or KITH_HSDS_DIR) and jsonschema in target/py (tests/run installs it)"
        );
        return;
    };
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
    let served = std::fs::read_to_string(workspace().join("proto/hsds/openapi.json")).expect("proto/hsds/openapi.json");
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
    let (Some(hsds), Some(mut python)) = (hsds_dir(), python("schemathesis")) else {
        eprintln!(
            "SKIPPED: needs the HSDS schemas (../shared/hsds or KITH_HSDS_DIR) and schemathesis in target/py (tests/run installs it)"
        );
        return;
    };
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
