//! The printed directory against real processes, read back with poppler's own tools:
//! `pdftotext` finds the entries, the printed date and "call to check" for a stale
//! house; `pdfinfo` says the PDF is tagged; `pdftoppm` renders every page. Made by
//! the CLI (`kith region directory`, PDF and HTML) and served by the relay
//! (`/directory.pdf`), in English, Welsh and Urdu (`pdffonts` finds the font for
//! Urdu's letters embedded). Rendered pages are left in `target/directory-pages/`
//! for people to look at.
//!
//! Needs poppler-utils (`tests/run` installs it); without it the PDF checks say so
//! and are skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use kith_tests::sample::{add_opportunity, add_safehouse, add_service, set_availability};
use kith_tests::{DEFAULT_TIMEOUT, Hub, Region, kith, wait_until};

pub(crate) fn poppler() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok_and(|o| o.status.success());
    if !ok {
        kith_tests::skip(
            "directory: the printed directory read back from its PDF",
            "needs pdftotext, pdfinfo and pdftoppm (apt-get install poppler-utils; tests/run installs it)",
        );
    }
    ok
}

pub(crate) fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    // pdftotext breaks lines where the PDF does; join them to find phrases.
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn info_of(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The height on the page of the first `word` (from `pdftotext -bbox`), in points.
fn word_height(pdf: &Path, word: &str) -> f64 {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let line = html.lines().find(|l| l.ends_with(&format!(">{word}</word>"))).expect("the word is in the PDF");
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    attr("yMax") - attr("yMin")
}

fn pages_of(info: &str) -> usize {
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Renders every page; each must come out as a PNG.
fn render(pdf: &Path, name: &str) -> usize {
    render_at(pdf, name, 60)
}

/// [`render`] at `dpi` dots an inch (a script's shapes need more than 60 to be judged).
fn render_at(pdf: &Path, name: &str, dpi: u32) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/directory-pages");
    std::fs::create_dir_all(&dir).unwrap();
    for old in std::fs::read_dir(&dir).unwrap().flatten() {
        if old.file_name().to_string_lossy().starts_with(&format!("{name}-")) {
            std::fs::remove_file(old.path()).unwrap();
        }
    }
    let out =
        Command::new("pdftoppm").args(["-r", &dpi.to_string(), "-png"]).arg(pdf).arg(dir.join(name)).output().unwrap();
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("{name}-")))
        .inspect(|e| assert!(e.metadata().unwrap().len() > 1000, "{} is empty", e.path().display()))
        .count()
}

/// The date the directory prints: today where it is printed, as people write it.
fn printed_today() -> String {
    let d = jiff::Zoned::now().date();
    let today = kith_proto::time::CivilDate { year: d.year() as u16, month: d.month() as u8, day: d.day() as u8 };
    format!("Printed {}", kith_words::date_text(today))
}

async fn listings(region: &Region) -> (Hub, Hub) {
    let garden = region.hub("peer-garden").await;
    add_opportunity(
        &garden,
        "Market garden assistant",
        &["--pay-pence", "1221", "--pay-per", "hour", "--hours-per-week", "16", "--how-to-apply", "Ring Sam"],
    )
    .await;
    add_opportunity(&garden, "Bradford café volunteer", &["--kind", "volunteering", "--area", "Bradford"]).await;
    let at = ["--address", "12 Chapeltown Road, Leeds LS7 3AP", "--hours", "mon-fri 10:00-16:00"];
    add_service(
        &garden,
        "Welfare rights drop-in",
        "benefits-and-money",
        &[&at[..], &["--phone", "0113 496 0110"]].concat(),
    )
    .await;
    let houses = region.hub("safe-houses").await;
    let stale = add_safehouse(&houses, "Quiet House", 3, &["--phone", "0113 496 0202"]).await;
    set_availability(&houses, &stale.id, 1, "1s").await;
    let fresh = add_safehouse(&houses, "Rainbow House", 5, &["--for", "lgbtq", "--phone", "0113 496 0303"]).await;
    set_availability(&houses, &fresh.id, 2, "2h").await;
    wait_until("the relay has every listing", DEFAULT_TIMEOUT, async || {
        region.opportunities(&[]).await.len() == 2
            && region.services(&[]).await.len() == 1
            && region.safehouses(&["--available"]).await.len() == 1
    })
    .await;
    // The stale house's one-second figure has expired.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    (garden, houses)
}

fn out(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

#[tokio::test]
async fn the_cli_prints_a_tagged_directory_with_every_entry_and_the_date() {
    let region = Region::start().await;
    let _hubs = listings(&region).await;
    let relay = region.relay.url();
    let tmp = tempfile::tempdir().unwrap();

    let pdf = out(&tmp, "region.pdf");
    let written = kith(["--relay", &relay, "region", "directory", "--out", pdf.to_str().unwrap()]).await.ok();
    assert_eq!(written["entries"], 5, "{written}");
    assert_eq!(written["format"], "pdf");
    if !poppler() {
        return;
    }
    let text = text_of(&pdf);
    for expected in [
        "Directory of",
        &printed_today(),
        "Contents",
        "Safe houses",
        "Quiet House",
        "Beds free: call to check",
        "Rainbow House",
        "2 of 5 beds free when printed",
        "Welfare rights drop-in",
        "Monday–Friday 10:00–16:00",
        "0113 496 0110",
        "Market garden assistant",
        "£12.21 an hour",
        "16 hours a week",
        "To apply: Ring Sam",
        "Bradford café volunteer",
        "Index of hubs",
        "Contains OS data © Crown copyright and database right 2025",
        "Last confirmed",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in the directory:\n{text}");
    }
    assert!(!text.contains("1 of 3 beds"), "a stale figure is never printed: {text}");
    // Sections in order: somewhere to stay first.
    let at = |s: &str| text.rfind(s).unwrap();
    assert!(at("Quiet House") < at("Welfare rights drop-in"));
    assert!(at("Welfare rights drop-in") < at("Market garden assistant"));
    assert!(at("Market garden assistant") < at("Bradford café volunteer"));

    let info = info_of(&pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Title:           Directory of"), "{info}");
    let pages = pages_of(&info);
    assert_eq!(render(&pdf, "cli"), pages, "every page renders");

    // Large print: the same entries in type half as large again (16 pt, not 10.5).
    let large = out(&tmp, "large.pdf");
    kith(["--relay", &relay, "region", "directory", "--out", large.to_str().unwrap(), "--large-print"]).await.ok();
    let large_pages = pages_of(&info_of(&large));
    assert!(text_of(&large).contains("Beds free: call to check"));
    let ratio = word_height(&large, "Quiet") / word_height(&pdf, "Quiet");
    assert!(ratio > 1.4, "large print is only {ratio:.2} times the size");
    assert_eq!(render(&large, "large"), large_pages);
}

#[tokio::test]
async fn areas_kinds_and_html_narrow_and_bad_choices_are_named() {
    let region = Region::start().await;
    let _hubs = listings(&region).await;
    let relay = region.relay.url();
    let tmp = tempfile::tempdir().unwrap();

    let html = out(&tmp, "leeds.html");
    let w = kith([
        "--relay",
        &relay,
        "region",
        "directory",
        "--out",
        html.to_str().unwrap(),
        "--format",
        "html",
        "--area",
        "Leeds",
        "--kind",
        "work,safe-houses",
    ])
    .await
    .ok();
    assert_eq!(w["format"], "html");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("Market garden assistant") && page.contains("Rainbow House"), "{page}");
    assert!(!page.contains("Bradford café volunteer"), "another area: {page}");
    assert!(!page.contains("Welfare rights drop-in"), "services were not asked for: {page}");
    assert!(page.contains("Listings in or near Leeds"), "{page}");

    // A bad kind fails before anything is written.
    let bad = out(&tmp, "bad.pdf");
    let e = kith(["--relay", &relay, "region", "directory", "--out", bad.to_str().unwrap(), "--kind", "rockets"])
        .await
        .failure();
    assert!(e.contains("unknown kind \"rockets\"") && e.contains("safe-houses, services"), "{e}");
    assert!(!bad.exists());
    // So does a file that cannot be written, naming it.
    let nowhere = tmp.path().join("no/such/dir/x.pdf");
    let e = kith(["--relay", &relay, "region", "directory", "--out", nowhere.to_str().unwrap()]).await.failure();
    assert!(e.contains("no/such/dir/x.pdf"), "{e}");
}

#[tokio::test]
async fn the_relay_serves_the_directory_as_a_pdf() {
    let region = Region::start().await;
    let _hubs = listings(&region).await;
    let base = region.relay.http_url();
    let client = reqwest_get(&format!("{base}/directory.pdf?area=Leeds&kind=safe-houses")).await;
    assert_eq!(client.0, 200);
    assert!(client.1.contains("content-type: application/pdf"), "{}", client.1);
    assert!(client.2.starts_with(b"%PDF-"));
    let bad = reqwest_get(&format!("{base}/directory.pdf?kind=rockets")).await;
    assert_eq!(bad.0, 400);
    assert!(String::from_utf8_lossy(&bad.2).contains("unknown kind"));
    if !poppler() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdf = out(&tmp, "relay.pdf");
    std::fs::write(&pdf, &client.2).unwrap();
    let text = text_of(&pdf);
    assert!(text.contains(&printed_today()), "{text}");
    assert!(text.contains("Quiet House") && text.contains("Beds free: call to check"), "{text}");
    assert!(!text.contains("Market garden assistant"), "only safe houses were asked for: {text}");
    // The board's address is the operator's (--public-url, none here), never a
    // visitor's Host header: a directory kept for everyone carries no address one
    // visitor chose.
    let crafted = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = base.trim_start_matches("http://");
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = "GET /directory.pdf?area=leeds&kind=safe-houses HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
        s.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.unwrap();
        raw
    };
    let split = crafted.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let evil = out(&tmp, "evil.pdf");
    let body = &crafted[split + 4..];
    let head = String::from_utf8_lossy(&crafted[..split]).to_lowercase();
    let body = if head.contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_vec() };
    std::fs::write(&evil, &body).unwrap();
    let evil_text = text_of(&evil);
    assert!(!evil_text.contains("evil.example") && !text.contains("evil.example"), "{evil_text}");
    assert_eq!(evil_text, text, "an area typed otherwise is the same directory, kept");
    let info = info_of(&pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert_eq!(render(&pdf, "relay"), pages_of(&info));
}

/// The fonts a PDF embeds, as `pdffonts` lists them.
fn fonts_of(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdffonts: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_directory_prints_in_welsh_and_in_urdu_with_fonts_for_their_letters() {
    use kith_words::Lang;
    let region = Region::start().await;
    let _hubs = listings(&region).await;
    let relay = region.relay.url();
    let tmp = tempfile::tempdir().unwrap();
    let print = async |lang: &str, name: &str| {
        let pdf = out(&tmp, name);
        kith(["--relay", &relay, "region", "directory", "--out", pdf.to_str().unwrap(), "--lang", lang]).await.ok();
        pdf
    };
    let welsh = print("cy", "cy.pdf").await;
    let urdu = print("ur", "ur.pdf").await;
    let refused = kith(["--relay", &relay, "region", "directory", "--out", "x.pdf", "--lang", "de"]).await.failure();
    assert!(refused.contains("expected one of: en, cy, ur"), "{refused}");
    // The same in HTML: the language and direction on the page.
    let page = out(&tmp, "ur.html");
    kith([
        "--relay",
        &relay,
        "region",
        "directory",
        "--out",
        page.to_str().unwrap(),
        "--format",
        "html",
        "--lang",
        "ur",
    ])
    .await
    .ok();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#"<html lang="ur" dir="rtl">"#) && html.contains("ڈائریکٹری"), "{html}");
    if !poppler() {
        return;
    }
    let text = text_of(&welsh);
    let d = jiff::Zoned::now().date();
    let today = kith_proto::time::CivilDate { year: d.year() as u16, month: d.month() as u8, day: d.day() as u8 };
    for expected in [
        "Cyfeiriadur",
        &format!("Argraffwyd {}", kith_words::date_text_in(Lang::Cy, today)),
        "Cynnwys",
        "Tai diogel",
        "Quiet House",
        "Gwelyau'n rhydd: ffoniwch i wirio",
        "2 o 5 gwely'n rhydd pan argraffwyd",
        "Ar agor Dydd Llun–Dydd Gwener 10:00",
        "£12.21 yr awr",
        "16 awr yr wythnos",
        "I wneud cais: Ring Sam",
        "Mynegai'r hybiau",
        "Contains OS data © Crown copyright",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in the Welsh directory:\n{text}");
    }
    for english in ["Beds free: call to check", "Index of hubs", "Last confirmed", "an hour", "Contents"] {
        assert!(!text.contains(english), "{english:?} is left in English:\n{text}");
    }
    let info = info_of(&welsh);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert_eq!(render_at(&welsh, "cli-cy", 100), pages_of(&info));

    // Urdu: its letters from Noto Naskh Arabic, embedded, and read back as Urdu.
    let fonts = fonts_of(&urdu);
    let naskh = fonts.lines().find(|l| l.contains("NotoNaskhArabic")).unwrap_or_else(|| panic!("{fonts}"));
    assert!(naskh.split_whitespace().rev().nth(3) == Some("yes"), "embedded: {naskh}");
    let text = text_of(&urdu);
    for letter in ['ٹ', 'ڈ', 'ں', 'ے', 'ہ', 'ھ'] {
        assert!(text.contains(letter), "{letter} is not in the Urdu directory:\n{text}");
    }
    assert!(text.contains("Quiet House") && text.contains("Rainbow House"), "what hubs wrote: {text}");
    assert!(!text.contains("Beds free") && !text.contains("Index of hubs"), "{text}");
    let info = info_of(&urdu);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert_eq!(render_at(&urdu, "cli-ur", 100), pages_of(&info));

    // The board's /directory.pdf in the page's language.
    let base = region.relay.http_url();
    let (status, _, body) = reqwest_get(&format!("{base}/directory.pdf?kind=safe-houses&lang=cy")).await;
    assert_eq!(status, 200);
    let pdf = out(&tmp, "relay-cy.pdf");
    std::fs::write(&pdf, &body).unwrap();
    let text = text_of(&pdf);
    assert!(text.contains("Tai diogel") && text.contains("Quiet House"), "{text}");
}

/// A plain HTTP/1.1 GET: status, the head (lower-cased), the body.
async fn reqwest_get(url: &str) -> (u16, String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.trim_start_matches("http://");
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    let body = raw[split + 4..].to_vec();
    let body = if head.contains("transfer-encoding: chunked") { dechunk(&body) } else { body };
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&b[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[line_end + 2..line_end + 2 + size]);
        b = &b[line_end + 2 + size + 2..];
    }
}
