//! The relay's query API, in process, with NATS unreachable: the relay must start,
//! serve the view it has stored, check every request, and stop cleanly. Ingest from
//! a real NATS server is covered by the end-to-end tests of the `tests/` crate.

use std::time::Duration;
use tonic::Code;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::{HubProfile, Opportunity, OpportunityKind, OpportunityStatus, Pay, Sector};
use kith_proto::referral::{ReferralStatus, Step};
use kith_proto::v1::{self, region_client::RegionClient};
use kith_relay::store::{EntityRecord, HubRecord, Record, ReferralRecord, SideRecord, Store, TargetKind};
use kith_relay::{Config, Relay};

/// Nothing listens on port 1 of loopback: ingest keeps retrying in the background.
const NO_NATS: &str = "nats://127.0.0.1:1";

fn slug(s: &str) -> Slug {
    Slug::parse("t", s).unwrap()
}

fn opportunity(title: &str) -> Opportunity {
    Opportunity {
        id: Ulid::new(),
        title: title.into(),
        kind: OpportunityKind::Training,
        sector: Sector::Ordinary,
        description: "Learn to fix bikes".into(),
        area: "Hebden Bridge".into(),
        remote: false,
        hours_per_week: None,
        pay: Pay::Unpaid,
        expenses_paid: true,
        skills: vec![],
        support: vec![],
        lived_experience_required: false,
        how_to_apply: String::new(),
        closes_on: None,
        status: OpportunityStatus::Open,
    }
}

/// Writes a hub and one opportunity into a relay store, as ingest would have.
async fn stored_view(dir: &std::path::Path) -> Opportunity {
    let store = Store::open(dir).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]).verifying_key().to_bytes();
    let profile = HubProfile {
        name: "Bike co-op".into(),
        description: String::new(),
        contact: String::new(),
        helpline_hours: String::new(),
        signing_key: key,
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    };
    store
        .put(&Record::Hub {
            hub: slug("bikes"),
            record: Box::new(HubRecord { profile, seq: 1, at_ms: 7, region: slug("wy") }),
        })
        .unwrap();
    let o = opportunity("Bike mechanic trainee");
    let record = EntityRecord { seq: 2, at_ms: 8, item: Some(o.clone()) };
    store.put(&Record::listing(slug("bikes"), o.id, &record)).unwrap();
    // A referral from the bike co-op to a hub this relay has no profile of, answered
    // a minute after it was sent.
    let side = |steps: &[(ReferralStatus, i64)]| SideRecord {
        seq: 3,
        target: TargetKind::Hub,
        created_at_ms: 1_000,
        steps: steps.iter().map(|&(status, at_ms)| Step { status, at_ms }).collect(),
    };
    let record = ReferralRecord {
        sender: Some(side(&[(ReferralStatus::Sent, 1_000), (ReferralStatus::Withdrawn, 90_000)])),
        receiver: Some(side(&[(ReferralStatus::Accepted, 61_000)])),
    };
    store.put(&Record::Referral { id: Ulid::new(), sender: slug("bikes"), receiver: slug("rest"), record }).unwrap();
    store.flush().await.unwrap();
    o
}

/// The region coordinator's token the relays of these tests are given.
const COORDINATOR: &str = "coordinator-token-of-the-tests";

async fn start(dir: &std::path::Path) -> (Relay, RegionClient<tonic::transport::Channel>) {
    start_with(dir, false).await
}

/// [`start`], with opportunities' bodies read from the store or held.
async fn start_with(dir: &std::path::Path, bodies_in_store: bool) -> (Relay, RegionClient<tonic::transport::Channel>) {
    let config = Config {
        coordinator_token: Some(COORDINATOR.into()),
        bodies_in_store,
        ..Config::new(slug("wy"), NO_NATS, dir)
    };
    let relay = Relay::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = RegionClient::connect(relay.url()).await.unwrap();
    (relay, client)
}

#[tokio::test]
async fn serves_its_stored_view_while_nats_is_down() {
    let dir = tempfile::tempdir().unwrap();
    let o = stored_view(dir.path()).await;
    let (relay, mut client) = start(dir.path()).await;

    let page = client
        .search_opportunities(v1::SearchOpportunitiesRequest { query: "BIKE".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.items.len(), 1);
    assert_eq!((page.items[0].id.as_str(), page.items[0].hub.as_str()), (o.id.to_string().as_str(), "bikes"));
    assert_eq!(page.next_page_token, "");

    let hubs = client.list_hubs(v1::ListHubsRequest {}).await.unwrap().into_inner().items;
    assert_eq!((hubs[0].id.as_str(), hubs[0].opportunities, hubs[0].last_seen_ms), ("bikes", 1, 7));

    let got =
        client.get_opportunity(v1::GetRequest { id: o.id.to_string(), hub: String::new() }).await.unwrap().into_inner();
    assert_eq!(got.title, "Bike mechanic trainee");

    let anyone = client.get_stats(v1::StatsRequest {}).await.unwrap().into_inner();
    assert!(
        anyone.referral_hubs.is_empty() && anyone.referral_hubs_withheld,
        "per-hub figures for the coordinator only"
    );
    let mut request = tonic::Request::new(v1::StatsRequest {});
    request.metadata_mut().insert("authorization", format!("Bearer {COORDINATOR}").parse().unwrap());
    let stats = client.get_stats(request).await.unwrap().into_inner();
    assert!(!stats.referral_hubs_withheld);
    assert_eq!((stats.applied, stats.hubs, stats.opportunities, stats.safe_houses), (0, 1, 1, 0));
    assert_eq!(stats.referrals_by_status.into_iter().collect::<Vec<_>>(), [("withdrawn".to_owned(), 1)]);
    let rest = &stats.referral_hubs[..];
    assert_eq!(rest.len(), 1);
    assert_eq!((rest[0].hub.as_str(), rest[0].received, rest[0].answered), ("rest", 1, 1));
    assert_eq!(rest[0].median_first_answer_ms, 60_000);

    let channel = tonic::transport::Endpoint::from_shared(relay.url()).unwrap().connect().await.unwrap();
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest { service: "kith.v1.Region".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.status(), tonic_health::pb::health_check_response::ServingStatus::Serving);

    tokio::time::timeout(Duration::from_secs(10), relay.shutdown()).await.expect("stops promptly").unwrap();
}

#[tokio::test]
async fn reflection_lists_the_region_service() {
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let dir = tempfile::tempdir().unwrap();
    let (relay, _) = start(dir.path()).await;
    let channel = tonic::transport::Endpoint::from_shared(relay.url()).unwrap().connect().await.unwrap();
    let mut client = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut replies = client.server_reflection_info(tokio_stream::once(request)).await.unwrap().into_inner();
    let reply = replies.message().await.unwrap().expect("one reply");
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else { panic!("{reply:?}") };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(names.iter().any(|n| n == "kith.v1.Region"), "{names:?}");
    assert!(names.iter().any(|n| n == "grpc.health.v1.Health"), "{names:?}");
    assert!(!names.iter().any(|n| n == "kith.v1.HubAdmin"), "the relay does not serve the hub's API: {names:?}");
    relay.shutdown().await.unwrap();
}

fn check<T: std::fmt::Debug>(result: Result<tonic::Response<T>, tonic::Status>, code: Code, starts: &str) {
    let status = result.expect_err("the request must be refused");
    assert_eq!(status.code(), code, "{}", status.message());
    assert!(status.message().starts_with(starts), "{}", status.message());
}

#[tokio::test]
async fn bad_requests_get_errors_that_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, mut client) = start(dir.path()).await;

    let r = v1::SearchOpportunitiesRequest { kind: "astronaut".into(), ..Default::default() };
    check(
        client.search_opportunities(r).await,
        Code::InvalidArgument,
        "kind: unknown value \"astronaut\"; expected one of: paid-job",
    );
    let r = v1::SearchOpportunitiesRequest { page_token: "nope".into(), ..Default::default() };
    check(client.search_opportunities(r).await, Code::InvalidArgument, "page_token: ");
    let r = v1::ListSafeHousesRequest { for_tag: "cats".into(), ..Default::default() };
    check(
        client.list_safe_houses(r).await,
        Code::InvalidArgument,
        "for_tag: unknown value \"cats\"; expected one of: women",
    );
    let r = v1::GetRequest { id: "123".into(), hub: String::new() };
    check(client.get_safe_house(r).await, Code::InvalidArgument, "id: must be a 26-character ULID");
    let r = v1::GetRequest { id: Ulid::new().to_string(), hub: String::new() };
    check(client.get_opportunity(r).await, Code::NotFound, "no opportunity ");
    let r = v1::SearchOpportunitiesRequest { within_earnings_limit: true, ..Default::default() };
    check(client.search_opportunities(r).await, Code::FailedPrecondition, "within_earnings_limit: region wy sets no");
    let r = v1::SearchServicesRequest { category: "astrology".into(), ..Default::default() };
    check(client.search_services(r).await, Code::InvalidArgument, "category: unknown value \"astrology\"");

    relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn rebuild_drops_the_stored_view() {
    let dir = tempfile::tempdir().unwrap();
    stored_view(dir.path()).await;
    let config = Config { rebuild: true, ..Config::new(slug("wy"), NO_NATS, dir.path()) };
    let relay = Relay::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let mut client = RegionClient::connect(relay.url()).await.unwrap();
    // Until NATS answers, the rebuilt view is empty: it comes from the stream only.
    let stats = client.get_stats(v1::StatsRequest {}).await.unwrap().into_inner();
    assert_eq!((stats.hubs, stats.opportunities), (0, 0));
    assert!(stats.referrals_by_status.is_empty() && stats.referral_hubs.is_empty());
    relay.shutdown().await.unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().records().count(), 0);
}

#[tokio::test]
async fn a_bad_configuration_is_refused_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config { name: "has.dots".into(), ..Config::new(slug("wy"), NO_NATS, dir.path()) };
    let err = Relay::start(config.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap_err();
    assert!(err.to_string().contains("name: "), "{err}");
    // `run` refuses it too, before it opens the store.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = kith_relay::run(config, listener, std::future::pending()).await.unwrap_err();
    assert!(err.to_string().contains("name: "), "{err}");
    assert!(!dir.path().join(kith_relay::store::STORE_DIR).exists());
}

#[tokio::test]
async fn a_view_of_another_region_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    stored_view(dir.path()).await;
    {
        let store = Store::open(dir.path()).unwrap();
        store.set_consumer("KITH_OTHER_REGION/relay").unwrap();
        store.flush().await.unwrap();
    }
    let (relay, mut client) = start(dir.path()).await;
    let stats = client.get_stats(v1::StatsRequest {}).await.unwrap().into_inner();
    assert_eq!((stats.hubs, stats.opportunities), (0, 0));
    relay.shutdown().await.unwrap();
}

async fn titles(client: &mut RegionClient<tonic::transport::Channel>) -> Vec<String> {
    let request = v1::SearchOpportunitiesRequest { include_closed: true, ..Default::default() };
    let page = client.search_opportunities(request).await.unwrap().into_inner();
    let mut titles: Vec<String> = page.items.into_iter().map(|o| o.title).collect();
    titles.sort();
    titles
}

/// Adds an opportunity to the store behind the relay's back, as ingest would have
/// just before a crash: written, and logged as changed since the checkpoint.
async fn add_behind_the_relays_back(dir: &std::path::Path, title: &str) {
    let store = Store::open(dir).unwrap();
    let o = opportunity(title);
    let record = EntityRecord { seq: 9, at_ms: 9, item: Some(o.clone()) };
    store.put(&Record::listing(slug("bikes"), o.id, &record)).unwrap();
    store.flush().await.unwrap();
}

/// The titles of the opportunities a search for `query` finds.
async fn found(client: &mut RegionClient<tonic::transport::Channel>, query: &str) -> Vec<String> {
    let request = v1::SearchOpportunitiesRequest { query: query.into(), include_closed: true, ..Default::default() };
    let page = client.search_opportunities(request).await.unwrap().into_inner();
    page.items.into_iter().map(|o| o.title).collect()
}

#[tokio::test]
async fn a_start_reads_the_checkpoint_and_puts_back_what_changed_since() {
    checkpoint_and_changes(false).await;
}

#[tokio::test]
async fn a_start_reads_the_checkpoint_and_puts_back_what_changed_since_with_bodies_in_the_store() {
    checkpoint_and_changes(true).await;
}

async fn checkpoint_and_changes(bodies_in_store: bool) {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join(kith_relay::snapshot::FILE);
    let bike = stored_view(dir.path()).await;
    let (relay, _) = start_with(dir.path(), bodies_in_store).await;
    relay.shutdown().await.unwrap();
    assert!(snapshot.exists(), "a clean stop writes a checkpoint");
    let (_, epoch) = Store::open(dir.path()).unwrap().checkpoint().unwrap().expect("marked");

    // The store moved on after the checkpoint (as it does until a crash): the next
    // start reads the checkpoint and puts back what changed since.
    // A listing the checkpoint holds changed too: the store holds only its new
    // state, and the relay keeps no bodies, yet its old words must not find it.
    add_behind_the_relays_back(dir.path(), "Added to the store").await;
    {
        let store = Store::open(dir.path()).unwrap();
        let renamed = Opportunity { title: "Cycle repair apprentice".into(), ..bike.clone() };
        let record = EntityRecord { seq: 3, at_ms: 8, item: Some(renamed) };
        store.put(&Record::listing(slug("bikes"), bike.id, &record)).unwrap();
        store.flush().await.unwrap();
    }
    assert_eq!(Store::open(dir.path()).unwrap().changed_since(epoch).unwrap().len(), 2);
    let (relay, mut client) = start_with(dir.path(), bodies_in_store).await;
    assert_eq!(titles(&mut client).await, ["Added to the store", "Cycle repair apprentice"]);
    assert_eq!(found(&mut client, "apprentice").await, ["Cycle repair apprentice"]);
    assert!(found(&mut client, "mechanic trainee").await.is_empty(), "the words of the state it replaced are gone");
    assert!(snapshot.exists(), "the checkpoint holds while the relay runs");
    relay.shutdown().await.unwrap();
    let (_, later) = Store::open(dir.path()).unwrap().checkpoint().unwrap().expect("marked");
    assert!(later > epoch);
    assert!(
        Store::open(dir.path()).unwrap().changed_since(later).unwrap().is_empty(),
        "a clean stop leaves no change over"
    );

    // A damaged checkpoint is not read: the records are, and the checkpoint goes.
    add_behind_the_relays_back(dir.path(), "Added again").await;
    let mut bytes = std::fs::read(&snapshot).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&snapshot, bytes).unwrap();
    let (relay, mut client) = start_with(dir.path(), bodies_in_store).await;
    assert_eq!(titles(&mut client).await, ["Added again", "Added to the store", "Cycle repair apprentice"]);
    relay.shutdown().await.unwrap();

    // Nor is one after --rebuild.
    let config = Config { rebuild: true, ..Config::new(slug("wy"), NO_NATS, dir.path()) };
    let relay = Relay::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let mut client = RegionClient::connect(relay.url()).await.unwrap();
    assert_eq!(titles(&mut client).await, Vec::<String>::new());
    relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_checkpoint_without_bodies_is_not_read_by_a_relay_that_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    stored_view(dir.path()).await;
    let (relay, mut client) = start_with(dir.path(), true).await;
    assert_eq!(titles(&mut client).await, ["Bike mechanic trainee"]);
    relay.shutdown().await.unwrap();
    // The checkpoint holds no bodies: read, it would show nothing of them.
    let (relay, mut client) = start_with(dir.path(), false).await;
    assert_eq!(titles(&mut client).await, ["Bike mechanic trainee"]);
    relay.shutdown().await.unwrap();
    let (relay, mut client) = start_with(dir.path(), true).await;
    assert_eq!(found(&mut client, "mechanic").await, ["Bike mechanic trainee"]);
    relay.shutdown().await.unwrap();
}
