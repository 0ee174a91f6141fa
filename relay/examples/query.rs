//! Asks a relay what it knows, for trying it by hand:
//!
//! ```text
//! cargo run -p kith-relay --example query -- RELAY_URL [WORDS...]
//! ```
//!
//! Prints the gRPC health of `kith.v1.Region`, the relay's stats, its hubs, the open opportunities matching WORDS (all of
//! them when none are given) and the safe houses, with their availability as the
//! relay reports it now.

use kith_proto::v1::{self, region_client::RegionClient};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or_else(|| anyhow::anyhow!("usage: query RELAY_URL [WORDS...]"))?;
    let words: Vec<String> = args.collect();
    let channel = tonic::transport::Endpoint::from_shared(url)?.connect().await?;
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let service = "kith.v1.Region".to_owned();
    let status = health.check(tonic_health::pb::HealthCheckRequest { service }).await?.into_inner();
    println!("health of kith.v1.Region: {:?}", status.status());
    let mut client = RegionClient::new(channel);

    let stats = client.get_stats(v1::StatsRequest {}).await?.into_inner();
    println!(
        "stats: applied {} ignored {} rejected {:?}; {} hubs, {} opportunities, {} safe houses",
        stats.applied, stats.ignored, stats.rejected, stats.hubs, stats.opportunities, stats.safe_houses
    );
    for hub in client.list_hubs(v1::ListHubsRequest {}).await?.into_inner().items {
        println!(
            "hub {}: {:?}, last seen {} ms, {} opportunities, {} safe houses, key {}",
            hub.id, hub.name, hub.last_seen_ms, hub.opportunities, hub.safe_houses, hub.signing_key
        );
    }
    let request = v1::SearchOpportunitiesRequest { query: words.join(" "), ..Default::default() };
    let page = client.search_opportunities(request).await?.into_inner();
    for o in &page.items {
        println!("opportunity {} [{}] {:?} {} {} {} seq {}", o.id, o.hub, o.title, o.kind, o.sector, o.area, o.seq);
    }
    let houses = client.list_safe_houses(v1::ListSafeHousesRequest::default()).await?.into_inner();
    for h in &houses.items {
        let beds = match h.availability.as_ref().and_then(|a| a.beds_free) {
            Some(n) => n.to_string(),
            None => "unknown".into(),
        };
        println!("safe house {} [{}] {:?} for {:?}: beds free {beds}", h.id, h.hub, h.name, h.for_tags);
    }
    Ok(())
}
