//! A region's 3-node JetStream cluster under test: the shipped configurations
//! (`deploy/nats/cluster-{1,2,3}.conf`) with every port moved to a free one and each
//! node's store in its own temporary directory, so that what is tested is what an
//! operator runs.

use async_nats::jetstream;
use std::time::Duration;

use crate::nats::NatsServer;
use crate::wait::wait_for;

/// The ports the shipped configurations use, per node: clients, monitoring, routes,
/// leaf nodes.
const SHIPPED: [[u16; 4]; 3] = [[4231, 8231, 6231, 7431], [4232, 8232, 6232, 7432], [4233, 8233, 6233, 7433]];

/// `conf` with each `127.0.0.1:PORT` whose whole port is a shipped one moved to ours,
/// in one pass: replacing one port after another would also rewrite a port put in
/// by an earlier replacement that starts with a later shipped one (a free port
/// 42331 read as 4233 and a "1").
pub fn move_ports(conf: &str, moved: &[(u16, u16)]) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::with_capacity(conf.len());
    let mut rest = conf;
    while let Some(at) = rest.find(HOST) {
        let (before, from_host) = rest.split_at(at + HOST.len());
        out.push_str(before);
        let digits = from_host.find(|c: char| !c.is_ascii_digit()).unwrap_or(from_host.len());
        let (port, after) = from_host.split_at(digits);
        match port.parse::<u16>().ok().and_then(|p| moved.iter().find(|(shipped, _)| *shipped == p)) {
            Some((_, ours)) => out.push_str(&ours.to_string()),
            None => out.push_str(port),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

pub struct NatsCluster {
    pub nodes: Vec<NatsServer>,
    /// The leaf-node port of each node.
    leaf_ports: Vec<u16>,
}

impl NatsCluster {
    /// Starts the three nodes and waits until JetStream answers (a meta leader is
    /// elected).
    pub async fn spawn() -> NatsCluster {
        let ports: Vec<[u16; 4]> = (0..3).map(|_| std::array::from_fn(|_| crate::free_port())).collect();
        let mut nodes = Vec::new();
        for n in 0..3 {
            let path = format!("{}/../deploy/nats/cluster-{}.conf", env!("CARGO_MANIFEST_DIR"), n + 1);
            let mut conf = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
            let moved: Vec<(u16, u16)> = SHIPPED
                .iter()
                .zip(&ports)
                .flat_map(|(shipped, ours)| shipped.iter().copied().zip(ours.iter().copied()))
                .collect();
            conf = move_ports(&conf, &moved);
            conf = conf.replace(&format!("\"nats-data/n{}\"", n + 1), "\"{root}/store\"");
            assert!(conf.contains("{root}/store"), "{path}: store_dir is not where the harness expects it");
            nodes.push(NatsServer::configured(&format!("nats-server n{}", n + 1), &conf, ports[n][0]));
        }
        // All at once: each waits for the others' routes to elect a meta leader.
        futures::future::join_all(nodes.iter_mut().map(NatsServer::start)).await;
        let cluster = NatsCluster { nodes, leaf_ports: ports.iter().map(|p| p[3]).collect() };
        cluster.wait_for_jetstream().await;
        cluster
    }

    /// Every node's URL, comma-separated, as hubs and relays are given them.
    pub fn urls(&self) -> String {
        self.nodes.iter().map(NatsServer::url).collect::<Vec<_>>().join(",")
    }

    /// `nats-leaf://127.0.0.1:PORT` of every node, for a leaf node's remote.
    pub fn leaf_urls(&self) -> Vec<String> {
        self.leaf_ports.iter().map(|p| format!("nats-leaf://127.0.0.1:{p}")).collect()
    }

    /// A JetStream context through any node that is up.
    pub async fn jetstream(&self) -> jetstream::Context {
        let client = async_nats::ConnectOptions::new()
            .connection_timeout(Duration::from_secs(5))
            .connect(
                self.nodes
                    .iter()
                    .map(|n| n.url().parse::<async_nats::ServerAddr>().expect("a server address"))
                    .collect::<Vec<_>>(),
            )
            .await
            .unwrap_or_else(|e| panic!("connect to the test cluster at {}: {e}", self.urls()));
        jetstream::new(client)
    }

    /// Waits until JetStream answers through the cluster.
    pub async fn wait_for_jetstream(&self) {
        let js = self.jetstream().await;
        // (Not the account info: async-nats reads only 2.10's.) A stream lookup that
        // says "not found" is JetStream answering.
        wait_for("the cluster's JetStream answers", Duration::from_secs(30), async || {
            use async_nats::jetstream::context::GetStreamErrorKind;
            match js.get_stream("KITH_READINESS_PROBE").await {
                Ok(_) => Ok(()),
                Err(e) if matches!(e.kind(), GetStreamErrorKind::JetStream(j) if j.error_code() == jetstream::ErrorCode::STREAM_NOT_FOUND) => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::move_ports;

    #[test]
    fn ports_are_moved_whole_and_once() {
        let conf = "listen: 127.0.0.1:4231\nroutes: [nats-route://127.0.0.1:6231, nats-route://127.0.0.1:6232]\nhttp: 127.0.0.1:8231";
        // 4231 moves to a free port that starts with 6232, which moves too: the
        // first must not be moved again.
        let moved = move_ports(conf, &[(4231, 62320), (6231, 40001), (6232, 40002), (8231, 42315)]);
        assert_eq!(
            moved,
            "listen: 127.0.0.1:62320\nroutes: [nats-route://127.0.0.1:40001, nats-route://127.0.0.1:40002]\nhttp: 127.0.0.1:42315"
        );
        // A port that is not shipped, or one that only starts like one, stays.
        assert_eq!(move_ports("127.0.0.1:42310 127.0.0.1:", &[(4231, 1)]), "127.0.0.1:42310 127.0.0.1:");
    }
}
