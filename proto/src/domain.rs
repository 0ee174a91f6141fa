//! The listings a hub publishes: opportunities, safe houses, and the hub's own profile.
//!
//! These types are encoded with postcard inside signed envelopes. postcard is not
//! self-describing: fields are positional, so a field or an enum variant may only
//! ever be *appended*, never reordered or removed.
//!
//! Every constructor of a domain value from user input goes through a `validate`
//! function here, so that hub, CLI and relay agree on what is allowed.

use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

use crate::time::CivilDate;
use crate::validate::{self, ValidationError};

/// Declares an enum whose values travel as lowercase slugs in gRPC, JSON and the CLI.
macro_rules! slug_enum_impl {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $slug:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// Parses the slug given for `field`, naming the allowed values on error.
            pub fn parse(field: &str, value: &str) -> Result<Self, $crate::validate::ValidationError> {
                match value.trim() {
                    $($slug => Ok($name::$variant),)+
                    other => Err($crate::validate::ValidationError::new(field, format!(
                        "unknown value {:?}; expected one of: {}",
                        other,
                        [$($slug),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::validate::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(stringify!($name), s)
            }
        }
    };
}

pub(crate) use slug_enum_impl as slug_enum;

slug_enum! {
    /// What kind of opportunity. People asked for ordinary jobs, not only jobs in
    /// mental health, and for paid involvement that is paid properly.
    OpportunityKind {
        PaidJob = "paid-job",
        Training = "training",
        Volunteering = "volunteering",
        PeerTeaching = "peer-teaching",
        PaidInvolvement = "paid-involvement",
        Apprenticeship = "apprenticeship",
        SocialEnterprise = "social-enterprise",
    }
}

slug_enum! {
    /// Whether the work is in the ordinary economy or in mental-health services.
    Sector {
        Ordinary = "ordinary",
        MentalHealth = "mental-health",
    }
}

slug_enum! {
    /// Where an opportunity stands. Withdrawn ones are not shown by the relay at all.
    OpportunityStatus {
        Open = "open",
        Filled = "filled",
        Withdrawn = "withdrawn",
    }
}

slug_enum! {
    /// The unit that pay is given per.
    PayPer {
        Hour = "hour",
        Session = "session",
        Day = "day",
    }
}

slug_enum! {
    /// Who a safe house is for. A house with no tags is for anyone.
    ForTag {
        Women = "women",
        Men = "men",
        TransNonbinary = "trans-nonbinary",
        Lgbtq = "lgbtq",
        BlackMinorityEthnic = "black-minority-ethnic",
        YoungAdults = "young-adults",
    }
}

/// Pay for an opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pay {
    Unpaid,
    Paid { pence: u32, per: PayPer },
}

impl Pay {
    pub fn is_paid(self) -> bool {
        matches!(self, Pay::Paid { .. })
    }

    /// Checks pay given over the API: pence must be 1 to £10,000 per unit.
    pub fn paid(pence: i64, per: &str) -> Result<Pay, ValidationError> {
        let pence = validate::range("pay.pence", pence, 1, 1_000_000)? as u32;
        let per = PayPer::parse("pay.per", per)?;
        Ok(Pay::Paid { pence, per })
    }
}

impl fmt::Display for Pay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pay::Unpaid => f.write_str("unpaid"),
            Pay::Paid { pence, per } => write!(f, "£{}.{:02}/{}", pence / 100, pence % 100, per),
        }
    }
}

/// Limits on opportunity fields.
pub mod limits {
    pub const TITLE: usize = 200;
    pub const DESCRIPTION: usize = 4000;
    pub const AREA: usize = 64;
    pub const HOW_TO_APPLY: usize = 1000;
    pub const LIST_ITEMS: usize = 20;
    pub const LIST_ITEM: usize = 64;
    pub const MAX_HOURS_PER_WEEK: f32 = 80.0;
    pub const NAME: usize = 120;
    pub const MAX_BEDS: i64 = 500;
    pub const MAX_STAY_NIGHTS: i64 = 3650;
    pub const CONTACT: usize = 200;
    pub const HELPLINE_HOURS: usize = 200;
}

/// An opportunity: work, training, volunteering, peer teaching or paid involvement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: Ulid,
    pub title: String,
    pub kind: OpportunityKind,
    pub sector: Sector,
    pub description: String,
    /// A town or postcode district: where, without saying where anyone lives.
    pub area: String,
    pub remote: bool,
    pub hours_per_week: Option<f32>,
    pub pay: Pay,
    pub expenses_paid: bool,
    pub skills: Vec<String>,
    /// Support offered, e.g. a job coach, flexible hours, adjustments.
    pub support: Vec<String>,
    pub lived_experience_required: bool,
    pub how_to_apply: String,
    pub closes_on: Option<CivilDate>,
    pub status: OpportunityStatus,
}

impl Opportunity {
    /// Checks every field and normalises strings (trimmed, lists de-duplicated).
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.title = validate::line("title", &self.title, 1, limits::TITLE)?;
        self.description = validate::text("description", &self.description, 0, limits::DESCRIPTION)?;
        self.area = area("area", &self.area)?;
        if let Some(h) = self.hours_per_week
            && !(h.is_finite() && h > 0.0 && h <= limits::MAX_HOURS_PER_WEEK)
        {
            return Err(ValidationError::new(
                "hours_per_week",
                format!("must be more than 0 and at most {} (got {h})", limits::MAX_HOURS_PER_WEEK),
            ));
        }
        if let Pay::Paid { pence, .. } = self.pay {
            validate::range("pay.pence", i64::from(pence), 1, 1_000_000)?;
        }
        self.skills = validate::list("skills", &self.skills, limits::LIST_ITEMS, limits::LIST_ITEM)?;
        self.support = validate::list("support", &self.support, limits::LIST_ITEMS, limits::LIST_ITEM)?;
        self.how_to_apply = validate::text("how_to_apply", &self.how_to_apply, 0, limits::HOW_TO_APPLY)?;
        Ok(self)
    }

    /// What it pays in a week, in pence, where that can be known: 0 when unpaid,
    /// hourly pay × hours a week when both are given; None otherwise (pay per
    /// session or day, or no hours).
    pub fn weekly_pence(&self) -> Option<u64> {
        match self.pay {
            Pay::Unpaid => Some(0),
            Pay::Paid { pence, per: PayPer::Hour } => {
                self.hours_per_week.map(|h| (f64::from(pence) * f64::from(h)).round() as u64)
            }
            Pay::Paid { .. } => None,
        }
    }

    /// Open to applications on `today`: open, and not past its closing date.
    pub fn is_open_on(&self, today: CivilDate) -> bool {
        self.status == OpportunityStatus::Open && self.closes_on.is_none_or(|c| c >= today)
    }
}

/// Current availability of a safe house, as its hub last reported it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub beds_free: u16,
    pub updated_at_ms: i64,
    /// After this the number must not be shown: it is reported as unknown.
    pub valid_until_ms: i64,
}

impl Availability {
    /// Beds free, or `None` when the report is past its `valid_until`.
    pub fn beds_free_at(&self, now_ms: i64) -> Option<u16> {
        (now_ms < self.valid_until_ms).then_some(self.beds_free)
    }
}

/// The longest an availability report may be declared valid for.
pub const MAX_VALID_FOR_SECS: u64 = 7 * 24 * 3600;
/// How long an availability report holds when the operator does not say.
pub const DEFAULT_VALID_FOR_SECS: u64 = 12 * 3600;

/// A safe house. It is published with an area, never an address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SafeHouse {
    pub id: Ulid,
    pub name: String,
    pub area: String,
    /// Who it is for; empty means anyone.
    pub for_tags: Vec<ForTag>,
    pub beds_total: u16,
    pub wheelchair_access: bool,
    pub self_referral: bool,
    pub longest_stay_nights: Option<u16>,
    pub phone: String,
    pub description: String,
    pub availability: Option<Availability>,
}

impl SafeHouse {
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = validate::line("name", &self.name, 1, limits::NAME)?;
        self.area = area("area", &self.area)?;
        self.for_tags.sort();
        self.for_tags.dedup();
        validate::range("beds_total", i64::from(self.beds_total), 0, limits::MAX_BEDS)?;
        if let Some(n) = self.longest_stay_nights {
            validate::range("longest_stay_nights", i64::from(n), 1, limits::MAX_STAY_NIGHTS)?;
        }
        self.phone = validate::phone("phone", &self.phone)?;
        self.description = validate::text("description", &self.description, 0, limits::DESCRIPTION)?;
        if let Some(a) = &self.availability {
            let valid_for = a.valid_until_ms.saturating_sub(a.updated_at_ms);
            if !(1..=MAX_VALID_FOR_SECS as i64 * 1000).contains(&valid_for) {
                return Err(ValidationError::new(
                    "valid_until",
                    format!("must be after the update and at most {} days after it", MAX_VALID_FOR_SECS / 86_400),
                ));
            }
        }
        if let Some(a) = &self.availability
            && a.beds_free > self.beds_total
        {
            return Err(ValidationError::new(
                "beds_free",
                format!("must be at most beds_total ({}) (got {})", self.beds_total, a.beds_free),
            ));
        }
        Ok(self)
    }

    /// True for a house that takes people of `tag`: tagged for it, or for anyone.
    pub fn is_for(&self, tag: ForTag) -> bool {
        self.for_tags.is_empty() || self.for_tags.contains(&tag)
    }
}

/// A hub's profile: who it is and its public keys. Published as its heartbeat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubProfile {
    pub name: String,
    pub description: String,
    pub contact: String,
    pub helpline_hours: String,
    /// ed25519 public key that signs every envelope of this hub.
    pub signing_key: [u8; 32],
    /// x25519 public key that referrals to this hub are sealed to.
    pub box_key: [u8; 32],
    /// The hub's latest key rotations, oldest first, the last ending at
    /// `signing_key` (empty for a hub that never rotated): see `crate::rotation`.
    pub rotations: Vec<crate::rotation::KeyRotation>,
    /// The hub has left the region (`kith withdraw-all`): it has withdrawn every
    /// listing and publishes nothing more; its contact details are left empty.
    pub left: bool,
    /// What the hub had published when it sent this heartbeat (`crate::digest`):
    /// a relay whose view of the hub differs asks it to repair. `None` in a profile
    /// that is not a fresh heartbeat.
    pub digest: Option<crate::digest::HubDigest>,
    /// Whether, how many a day and about which listings the hub takes asks
    /// (`crate::ask`).
    pub asks: crate::ask::AskPolicy,
    /// Work the hub's pool could not take in recent weeks, counted: needs of the
    /// region too. Counts only: never who booked, where, or who could not.
    pub unmet_work: Vec<UnmetWork>,
    /// The language the group writes its listings in, as a BCP 47 tag (`en`, `cy`,
    /// `ur`, `pl`); empty when it has not said. Readers mark the group's own text
    /// with it, so that a screen reader speaks it in that language.
    pub language: String,
}

/// Jobs a hub's pool turned down in one week, for one kind of work and one reason.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnmetWork {
    /// The ISO week of the jobs' days: `2027-W09`.
    pub week: String,
    /// The skills the jobs needed, as the hub wrote them (lowercase, joined by
    /// `, `), or `any work`.
    pub work: String,
    /// `no-one-free`, `over-limits`, `skills-missing`, `pay-too-low`, or the
    /// coordinator's words.
    pub reason: String,
    pub jobs: u32,
}

impl UnmetWork {
    /// The most entries a profile carries (the newest kept).
    pub const MAX: usize = 64;
}

impl HubProfile {
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if self.rotations.len() > crate::rotation::MAX_ROTATIONS {
            return Err(ValidationError::new(
                "rotations",
                format!("at most {} rotations, not {}", crate::rotation::MAX_ROTATIONS, self.rotations.len()),
            ));
        }
        self.name = validate::line("name", &self.name, 1, limits::NAME)?;
        self.description = validate::text("description", &self.description, 0, limits::DESCRIPTION)?;
        self.contact = validate::line("contact", &self.contact, 0, limits::CONTACT)?;
        self.helpline_hours = validate::line("helpline_hours", &self.helpline_hours, 0, limits::HELPLINE_HOURS)?;
        self.asks = self.asks.validate()?;
        if self.unmet_work.len() > UnmetWork::MAX {
            return Err(ValidationError::new(
                "unmet_work",
                format!("at most {} entries, not {}", UnmetWork::MAX, self.unmet_work.len()),
            ));
        }
        for (i, u) in self.unmet_work.iter_mut().enumerate() {
            u.week = validate::line(&format!("unmet_work[{i}].week"), &u.week, 8, 8)?;
            u.work = validate::line(&format!("unmet_work[{i}].work"), &u.work, 1, limits::NAME)?;
            u.reason = validate::line(&format!("unmet_work[{i}].reason"), &u.reason, 1, 200)?;
        }
        self.language = language_tag("language", &self.language)?;
        Ok(self)
    }
}

/// Checks a language tag: empty, or well-formed BCP 47 (`cy`, `ur-PK`, `pa-Arab`): a
/// primary language of 2 or 3 letters, then subtags of 1 to 8 letters or digits, each
/// after a hyphen; at most 35 characters. Returned as given, trimmed.
pub fn language_tag(field: &str, value: &str) -> Result<String, ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let mut subtags = value.split('-');
    let primary = subtags.next().unwrap_or_default();
    let well_formed = value.len() <= 35
        && (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags.all(|t| (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()));
    if !well_formed {
        return Err(ValidationError::new(
            field,
            format!("must be a language tag such as cy, ur or pl (BCP 47), not {value:?}"),
        ));
    }
    Ok(value.to_owned())
}

/// Checks an area: a town or postcode district. A full postcode (with the inward
/// part, e.g. `LS6 1AB`) is refused because together with a house number it points
/// at a home.
pub fn area(field: &str, value: &str) -> Result<String, ValidationError> {
    let value = validate::line(field, value, 1, limits::AREA)?;
    if looks_like_full_postcode(&value) {
        return Err(ValidationError::new(
            field,
            format!(
                "must be a town or postcode district, not a full postcode (got {value:?}); try {:?}",
                value.split_whitespace().rev().nth(1).unwrap_or("")
            ),
        ));
    }
    Ok(value)
}

/// True when the last two words look like a full UK postcode (`LS6 1AB`): an
/// outward code followed by a digit and two letters.
fn looks_like_full_postcode(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    let [.., outward, inward] = words.as_slice() else { return false };
    let inward = inward.as_bytes();
    let outward_ok = (2..=4).contains(&outward.len())
        && outward.as_bytes()[0].is_ascii_alphabetic()
        && outward.bytes().any(|b| b.is_ascii_digit())
        && outward.bytes().all(|b| b.is_ascii_alphanumeric());
    outward_ok
        && inward.len() == 3
        && inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_tag_is_well_formed_or_refused_by_name() {
        for good in ["", "cy", "ur", "en-GB", "pa-Arab", "sr-Latn-RS", " pl "] {
            assert!(language_tag("language", good).is_ok(), "{good:?}");
        }
        assert_eq!(language_tag("language", " pl ").unwrap(), "pl");
        for bad in ["c", "welsh", "cy_GB", "en-", "-en", "en--GB", "en-toolongsubtag", "ur-پاک"] {
            let e = language_tag("language", bad).unwrap_err();
            assert_eq!(e.field, "language", "{bad:?}");
        }
    }

    pub(crate) fn opportunity() -> Opportunity {
        Opportunity {
            id: Ulid::new(),
            title: "Allotment gardener".into(),
            kind: OpportunityKind::PaidJob,
            sector: Sector::Ordinary,
            description: "Grow veg with the co-op".into(),
            area: "Leeds LS6".into(),
            remote: false,
            hours_per_week: Some(16.0),
            pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
            expenses_paid: true,
            skills: vec!["gardening".into()],
            support: vec!["job coach".into()],
            lived_experience_required: false,
            how_to_apply: "Ring us".into(),
            closes_on: None,
            status: OpportunityStatus::Open,
        }
    }

    #[test]
    fn kinds_parse_and_name_the_allowed_values() {
        assert_eq!(OpportunityKind::parse("kind", "peer-teaching").unwrap(), OpportunityKind::PeerTeaching);
        let e = OpportunityKind::parse("kind", "astronaut").unwrap_err();
        assert_eq!(e.field, "kind");
        assert!(e.problem.contains("paid-job, training"), "{e}");
        for k in OpportunityKind::ALL {
            assert_eq!(OpportunityKind::parse("kind", k.as_str()).unwrap(), *k);
        }
    }

    #[test]
    fn opportunity_validation() {
        assert!(opportunity().validate().is_ok());
        let mut o = opportunity();
        o.title = "".into();
        assert_eq!(o.validate().unwrap_err().field, "title");
        let mut o = opportunity();
        o.hours_per_week = Some(f32::NAN);
        assert_eq!(o.validate().unwrap_err().field, "hours_per_week");
        let mut o = opportunity();
        o.area = "12 Acacia Avenue, Leeds LS6 1AB".into();
        assert_eq!(o.validate().unwrap_err().field, "area");
    }

    #[test]
    fn full_postcodes_are_not_areas() {
        for (v, full) in [
            ("LS6 1AB", true),
            ("Leeds LS6", false),
            ("M1 1AE", true),
            ("SW1A 2AA", true),
            ("Hebden Bridge", false),
            ("LS6", false),
        ] {
            assert_eq!(looks_like_full_postcode(v), full, "{v}");
        }
    }

    #[test]
    fn availability_cannot_be_declared_valid_for_ever() {
        let house = |valid_until_ms| SafeHouse {
            id: Ulid::new(),
            name: "House".into(),
            area: "Leeds".into(),
            for_tags: vec![],
            beds_total: 4,
            wheelchair_access: false,
            self_referral: false,
            longest_stay_nights: None,
            phone: String::new(),
            description: String::new(),
            availability: Some(Availability { beds_free: 1, updated_at_ms: 1_000, valid_until_ms }),
        };
        assert!(house(1_000 + 3_600_000).validate().is_ok());
        assert_eq!(house(i64::MAX).validate().unwrap_err().field, "valid_until");
        assert_eq!(house(1_000).validate().unwrap_err().field, "valid_until");
    }

    #[test]
    fn availability_goes_stale() {
        let a = Availability { beds_free: 2, updated_at_ms: 0, valid_until_ms: 1000 };
        assert_eq!(a.beds_free_at(999), Some(2));
        assert_eq!(a.beds_free_at(1000), None);
    }

    #[test]
    fn open_on_respects_closing_date() {
        let mut o = opportunity();
        let today: CivilDate = "2026-11-26".parse().unwrap();
        assert!(o.is_open_on(today));
        o.closes_on = Some("2026-11-25".parse().unwrap());
        assert!(!o.is_open_on(today));
        o.closes_on = Some(today);
        assert!(o.is_open_on(today));
    }
}
