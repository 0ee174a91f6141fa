//! One clock and one calendar: the region's date decides what has closed, the same
//! on the board, in gRPC answers and in the CLI. The relay runs with its clock set
//! (libfaketime, Debian's `faketime`) to 00:30 British Summer Time on 1 July, when
//! it is still 30 June in UTC: an opportunity that closed on 30 June is closed in
//! all three, one closing on 1 July open in all three.

use std::path::Path;

use kith_proto::v1::SearchOpportunitiesRequest;
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Hub, NatsServer, REGION, Relay, skip, wait_until};

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

#[tokio::test]
async fn at_half_past_midnight_bst_the_board_grpc_and_the_cli_agree_on_what_has_closed() {
    if !Path::new(LIBFAKETIME).exists() {
        skip(
            "clock: the region's date at 00:30 BST",
            "needs libfaketime (apt-get install faketime; tests/run installs it)",
        );
        return;
    }
    let nats = NatsServer::spawn().await;
    // 2027-06-30T23:30:00Z, a year or so ahead of the hubs' clock (a relay takes
    // what a hub dated in its past; not more than 5 minutes in its future).
    let envs = [
        ("LD_PRELOAD", LIBFAKETIME.to_owned()),
        ("FAKETIME", "@2027-06-30 23:30:00".to_owned()),
        ("FAKETIME_DONT_FAKE_MONOTONIC", "1".to_owned()),
        ("TZ", "UTC".to_owned()),
    ];
    let relay = Relay::start_with_env(REGION, &nats.url(), None, &["--time-zone", "Europe/London"], &envs).await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let closed = add_opportunity(&hub, "Closed yesterday gardener", &["--closes", "2027-06-30"]).await;
    let open = add_opportunity(&hub, "Closes today gardener", &["--closes", "2027-07-01"]).await;
    wait_until("the relay has both", DEFAULT_TIMEOUT, async || relay.stats().await.opportunities >= 1).await;
    wait_until("the open one is found", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &open.id]).await.code == Some(0)
    })
    .await;

    // gRPC.
    let mut client = relay.client().await;
    let page = client
        .search_opportunities(SearchOpportunitiesRequest { query: "gardener".into(), ..Default::default() })
        .await
        .expect("search")
        .into_inner();
    let grpc: Vec<&str> = page.items.iter().map(|o| o.id.as_str()).collect();
    // The CLI.
    let cli = relay.kith(["region", "opportunities", "--query", "gardener"]).await.array();
    let cli: Vec<&str> = cli.iter().map(|o| o["id"].as_str().unwrap_or_default()).collect();
    // The board.
    let board = kith_tests::http::get(&relay.http_url(), "/search?q=gardener&what=work", "text/html").await;
    assert!(board.starts_with("HTTP/1.1 200"), "{board}");

    assert_eq!(grpc, [open.id.as_str()], "gRPC: only the one closing today (1 July in London)");
    assert_eq!(cli, [open.id.as_str()], "the CLI: only the one closing today");
    assert!(board.contains("Closes today gardener"), "the board shows the one closing today");
    assert!(!board.contains("Closed yesterday gardener"), "the board does not show the one that closed on 30 June");
    assert!(board.contains("(today)"), "and says it closes today:\n{board}");
    let _ = closed;
}
