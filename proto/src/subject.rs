//! The NATS subject scheme and the region's JetStream stream.
//!
//! ```text
//! kith.<region>.<hub>.profile                    hub profile and heartbeat
//! kith.<region>.<hub>.opportunity.<id>           an opportunity or its withdrawal
//! kith.<region>.<hub>.safehouse.<id>             a safe house and its availability
//! kith.<region>.<hub>.service.<id>               a directory entry
//! kith.<region>.<hub>.referral.<to_hub>.<id>     a referral from <hub> to <to_hub>
//! ```
//!
//! Only `<hub>` may publish under `kith.<region>.<hub>.>`; the relay checks that the
//! subject's hub is the envelope's hub. One stream per region keeps the last message
//! per subject, so the stream is a compacted log of current state.

use std::fmt;
use ulid::Ulid;

use crate::event::Family;
use crate::slug::Slug;
use crate::validate::ValidationError;

/// The first token of every Kith subject.
pub const PREFIX: &str = "kith";

/// What a subject is about, below `kith.<region>.<hub>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Profile,
    /// A listing of a family: `<token>.<id>`.
    Listing(Family, Ulid),
    Referral {
        to: Slug,
        id: Ulid,
    },
    /// The hub's answer to an ask: `ask.<id>`.
    Ask(Ulid),
}

impl Entity {
    /// The family name used in subjects and in the relay's counters.
    pub fn family(&self) -> &'static str {
        match self {
            Entity::Profile => "profile",
            Entity::Listing(family, _) => family.token(),
            Entity::Referral { .. } => "referral",
            Entity::Ask(_) => "ask",
        }
    }
}

/// A parsed subject: whose it is and what it is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subject {
    pub region: Slug,
    pub hub: Slug,
    pub entity: Entity,
}

impl Subject {
    pub fn new(region: &Slug, hub: &Slug, entity: Entity) -> Self {
        Subject { region: region.clone(), hub: hub.clone(), entity }
    }

    /// Parses a subject, refusing anything that is not exactly one of the shapes above.
    pub fn parse(s: &str) -> Result<Subject, ValidationError> {
        let err = |why: &str| ValidationError::new("subject", format!("{why} (got {s:?})"));
        let tokens: Vec<&str> = s.split('.').collect();
        if tokens.len() < 4 || tokens[0] != PREFIX {
            return Err(err("must be kith.<region>.<hub>.<family>[.<id>]"));
        }
        let region = Slug::parse("subject region", tokens[1])?;
        let hub = Slug::parse("subject hub", tokens[2])?;
        let id = |t: &str| Ulid::from_string(t).map_err(|_| err("id must be a ULID"));
        let entity = match &tokens[3..] {
            ["profile"] => Entity::Profile,
            ["ask", i] => Entity::Ask(id(i)?),
            [token, i] => match Family::from_token(token) {
                Some(family) => Entity::Listing(family, id(i)?),
                None => return Err(err("unknown subject family")),
            },
            ["referral", to, i] => Entity::Referral { to: Slug::parse("subject to-hub", to)?, id: id(i)? },
            _ => return Err(err("unknown subject family")),
        };
        Ok(Subject { region, hub, entity })
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}.{}.{}.{}", self.region, self.hub, self.entity.family())?;
        match &self.entity {
            Entity::Profile => Ok(()),
            Entity::Listing(_, id) => write!(f, ".{id}"),
            Entity::Referral { to, id } => write!(f, ".{to}.{id}"),
            Entity::Ask(id) => write!(f, ".{id}"),
        }
    }
}

/// The JetStream stream that holds a region: `KITH_<REGION>`, `-` becoming `_`.
pub fn stream_name(region: &Slug) -> String {
    format!("KITH_{}", region.as_str().to_ascii_uppercase().replace('-', "_"))
}

/// The stream's subjects: everything in the region.
pub fn region_wildcard(region: &Slug) -> String {
    format!("{PREFIX}.{region}.>")
}

/// Everything one hub may publish.
pub fn hub_wildcard(region: &Slug, hub: &Slug) -> String {
    format!("{PREFIX}.{region}.{hub}.>")
}

/// Where a relay asks hub `hub` to repair what the relay is missing of it: a core
/// NATS subject outside the region's stream (`kith.<region>.>`), so that nothing
/// stores it.
pub fn repair_subject(region: &Slug, hub: &Slug) -> String {
    format!("kithctl.{region}.{hub}.repair")
}

/// Every hub's [`repair_subject`] in `region`.
pub fn repair_wildcard(region: &Slug) -> String {
    format!("kithctl.{region}.*.repair")
}

/// Every hub's profile in `region`.
pub fn profile_wildcard(region: &Slug) -> String {
    format!("{PREFIX}.{region}.*.profile")
}

/// Referrals addressed to `hub`, from any hub of the region.
pub fn inbox_wildcard(region: &Slug, hub: &Slug) -> String {
    format!("{PREFIX}.{region}.*.referral.{hub}.*")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    #[test]
    fn subjects_round_trip() {
        let id = Ulid::new();
        for entity in [
            Entity::Profile,
            Entity::Listing(Family::Opportunities, id),
            Entity::Listing(Family::SafeHouses, id),
            Entity::Listing(Family::Services, id),
            Entity::Listing(Family::Offers, id),
            Entity::Referral { to: slug("other-hub"), id },
            Entity::Ask(id),
        ] {
            let s = Subject::new(&slug("west-yorkshire"), &slug("peer-garden"), entity);
            assert_eq!(Subject::parse(&s.to_string()).unwrap(), s);
        }
    }

    #[test]
    fn bad_subjects_are_refused() {
        for s in [
            "kith.r.h",
            "nats.r.h.profile",
            "kith.R.h.profile",
            "kith.r.h.profile.extra",
            "kith.r.h.opportunity.not-a-ulid",
            "kith.r.h.opportunity",
            "kith.r.h.thing.01ARZ3NDEKTSV4RRFFQ69G5FAV",
        ] {
            assert!(Subject::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn stream_names() {
        assert_eq!(stream_name(&slug("west-yorkshire")), "KITH_WEST_YORKSHIRE");
        assert_eq!(region_wildcard(&slug("wy")), "kith.wy.>");
    }
}
