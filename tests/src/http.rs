//! Plain HTTP GETs of a daemon's HTTP listener, as a browser or Prometheus makes them.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// GET `path` from `base` (`http://ADDR` or `ADDR`) with `Accept: accept`: the whole
/// response, status line and headers included.
pub async fn get(base: &str, path: &str, accept: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw
}

/// GET `/metrics` from `base`, which must answer 200 in Prometheus's text format: the body.
pub async fn metrics(base: &str) -> String {
    let raw = get(base, "/metrics", "text/plain").await;
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.to_lowercase().contains("content-type: text/plain; version=0.0.4"), "{raw}");
    raw.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
}

/// POST a form (`application/x-www-form-urlencoded`, `body` already encoded) to
/// `path` of `base`, with more headers (`X-Forwarded-For: …`): the whole response.
pub async fn post_form(base: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw
}

/// GET `path` from `base` as a browser would, with more headers (`X-Forwarded-For:
/// …`): the whole response.
pub async fn get_with(base: &str, path: &str, headers: &[(&str, &str)]) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw
}
