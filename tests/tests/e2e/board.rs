//! The board against real processes: a change a hub reports reaches an open safe
//! houses page through the relay's server-sent events within 2 s. (The browser
//! tests — keyboard, axe, screenshots — drive the same pages in Chromium.)

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use kith_tests::sample::{add_safehouse, set_availability};
use kith_tests::{DEFAULT_TIMEOUT, Region, wait_until};

async fn get_html(base: &str, path: &str) -> String {
    kith_tests::http::get(base, path, "text/html").await
}

#[tokio::test]
async fn an_availability_change_reaches_an_open_page_within_two_seconds() {
    let region = Region::start().await;
    let hub = region.hub("womens-house").await;
    let house = add_safehouse(&hub, "Sisters' House", 4, &["--for", "women"]).await;
    set_availability(&hub, &house.id, 1, "2h").await;
    let base = region.relay.http_url();
    wait_until("the board shows the house", DEFAULT_TIMEOUT, async || {
        get_html(&base, "/safe-houses").await.contains("1 free")
    })
    .await;

    // An open page: its event stream.
    let addr = base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!("GET /live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut lines = BufReader::new(stream).lines();
    // The response head, up to the blank line.
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.is_empty() {
            break;
        }
    }

    let started = Instant::now();
    set_availability(&hub, &house.id, 3, "2h").await;
    let heard = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line == "event: change" {
                return started.elapsed();
            }
        }
        panic!("the event stream ended");
    })
    .await
    .expect("a change event within 2 s");
    let page = get_html(&base, "/safe-houses").await;
    let shown = started.elapsed();
    assert!(page.contains("3 free"), "{page}");
    assert!(shown < Duration::from_secs(2), "shown after {shown:?}");
    eprintln!("availability change: event after {heard:?}, on the page after {shown:?}");
}

/// One GET from `from` (a loopback address of the test's choosing): the status line
/// and the head.
async fn get_from(from: &str, base: &str, path: &str) -> String {
    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw.split("\r\n\r\n").next().unwrap().to_lowercase()
}

#[tokio::test]
async fn one_client_asking_too_often_is_told_to_wait_and_nobody_else_is() {
    let region = Region::start_with(&["--http-rate-per-client", "2"]).await;
    let base = region.relay.http_url();
    // A burst of three seconds' worth (6), then 429s.
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(get_from("127.0.0.1", &base, "/hubs").await);
    }
    let refused: Vec<&String> = statuses.iter().filter(|h| h.starts_with("http/1.1 429")).collect();
    assert!(refused.len() >= 3, "{statuses:#?}");
    assert!(refused[0].contains("retry-after: 1"), "{}", refused[0]);
    assert!(statuses[0].starts_with("http/1.1 200"), "{}", statuses[0]);
    // The style sheet is not counted, and another address has its own budget.
    assert!(get_from("127.0.0.1", &base, "/assets/board.css").await.starts_with("http/1.1 200"));
    assert!(get_from("127.0.0.2", &base, "/hubs").await.starts_with("http/1.1 200"));
    // After a second the client may ask again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(get_from("127.0.0.1", &base, "/hubs").await.starts_with("http/1.1 200"));
}
