//! The board in a real browser (`tests/browser/board.mjs`): Debian's chromium driven
//! by playwright-core, axe-core on every page with JavaScript on and off, keyboard
//! only, a live change within 2 s, a stale house shown as unknown. Screenshots at
//! 1280 and 320 px are written to `target/board-screenshots/` for people to look at.
//!
//! Needs `chromium` and the npm packages `tests/run` installs into
//! `tests/browser/node_modules`; without them the test says so and is skipped.

use std::path::PathBuf;
use std::process::Command;

use kith_tests::sample::{add_opportunity, add_safehouse, add_service, set_availability};
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, bins, wait_for, wait_until, workspace};

/// Debian's chromium, when it and the npm packages are there; else the test is
/// recorded as skipped (`what`).
fn chromium(what: &str) -> Option<PathBuf> {
    let chromium = std::env::var_os("KITH_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    let modules = workspace().join("tests/browser/node_modules/playwright-core");
    if !chromium.exists() || !modules.exists() {
        kith_tests::skip(
            what,
            &format!(
                "needs chromium ({}{}) and playwright-core in tests/browser/node_modules{} (tests/run installs both)",
                chromium.display(),
                if chromium.exists() { "" } else { ", missing" },
                if modules.exists() { "" } else { ", missing" },
            ),
        );
        return None;
    }
    Some(chromium)
}

#[tokio::test]
async fn the_board_works_in_a_browser_by_keyboard_and_for_screen_readers() {
    let Some(chromium) = chromium("browser: the board in a browser") else { return };
    let region = Region::start().await;
    let garden = region.hub("peer-garden").await;
    add_opportunity(
        &garden,
        "Market garden assistant",
        &["--pay-pence", "1221", "--pay-per", "hour", "--hours-per-week", "16"],
    )
    .await;
    add_opportunity(&garden, "Allotment volunteer", &["--kind", "volunteering"]).await;
    add_service(
        &garden,
        "Welfare rights drop-in",
        "benefits-and-money",
        &["--area", "Leeds", "--phone", "0113 496 0110"],
    )
    .await;
    let houses = region.hub("safe-houses").await;
    let stale = add_safehouse(&houses, "Quiet House", 3, &["--phone", "0113 496 0202"]).await;
    set_availability(&houses, &stale.id, 1, "1s").await;
    let live = add_safehouse(
        &houses,
        "Rainbow House",
        5,
        &["--for", "lgbtq", "--for", "trans-nonbinary", "--phone", "0113 496 0303"],
    )
    .await;
    set_availability(&houses, &live.id, 1, "2h").await;
    wait_until("the relay has everything", DEFAULT_TIMEOUT, async || {
        let s = region.relay.stats().await;
        s.opportunities == 2 && s.safe_houses == 2 && s.services == 1
    })
    .await;
    // The quiet house's report has gone stale by now.
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;

    let change = serde_json::json!([
        bins::bin("kith"),
        "--hub-dir",
        houses.dir(),
        "safehouse",
        "availability",
        live.id,
        "--free",
        "3",
        "--valid-for",
        "2h"
    ]);
    let shots = workspace().join("target/board-screenshots");
    let out = Command::new("node")
        .arg(workspace().join("tests/browser/board.mjs"))
        .arg(region.relay.http_url())
        .arg(&shots)
        .env("KITH_CHANGE_CMD", change.to_string())
        .env("KITH_CHROMIUM", &chromium)
        .output()
        .expect("run node tests/browser/board.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshots: {}", shots.display());
    assert!(out.status.success(), "the board failed in the browser:\n{stdout}");
}

#[tokio::test]
async fn the_desk_works_on_a_phone_by_keyboard_and_for_screen_readers() {
    let Some(chromium) = chromium("browser: the desk in a browser") else { return };
    let region = Region::start().await;
    let options = HubOptions { desk: true, ..HubOptions::named("Rainbow Crisis House") };
    let houses = region.hub_with("safe-houses", options).await;
    add_safehouse(&houses, "Rainbow House", 5, &["--for", "lgbtq", "--phone", "0113 496 0303"]).await;
    add_service(&houses, "Welfare rights drop-in", "benefits-and-money", &["--area", "Leeds"]).await;
    let password = async |name: &str, role: &str| {
        let out = houses.kith(["desk", "user", "add", name, "--role", role]).await.ok();
        format!("{name}:{}", out["password"].as_str().expect("a password"))
    };
    let (worker, coordinator) = (password("sam", "worker").await, password("kim", "coordinator").await);
    add_service(&houses, "<script>alert(1)</script> Drop-in", "food", &["--area", "Leeds"]).await;
    let garden = region.hub("peer-garden").await;
    let first = kith_tests::referral::send(&garden, &houses, "Alex Canary", &[]).await;
    let second = kith_tests::referral::send(&garden, &houses, "Jo Canary", &[]).await;
    for id in [&first.id, &second.id] {
        kith_tests::referral::wait_for_status(&houses, id, "received").await;
    }
    let shots = workspace().join("target/desk-screenshots");
    let out = Command::new("node")
        .arg(workspace().join("tests/browser/desk.mjs"))
        .arg(houses.desk_url().expect("a desk"))
        .arg(region.relay.http_url())
        .arg(&shots)
        .env("KITH_DESK_WORKER", worker)
        .env("KITH_DESK_COORDINATOR", coordinator)
        .env("KITH_REFERRALS", format!("{},{}", first.id, second.id))
        .env("KITH_CHROMIUM", &chromium)
        .output()
        .expect("run node tests/browser/desk.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshots: {}", shots.display());
    assert!(out.status.success(), "the desk failed in the browser:\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}")).expect("a JSON report");
    assert!(report["taps_to_beds"].as_u64().is_some_and(|t| t <= 3), "{report}");
    // The sending hub sees both answers; the audit log names the worker for each change.
    kith_tests::referral::wait_for_status(&garden, &first.id, "accepted").await;
    let declined = kith_tests::referral::wait_for_status(&garden, &second.id, "declined").await;
    assert!(declined.to_string().contains("No room this week"), "{declined}");
    let log = houses.kith(["desk", "audit"]).await.array();
    let has = |action: &str, about: &str| {
        log.iter()
            .any(|e| e["actor"] == "desk:sam" && e["action"] == action && (about.is_empty() || e["about"] == about))
    };
    assert!(has("referral accepted", &first.id) && has("referral declined", &second.id), "{log:#?}");
    assert!(has("details shown", &first.id) && has("safehouse-published", ""), "{log:#?}");
    assert!(log.iter().any(|e| e["actor"] == "cli" && e["action"] == "service-published"), "{log:#?}");
}

/// Asking about a listing in Chromium, with the page's script on (sealed before it
/// leaves) and off (by keyboard alone); the hub's desk and `kith ask list` show both,
/// opened; the status page follows the desk's answer; nothing the person wrote is
/// anywhere the relay or NATS keeps anything.
#[tokio::test]
async fn a_person_asks_about_a_listing_with_script_on_and_off_and_the_desk_answers() {
    let Some(chromium) = chromium("browser: asking about a listing") else { return };
    let region = Region::start().await;
    let options = HubOptions { desk: true, ..HubOptions::named("Leeds Peer Garden Co-op") };
    let mut hub = region.hub_with("peer-garden", options).await;
    let job = add_opportunity(&hub, "Van driver", &[]).await;
    let house = add_safehouse(&hub, "Garden House", 2, &["--phone", "0113 496 0101"]).await;
    let key = std::fs::read_to_string(region.relay.dir().join("relay.pub")).expect("relay.pub");
    kith_tests::hub::set_hub_toml(
        &hub.dir(),
        "ask_relays",
        toml::Value::Array(vec![toml::Value::String(key.trim().to_owned())]),
    );
    hub.restart().await;
    let listing = format!("/opportunity/peer-garden/{}", job.id);
    wait_until("the board offers Ask about this", DEFAULT_TIMEOUT, async || {
        kith_tests::http::get(&region.relay.http_url(), &listing, "text/html").await.contains("data-seal-to")
    })
    .await;
    let shots = workspace().join("target/board-screenshots");
    let out = Command::new("node")
        .arg(workspace().join("tests/browser/ask.mjs"))
        .arg(region.relay.http_url())
        .arg(&listing)
        .arg(format!("/safe-house/peer-garden/{}", house.id))
        .arg(&shots)
        .env("KITH_CHROMIUM", &chromium)
        .output()
        .expect("run node tests/browser/ask.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "asking failed in the browser:\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}")).expect("a JSON report");
    let (js, nojs) = (report["js"].as_str().unwrap().to_owned(), report["nojs"].as_str().unwrap().to_owned());

    // Both reach the hub, opened: what the browser sealed opens there.
    let asks = wait_for("both asks at the hub", DEFAULT_TIMEOUT, async || {
        let asks = hub.kith(["ask", "list"]).await.array();
        (asks.len() == 2).then_some(asks)
    })
    .await;
    let by_ref = |r: &str| asks.iter().find(|a| a["reference"] == r).cloned().expect("the ask");
    assert_eq!(by_ref(&js)["content"]["name"], "Canary Jsperson");
    assert_eq!(by_ref(&js)["content"]["how"], "text");
    assert_eq!(by_ref(&nojs)["content"]["name"], "Canary Keyboard");

    // The desk lists them; a worker sees what was written (audited) and answers.
    let mut desk = kith_tests::desk::Desk::signed_in(&hub, "sam", "worker").await;
    let list = desk.get("/asks").await;
    assert!(list.body.contains(&js) && list.body.contains("Van driver"), "{}", list.body);
    assert!(!list.body.contains("Canary"), "the list shows nothing the person wrote");
    let id = by_ref(&js)["id"].as_str().unwrap().to_owned();
    let shown = desk.submit(&format!("/asks/{id}"), &format!("/asks/{id}/details"), &[]).await;
    assert!(shown.body.contains("Canary Jsperson") && shown.body.contains("07700 900456"), "{}", shown.body);
    desk.submit(&format!("/asks/{id}"), &format!("/asks/{id}/contacted"), &[]).await;
    wait_until("the status page follows the desk", DEFAULT_TIMEOUT, async || {
        kith_tests::http::get(&region.relay.http_url(), &format!("/ask/{js}"), "text/html")
            .await
            .contains("<h1>Contacted</h1>")
    })
    .await;
    let audit = hub.kith(["desk", "audit"]).await.array();
    assert!(audit.iter().any(|e| e["action"] == "ask shown" && e["actor"] == "desk:sam"), "{audit:?}");

    for needle in ["Canary Jsperson", "canaryjs-3301", "Canary Keyboard", "canarykb-4402"] {
        for (what, dir) in [("relay", region.relay.root()), ("NATS", region.nats.root())] {
            assert_eq!(
                kith_tests::files::files_containing(dir, needle.as_bytes()),
                Vec::<PathBuf>::new(),
                "{what}: {needle}"
            );
        }
    }
}

/// The desk's pool pages in Chromium (`tests/browser/pool.mjs`): axe on every page,
/// 320 px, a member's own page on a phone, and a job offered, taken and its hours
/// recorded by keyboard alone. Screenshots in `target/pool-screenshots/`.
#[tokio::test]
async fn the_pool_pages_work_on_a_phone_by_keyboard_and_for_screen_readers() {
    let Some(chromium) = chromium("browser: the pool's desk pages in a browser") else { return };
    let region = Region::start().await;
    let options =
        HubOptions { desk: true, fair_rate: Some("12.60".into()), ..HubOptions::named("Green Hands Garden Co-op") };
    let garden = region.hub_with("garden", options).await;
    let password = async |name: &str, role: &str| {
        let out = garden.kith(["desk", "user", "add", name, "--role", role]).await.ok();
        format!("{name}:{}", out["password"].as_str().expect("a password"))
    };
    let (coordinator, member) = (password("kim", "coordinator").await, password("bea", "member").await);
    let add = async |args: &[&str]| {
        let mut all = vec!["pool", "member", "add", "--skill", "gardening", "--available", "tue 09:00-17:00"];
        all.extend_from_slice(args);
        garden.kith(all).await.ok()["id"].as_str().expect("an id").to_owned()
    };
    let bea = add(&["--name", "Bea Example", "--min-rate", "13", "--desk-user", "bea"]).await;
    let ann = add(&["--name", "Ann Example", "--min-rate", "12.60", "--weekly-limit", "50"]).await;
    add(&["--name", "Cal Example", "--min-rate", "40"]).await;
    let job = garden
        .kith([
            "pool",
            "job",
            "add",
            "--what",
            "Clear the beds",
            "--date",
            "2027-03-02",
            "--start",
            "10:00",
            "--hours",
            "4",
            "--rate",
            "15",
            "--skill",
            "gardening",
            "--client",
            "Calder Housing",
        ])
        .await
        .ok()["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let shots = workspace().join("target/pool-screenshots");
    let out = Command::new("node")
        .arg(workspace().join("tests/browser/pool.mjs"))
        .arg(garden.desk_url().expect("a desk"))
        .arg(&shots)
        .env("KITH_DESK_COORDINATOR", coordinator)
        .env("KITH_DESK_MEMBER", member)
        .env("KITH_POOL", format!("{job},{bea},{ann}"))
        .env("KITH_CHROMIUM", &chromium)
        .output()
        .expect("run node tests/browser/pool.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshots: {}", shots.display());
    assert!(out.status.success(), "the pool's pages failed in the browser:\n{stdout}");
    let done = garden.kith(["pool", "job", "show", &job]).await.ok();
    assert_eq!((done["status"].as_str(), done["pay_pence"].as_u64()), (Some("done"), Some(5_250)), "{done}");
}
