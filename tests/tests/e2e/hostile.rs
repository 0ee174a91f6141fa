//! One hub with a valid NATS user and its own key must not be able to degrade the
//! region for everyone. Each test here performs an attack against real processes:
//! a hub publishing signed envelopes of its own making straight to NATS (as a
//! hostile hub with its own key could), or a flood of queries.

use bytes::Bytes;
use kith_proto::Slug;
use kith_proto::domain::{Availability, SafeHouse};
use kith_proto::envelope::seal;
use kith_proto::event::Event;
use kith_proto::time::now_ms;
use kith_proto::v1::{self, GetRequest};
use kith_tests::hub::Hub;
use kith_tests::sample::{add_opportunity, opportunity};
use kith_tests::{DEFAULT_TIMEOUT, Region, find, wait_for, wait_until};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use ulid::Ulid;

fn slug(s: &str) -> Slug {
    Slug::parse("slug", s).unwrap()
}

/// Publishes envelopes signed with `hub`'s own key straight to the region's
/// stream, as a hub that runs its own code could, with sequence numbers above
/// anything the hub's store has used.
struct Publisher<'a> {
    region: &'a Region,
    hub: &'a Hub,
    seq: u64,
}

impl<'a> Publisher<'a> {
    fn new(region: &'a Region, hub: &'a Hub) -> Self {
        Publisher { region, hub, seq: 1_000_000 }
    }

    async fn publish_at(&mut self, at_ms: i64, event: &Event) {
        self.seq += 1;
        let sealed = seal(&self.region.slug(), &slug(&self.hub.id), self.seq, at_ms, event, &self.hub.signing_key())
            .expect("seal");
        let js = self.region.nats.jetstream().await;
        js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().await.unwrap();
    }

    async fn publish(&mut self, event: &Event) {
        self.publish_at(now_ms(), event).await;
    }
}

async fn rejected(region: &Region, reason: &str) -> u64 {
    region.relay.stats().await.rejected.get(reason).copied().unwrap_or(0)
}

#[tokio::test]
async fn events_dated_in_the_future_are_rejected_counted_and_never_shown() {
    let region = Region::start().await;
    let garden = region.hub("peer-garden").await;
    let mut hostile = Publisher::new(&region, &garden);
    let now = now_ms();
    const HOUR: i64 = 3_600_000;

    // An envelope dated an hour ahead, and one past the year 9999 (which a
    // formatter cannot print at all).
    let ahead = opportunity(Ulid::new(), "Dated an hour ahead");
    hostile.publish_at(now + HOUR, &Event::OpportunityPublished(ahead.clone())).await;
    let far = opportunity(Ulid::new(), "Dated past the year 9999");
    hostile.publish_at(253_402_300_800_000, &Event::OpportunityPublished(far.clone())).await;
    // An id dated a year ahead: it would sort first, newest, for a year.
    let first_forever = opportunity(Ulid::from_parts((now + 365 * 24 * HOUR) as u64, 7), "Always first");
    hostile.publish(&Event::OpportunityPublished(first_forever.clone())).await;
    // Availability reported as updated tomorrow: it would never look stale.
    let house = SafeHouse {
        id: Ulid::new(),
        name: "Always fresh house".into(),
        area: "Leeds".into(),
        for_tags: vec![],
        beds_total: 4,
        wheelchair_access: false,
        self_referral: true,
        longest_stay_nights: None,
        phone: "0113 496 0000".into(),
        description: String::new(),
        availability: Some(Availability { beds_free: 4, updated_at_ms: now + 24 * HOUR, valid_until_ms: now + HOUR }),
    };
    hostile.publish(&Event::SafeHousePublished(house.clone())).await;
    // Then a genuine one: once it is applied, the relay has been through the others.
    let genuine = opportunity(Ulid::new(), "Dated now");
    hostile.publish(&Event::OpportunityPublished(genuine.clone())).await;

    let mut relay = region.relay.client().await;
    wait_for("the genuine envelope is applied", DEFAULT_TIMEOUT, async || {
        relay.get_opportunity(GetRequest { id: genuine.id.to_string(), hub: String::new() }).await
    })
    .await;
    wait_until("four events are refused as future-dated", DEFAULT_TIMEOUT, async || {
        rejected(&region, "future-dated").await == 4
    })
    .await;
    for id in [ahead.id, far.id, first_forever.id] {
        let status = relay.get_opportunity(GetRequest { id: id.to_string(), hub: String::new() }).await.unwrap_err();
        assert_eq!(status.code(), tonic::Code::NotFound, "{id}: {status:?}");
    }
    assert!(relay.get_safe_house(GetRequest { id: house.id.to_string(), hub: String::new() }).await.is_err());
    // Every reader still works, and the newest listing is the genuine one.
    let listed = region.opportunities(&["--sort", "newest"]).await;
    assert_eq!(listed[0]["id"], genuine.id.to_string().as_str(), "{listed:?}");
    let hubs = region.relay.kith(["region", "hubs"]).await;
    assert_eq!(hubs.code, Some(0), "{}", hubs.stderr);
    let table = region.relay.kith_table(["region", "hubs"]).await;
    assert!(table.contains("peer-garden"), "{table}");
}

#[tokio::test]
async fn a_hub_over_its_quota_is_refused_counted_and_shown_as_over_quota() {
    let region = Region::start_with(&["--quota-entities", "3"]).await;
    let garden = region.hub("peer-garden").await;
    let other = region.hub("crisis-house").await;
    let mut hostile = Publisher::new(&region, &garden);
    let ids: Vec<Ulid> = (0..6).map(|_| Ulid::new()).collect();
    for (i, id) in ids.iter().enumerate() {
        hostile.publish(&Event::OpportunityPublished(opportunity(*id, &format!("Flood {i}")))).await;
    }
    wait_until("three are applied and three refused as over quota", DEFAULT_TIMEOUT, async || {
        rejected(&region, "over-quota").await == 3
    })
    .await;
    let mine = region.opportunities(&["--hub", "peer-garden"]).await;
    assert_eq!(mine.len(), 3, "{mine:?}");
    let hubs = region.relay.kith(["region", "hubs"]).await.array();
    let garden_row = find(&hubs, "peer-garden").unwrap();
    assert_eq!(garden_row["over_quota"], serde_json::json!(["entities"]), "{garden_row}");
    assert_eq!(garden_row["refused_over_quota"], 3);
    assert_eq!(find(&hubs, "crisis-house").unwrap()["over_quota"], serde_json::json!([]));
    let table = region.relay.kith_table(["region", "hubs"]).await;
    assert!(table.contains("OVER QUOTA") && table.contains("entities (3 refused)"), "{table}");

    // The other hub is not held back by it.
    let theirs = add_opportunity(&other, "Crisis house cook", &[]).await;
    let mut relay = region.relay.client().await;
    wait_for("the other hub's listing is applied", DEFAULT_TIMEOUT, async || {
        relay.get_opportunity(GetRequest { id: theirs.id.clone(), hub: String::new() }).await
    })
    .await;
    // Withdrawing makes room again.
    let shown: Vec<Ulid> = mine.iter().map(|o| Ulid::from_string(o["id"].as_str().unwrap()).unwrap()).collect();
    hostile.publish(&Event::OpportunityWithdrawn { id: shown[0] }).await;
    let refused_id = *ids.iter().find(|id| !shown.contains(id)).unwrap();
    hostile.publish(&Event::OpportunityPublished(opportunity(refused_id, "Now there is room"))).await;
    wait_for("the listing is applied once there is room", DEFAULT_TIMEOUT, async || {
        relay.get_opportunity(GetRequest { id: refused_id.to_string(), hub: String::new() }).await
    })
    .await;
}

#[tokio::test]
async fn a_hub_copying_another_hubs_id_cannot_take_its_place() {
    let region = Region::start().await;
    let garden = region.hub("peer-garden").await;
    let copycat = region.hub("copycat").await;
    let genuine = add_opportunity(&garden, "Allotment gardener", &[]).await;
    let id = Ulid::from_string(&genuine.id).unwrap();
    let mut relay = region.relay.client().await;
    let get = |hub: &str| GetRequest { id: genuine.id.clone(), hub: hub.into() };
    wait_for("the genuine listing is applied", DEFAULT_TIMEOUT, async || relay.get_opportunity(get("")).await).await;

    // The copycat publishes its own listing under the same id.
    let mut copying = Publisher::new(&region, &copycat);
    copying.publish(&Event::OpportunityPublished(opportunity(id, "Allotment gardener (copy)"))).await;
    wait_until("both are in the region", DEFAULT_TIMEOUT, async || region.opportunities(&[]).await.len() == 2).await;

    // A lookup by id alone is refused, naming both hubs; naming the hub finds each.
    let status = relay.get_opportunity(get("")).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::FailedPrecondition, "{status:?}");
    assert!(status.message().contains("copycat, peer-garden"), "{}", status.message());
    let found = relay.get_opportunity(get("peer-garden")).await.unwrap().into_inner();
    assert_eq!((found.hub.as_str(), found.title.as_str()), ("peer-garden", "Allotment gardener"));
    let copy = relay.get_opportunity(get("copycat")).await.unwrap().into_inner();
    assert_eq!(copy.title, "Allotment gardener (copy)");
    let out = region.relay.kith(["region", "opportunity", &genuine.id]).await;
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("name the hub"), "{}", out.stderr);
    let out = region.relay.kith(["region", "opportunity", &genuine.id, "--hub", "peer-garden"]).await;
    assert_eq!(out.ok()["title"], "Allotment gardener");
    // The copycat withdrawing "its" copy leaves the genuine one alone.
    copying.publish(&Event::OpportunityWithdrawn { id }).await;
    wait_until("the copy is gone", DEFAULT_TIMEOUT, async || region.opportunities(&[]).await.len() == 1).await;
    assert_eq!(relay.get_opportunity(get("")).await.unwrap().into_inner().hub, "peer-garden");
}

#[tokio::test]
async fn a_query_storm_does_not_starve_ingest() {
    // Two searches at a time: the rest wait their turn, or are told the relay is busy.
    // The storm comes from this test's one address: without the per-client limit
    // (tested on its own), so that it is the query limits that hold it.
    let region =
        Region::start_with(&["--max-queries", "2", "--query-timeout", "500ms", "--grpc-rate-per-client", "0"]).await;
    let garden = region.hub("peer-garden").await;
    for i in 0..20 {
        add_opportunity(&garden, &format!("Gardening volunteer {i}"), &["--description", "Grow food in Leeds"]).await;
    }
    let url = region.relay.url();
    // The storm lasts until the writes below are done (a minute at most), and counts
    // the searches it makes, so that the writes are seen to land while it blows.
    let calm = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicU64::new(0));
    let storm_until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut storm = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let (url, calm, searches) = (url.clone(), calm.clone(), searches.clone());
        storm.spawn(async move {
            let mut client = kith_tests::relay::region_client(&url).await.unwrap();
            let (mut ok, mut busy) = (0u64, 0u64);
            while !calm.load(Ordering::SeqCst) && std::time::Instant::now() < storm_until {
                let request =
                    v1::SearchOpportunitiesRequest { query: "g".into(), page_size: 500, ..Default::default() };
                match client.search_opportunities(request).await {
                    Ok(_) => ok += 1,
                    Err(s) if matches!(s.code(), tonic::Code::ResourceExhausted | tonic::Code::DeadlineExceeded) => {
                        busy += 1
                    }
                    Err(s) => panic!("a search failed otherwise than busy: {s:?}"),
                }
                searches.fetch_add(1, Ordering::SeqCst);
            }
            (ok, busy)
        });
    }
    // Meanwhile the hub keeps writing, and every write reaches the relay.
    let mut relay = region.relay.client().await;
    wait_until("the storm is blowing", DEFAULT_TIMEOUT, async || searches.load(Ordering::SeqCst) >= 32).await;
    let before_writes = searches.load(Ordering::SeqCst);
    for i in 0..10 {
        let written = add_opportunity(&garden, &format!("Written during the storm {i}"), &[]).await;
        wait_for("a write during the storm is applied", DEFAULT_TIMEOUT, async || {
            relay.get_opportunity(GetRequest { id: written.id.clone(), hub: String::new() }).await
        })
        .await;
    }
    let during_writes = searches.load(Ordering::SeqCst) - before_writes;
    assert!(std::time::Instant::now() < storm_until, "the storm ended before the writes landed");
    calm.store(true, Ordering::SeqCst);
    let (mut ok, mut busy) = (0, 0);
    while let Some(r) = storm.join_next().await {
        let (o, b) = r.unwrap();
        ok += o;
        busy += b;
    }
    eprintln!(
        "during the storm: {ok} searches answered, {busy} told the relay was busy; {during_writes} while the 10 writes landed"
    );
    assert!(ok > 0, "no search was answered during the storm");
    assert!(during_writes >= 32, "the writes landed while the storm blew: only {during_writes} searches meanwhile");
}

/// A hub with a valid key floods another with referrals: beyond the limits one hub
/// may send, the receiving hub refuses them before keeping anything of them (counted,
/// the sender told a few times), lists its referrals in pages, still takes an honest
/// hub's referral, and the region's figures for it cannot be skewed by the flood.
#[tokio::test]
async fn a_flood_of_referrals_from_one_hub_is_refused_and_buries_nothing() {
    use kith_tests::referral::{person, send, wait_for_status};
    let region = Region::start().await;
    let quiet = |id: &str| kith_tests::HubOptions { heartbeat_secs: Some(3600), ..kith_tests::HubOptions::named(id) };
    let (mut rainbow, hostile, garden) = tokio::join!(
        region.hub_with("rainbow-house", quiet("Rainbow House")),
        region.hub_with("hostile", quiet("Hostile")),
        region.hub_with("peer-garden", quiet("Garden")),
    );
    rainbow.stop().await;
    kith_tests::hub::set_hub_toml(&rainbow.dir(), "referral_limit_open", 5.into());
    kith_tests::hub::set_hub_toml(&rainbow.dir(), "referral_limit_per_hour", 8.into());
    rainbow.restart().await;

    let mut admin = hostile.admin().await;
    let mut flood = Vec::new();
    for i in 0..30 {
        let request = v1::SendReferralRequest {
            to_hub: "rainbow-house".into(),
            person: Some(v1::Person { notes: "x".repeat(1000), ..person(&format!("Flood {i}")) }),
            ..Default::default()
        };
        flood.push(admin.send_referral(request).await.expect("the hostile hub sends").into_inner().id);
    }
    let honest = send(&garden, &rainbow, "A. Person in crisis", &[]).await;
    wait_for_status(&rainbow, &honest.id, "received").await;
    let status = wait_for("the victim has taken in or refused the whole flood", DEFAULT_TIMEOUT, async || {
        let s = rainbow.kith(["status"]).await.ok();
        if s["referrals_refused"]["hostile"] == 25 { Ok(s) } else { Err(s) }
    })
    .await;
    assert_eq!(status["referrals_refused"].as_object().unwrap().len(), 1, "{status}");

    // Only the first 5 are kept; none of the refused ones' people are.
    let inbox = rainbow.kith(["referral", "list", "--inbox", "--limit", "1000"]).await.array();
    let from_hostile: Vec<&serde_json::Value> = inbox.iter().filter(|r| r["from_hub"] == "hostile").collect();
    let kept: Vec<&serde_json::Value> = from_hostile.iter().filter(|r| !r["person"].is_null()).copied().collect();
    assert_eq!(kept.len(), 5, "{from_hostile:#?}");
    // The sender was told, as often as its hourly limit: 8 declined with the reason.
    let told = wait_for("the hostile hub reads 8 refusals", DEFAULT_TIMEOUT, async || {
        let mut told = 0;
        for id in &flood {
            let r = hostile.kith(["referral", "show", id]).await.ok();
            if r["status"] == "declined" {
                assert!(r["history"][2]["reason"].as_str().unwrap().contains("at most 5 open referrals"), "{r}");
                told += 1;
            }
        }
        if told == 8 { Ok(told) } else { Err(told) }
    })
    .await;
    assert_eq!(told, 8);

    // Listed in pages, newest first: the honest referral is on the first page.
    let first = rainbow.kith(["referral", "list", "--inbox", "--limit", "2"]).await.array();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["id"], honest.id.as_str(), "{first:#?}");
    let last = first[1]["id"].as_str().unwrap();
    let second = rainbow.kith(["referral", "list", "--inbox", "--limit", "2", "--after", last]).await.array();
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|r| r["id"].as_str().unwrap() < last), "{second:#?}");
    let bad = rainbow.kith(["referral", "list", "--limit", "5000"]).await.failure();
    assert!(bad.contains("limit"), "{bad}");

    // The honest hub's referral goes on as ever.
    rainbow.kith(["referral", "accept", &honest.id]).await.ok();
    wait_for_status(&garden, &honest.id, "accepted").await;

    // The region's figures for the house count the flood as one sender's few.
    let stats = wait_for("the relay counts the house's referrals", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        match stats.referral_hubs.iter().find(|h| h.hub == "rainbow-house") {
            Some(h) if h.received >= 21 => Ok(h.clone()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    assert_eq!(stats.received, 1 + kith_relay::referrals::PER_SENDER as u64, "{stats:?}");
}

/// A hub under its own NATS user fills its subjects with junk, far past the region
/// stream's size: the relay deletes what it refuses for good, so the stream never
/// stays full, and another hub's new opportunity and referral still arrive.
#[tokio::test]
async fn junk_published_by_one_hub_cannot_fill_the_region_stream_for_the_others() {
    use kith_proto::subject::stream_name;
    use serde_json::Value;
    let user = async |args: &[&str]| {
        let mut all = vec!["nats-user"];
        all.extend(args);
        kith_tests::kith(all).await.ok()
    };
    let url = |port: u16, u: &Value| {
        format!("nats://{}:{}@127.0.0.1:{port}", u["user"].as_str().unwrap(), u["password"].as_str().unwrap())
    };
    let relay_user = user(&["relay", "--region", kith_tests::REGION]).await;
    let mut users = Vec::new();
    for hub in ["hostile", "peer-garden", "rainbow-house"] {
        users.push(user(&["hub", "--region", kith_tests::REGION, "--hub", hub]).await);
    }
    let entries: Vec<&str> = std::iter::once(&relay_user).chain(&users).map(|u| u["conf"].as_str().unwrap()).collect();
    let conf = format!("authorization {{\n  users: [\n    {}\n  ]\n}}\n", entries.join(",\n    "));
    let nats = kith_tests::NatsServer::spawn_with_conf(Some(&conf)).await;
    let port = nats.port();
    // The smallest stream a relay makes: 64 MiB.
    let max = kith_proto::stream::MIN_MAX_BYTES;
    let relay = kith_tests::Relay::start_with(
        kith_tests::REGION,
        &url(port, &relay_user),
        None,
        &["--stream-max-bytes", &max.to_string()],
    )
    .await;
    let garden = kith_tests::Hub::start(kith_tests::REGION, "peer-garden", &url(port, &users[1])).await;
    let rainbow = kith_tests::Hub::start(kith_tests::REGION, "rainbow-house", &url(port, &users[2])).await;

    // The hostile hub, as its own NATS user permits: 60 KiB of junk on each of 1,600
    // subjects of its own (about 94 MiB, half as much again as the stream holds).
    let hostile = async_nats::ConnectOptions::with_user_and_password(
        users[0]["user"].as_str().unwrap().to_owned(),
        users[0]["password"].as_str().unwrap().to_owned(),
    )
    .custom_inbox_prefix(kith_proto::permissions::inbox_prefix(&Slug::parse("hub", "hostile").unwrap()))
    .connect(format!("nats://127.0.0.1:{port}"))
    .await
    .unwrap();
    let js = async_nats::jetstream::new(hostile);
    let junk = Bytes::from(vec![0xa5u8; 60 * 1024]);
    let (mut stored, mut refused) = (0u32, 0u32);
    for _ in 0..1600 {
        let subject = format!("kith.{}.hostile.opportunity.{}", kith_tests::REGION, Ulid::new());
        match js.publish(subject, junk.clone()).await {
            Ok(ack) => match ack.await {
                Ok(_) => stored += 1,
                Err(_) => refused += 1,
            },
            Err(_) => refused += 1,
        }
    }
    eprintln!("junk: {stored} stored in the stream, {refused} refused by the server");
    assert!(u64::from(stored) * 60 * 1024 > max as u64, "the junk went past the stream's size: {stored}");

    // The others' writes still arrive.
    let job = add_opportunity(&garden, "Allotment helper", &[]).await;
    let referral = kith_tests::referral::send(&garden, &rainbow, "A. Person", &[]).await;
    kith_tests::referral::wait_for_status(&rainbow, &referral.id, "received").await;
    wait_until("the relay shows the garden's opportunity", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;
    let malformed = relay.stats().await.rejected.get("malformed").copied().unwrap_or(0);
    assert!(malformed >= u64::from(stored), "every piece of junk refused: {malformed} of {stored}");
    // And the junk is gone from the stream.
    let as_relay = async_nats::jetstream::new(
        async_nats::ConnectOptions::with_user_and_password(
            relay_user["user"].as_str().unwrap().to_owned(),
            relay_user["password"].as_str().unwrap().to_owned(),
        )
        .connect(format!("nats://127.0.0.1:{port}"))
        .await
        .unwrap(),
    );
    let region = Slug::parse("region", kith_tests::REGION).unwrap();
    let stream = stream_name(&region);
    // Each batch's refused messages are deleted once the batch is acknowledged.
    wait_for("the refused junk is deleted from the stream", DEFAULT_TIMEOUT, async || {
        let info = as_relay.get_stream(&stream).await.unwrap().info().await.unwrap().clone();
        if info.state.bytes < 1024 * 1024 { Ok(()) } else { Err(format!("{:?}", info.state)) }
    })
    .await;
}

/// A hub calls itself by another's name and lists a safe house with its own phone
/// number: without a roster, the board, gRPC and HSDS never show the two under one
/// name (each with its hub id); with one, the roster's name for each hub is shown,
/// whatever its profile says, and the board says the hubs are on the roster.
#[tokio::test]
async fn a_hub_cannot_pass_itself_off_as_another_by_name() {
    use kith_tests::sample::add_safehouse;
    let region = Region::start().await;
    let named =
        |name: &str| kith_tests::HubOptions { heartbeat_secs: Some(3600), ..kith_tests::HubOptions::named(name) };
    let (real, fake) = tokio::join!(
        region.hub_with("rainbow-house", named("Rainbow House")),
        region.hub_with("impostor", named("Rainbow House")),
    );
    add_safehouse(&real, "Rainbow House", 4, &["--phone", "0113 496 0303"]).await;
    add_safehouse(&fake, "Rainbow House", 4, &["--phone", "0113 496 0999"]).await;
    wait_until("both houses are in the view", DEFAULT_TIMEOUT, async || region.relay.stats().await.safe_houses == 2)
        .await;
    let hubs = region.relay.kith(["region", "hubs"]).await.array();
    let names: Vec<&str> = hubs.iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Rainbow House (impostor)", "Rainbow House (rainbow-house)"], "{hubs:#?}");
    let page = kith_tests::http::get(&region.relay.http_url(), "/safe-houses", "text/html").await;
    assert!(page.contains("Rainbow House (impostor)") && page.contains("Rainbow House (rainbow-house)"), "{page}");
    let orgs = kith_tests::http::get(&region.relay.http_url(), "/organizations", "application/json").await;
    assert!(orgs.contains("Rainbow House (impostor)"), "{orgs}");
    let hubs_page = kith_tests::http::get(&region.relay.http_url(), "/hubs", "text/html").await;
    assert!(hubs_page.contains("This region has no roster"), "{hubs_page}");

    // With a roster, the coordinator's names: the impostor is not on it (and is not
    // listened to), and a hub on it whose profile claims another name is shown
    // under the roster's.
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.toml");
    let coordinator = dir.path().join("coordinator.key");
    let (r, c) = (roster.to_str().unwrap(), coordinator.to_str().unwrap());
    kith_tests::kith([
        "region",
        "roster",
        "add",
        r,
        "--region",
        kith_tests::REGION,
        "--hub",
        "rainbow-house",
        "--key",
        &real.signing_key_hex(),
        "--name",
        "Rainbow Crisis House",
    ])
    .await
    .ok();
    let signed = kith_tests::kith(["region", "roster", "sign", r, "--coordinator-key", c]).await.ok();
    let coordinator_hex = signed["coordinator"].as_str().unwrap().to_owned();
    let rostered = kith_tests::Relay::start_with(
        kith_tests::REGION,
        &region.nats.url(),
        Some("rostered"),
        &["--roster", r, "--roster-coordinator", &coordinator_hex],
    )
    .await;
    wait_until("the rostered relay has the house", DEFAULT_TIMEOUT, async || rostered.stats().await.safe_houses == 1)
        .await;
    let hubs = rostered.kith(["region", "hubs"]).await.array();
    assert_eq!(hubs.len(), 1, "{hubs:#?}");
    assert_eq!(hubs[0]["name"], "Rainbow Crisis House", "the roster's name, not the profile's: {hubs:#?}");
    let hubs_page = kith_tests::http::get(&rostered.http_url(), "/hubs", "text/html").await;
    assert!(hubs_page.contains("on the region's roster") && hubs_page.contains("Rainbow Crisis House"), "{hubs_page}");
    // A name changed in the file after signing does not verify.
    let text = std::fs::read_to_string(&roster).unwrap();
    std::fs::write(&roster, text.replace("Rainbow Crisis House", "Impostor's House")).unwrap();
    let mut rostered = rostered;
    rostered.stop().await;
    let out = std::process::Command::new(kith_tests::bins::bin("kith-relay"))
        .args(["--region", kith_tests::REGION, "--nats", &region.nats.url(), "--dir"])
        .arg(rostered.dir())
        .args(["--name", "rostered", "--listen", "127.0.0.1:0", "--http-listen", "off", "--roster", r])
        .args(["--roster-coordinator", &coordinator_hex])
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("does not verify"));
}

/// A TCP connection to `addr` from the loopback address `from` (127.0.0.2 is another
/// client than 127.0.0.1).
async fn connect_from(from: &str, addr: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr.parse().unwrap()).await.unwrap()
}

/// GET `path` from `addr` as the client `from`: the whole response.
async fn get_from(from: &str, addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = connect_from(from, addr).await;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut raw)).await;
    raw
}

/// Holding the board is not cheap: 10,000 idle connections from one client, and 256
/// live streams from it, leave another client served and its live page updating;
/// idle connections are cut after the header timeout; /metrics is for this machine.
#[tokio::test]
async fn idle_connections_and_live_streams_from_one_client_leave_the_board_to_others() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let region = Region::start().await;
    let garden = region.hub("peer-garden").await;
    let addr = region.relay.http_url().trim_start_matches("http://").to_owned();

    // 10,000 connections that send nothing.
    let mut idle = Vec::new();
    for _ in 0..10_000 {
        match tokio::net::TcpStream::connect(&addr).await {
            Ok(s) => idle.push(s),
            Err(e) => panic!("connect: {e}"),
        }
    }
    let answer = get_from("127.0.0.2", &addr, "/hubs").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "another client is served: {answer}");

    // The header timeout closes the idle ones the relay kept.
    let mut first = idle.swap_remove(0);
    let mut buf = [0u8; 16];
    let closed = tokio::time::timeout(Duration::from_secs(30), first.read(&mut buf)).await;
    assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "an idle connection was cut: {closed:?}");
    drop(idle);

    // 256 live streams from one client: it gets a few, another client still one.
    let mut streams = Vec::new();
    let mut served = 0;
    for _ in 0..256 {
        let mut s = connect_from("127.0.0.1", &addr).await;
        let request = format!("GET /live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
        s.write_all(request.as_bytes()).await.unwrap();
        let mut head = [0u8; 12];
        if tokio::time::timeout(Duration::from_secs(5), s.read_exact(&mut head)).await.is_ok_and(|r| r.is_ok())
            && &head == b"HTTP/1.1 200"
        {
            served += 1;
        }
        streams.push(s);
    }
    assert_eq!(served, kith_relay::board::MAX_LIVE_PER_CLIENT, "one client's live streams are capped");
    let mut other = connect_from("127.0.0.2", &addr).await;
    other
        .write_all(format!("GET /live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").as_bytes())
        .await
        .unwrap();
    add_opportunity(&garden, "Written while one client holds many streams", &[]).await;
    let mut seen = String::new();
    let mut chunk = [0u8; 1024];
    let updated = tokio::time::timeout(Duration::from_secs(10), async {
        while !seen.contains("event: change") {
            let n = other.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the other client's live stream closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    })
    .await;
    assert!(updated.is_ok(), "the other client's live page heard of the change: {seen}");
    drop(streams);

    // Metrics answer this machine only.
    let metrics = get_from("127.0.0.3", &addr, "/metrics").await;
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
}

/// Behind a reverse proxy every visitor arrives from the proxy's address: with
/// `--trust-proxy`, each is its own client for the per-client limits (and /metrics
/// is not served to a visitor the proxy forwards); from anyone else, the forwarding
/// headers are ignored, so a visitor cannot pick a fresh budget by writing one.
#[tokio::test]
async fn a_trusted_proxys_visitors_each_have_their_own_budget_and_nobody_else_can_claim_one() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let region = Region::start_with(&["--trust-proxy", "127.0.0.2/32", "--http-rate-per-client", "2"]).await;
    let addr = region.relay.http_url().trim_start_matches("http://").to_owned();
    let get = async |from: &str, forwarded: &str, path: &str| {
        let mut stream = connect_from(from, &addr).await;
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nX-Forwarded-For: {forwarded}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).await.unwrap();
        raw.lines().next().unwrap_or_default().to_owned()
    };
    // Through the proxy (127.0.0.2): one visitor spends its budget (2 a second, 6 at
    // once), another still has its own.
    let mut limited = 0;
    for _ in 0..12 {
        limited += usize::from(get("127.0.0.2", "198.51.100.1", "/services").await.contains("429"));
    }
    assert!(limited > 0, "the first visitor hit its limit");
    assert!(get("127.0.0.2", "198.51.100.2", "/services").await.contains("200"), "the second has its own");
    assert!(get("127.0.0.2", "198.51.100.2", "/metrics").await.contains("404"), "a visitor is not this machine");
    // Not through the proxy: the header is the client's own word, and ignored.
    let mut limited = 0;
    for i in 0..12 {
        limited += usize::from(get("127.0.0.3", &format!("203.0.113.{i}"), "/services").await.contains("429"));
    }
    assert!(limited > 0, "a client cannot pick a fresh budget with a header of its own");
}

/// One program asking the gRPC API without pause is slowed down alone: it is told to
/// wait (RESOURCE_EXHAUSTED, before any work), and another client is answered.
#[tokio::test]
async fn one_client_hammering_the_grpc_api_is_told_to_wait_and_nobody_else_is() {
    let region = Region::start_with(&["--grpc-rate-per-client", "5"]).await;
    let mut client = region.relay.client().await;
    let mut told = None;
    for _ in 0..40 {
        if let Err(s) = client.get_stats(v1::StatsRequest {}).await {
            told = Some(s);
            break;
        }
    }
    let told = told.expect("the 40th request within a moment is over 5 a second in bursts of 15");
    assert_eq!(told.code(), tonic::Code::ResourceExhausted, "{told:?}");
    assert!(told.message().contains("try again in"), "{told:?}");
    // Another address (127.0.0.2, a connection bound to it) is its own client.
    let socket = connect_from("127.0.0.2", region.relay.url().trim_start_matches("http://")).await;
    let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1")
        .connect_with_connector(tower::service_fn({
            let socket = std::sync::Mutex::new(Some(socket));
            move |_| {
                let s = socket.lock().unwrap().take();
                async move { s.map(hyper_util::rt::TokioIo::new).ok_or_else(|| std::io::Error::other("used")) }
            }
        }))
        .await
        .unwrap();
    let mut other = kith_proto::v1::region_client::RegionClient::new(channel);
    other.get_stats(v1::StatsRequest {}).await.expect("another client is answered");
}

/// A hub dates its listing's id (and its envelope) four minutes ahead, inside what
/// the relay allows for clocks: it still ranks as of when the region's stream got it,
/// so a listing an honest hub adds after it comes first, newest first, and stays
/// first after the relay rebuilds its view from the stream.
#[tokio::test]
async fn a_listing_dated_ahead_does_not_rank_above_what_arrived_after_it() {
    let mut region = Region::start().await;
    let (cheat, honest) = tokio::join!(region.hub("cheat"), region.hub("peer-garden"));
    let mut publisher = Publisher::new(&region, &cheat);
    let ahead_ms = now_ms() + 4 * 60_000;
    let ahead = opportunity(Ulid::from_parts(ahead_ms as u64, rand::random()), "Dated four minutes ahead");
    publisher.publish_at(ahead_ms, &Event::OpportunityPublished(ahead.clone())).await;
    wait_until("the relay has the listing dated ahead", DEFAULT_TIMEOUT, async || {
        region.relay.kith(["region", "opportunity", &ahead.id.to_string()]).await.code == Some(0)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let later = add_opportunity(&honest, "Added after it", &[]).await;
    let newest_first = async |region: &Region| -> Vec<String> {
        let items = region.relay.kith(["region", "opportunities"]).await.array();
        items.iter().map(|o| o["title"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let order = wait_for("both are listed", DEFAULT_TIMEOUT, async || {
        let order = newest_first(&region).await;
        if order.len() == 2 { Ok(order) } else { Err(order) }
    })
    .await;
    assert_eq!(order, ["Added after it", "Dated four minutes ahead"], "{later:?}");
    region.relay.rebuild_from_empty_dir().await;
    let order = wait_for("both are listed after a rebuild", DEFAULT_TIMEOUT, async || {
        let order = newest_first(&region).await;
        if order.len() == 2 { Ok(order) } else { Err(order) }
    })
    .await;
    assert_eq!(order, ["Added after it", "Dated four minutes ahead"], "after a rebuild");
}

/// Anonymous readers of the open data cannot starve everyone else: two clients
/// asking for HSDS pages of 20,000 services as fast as their allowance lets them,
/// while a third reads the board and a hub writes — the board answers the third,
/// and writes reach the relay within a second.
#[tokio::test]
async fn two_clients_reading_all_they_may_leave_the_board_and_ingest_to_everyone_else() {
    let region = Region::start_with(&["--quota-entities", "30000"]).await;
    let (bulk, writer) = tokio::join!(region.hub("bulk-directory"), region.hub("peer-garden"));
    // 20,000 services, signed with the bulk hub's key, published as fast as acked.
    let js = region.nats.jetstream().await;
    let mut acks = futures::stream::FuturesUnordered::new();
    for i in 0..20_000u64 {
        let s = kith_tests::sample::service(Ulid::new(), &format!("Community pantry {i}"));
        let sealed = seal(
            &region.slug(),
            &slug("bulk-directory"),
            1_000_000 + i,
            now_ms(),
            &Event::ServicePublished(s),
            &bulk.signing_key(),
        )
        .expect("seal");
        acks.push(js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().into_future());
        if acks.len() >= 256 {
            futures::StreamExt::next(&mut acks).await.unwrap().unwrap();
        }
    }
    while let Some(ack) = futures::StreamExt::next(&mut acks).await {
        ack.unwrap();
    }
    wait_until("the relay has the 20,000 services", Duration::from_secs(120), async || {
        region.relay.stats().await.services == 20_000
    })
    .await;

    let addr = region.relay.http_url().trim_start_matches("http://").to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = tokio::task::JoinSet::new();
    // Each client with four requests in flight at once, without pause: more than its
    // allowance of requests, and more than the relay's reads at once.
    for from in ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.2"]
    {
        let (addr, stop) = (addr.clone(), stop.clone());
        readers.spawn(async move {
            let (mut ok, mut told) = (0u32, 0u32);
            let mut page = 1;
            while !stop.load(Ordering::SeqCst) {
                let answer = get_from(from, &addr, &format!("/services?per_page=50&page={page}")).await;
                if answer.starts_with("HTTP/1.1 200") {
                    ok += 1;
                } else {
                    told += 1;
                }
                page = page % 400 + 1;
            }
            (ok, told)
        });
    }
    // Meanwhile: the board for a third client, and a hub's writes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    let board = get_from("127.0.0.3", &addr, "/search?q=pantry&what=services").await;
    let board_took = started.elapsed();
    assert!(board.starts_with("HTTP/1.1 200"), "the board answers a third client: {}", &board[..board.len().min(300)]);
    let mut lags = Vec::new();
    for i in 0..5 {
        let written = add_opportunity(&writer, &format!("Written while two clients read {i}"), &[]).await;
        let started = std::time::Instant::now();
        wait_until("the write reaches the relay", DEFAULT_TIMEOUT, async || {
            region.relay.kith(["region", "opportunity", &written.id]).await.code == Some(0)
        })
        .await;
        lags.push(started.elapsed());
    }
    stop.store(true, Ordering::SeqCst);
    let mut served = Vec::new();
    while let Some(r) = readers.join_next().await {
        served.push(r.unwrap());
    }
    lags.sort();
    eprintln!("readers (answered, told to wait): {served:?}; the board took {board_took:?}; write → visible: {lags:?}");
    assert!(served.iter().map(|(ok, _)| ok).sum::<u32>() > 0, "the readers were served: {served:?}");
    assert!(lags[2] < Duration::from_secs(1), "writes reach the relay within a second (median): {lags:?}");
}
