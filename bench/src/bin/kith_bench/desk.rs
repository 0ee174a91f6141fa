//! `kith-bench desk`: time to first byte of the desk's pages from a `kith-hub`
//! process holding a group's listings, against the admin gRPC calls `kith` makes to
//! show the same things (the baseline).
//!
//! A hub (with NATS) is given `--listings` listings through its admin API — all but
//! ten of them opportunities and services, and ten safe houses, as a large group
//! has — and a desk account. Each page is then asked `--requests` times, signed in,
//! over a new loopback connection, timed from connecting to the first byte of the
//! answer; the gRPC calls over one connection, timed to the whole answer. One
//! request at a time, after a warm-up.

use clap::Args;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use kith_proto::v1;
use kith_tests::NatsServer;
use kith_tests::hub::{Authorization, admin_client};
use kith_tests::sample::{opportunity_fields, safehouse_fields};

use crate::common::{self, Better, Figure, Section, percentiles, ttfb};

#[derive(Debug, Args, Clone)]
pub struct DeskArgs {
    /// Listings on the hub (ten of them safe houses; the rest, half opportunities and
    /// half services).
    #[arg(long, default_value_t = 20_000)]
    pub listings: usize,
    /// Requests timed per page.
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
}

const WARM_UP: usize = 10;
const HOUSES: usize = 10;
/// Admin writes in flight while the hub is filled.
const WRITERS: usize = 64;

/// Signs in by posting the form; the session cookie (`name=value`).
async fn sign_in(addr: &str, name: &str, password: &str) -> anyhow::Result<String> {
    let body = format!("name={name}&password={password}");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "POST /sign-in HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await?;
    let cookie = raw
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("no session cookie in the answer to the sign-in: {raw}"))?;
    Ok(cookie.to_owned())
}

pub async fn run(args: &DeskArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.listings > HOUSES && args.requests > 0, "--listings must be above {HOUSES}");
    let nats = NatsServer::spawn().await;
    let root = tempfile::Builder::new().prefix("kith-bench-desk-").tempdir()?;
    let dir = root.path().join("hub");
    let (admin_port, desk_port) = (kith_tests::free_port(), kith_tests::free_port());
    let init = tokio::process::Command::new(common::binary("kith")?)
        .args(["init", "--hub-id", "bench-hub", "--region"])
        .arg(common::region().as_str())
        .args(["--name", "Bench Hub", "--nats"])
        .arg(nats.url())
        .arg("--admin-listen")
        .arg(format!("127.0.0.1:{admin_port}"))
        .arg("--dir")
        .arg(&dir)
        .output()
        .await?;
    anyhow::ensure!(init.status.success(), "kith init: {}", String::from_utf8_lossy(&init.stderr));
    let log = std::fs::File::create(root.path().join("hub.log"))?;
    let mut hub = tokio::process::Command::new(common::binary("kith-hub")?)
        .arg("--dir")
        .arg(&dir)
        .arg("--desk-listen")
        .arg(format!("127.0.0.1:{desk_port}"))
        .stdout(log.try_clone()?)
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let token = kith_proto::keys::read_admin_token(&dir)?;
    let url = format!("http://127.0.0.1:{admin_port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let admin = loop {
        if let Ok(mut c) = admin_client(&url, Authorization::bearer(&token)).await
            && c.status(v1::StatusRequest {}).await.is_ok()
        {
            break c;
        }
        anyhow::ensure!(Instant::now() < deadline, "the hub's admin API did not answer within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    eprintln!("desk: writing {} listings through the admin API", args.listings);
    let filled = Instant::now();
    let rest = args.listings - HOUSES;
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let mut admin = admin.clone();
        writers.spawn(async move {
            let mut i = w;
            while i < rest {
                if i % 2 == 0 {
                    admin.add_opportunity(opportunity_fields(&format!("Bike workshop {i}"))).await?;
                } else {
                    let service = v1::ServiceFields {
                        name: format!("Drop-in {i}"),
                        sector: "ordinary".into(),
                        categories: vec!["peer-support".into()],
                        places: vec![v1::Place { r#where: Some(v1::place::Where::Area("Leeds".into())) }],
                        assured_on: kith_proto::time::CivilDate::today_here().to_string(),
                        ..Default::default()
                    };
                    admin.add_service(service).await?;
                }
                i += WRITERS;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = writers.join_next().await {
        done??;
    }
    let mut admin = admin;
    let mut house_id = String::new();
    for h in 0..HOUSES {
        house_id = admin.add_safe_house(safehouse_fields(&format!("House {h}"))).await?.into_inner().id;
    }
    eprintln!("desk: {} listings written in {:.1} s", args.listings, filled.elapsed().as_secs_f64());
    let user = admin
        .add_desk_user(v1::DeskUserRequest { name: "bench".into(), role: "coordinator".into() })
        .await?
        .into_inner();
    let addr = format!("127.0.0.1:{desk_port}");
    let cookie = sign_in(&addr, "bench", &user.password).await?;

    let confirm = format!("/beds/confirm?house={house_id}&beds=2");
    let pages = ["/", "/beds", confirm.as_str(), "/referrals", "/listings", "/audit"];
    let mut all = Vec::new();
    let mut lines = Vec::new();
    let mut refused = 0;
    for path in pages {
        for _ in 0..WARM_UP {
            ttfb(&addr, path, &cookie).await?;
        }
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let (t, status, _) = ttfb(&addr, path, &cookie).await?;
            refused += usize::from(status != 200);
            times.push(t);
        }
        all.extend_from_slice(&times);
        let [p50, p99, _] = percentiles(&mut times);
        let shown = if path.starts_with("/beds/confirm") { "/beds/confirm" } else { path };
        lines.push(format!("{shown} {p50:.2} / {p99:.2}"));
    }
    // The baseline: what `kith` asks the admin API for to show the same.
    let mut grpc = Vec::new();
    for _ in 0..args.requests.div_ceil(4) {
        for call in 0..4 {
            let started = Instant::now();
            match call {
                0 => drop(admin.status(v1::StatusRequest {}).await?),
                1 => drop(admin.list_safe_houses(v1::ListRequest { include_withdrawn: false }).await?),
                2 => drop(admin.list_referrals(v1::ListReferralsRequest::default()).await?),
                _ => drop(admin.list_services(v1::ListRequest { include_withdrawn: false }).await?),
            }
            grpc.push(started.elapsed());
        }
    }
    hub.kill().await.ok();

    let [d50, d99, d999] = percentiles(&mut all);
    let [g50, g99, g999] = percentiles(&mut grpc);
    Ok(Section {
        command: "desk",
        setup: format!(
            "a kith-hub process holding {} listings ({} safe houses); {} requests per page, one at a time, signed in",
            args.listings, HOUSES, args.requests
        ),
        baseline: "kith's admin gRPC calls for the same (status, safe houses, referrals, all services), whole answer"
            .into(),
        figures: vec![
            Figure::new("desk page time to first byte p50", "ms", Better::Lower, d50, Some(g50)),
            Figure::new("desk page time to first byte p99", "ms", Better::Lower, d99, Some(g99))
                .goal("kith < 50 ms at 20k listings"),
            Figure::new("desk page time to first byte p99.9", "ms", Better::Lower, d999, Some(g999)),
        ],
        notes: vec![
            format!("per page, p50 / p99 ms: {}", lines.join("; ")),
            format!("answers other than 200: {refused}"),
            "taps from the desk's front page to a bed update on a phone: 3 (Update beds, the number, Confirm; \
             counted by tests/browser/desk.mjs)"
                .into(),
        ],
    })
}
