//! The board, in process from a stored view: pages answer with what people need,
//! with their security headers, no cookies, small enough for a slow shared PC.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::{
    Availability, ForTag, HubProfile, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, SafeHouse, Sector,
};
use kith_relay::store::{EntityRecord, HubRecord, Record, Store};
use kith_relay::{Config, Relay};

fn slug(s: &str) -> Slug {
    Slug::parse("t", s).unwrap()
}

async fn stored(dir: &std::path::Path) -> (Opportunity, SafeHouse) {
    let store = Store::open(dir).unwrap();
    let profile = HubProfile {
        name: "Leeds Peer Garden".into(),
        description: "A peer-run garden co-op".into(),
        contact: "0113 496 0101".into(),
        helpline_hours: "Mon–Fri 10–4".into(),
        signing_key: [1; 32],
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: "en-GB".into(),
    };
    store
        .put(&Record::Hub {
            hub: slug("garden"),
            record: Box::new(HubRecord { profile: profile.clone(), seq: 1, at_ms: 7, region: slug("wy") }),
        })
        .unwrap();
    // More hubs than one page of /hubs holds.
    for i in 0..60 {
        let profile = HubProfile { name: format!("Hub {i:02}"), helpline_hours: String::new(), ..profile.clone() };
        store
            .put(&Record::Hub {
                hub: slug(&format!("hub-{i:02}")),
                record: Box::new(HubRecord { profile, seq: 1, at_ms: 7, region: slug("wy") }),
            })
            .unwrap();
    }
    let o = Opportunity {
        id: Ulid::new(),
        title: "Market garden assistant <b>".into(),
        kind: OpportunityKind::PaidJob,
        sector: Sector::Ordinary,
        description: "Grow vegetables with the co-op".into(),
        area: "Leeds LS6".into(),
        remote: false,
        hours_per_week: Some(16.0),
        pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
        expenses_paid: false,
        skills: vec!["gardening".into()],
        support: vec!["job coach".into()],
        lived_experience_required: false,
        how_to_apply: "Ring Sam".into(),
        closes_on: Some("2099-01-31".parse().unwrap()),
        status: OpportunityStatus::Open,
    };
    store
        .put(&Record::listing(slug("garden"), o.id, &EntityRecord { seq: 2, at_ms: 8, item: Some(o.clone()) }))
        .unwrap();
    let house = SafeHouse {
        id: Ulid::new(),
        name: "Rainbow House".into(),
        area: "Leeds".into(),
        for_tags: vec![ForTag::Lgbtq],
        beds_total: 4,
        wheelchair_access: true,
        self_referral: true,
        longest_stay_nights: Some(7),
        phone: "0113 496 0303".into(),
        description: String::new(),
        // Reported long ago: stale.
        availability: Some(Availability { beds_free: 2, updated_at_ms: 1, valid_until_ms: 2 }),
    };
    store
        .put(&Record::listing(slug("garden"), house.id, &EntityRecord { seq: 3, at_ms: 9, item: Some(house.clone()) }))
        .unwrap();
    store.flush().await.unwrap();
    (o, house)
}

/// `GET path` asking for HTML: status, headers (lower-case names), body.
async fn get(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    get_in(base, path, "").await
}

/// `GET path` asking for HTML from a browser whose `Accept-Language` is `languages`
/// (none when empty).
async fn get_in(base: &str, path: &str, languages: &str) -> (u16, Vec<(String, String)>, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let accept_language =
        if languages.is_empty() { String::new() } else { format!("Accept-Language: {languages}\r\n") };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n{accept_language}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn the_board_answers_people() {
    let dir = tempfile::tempdir().unwrap();
    let (o, house) = stored(dir.path()).await;
    let money = kith_relay::config::Money {
        weekly_limit_pence: Some(20_000),
        fair_rate_pence: Some(2_500),
        benefits_advice: "Welfare rights line 0113 496 0999".into(),
    };
    let config = Config { money, ..Config::new(slug("wy"), "nats://127.0.0.1:1", dir.path()) };
    let relay = Relay::start_with_http(config, "127.0.0.1:0".parse().unwrap(), Some("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let base = relay.http_url().unwrap();

    let (status, headers, home) = get(&base, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains(r#"<html lang="en-GB" dir="ltr">"#) && home.contains("Skip to main content"), "{home}");
    let csp = header(&headers, "content-security-policy").expect("a CSP");
    assert!(!csp.contains("unsafe-inline") && csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert!(header(&headers, "referrer-policy").is_some());
    assert!(header(&headers, "set-cookie").is_none());
    assert!(home.len() < 50_000, "a page under 50 KB: {} bytes", home.len());

    let (_, _, found) = get(&base, "/search?q=gardener&area=LS").await;
    assert!(found.contains("Market garden assistant &lt;b&gt;"), "titles are escaped: {found}");
    assert!(found.contains("£12.21 an hour") && found.contains("16 hours a week"), "{found}");
    assert!(found.contains("31 January 2099") && found.contains("0113 496 0101"), "{found}");
    // Money said plainly: £12.21 × 16 hours is within a £200 limit, with who to ask.
    assert!(found.contains("Within the £200 a week earnings limit (£195.36 a week)"), "{found}");
    assert!(found.contains("Welfare rights line 0113 496 0999"), "{found}");
    let (_, _, within) = get(&base, "/search?q=gardener&limit=1").await;
    assert!(within.contains("Market garden assistant"), "{within}");
    let (_, _, none) = get(&base, "/search?q=gardener&area=BD").await;
    assert!(none.contains("Nothing matches"), "{none}");

    let (status, _, page) = get(&base, &format!("/opportunity/garden/{}", o.id)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<script type="application/ld+json">"#) && page.contains(r#""@type":"JobPosting""#),
        "{page}"
    );
    assert!(!page.contains("<b>\""), "no markup gets through the JSON-LD: {page}");
    // The hub's own words are marked with the language it says it writes in.
    assert!(page.contains(r#"<h1 dir="auto" lang="en-GB">Market garden assistant"#), "{page}");
    assert!(page.contains(r#"<p dir="auto" lang="en-GB">Grow vegetables"#), "{page}");

    let (_, _, houses) = get(&base, "/safe-houses").await;
    assert!(houses.contains("Rainbow House") && houses.contains("Unknown — call to check"), "{houses}");
    assert!(!houses.contains("2 free"), "a stale figure is never shown: {houses}");
    let (status, _, one) = get(&base, &format!("/safe-house/garden/{}", house.id)).await;
    assert_eq!(status, 200);
    assert!(one.contains("The address is given on the phone"), "{one}");

    let (_, _, hubs) = get(&base, "/hubs").await;
    assert!(hubs.contains("Leeds Peer Garden") && hubs.contains("Mon–Fri 10–4"), "{hubs}");
    // 61 hubs: 50 on the first page, under 50 KB, and a link to the rest.
    assert!(hubs.contains("Hubs 1 to 50 of 61") && hubs.contains(r#"href="/hubs?page=2""#), "{hubs}");
    assert!(hubs.len() < 50_000, "{} bytes", hubs.len());
    let (_, _, rest) = get(&base, "/hubs?page=2").await;
    assert!(rest.contains("Hubs 51 to 61 of 61") && rest.contains(r#"href="/hubs?page=1""#), "{rest}");
    assert!(!rest.contains("Leeds Peer Garden"), "{rest}");
    let (status, _, beyond) = get(&base, "/hubs?page=99").await;
    assert!(status == 200 && beyond.contains("Hubs 51 to 61 of 61"), "a page beyond the last is the last");

    // The helpline: one answer, the number first, each line short enough to read out.
    let (_, _, help) = get(&base, "/helpline?area=Leeds&want=safe&for=lgbtq").await;
    assert!(
        help.contains(
            r#"<strong class="contact"><bdi>0113 496 0303</bdi></strong> — <bdi>Rainbow House</bdi> (Leeds, under 1 km away): beds unknown, call to check"#
        ),
        "{help}"
    );
    // Nothing in Bradford: never "nothing found" while the Leeds house is open.
    let (_, _, bradford) = get(&base, "/helpline?area=Bradford&want=safe&for=lgbtq").await;
    assert!(bradford.contains("<h2>Nothing in Bradford; nearest:</h2>"), "{bradford}");
    assert!(bradford.contains("— <bdi>Rainbow House</bdi> (Leeds, 13 km away)"), "{bradford}");
    assert!(!bradford.contains("Nothing found"), "{bradford}");
    // A full postcode is cut to its district before it is used or shown.
    let (_, _, postcode) = get(&base, "/helpline?area=BD7%201DP&want=safe").await;
    assert!(postcode.contains(r#"value="BD7""#) && !postcode.contains("1DP"), "{postcode}");
    let (_, _, unknown) = get(&base, "/helpline?area=LS40&want=safe").await;
    assert!(unknown.contains("There is no postcode district LS40: check it, or type a town."), "{unknown}");
    let (_, _, work) = get(&base, "/helpline?area=LS6&want=work").await;
    assert!(work.contains("0113 496 0101</bdi></strong> — <bdi>Market garden assistant"), "{work}");
    let (_, _, form) = get(&base, "/helpline").await;
    assert!(form.contains("What do they want?") && !form.contains("Open now"), "{form}");

    // The ward screen moves on by itself, keeping its area.
    let (_, _, screen) = get(&base, "/screen?area=Leeds&slide=0").await;
    assert!(screen.contains(r#"data-next="/screen?slide=1&amp;area=Leeds" data-secs="20""#), "{screen}");
    assert!(screen.contains(r#"href="/screen?slide=0&amp;area=Leeds&amp;pause=1">Pause"#), "{screen}");
    assert!(screen.contains("Safe houses") && screen.contains("Rainbow House"), "{screen}");
    let (_, _, last) = get(&base, "/screen?slide=3").await;
    assert!(last.contains(r#"data-next="/screen?slide=0""#), "{last}");
    let (_, _, paused) = get(&base, "/screen?slide=1&pause=1").await;
    assert!(!paused.contains("data-next") && paused.contains("Move on by itself"), "{paused}");

    assert_eq!(get(&base, &format!("/opportunity/garden/{}", Ulid::new())).await.0, 404);
    assert_eq!(get(&base, "/opportunity/garden/not-an-id").await.0, 404);
    let (status, headers, css) = get(&base, "/assets/board.css").await;
    assert_eq!((status, header(&headers, "content-type")), (200, Some("text/css; charset=utf-8")));
    assert!(css.contains("prefers-reduced-motion"));
    relay.shutdown().await.unwrap();
}

/// The text of a page as a person reads it: its markup and what a hub wrote left
/// out (`<bdi>`, and the elements marked `dir="auto"`), its entities read.
fn board_words(page: &str) -> String {
    let mut text = String::new();
    let mut rest = page;
    // What the page's script and structured data say is not read on the page.
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        text.push(' ');
        rest = &rest[at..];
        const SKIPPED: [(&str, &str); 6] = [
            ("<bdi>", "</bdi>"),
            ("<script", "</script>"),
            ("<title", "</title>"),
            ("<h1 dir=\"auto\">", "</h1>"),
            ("<h2 dir=\"auto\">", "</h2>"),
            ("<p dir=\"auto\">", "</p>"),
        ];
        let skip_to = SKIPPED.iter().find(|(open, _)| rest.starts_with(open)).map(|(_, close)| *close);
        rest = match skip_to {
            Some(close) => rest.find(close).map_or("", |end| &rest[end + close.len()..]),
            None => rest.find('>').map_or("", |end| &rest[end + 1..]),
        };
    }
    text.push_str(rest);
    text.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[tokio::test]
async fn the_board_speaks_welsh_and_urdu() {
    use kith_words::Lang;
    let dir = tempfile::tempdir().unwrap();
    let (o, house) = stored(dir.path()).await;
    let money = kith_relay::config::Money {
        weekly_limit_pence: Some(20_000),
        fair_rate_pence: Some(2_500),
        benefits_advice: "Welfare rights line 0113 496 0999".into(),
    };
    let config = Config { money, ..Config::new(slug("wy"), "nats://127.0.0.1:1", dir.path()) };
    let relay = Relay::start_with_http(config, "127.0.0.1:0".parse().unwrap(), Some("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let base = relay.http_url().unwrap();

    // The browser's choice, then the page's: lang and dir on <html>, the header too.
    let (_, headers, welsh) = get_in(&base, "/", "cy-GB,cy;q=0.9,en;q=0.5").await;
    assert!(welsh.contains(r#"<html lang="cy" dir="ltr">"#), "{welsh}");
    assert!(welsh.contains("Beth sydd ar agor i chi"), "{welsh}");
    assert_eq!(header(&headers, "content-language"), Some("cy"));
    assert!(header(&headers, "vary").is_some_and(|v| v.contains("Accept-Language")));
    // A language the browser chose is not put on the page's links: the browser says it again.
    assert!(welsh.contains(r#"href="/safe-houses""#) && !welsh.contains(r#"name="lang""#), "{welsh}");
    let (_, _, french) = get_in(&base, "/", "fr-FR,fr;q=0.9").await;
    assert!(french.contains(r#"<html lang="en-GB" dir="ltr">"#), "English for a language Kith does not speak");
    let (_, _, urdu) = get_in(&base, "/search?q=gardener&area=LS&lang=ur", "cy").await;
    assert!(urdu.contains(r#"<html lang="ur" dir="rtl">"#), "lang= on the address wins: {urdu}");
    // A chosen language is carried on by links and by the search form.
    assert!(urdu.contains(r#"href="/safe-houses?lang=ur""#), "{urdu}");
    assert!(urdu.contains(r#"<input type="hidden" name="lang" value="ur">"#), "{urdu}");
    assert!(urdu.contains(&format!(r#"href="/opportunity/garden/{}?lang=ur""#, o.id)), "{urdu}");
    // The switch keeps what was searched, and names each language in itself.
    assert!(urdu.contains(r#"href="/search?q=gardener&amp;area=LS&amp;lang=cy" lang="cy""#), "{urdu}");
    assert!(urdu.contains(r#"href="/search?q=gardener&amp;area=LS&amp;lang=en" lang="en-GB""#), "{urdu}");
    assert!(urdu.contains(">Cymraeg<") && urdu.contains(">English<") && urdu.contains(">اردو<"));
    // What the hub wrote stays as it wrote it, in its own direction.
    assert!(urdu.contains("<bdi>Market garden assistant &lt;b&gt;</bdi>"), "{urdu}");

    // Plural forms by the language's rules, dates and money in it.
    // A language the board does not speak, or no language at all, is English, and
    // what was asked for is never written back into the page.
    for hostile in ["%3Cscript%3Ealert(1)%3C%2Fscript%3E", "xx", "en%22%20onload%3D%22x", &"cy".repeat(2_000)] {
        let (status, _, page) = get(&base, &format!("/search?q=gardener&lang={hostile}")).await;
        assert_eq!(status, 200, "{hostile}");
        assert!(page.contains(r#"<html lang="en-GB" dir="ltr">"#), "{hostile}: {page}");
        assert!(!page.contains("<script>alert") && !page.contains("onload="), "{hostile}: {page}");
    }
    let (_, _, hubs) = get(&base, "/hubs?lang=cy").await;
    assert!(hubs.contains("1 cyfle, dim gwasanaethau, dim busnesau, 1 tŷ diogel"), "{hubs}");
    let (_, _, job) = get(&base, &format!("/opportunity/garden/{}?lang=cy", o.id)).await;
    assert!(
        job.contains("£12.21 yr awr") && job.contains("31 Ionawr 2099") && job.contains("16 awr yr wythnos"),
        "{job}"
    );
    let (_, _, job) = get(&base, &format!("/opportunity/garden/{}?lang=ur", o.id)).await;
    assert!(job.contains("فی گھنٹہ") && job.contains("جنوری"), "{job}");

    // No page of the board is left in English in another language.
    let pages = [
        "/".to_owned(),
        "/search?q=gardener&area=LS&limit=1".to_owned(),
        "/search?q=plumbing&area=BD7".to_owned(),
        format!("/opportunity/garden/{}", o.id),
        format!("/safe-house/garden/{}", house.id),
        "/safe-houses".to_owned(),
        "/hubs".to_owned(),
        "/hubs?page=2".to_owned(),
        "/helpline".to_owned(),
        "/helpline?area=Leeds&want=safe&for=lgbtq".to_owned(),
        "/helpline?area=LS6&want=work".to_owned(),
        "/helpline?area=LS40&want=safe".to_owned(),
        "/screen?area=Leeds&slide=0".to_owned(),
        "/screen?slide=1&pause=1".to_owned(),
        "/directory".to_owned(),
        "/needs".to_owned(),
        "/ask/7KQ2-M9XD-4T".to_owned(),
        format!("/opportunity/garden/{}", Ulid::new()),
    ];
    for lang in [Lang::Cy, Lang::Ur] {
        let english = kith_words::lang::english_only(lang);
        assert!(english.len() > 200, "{} phrases", english.len());
        for path in &pages {
            let (status, _, page) = get_in(&base, path, lang.code()).await;
            assert!(status < 500, "{path}: {status}");
            assert!(page.contains(&format!(r#"<html lang="{}" dir="{}">"#, lang.tag(), lang.dir())), "{path}");
            let words = board_words(&page);
            let left: Vec<&String> = english.iter().filter(|e| words.contains(e.as_str())).collect();
            assert!(left.is_empty(), "{path} in {} still says {left:?}:\n{words}", lang.code());
        }
    }
}
