//! What a hub publishes: one [`Event`] per envelope, postcard-encoded.
//!
//! Variants are positional on the wire: append new ones at the end, never reorder.
//! There are no recursive types here, so decoding cannot be driven into deep recursion.

use serde::{Deserialize, Serialize};
use ulid::Ulid;

use crate::domain::{HubProfile, Opportunity, SafeHouse};
use crate::referral::ReferralSide;
use crate::service::Service;
use crate::subject::Entity;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The hub's profile; re-published as its heartbeat.
    Profile(HubProfile),
    /// An opportunity was created or changed (the whole current value).
    OpportunityPublished(Opportunity),
    /// An opportunity was withdrawn: the relay forgets it.
    OpportunityWithdrawn { id: Ulid },
    /// A safe house was created or changed, availability included.
    SafeHousePublished(SafeHouse),
    /// A safe house was withdrawn: the relay forgets it.
    SafeHouseWithdrawn { id: Ulid },
    /// One hub's side of a referral to or from another hub.
    Referral(ReferralSide),
    /// A service was created or changed (the whole current value).
    ServicePublished(Service),
    /// A service was withdrawn: the relay forgets it.
    ServiceWithdrawn { id: Ulid },
}

impl Event {
    /// The entity this event is about, which fixes its subject.
    pub fn entity(&self) -> Entity {
        match self {
            Event::Profile(_) => Entity::Profile,
            Event::OpportunityPublished(o) => Entity::Opportunity(o.id),
            Event::OpportunityWithdrawn { id } => Entity::Opportunity(*id),
            Event::SafeHousePublished(s) => Entity::SafeHouse(s.id),
            Event::SafeHouseWithdrawn { id } => Entity::SafeHouse(*id),
            Event::Referral(r) => Entity::Referral { to: r.other.clone(), id: r.id },
            Event::ServicePublished(s) => Entity::Service(s.id),
            Event::ServiceWithdrawn { id } => Entity::Service(*id),
        }
    }

    /// A short name for logs and counters.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Profile(_) => "profile",
            Event::OpportunityPublished(_) => "opportunity-published",
            Event::OpportunityWithdrawn { .. } => "opportunity-withdrawn",
            Event::SafeHousePublished(_) => "safehouse-published",
            Event::SafeHouseWithdrawn { .. } => "safehouse-withdrawn",
            Event::Referral(_) => "referral",
            Event::ServicePublished(_) => "service-published",
            Event::ServiceWithdrawn { .. } => "service-withdrawn",
        }
    }
}
