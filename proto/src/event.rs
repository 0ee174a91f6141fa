//! What a hub publishes: one [`Event`] per envelope, postcard-encoded, and the
//! families of listings those events carry.
//!
//! Variants are positional on the wire: append new ones at the end, never reorder.
//! There are no recursive types here, so decoding cannot be driven into deep recursion.
//!
//! # Families
//!
//! A *family* is a kind of listing a hub owns and publishes whole: opportunities,
//! safe houses, services, offers. Each is a domain type implementing [`Listing`] (in its own
//! file), a [`Family`] variant and its line in [`with_family!`](crate::with_family) —
//! both below, the one list of families every crate reads — and a pair of `Event`
//! variants. Code that does the same for every family is written once, generic over
//! `T: Listing`, and reaches each family through [`with_family!`](crate::with_family) or
//! [`each_family!`](crate::each_family) instead of naming them.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ulid::Ulid;

use crate::domain::{HubProfile, Opportunity, SafeHouse};
use crate::offer::Offer;
use crate::referral::ReferralSide;
use crate::service::Service;
use crate::subject::Entity;
use crate::validate::ValidationError;

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
    /// Where an ask to this hub stands (nothing of the person in it).
    Ask(crate::ask::AskAnswer),
    /// An offer (a business of the hub's pool) was created or changed (the whole
    /// current value).
    OfferPublished(Offer),
    /// An offer was withdrawn: the relay forgets it.
    OfferWithdrawn { id: Ulid },
}

impl Event {
    /// The entity this event is about, which fixes its subject.
    pub fn entity(&self) -> Entity {
        match self {
            Event::Profile(_) => Entity::Profile,
            Event::Referral(r) => Entity::Referral { to: r.other.clone(), id: r.id },
            Event::Ask(a) => Entity::Ask(a.id),
            listing => {
                let (family, id) = listing.listing().expect("every other event is a listing's");
                Entity::Listing(family, id)
            }
        }
    }

    /// The family and id of the listing this event publishes or withdraws.
    pub fn listing(&self) -> Option<(Family, Ulid)> {
        Family::ALL.into_iter().find_map(|f| crate::with_family!(f, T => T::change(self).map(|c| (f, c.id()))))
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
            Event::Ask(_) => "ask",
            Event::OfferPublished(_) => "offer-published",
            Event::OfferWithdrawn { .. } => "offer-withdrawn",
        }
    }
}

/// The families of listings, in the order of their digests in a heartbeat
/// ([`crate::digest::HubDigest`]): append, never reorder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    Opportunities,
    SafeHouses,
    Services,
    Offers,
}

/// Runs `$body` with `$t` standing for the listing type of the family `$family`:
/// `with_family!(family, T => store.count::<T>())`. The one list of every family's
/// type; the compiler holds it to [`Family`]'s variants.
#[macro_export]
macro_rules! with_family {
    ($family:expr, $t:ident => $body:expr) => {
        match $family {
            $crate::event::Family::Opportunities => {
                type $t = $crate::domain::Opportunity;
                $body
            }
            $crate::event::Family::SafeHouses => {
                type $t = $crate::domain::SafeHouse;
                $body
            }
            $crate::event::Family::Services => {
                type $t = $crate::service::Service;
                $body
            }
            $crate::event::Family::Offers => {
                type $t = $crate::offer::Offer;
                $body
            }
        }
    };
}

/// Runs `$body` once per family, with `$t` standing for its listing type, in
/// [`Family::ALL`]'s order: `each_family!(T => n += store.republish::<T>()?)`.
#[macro_export]
macro_rules! each_family {
    ($t:ident => $body:expr) => {
        for family in $crate::event::Family::ALL {
            $crate::with_family!(family, $t => $body)
        }
    };
}

impl Family {
    /// Every family, in order.
    pub const ALL: [Family; 4] = [Family::Opportunities, Family::SafeHouses, Family::Services, Family::Offers];
    /// How many families there are.
    pub const COUNT: usize = Family::ALL.len();

    /// Its place in [`Family::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its token in subjects (`kith.<region>.<hub>.<token>.<id>`), e.g. `safehouse`.
    pub fn token(self) -> &'static str {
        crate::with_family!(self, T => T::TOKEN)
    }

    /// Its name in the plural, for stores, counters and messages, e.g. `safehouses`.
    pub fn plural(self) -> &'static str {
        crate::with_family!(self, T => T::PLURAL)
    }

    /// The family whose subject token is `token`.
    pub fn from_token(token: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.token() == token)
    }
}

/// What one event does to a listing of its family.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change<'a, T> {
    /// The listing's whole current value.
    Published(&'a T),
    /// The listing with this id was withdrawn.
    Withdrawn(Ulid),
}

impl<T: Listing> Change<'_, T> {
    pub fn id(&self) -> Ulid {
        match self {
            Change::Published(t) => t.id(),
            Change::Withdrawn(id) => *id,
        }
    }
}

/// A family's listing type: what every layer needs to store, publish, withdraw,
/// count and take in a listing without naming its family.
pub trait Listing: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Its family.
    const FAMILY: Family;
    /// Its token in subjects: one lowercase word.
    const TOKEN: &'static str;
    /// Its name in the plural: the name of its store trees, lowercase, one word.
    const PLURAL: &'static str;

    /// Its id: a ULID made by the hub, unique in the hub.
    fn id(&self) -> Ulid;

    /// Its fields checked and normalised, or what is wrong with them.
    fn validate(self) -> Result<Self, ValidationError>;

    /// The event publishing its current value.
    fn published(self) -> Event;

    /// The event withdrawing the listing `id`.
    fn withdrawn(id: Ulid) -> Event;

    /// What `event` does to a listing of this family, if it is one of this family's.
    fn change(event: &Event) -> Option<Change<'_, Self>>;

    /// Marks a listing that is being withdrawn, where its type records that itself
    /// (an opportunity's status); by default it is left as it is.
    fn mark_withdrawn(&mut self) {}

    /// Whether the value itself says it was withdrawn ([`Listing::mark_withdrawn`]):
    /// a relay shows it no more than a withdrawn one.
    fn is_withdrawn(&self) -> bool {
        false
    }
}

impl Listing for Opportunity {
    const FAMILY: Family = Family::Opportunities;
    const TOKEN: &'static str = "opportunity";
    const PLURAL: &'static str = "opportunities";

    fn id(&self) -> Ulid {
        self.id
    }
    fn validate(self) -> Result<Self, ValidationError> {
        Opportunity::validate(self)
    }
    fn published(self) -> Event {
        Event::OpportunityPublished(self)
    }
    fn withdrawn(id: Ulid) -> Event {
        Event::OpportunityWithdrawn { id }
    }
    fn change(event: &Event) -> Option<Change<'_, Self>> {
        match event {
            Event::OpportunityPublished(o) => Some(Change::Published(o)),
            Event::OpportunityWithdrawn { id } => Some(Change::Withdrawn(*id)),
            _ => None,
        }
    }
    fn mark_withdrawn(&mut self) {
        self.status = crate::domain::OpportunityStatus::Withdrawn;
    }
    fn is_withdrawn(&self) -> bool {
        self.status == crate::domain::OpportunityStatus::Withdrawn
    }
}

impl Listing for SafeHouse {
    const FAMILY: Family = Family::SafeHouses;
    const TOKEN: &'static str = "safehouse";
    const PLURAL: &'static str = "safehouses";

    fn id(&self) -> Ulid {
        self.id
    }
    fn validate(self) -> Result<Self, ValidationError> {
        SafeHouse::validate(self)
    }
    fn published(self) -> Event {
        Event::SafeHousePublished(self)
    }
    fn withdrawn(id: Ulid) -> Event {
        Event::SafeHouseWithdrawn { id }
    }
    fn change(event: &Event) -> Option<Change<'_, Self>> {
        match event {
            Event::SafeHousePublished(s) => Some(Change::Published(s)),
            Event::SafeHouseWithdrawn { id } => Some(Change::Withdrawn(*id)),
            _ => None,
        }
    }
}

impl Listing for Service {
    const FAMILY: Family = Family::Services;
    const TOKEN: &'static str = "service";
    const PLURAL: &'static str = "services";

    fn id(&self) -> Ulid {
        self.id
    }
    fn validate(self) -> Result<Self, ValidationError> {
        Service::validate(self)
    }
    fn published(self) -> Event {
        Event::ServicePublished(self)
    }
    fn withdrawn(id: Ulid) -> Event {
        Event::ServiceWithdrawn { id }
    }
    fn change(event: &Event) -> Option<Change<'_, Self>> {
        match event {
            Event::ServicePublished(s) => Some(Change::Published(s)),
            Event::ServiceWithdrawn { id } => Some(Change::Withdrawn(*id)),
            _ => None,
        }
    }
}

impl Listing for Offer {
    const FAMILY: Family = Family::Offers;
    const TOKEN: &'static str = "offer";
    const PLURAL: &'static str = "offers";

    fn id(&self) -> Ulid {
        self.id
    }
    fn validate(self) -> Result<Self, ValidationError> {
        Offer::validate(self)
    }
    fn published(self) -> Event {
        Event::OfferPublished(self)
    }
    fn withdrawn(id: Ulid) -> Event {
        Event::OfferWithdrawn { id }
    }
    fn change(event: &Event) -> Option<Change<'_, Self>> {
        match event {
            Event::OfferPublished(o) => Some(Change::Published(o)),
            Event::OfferWithdrawn { id } => Some(Change::Withdrawn(*id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_has_its_own_place_token_and_events() {
        for (i, f) in Family::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(Family::from_token(f.token()), Some(f));
            crate::with_family!(f, T => {
                assert_eq!(T::FAMILY, f, "{} is listed as its own family", T::TOKEN);
                let id = Ulid::new();
                let withdrawn = T::withdrawn(id);
                assert_eq!(withdrawn.listing(), Some((f, id)));
                assert_eq!(withdrawn.entity(), Entity::Listing(f, id));
            });
        }
        let tokens: std::collections::BTreeSet<_> = Family::ALL.iter().map(|f| f.token()).collect();
        let plurals: std::collections::BTreeSet<_> = Family::ALL.iter().map(|f| f.plural()).collect();
        assert_eq!((tokens.len(), plurals.len()), (Family::COUNT, Family::COUNT));
        assert!(Family::from_token("profile").is_none() && Family::from_token("referral").is_none());
    }
}
