//! The printed directory: a region's listings as a document to print, post on a wall
//! or hand over — a title page with the date printed, contents, sections by kind and
//! by area, each entry with how to get in touch and when it was last confirmed, and
//! an index of the hubs.
//!
//! One layout ([`Layout`], built from the listings by [`Layout::new`]) is written two
//! ways: [`pdf`] typesets it with typst into a tagged PDF/UA-1 document with its fonts
//! embedded (DejaVu Sans, and Noto Naskh Arabic for Urdu: no system fonts are needed
//! or used), and [`html`] writes a single printable HTML page. A layout is in one of
//! the languages Kith speaks ([`Layout::new_in`]): Kith's words in it, right to left
//! where it runs so, and what the hubs wrote as they wrote it. The CLI (`kith region directory`) and the relay
//! (`/directory.pdf`) both use this crate; the hub never compiles it. A pool
//! member's pay statement ([`statement`]) is typeset the same way, by the CLI.
//!
//! A directory says what the region knew when it was printed: beds free are printed
//! only while fresh (otherwise "call to check"), and every entry says when its hub
//! last confirmed it.

mod html;
mod layout;
pub mod statement;

use std::sync::OnceLock;

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

pub use html::html;
pub use layout::{Directory, Hub, Layout, Listed, Missing, Section};

/// Why a directory could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the directory could not be typeset: {0}")]
    Typeset(String),
    #[error("the directory could not be written as a tagged PDF: {0}")]
    Pdf(String),
}

/// How the directory is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// 16 pt type in one column (the usual large-print size) instead of 10.5 pt in two.
    pub large_print: bool,
}

const TEMPLATE: &str = include_str!("directory.typ");

/// Noto Naskh Arabic (SIL Open Font License 1.1, `fonts/OFL.txt`): Urdu's letters,
/// shaped, which DejaVu Sans lacks some of.
const NASKH: [&[u8]; 2] =
    [include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"), include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf")];

/// A typst engine for `template` with the fonts (DejaVu Sans, Noto Naskh Arabic: no
/// system fonts).
fn engine_with(template: &'static str) -> TypstEngine<TypstTemplateMainFile> {
    TypstEngine::builder()
        .main_file(template)
        .fonts([
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
            dejavu::sans::bold_oblique(),
            NASKH[0],
            NASKH[1],
        ])
        .build()
}

/// The typst engine with the template and the fonts, built once: parsing the fonts
/// takes longer than typesetting a small directory.
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| engine_with(TEMPLATE))
}

/// The directory as a tagged PDF (PDF/UA-1), ready to print.
pub fn pdf(layout: &Layout, options: Options) -> Result<Vec<u8>, Error> {
    let data = serde_json::to_string(layout).expect("a layout always serialises");
    typeset(engine(), data, options.large_print, &format!("kith-directory-{}", layout.region))
}

/// Typesets `data` (JSON, the template's `sys.inputs.data`) as a tagged PDF/UA-1.
fn typeset(
    engine: &TypstEngine<TypstTemplateMainFile>,
    data: String,
    large: bool,
    ident: &str,
) -> Result<Vec<u8>, Error> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    inputs.insert("large".into(), large.into_value());
    let compiled = engine.compile_with_input::<_, typst_layout::PagedDocument>(inputs);
    let document = compiled.output.map_err(|e| Error::Typeset(e.to_string()))?;
    let standards =
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1]).map_err(|e| Error::Pdf(format!("{e:?}")))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_owned()),
        creator: typst::foundations::Smart::Custom(Some("Kith".into())),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(&document, &options).map_err(|diagnostics| {
        Error::Pdf(diagnostics.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::Slug;
    use kith_proto::domain::{Availability, ForTag, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer};
    use kith_proto::domain::{SafeHouse, Sector};
    use kith_proto::service::{Category, Place, Service, ServiceStatus};
    use std::collections::BTreeSet;

    const NOW: i64 = 1_796_000_000_000;

    fn hub() -> Slug {
        "leeds-peer".parse().unwrap()
    }

    fn job(title: &str, kind: OpportunityKind, area: &str) -> Listed<Opportunity> {
        Listed {
            hub: hub(),
            updated_at_ms: NOW - 86_400_000,
            item: Opportunity {
                id: ulid::Ulid::new(),
                title: title.into(),
                kind,
                sector: Sector::Ordinary,
                description: "Grow veg with the co-op".into(),
                area: area.into(),
                remote: false,
                hours_per_week: Some(16.0),
                pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
                expenses_paid: false,
                skills: vec![],
                support: vec!["job coach".into()],
                lived_experience_required: false,
                how_to_apply: "Ring Sam".into(),
                closes_on: Some("2027-01-31".parse().unwrap()),
                status: OpportunityStatus::Open,
            },
        }
    }

    fn house(name: &str, availability: Option<Availability>) -> Listed<SafeHouse> {
        Listed {
            hub: hub(),
            updated_at_ms: NOW,
            item: SafeHouse {
                id: ulid::Ulid::new(),
                name: name.into(),
                area: "Leeds LS7".into(),
                for_tags: vec![ForTag::Women],
                beds_total: 4,
                wheelchair_access: true,
                self_referral: true,
                longest_stay_nights: Some(7),
                phone: "0113 496 0101".into(),
                description: String::new(),
                availability,
            },
        }
    }

    pub(crate) fn directory() -> Directory {
        let fresh = Availability { beds_free: 2, updated_at_ms: NOW - 600_000, valid_until_ms: NOW + 3_600_000 };
        let stale = Availability { beds_free: 3, updated_at_ms: NOW - 86_400_000, valid_until_ms: NOW - 1 };
        Directory {
            region: "west-yorkshire".into(),
            printed_on: "2026-12-02".parse().unwrap(),
            now_ms: NOW,
            time_zone: jiff::tz::TimeZone::get("Europe/London").unwrap(),
            area: None,
            sections: vec![],
            board_url: Some("http://127.0.0.1:8080/".into()),
            missing: Some(crate::layout::Missing {
                week: "2026-W49".into(),
                lines: vec!["LS6: service: food — 12 people".into()],
                note: "People, each once a day; fewer than 10 are not shown.".into(),
            }),
            opportunities: vec![
                job("Allotment gardener", OpportunityKind::PaidJob, "Leeds LS6"),
                job("Peer trainer", OpportunityKind::PeerTeaching, "Bradford"),
            ],
            services: vec![Listed {
                hub: hub(),
                updated_at_ms: NOW,
                item: Service {
                    id: ulid::Ulid::new(),
                    name: "Welfare rights drop-in".into(),
                    description: "Help with Universal Credit.".into(),
                    status: ServiceStatus::Active,
                    sector: Sector::Ordinary,
                    categories: vec![Category::BenefitsAndMoney],
                    eligibility: String::new(),
                    min_age: None,
                    max_age: None,
                    free: true,
                    fees: String::new(),
                    languages: vec![],
                    accessibility: vec![],
                    application_process: "Drop in".into(),
                    self_referral: true,
                    phones: vec!["0113 496 0000".into()],
                    email: String::new(),
                    website: String::new(),
                    schedules: vec![],
                    places: vec![Place::Address {
                        street: "1 Market Street".into(),
                        town: "Leeds".into(),
                        postcode: "LS1 6DT".into(),
                    }],
                    assured_on: None,
                    provider: String::new(),
                },
            }],
            safe_houses: vec![house("Rose House", Some(fresh)), house("Ash House", Some(stale))],
            offers: vec![Listed {
                hub: hub(),
                updated_at_ms: NOW,
                item: kith_proto::offer::Offer {
                    id: ulid::Ulid::new(),
                    name: "Green Hands Garden Co-op".into(),
                    description: "Gardens kept and hedges cut.".into(),
                    skills: vec!["gardening".into(), "hedge cutting".into()],
                    areas: vec!["Leeds LS6".into(), "Bradford".into()],
                    rate_pence: 1500,
                    rate_note: "materials extra".into(),
                    how_to_book: "Ring or text 07700 900123".into(),
                    phones: vec!["07700 900123".into()],
                    email: String::new(),
                    website: String::new(),
                },
            }],
            hubs: vec![Hub {
                id: hub(),
                name: "Leeds Peer Co-op".into(),
                description: "A user-led co-op".into(),
                contact: "0113 496 0999".into(),
                helpline_hours: "Mon–Fri 10:00–16:00".into(),
            }],
            truncated: BTreeSet::new(),
        }
    }

    #[test]
    fn sections_come_in_order_with_areas_and_stale_beds_said_as_call_to_check() {
        let l = Layout::new(&directory());
        let titles: Vec<&str> = l.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Safe houses",
                "Services",
                "Work",
                "Paid involvement",
                "Training and peer teaching",
                "Volunteering",
                "Work you can book from the region's groups"
            ]
        );
        let houses = &l.sections[0].areas[0].entries;
        assert_eq!(houses[0].name, "Ash House", "sorted by name");
        assert_eq!(houses[0].warn.as_deref(), Some("Beds free: call to check"));
        assert!(!houses[0].facts.iter().any(|f| f.contains("3 of 4")), "a stale figure is never printed");
        assert!(houses[1].facts.iter().any(|f| f.starts_with("2 of 4 beds free")), "{:?}", houses[1].facts);
        let work = &l.sections[2].areas[0];
        assert_eq!(work.name, "Leeds LS6");
        assert!(work.entries[0].facts.contains(&"£12.21 an hour".to_owned()));
        assert!(work.entries[0].contact.contains(&"0113 496 0999".to_owned()), "the hub's phone");
        assert_eq!(l.sections[1].areas[0].name, "Leeds");
        assert_eq!(l.printed, "Printed 2 December 2026");
        assert_eq!(l.hubs[0].listings, "In this directory: 2 opportunities, 1 service, 2 safe houses, 1 business");
        let business = &l.sections[6].areas[0];
        assert_eq!(business.name, "Leeds LS6", "under its first area");
        let e = &business.entries[0];
        assert_eq!((e.name.as_str(), e.what.as_str()), ("Green Hands Garden Co-op", "gardening, hedge cutting"));
        assert_eq!(e.facts[0], "£15 an hour (materials extra)");
        assert!(e.facts.contains(&"Works in Leeds LS6, Bradford".to_owned()), "{:?}", e.facts);
        assert_eq!(e.contact, ["07700 900123", "To book: Ring or text 07700 900123"]);
        assert_eq!(l.entries(), 6);
    }

    #[test]
    fn kinds_asked_for_are_the_only_sections() {
        let mut d = directory();
        d.sections = vec!["training".parse().unwrap(), "safe-houses".parse().unwrap()];
        d.area = Some("Leeds".into());
        let l = Layout::new(&d);
        let titles: Vec<&str> = l.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Safe houses", "Training and peer teaching"]);
        assert_eq!(l.scope, "Listings in or near Leeds · Safe houses, Training and peer teaching");
        let e = "astronauts".parse::<Section>().unwrap_err();
        assert!(e.contains("safe-houses, services, work"), "{e}");
    }

    #[test]
    fn the_pdf_is_tagged_and_the_html_says_the_same() {
        let l = Layout::new(&directory());
        let pdf = pdf(&l, Options::default()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/StructTreeRoot"), "tagged");
        assert!(has(b"pdfuaid"), "declares PDF/UA");
        let large = super::pdf(&l, Options { large_print: true }).unwrap();
        assert!(large.len() > 1000);
        let page = html(&l, Options::default());
        for text in [
            "Rose House",
            "Beds free: call to check",
            "£12.21 an hour",
            "Green Hands Garden Co-op",
            "Printed 2 December 2026",
            "Leeds Peer Co-op",
            "What the region is missing",
            "LS6: service: food — 12 people",
        ] {
            assert!(page.contains(text), "{text} missing from the HTML");
        }
    }

    /// The English of the message files that a directory in `lang` must not print:
    /// every piece of two words or more that the language says otherwise.
    fn english_only(lang: kith_words::Lang) -> Vec<String> {
        let theirs: std::collections::HashMap<String, String> = kith_words::lang::messages(lang).into_iter().collect();
        kith_words::lang::messages(kith_words::Lang::En)
            .into_iter()
            .filter(|(key, english)| theirs.get(key) != Some(english))
            .flat_map(|(_, english)| {
                english.lines().map(|p| p.trim().trim_end_matches([':', '.', ',']).to_owned()).collect::<Vec<_>>()
            })
            .filter(|p| p.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 2)
            .collect()
    }

    #[test]
    fn a_directory_in_welsh_or_urdu_says_nothing_in_english_but_what_hubs_wrote() {
        use kith_words::Lang;
        // The fixture's note on what is missing is in English, as if published so.
        let mut d = directory();
        d.missing.as_mut().unwrap().note.clear();
        for lang in [Lang::Cy, Lang::Ur] {
            let l = Layout::new_in(&d, lang);
            assert_eq!((l.lang, l.dir), (lang.code(), lang.dir()));
            let page = html(&l, Options::default());
            assert!(page.contains(&format!(r#"<html lang="{}" dir="{}">"#, lang.tag(), lang.dir())), "{page}");
            let said = serde_json::to_string(&l).unwrap().replace(['\u{2068}', '\u{2069}'], "");
            let left: Vec<String> = english_only(lang).into_iter().filter(|e| said.contains(e.as_str())).collect();
            assert!(left.is_empty(), "{} still says {left:?}", lang.code());
            // What the hubs wrote, as they wrote it.
            assert!(said.contains("Green Hands Garden Co-op") && said.contains("materials extra"), "{said}");
            let pdf = pdf(&l, Options::default()).unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
        }
        let welsh = Layout::new_in(&directory(), Lang::Cy);
        assert_eq!(welsh.printed, "Argraffwyd 2 Rhagfyr 2026");
        assert_eq!(welsh.sections[0].title, "Tai diogel");
        assert_eq!(welsh.hubs[0].listings, "Yn y cyfeiriadur hwn: 2 gyfle, 1 gwasanaeth, 2 dŷ diogel, 1 busnes");
        let urdu = Layout::new_in(&directory(), Lang::Ur);
        assert!(urdu.title.contains("ڈائریکٹری"), "{}", urdu.title);
    }
}
