//! Opportunities as schema.org `JobPosting` JSON-LD: what job boards and search
//! engines read. Paid involvement and volunteering are postings too, with their
//! employment type saying so.

use serde_json::{Value, json};

use kith_proto::domain::{Opportunity, OpportunityKind, Pay, PayPer};

use crate::hsds::{datetime, object};

/// Who published an opportunity: the hub, as the hiring organisation.
pub struct Publisher<'a> {
    pub name: &'a str,
    /// The hub's public contact (a phone number, an email address…).
    pub contact: &'a str,
}

/// schema.org's `employmentType` for an opportunity.
fn employment_type(o: &Opportunity) -> &'static str {
    match o.kind {
        OpportunityKind::Volunteering => "VOLUNTEER",
        OpportunityKind::Training | OpportunityKind::Apprenticeship => "INTERN",
        OpportunityKind::PaidInvolvement | OpportunityKind::PeerTeaching => "PER_DIEM",
        OpportunityKind::PaidJob | OpportunityKind::SocialEnterprise => match o.hours_per_week {
            Some(h) if h >= 35.0 => "FULL_TIME",
            Some(_) => "PART_TIME",
            None => "OTHER",
        },
    }
}

fn salary(pay: Pay) -> Value {
    match pay {
        Pay::Unpaid => Value::Null,
        Pay::Paid { pence, per } => {
            let unit = match per {
                PayPer::Hour => "HOUR",
                PayPer::Day => "DAY",
                // schema.org has no session unit: the amount is still per session.
                PayPer::Session => "SESSION",
            };
            json!({
                "@type": "MonetaryAmount",
                "currency": "GBP",
                "value": {"@type": "QuantitativeValue", "value": f64::from(pence) / 100.0, "unitText": unit},
            })
        }
    }
}

/// One opportunity as a `JobPosting`; `url` is where it can be read, when known.
pub fn job_posting(o: &Opportunity, by: &Publisher<'_>, url: Option<&str>) -> Value {
    let posted = datetime(o.id.timestamp_ms() as i64).map(|t| t[..10].to_owned());
    let location = if o.remote {
        Value::Null
    } else {
        json!({
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": o.area, "addressCountry": "GB"},
        })
    };
    let hours = o.hours_per_week.map(kith_words::hours_text);
    let apply = object(vec![
        ("@type", json!("ContactPoint")),
        ("description", json!(o.how_to_apply)),
        ("telephone", json!((!by.contact.contains('@')).then_some(by.contact))),
        ("email", json!(by.contact.split_whitespace().find(|w| w.contains('@')).map(|w| w.trim_matches(',')))),
    ]);
    object(vec![
        ("@context", json!("https://schema.org")),
        ("@type", json!("JobPosting")),
        ("identifier", json!({"@type": "PropertyValue", "name": "kith", "value": o.id.to_string()})),
        ("title", json!(o.title)),
        ("description", json!(if o.description.is_empty() { &o.title } else { &o.description })),
        ("datePosted", json!(posted)),
        ("validThrough", json!(o.closes_on.map(|d| format!("{d}T23:59:59Z")))),
        ("hiringOrganization", json!({"@type": "Organization", "name": by.name})),
        ("jobLocation", location),
        ("jobLocationType", json!(o.remote.then_some("TELECOMMUTE"))),
        ("applicantLocationRequirements", json!(o.remote.then(|| json!({"@type": "Country", "name": "GB"})))),
        ("employmentType", json!(employment_type(o))),
        ("baseSalary", salary(o.pay)),
        ("workHours", json!(hours)),
        ("skills", json!(o.skills.join(", "))),
        ("jobBenefits", json!(o.support.join(", "))),
        ("directApply", json!(false)),
        ("applicationContact", apply),
        ("url", json!(url)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::domain::{OpportunityStatus, Sector};
    use ulid::Ulid;

    fn opportunity() -> Opportunity {
        Opportunity {
            id: Ulid::from_parts(1_764_633_600_000, 7),
            title: "Market garden assistant".into(),
            kind: OpportunityKind::PaidJob,
            sector: Sector::Ordinary,
            description: "Grow vegetables with the co-op".into(),
            area: "Leeds LS6".into(),
            remote: false,
            hours_per_week: Some(16.0),
            pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
            expenses_paid: true,
            skills: vec!["gardening".into()],
            support: vec!["job coach".into()],
            lived_experience_required: false,
            how_to_apply: "Ring Sam".into(),
            closes_on: Some("2027-01-31".parse().unwrap()),
            status: OpportunityStatus::Open,
        }
    }

    #[test]
    fn a_posting_carries_what_job_boards_read() {
        let by = Publisher { name: "Leeds Peer Garden", contact: "0113 496 0101, hello@example.org" };
        let p = job_posting(&opportunity(), &by, None);
        assert_eq!(p["@type"], "JobPosting");
        assert_eq!(p["datePosted"], "2025-12-02");
        assert_eq!(p["validThrough"], "2027-01-31T23:59:59Z");
        assert_eq!(p["hiringOrganization"]["name"], "Leeds Peer Garden");
        assert_eq!(p["jobLocation"]["address"]["addressLocality"], "Leeds LS6");
        assert_eq!(p["employmentType"], "PART_TIME");
        assert_eq!(p["baseSalary"]["value"]["value"], 12.21);
        assert_eq!(p["baseSalary"]["value"]["unitText"], "HOUR");
        assert_eq!(p["workHours"], "16 hours a week");
        assert_eq!(p["applicationContact"]["email"], "hello@example.org");
        assert!(p.get("jobLocationType").is_none());

        let remote =
            Opportunity { remote: true, pay: Pay::Unpaid, kind: OpportunityKind::Volunteering, ..opportunity() };
        let p = job_posting(&remote, &by, Some("https://example.org/o/1"));
        assert_eq!(p["jobLocationType"], "TELECOMMUTE");
        assert!(p.get("jobLocation").is_none() && p.get("baseSalary").is_none());
        assert_eq!(p["employmentType"], "VOLUNTEER");
        assert_eq!(p["url"], "https://example.org/o/1");
    }
}
