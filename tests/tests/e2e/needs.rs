//! What the region is missing: searches on the board and the helpline screen that
//! found nothing, from many clients (told apart by a trusted proxy's
//! `X-Forwarded-For`), published at `/needs.json` only once 10 distinct people are
//! in a cell; one client searching 50 times counts once; the words a person gives
//! when asked are counted as terms and kept nowhere as text.

use kith_tests::http::{get, get_with, post_form};
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Region, wait_until};
use serde_json::Value;

async fn report(region: &Region) -> Value {
    let raw = get(&region.relay.http_url(), "/needs.json", "application/json").await;
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    serde_json::from_str(raw.split("\r\n\r\n").nth(1).expect("a body")).expect("JSON")
}

fn people(report: &Value, table: &str, area: &str, what: &str) -> Option<u64> {
    report["weeks"][0][table]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["area"] == area && c["what"] == what)
        .and_then(|c| c["people"].as_u64())
}

#[tokio::test]
async fn nine_people_publish_nothing_ten_publish_the_cell_and_one_searching_fifty_times_counts_once() {
    let region = Region::start_with(&["--trust-proxy", "127.0.0.1/32"]).await;
    let hub = region.hub("peer-garden").await;
    add_opportunity(&hub, "Cafe assistant", &[]).await;
    wait_until("the relay has it", DEFAULT_TIMEOUT, async || region.relay.stats().await.opportunities == 1).await;
    let url = region.relay.http_url();
    let search = "/search?q=allotment+plots&area=LS6&what=services";

    // One person searching fifty times, and nine others: nine in all.
    for _ in 0..50 {
        let page = get_with(&url, search, &[("X-Forwarded-For", "203.0.113.1")]).await;
        assert!(page.contains("What were you looking for?"), "nothing found: the person is asked");
    }
    for n in 2..=9 {
        get_with(&url, search, &[("X-Forwarded-For", &format!("203.0.113.{n}"))]).await;
    }
    // What the page's script fetches as a person types is not counted.
    for n in 20..30 {
        get_with(&url, search, &[("X-Forwarded-For", &format!("203.0.113.{n}")), ("X-Kith-As-You-Type", "1")]).await;
    }
    let nine = report(&region).await;
    assert_eq!(people(&nine, "kinds", "LS6", "service"), None, "nine people: hidden");
    assert!(nine["weeks"][0]["terms"].as_array().unwrap().is_empty(), "{nine}");
    let page = get(&url, "/needs", "text/html").await;
    assert!(!page.contains("allotment"), "a hidden term is not named");

    // The tenth person publishes the cell and the terms.
    get_with(&url, search, &[("X-Forwarded-For", "198.51.100.10")]).await;
    let ten = report(&region).await;
    assert_eq!(people(&ten, "kinds", "LS6", "service"), Some(10), "{ten}");
    assert_eq!(people(&ten, "terms", "LS6", "allotment"), Some(10));
    assert_eq!(people(&ten, "terms", "LS6", "plots"), Some(10));
    assert_eq!(ten["threshold"], 10);
    assert!(ten["licence"].as_str().unwrap().contains("Open Government Licence"));
    let csv = get(&url, "/needs.csv", "text/csv").await;
    assert!(csv.contains("term,LS6,allotment,10"), "{csv}");
    let page = get(&url, "/needs", "text/html").await;
    assert!(page.contains("<svg") && page.contains("allotment"), "{page}");
    // In Welsh, the kinds counted are said in Welsh; the words people typed stay theirs.
    let welsh = get(&url, "/needs?lang=cy", "text/html").await;
    assert!(welsh.contains(">Gwasanaeth<") && welsh.contains("<bdi>allotment</bdi>"), "{welsh}");

    // The same through the CLI, as a coordinator or commissioner reads it.
    let cli = region.relay.kith(["region", "needs"]).await.ok();
    let kinds = cli["weeks"][0]["kinds"].as_array().unwrap();
    assert!(kinds.iter().any(|c| c["area"] == "LS6" && c["what"] == "service" && c["people"] == 10), "{cli}");
    let table = region.relay.kith_table(["region", "needs"]).await;
    assert!(table.contains("allotment") && table.contains("LS6"), "{table}");

    // The printed directory has them, for commissioners.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("directory.html");
    let out = region.relay.kith(["region", "directory", "--format", "html", "--out", html.to_str().unwrap()]).await;
    assert!(out.success(), "{out:?}");
    let printed = std::fs::read_to_string(&html).unwrap();
    assert!(
        printed.contains("What the region is missing") && printed.contains("LS6: A service — 10 people"),
        "{printed}"
    );
    let cy = dir.path().join("cyfeiriadur.html");
    let args = ["region", "directory", "--format", "html", "--lang", "cy", "--out", cy.to_str().unwrap()];
    assert!(region.relay.kith(args).await.success());
    let printed = std::fs::read_to_string(&cy).unwrap();
    assert!(
        printed.contains("Beth sydd ar goll yn y rhanbarth") && printed.contains("LS6: Gwasanaeth — 10 o bobl"),
        "{printed}"
    );
    if std::process::Command::new("pdftoppm").arg("-v").output().is_ok_and(|o| o.status.success()) {
        let pdf = dir.path().join("directory.pdf");
        assert!(region.relay.kith(["region", "directory", "--out", pdf.to_str().unwrap()]).await.success());
        let pages = kith_tests::workspace().join("target/directory-pages");
        std::fs::create_dir_all(&pages).unwrap();
        let made = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60"])
            .arg(&pdf)
            .arg(pages.join("needs"))
            .status()
            .unwrap();
        assert!(made.success());
    }

    // Words given when asked: counted as terms, the text kept nowhere.
    for n in 1..=10 {
        let said = post_form(
            &url,
            "/needs/say",
            "kind=service&area=LS6&words=a+canarytext+hydrotherapy+pool",
            &[("X-Forwarded-For", &format!("192.0.2.{n}"))],
        )
        .await;
        assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    }
    let said = report(&region).await;
    assert_eq!(people(&said, "terms", "LS6", "hydrotherapy"), Some(10), "{said}");
    let files = kith_tests::files::files_containing(region.relay.root(), b"canarytext hydrotherapy");
    assert!(files.is_empty(), "the words as typed are kept nowhere: {files:?}");
    // What the form may not say: a made-up kind or area is refused, nothing counted.
    let bad = post_form(&url, "/needs/say", "kind=rocket&area=Mars&words=fuel", &[]).await;
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");

    // The helpline: a caller needing a safe place in Bradford, none in the region.
    for n in 1..=10 {
        get_with(&url, "/helpline?want=safe&area=Bradford&for=women", &[("X-Forwarded-For", &format!("100.64.0.{n}"))])
            .await;
    }
    let helpline = report(&region).await;
    let kinds = helpline["weeks"][0]["kinds"].as_array().unwrap();
    assert!(kinds.iter().any(|c| c["what"] == "safe place: women" && c["people"] == 10), "{helpline}");
}
