//! From listings to a layout: what is printed, in which section and under which
//! area, in what words. Both writers ([`crate::pdf`], [`crate::html()`]) print a
//! [`Layout`] as it is, so the PDF and the HTML page always say the same.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use kith_proto::Slug;
use kith_proto::domain::{Opportunity, OpportunityKind, SafeHouse, Sector};
use kith_proto::offer::Offer;
use kith_proto::service::{Place, Service};
use kith_proto::time::CivilDate;
use kith_words::{
    before_text, date_text, for_text, hours_text, kind_label, pay_text, rate_with_note, region_name, schedule_text,
};

/// A listing with the hub that published it and when it last changed.
#[derive(Clone, Debug)]
pub struct Listed<T> {
    pub hub: Slug,
    pub updated_at_ms: i64,
    pub item: T,
}

/// A hub, for contact details and the index.
#[derive(Clone, Debug)]
pub struct Hub {
    pub id: Slug,
    pub name: String,
    pub description: String,
    pub contact: String,
    pub helpline_hours: String,
}

/// The sections of a directory, in the order they are printed: somewhere safe to
/// stay first, then services, then work and the ways into it, then the work the
/// region's groups' businesses can be booked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    SafeHouses,
    Services,
    Work,
    Involvement,
    Training,
    Volunteering,
    /// Offers: the businesses of the groups' pools of workers.
    Businesses,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::SafeHouses,
        Section::Services,
        Section::Work,
        Section::Involvement,
        Section::Training,
        Section::Volunteering,
        Section::Businesses,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::SafeHouses => "safe-houses",
            Section::Services => "services",
            Section::Work => "work",
            Section::Involvement => "involvement",
            Section::Training => "training",
            Section::Volunteering => "volunteering",
            Section::Businesses => "businesses",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::SafeHouses => "Safe houses",
            Section::Services => "Services",
            Section::Work => "Work",
            Section::Involvement => "Paid involvement",
            Section::Training => "Training and peer teaching",
            Section::Volunteering => "Volunteering",
            Section::Businesses => "Work you can book from the region's groups",
        }
    }

    fn intro(self) -> &'static str {
        match self {
            Section::SafeHouses => {
                "Somewhere safe to stay instead of hospital or the street. Beds free are printed only while the \
                 figure is recent: always call before going."
            }
            Section::Services => "Ordinary services and mental-health services, by area.",
            Section::Work => {
                "Jobs, apprenticeships and social enterprises: ordinary jobs as well as jobs in mental health."
            }
            Section::Involvement => "Paid work using your experience of services: panels, training, research, reviews.",
            Section::Training => "Courses and training, including peer teaching by people with lived experience.",
            Section::Volunteering => "Unpaid roles. Expenses are paid where it says so.",
            Section::Businesses => {
                "Businesses run by the members of the region's groups — gardening, decorating, teaching and more — \
                 paid by the hour at a fair rate. Book them directly, as each says."
            }
        }
    }

    /// The section an opportunity of this kind is printed in.
    pub fn of(kind: OpportunityKind) -> Section {
        match kind {
            OpportunityKind::PaidJob | OpportunityKind::Apprenticeship | OpportunityKind::SocialEnterprise => {
                Section::Work
            }
            OpportunityKind::PaidInvolvement => Section::Involvement,
            OpportunityKind::Training | OpportunityKind::PeerTeaching => Section::Training,
            OpportunityKind::Volunteering => Section::Volunteering,
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Section {
    type Err = String;

    fn from_str(s: &str) -> Result<Section, String> {
        Section::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            format!(
                "unknown kind {s:?}; expected one of: {}",
                Section::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// What the region's relay knew, and what was asked for.
#[derive(Clone, Debug)]
pub struct Directory {
    pub region: String,
    /// The region's date when it was printed.
    pub printed_on: CivilDate,
    /// When it was printed, to decide which beds-free figures are still fresh.
    pub now_ms: i64,
    /// Where it is read: the dates of instants ("last confirmed") are said in it.
    pub time_zone: jiff::tz::TimeZone,
    /// The area asked for, if any (the listings are already only that area's).
    pub area: Option<String>,
    /// The sections asked for; empty means all.
    pub sections: Vec<Section>,
    /// Where the live board is, printed on the title page when known.
    pub board_url: Option<String>,
    pub opportunities: Vec<Listed<Opportunity>>,
    pub services: Vec<Listed<Service>>,
    pub safe_houses: Vec<Listed<SafeHouse>>,
    /// The businesses of the groups' pools.
    pub offers: Vec<Listed<Offer>>,
    pub hubs: Vec<Hub>,
    /// Sections that had more listings than were fetched to print.
    pub truncated: BTreeSet<Section>,
    /// What the region is missing, for commissioners: the week's published figures
    /// (`None`: not known here, and the part is left out).
    pub missing: Option<Missing>,
}

impl Missing {
    /// The newest of the last two weeks with a figure shown (else this week, with
    /// none), from what the relay publishes.
    pub fn from_needs(needs: &kith_proto::v1::Needs) -> Missing {
        let shown = |w: &&kith_proto::v1::NeedWeek| {
            w.kinds.iter().any(|f| f.people.is_some())
                || !w.terms.is_empty()
                || !w.no_bed.is_empty()
                || !w.unmet_work.is_empty()
        };
        let Some(week) = needs.weeks.iter().take(2).find(shown).or(needs.weeks.first()) else {
            return Missing::default();
        };
        let mut lines: Vec<String> = week
            .kinds
            .iter()
            .filter_map(|f| f.people.map(|n| format!("{}: {} — {n} people", f.area, f.what)))
            .collect();
        lines.extend(
            week.terms.iter().filter_map(|f| f.people.map(|n| format!("{}: “{}” — {n} people", f.area, f.what))),
        );
        lines.extend(
            week.no_bed.iter().map(|b| format!("{}: no bed free for {} — {:.1} hours", b.area, b.group, b.hours)),
        );
        lines.extend(week.unmet_work.iter().map(|u| {
            let s = if u.jobs == 1 { "" } else { "s" };
            format!("Work no group's pool could take: {} ({}) — {} job{s}", u.work, u.reason.replace('-', " "), u.jobs)
        }));
        Missing {
            week: week.week.clone(),
            lines,
            note: format!(
                "Each figure counts people, each once a day; a figure of fewer than {} people is not shown, nor one a \
                 total would give away. Work no pool could take counts jobs booked. Published under the {}.",
                needs.threshold, needs.licence
            ),
        }
    }
}

/// What people looked for and did not find in one week, as published.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Missing {
    /// The ISO week: `2026-W49`.
    pub week: String,
    /// One line per figure: "LS6: service: food — 12 people".
    pub lines: Vec<String>,
    /// How the figures are counted and hidden.
    pub note: String,
}

/// A directory laid out: the words of every entry, in order.
#[derive(Clone, Debug, Serialize)]
pub struct Layout {
    pub region: String,
    pub title: String,
    pub printed: String,
    pub scope: String,
    pub board_url: Option<String>,
    pub sections: Vec<SectionOut>,
    pub hubs: Vec<HubOut>,
    /// What the places data's licence asks to be said where it is used.
    pub notice: &'static str,
    /// What the region is missing, printed after the listings.
    pub missing: Option<Missing>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SectionOut {
    pub id: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub areas: Vec<AreaOut>,
    /// Said when more were listed than were printed.
    pub more: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AreaOut {
    pub name: String,
    pub entries: Vec<Entry>,
}

/// One entry: its name, a short line of what it is, facts, how to get in touch.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub what: String,
    pub facts: Vec<String>,
    /// Phone numbers and how to apply or get in: what someone needs to act.
    pub contact: Vec<String>,
    /// A warning printed prominently, e.g. "Beds free: call to check".
    pub warn: Option<String>,
    pub confirmed: String,
    pub hub: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct HubOut {
    pub name: String,
    pub description: String,
    pub contact: String,
    pub helpline_hours: String,
    pub listings: String,
}

const ONLINE: &str = "Online or by phone";

impl Layout {
    pub fn new(d: &Directory) -> Layout {
        let wanted = |s: Section| d.sections.is_empty() || d.sections.contains(&s);
        let hub_name =
            |id: &Slug| d.hubs.iter().find(|h| &h.id == id).map_or_else(|| id.to_string(), |h| h.name.clone());
        let hub_contact =
            |id: &Slug| d.hubs.iter().find(|h| &h.id == id).map(|h| h.contact.clone()).unwrap_or_default();
        let confirmed = |ms: i64| format!("Last confirmed {}", date_text(CivilDate::at(ms, &d.time_zone)));

        let mut by_section: BTreeMap<Section, BTreeMap<String, Vec<Entry>>> = BTreeMap::new();
        let mut counts: BTreeMap<&Slug, [usize; 4]> = BTreeMap::new();
        if wanted(Section::SafeHouses) {
            for l in &d.safe_houses {
                let h = &l.item;
                counts.entry(&l.hub).or_default()[2] += 1;
                let beds = h.availability.and_then(|a| a.beds_free_at(d.now_ms).map(|n| (n, a.updated_at_ms)));
                let (facts_beds, warn) = match beds {
                    Some((n, at)) => (
                        Some(format!(
                            "{n} of {} beds free when printed (reported {})",
                            h.beds_total,
                            before_text(at, d.now_ms, "printing")
                        )),
                        None,
                    ),
                    None => (None, Some("Beds free: call to check".to_owned())),
                };
                let mut facts = vec![format!("For {}", for_text(&h.for_tags))];
                facts.extend(facts_beds);
                if let Some(n) = h.longest_stay_nights {
                    facts.push(format!("Stays of up to {n} night{}", if n == 1 { "" } else { "s" }));
                }
                if h.wheelchair_access {
                    facts.push("Wheelchair access".into());
                }
                facts.push(if h.self_referral { "You can refer yourself" } else { "Referral needed" }.into());
                let phone = if h.phone.is_empty() { hub_contact(&l.hub) } else { h.phone.clone() };
                let entry = Entry {
                    name: h.name.clone(),
                    what: format!("Safe house, {} bed{}", h.beds_total, if h.beds_total == 1 { "" } else { "s" }),
                    facts,
                    contact: vec![phone].into_iter().filter(|p| !p.is_empty()).collect(),
                    warn,
                    confirmed: confirmed(l.updated_at_ms),
                    hub: hub_name(&l.hub),
                };
                by_section.entry(Section::SafeHouses).or_default().entry(h.area.clone()).or_default().push(entry);
            }
        }
        if wanted(Section::Services) {
            for l in &d.services {
                let s = &l.item;
                counts.entry(&l.hub).or_default()[1] += 1;
                let mut facts = Vec::new();
                if !s.description.is_empty() {
                    facts.push(s.description.clone());
                }
                for p in &s.places {
                    if let Place::Address { .. } = p {
                        facts.push(p.to_string());
                    }
                }
                for h in &s.schedules {
                    facts.push(format!("Open {}", schedule_text(h)));
                }
                if !s.eligibility.is_empty() {
                    facts.push(format!("For {}", s.eligibility));
                }
                facts.push(if s.free { "Free".to_owned() } else { format!("Costs: {}", s.fees) });
                if !s.accessibility.is_empty() {
                    facts.push(s.accessibility.join(", "));
                }
                if !s.languages.is_empty() {
                    facts.push(format!("Also in {}", s.languages.join(", ")));
                }
                let mut contact: Vec<String> = s.phones.clone();
                if !s.application_process.is_empty() {
                    contact.push(s.application_process.clone());
                }
                contact.extend([s.email.clone(), s.website.clone()].into_iter().filter(|x| !x.is_empty()));
                if contact.is_empty() {
                    contact.push(hub_contact(&l.hub));
                }
                let area =
                    s.places.iter().find_map(|p| p.area_text().map(|_| place_area(p))).unwrap_or_else(|| ONLINE.into());
                let sector = match s.sector {
                    Sector::Ordinary => "",
                    Sector::MentalHealth => " (mental health)",
                };
                let entry = Entry {
                    name: s.name.clone(),
                    what: format!("{}{sector}", s.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")),
                    facts,
                    contact,
                    warn: None,
                    confirmed: confirmed_service(s, l.updated_at_ms, &d.time_zone),
                    hub: hub_name(&l.hub),
                };
                by_section.entry(Section::Services).or_default().entry(area).or_default().push(entry);
            }
        }
        if wanted(Section::Businesses) {
            for l in &d.offers {
                let o = &l.item;
                counts.entry(&l.hub).or_default()[3] += 1;
                let mut facts = vec![rate_with_note(o.rate_pence, &o.rate_note)];
                if !o.description.is_empty() {
                    facts.push(o.description.clone());
                }
                if o.areas.len() > 1 {
                    facts.push(format!("Works in {}", o.areas.join(", ")));
                }
                let mut contact: Vec<String> = o.phones.clone();
                contact.push(format!("To book: {}", o.how_to_book));
                contact.extend([o.email.clone(), o.website.clone()].into_iter().filter(|x| !x.is_empty()));
                let entry = Entry {
                    name: o.name.clone(),
                    what: o.skills.join(", "),
                    facts,
                    contact,
                    warn: None,
                    confirmed: confirmed(l.updated_at_ms),
                    hub: hub_name(&l.hub),
                };
                let area = o.areas.first().cloned().unwrap_or_else(|| ONLINE.into());
                by_section.entry(Section::Businesses).or_default().entry(area).or_default().push(entry);
            }
        }
        for l in &d.opportunities {
            let o = &l.item;
            let section = Section::of(o.kind);
            if !wanted(section) {
                continue;
            }
            counts.entry(&l.hub).or_default()[0] += 1;
            let mut facts = vec![pay_text(o.pay, o.expenses_paid)];
            if let Some(h) = o.hours_per_week {
                facts.push(hours_text(h));
            }
            if let Some(c) = o.closes_on {
                facts.push(format!("Closes {}", date_text(c)));
            }
            if o.remote {
                facts.push("Can be done from home".into());
            }
            if !o.support.is_empty() {
                facts.push(format!("Support: {}", o.support.join(", ")));
            }
            if o.lived_experience_required {
                facts.push("For people with lived experience of mental-health services".into());
            }
            let mut contact = Vec::new();
            let phone = hub_contact(&l.hub);
            if !phone.is_empty() {
                contact.push(phone);
            }
            if !o.how_to_apply.is_empty() {
                contact.push(format!("To apply: {}", o.how_to_apply));
            }
            let sector = match o.sector {
                Sector::Ordinary => "ordinary job",
                Sector::MentalHealth => "in mental health",
            };
            let entry = Entry {
                name: o.title.clone(),
                what: format!("{}, {sector}", kind_label(o.kind)),
                facts,
                contact,
                warn: None,
                confirmed: confirmed(l.updated_at_ms),
                hub: hub_name(&l.hub),
            };
            by_section.entry(section).or_default().entry(o.area.clone()).or_default().push(entry);
        }

        let sections = Section::ALL
            .into_iter()
            .filter(|s| wanted(*s))
            .map(|s| {
                let mut areas: Vec<AreaOut> = by_section
                    .remove(&s)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(name, mut entries)| {
                        entries.sort_by_cached_key(|e| e.name.to_lowercase());
                        AreaOut { name, entries }
                    })
                    .collect();
                // Places people can go first, then what is online or by phone.
                areas.sort_by_key(|a| (a.name == ONLINE, a.name.to_lowercase()));
                let more = d.truncated.contains(&s).then(|| {
                    "More are listed than a printed directory holds: search the board for them, or print one \
                     area at a time."
                        .to_owned()
                });
                SectionOut { id: s.as_str(), title: s.title(), intro: s.intro(), areas, more }
            })
            .collect();

        let mut hubs: Vec<HubOut> = d
            .hubs
            .iter()
            .map(|h| {
                let [o, s, sh, b] = counts.get(&h.id).copied().unwrap_or_default();
                let mut listed = Vec::new();
                for (n, one, many) in [
                    (o, "opportunity", "opportunities"),
                    (s, "service", "services"),
                    (sh, "safe house", "safe houses"),
                    (b, "business", "businesses"),
                ] {
                    if n > 0 {
                        listed.push(kith_words::count(n, one, many));
                    }
                }
                HubOut {
                    name: h.name.clone(),
                    description: h.description.clone(),
                    contact: h.contact.clone(),
                    helpline_hours: h.helpline_hours.clone(),
                    listings: if listed.is_empty() {
                        "Nothing in this directory".into()
                    } else {
                        format!("In this directory: {}", listed.join(", "))
                    },
                }
            })
            .collect();
        hubs.sort_by_cached_key(|h| h.name.to_lowercase());

        let mut scope = Vec::new();
        match &d.area {
            Some(a) => scope.push(format!("Listings in or near {a}")),
            None => scope.push("All areas".to_owned()),
        }
        if !d.sections.is_empty() {
            let titles: Vec<&str> = Section::ALL.iter().filter(|s| d.sections.contains(s)).map(|s| s.title()).collect();
            scope.push(titles.join(", "));
        }
        Layout {
            region: region_name(&d.region),
            title: format!("Directory of {}", region_name(&d.region)),
            printed: format!("Printed {}", date_text(d.printed_on)),
            scope: scope.join(" · "),
            board_url: d.board_url.clone(),
            sections,
            hubs,
            notice: kith_text::places::ATTRIBUTION,
            missing: d.missing.clone(),
        }
    }

    /// Entries printed, over all sections.
    pub fn entries(&self) -> usize {
        self.sections.iter().flat_map(|s| &s.areas).map(|a| a.entries.len()).sum()
    }
}

/// The heading a place is printed under: its town, or its area.
fn place_area(p: &Place) -> String {
    match p {
        Place::Address { town, .. } => town.clone(),
        Place::Area(a) => a.clone(),
        Place::Virtual => ONLINE.into(),
    }
}

/// A service's hub says when it last checked the entry is right; otherwise the last
/// change is the last confirmation there is.
fn confirmed_service(s: &Service, updated_at_ms: i64, zone: &jiff::tz::TimeZone) -> String {
    let updated = CivilDate::at(updated_at_ms, zone);
    let on = s.assured_on.map_or(updated, |a| a.max(updated));
    format!("Last confirmed {}", date_text(on))
}
