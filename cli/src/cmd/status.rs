//! `kith status`: is the hub publishing? NATS connection, outbox backlog, the last
//! sequence JetStream acknowledged, and the publisher's last error.

use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output::{self, Fields};
use kith_proto::v1::{StatusReply, StatusRequest};

/// `kith status --json`.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct StatusJson {
    pub hub: String,
    pub region: String,
    pub name: String,
    pub nats_url: String,
    pub nats_connected: bool,
    pub outbox_pending: u64,
    pub last_published_seq: u64,
    pub last_written_seq: u64,
    /// `null` when the publisher is not failing.
    pub last_error: Option<String>,
    pub signing_key: String,
    /// New referrals refused since the hub started, per sending hub (over its limits).
    pub referrals_refused: std::collections::BTreeMap<String, u64>,
}

impl From<&StatusReply> for StatusJson {
    fn from(s: &StatusReply) -> Self {
        StatusJson {
            hub: s.hub.clone(),
            region: s.region.clone(),
            name: s.name.clone(),
            nats_url: s.nats_url.clone(),
            nats_connected: s.nats_connected,
            outbox_pending: s.outbox_pending,
            last_published_seq: s.last_published_seq,
            last_written_seq: s.last_written_seq,
            last_error: (!s.last_error.is_empty()).then(|| s.last_error.clone()),
            signing_key: s.signing_key.clone(),
            referrals_refused: s.referrals_refused.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        }
    }
}

pub async fn run(globals: &Globals) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let reply = admin.client.status(StatusRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
    output::either(globals.json, &StatusJson::from(&reply), || render(&reply))
}

fn render(s: &StatusReply) -> String {
    let nats = format!("{} ({})", s.nats_url, if s.nats_connected { "connected" } else { "NOT connected" });
    let published = if s.last_published_seq == 0 { "none yet".to_owned() } else { s.last_published_seq.to_string() };
    let mut f = Fields::new();
    f.add("hub", format!("{} in region {}", s.hub, s.region))
        .add("name", &s.name)
        .add("nats", nats)
        .add("outbox pending", s.outbox_pending.to_string())
        .add("last published seq", published)
        .add("last written seq", s.last_written_seq.to_string())
        .add("last error", &s.last_error)
        .add("signing key", &s.signing_key);
    if !s.referrals_refused.is_empty() {
        let mut refused: Vec<(&String, &u64)> = s.referrals_refused.iter().collect();
        refused.sort();
        let text: Vec<String> = refused.iter().map(|(hub, n)| format!("{n} from {hub}")).collect();
        f.add("referrals refused", format!("{} (over one hub's limits)", text.join(", ")));
    }
    f.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> StatusReply {
        StatusReply {
            hub: "peer-garden".into(),
            region: "west-yorkshire".into(),
            name: "Leeds Peer Garden Co-op".into(),
            nats_url: "nats://127.0.0.1:4222".into(),
            nats_connected: false,
            outbox_pending: 3,
            last_published_seq: 0,
            last_written_seq: 3,
            last_error: String::new(),
            signing_key: "ab".into(),
            referrals_refused: Default::default(),
        }
    }

    #[test]
    fn status_table_says_what_matters() {
        let t = render(&reply());
        assert!(t.contains("nats                nats://127.0.0.1:4222 (NOT connected)"), "{t}");
        assert!(t.contains("outbox pending      3"), "{t}");
        assert!(t.contains("last published seq  none yet"), "{t}");
        assert!(t.contains("last error          -"), "{t}");
        assert!(!t.contains("refused"), "nothing refused, nothing said: {t}");
        let flooded = StatusReply { referrals_refused: [("hostile".to_owned(), 980)].into(), ..reply() };
        let t = render(&flooded);
        assert!(t.contains("referrals refused   980 from hostile (over one hub's limits)"), "{t}");
    }

    #[test]
    fn status_json_has_null_for_no_error() {
        let v = serde_json::to_value(StatusJson::from(&reply())).unwrap();
        assert_eq!(v["last_error"], serde_json::Value::Null);
        assert_eq!(v["outbox_pending"], 3);
        assert_eq!(v["nats_connected"], false);
        let failing = StatusReply { last_error: "connection refused".into(), ..reply() };
        assert_eq!(serde_json::to_value(StatusJson::from(&failing)).unwrap()["last_error"], "connection refused");
    }
}
