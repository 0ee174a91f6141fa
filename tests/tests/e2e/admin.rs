//! The hub's admin API guards its door: calls without the token are refused, and bad
//! input, through the CLI or straight over gRPC, is refused with an error that names
//! the field, storing nothing.

use kith_proto::v1::{
    IdRequest, ListRequest, OpportunityPatch, SafeHousePatch, SetAvailabilityRequest, StatusRequest,
    UpdateOpportunityRequest, UpdateSafeHouseRequest,
};
use kith_tests::hub::{Authorization, admin_client};
use kith_tests::sample::{add_opportunity, add_safehouse, opportunity_fields, safehouse_fields};
use kith_tests::{Hub, NatsServer, REGION, kith};
use std::io::Write;

/// What a hub holds, as far as a refused write could have changed it.
#[derive(Debug, PartialEq)]
struct Holdings {
    last_written_seq: u64,
    opportunities: Vec<String>,
    safe_houses: Vec<String>,
}

async fn holdings(hub: &Hub) -> Holdings {
    let mut admin = hub.admin().await;
    let last_written_seq = admin.status(StatusRequest {}).await.unwrap().into_inner().last_written_seq;
    let all = || ListRequest { include_withdrawn: true };
    let opportunities = admin.list_opportunities(all()).await.unwrap().into_inner().items;
    let safe_houses = admin.list_safe_houses(all()).await.unwrap().into_inner().items;
    Holdings {
        last_written_seq,
        opportunities: opportunities.iter().map(|o| format!("{} {} {}", o.id, o.seq, o.title)).collect(),
        safe_houses: safe_houses
            .iter()
            .map(|s| format!("{} {} {} {:?}", s.id, s.seq, s.name, s.availability))
            .collect(),
    }
}

#[tokio::test]
async fn admin_calls_without_the_right_token_are_refused() {
    let nats = NatsServer::spawn().await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let before = holdings(&hub).await;

    for (what, authorization) in [
        ("no token", Authorization::none()),
        ("a wrong token", Authorization::bearer(&"0".repeat(64))),
        ("the token without `Bearer`", Authorization::raw(hub.token())),
        ("another scheme", Authorization::raw(&format!("Basic {}", hub.token()))),
        ("an empty bearer token", Authorization::raw("Bearer ")),
    ] {
        let mut admin = admin_client(&hub.admin_url(), authorization).await.expect("connect");
        let status = admin.status(StatusRequest {}).await.expect_err(what);
        assert_eq!(status.code(), tonic::Code::Unauthenticated, "Status with {what}: {status:?}");
        let status = admin.add_opportunity(opportunity_fields("Bike mechanic")).await.expect_err(what);
        assert_eq!(status.code(), tonic::Code::Unauthenticated, "AddOpportunity with {what}: {status:?}");
        let status = admin.list_opportunities(ListRequest::default()).await.expect_err(what);
        assert_eq!(status.code(), tonic::Code::Unauthenticated, "ListOpportunities with {what}: {status:?}");
    }
    assert_eq!(holdings(&hub).await, before, "a refused call stored something");

    // The CLI with a hub directory whose token is wrong: refused, saying why.
    let other = tempfile::tempdir().unwrap();
    std::fs::copy(hub.dir().join("hub.toml"), other.path().join("hub.toml")).unwrap();
    write_private(&other.path().join("admin.token"), &"1".repeat(64));
    let out = kith(["--hub-dir".as_ref(), other.path().as_os_str(), "status".as_ref()]).await;
    let stderr = out.failure().to_lowercase();
    assert!(stderr.contains("token") || stderr.contains("unauthenticated"), "{stderr}");
}

/// Writes a secret file of mode 0600, as `kith init` does.
fn write_private(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[tokio::test]
async fn bad_cli_input_is_refused_naming_the_field_and_nothing_is_stored() {
    let nats = NatsServer::spawn().await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let opportunity = add_opportunity(&hub, "Allotment gardener", &[]).await;
    let house = add_safehouse(&hub, "Crisis House", 4, &[]).await;
    let before = holdings(&hub).await;
    let big_title = "x".repeat(100_000);
    let ten_mb = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ten_mb.path(), "y".repeat(10 * 1024 * 1024)).unwrap();
    let ten_mb = ten_mb.path().to_str().unwrap();

    let opp = |extra: &[&'static str]| -> Vec<String> {
        let mut args = vec!["opportunity", "add", "--kind", "paid-job", "--sector", "ordinary", "--area", "Leeds"];
        if !extra.contains(&"--title") {
            args.extend(["--title", "Gardener"]);
        }
        args.extend(extra);
        args.into_iter().map(String::from).collect()
    };
    let owned = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).collect() };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (opp(&["--title", ""]), "title"),
        (opp(&["--title", "   "]), "title"),
        (
            owned(&[
                "opportunity",
                "add",
                "--title",
                &big_title,
                "--kind",
                "training",
                "--sector",
                "ordinary",
                "--area",
                "Leeds",
            ]),
            "title",
        ),
        (opp(&["--kind", "astronaut"]), "kind"),
        (opp(&["--sector", "public"]), "sector"),
        (opp(&["--area", "12 Acacia Avenue, Leeds LS6 1AB"]), "area"),
        (opp(&["--pay-pence", "-5", "--pay-per", "hour"]), "pay"),
        (opp(&["--pay-pence", "1000", "--pay-per", "fortnight"]), "pay"),
        (opp(&["--hours-per-week", "0"]), "hours"),
        (opp(&["--closes", "31/12/2030"]), "closes"),
        (
            owned(&[
                "opportunity",
                "add",
                "--title",
                "T",
                "--kind",
                "training",
                "--sector",
                "ordinary",
                "--area",
                "Leeds",
                "--description-file",
                ten_mb,
            ]),
            "description",
        ),
        (owned(&["opportunity", "update", &opportunity.id, "--title", ""]), "title"),
        (owned(&["opportunity", "update", &opportunity.id, "--kind", "astronaut"]), "kind"),
        (owned(&["safehouse", "add", "--name", "House", "--area", "Leeds", "--beds=-1"]), "beds"),
        (owned(&["safehouse", "add", "--name", "House", "--area", "Leeds", "--beds", "100000"]), "beds"),
        (owned(&["safehouse", "add", "--name", "", "--area", "Leeds", "--beds", "2"]), "name"),
        (owned(&["safehouse", "add", "--name", "House", "--area", "Leeds", "--beds", "2", "--for", "aliens"]), "for"),
        (owned(&["safehouse", "update", &house.id, "--beds=-3"]), "beds"),
        (owned(&["safehouse", "availability", &house.id, "--free=-1"]), "free"),
        (owned(&["safehouse", "availability", &house.id, "--free", "5"]), "free"),
        (owned(&["safehouse", "availability", &house.id, "--free", "1", "--valid-for", "30days"]), "valid"),
        (owned(&["safehouse", "availability", &house.id, "--free", "1", "--valid-for", "soon"]), "valid"),
    ];
    for (args, field) in &cases {
        check(&hub, args, field).await;
    }
    assert_eq!(holdings(&hub).await, before, "a refused write stored something");
}

/// `kith ARGS` must fail with a one-line error on stderr that names `field`.
async fn check(hub: &Hub, args: &[String], field: &str) {
    let out = hub.kith(args).await;
    let shown = format!("{out:?}");
    let stderr = out.failure();
    let line = stderr.trim();
    assert!(!line.is_empty() && !line.contains('\n'), "expected a one-line error: {shown}");
    assert!(line.to_lowercase().contains(field), "the error does not name {field:?}: {shown}");
    assert!(!line.contains("panicked"), "{shown}");
    assert!(line.len() < 1000, "the error echoes the input ({} bytes): {shown}", line.len());
}

#[tokio::test]
async fn bad_grpc_input_is_refused_naming_the_field_and_nothing_is_stored() {
    let nats = NatsServer::spawn().await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let mut admin = hub.admin().await;
    let opportunity = admin.add_opportunity(opportunity_fields("Bike mechanic")).await.unwrap().into_inner();
    let house = admin.add_safe_house(safehouse_fields("Women's House")).await.unwrap().into_inner();
    let before = holdings(&hub).await;
    let ten_mb = "z".repeat(10 * 1024 * 1024);

    let opp = |f: &dyn Fn(&mut kith_proto::v1::OpportunityFields)| {
        let mut fields = opportunity_fields("Bike mechanic");
        f(&mut fields);
        fields
    };
    let house_with = |f: &dyn Fn(&mut kith_proto::v1::SafeHouseFields)| {
        let mut fields = safehouse_fields("House");
        f(&mut fields);
        fields
    };
    let invalid = [tonic::Code::InvalidArgument];
    // A 10 MB message may be stopped by the hub's message size limit before any field
    // is read; then the code says so instead of naming a field.
    let too_big = [tonic::Code::InvalidArgument, tonic::Code::ResourceExhausted, tonic::Code::OutOfRange];
    type Answer = Result<tonic::Response<kith_proto::v1::WriteReply>, tonic::Status>;
    let cases: Vec<(&str, Answer, &[tonic::Code], &str)> = vec![
        ("empty title", admin.add_opportunity(opp(&|f| f.title.clear())).await, &invalid, "title"),
        ("unknown kind", admin.add_opportunity(opp(&|f| f.kind = "astronaut".into())).await, &invalid, "kind"),
        ("unknown sector", admin.add_opportunity(opp(&|f| f.sector = "public".into())).await, &invalid, "sector"),
        ("no area", admin.add_opportunity(opp(&|f| f.area.clear())).await, &invalid, "area"),
        (
            "NaN hours",
            admin.add_opportunity(opp(&|f| f.hours_per_week = Some(f32::NAN))).await,
            &invalid,
            "hours_per_week",
        ),
        (
            "zero pay",
            admin.add_opportunity(opp(&|f| f.pay = Some(kith_proto::v1::Pay { pence: 0, per: "hour".into() }))).await,
            &invalid,
            "pay",
        ),
        ("10 MB title", admin.add_opportunity(opp(&|f| f.title = ten_mb.clone())).await, &too_big, "title"),
        (
            "10 MB description",
            admin.add_opportunity(opp(&|f| f.description = ten_mb.clone())).await,
            &too_big,
            "description",
        ),
        ("negative beds", admin.add_safe_house(house_with(&|f| f.beds_total = -1)).await, &invalid, "beds_total"),
        (
            "unknown tag",
            admin.add_safe_house(house_with(&|f| f.for_tags = vec!["aliens".into()])).await,
            &invalid,
            "for",
        ),
        ("empty name", admin.add_safe_house(house_with(&|f| f.name.clear())).await, &invalid, "name"),
        ("10 MB name", admin.add_safe_house(house_with(&|f| f.name = ten_mb.clone())).await, &too_big, "name"),
        (
            "update to an empty title",
            admin
                .update_opportunity(UpdateOpportunityRequest {
                    id: opportunity.id.clone(),
                    patch: Some(OpportunityPatch { title: Some(String::new()), ..Default::default() }),
                })
                .await,
            &invalid,
            "title",
        ),
        (
            "update to negative beds",
            admin
                .update_safe_house(UpdateSafeHouseRequest {
                    id: house.id.clone(),
                    patch: Some(SafeHousePatch { beds_total: Some(-2), ..Default::default() }),
                })
                .await,
            &invalid,
            "beds_total",
        ),
        (
            "negative beds free",
            admin
                .set_availability(SetAvailabilityRequest { id: house.id.clone(), beds_free: -1, valid_for_secs: 60 })
                .await,
            &invalid,
            "beds_free",
        ),
        (
            "availability valid for a year",
            admin
                .set_availability(SetAvailabilityRequest {
                    id: house.id.clone(),
                    beds_free: 1,
                    valid_for_secs: 365 * 24 * 3600,
                })
                .await,
            &invalid,
            "valid_for",
        ),
        ("withdraw a bad id", admin.withdraw_opportunity(IdRequest { id: "not-an-id".into() }).await, &invalid, "id"),
    ];
    for (what, result, codes, field) in cases {
        let status = result.map(|r| r.into_inner()).expect_err(what);
        assert!(codes.contains(&status.code()), "{what}: expected one of {codes:?}, got {status:?}");
        if status.code() == tonic::Code::InvalidArgument {
            assert!(status.message().contains(field), "{what}: the error does not name {field:?}: {status:?}");
            assert!(
                status.message().len() < 1000,
                "{what}: the error echoes the input: {} bytes",
                status.message().len()
            );
        }
    }
    assert_eq!(holdings(&hub).await, before, "a refused write stored something");
}

/// grpcurl needs no token to see what a hub serves and whether it is up; only the
/// admin service itself is behind the token.
#[tokio::test]
async fn a_hub_serves_grpc_health_and_reflection_without_a_token() {
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let nats = NatsServer::spawn().await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let channel = tonic::transport::Endpoint::from_shared(hub.admin_url()).unwrap().connect().await.unwrap();

    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let status = health
        .check(tonic_health::pb::HealthCheckRequest { service: "kith.v1.HubAdmin".into() })
        .await
        .expect("health answers without a token")
        .into_inner();
    assert_eq!(status.status(), tonic_health::pb::health_check_response::ServingStatus::Serving);

    let mut reflection = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut replies = reflection.server_reflection_info(tokio_stream::once(request)).await.unwrap().into_inner();
    let reply = replies.message().await.unwrap().expect("one reply");
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else { panic!("{reply:?}") };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(names.iter().any(|n| n == "kith.v1.HubAdmin"), "{names:?}");
    assert!(names.iter().any(|n| n == "grpc.health.v1.Health"), "{names:?}");
    assert!(!names.iter().any(|n| n == "kith.v1.Region"), "a hub does not serve the region API: {names:?}");
}

#[tokio::test]
async fn the_admin_api_refuses_to_listen_beyond_loopback_without_tls() {
    let nats = NatsServer::spawn().await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let port = kith_tests::free_port();
    for addr in [format!("0.0.0.0:{port}"), format!("[::]:{port}")] {
        let out = std::process::Command::new(kith_tests::bins::bin("kith-hub"))
            .arg("--dir")
            .arg(hub.dir())
            .args(["--admin-listen", &addr])
            .env("KITH_HUB_DIR", hub.dir())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "kith-hub listened on {addr}: {stderr}");
        assert!(stderr.contains("loopback") && stderr.contains(&addr), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // The running hub was not disturbed.
    assert!(hub.status().await.nats_connected);
}
