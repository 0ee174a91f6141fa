//! `kith region directory`: the region as a printed directory — a tagged PDF
//! typeset by kith-directory, or one printable HTML page — from the relay's gRPC API.

use anyhow::Context;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::family::pages;
use crate::connect::{self, Region};
use kith_directory::{Directory, Hub, Layout, Listed, Options, Section};
use kith_proto::time::{CivilDate, now_ms};
use kith_proto::{Slug, convert, v1};

/// At most this many of each family are printed; beyond it the directory says more
/// are on the board and suggests printing one area at a time.
pub const MAX_PER_FAMILY: usize = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A tagged PDF (PDF/UA-1) with its fonts embedded.
    Pdf,
    /// One HTML page with its style inside, for a browser to print.
    Html,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write (replaced if it exists).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Only listings in or near this area, e.g. Leeds or LS6; a postcode area (LS)
    /// takes in every district in it.
    #[arg(long)]
    area: Option<String>,
    /// Only these sections (repeat, or separate with commas): safe-houses, services,
    /// work, involvement, training, volunteering, businesses. All of them by default.
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    kind: Vec<Section>,
    /// Large print: 16 pt type in one column.
    #[arg(long)]
    large_print: bool,
    /// pdf (the default) or html.
    #[arg(long, value_enum, default_value = "pdf")]
    format: Format,
    /// The language to print it in: en (English, the default), cy (Welsh) or ur
    /// (Urdu, right to left). What the hubs wrote is printed as they wrote it.
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = language)]
    lang: kith_words::Lang,
}

/// A language the directory is printed in, by its code.
fn language(code: &str) -> Result<kith_words::Lang, String> {
    kith_words::Lang::parse(code).ok_or_else(|| {
        let codes: Vec<&str> = kith_words::Lang::ALL.iter().map(|l| l.code()).collect();
        format!("expected one of: {}", codes.join(", "))
    })
}

/// What was written, for the summary line and `--json`.
#[derive(Debug, serde::Serialize)]
pub struct Written {
    pub file: String,
    pub format: &'static str,
    pub bytes: usize,
    pub entries: usize,
    pub hubs: usize,
    /// Sections that had more listings than a directory prints.
    pub truncated: Vec<&'static str>,
}

impl Written {
    pub fn summary(&self) -> String {
        let mut s = format!(
            "wrote {} ({}, {} bytes): {} entries from {} hubs",
            self.file, self.format, self.bytes, self.entries, self.hubs
        );
        if !self.truncated.is_empty() {
            s.push_str(&format!(
                "; {} had more than {MAX_PER_FAMILY} listings: print one area at a time (--area) for all of them",
                self.truncated.join(", ")
            ));
        }
        s
    }
}

pub async fn run(relay: &str, args: Args) -> anyhow::Result<Written> {
    if let Some(area) = &args.area
        && area.trim().is_empty()
    {
        anyhow::bail!("area: must not be empty");
    }
    let mut region = connect::region(relay).await?;
    let directory = fetch(&mut region, &args).await?;
    let layout = Layout::new_in(&directory, args.lang);
    let options = Options { large_print: args.large_print };
    let bytes = match args.format {
        Format::Pdf => kith_directory::pdf(&layout, options)?,
        Format::Html => kith_directory::html(&layout, options).into_bytes(),
    };
    write(&args.out, &bytes)?;
    Ok(Written {
        file: args.out.display().to_string(),
        format: match args.format {
            Format::Pdf => "pdf",
            Format::Html => "html",
        },
        bytes: bytes.len(),
        entries: layout.entries(),
        hubs: directory.hubs.len(),
        truncated: directory.truncated.iter().map(|s| s.as_str()).collect(),
    })
}

/// Writes beside the target and renames, so a reader never sees half a directory.
fn write(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write {}", out.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    tmp.as_file().sync_all().with_context(|| format!("cannot write {}", out.display()))?;
    tmp.persist(out).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}

async fn fetch(region: &mut Region, args: &Args) -> anyhow::Result<Directory> {
    let wanted = |s: Section| args.kind.is_empty() || args.kind.contains(&s);
    let area = args.area.clone().unwrap_or_default();
    let hubs = region.client.list_hubs(v1::ListHubsRequest {}).await.map_err(|s| region.error(s))?.into_inner();
    let now = now_ms();
    // Printed where it is read: dates in this machine's time zone.
    let time_zone = jiff::tz::TimeZone::system();
    let mut d = Directory {
        region: hubs.region.clone(),
        printed_on: CivilDate::at(now, &time_zone),
        now_ms: now,
        time_zone,
        area: args.area.as_ref().map(|a| a.trim().to_owned()),
        sections: args.kind.iter().copied().collect::<BTreeSet<_>>().into_iter().collect(),
        board_url: None,
        opportunities: vec![],
        services: vec![],
        safe_houses: vec![],
        offers: vec![],
        hubs: vec![],
        truncated: BTreeSet::new(),
        // A national view, or an older relay, has none: the part is left out.
        missing: match region.client.get_needs(v1::NeedsRequest {}).await {
            Ok(needs) => Some(kith_directory::Missing::from_needs_in(args.lang, &needs.into_inner())),
            Err(_) => None,
        },
    };
    for h in &hubs.items {
        d.hubs.push(Hub {
            id: Slug::parse("hub", &h.id)?,
            name: h.name.clone(),
            description: h.description.clone(),
            contact: h.contact.clone(),
            helpline_hours: h.helpline_hours.clone(),
        });
    }
    let opportunity_sections = [Section::Work, Section::Involvement, Section::Training, Section::Volunteering];
    if opportunity_sections.iter().any(|s| wanted(*s)) {
        let request = v1::SearchOpportunitiesRequest {
            area: area.clone(),
            page_size: 500,
            sort: "newest".into(),
            ..Default::default()
        };
        let (items, more) = pages::<v1::Opportunity>(region, request, MAX_PER_FAMILY).await?;
        if more {
            d.truncated.extend(opportunity_sections.iter().filter(|s| wanted(**s)));
        }
        for o in &items {
            let item = convert::opportunity_from_v1(o).with_context(|| format!("opportunity {} of {}", o.id, o.hub))?;
            d.opportunities.push(Listed { hub: Slug::parse("hub", &o.hub)?, updated_at_ms: o.updated_at_ms, item });
        }
    }
    if wanted(Section::Services) {
        let request = v1::SearchServicesRequest {
            area: area.clone(),
            page_size: 500,
            sort: "newest".into(),
            ..Default::default()
        };
        let (items, more) = pages::<v1::Service>(region, request, MAX_PER_FAMILY).await?;
        if more {
            d.truncated.insert(Section::Services);
        }
        for s in &items {
            let item = convert::service_from_v1(s).with_context(|| format!("service {} of {}", s.id, s.hub))?;
            d.services.push(Listed { hub: Slug::parse("hub", &s.hub)?, updated_at_ms: s.updated_at_ms, item });
        }
    }
    if wanted(Section::Businesses) {
        let request =
            v1::SearchOffersRequest { area: area.clone(), page_size: 500, sort: "newest".into(), ..Default::default() };
        let (items, more) = pages::<v1::Offer>(region, request, MAX_PER_FAMILY).await?;
        if more {
            d.truncated.insert(Section::Businesses);
        }
        for o in &items {
            let item = kith_proto::offer::offer_from_v1(o).with_context(|| format!("offer {} of {}", o.id, o.hub))?;
            d.offers.push(Listed { hub: Slug::parse("hub", &o.hub)?, updated_at_ms: o.updated_at_ms, item });
        }
    }
    if wanted(Section::SafeHouses) {
        let request = v1::ListSafeHousesRequest { area, page_size: 500, sort: "newest".into(), ..Default::default() };
        let (items, more) = pages::<v1::SafeHouse>(region, request, MAX_PER_FAMILY).await?;
        if more {
            d.truncated.insert(Section::SafeHouses);
        }
        for s in &items {
            let (mut item, free) =
                convert::safehouse_from_v1(s).with_context(|| format!("safe house {} of {}", s.id, s.hub))?;
            // The relay's word on whether the figure is fresh is final.
            if free.is_none() {
                item.availability = None;
            }
            d.safe_houses.push(Listed { hub: Slug::parse("hub", &s.hub)?, updated_at_ms: s.updated_at_ms, item });
        }
    }
    Ok(d)
}
