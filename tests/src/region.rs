//! The usual setup of a test: one region with its own NATS server and relay, and
//! helpers to start hubs in it and to ask the relay through the CLI.

use async_nats::jetstream::stream::Stream;
use kith_proto::Slug;
use serde_json::Value;

use crate::hub::{Hub, HubOptions};
use crate::nats::NatsServer;
use crate::relay::Relay;
use crate::wait::{DEFAULT_TIMEOUT, wait_until};

/// The region every test uses: with a `-`, so that its stream name is `KITH_WEST_YORKSHIRE`.
pub const REGION: &str = "west-yorkshire";

pub struct Region {
    pub name: String,
    /// Dropped before `nats`, so that it does not spend its last moments reconnecting.
    pub relay: Relay,
    pub nats: NatsServer,
}

impl Region {
    /// Starts a NATS server and a relay of [`REGION`].
    pub async fn start() -> Region {
        Region::start_with(&[]).await
    }

    /// Same, with more flags for the relay.
    pub async fn start_with(relay_flags: &[&str]) -> Region {
        let nats = NatsServer::spawn().await;
        let relay = Relay::start_with(REGION, &nats.url(), None, relay_flags).await;
        Region { name: REGION.into(), relay, nats }
    }

    /// Starts hub `id` in this region and waits until the relay knows it.
    pub async fn hub(&self, id: &str) -> Hub {
        self.hub_with(id, HubOptions::named(&format!("Hub {id}"))).await
    }

    pub async fn hub_with(&self, id: &str, options: HubOptions) -> Hub {
        let hub = Hub::start_with(&self.name, id, &self.nats.url(), options).await;
        self.wait_for_hub(&hub).await;
        hub
    }

    /// Waits until the relay lists `hub` (its profile, and so its key, has arrived).
    pub async fn wait_for_hub(&self, hub: &Hub) {
        let what = format!("the relay lists hub {}", hub.id);
        wait_until(&what, DEFAULT_TIMEOUT, async || self.hub_ids().await.contains(&hub.id)).await;
    }

    /// The ids of the hubs the relay lists (`kith region hubs`).
    pub async fn hub_ids(&self) -> Vec<String> {
        let hubs = self.relay.kith(["region", "hubs"]).await.array();
        hubs.iter().filter_map(|h| h["id"].as_str().map(String::from)).collect()
    }

    /// `kith region opportunities ARGS`.
    pub async fn opportunities(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["region", "opportunities"];
        all.extend(args);
        self.relay.kith(all).await.array()
    }

    /// `kith region safehouses ARGS`.
    pub async fn safehouses(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["region", "safehouses"];
        all.extend(args);
        self.relay.kith(all).await.array()
    }

    /// `kith region services ARGS`.
    pub async fn services(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["region", "services"];
        all.extend(args);
        self.relay.kith(all).await.array()
    }

    /// `kith region offers ARGS`.
    pub async fn offers(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["region", "offers"];
        all.extend(args);
        self.relay.kith(all).await.array()
    }

    /// The region's JetStream stream, `KITH_<REGION>`, on this test's server.
    pub async fn stream(&self) -> Stream {
        let name = kith_proto::subject::stream_name(&self.slug());
        self.nats.jetstream().await.get_stream(&name).await.unwrap_or_else(|e| panic!("stream {name}: {e}"))
    }

    pub fn slug(&self) -> Slug {
        Slug::parse("region", &self.name).expect("region is a slug")
    }
}

/// The object with `"id": id` in `items`.
pub fn find<'a>(items: &'a [Value], id: &str) -> Option<&'a Value> {
    items.iter().find(|item| item["id"] == id)
}
