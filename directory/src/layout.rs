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
    Lang, category_text, date_text_in, for_text_in, hours_text_in, kind_text, list_separator, pay_text_in,
    rate_with_note_in, region_name, schedule_text_in, t,
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

    /// Its title in English: `Training and peer teaching`.
    pub fn title(self) -> String {
        self.title_in(Lang::En)
    }

    /// Its title in `lang`.
    pub fn title_in(self, lang: Lang) -> String {
        lang.t(&format!("section-{}", self.as_str()))
    }

    fn intro_in(self, lang: Lang) -> String {
        lang.t(&format!("section-intro-{}", self.as_str()))
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
        Missing::from_needs_in(Lang::En, needs)
    }

    /// [`Missing::from_needs`], said in `lang` (the kinds and areas as published).
    pub fn from_needs_in(lang: Lang, needs: &kith_proto::v1::Needs) -> Missing {
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
            .filter_map(|f| {
                let what = kith_words::need_kind_text(lang, &f.what);
                f.people.map(|n| t!(lang, "missing-people", area = f.area.clone(), what = what, n = n))
            })
            .collect();
        lines.extend(week.terms.iter().filter_map(|f| {
            f.people.map(|n| t!(lang, "missing-term", area = f.area.clone(), what = f.what.clone(), n = n))
        }));
        lines.extend(week.no_bed.iter().map(|b| {
            let hours = format!("{:.1}", b.hours);
            t!(lang, "missing-no-bed", area = b.area.clone(), who = b.group.clone(), hours = hours)
        }));
        lines.extend(week.unmet_work.iter().map(|u| {
            let why = u.reason.replace('-', " ");
            t!(lang, "missing-work", work = u.work.clone(), why = why, jobs = u.jobs)
        }));
        let note = t!(lang, "missing-note", threshold = needs.threshold, licence = needs.licence.clone());
        Missing { week: week.week.clone(), lines, note }
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
    /// The language it is printed in: its code (`cy`, typst's `lang`) and tag
    /// (`<html lang>`).
    pub lang: &'static str,
    pub tag: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// What the templates say around the entries, in the directory's language.
    pub words: Words,
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

/// The templates' own words, in the directory's language.
#[derive(Clone, Debug, Serialize)]
pub struct Words {
    pub changes_quickly: String,
    pub call_before: String,
    pub on_the_board: String,
    pub listed_by: String,
    pub contents: String,
    pub nothing_here: String,
    pub index: String,
    pub index_about: String,
    pub contact: String,
    pub helpline: String,
    pub page: String,
    pub missing_heading: String,
    /// The introduction to what is missing, with its week.
    pub missing_intro: String,
    pub missing_none: String,
}

impl Words {
    fn new(lang: Lang, region: &str, missing: Option<&Missing>) -> Words {
        Words {
            changes_quickly: lang.t("directory-changes-quickly"),
            call_before: lang.t("directory-call-before"),
            on_the_board: lang.t("directory-on-the-board"),
            listed_by: t!(lang, "directory-listed-by", region = region.to_owned()),
            contents: lang.t("directory-contents"),
            nothing_here: lang.t("directory-nothing-here"),
            index: lang.t("directory-index"),
            index_about: lang.t("directory-index-about"),
            contact: lang.t("directory-contact"),
            helpline: lang.t("directory-helpline"),
            page: lang.t("directory-page"),
            missing_heading: lang.t("missing-heading"),
            missing_intro: t!(lang, "missing-intro", week = missing.map(|m| m.week.clone()).unwrap_or_default()),
            missing_none: lang.t("missing-none"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SectionOut {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
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

impl Layout {
    /// The layout in English.
    pub fn new(d: &Directory) -> Layout {
        Layout::new_in(d, Lang::En)
    }

    /// The layout in `lang`: Kith's words in it, what hubs wrote as they wrote it.
    pub fn new_in(d: &Directory, lang: Lang) -> Layout {
        let online = lang.t("directory-online");
        let sep = list_separator(lang);
        let wanted = |s: Section| d.sections.is_empty() || d.sections.contains(&s);
        let hub_name =
            |id: &Slug| d.hubs.iter().find(|h| &h.id == id).map_or_else(|| id.to_string(), |h| h.name.clone());
        let hub_contact =
            |id: &Slug| d.hubs.iter().find(|h| &h.id == id).map(|h| h.contact.clone()).unwrap_or_default();
        let confirmed = |ms: i64| last_confirmed(lang, CivilDate::at(ms, &d.time_zone));

        let mut by_section: BTreeMap<Section, BTreeMap<String, Vec<Entry>>> = BTreeMap::new();
        let mut counts: BTreeMap<&Slug, [usize; 4]> = BTreeMap::new();
        if wanted(Section::SafeHouses) {
            for l in &d.safe_houses {
                let h = &l.item;
                counts.entry(&l.hub).or_default()[2] += 1;
                let beds = h.availability.and_then(|a| a.beds_free_at(d.now_ms).map(|n| (n, a.updated_at_ms)));
                let (facts_beds, warn) = match beds {
                    Some((n, at)) => (
                        Some(t!(
                            lang,
                            "entry-beds-free",
                            free = n,
                            total = h.beds_total,
                            when = before_printing(lang, at, d.now_ms)
                        )),
                        None,
                    ),
                    None => (None, Some(lang.t("entry-beds-call"))),
                };
                let mut facts = vec![t!(lang, "entry-for", who = for_text_in(lang, &h.for_tags))];
                facts.extend(facts_beds);
                if let Some(n) = h.longest_stay_nights {
                    facts.push(t!(lang, "entry-stays", n = n));
                }
                if h.wheelchair_access {
                    facts.push(lang.t("entry-wheelchair"));
                }
                facts.push(lang.t(if h.self_referral { "entry-self-referral" } else { "entry-referral-needed" }));
                let phone = if h.phone.is_empty() { hub_contact(&l.hub) } else { h.phone.clone() };
                let entry = Entry {
                    name: h.name.clone(),
                    what: t!(lang, "entry-safe-house", beds = h.beds_total),
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
                    facts.push(t!(lang, "entry-open", hours = schedule_text_in(lang, h)));
                }
                if !s.eligibility.is_empty() {
                    facts.push(t!(lang, "entry-for", who = s.eligibility.clone()));
                }
                facts.push(if s.free { lang.t("entry-free") } else { t!(lang, "entry-costs", fees = s.fees.clone()) });
                if !s.accessibility.is_empty() {
                    facts.push(s.accessibility.join(", "));
                }
                if !s.languages.is_empty() {
                    facts.push(t!(lang, "entry-also-in", languages = s.languages.join(", ")));
                }
                let mut contact: Vec<String> = s.phones.clone();
                if !s.application_process.is_empty() {
                    contact.push(s.application_process.clone());
                }
                contact.extend([s.email.clone(), s.website.clone()].into_iter().filter(|x| !x.is_empty()));
                if contact.is_empty() {
                    contact.push(hub_contact(&l.hub));
                }
                let area = s
                    .places
                    .iter()
                    .find_map(|p| p.area_text().map(|_| place_area(p, &online)))
                    .unwrap_or_else(|| online.clone());
                let kinds = s.categories.iter().map(|c| category_text(lang, *c)).collect::<Vec<_>>().join(sep);
                let what = match s.sector {
                    Sector::Ordinary => kinds,
                    Sector::MentalHealth => t!(lang, "entry-mental-health-service", kinds = kinds),
                };
                let entry = Entry {
                    name: s.name.clone(),
                    what,
                    facts,
                    contact,
                    warn: None,
                    confirmed: confirmed_service(lang, s, l.updated_at_ms, &d.time_zone),
                    hub: hub_name(&l.hub),
                };
                by_section.entry(Section::Services).or_default().entry(area).or_default().push(entry);
            }
        }
        if wanted(Section::Businesses) {
            for l in &d.offers {
                let o = &l.item;
                counts.entry(&l.hub).or_default()[3] += 1;
                let mut facts = vec![rate_with_note_in(lang, o.rate_pence, &o.rate_note)];
                if !o.description.is_empty() {
                    facts.push(o.description.clone());
                }
                if o.areas.len() > 1 {
                    facts.push(t!(lang, "entry-works-in", areas = o.areas.join(", ")));
                }
                let mut contact: Vec<String> = o.phones.clone();
                contact.push(t!(lang, "entry-to-book", how = o.how_to_book.clone()));
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
                let area = o.areas.first().cloned().unwrap_or_else(|| online.clone());
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
            let mut facts = vec![pay_text_in(lang, o.pay, o.expenses_paid)];
            if let Some(h) = o.hours_per_week {
                facts.push(hours_text_in(lang, h));
            }
            if let Some(c) = o.closes_on {
                facts.push(t!(lang, "entry-closes", date = date_text_in(lang, c)));
            }
            if o.remote {
                facts.push(lang.t("entry-from-home"));
            }
            if !o.support.is_empty() {
                facts.push(t!(lang, "entry-support", support = o.support.join(", ")));
            }
            if o.lived_experience_required {
                facts.push(lang.t("entry-lived-experience"));
            }
            let mut contact = Vec::new();
            let phone = hub_contact(&l.hub);
            if !phone.is_empty() {
                contact.push(phone);
            }
            if !o.how_to_apply.is_empty() {
                contact.push(t!(lang, "entry-to-apply", how = o.how_to_apply.clone()));
            }
            let kind = kind_text(lang, o.kind);
            let what = match o.sector {
                Sector::Ordinary => t!(lang, "entry-ordinary-job", kind = kind),
                Sector::MentalHealth => t!(lang, "entry-in-mental-health", kind = kind),
            };
            let entry = Entry {
                name: o.title.clone(),
                what,
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
                areas.sort_by_key(|a| (a.name == online, a.name.to_lowercase()));
                let more = d.truncated.contains(&s).then(|| lang.t("directory-more"));
                SectionOut { id: s.as_str(), title: s.title_in(lang), intro: s.intro_in(lang), areas, more }
            })
            .collect();

        let mut hubs: Vec<HubOut> = d
            .hubs
            .iter()
            .map(|h| {
                let [o, s, sh, b] = counts.get(&h.id).copied().unwrap_or_default();
                let mut listed = Vec::new();
                for (n, key) in [
                    (o, "count-opportunities"),
                    (s, "count-services"),
                    (sh, "count-safe-houses"),
                    (b, "count-businesses"),
                ] {
                    if n > 0 {
                        listed.push(t!(lang, key, n = n));
                    }
                }
                HubOut {
                    name: h.name.clone(),
                    description: h.description.clone(),
                    contact: h.contact.clone(),
                    helpline_hours: h.helpline_hours.clone(),
                    listings: if listed.is_empty() {
                        lang.t("directory-nothing-listed")
                    } else {
                        t!(lang, "directory-listed-here", list = listed.join(sep))
                    },
                }
            })
            .collect();
        hubs.sort_by_cached_key(|h| h.name.to_lowercase());

        let mut scope = Vec::new();
        match &d.area {
            Some(a) => scope.push(t!(lang, "directory-in-or-near", area = a.clone())),
            None => scope.push(lang.t("directory-all-areas")),
        }
        if !d.sections.is_empty() {
            let titles: Vec<String> =
                Section::ALL.iter().filter(|s| d.sections.contains(s)).map(|s| s.title_in(lang)).collect();
            scope.push(titles.join(sep));
        }
        let region = region_name(&d.region);
        Layout {
            lang: lang.code(),
            tag: lang.tag(),
            dir: lang.dir(),
            words: Words::new(lang, &region, d.missing.as_ref()),
            title: t!(lang, "directory-title", region = region.clone()),
            printed: t!(lang, "directory-printed", date = date_text_in(lang, d.printed_on)),
            region,
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
fn place_area(p: &Place, online: &str) -> String {
    match p {
        Place::Address { town, .. } => town.clone(),
        Place::Area(a) => a.clone(),
        Place::Virtual => online.to_owned(),
    }
}

fn last_confirmed(lang: Lang, on: CivilDate) -> String {
    t!(lang, "directory-last-confirmed", date = date_text_in(lang, on))
}

/// A service's hub says when it last checked the entry is right; otherwise the last
/// change is the last confirmation there is.
fn confirmed_service(lang: Lang, s: &Service, updated_at_ms: i64, zone: &jiff::tz::TimeZone) -> String {
    let updated = CivilDate::at(updated_at_ms, zone);
    let on = s.assured_on.map_or(updated, |a| a.max(updated));
    last_confirmed(lang, on)
}

/// How long before printing a figure was reported: `12 minutes before printing`.
fn before_printing(lang: Lang, then_ms: i64, printed_ms: i64) -> String {
    let mins = printed_ms.saturating_sub(then_ms).max(0) / 60_000;
    match mins {
        0 => lang.t("before-printing-just"),
        1..=59 => t!(lang, "before-printing-minutes", n = mins),
        60..=2879 => t!(lang, "before-printing-hours", n = mins / 60),
        _ => t!(lang, "before-printing-days", n = mins / 1440),
    }
}
