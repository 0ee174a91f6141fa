//! Asks about a listing: what the board's vendored script seals in a browser
//! (`relay/board/vendor`, run here by node as `tests/browser/seal.mjs`) opens at the
//! listing's hub, and at no other; a person asking through the board without
//! script, the hub taking it (also after being offline) and answering, the status
//! page following, forged asks refused, and floods bounded. A canary name and
//! message are looked for everywhere the relay and NATS keep anything.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use kith_proto::ask::{self, AskError, Contact};
use kith_tests::files::files_containing;
use kith_tests::http::{get, post_form};
use kith_tests::hub::set_hub_toml;
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Hub, Region, wait_for, wait_until, workspace};
use serde_json::Value;

const CANARY_NAME: &str = "Canarybird Quillon";
const CANARY_WORDS: &str = "canaryword-7731 is the cafe job still open";

/// A form as a browser without script posts it.
pub(crate) fn plain_form(name: &str, words: &str) -> String {
    let enc = |s: &str| s.replace(' ', "+");
    format!(
        "name={}&how=phone&reach=07700+900123&when=mornings&words={}&consent=yes&sealed=&website=",
        enc(name),
        enc(words)
    )
}

/// The reference on a "Sent" page.
pub(crate) fn reference_of(page: &str) -> String {
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let at = page.find("/ask/").expect("a link to the status page");
    page[at + 5..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}

/// The relay's key, from the file it writes at start, put in the hub's
/// `ask_relays`; the hub restarted to read it.
pub(crate) async fn trust_relay(hub: &mut Hub, region: &Region) {
    let key = std::fs::read_to_string(region.relay.dir().join("relay.pub")).expect("the relay wrote relay.pub");
    set_hub_toml(&hub.dir(), "ask_relays", toml::Value::Array(vec![toml::Value::String(key.trim().to_owned())]));
    hub.restart().await;
}

pub(crate) async fn asks_json(hub: &Hub) -> Vec<Value> {
    hub.kith(["ask", "list"]).await.array()
}

/// The hub's profile at the relay says it takes asks (its heartbeat carried it).
pub(crate) async fn wait_open(region: &Region, listing_page: &str) {
    wait_until("the board offers Ask about this", DEFAULT_TIMEOUT, async || {
        get(&region.relay.http_url(), listing_page, "text/html").await.contains("data-seal-to")
    })
    .await;
}

#[tokio::test]
async fn a_person_asks_without_script_the_hub_answers_and_the_words_stay_sealed_everywhere_else() {
    let region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let listing = add_opportunity(&hub, "Cafe assistant", &[]).await;
    let page = format!("/opportunity/peer-garden/{}", listing.id);
    wait_until("the relay has it", DEFAULT_TIMEOUT, async || region.relay.stats().await.opportunities == 1).await;
    // A hub that names no relay takes no asks: the board shows only how to call.
    let before = get(&region.relay.http_url(), &page, "text/html").await;
    assert!(before.contains("Ask about this") && !before.contains("data-seal-to"), "{before}");
    trust_relay(&mut hub, &region).await;
    wait_open(&region, &page).await;

    let action = format!("/ask/opportunity/peer-garden/{}", listing.id);
    // A mistake is shown back, with nothing sent.
    let wrong = post_form(&region.relay.http_url(), &action, "name=&how=phone&reach=12&consent=yes", &[]).await;
    assert!(wrong.starts_with("HTTP/1.1 422"), "{wrong}");
    assert!(wrong.contains("Enter your name or first name"), "{wrong}");
    // A form on another site cannot send one through a visitor's browser.
    let forged = post_form(
        &region.relay.http_url(),
        &action,
        &plain_form("Other Site", "x"),
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await;
    assert!(forged.starts_with("HTTP/1.1 403"), "{forged}");
    let sent = post_form(&region.relay.http_url(), &action, &plain_form(CANARY_NAME, CANARY_WORDS), &[]).await;
    let reference = reference_of(&sent);
    assert!(!sent.contains("Canarybird"), "the Sent page says nothing the person wrote");

    // The hub has it, opened: the canary is there and only there.
    let asks = wait_for("the hub takes the ask", DEFAULT_TIMEOUT, async || {
        let asks = asks_json(&hub).await;
        asks.first().filter(|a| a["status"] == "received").cloned()
    })
    .await;
    assert_eq!(asks["content"]["name"], CANARY_NAME);
    assert_eq!(asks["content"]["words"], CANARY_WORDS);
    assert_eq!(asks["content"]["how"], "phone");
    assert_eq!(asks["reference"], reference.as_str());
    assert_eq!(asks["listing_title"], "Cafe assistant");
    let id = asks["id"].as_str().unwrap().to_owned();

    // The status page follows the hub's answers, and shows nothing personal.
    let status = format!("/ask/{reference}");
    wait_until("the status page says received", DEFAULT_TIMEOUT, async || {
        get(&region.relay.http_url(), &status, "text/html").await.contains("<h1>Received</h1>")
    })
    .await;
    assert!(hub.kith(["ask", "answer", &id, "--status", "contacted"]).await.success());
    let shown = wait_for("the status page says contacted", DEFAULT_TIMEOUT, async || {
        let page = get(&region.relay.http_url(), &status, "text/html").await;
        page.contains("<h1>Contacted</h1>").then_some(page)
    })
    .await;
    assert!(!shown.contains("Canarybird") && !shown.contains("canaryword"), "{shown}");
    assert!(shown.contains("no-referrer") || shown.to_ascii_lowercase().contains("referrer-policy"), "{shown}");
    // A step back is refused, naming why.
    let back = hub.kith(["ask", "answer", &id, "--status", "contacted"]).await;
    assert!(!back.success() && back.stderr.contains("cannot become contacted"), "{back:?}");

    // Nowhere the relay or NATS keeps anything holds the canary: files, logs, the
    // stream's files.
    for needle in [CANARY_NAME.as_bytes(), b"canaryword-7731"] {
        assert_eq!(files_containing(region.relay.root(), needle), Vec::<PathBuf>::new(), "relay");
        assert_eq!(files_containing(region.nats.root(), needle), Vec::<PathBuf>::new(), "NATS");
        // Nor does the hub's store in plain text: it is encrypted at rest.
        assert_eq!(files_containing(&hub.dir().join("store"), needle), Vec::<PathBuf>::new(), "hub store");
    }

    // Erased: the hub keeps the history, not the words.
    assert!(hub.kith(["ask", "erase", &id]).await.success());
    let shown = hub.kith(["ask", "show", &id]).await.ok();
    assert_eq!(shown["content"], Value::Null);
    assert_eq!(shown["erased"], true);
    assert_eq!(shown["status"], "contacted");
}

#[tokio::test]
async fn asks_wait_for_an_offline_hub_and_forged_ones_are_refused_and_counted() {
    let region = Region::start().await;
    let mut hub = region.hub("rainbow").await;
    let listing = add_opportunity(&hub, "Peer support worker", &[]).await;
    trust_relay(&mut hub, &region).await;
    let page = format!("/opportunity/rainbow/{}", listing.id);
    wait_open(&region, &page).await;

    // Sent while the hub is down: it takes it when it comes back.
    hub.stop().await;
    let action = format!("/ask/opportunity/rainbow/{}", listing.id);
    let reference = reference_of(
        &post_form(&region.relay.http_url(), &action, &plain_form("Robin", "while you were away"), &[]).await,
    );
    let waiting = get(&region.relay.http_url(), &format!("/ask/{reference}"), "text/html").await;
    assert!(waiting.contains("<h1>Sent</h1>") && waiting.contains("Waiting for"), "{waiting}");
    hub.restart().await;
    wait_until("the hub takes the ask it missed", DEFAULT_TIMEOUT, async || {
        asks_json(&hub).await.iter().any(|a| a["reference"] == reference.as_str() && a["content"]["name"] == "Robin")
    })
    .await;

    // Forged: signed by a key the hub does not trust, or altered after signing.
    let js = region.nats.jetstream().await;
    let (region_slug, hub_slug) = (region.slug(), hub.slug());
    let keys = hub.keys();
    let box_key = keys.box_public();
    let content =
        ask::AskContent { v: 1, name: "Forger".into(), contact: Contact::None, words: String::new(), consent: true };
    let sealed = ask::seal(&content, &box_key).unwrap();
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let forged = ask::Ask::new(
        &region_slug,
        &hub_slug,
        kith_proto::event::Family::Opportunities,
        listing.id.parse().unwrap(),
        ask::Reference::new(),
        sealed,
        kith_proto::time::now_ms(),
        "relay",
        &stranger,
    )
    .unwrap();
    let subject = ask::subject(&region_slug, &hub_slug, forged.id);
    js.publish(subject, forged.encode().into()).await.unwrap().await.unwrap();
    let policy = wait_for("the forged ask is refused and counted", DEFAULT_TIMEOUT, async || {
        let p = hub.kith(["ask", "policy"]).await.ok();
        (p["forged"] == 1).then_some(p)
    })
    .await;
    assert_eq!(policy["open"], true);
    assert!(asks_json(&hub).await.iter().all(|a| a["content"]["name"] != "Forger"), "a forged ask is not kept");

    // The hub closes this listing to asks: the board shows only how to call, and a
    // form posted anyway sends nothing.
    assert!(hub.kith(["ask", "close", &listing.id]).await.success());
    wait_until("the board stops offering the form", DEFAULT_TIMEOUT, async || {
        !get(&region.relay.http_url(), &page, "text/html").await.contains("data-seal-to")
    })
    .await;
    let closed = post_form(&region.relay.http_url(), &action, &plain_form("Late", "still open?"), &[]).await;
    assert!(closed.starts_with("HTTP/1.1 409"), "{closed}");
    assert!(hub.kith(["ask", "reopen", &listing.id]).await.success());
    wait_open(&region, &page).await;
    // Paused altogether: the same for every listing.
    let paused = hub.kith(["ask", "pause"]).await.ok();
    assert_eq!(paused["open"], false);
    wait_until("the board stops offering the form", DEFAULT_TIMEOUT, async || {
        !get(&region.relay.http_url(), &page, "text/html").await.contains("data-seal-to")
    })
    .await;
}

#[tokio::test]
async fn a_flood_from_one_client_is_throttled_and_one_from_many_stops_at_the_hubs_cap() {
    let region = Region::start_with(&["--trust-proxy", "127.0.0.1/32"]).await;
    let mut hub = region.hub("garden").await;
    let listing = add_opportunity(&hub, "Gardener", &[]).await;
    trust_relay(&mut hub, &region).await;
    assert!(hub.kith(["ask", "cap", "4"]).await.success());
    let page = format!("/opportunity/garden/{}", listing.id);
    wait_open(&region, &page).await;
    let action = format!("/ask/opportunity/garden/{}", listing.id);
    let url = region.relay.http_url();

    // One client: three at once, then refused until it slows down.
    let from = |ip: &'static str| [("X-Forwarded-For", ip)];
    for _ in 0..3 {
        reference_of(&post_form(&url, &action, &plain_form("Sam", "hello"), &from("203.0.113.7")).await);
    }
    let throttled = post_form(&url, &action, &plain_form("Sam", "hello"), &from("203.0.113.7")).await;
    assert!(throttled.starts_with("HTTP/1.1 429"), "{throttled}");
    assert!(throttled.contains("Not sent"), "{throttled}");

    // Many clients: the hub's cap (4 a day) stops the fifth ask, whoever sends it.
    reference_of(&post_form(&url, &action, &plain_form("Kim", "hi"), &from("198.51.100.1")).await);
    let capped = post_form(&url, &action, &plain_form("Lee", "hi"), &from("198.51.100.2")).await;
    assert!(capped.starts_with("HTTP/1.1 503"), "{capped}");
    assert!(capped.contains("as many asks as they can take today"), "{capped}");
    // A robot filling the hidden field is told it was sent; nothing is.
    let trapped = post_form(&url, &action, &format!("{}x", plain_form("Bot", "spam")), &from("198.51.100.3")).await;
    assert!(trapped.starts_with("HTTP/1.1 200"), "{trapped}");
    wait_until("the hub has the four it may take", DEFAULT_TIMEOUT, async || asks_json(&hub).await.len() == 4).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(asks_json(&hub).await.len(), 4, "nothing beyond the cap reached the hub");

    // The cap is the hub's: raised, the honest ask goes through.
    assert!(hub.kith(["ask", "cap", "5"]).await.success());
    let reference = wait_for("the board has the new cap", DEFAULT_TIMEOUT, async || {
        let page = post_form(&url, &action, &plain_form("Honest Person", "may I visit"), &from("192.0.2.9")).await;
        page.starts_with("HTTP/1.1 200").then(|| reference_of(&page))
    })
    .await;
    wait_until("the honest ask is delivered", DEFAULT_TIMEOUT, async || {
        asks_json(&hub).await.iter().any(|a| a["reference"] == reference.as_str())
    })
    .await;
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn an_ask_sealed_by_the_boards_script_opens_at_the_listing_hub_only() {
    let script = workspace().join("tests/browser/seal.mjs");
    let Ok(version) = Command::new("node").arg("--version").output() else {
        kith_tests::skip(
            "asks: the board's sealing script under node",
            "needs node (apt-get install npm; tests/run installs it)",
        );
        return;
    };
    assert!(version.status.success());
    let hub = crypto_box::SecretKey::generate(&mut rand::rngs::OsRng);
    let other = crypto_box::SecretKey::generate(&mut rand::rngs::OsRng);
    let key: String = hub.public_key().as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let json = r#"{"v":1,"name":"Canary Sam","contact":{"how":"text","number":"07700 900123","when":"after 6"},"words":"canary: is the cafe job open?","consent":true}"#;
    let out = Command::new("node").arg(&script).arg(&key).arg(json).output().expect("run node tests/browser/seal.mjs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sealed = unhex(String::from_utf8(out.stdout).unwrap().trim());
    assert_eq!(sealed.len(), json.len() + ask::SEAL_OVERHEAD);
    assert!(!String::from_utf8_lossy(&sealed).contains("Canary"));
    let content = ask::open(&sealed, &hub).expect("the hub opens what the browser sealed");
    assert_eq!(content.name, "Canary Sam");
    assert_eq!(content.contact, Contact::Text { number: "07700 900123".into(), when: "after 6".into() });
    assert!(matches!(ask::open(&sealed, &other), Err(AskError::Open)), "another hub opens nothing");
}

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// The hub's cap is a day's: with relay and hub clocks set (libfaketime) to just
/// before midnight, a flood stops at the cap, and an honest ask after midnight goes
/// through and is taken.
#[tokio::test]
async fn after_a_flood_stops_at_the_cap_an_honest_ask_goes_through_once_the_day_turns() {
    if !std::path::Path::new(LIBFAKETIME).exists() {
        kith_tests::skip(
            "asks: the daily cap turning at midnight",
            "needs libfaketime (apt-get install faketime; tests/run installs it)",
        );
        return;
    }
    // A winter's night: London's day and UTC's turn together.
    let envs = vec![
        ("LD_PRELOAD", LIBFAKETIME.to_owned()),
        ("FAKETIME", "@2027-03-01 23:59:00".to_owned()),
        ("FAKETIME_DONT_FAKE_MONOTONIC", "1".to_owned()),
        ("TZ", "UTC".to_owned()),
    ];
    let nats = kith_tests::NatsServer::spawn().await;
    let relay = kith_tests::Relay::start_with_env(
        kith_tests::REGION,
        &nats.url(),
        None,
        &["--trust-proxy", "127.0.0.1/32", "--time-zone", "Europe/London"],
        &envs,
    )
    .await;
    let started = std::time::Instant::now();
    let region = Region { name: kith_tests::REGION.into(), relay, nats };
    let options = kith_tests::HubOptions { envs: envs.clone(), ..kith_tests::HubOptions::named("Hub garden") };
    let mut hub = region.hub_with("garden", options).await;
    let listing = add_opportunity(&hub, "Gardener", &[]).await;
    trust_relay(&mut hub, &region).await;
    assert!(hub.kith(["ask", "cap", "2"]).await.success());
    let page = format!("/opportunity/garden/{}", listing.id);
    wait_open(&region, &page).await;
    let (url, action) = (region.relay.http_url(), format!("/ask/opportunity/garden/{}", listing.id));
    let from = |ip: &'static str| [("X-Forwarded-For", ip)];
    reference_of(&post_form(&url, &action, &plain_form("Ann", "one"), &from("198.51.100.1")).await);
    reference_of(&post_form(&url, &action, &plain_form("Bea", "two"), &from("198.51.100.2")).await);
    let capped = post_form(&url, &action, &plain_form("Cal", "three"), &from("198.51.100.3")).await;
    assert!(capped.starts_with("HTTP/1.1 503"), "{capped}");
    assert!(started.elapsed() < Duration::from_secs(50), "the flood was over before midnight");

    // Past midnight at both (the hub started a moment after the relay).
    tokio::time::sleep(Duration::from_secs(66).saturating_sub(started.elapsed())).await;
    let honest = post_form(&url, &action, &plain_form("Honest Person", "after midnight"), &from("198.51.100.4")).await;
    let reference = reference_of(&honest);
    let taken = wait_for("the honest ask is taken", DEFAULT_TIMEOUT, async || {
        asks_json(&hub).await.into_iter().find(|a| a["reference"] == reference.as_str())
    })
    .await;
    assert_eq!(taken["status"], "received", "{taken}");
    assert_eq!(taken["content"]["name"], "Honest Person");
}

/// Asks are a work queue: once a hub has taken one, the stream of asks no longer
/// holds it. A hub restored from a backup taken before still gets it back — from
/// its own copy, sealed to itself, in its answer on the region's stream — with the
/// status it had moved on to; an ask erased since does not come back.
#[tokio::test]
async fn a_hub_restored_from_an_older_backup_gets_back_the_asks_it_took_since_but_not_an_erased_one() {
    let region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let listing = add_opportunity(&hub, "Cafe assistant", &[]).await;
    trust_relay(&mut hub, &region).await;
    let page = format!("/opportunity/peer-garden/{}", listing.id);
    wait_open(&region, &page).await;
    let file = hub.root().join("garden.kithbackup");
    hub.kith(["backup", "--out", file.to_str().unwrap()]).await.ok();

    // After the backup: two asks taken; one answered, the other erased.
    let action = format!("/ask/opportunity/peer-garden/{}", listing.id);
    for (name, words) in [("Kept Canary", "canary-kept-5150"), ("Erased Canary", "canary-erased-5151")] {
        let sent = post_form(&region.relay.http_url(), &action, &plain_form(name, words), &[]).await;
        reference_of(&sent);
    }
    let asks = wait_for("the hub takes both", DEFAULT_TIMEOUT, async || {
        let asks = asks_json(&hub).await;
        (asks.len() == 2 && asks.iter().all(|a| a["status"] == "received")).then_some(asks)
    })
    .await;
    let id_of = |name: &str| {
        asks.iter().find(|a| a["content"]["name"] == name).expect("taken")["id"].as_str().unwrap().to_owned()
    };
    let (kept, erased) = (id_of("Kept Canary"), id_of("Erased Canary"));
    hub.kith(["ask", "answer", &kept, "--status", "contacted"]).await.ok();
    hub.kith(["ask", "erase", &erased]).await.ok();
    let audit = hub.kith(["desk", "audit"]).await.array();
    assert!(audit.iter().any(|e| e["action"] == "ask erased" && e["about"] == erased.as_str()), "{audit:?}");
    wait_until("the hub has published both answers", DEFAULT_TIMEOUT, async || {
        hub.kith(["status"]).await.ok()["outbox_pending"] == 0
    })
    .await;
    // The stream holds the hub's copy sealed, never in plain text.
    assert!(files_containing(region.nats.root(), b"canary-kept-5150").is_empty(), "NATS holds the words");

    // The disk is lost; the older backup is restored.
    hub.kill9();
    std::fs::remove_dir_all(hub.dir()).unwrap();
    kith_tests::kith(["restore", file.to_str().unwrap(), "--dir", hub.dir().to_str().unwrap()]).await.ok();
    hub.restart().await;

    let back = wait_for("the restored hub has its ask back", DEFAULT_TIMEOUT, async || {
        let out = hub.kith(["ask", "show", &kept]).await;
        out.success().then(|| out.ok()).filter(|a| a["status"] == "contacted")
    })
    .await;
    assert_eq!(back["content"]["words"], "canary-kept-5150", "{back}");
    let gone = hub.kith(["ask", "list"]).await.array();
    assert!(!format!("{gone:?}").contains("canary-erased-5151"), "the erased ask came back: {gone:?}");
    assert!(files_containing(&hub.dir(), b"canary-erased-5151").is_empty(), "the erased words are in the hub's files");
}
