//! NATS permissions that make the trust model hold on the wire: a hub's NATS user may
//! publish only under its own subjects, may read only the referrals addressed to it
//! (through its own inbox consumer, whose filter is pinned by the permission), and
//! receives replies only on its own inbox prefix.
//!
//! These are the subjects of JetStream's API that hubs and relays use, for
//! nats-server 2.9 and later (whose consumer-create subject carries the consumer's
//! name and filter, so a permission on it fixes both).

use serde::Serialize;

use crate::Slug;
use crate::ask;
use crate::subject::{hub_wildcard, inbox_wildcard, profile_wildcard, repair_subject, repair_wildcard, stream_name};

/// What a NATS user may publish and subscribe to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub publish: Vec<String>,
    pub subscribe: Vec<String>,
}

/// The prefix of a hub's reply subjects (`_INBOX_<hub>`), so that its NATS user can be
/// allowed to receive on that prefix only, and no hub can listen to another's replies.
pub fn inbox_prefix(hub: &Slug) -> String {
    format!("_INBOX_{hub}")
}

/// The durable consumer that reads a hub's referrals.
pub fn inbox_consumer(hub: &Slug) -> String {
    format!("inbox-{hub}")
}

/// The consumer through which a hub reads back its own events (after a restore
/// from an older copy), filtered to its own subjects.
pub fn recover_consumer(hub: &Slug) -> String {
    format!("recover-{hub}")
}

/// A hub's permissions in `region`. The hub does not create the region's stream:
/// its relay (or operator) does. It sees of the stream only its own subjects (through
/// consumers filtered to them), referrals addressed to it, and hubs' profiles.
pub fn hub(region: &Slug, hub: &Slug) -> Permissions {
    let stream = stream_name(region);
    let consumer = inbox_consumer(hub);
    let recover = recover_consumer(hub);
    let (asks, asks_consumer) = (ask::stream_name(region), ask::consumer(hub));
    Permissions {
        publish: vec![
            hub_wildcard(region, hub),
            "$JS.API.INFO".to_owned(),
            // Any hub's profile (public: its name and keys), by subject. Neither
            // `STREAM.INFO` (its subject filter lists every subject) nor
            // `STREAM.MSG.GET` (any message): who refers to whom stays between them.
            format!("$JS.API.DIRECT.GET.{stream}.{}", profile_wildcard(region)),
            format!("$JS.API.CONSUMER.CREATE.{stream}.{consumer}.{}", inbox_wildcard(region, hub)),
            format!("$JS.API.CONSUMER.INFO.{stream}.{consumer}"),
            format!("$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}"),
            format!("$JS.ACK.{stream}.{consumer}.>"),
            // Its own events read back, after a restore from an older copy.
            format!("$JS.API.CONSUMER.CREATE.{stream}.{recover}.{}", hub_wildcard(region, hub)),
            format!("$JS.API.CONSUMER.MSG.NEXT.{stream}.{recover}"),
            format!("$JS.API.CONSUMER.DELETE.{stream}.{recover}"),
            // Asks addressed to it, through its own consumer on the asks stream,
            // whose filter the permission pins; nothing else of that stream.
            format!("$JS.API.CONSUMER.CREATE.{asks}.{asks_consumer}.{}", ask::hub_wildcard(region, hub)),
            format!("$JS.API.CONSUMER.INFO.{asks}.{asks_consumer}"),
            format!("$JS.API.CONSUMER.MSG.NEXT.{asks}.{asks_consumer}"),
            format!("$JS.ACK.{asks}.{asks_consumer}.>"),
        ],
        // Repair requests from relays (anti-entropy), outside the stream.
        subscribe: vec![format!("{}.>", inbox_prefix(hub)), repair_subject(region, hub)],
    }
}

/// A relay's permissions in `region`: it reads the whole stream through its own
/// durable consumer `name`, creates the stream if need be, and publishes nothing else.
pub fn relay(region: &Slug, name: &str) -> Permissions {
    let stream = stream_name(region);
    let asks = ask::stream_name(region);
    Permissions {
        publish: vec![
            "$JS.API.INFO".to_owned(),
            format!("$JS.API.STREAM.INFO.{stream}"),
            format!("$JS.API.STREAM.CREATE.{stream}"),
            // To allow direct gets on a stream made before hubs used them.
            format!("$JS.API.STREAM.UPDATE.{stream}"),
            format!("$JS.API.STREAM.MSG.GET.{stream}"),
            // Deleting what it refused for good (junk, over quota): see ingest's PURGED.
            format!("$JS.API.STREAM.MSG.DELETE.{stream}"),
            format!("$JS.API.CONSUMER.CREATE.{stream}.{name}"),
            format!("$JS.API.CONSUMER.CREATE.{stream}.{name}.>"),
            format!("$JS.API.CONSUMER.DELETE.{stream}.{name}"),
            format!("$JS.API.CONSUMER.INFO.{stream}.{name}"),
            format!("$JS.API.CONSUMER.MSG.NEXT.{stream}.{name}"),
            format!("$JS.ACK.{stream}.{name}.>"),
            // Asking a hub to repair what this relay is missing of it.
            repair_wildcard(region),
            // Asks it took from people on its board, signed by it, into the stream
            // of asks (which it creates); it reads none back.
            ask::region_wildcard(region),
            format!("$JS.API.STREAM.INFO.{asks}"),
            format!("$JS.API.STREAM.CREATE.{asks}"),
            format!("$JS.API.STREAM.UPDATE.{asks}"),
        ],
        subscribe: vec!["_INBOX.>".to_owned()],
    }
}

impl Permissions {
    /// The same permissions for a client whose JetStream API calls reach the region
    /// through the JetStream domain `domain` (a hub behind its own leaf node):
    /// `$JS.API.…` becomes `$JS.<domain>.API.…`.
    pub fn in_domain(self, domain: &Slug) -> Permissions {
        let map = |s: String| match s.strip_prefix("$JS.API.") {
            Some(rest) => format!("$JS.{domain}.API.{rest}"),
            None => s,
        };
        Permissions { publish: self.publish.into_iter().map(map).collect(), subscribe: self.subscribe }
    }

    /// A user entry for nats-server's `authorization { users: [...] }` block.
    pub fn to_nats_conf(&self, user: &str, password: &str) -> String {
        let list = |subjects: &[String]| subjects.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
        format!(
            "{{ user: \"{user}\", password: \"{password}\", permissions: {{ publish: {{ allow: [{}] }}, subscribe: {{ allow: [{}] }} }} }}",
            list(&self.publish),
            list(&self.subscribe)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_publishes_only_under_its_own_subjects() {
        let region = Slug::parse("r", "wy").unwrap();
        let p = hub(&region, &Slug::parse("h", "garden").unwrap());
        assert!(p.publish.contains(&"kith.wy.garden.>".to_owned()));
        assert!(p.publish.iter().all(|s| !s.starts_with("kith.") || s.starts_with("kith.wy.garden.")));
        assert!(
            p.publish.contains(&"$JS.API.CONSUMER.CREATE.KITH_WY.inbox-garden.kith.wy.*.referral.garden.*".to_owned())
        );
        assert!(
            p.publish.contains(&"$JS.API.CONSUMER.CREATE.KITH_ASKS_WY.asks-garden.kith-ask.wy.garden.*".to_owned())
        );
        assert!(p.publish.iter().all(|s| !s.starts_with("kith-ask")), "a hub sends no asks");
        assert_eq!(p.subscribe, vec!["_INBOX_garden.>", "kithctl.wy.garden.repair"]);
        let conf = p.to_nats_conf("garden", "s3cret");
        assert!(conf.starts_with("{ user: \"garden\", password: \"s3cret\""), "{conf}");
    }
}
