//! Between the gRPC messages of [`crate::v1`] and the validated domain types.
//!
//! Everything arriving over gRPC passes through here, so this is where a request's
//! fields are checked; the error names the field as the request spells it.

use ulid::Ulid;

use crate::domain::{
    self, Availability, ForTag, Opportunity, OpportunityKind, OpportunityStatus, Pay, SafeHouse, Sector,
};
use crate::time::CivilDate;
use crate::v1;
use crate::validate::{self, ValidationError};

/// Parses a ULID given for `field`.
pub fn parse_id(field: &str, value: &str) -> Result<Ulid, ValidationError> {
    Ulid::from_string(value.trim())
        .map_err(|_| ValidationError::new(field, format!("must be a 26-character ULID (got {value:?})")))
}

fn pay_from_v1(pay: Option<&v1::Pay>) -> Result<Pay, ValidationError> {
    match pay {
        None => Ok(Pay::Unpaid),
        Some(p) => Pay::paid(i64::from(p.pence), &p.per),
    }
}

fn closes_on(value: &str) -> Result<Option<CivilDate>, ValidationError> {
    if value.trim().is_empty() { Ok(None) } else { CivilDate::parse("closes_on", value).map(Some) }
}

fn for_tags(values: &[String]) -> Result<Vec<ForTag>, ValidationError> {
    values.iter().enumerate().map(|(i, t)| ForTag::parse(&format!("for[{i}]"), t)).collect()
}

fn beds(field: &str, value: i64) -> Result<u16, ValidationError> {
    Ok(validate::range(field, value, 0, domain::limits::MAX_BEDS)? as u16)
}

fn nights(value: i64) -> Result<u16, ValidationError> {
    Ok(validate::range("longest_stay_nights", value, 1, domain::limits::MAX_STAY_NIGHTS)? as u16)
}

/// A new, open opportunity from what an operator gave.
pub fn opportunity_from_fields(id: Ulid, f: &v1::OpportunityFields) -> Result<Opportunity, ValidationError> {
    Opportunity {
        id,
        title: f.title.clone(),
        kind: OpportunityKind::parse("kind", &f.kind)?,
        sector: Sector::parse("sector", &f.sector)?,
        description: f.description.clone(),
        area: f.area.clone(),
        remote: f.remote,
        hours_per_week: f.hours_per_week,
        pay: pay_from_v1(f.pay.as_ref())?,
        expenses_paid: f.expenses_paid,
        skills: f.skills.clone(),
        support: f.support.clone(),
        lived_experience_required: f.lived_experience_required,
        how_to_apply: f.how_to_apply.clone(),
        closes_on: closes_on(&f.closes_on)?,
        status: OpportunityStatus::Open,
    }
    .validate()
}

/// Applies a patch; the result is validated as a whole.
pub fn patch_opportunity(mut o: Opportunity, p: &v1::OpportunityPatch) -> Result<Opportunity, ValidationError> {
    if let Some(v) = &p.title {
        o.title = v.clone();
    }
    if let Some(v) = &p.kind {
        o.kind = OpportunityKind::parse("kind", v)?;
    }
    if let Some(v) = &p.sector {
        o.sector = Sector::parse("sector", v)?;
    }
    if let Some(v) = &p.description {
        o.description = v.clone();
    }
    if let Some(v) = &p.area {
        o.area = v.clone();
    }
    if let Some(v) = p.remote {
        o.remote = v;
    }
    if p.clear_hours {
        o.hours_per_week = None;
    } else if let Some(v) = p.hours_per_week {
        o.hours_per_week = Some(v);
    }
    if p.unpaid && p.pay.is_some() {
        return Err(ValidationError::new("pay", "give either pay or unpaid, not both"));
    }
    if p.unpaid {
        o.pay = Pay::Unpaid;
    } else if p.pay.is_some() {
        o.pay = pay_from_v1(p.pay.as_ref())?;
    }
    if let Some(v) = p.expenses_paid {
        o.expenses_paid = v;
    }
    if let Some(v) = &p.skills {
        o.skills = v.values.clone();
    }
    if let Some(v) = &p.support {
        o.support = v.values.clone();
    }
    if let Some(v) = p.lived_experience_required {
        o.lived_experience_required = v;
    }
    if let Some(v) = &p.how_to_apply {
        o.how_to_apply = v.clone();
    }
    if let Some(v) = &p.closes_on {
        o.closes_on = closes_on(v)?;
    }
    if let Some(v) = &p.status {
        o.status = match OpportunityStatus::parse("status", v)? {
            OpportunityStatus::Withdrawn => {
                return Err(ValidationError::new("status", "use withdraw to withdraw an opportunity"));
            }
            s => s,
        };
    }
    o.validate()
}

pub fn opportunity_to_v1(o: &Opportunity, hub: &str, seq: u64, updated_at_ms: i64) -> v1::Opportunity {
    v1::Opportunity {
        id: o.id.to_string(),
        hub: hub.to_owned(),
        title: o.title.clone(),
        kind: o.kind.as_str().to_owned(),
        sector: o.sector.as_str().to_owned(),
        description: o.description.clone(),
        area: o.area.clone(),
        remote: o.remote,
        hours_per_week: o.hours_per_week,
        pay: match o.pay {
            Pay::Unpaid => None,
            Pay::Paid { pence, per } => Some(v1::Pay { pence, per: per.as_str().to_owned() }),
        },
        expenses_paid: o.expenses_paid,
        skills: o.skills.clone(),
        support: o.support.clone(),
        lived_experience_required: o.lived_experience_required,
        how_to_apply: o.how_to_apply.clone(),
        closes_on: o.closes_on.map(|d| d.to_string()).unwrap_or_default(),
        status: o.status.as_str().to_owned(),
        seq,
        updated_at_ms,
        // Set by the relay, which knows each hub's region and where places are.
        ..Default::default()
    }
}

/// The opportunity a `v1::Opportunity` shows, checked as a whole.
pub fn opportunity_from_v1(o: &v1::Opportunity) -> Result<Opportunity, ValidationError> {
    Opportunity {
        id: parse_id("id", &o.id)?,
        title: o.title.clone(),
        kind: OpportunityKind::parse("kind", &o.kind)?,
        sector: Sector::parse("sector", &o.sector)?,
        description: o.description.clone(),
        area: o.area.clone(),
        remote: o.remote,
        hours_per_week: o.hours_per_week,
        pay: pay_from_v1(o.pay.as_ref())?,
        expenses_paid: o.expenses_paid,
        skills: o.skills.clone(),
        support: o.support.clone(),
        lived_experience_required: o.lived_experience_required,
        how_to_apply: o.how_to_apply.clone(),
        closes_on: closes_on(&o.closes_on)?,
        status: OpportunityStatus::parse("status", &o.status)?,
    }
    .validate()
}

/// The safe house a `v1::SafeHouse` shows, and its beds free now (None when its
/// availability is unknown or stale).
pub fn safehouse_from_v1(s: &v1::SafeHouse) -> Result<(SafeHouse, Option<u16>), ValidationError> {
    let free =
        s.availability.as_ref().and_then(|a| a.beds_free).map(|n| beds("beds_free", i64::from(n))).transpose()?;
    let house = SafeHouse {
        id: parse_id("id", &s.id)?,
        name: s.name.clone(),
        area: s.area.clone(),
        for_tags: for_tags(&s.for_tags)?,
        beds_total: beds("beds_total", i64::from(s.beds_total))?,
        wheelchair_access: s.wheelchair_access,
        self_referral: s.self_referral,
        longest_stay_nights: s.longest_stay_nights.map(|n| nights(i64::from(n))).transpose()?,
        phone: s.phone.clone(),
        description: s.description.clone(),
        availability: s.availability.as_ref().map(|a| Availability {
            beds_free: free.unwrap_or(0),
            updated_at_ms: a.updated_at_ms,
            valid_until_ms: a.valid_until_ms,
        }),
    };
    Ok((house, free))
}

/// A new safe house from what an operator gave, without availability.
pub fn safehouse_from_fields(id: Ulid, f: &v1::SafeHouseFields) -> Result<SafeHouse, ValidationError> {
    SafeHouse {
        id,
        name: f.name.clone(),
        area: f.area.clone(),
        for_tags: for_tags(&f.for_tags)?,
        beds_total: beds("beds_total", f.beds_total)?,
        wheelchair_access: f.wheelchair_access,
        self_referral: f.self_referral,
        longest_stay_nights: f.longest_stay_nights.map(nights).transpose()?,
        phone: f.phone.clone(),
        description: f.description.clone(),
        availability: None,
    }
    .validate()
}

/// Applies a patch at `now_ms`; the result is validated as a whole. Fewer beds in
/// total than are reported free is refused while that report holds (update the
/// availability first); a stale report is capped to the new total, since it is
/// shown as unknown anyway.
pub fn patch_safehouse(mut s: SafeHouse, p: &v1::SafeHousePatch, now_ms: i64) -> Result<SafeHouse, ValidationError> {
    if let Some(v) = &p.name {
        s.name = v.clone();
    }
    if let Some(v) = &p.area {
        s.area = v.clone();
    }
    if let Some(v) = &p.for_tags {
        s.for_tags = for_tags(&v.values)?;
    }
    if let Some(v) = p.beds_total {
        s.beds_total = beds("beds_total", v)?;
        if let Some(a) = &mut s.availability
            && a.beds_free > s.beds_total
        {
            if a.beds_free_at(now_ms).is_some() {
                return Err(ValidationError::new(
                    "beds_total",
                    format!(
                        "{} is fewer than the {} beds reported free until the report expires; set availability first",
                        s.beds_total, a.beds_free
                    ),
                ));
            }
            a.beds_free = s.beds_total;
        }
    }
    if let Some(v) = p.wheelchair_access {
        s.wheelchair_access = v;
    }
    if let Some(v) = p.self_referral {
        s.self_referral = v;
    }
    if p.clear_longest_stay {
        s.longest_stay_nights = None;
    } else if let Some(v) = p.longest_stay_nights {
        s.longest_stay_nights = Some(nights(v)?);
    }
    if let Some(v) = &p.phone {
        s.phone = v.clone();
    }
    if let Some(v) = &p.description {
        s.description = v.clone();
    }
    s.validate()
}

/// Sets a safe house's availability as reported now.
pub fn set_availability(
    mut s: SafeHouse,
    beds_free: i64,
    valid_for_secs: u64,
    now_ms: i64,
) -> Result<SafeHouse, ValidationError> {
    let beds_free = beds("beds_free", beds_free)?;
    let valid_for = if valid_for_secs == 0 { domain::DEFAULT_VALID_FOR_SECS } else { valid_for_secs };
    validate::range("valid_for_secs", valid_for as i64, 1, domain::MAX_VALID_FOR_SECS as i64)?;
    s.availability =
        Some(Availability { beds_free, updated_at_ms: now_ms, valid_until_ms: now_ms + valid_for as i64 * 1000 });
    s.validate()
}

/// The gRPC form of a safe house as seen at `now_ms`: stale availability is reported
/// as unknown (`beds_free` absent, `stale` true), never as the old number.
pub fn safehouse_to_v1(
    s: &SafeHouse,
    hub: &str,
    seq: u64,
    updated_at_ms: i64,
    withdrawn: bool,
    now_ms: i64,
) -> v1::SafeHouse {
    v1::SafeHouse {
        id: s.id.to_string(),
        hub: hub.to_owned(),
        name: s.name.clone(),
        area: s.area.clone(),
        for_tags: s.for_tags.iter().map(|t| t.as_str().to_owned()).collect(),
        beds_total: u32::from(s.beds_total),
        wheelchair_access: s.wheelchair_access,
        self_referral: s.self_referral,
        longest_stay_nights: s.longest_stay_nights.map(u32::from),
        phone: s.phone.clone(),
        description: s.description.clone(),
        availability: s.availability.map(|a| {
            let free = a.beds_free_at(now_ms);
            v1::Availability {
                beds_free: free.map(u32::from),
                updated_at_ms: a.updated_at_ms,
                valid_until_ms: a.valid_until_ms,
                stale: free.is_none(),
            }
        }),
        status: if withdrawn { "withdrawn" } else { "active" }.to_owned(),
        seq,
        updated_at_ms,
        // Set by the relay.
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> v1::OpportunityFields {
        v1::OpportunityFields {
            title: "Cafe assistant".into(),
            kind: "paid-job".into(),
            sector: "ordinary".into(),
            area: "Hebden Bridge".into(),
            pay: Some(v1::Pay { pence: 1250, per: "hour".into() }),
            ..Default::default()
        }
    }

    fn check(mutate: impl FnOnce(&mut v1::OpportunityFields), field: &str) {
        let mut f = fields();
        mutate(&mut f);
        let e = opportunity_from_fields(Ulid::new(), &f).unwrap_err();
        assert_eq!(e.field, field, "{e}");
    }

    #[test]
    fn opportunity_fields_are_checked() {
        assert!(opportunity_from_fields(Ulid::new(), &fields()).is_ok());
        check(|f| f.title = String::new(), "title");
        check(|f| f.kind = "astronaut".into(), "kind");
        check(|f| f.sector = String::new(), "sector");
        check(|f| f.area = String::new(), "area");
        check(|f| f.description = "x".repeat(10 * 1024 * 1024), "description");
        check(|f| f.pay = Some(v1::Pay { pence: 0, per: "hour".into() }), "pay.pence");
        check(|f| f.pay = Some(v1::Pay { pence: 10, per: "week".into() }), "pay.per");
        check(|f| f.closes_on = "tomorrow".into(), "closes_on");
        check(|f| f.skills = vec!["a".into(); 21], "skills");
    }

    #[test]
    fn safehouse_checks_and_staleness() {
        let f = v1::SafeHouseFields {
            name: "Women's house".into(),
            area: "Leeds".into(),
            for_tags: vec!["women".into()],
            beds_total: 4,
            ..Default::default()
        };
        let s = safehouse_from_fields(Ulid::new(), &f).unwrap();
        let e = safehouse_from_fields(Ulid::new(), &v1::SafeHouseFields { beds_total: -1, ..f.clone() }).unwrap_err();
        assert_eq!(e.to_string(), "beds_total: must be 0 to 500 (got -1)");
        let e = safehouse_from_fields(Ulid::new(), &v1::SafeHouseFields { for_tags: vec!["cats".into()], ..f.clone() })
            .unwrap_err();
        assert_eq!(e.field, "for[0]");
        assert_eq!(set_availability(s.clone(), 5, 60, 0).unwrap_err().field, "beds_free");
        let s = set_availability(s, 2, 60, 1_000).unwrap();
        let fresh = safehouse_to_v1(&s, "h", 1, 0, false, 60_999);
        assert_eq!(fresh.availability.unwrap().beds_free, Some(2));
        let stale = safehouse_to_v1(&s, "h", 1, 0, false, 61_000).availability.unwrap();
        assert_eq!((stale.beds_free, stale.stale), (None, true));
        let fewer = v1::SafeHousePatch { beds_total: Some(1), ..Default::default() };
        assert_eq!(patch_safehouse(s.clone(), &fewer, 60_999).unwrap_err().field, "beds_total");
        let capped = patch_safehouse(s, &fewer, 61_000).unwrap();
        assert_eq!(capped.availability.unwrap().beds_free, 1);
    }
}

/// Services: between `v1::ServiceFields` / `v1::Service` and [`Service`].
mod services {
    use super::*;
    use crate::service::{Category, ClockTime, Place, Schedule, Service, ServiceStatus, Weekday, limits};

    fn age(field: &str, value: Option<i64>) -> Result<Option<u8>, ValidationError> {
        value.map(|v| validate::range(field, v, 0, limits::MAX_AGE).map(|v| v as u8)).transpose()
    }

    fn schedule_from_v1(i: usize, s: &v1::Schedule) -> Result<Schedule, ValidationError> {
        let field = format!("schedules[{i}]");
        let days = s.days.iter().map(|d| Weekday::read(&format!("{field}.days"), d)).collect::<Result<_, _>>()?;
        let hours = match (s.opens.trim().is_empty(), s.closes.trim().is_empty()) {
            (true, true) => None,
            (false, false) => Some((
                ClockTime::parse(&format!("{field}.opens"), &s.opens)?,
                ClockTime::parse(&format!("{field}.closes"), &s.closes)?,
            )),
            _ => return Err(ValidationError::new(field, "give both opens and closes, or neither")),
        };
        Ok(Schedule { days, hours, by_appointment: s.by_appointment, note: s.note.clone() })
    }

    fn place_from_v1(i: usize, p: &v1::Place) -> Result<Place, ValidationError> {
        match &p.r#where {
            Some(v1::place::Where::Address(a)) => {
                Ok(Place::Address { street: a.street.clone(), town: a.town.clone(), postcode: a.postcode.clone() })
            }
            Some(v1::place::Where::Area(a)) => Ok(Place::Area(a.clone())),
            Some(v1::place::Where::Online(_)) => Ok(Place::Virtual),
            None => Err(ValidationError::new(format!("places[{i}]"), "give an address, an area or online")),
        }
    }

    /// A service from what an operator gave; validated as a whole.
    pub fn service_from_fields(id: Ulid, f: &v1::ServiceFields) -> Result<Service, ValidationError> {
        let status = if f.status.trim().is_empty() {
            ServiceStatus::Active
        } else {
            ServiceStatus::from_hsds("status", &f.status)?
        };
        let categories = f
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| Category::parse(&format!("categories[{i}]"), c))
            .collect::<Result<_, _>>()?;
        Service {
            id,
            name: f.name.clone(),
            description: f.description.clone(),
            status,
            sector: Sector::parse("sector", &f.sector)?,
            categories,
            eligibility: f.eligibility.clone(),
            min_age: age("min_age", f.min_age)?,
            max_age: age("max_age", f.max_age)?,
            free: f.free,
            fees: f.fees.clone(),
            languages: f.languages.clone(),
            accessibility: f.accessibility.clone(),
            application_process: f.application_process.clone(),
            self_referral: f.self_referral,
            phones: f.phones.clone(),
            email: f.email.clone(),
            website: f.website.clone(),
            schedules: f.schedules.iter().enumerate().map(|(i, s)| schedule_from_v1(i, s)).collect::<Result<_, _>>()?,
            places: f.places.iter().enumerate().map(|(i, p)| place_from_v1(i, p)).collect::<Result<_, _>>()?,
            assured_on: if f.assured_on.trim().is_empty() {
                None
            } else {
                Some(CivilDate::parse("assured_on", &f.assured_on)?)
            },
            provider: f.provider.clone(),
        }
        .validate()
    }

    fn schedule_to_v1(s: &Schedule) -> v1::Schedule {
        let (opens, closes) = s.hours.map_or((String::new(), String::new()), |(o, c)| (o.to_string(), c.to_string()));
        v1::Schedule {
            days: s.days.iter().map(|d| d.as_str().to_owned()).collect(),
            opens,
            closes,
            by_appointment: s.by_appointment,
            note: s.note.clone(),
        }
    }

    fn place_to_v1(p: &Place) -> v1::Place {
        let r#where = match p {
            Place::Address { street, town, postcode } => v1::place::Where::Address(v1::Address {
                street: street.clone(),
                town: town.clone(),
                postcode: postcode.clone(),
            }),
            Place::Area(a) => v1::place::Where::Area(a.clone()),
            Place::Virtual => v1::place::Where::Online(true),
        };
        v1::Place { r#where: Some(r#where) }
    }

    /// The fields that give back `s` through [`service_from_fields`].
    pub fn service_fields(s: &Service) -> v1::ServiceFields {
        v1::ServiceFields {
            name: s.name.clone(),
            description: s.description.clone(),
            status: s.status.as_str().to_owned(),
            sector: s.sector.as_str().to_owned(),
            categories: s.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            eligibility: s.eligibility.clone(),
            min_age: s.min_age.map(i64::from),
            max_age: s.max_age.map(i64::from),
            free: s.free,
            fees: s.fees.clone(),
            languages: s.languages.clone(),
            accessibility: s.accessibility.clone(),
            application_process: s.application_process.clone(),
            self_referral: s.self_referral,
            phones: s.phones.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            schedules: s.schedules.iter().map(schedule_to_v1).collect(),
            places: s.places.iter().map(place_to_v1).collect(),
            assured_on: s.assured_on.map(|d| d.to_string()).unwrap_or_default(),
            provider: s.provider.clone(),
        }
    }

    /// The service a `v1::Service` shows, checked as a whole (what a client reads
    /// back from a hub or a relay, to show or to change it).
    pub fn service_from_v1(s: &v1::Service) -> Result<Service, ValidationError> {
        let fields = v1::ServiceFields {
            name: s.name.clone(),
            description: s.description.clone(),
            status: s.status.clone(),
            sector: s.sector.clone(),
            categories: s.categories.clone(),
            eligibility: s.eligibility.clone(),
            min_age: s.min_age.map(i64::from),
            max_age: s.max_age.map(i64::from),
            free: s.free,
            fees: s.fees.clone(),
            languages: s.languages.clone(),
            accessibility: s.accessibility.clone(),
            application_process: s.application_process.clone(),
            self_referral: s.self_referral,
            phones: s.phones.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            schedules: s.schedules.clone(),
            places: s.places.clone(),
            assured_on: s.assured_on.clone(),
            provider: s.provider.clone(),
        };
        service_from_fields(parse_id("id", &s.id)?, &fields)
    }

    /// A service as the APIs show it; the flags that depend on where it is shown
    /// (withdrawn at a hub; unconfirmed, open now at a relay) are left false.
    pub fn service_to_v1(s: &Service, hub: &str, seq: u64, updated_at_ms: i64) -> v1::Service {
        let f = service_fields(s);
        v1::Service {
            id: s.id.to_string(),
            hub: hub.to_owned(),
            name: f.name,
            description: f.description,
            status: f.status,
            sector: f.sector,
            categories: f.categories,
            eligibility: f.eligibility,
            min_age: s.min_age.map(u32::from),
            max_age: s.max_age.map(u32::from),
            free: f.free,
            fees: f.fees,
            languages: f.languages,
            accessibility: f.accessibility,
            application_process: f.application_process,
            self_referral: f.self_referral,
            phones: f.phones,
            email: f.email,
            website: f.website,
            schedules: f.schedules,
            places: f.places,
            assured_on: f.assured_on,
            provider: f.provider,
            seq,
            updated_at_ms,
            withdrawn: false,
            // Set by the relay: unconfirmed, open now, region, location.
            ..Default::default()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn fields_round_trip_and_bad_ones_are_named() {
            let s = crate::service::tests::service().validate().unwrap();
            let f = service_fields(&s);
            assert_eq!(service_from_fields(s.id, &f).unwrap(), s);
            let v = service_to_v1(&s, "garden", 4, 9);
            assert_eq!((v.hub.as_str(), v.seq, v.places.len()), ("garden", 4, 1));
            assert_eq!(service_from_v1(&v).unwrap(), s);

            let mut bad = f.clone();
            bad.categories.push("astrology".into());
            assert_eq!(service_from_fields(s.id, &bad).unwrap_err().field, "categories[2]");
            let mut bad = f.clone();
            bad.schedules[0].closes.clear();
            assert_eq!(service_from_fields(s.id, &bad).unwrap_err().field, "schedules[0]");
            let mut bad = f.clone();
            bad.schedules[0].days.push("someday".into());
            assert_eq!(service_from_fields(s.id, &bad).unwrap_err().field, "schedules[0].days");
            let mut bad = f.clone();
            bad.min_age = Some(-1);
            assert_eq!(service_from_fields(s.id, &bad).unwrap_err().field, "min_age");
            let mut bad = f;
            bad.places.push(v1::Place { r#where: None });
            assert_eq!(service_from_fields(s.id, &bad).unwrap_err().field, "places[1]");
        }
    }
}

pub use services::{service_fields, service_from_fields, service_from_v1, service_to_v1};
