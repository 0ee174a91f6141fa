//! Services: the ordinary directory of a region — employment support, benefits
//! advice, housing, peer support, food, arts — listed by hubs so that people can find
//! what is open to them, not only services for people with a diagnosis.
//!
//! A [`Service`] is shaped after HSDS 3's `service` (Open Referral; the UK profile
//! ORUK), with what it needs around it: opening hours as weekly schedules, places
//! (a public address, an area only, or online), contacts and the date the hub last
//! confirmed the entry. Like every domain type it is postcard-encoded inside signed
//! envelopes: fields and variants are only ever appended.

use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

use crate::domain::{Sector, area, slug_enum};
use crate::time::CivilDate;
use crate::validate::{self, ValidationError};

slug_enum! {
    /// Where a service stands (HSDS `service.status`).
    ServiceStatus {
        Active = "active",
        Inactive = "inactive",
        Defunct = "defunct",
        TemporarilyClosed = "temporarily-closed",
    }
}

impl ServiceStatus {
    /// The value HSDS uses.
    pub fn hsds(self) -> &'static str {
        match self {
            ServiceStatus::TemporarilyClosed => "temporarily closed",
            other => other.as_str(),
        }
    }

    /// Reads an HSDS status value (`temporarily closed`, with a space, or Kith's slug).
    pub fn from_hsds(field: &str, value: &str) -> Result<ServiceStatus, ValidationError> {
        match value.trim() {
            "temporarily closed" => Ok(ServiceStatus::TemporarilyClosed),
            other => ServiceStatus::parse(field, other),
        }
    }
}

slug_enum! {
    /// Kith's small taxonomy of services, published as an HSDS taxonomy. Ordinary
    /// services first: most of what people asked for is not mental-health specific.
    Category {
        EmploymentSupport = "employment-support",
        BenefitsAndMoney = "benefits-and-money",
        Housing = "housing",
        TrainingAndEducation = "training-and-education",
        PeerSupport = "peer-support",
        Crisis = "crisis",
        ArtsAndLeisure = "arts-and-leisure",
        Health = "health",
        LegalAndAdvocacy = "legal-and-advocacy",
        Food = "food",
        FamilyAndCarers = "family-and-carers",
        DigitalInclusion = "digital-inclusion",
        DrugsAndAlcohol = "drugs-and-alcohol",
        CommunityAndSocial = "community-and-social",
        Transport = "transport",
    }
}

impl Category {
    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Category::EmploymentSupport => "Employment support",
            Category::BenefitsAndMoney => "Benefits and money advice",
            Category::Housing => "Housing",
            Category::TrainingAndEducation => "Training and education",
            Category::PeerSupport => "Peer support",
            Category::Crisis => "Crisis support",
            Category::ArtsAndLeisure => "Arts and leisure",
            Category::Health => "Health",
            Category::LegalAndAdvocacy => "Legal and rights advocacy",
            Category::Food => "Food",
            Category::FamilyAndCarers => "Family and carers",
            Category::DigitalInclusion => "Digital inclusion",
            Category::DrugsAndAlcohol => "Drugs and alcohol",
            Category::CommunityAndSocial => "Community and social",
            Category::Transport => "Transport",
        }
    }
}

slug_enum! {
    /// A day of the week, Monday first.
    Weekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

impl Weekday {
    /// The iCal two-letter code HSDS schedules use (`MO`).
    pub fn ical(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self as usize]
    }

    /// Reads a day as `monday`, `mon` or `MO`.
    pub fn read(field: &str, value: &str) -> Result<Weekday, ValidationError> {
        let v = value.trim().to_ascii_lowercase();
        Weekday::ALL
            .iter()
            .copied()
            .find(|d| d.as_str() == v || d.as_str()[..3] == v || d.ical().eq_ignore_ascii_case(&v))
            .ok_or_else(|| {
                ValidationError::new(
                    field,
                    format!("unknown day {value:?}; expected monday … sunday, mon … sun or MO … SU"),
                )
            })
    }

    /// Day 0 is Monday.
    pub fn from_index(i: u8) -> Weekday {
        Weekday::ALL[usize::from(i % 7)]
    }
}

/// A time of day, local to the region, as minutes since midnight: `09:30` is 570.
/// `24:00` (1440) is allowed as a closing time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ClockTime(pub u16);

impl ClockTime {
    pub const END_OF_DAY: ClockTime = ClockTime(24 * 60);

    /// Reads `HH:MM` (or `HH:MM:SS`, as HSDS writes it; seconds must be 00).
    pub fn parse(field: &str, value: &str) -> Result<ClockTime, ValidationError> {
        let bad = || ValidationError::new(field, format!("must be a time of day as HH:MM, e.g. 09:30 (got {value:?})"));
        let v = value.trim();
        let mut parts = v.split(':');
        let (Some(h), Some(m)) = (parts.next(), parts.next()) else { return Err(bad()) };
        if let Some(s) = parts.next()
            && s != "00"
        {
            return Err(bad());
        }
        if parts.next().is_some() || h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m > 0) {
            return Err(bad());
        }
        Ok(ClockTime(h * 60 + m))
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// When a service is open: on some days, between two times, or by appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The days it holds on; sorted, each once.
    pub days: Vec<Weekday>,
    /// Opening hours on those days; both None when only by appointment.
    pub hours: Option<(ClockTime, ClockTime)>,
    pub by_appointment: bool,
    /// E.g. "closed on bank holidays".
    pub note: String,
}

impl Schedule {
    pub fn validate(mut self, field: &str) -> Result<Schedule, ValidationError> {
        self.days.sort();
        self.days.dedup();
        if let Some((opens, closes)) = self.hours {
            if opens >= closes || closes > ClockTime::END_OF_DAY {
                return Err(ValidationError::new(
                    field,
                    format!("opens at {opens} and closes at {closes}: it must close after it opens, by 24:00"),
                ));
            }
            if self.days.is_empty() {
                return Err(ValidationError::new(field, "opening hours need the days they hold on"));
            }
        } else if !self.by_appointment {
            return Err(ValidationError::new(field, "give opening hours, or say it is by appointment"));
        }
        self.note = validate::line(&format!("{field}.note"), &self.note, 0, limits::NOTE)?;
        Ok(self)
    }

    /// Open on `day` at `time` (local), by its hours. By-appointment schedules are
    /// never "open now".
    pub fn is_open(&self, day: Weekday, time: ClockTime) -> bool {
        self.hours.is_some_and(|(opens, closes)| self.days.contains(&day) && opens <= time && time < closes)
    }
}

impl Schedule {
    /// Reads a schedule as [`Schedule`]'s `Display` writes it, so that what an
    /// operator types is what they are shown: `mon-fri 09:00-17:00`,
    /// `tuesday, thursday 10:00–14:00; by appointment; closed on bank holidays`,
    /// `wed by appointment`, `by appointment`. Checked with [`Schedule::validate`].
    pub fn parse(field: &str, text: &str) -> Result<Schedule, ValidationError> {
        let bad = |why: String| ValidationError::new(field, why);
        let mut parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
        let first = parts.next().ok_or_else(|| bad("give days and hours, e.g. mon-fri 09:00-17:00".into()))?;
        let mut schedule = Schedule { days: Vec::new(), hours: None, by_appointment: false, note: String::new() };
        // ASCII case only, so that its byte positions are `first`'s (a full lower
        // case can change a character's length: `Ⱦ` is two bytes, `ⱦ` three).
        let lower = first.to_ascii_lowercase();
        let (days, rest) = match lower.find(|c: char| c.is_ascii_digit()) {
            Some(i) => (&first[..i], Some(&first[i..])),
            None => match lower.find("by appointment") {
                Some(i) => {
                    schedule.by_appointment = true;
                    (&first[..i], None)
                }
                None => return Err(bad(format!("no hours in {first:?}; e.g. mon-fri 09:00-17:00, or by appointment"))),
            },
        };
        schedule.days = parse_days(field, days)?;
        if let Some(times) = rest {
            let (opens, closes) = times
                .split_once(['-', '–'])
                .ok_or_else(|| bad(format!("hours must be HH:MM-HH:MM (got {times:?})")))?;
            schedule.hours = Some((ClockTime::parse(field, opens)?, ClockTime::parse(field, closes)?));
        }
        let mut notes = Vec::new();
        for part in parts {
            if part.eq_ignore_ascii_case("by appointment") {
                schedule.by_appointment = true;
            } else {
                notes.push(part);
            }
        }
        schedule.note = notes.join("; ");
        schedule.validate(field)
    }
}

/// Days as `mon-fri`, `monday–friday`, `tue, thu` or `MO,WE`; empty for none.
fn parse_days(field: &str, text: &str) -> Result<Vec<Weekday>, ValidationError> {
    let mut days = Vec::new();
    for item in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        match item.split_once(['-', '–']) {
            Some((from, to)) => {
                let (from, to) = (Weekday::read(field, from)? as u8, Weekday::read(field, to)? as u8);
                if from > to {
                    return Err(ValidationError::new(field, format!("{item:?} runs backwards; weeks start on monday")));
                }
                days.extend((from..=to).map(Weekday::from_index));
            }
            None => days.push(Weekday::read(field, item)?),
        }
    }
    Ok(days)
}

impl fmt::Display for Schedule {
    /// `monday–friday 09:00–17:00`, `tuesday, thursday 10:00–14:00; by appointment`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let consecutive = self.days.len() > 2 && self.days.windows(2).all(|w| w[1] as u8 == w[0] as u8 + 1);
        let days = if consecutive {
            format!("{}–{}", self.days[0], self.days[self.days.len() - 1])
        } else {
            self.days.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
        };
        let mut parts = Vec::new();
        if let Some((opens, closes)) = self.hours {
            parts.push(format!("{days} {opens}–{closes}"));
        }
        if self.by_appointment {
            parts.push(if self.hours.is_none() && !self.days.is_empty() {
                format!("{days} by appointment")
            } else {
                "by appointment".into()
            });
        }
        if !self.note.is_empty() {
            parts.push(self.note.clone());
        }
        f.write_str(&parts.join("; "))
    }
}

/// Where a service is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// A public address people can go to (never a home: a service's own premises).
    Address { street: String, town: String, postcode: String },
    /// An area only: a town or postcode district.
    Area(String),
    /// Online or by telephone.
    Virtual,
}

impl Place {
    pub fn validate(self, field: &str) -> Result<Place, ValidationError> {
        Ok(match self {
            Place::Address { street, town, postcode } => Place::Address {
                street: validate::line(&format!("{field}.street"), &street, 1, limits::STREET)?,
                town: validate::line(&format!("{field}.town"), &town, 1, crate::domain::limits::AREA)?,
                postcode: full_postcode(&format!("{field}.postcode"), &postcode)?,
            },
            Place::Area(a) => Place::Area(area(field, &a)?),
            Place::Virtual => Place::Virtual,
        })
    }

    /// The words an area filter matches: the town and postcode of an address, or
    /// the area.
    pub fn area_text(&self) -> Option<String> {
        match self {
            Place::Address { town, postcode, .. } => Some(format!("{town} {postcode}")),
            Place::Area(a) => Some(a.clone()),
            Place::Virtual => None,
        }
    }
}

impl Place {
    /// Reads an address as [`Place`]'s `Display` writes it: `1 Market Street, Leeds
    /// LS1 6DT` (the street, a comma, the town and a full postcode).
    pub fn parse_address(field: &str, text: &str) -> Result<Place, ValidationError> {
        let bad = || {
            ValidationError::new(
                field,
                format!(
                    "an address is the street, a comma, the town and the postcode, e.g. \"1 Market Street, Leeds LS1 6DT\" (got {text:?})"
                ),
            )
        };
        let (street, rest) = text.rsplit_once(',').ok_or_else(bad)?;
        let words: Vec<&str> = rest.split_whitespace().collect();
        if words.len() < 3 {
            return Err(bad());
        }
        let (town, postcode) = words.split_at(words.len() - 2);
        Place::Address { street: street.trim().to_owned(), town: town.join(" "), postcode: postcode.join(" ") }
            .validate(field)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Address { street, town, postcode } => write!(f, "{street}, {town} {postcode}"),
            Place::Area(a) => f.write_str(a),
            Place::Virtual => f.write_str("online or by phone"),
        }
    }
}

/// Checks and normalises a full UK postcode: `ls61ab` → `LS6 1AB`.
pub fn full_postcode(field: &str, value: &str) -> Result<String, ValidationError> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let bad = || ValidationError::new(field, format!("must be a full UK postcode, e.g. LS6 1AB (got {value:?})"));
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return Err(bad());
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let outward_ok = outward.as_bytes()[0].is_ascii_alphabetic()
        && outward.bytes().any(|b| b.is_ascii_digit())
        && outward.bytes().all(|b| b.is_ascii_alphanumeric());
    if !(inward_ok && outward_ok) {
        return Err(bad());
    }
    Ok(format!("{outward} {inward}"))
}

/// Limits on service fields.
pub mod limits {
    pub const NAME: usize = 200;
    pub const DESCRIPTION: usize = 4000;
    pub const TEXT: usize = 1000;
    pub const NOTE: usize = 200;
    pub const STREET: usize = 120;
    pub const PROVIDER: usize = 200;
    pub const EMAIL: usize = 254;
    pub const URL: usize = 500;
    pub const LIST_ITEMS: usize = 20;
    pub const LIST_ITEM: usize = 120;
    pub const CATEGORIES: usize = 8;
    pub const SCHEDULES: usize = 14;
    pub const PLACES: usize = 10;
    pub const PHONES: usize = 5;
    pub const MAX_AGE: i64 = 120;
}

/// A service in the region's directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: Ulid,
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    /// Ordinary (for anyone) or mental-health (for people using those services).
    pub sector: Sector,
    /// Sorted, each once, at least one.
    pub categories: Vec<Category>,
    /// Who it is for, in words.
    pub eligibility: String,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub free: bool,
    /// What it costs when it is not free, or what is free and what is not.
    pub fees: String,
    /// Languages it is offered in, besides English.
    pub languages: Vec<String>,
    /// E.g. "step-free access", "hearing loop", "BSL interpreter on request".
    pub accessibility: Vec<String>,
    /// How to get it: "drop in", "ring for an appointment", "a GP refers you".
    pub application_process: String,
    /// Whether people can refer themselves.
    pub self_referral: bool,
    pub phones: Vec<String>,
    pub email: String,
    pub website: String,
    pub schedules: Vec<Schedule>,
    pub places: Vec<Place>,
    /// When the hub last confirmed the entry is right.
    pub assured_on: Option<CivilDate>,
    /// Who runs it, when not the hub itself.
    pub provider: String,
}

impl Service {
    /// Checks every field and normalises strings and lists.
    pub fn validate(mut self) -> Result<Service, ValidationError> {
        self.name = validate::line("name", &self.name, 1, limits::NAME)?;
        self.description = validate::text("description", &self.description, 0, limits::DESCRIPTION)?;
        self.categories.sort();
        self.categories.dedup();
        if self.categories.is_empty() || self.categories.len() > limits::CATEGORIES {
            return Err(ValidationError::new(
                "categories",
                format!("give 1 to {} categories, from: {}", limits::CATEGORIES, slugs(Category::ALL)),
            ));
        }
        self.eligibility = validate::text("eligibility", &self.eligibility, 0, limits::TEXT)?;
        if let Some(a) = self.min_age {
            validate::range("min_age", i64::from(a), 0, limits::MAX_AGE)?;
        }
        if let Some(a) = self.max_age {
            validate::range("max_age", i64::from(a), 0, limits::MAX_AGE)?;
        }
        if let (Some(min), Some(max)) = (self.min_age, self.max_age)
            && min > max
        {
            return Err(ValidationError::new("max_age", format!("must be at least min_age ({min}) (got {max})")));
        }
        self.fees = validate::text("fees", &self.fees, 0, limits::TEXT)?;
        self.languages = validate::list("languages", &self.languages, limits::LIST_ITEMS, limits::LIST_ITEM)?;
        self.accessibility =
            validate::list("accessibility", &self.accessibility, limits::LIST_ITEMS, limits::LIST_ITEM)?;
        self.application_process = validate::text("application_process", &self.application_process, 0, limits::TEXT)?;
        if self.phones.len() > limits::PHONES {
            return Err(ValidationError::new("phones", format!("at most {} numbers", limits::PHONES)));
        }
        self.phones = self.phones.iter().map(|p| validate::phone("phones", p)).collect::<Result<_, _>>()?;
        self.phones.retain(|p| !p.is_empty());
        self.phones.dedup();
        self.email = email("email", &self.email)?;
        self.website = website("website", &self.website)?;
        if self.schedules.len() > limits::SCHEDULES {
            return Err(ValidationError::new("schedules", format!("at most {}", limits::SCHEDULES)));
        }
        self.schedules = std::mem::take(&mut self.schedules)
            .into_iter()
            .enumerate()
            .map(|(i, s)| s.validate(&format!("schedules[{i}]")))
            .collect::<Result<_, _>>()?;
        if self.places.len() > limits::PLACES {
            return Err(ValidationError::new("places", format!("at most {}", limits::PLACES)));
        }
        self.places = std::mem::take(&mut self.places)
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.validate(&format!("places[{i}]")))
            .collect::<Result<_, _>>()?;
        self.places.dedup();
        self.provider = validate::line("provider", &self.provider, 0, limits::PROVIDER)?;
        Ok(self)
    }

    /// Open at this local day and time, by its schedules, and active.
    pub fn is_open(&self, day: Weekday, time: ClockTime) -> bool {
        self.status == ServiceStatus::Active && self.schedules.iter().any(|s| s.is_open(day, time))
    }

    /// Not confirmed on or after `since`: shown as "not confirmed since …".
    pub fn unconfirmed_since(&self, since: CivilDate) -> bool {
        self.assured_on.is_none_or(|d| d < since)
    }

    pub fn is_virtual(&self) -> bool {
        self.places.contains(&Place::Virtual)
    }
}

fn slugs<T: fmt::Display>(all: &[T]) -> String {
    all.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

/// Checks an email address loosely: one `@`, something on each side, a dot in the
/// domain, no spaces. Empty is allowed.
pub fn email(field: &str, value: &str) -> Result<String, ValidationError> {
    let v = validate::line(field, value, 0, limits::EMAIL)?;
    if v.is_empty() {
        return Ok(v);
    }
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok { Ok(v) } else { Err(ValidationError::new(field, format!("must be an email address (got {value:?})"))) }
}

/// Checks a website: an `https://` or `http://` URL without spaces. Empty is allowed.
pub fn website(field: &str, value: &str) -> Result<String, ValidationError> {
    let v = validate::line(field, value, 0, limits::URL)?;
    if v.is_empty() {
        return Ok(v);
    }
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !v.chars().any(char::is_whitespace) => Ok(v),
        _ => Err(ValidationError::new(field, format!("must be a web address starting https:// (got {value:?})"))),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_schedule_of_any_text_is_an_answer_never_a_panic() {
        // Found by fuzzing: a letter whose lower case is longer than itself.
        assert!(Schedule::parse("hours", "ȾȾ2").is_err());
        assert!(Schedule::parse("hours", "ȾȾ by appointment").is_err());
    }

    pub(crate) fn service() -> Service {
        Service {
            id: Ulid::new(),
            name: "Welfare rights drop-in".into(),
            description: "Help with Universal Credit, PIP and appeals.".into(),
            status: ServiceStatus::Active,
            sector: Sector::Ordinary,
            categories: vec![Category::BenefitsAndMoney, Category::LegalAndAdvocacy],
            eligibility: "Anyone living in Leeds".into(),
            min_age: Some(16),
            max_age: None,
            free: true,
            fees: String::new(),
            languages: vec!["Urdu".into(), "Polish".into()],
            accessibility: vec!["Step-free access".into()],
            application_process: "Drop in, or ring to book".into(),
            self_referral: true,
            phones: vec!["0113 496 0000".into()],
            email: "advice@example.org".into(),
            website: "https://example.org/advice".into(),
            schedules: vec![Schedule {
                days: vec![Weekday::Wednesday, Weekday::Monday, Weekday::Tuesday],
                hours: Some((ClockTime(9 * 60), ClockTime(17 * 60))),
                by_appointment: false,
                note: String::new(),
            }],
            places: vec![Place::Address {
                street: "1 Market Street".into(),
                town: "Leeds".into(),
                postcode: "ls1 6dt".into(),
            }],
            assured_on: Some("2026-11-01".parse().unwrap()),
            provider: String::new(),
        }
    }

    #[test]
    fn a_service_validates_and_normalises() {
        let s = service().validate().unwrap();
        assert_eq!(s.schedules[0].days, [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday]);
        assert_eq!(s.places[0].to_string(), "1 Market Street, Leeds LS1 6DT");
        assert_eq!(s.schedules[0].to_string(), "monday–wednesday 09:00–17:00");
        assert!(s.is_open(Weekday::Tuesday, ClockTime(9 * 60)));
        assert!(!s.is_open(Weekday::Tuesday, ClockTime(17 * 60)), "closed at closing time");
        assert!(!s.is_open(Weekday::Thursday, ClockTime(12 * 60)));
        let closed = Service { status: ServiceStatus::TemporarilyClosed, ..s.clone() };
        assert!(!closed.is_open(Weekday::Tuesday, ClockTime(12 * 60)));
        assert!(s.unconfirmed_since("2026-11-02".parse().unwrap()));
        assert!(!s.unconfirmed_since("2026-11-01".parse().unwrap()));
    }

    #[test]
    fn bad_fields_are_named() {
        type Breaks = Box<dyn Fn(&mut Service)>;
        let cases: Vec<(&str, Breaks)> = vec![
            ("name", Box::new(|s| s.name = " ".into())),
            ("categories", Box::new(|s| s.categories.clear())),
            ("max_age", Box::new(|s| s.max_age = Some(10))),
            ("min_age", Box::new(|s| s.min_age = Some(200))),
            ("email", Box::new(|s| s.email = "not an email".into())),
            ("website", Box::new(|s| s.website = "example.org".into())),
            ("schedules[0]", Box::new(|s| s.schedules[0].hours = Some((ClockTime(600), ClockTime(540))))),
            ("schedules[0]", Box::new(|s| s.schedules[0].hours = None)),
            (
                "places[0].postcode",
                Box::new(|s| {
                    s.places[0] = Place::Address {
                        street: "1 Market Street".into(),
                        town: "Leeds".into(),
                        postcode: "LS1".into(),
                    }
                }),
            ),
            ("places[0]", Box::new(|s| s.places[0] = Place::Area("1 Acacia Avenue LS6 1AB".into()))),
        ];
        for (field, break_it) in cases {
            let mut s = service();
            break_it(&mut s);
            assert_eq!(s.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn times_days_and_statuses_read_as_people_and_hsds_write_them() {
        assert_eq!(ClockTime::parse("t", "9:05").unwrap(), ClockTime(545));
        assert_eq!(ClockTime::parse("t", "17:30:00").unwrap(), ClockTime(1050));
        assert_eq!(ClockTime::parse("t", "24:00").unwrap(), ClockTime::END_OF_DAY);
        for bad in ["25:00", "12:60", "noon", "12", "12:5", "12:00:30", "24:01"] {
            assert!(ClockTime::parse("t", bad).is_err(), "{bad}");
        }
        assert_eq!(ClockTime(570).to_string(), "09:30");
        for v in ["thursday", "Thu", "TH"] {
            assert_eq!(Weekday::read("d", v).unwrap(), Weekday::Thursday);
        }
        assert!(Weekday::read("d", "someday").is_err());
        assert_eq!(ServiceStatus::from_hsds("s", "temporarily closed").unwrap(), ServiceStatus::TemporarilyClosed);
        assert_eq!(ServiceStatus::TemporarilyClosed.hsds(), "temporarily closed");
        assert_eq!(full_postcode("p", "sw1a2aa").unwrap(), "SW1A 2AA");
    }

    #[test]
    fn schedules_and_addresses_read_back_what_they_print() {
        for text in [
            "monday–friday 09:00–17:00",
            "tuesday, thursday 10:00–14:00; by appointment; closed on bank holidays",
            "wednesday by appointment",
            "by appointment",
        ] {
            assert_eq!(Schedule::parse("hours", text).unwrap().to_string(), text);
        }
        let s = Schedule::parse("hours", "Mon-Wed,SA 9:30-13:00").unwrap();
        assert_eq!(s.days, [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Saturday]);
        assert_eq!(s.hours, Some((ClockTime(570), ClockTime(780))));
        for bad in ["", "mon-fri", "fri-mon 09:00-10:00", "mon 17:00-09:00", "someday 09:00-10:00", "mon 9-5"] {
            assert_eq!(Schedule::parse("hours", bad).unwrap_err().field, "hours", "{bad}");
        }
        let a = Place::parse_address("address", "1 Market Street, Hebden Bridge hx7 8aa").unwrap();
        assert_eq!(a.to_string(), "1 Market Street, Hebden Bridge HX7 8AA");
        assert_eq!(Place::parse_address("address", &a.to_string()).unwrap(), a);
        for bad in ["1 Market Street Leeds LS1 6DT", "1 Market Street, LS1 6DT", "1 Market Street, Leeds LS1"] {
            assert!(Place::parse_address("address", bad).unwrap_err().field.starts_with("address"), "{bad}");
        }
    }

    #[test]
    fn by_appointment_schedules_are_never_open_now() {
        let s = Schedule { days: vec![Weekday::Friday], hours: None, by_appointment: true, note: String::new() }
            .validate("s")
            .unwrap();
        assert!(!s.is_open(Weekday::Friday, ClockTime(600)));
        assert_eq!(s.to_string(), "friday by appointment");
    }
}
