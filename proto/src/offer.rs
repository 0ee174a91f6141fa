//! Offers: the businesses a hub's pool of workers runs — a gardening co-op, a
//! decorating crew, a peer-teaching collective — published to the region so that
//! people can book them: what each does, where, what it charges an hour and how to
//! book.
//!
//! An [`Offer`] is its own family of listings (`kith.<region>.<hub>.offer.<id>`).
//! Like every domain type it is postcard-encoded inside signed envelopes: fields are
//! only ever appended. Its conversions to and from the gRPC messages are at the end
//! of this file.

use serde::{Deserialize, Serialize};
use ulid::Ulid;

use crate::convert::parse_id;
use crate::domain::area;
use crate::service::{email, website};
use crate::v1;
use crate::validate::{self, ValidationError};

/// Limits on offer fields.
pub mod limits {
    pub const NAME: usize = crate::service::limits::NAME;
    pub const DESCRIPTION: usize = crate::service::limits::DESCRIPTION;
    pub const SKILLS: usize = 20;
    pub const SKILL: usize = 64;
    pub const AREAS: usize = 10;
    /// The most an offer may charge an hour, in pence (£1,000).
    pub const MAX_RATE_PENCE: u32 = 100_000;
    pub const RATE_NOTE: usize = 200;
    pub const HOW_TO_BOOK: usize = 500;
    pub const PHONES: usize = crate::service::limits::PHONES;
}

/// A business of a hub's pool, as the region sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub id: Ulid,
    /// The business: "Green Hands Garden Co-op".
    pub name: String,
    /// What it does, in sentences.
    pub description: String,
    /// What it does, in the words people search: "gardening", "hedge cutting".
    pub skills: Vec<String>,
    /// Where it works: towns or postcode districts, never an address.
    pub areas: Vec<String>,
    /// What it charges an hour, in pence.
    pub rate_pence: u32,
    /// What the rate does not say: "materials extra; two hours at least".
    pub rate_note: String,
    /// How to book: "Ring or text 07700 900123, weekdays 9 to 5".
    pub how_to_book: String,
    pub phones: Vec<String>,
    pub email: String,
    pub website: String,
}

impl Offer {
    /// Checks every field and normalises strings and lists.
    pub fn validate(mut self) -> Result<Offer, ValidationError> {
        self.name = validate::line("name", &self.name, 1, limits::NAME)?;
        self.description = validate::text("description", &self.description, 0, limits::DESCRIPTION)?;
        self.skills = validate::list("skills", &self.skills, limits::SKILLS, limits::SKILL)?;
        if self.skills.is_empty() {
            return Err(ValidationError::new(
                "skills",
                format!("give 1 to {} skills: what it does, in the words people search", limits::SKILLS),
            ));
        }
        if self.areas.is_empty() || self.areas.len() > limits::AREAS {
            return Err(ValidationError::new(
                "areas",
                format!(
                    "give 1 to {} areas it works in: towns or postcode districts (got {})",
                    limits::AREAS,
                    self.areas.len()
                ),
            ));
        }
        let mut areas: Vec<String> = Vec::with_capacity(self.areas.len());
        for (i, a) in self.areas.iter().enumerate() {
            let a = area(&format!("areas[{i}]"), a)?;
            if !areas.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
                areas.push(a);
            }
        }
        self.areas = areas;
        if self.rate_pence == 0 || self.rate_pence > limits::MAX_RATE_PENCE {
            return Err(rate_error(i64::from(self.rate_pence)));
        }
        self.rate_note = validate::line("rate_note", &self.rate_note, 0, limits::RATE_NOTE)?;
        self.how_to_book = validate::text("how_to_book", &self.how_to_book, 1, limits::HOW_TO_BOOK)?;
        if self.phones.len() > limits::PHONES {
            return Err(ValidationError::new("phones", format!("at most {} numbers", limits::PHONES)));
        }
        self.phones = self.phones.iter().map(|p| validate::phone("phones", p)).collect::<Result<_, _>>()?;
        self.phones.retain(|p| !p.is_empty());
        self.phones.dedup();
        self.email = email("email", &self.email)?;
        self.website = website("website", &self.website)?;
        Ok(self)
    }

    /// Whether it charges less an hour than `fair_rate_pence`.
    pub fn below(&self, fair_rate_pence: Option<u32>) -> bool {
        fair_rate_pence.is_some_and(|fair| self.rate_pence < fair)
    }
}

/// The rate is named `rate` (what people give in pounds), whatever the unit it
/// travels in.
fn rate_error(got_pence: i64) -> ValidationError {
    ValidationError::new(
        "rate",
        format!("must be more than £0 and at most £{} an hour (got {got_pence} pence)", limits::MAX_RATE_PENCE / 100),
    )
}

/// An offer from what an operator gave; validated as a whole.
pub fn offer_from_fields(id: Ulid, f: &v1::OfferFields) -> Result<Offer, ValidationError> {
    let rate_pence = u32::try_from(f.rate_pence)
        .ok()
        .filter(|p| (1..=limits::MAX_RATE_PENCE).contains(p))
        .ok_or_else(|| rate_error(f.rate_pence))?;
    Offer {
        id,
        name: f.name.clone(),
        description: f.description.clone(),
        skills: f.skills.clone(),
        areas: f.areas.clone(),
        rate_pence,
        rate_note: f.rate_note.clone(),
        how_to_book: f.how_to_book.clone(),
        phones: f.phones.clone(),
        email: f.email.clone(),
        website: f.website.clone(),
    }
    .validate()
}

/// The fields that give back `o` through [`offer_from_fields`].
pub fn offer_fields(o: &Offer) -> v1::OfferFields {
    v1::OfferFields {
        name: o.name.clone(),
        description: o.description.clone(),
        skills: o.skills.clone(),
        areas: o.areas.clone(),
        rate_pence: i64::from(o.rate_pence),
        rate_note: o.rate_note.clone(),
        how_to_book: o.how_to_book.clone(),
        phones: o.phones.clone(),
        email: o.email.clone(),
        website: o.website.clone(),
    }
}

/// The offer a `v1::Offer` shows, checked as a whole (what a client reads back from
/// a hub or a relay, to show or to change it).
pub fn offer_from_v1(o: &v1::Offer) -> Result<Offer, ValidationError> {
    let fields = v1::OfferFields {
        name: o.name.clone(),
        description: o.description.clone(),
        skills: o.skills.clone(),
        areas: o.areas.clone(),
        rate_pence: i64::from(o.rate_pence),
        rate_note: o.rate_note.clone(),
        how_to_book: o.how_to_book.clone(),
        phones: o.phones.clone(),
        email: o.email.clone(),
        website: o.website.clone(),
    };
    offer_from_fields(parse_id("id", &o.id)?, &fields)
}

/// An offer as the APIs show it; what depends on where it is shown (withdrawn at a
/// hub; region, place and fair rate at a relay) is left unset.
pub fn offer_to_v1(o: &Offer, hub: &str, seq: u64, updated_at_ms: i64) -> v1::Offer {
    v1::Offer {
        id: o.id.to_string(),
        hub: hub.to_owned(),
        name: o.name.clone(),
        description: o.description.clone(),
        skills: o.skills.clone(),
        areas: o.areas.clone(),
        rate_pence: o.rate_pence,
        rate_note: o.rate_note.clone(),
        how_to_book: o.how_to_book.clone(),
        phones: o.phones.clone(),
        email: o.email.clone(),
        website: o.website.clone(),
        seq,
        updated_at_ms,
        ..Default::default()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn offer() -> Offer {
        Offer {
            id: Ulid::new(),
            name: "Green Hands Garden Co-op".into(),
            description: "Gardens kept, hedges cut, plots cleared by a co-op of our members.".into(),
            skills: vec![" gardening ".into(), "hedge cutting".into(), "Gardening".into()],
            areas: vec!["Leeds LS6".into(), "Bradford".into()],
            rate_pence: 1500,
            rate_note: "materials extra; two hours at least".into(),
            how_to_book: "Ring or text 07700 900123, weekdays 9 to 5".into(),
            phones: vec!["07700 900123".into()],
            email: "book@greenhands.example.org".into(),
            website: "https://greenhands.example.org".into(),
        }
    }

    #[test]
    fn an_offer_validates_and_normalises() {
        let o = offer().validate().unwrap();
        assert_eq!(o.skills, ["gardening", "hedge cutting"], "trimmed, and the same skill once");
        assert_eq!(o.areas, ["Leeds LS6", "Bradford"]);
        assert!(o.below(Some(1501)) && !o.below(Some(1500)) && !o.below(None));
        let twice = Offer { areas: vec!["Leeds".into(), "leeds".into()], ..offer() }.validate().unwrap();
        assert_eq!(twice.areas, ["Leeds"]);
    }

    /// `break_it` applied to a good offer is refused, naming `field`.
    fn check(field: &str, break_it: impl Fn(&mut Offer)) {
        let mut o = offer();
        break_it(&mut o);
        assert_eq!(o.validate().unwrap_err().field, field);
    }

    #[test]
    fn every_bad_field_is_refused_by_name() {
        check("name", |o| o.name = " ".into());
        check("name", |o| o.name = "two\nlines".into());
        check("description", |o| o.description = "x".repeat(limits::DESCRIPTION + 1));
        check("skills", |o| o.skills.clear());
        check("skills", |o| o.skills = (0..21).map(|i| format!("skill {i}")).collect());
        check("skills[1]", |o| o.skills[1] = "x".repeat(limits::SKILL + 1));
        check("skills[0]", |o| o.skills[0] = "  ".into());
        check("areas", |o| o.areas.clear());
        check("areas", |o| o.areas = (0..11).map(|i| format!("Town {i}")).collect());
        check("areas[1]", |o| o.areas[1] = "12 Acacia Avenue LS6 1AB".into());
        check("rate", |o| o.rate_pence = 0);
        check("rate", |o| o.rate_pence = limits::MAX_RATE_PENCE + 1);
        check("rate_note", |o| o.rate_note = "a\nb".into());
        check("how_to_book", |o| o.how_to_book.clear());
        check("how_to_book", |o| o.how_to_book = "x".repeat(limits::HOW_TO_BOOK + 1));
        check("phones", |o| o.phones = vec!["call me".into()]);
        check("phones", |o| o.phones = vec!["0113 496 0000".into(); 6]);
        check("email", |o| o.email = "not an email".into());
        check("website", |o| o.website = "greenhands.example.org".into());
        let mut top = offer();
        top.rate_pence = limits::MAX_RATE_PENCE;
        assert!(top.validate().is_ok(), "£1000 an hour is the most, and allowed");
    }

    #[test]
    fn conversions_round_trip_and_bad_fields_are_named() {
        let o = offer().validate().unwrap();
        let f = offer_fields(&o);
        assert_eq!(offer_from_fields(o.id, &f).unwrap(), o);
        let v = offer_to_v1(&o, "peer-garden", 4, 9);
        assert_eq!((v.hub.as_str(), v.seq, v.updated_at_ms, v.rate_pence), ("peer-garden", 4, 9, 1500));
        assert_eq!(offer_from_v1(&v).unwrap(), o);

        for pence in [-1, 0, i64::from(u32::MAX) + 1] {
            let bad = v1::OfferFields { rate_pence: pence, ..f.clone() };
            assert_eq!(offer_from_fields(o.id, &bad).unwrap_err().field, "rate", "{pence}");
        }
        let bad = v1::OfferFields { areas: vec!["LS6 1AB".into()], ..f.clone() };
        assert_eq!(offer_from_fields(o.id, &bad).unwrap_err().field, "areas[0]");
        let bad = v1::Offer { id: "not a ulid".into(), ..v };
        assert_eq!(offer_from_v1(&bad).unwrap_err().field, "id");
    }
}
