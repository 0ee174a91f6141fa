//! The group's desk over HTTP, as a browser uses it, against real hubs, a relay and
//! nats-server: beds reach the board, referrals are answered, bad input writes
//! nothing, and what must be refused is (a cross-site form, a worker on a
//! coordinator's page, a password guessed past the limit, a cookie after sign-out).
//! Every change is in the audit log under who made it; every page speaks Welsh and
//! Urdu. The browser side — axe, keyboard, a phone's width — is `browser.rs`.

use kith_tests::desk::Desk;
use kith_tests::referral::{send, wait_for_status};
use kith_tests::sample::add_safehouse;
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, http, wait_until};
use std::time::{Duration, Instant};

fn with_desk(id: &str) -> HubOptions {
    HubOptions { desk: true, heartbeat_secs: Some(3600), ..HubOptions::named(&format!("Hub {id}")) }
}

/// The audit log at `hub` as `(actor, action, about)`.
async fn audit(hub: &kith_tests::Hub) -> Vec<(String, String, String)> {
    let entries = hub.kith(["desk", "audit"]).await.array();
    entries
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (s("actor"), s("action"), s("about"))
        })
        .collect()
}

#[tokio::test]
async fn a_worker_updates_beds_and_answers_referrals_from_the_desk_and_the_audit_log_says_who() {
    let region = Region::start().await;
    let houses = region.hub_with("safe-houses", with_desk("safe-houses")).await;
    let garden = region.hub_with("peer-garden", with_desk("peer-garden")).await;
    let house = add_safehouse(&houses, "Rainbow House", 4, &["--for", "lgbtq", "--phone", "0113 496 0303"]).await;
    let mut sam = Desk::signed_in(&houses, "sam", "worker").await;

    // Beds: the front page, the house's "2", confirm — three taps.
    let today = sam.get("/").await;
    assert_eq!(today.status, 200, "{today:?}");
    assert!(today.body.contains("href=\"/beds\""), "{}", today.body);
    assert_eq!(today.header("cache-control"), Some("no-store"));
    let confirm = sam.get(&format!("/beds/confirm?house={}&beds=2", house.id)).await;
    assert_eq!(confirm.status, 200, "{confirm:?}");
    let started = Instant::now();
    let set = sam
        .post(
            "/beds/set",
            &[("csrf", &confirm.token()), ("house", &house.id), ("beds", "2"), ("valid_for_hours", "12")],
            &[],
        )
        .await;
    assert_eq!((set.status, set.header("location")), (303, Some(format!("/beds?done={}", house.id).as_str())));
    wait_until("the board shows 2 beds free", DEFAULT_TIMEOUT, async || {
        let page = http::get(&region.relay.http_url(), "/safe-houses", "text/html").await;
        page.contains("Rainbow House") && page.contains("<span class=\"good\">2 free</span>")
    })
    .await;
    let took = started.elapsed();
    assert!(sam.get("/beds").await.body.contains("by desk:sam"), "who made the last change is shown");

    // Referrals: one accepted, one declined with a reason; the sending hub sees both.
    let first = send(&garden, &houses, "Alex Canary", &[]).await;
    let second = send(&garden, &houses, "Jo Canary", &[]).await;
    wait_for_status(&houses, &first.id, "received").await;
    wait_for_status(&houses, &second.id, "received").await;
    let inbox = sam.get("/referrals").await;
    assert!(inbox.body.contains(&first.id) && inbox.body.contains(&second.id), "{}", inbox.body);
    let page = format!("/referrals/{}", first.id);
    assert!(!sam.get(&page).await.body.contains("Alex Canary"), "details only after 'Show details'");
    let shown = sam.submit(&page, &format!("/referrals/{}/details", first.id), &[]).await;
    assert!(shown.body.contains("Alex Canary"), "{}", shown.body);
    let accepted = sam.submit(&page, &format!("/referrals/{}/accept", first.id), &[]).await;
    assert_eq!(accepted.status, 303, "{accepted:?}");
    let page = format!("/referrals/{}", second.id);
    let no_reason = sam.submit(&page, &format!("/referrals/{}/decline", second.id), &[("reason", " ")]).await;
    assert_eq!(no_reason.status, 400);
    assert!(no_reason.body.contains("There is a problem") && no_reason.body.contains("href=\"#reason\""));
    let declined =
        sam.submit(&page, &format!("/referrals/{}/decline", second.id), &[("reason", "No room this week")]).await;
    assert_eq!(declined.status, 303, "{declined:?}");
    wait_for_status(&garden, &first.id, "accepted").await;
    let seen = wait_for_status(&garden, &second.id, "declined").await;
    assert!(seen.to_string().contains("No room this week"), "the reason reaches the sending hub: {seen}");

    // A referral sent from the desk: the person's details in the form, never in a URL.
    let mut alex = Desk::signed_in(&garden, "alex", "worker").await;
    let person =
        [("to_hub", "safe-houses"), ("name", "Kit Canary"), ("contact", "07700 900123"), ("needs", "a bed tonight")];
    let no_consent = alex.submit("/referrals/new", "/referrals/new", &person).await;
    assert_eq!(no_consent.status, 400, "{no_consent:?}");
    assert!(no_consent.body.contains("href=\"#consent\""), "{}", no_consent.body);
    let mut with_consent = person.to_vec();
    with_consent.push(("consent", "verbal, today, recorded by alex"));
    let sent = alex.submit("/referrals/new", "/referrals/new", &with_consent).await;
    assert_eq!(sent.status, 303, "{sent:?}");
    let location = sent.header("location").expect("to the referral").to_owned();
    assert!(!location.contains("Canary"), "{location}");
    let third = location.trim_start_matches("/referrals/").to_owned();
    let arrived = wait_for_status(&houses, &third, "received").await;
    assert!(arrived.to_string().contains("Kit Canary"), "{arrived}");
    assert!(audit(&garden).await.iter().any(|e| e.0 == "desk:alex" && e.1 == "referral sent" && e.2 == third));

    // The audit log: the desk user for each change, the CLI for kith's.
    let log = audit(&houses).await;
    let has =
        |actor: &str, action: &str, about: &str| log.iter().any(|e| e.0 == actor && e.1 == action && e.2 == about);
    assert!(has("cli", "safehouse-published", &house.id), "{log:?}");
    assert!(has("desk:sam", "safehouse-published", &house.id), "{log:?}");
    assert!(has("desk:sam", "details shown", &first.id), "{log:?}");
    assert!(has("desk:sam", "referral accepted", &first.id), "{log:?}");
    assert!(has("desk:sam", "referral declined", &second.id), "{log:?}");
    assert!(!log.iter().any(|e| e.0.is_empty()), "no change without its author: {log:?}");
    eprintln!("desk: a bed update reached the board in {took:?}");
}

#[tokio::test]
async fn the_desk_refuses_what_it_must_and_writes_nothing_then() {
    let region = Region::start().await;
    let hub = region.hub_with("peer-garden", with_desk("peer-garden")).await;
    let coordinator = hub.kith(["desk", "user", "add", "kim", "--role", "coordinator"]).await.ok();
    let kim_password = coordinator["password"].as_str().unwrap().to_owned();
    let mut sam = Desk::signed_in(&hub, "sam", "worker").await;
    let services = async || hub.kith(["service", "list"]).await.array().len();

    // A cross-site form, and a form without the session's token.
    let token = sam.get("/listings/services/new").await.token();
    let fields = [("csrf", token.as_str()), ("name", "Drop-in"), ("categories", "food")];
    let cross = sam.post("/listings/services/new", &fields, &[("Sec-Fetch-Site", "cross-site")]).await;
    assert_eq!(cross.status, 403, "{cross:?}");
    let origin = sam.post("/listings/services/new", &fields, &[("Origin", "https://elsewhere.example")]).await;
    assert_eq!(origin.status, 403, "{origin:?}");
    let forged = sam.post("/listings/services/new", &[("csrf", "forged"), ("name", "Drop-in")], &[]).await;
    assert_eq!(forged.status, 403, "{forged:?}");
    assert_eq!(services().await, 0, "nothing written");

    // A bad postcode: the error names the field, beside it; nothing written.
    let bad = sam
        .submit(
            "/listings/services/new",
            "/listings/services/new",
            &[
                ("name", "Drop-in"),
                ("categories", "food"),
                ("street", "1 Market Street"),
                ("town", "Leeds"),
                ("postcode", "NOT A CODE"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert!(bad.body.contains("href=\"#postcode\"") && bad.body.contains("id=\"postcode-error\""), "{}", bad.body);
    assert!(bad.body.contains("Postcode: "), "{}", bad.body);
    assert_eq!(services().await, 0, "nothing written");

    // A listing whose name holds markup is shown as text.
    let good = sam
        .submit(
            "/listings/services/new",
            "/listings/services/new",
            &[("name", "<script>alert('x')</script> Drop-in"), ("categories", "food"), ("postcode", "")],
        )
        .await;
    assert_eq!(good.status, 303, "{good:?}");
    let listings = sam.get("/listings").await;
    assert!(listings.body.contains("&lt;script&gt;alert('x')&lt;/script&gt; Drop-in"), "{}", listings.body);
    assert!(!listings.body.contains("<script>"), "{}", listings.body);
    assert!(listings.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'")));

    // An opportunity with a date that is not one: named beside its field.
    let opportunities = async || hub.kith(["opportunity", "list"]).await.array().len();
    let fields = [("title", "Gardener"), ("kind", "paid-job"), ("sector", "ordinary"), ("area", "Leeds LS6")];
    let mut bad_date = fields.to_vec();
    bad_date.push(("closes_on", "31/12/2026"));
    let bad = sam.submit("/listings/opportunities/new", "/listings/opportunities/new", &bad_date).await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert!(bad.body.contains("href=\"#closes_on\"") && bad.body.contains("id=\"closes_on-error\""), "{}", bad.body);
    assert_eq!(opportunities().await, 0, "nothing written");
    let mut paid = fields.to_vec();
    paid.extend([("pay", "12.21"), ("pay_per", "hour"), ("closes_on", "2099-01-31")]);
    let added = sam.submit("/listings/opportunities/new", "/listings/opportunities/new", &paid).await;
    assert_eq!(added.status, 303, "{added:?}");
    let listed = hub.kith(["opportunity", "list"]).await.array();
    assert_eq!(listed[0]["pay"]["pence"], 1221, "{listed:?}");

    // A house changed from the desk keeps its beds.
    let house = kith_tests::sample::add_safehouse(&hub, "Quiet House", 3, &["--phone", "0113 496 0202"]).await;
    kith_tests::sample::set_availability(&hub, &house.id, 2, "2h").await;
    let edit = format!("/listings/safehouses/{}/edit", house.id);
    let form = sam.get(&edit).await;
    assert!(form.body.contains("value=\"Quiet House\""), "{}", form.body);
    let changed = sam
        .submit(
            &edit,
            &edit,
            &[("name", "Quiet House (Headingley)"), ("area", "Leeds"), ("beds", "3"), ("phone", "0113 496 0202")],
        )
        .await;
    assert_eq!(changed.status, 303, "{changed:?}");
    let shown = hub.kith(["safehouse", "show", &house.id]).await.ok();
    assert_eq!(shown["name"], "Quiet House (Headingley)", "{shown}");
    assert_eq!(shown["beds_free"], 2, "the availability stays: {shown}");

    // An HSDS file uploaded: checked first (nothing written), then imported.
    let hsds =
        std::fs::read_to_string(kith_tests::workspace().join("tests/hsds/spec/examples/service_full.json")).unwrap();
    let before = services().await;
    let checked =
        sam.upload("/listings/import", "/listings/import", &[("do", "check")], "service_full.json", &hsds).await;
    assert_eq!(checked.status, 200, "{checked:?}");
    assert!(checked.body.contains("Checked: would create 1"), "{}", checked.body);
    assert_eq!(services().await, before, "a check writes nothing");
    let imported =
        sam.upload("/listings/import", "/listings/import", &[("do", "import")], "service_full.json", &hsds).await;
    assert!(imported.body.contains("Imported: created 1"), "{}", imported.body);
    assert_eq!(services().await, before + 1);
    let junk = sam.upload("/listings/import", "/listings/import", &[("do", "check")], "junk.json", "id,name").await;
    assert_eq!(junk.status, 400, "{junk:?}");
    assert!(junk.body.contains("id=\"file-error\""), "{}", junk.body);

    // A worker on a coordinator's page.
    assert_eq!(sam.get("/users").await.status, 403);
    assert_eq!(sam.get("/audit").await.status, 403);
    let mut kim = Desk::of(&hub);
    assert_eq!(kim.sign_in("kim", &kim_password).await.status, 303);
    assert_eq!(kim.get("/users").await.status, 200);
    assert_eq!(sam.get("/leave").await.status, 403);

    // Leaving the region, from the desk: the hub's id typed to confirm.
    let wrong = kim.submit("/leave", "/leave", &[("confirm", "yes")]).await;
    assert_eq!(wrong.status, 400, "{wrong:?}");
    assert!(!hub.kith(["opportunity", "list"]).await.array().iter().any(|o| o["status"] == "withdrawn"));
    let left = kim.submit("/leave", "/leave", &[("confirm", "peer-garden")]).await;
    assert!(left.body.contains("This hub has left the region"), "{}", left.body);
    assert!(hub.kith(["opportunity", "list"]).await.array().iter().all(|o| o["status"] == "withdrawn"));

    // A session cookie after sign-out.
    let cookie = sam.cookie.clone();
    let out = sam.submit("/account", "/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    let replayed = Desk { cookie, ..sam.clone() };
    let after = replayed.get("/").await;
    assert_eq!((after.status, after.header("location")), (303, Some("/sign-in")), "{after:?}");

    // A wrong password past the limit: then even the right one is refused.
    let mut guesser = Desk::of(&hub);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(guesser.sign_in("kim", "wrong-password").await.status);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429]);
    let locked = guesser.sign_in("kim", &kim_password).await;
    assert_eq!(locked.status, 429, "{locked:?}");
    assert!(guesser.cookie.is_none());
    // And from one client, past its own limit, whatever the account.
    let mut last = 0;
    for _ in 0..8 {
        last = guesser.sign_in("nobody", "x").await.status;
    }
    assert_eq!(last, 429, "the client's own limit");

    let log = audit(&hub).await;
    let has = |actor: &str, action: &str| log.iter().any(|e| e.0 == actor && e.1 == action);
    assert!(has("desk:sam", "refused: a coordinator's page"), "{log:?}");
    assert!(has("desk:sam", "refused: a form without its token"), "{log:?}");
    assert!(has("desk:kim", "sign-in refused: too many wrong passwords"), "{log:?}");
    assert!(has("desk:sam", "service-published"), "{log:?}");
    assert!(has("cli", "desk user added"), "{log:?}");
    assert!(has("desk:kim", "left the region"), "{log:?}");
    tokio::time::sleep(Duration::from_millis(10)).await;
}

/// What a desk page says in its own words: its text without what the group or a
/// person typed (`<bdi>`, `dir="auto"`), what is only in English by design (marked
/// `lang="en-GB"`), codes and the page's title.
fn desk_words(page: &str) -> String {
    let mut text = String::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        text.push(' ');
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: String = tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect();
        let skipped = matches!(name.as_str(), "bdi" | "code" | "title" | "textarea")
            || tag.contains(r#"dir="auto""#)
            || (tag.contains(r#"lang="en-GB""#) && name != "html");
        let close = format!("</{name}>");
        rest = match (skipped, rest.find(&close)) {
            (true, Some(stop)) => &rest[stop + close.len()..],
            _ => &rest[end..],
        };
    }
    text.push_str(rest);
    text.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[tokio::test]
async fn the_desk_speaks_welsh_and_urdu() {
    use kith_words::Lang;
    let region = Region::start().await;
    let options = HubOptions { fair_rate: Some("12.50".into()), ..with_desk("safe-houses") };
    let houses = region.hub_with("safe-houses", options).await;
    let garden = region.hub_with("peer-garden", with_desk("peer-garden")).await;
    let house = add_safehouse(&houses, "Rainbow House", 4, &["--for", "lgbtq"]).await;
    let soon = jiff::Zoned::now().date().saturating_add(jiff::Span::new().days(2)).to_string();
    kith_tests::sample::add_opportunity(&houses, "Gardener", &["--closes", &soon]).await;
    kith_tests::sample::add_service(&houses, "Drop-in", "food", &[]).await;
    let referral = send(&garden, &houses, "Alex Canary", &[]).await;
    wait_for_status(&houses, &referral.id, "received").await;
    let mut kim = Desk::signed_in(&houses, "kim", "coordinator").await;
    // The pool: a member with an account of their own, a job offered to them and
    // one they cannot take, one worked and one turned down.
    let bea = Desk::signed_in(&houses, "bea", "member").await;
    let pool = async |args: &[&str]| {
        let mut all = vec!["pool"];
        all.extend_from_slice(args);
        houses.kith(all).await.ok()["id"].as_str().unwrap_or_default().to_owned()
    };
    let week = ["--available", "mon 09:00-17:00", "--available", "tue 09:00-17:00"];
    let mut bea_args = vec!["member", "add", "--name", "Bea Example", "--skill", "gardening", "--min-rate", "13"];
    bea_args.extend_from_slice(&["--weekly-limit", "195.50", "--desk-user", "bea"]);
    bea_args.extend_from_slice(&week);
    let member = pool(&bea_args).await;
    pool(&["member", "add", "--name", "Cal Example", "--skill", "painting", "--min-rate", "13"]).await;
    let job = |what: &'static str, date: &'static str| {
        ["job", "add", "--what", what, "--date", date, "--start", "09:00", "--hours", "2.5", "--rate", "15"]
    };
    let offered = pool(&job("Clear the beds", "2027-03-02")).await;
    houses.kith(["pool", "job", "offer", &offered, "--member", &member]).await.ok();
    let open = pool(&job("Mow the lawn", "2027-03-04")).await;
    let worked = pool(&job("Cut the hedges", "2027-03-01")).await;
    houses.kith(["pool", "job", "offer", &worked, "--member", &member]).await.ok();
    houses.kith(["pool", "job", "answer", &worked, "--member", &member, "--yes"]).await.ok();
    houses.kith(["pool", "job", "hours", &worked, "--hours", "3:30"]).await.ok();
    let ended = pool(&job("Paint the fence", "2027-03-03")).await;
    houses.kith(["pool", "job", "turn-down", &ended]).await.ok();

    // The browser's language; then a choice on the address, which a cookie keeps.
    let welsh = kim.get_in("/", "cy-GB,cy;q=0.9,en;q=0.5").await;
    assert!(welsh.body.contains(r#"<html lang="cy" dir="ltr">"#), "{}", welsh.body);
    assert!(welsh.body.contains("Gwelyau i'w diweddaru"), "{}", welsh.body);
    assert_eq!(welsh.header("content-language"), Some("cy"));
    assert!(welsh.header("vary").is_some_and(|v| v.contains("Accept-Language")));
    let urdu = kim.get_in("/listings?family=services&lang=ur", "cy").await;
    assert!(urdu.body.contains(r#"<html lang="ur" dir="rtl">"#), "lang= on the address wins: {}", urdu.body);
    let remembered = urdu.header("set-cookie").expect("the choice is remembered");
    assert!(remembered.starts_with("kith-lang=ur;") && remembered.contains("SameSite=Strict"), "{remembered}");
    // The switch keeps what the address asked for, and names each language in itself.
    assert!(urdu.body.contains(r#"href="/listings?family=services&amp;lang=cy" lang="cy""#), "{}", urdu.body);
    assert!(urdu.body.contains(">Cymraeg<") && urdu.body.contains(">English<") && urdu.body.contains(">اردو<"));
    // A page the cookie's language is read on, as after a form's redirect.
    let mut after = kim.clone();
    after.cookie = Some(format!("{}; kith-lang=ur", kim.cookie.clone().unwrap()));
    assert!(after.get("/beds").await.body.contains(r#"<html lang="ur" dir="rtl">"#));
    // What the group typed stays as typed, in its own direction; counts and dates in the language.
    let beds = kim.get(&format!("/beds/confirm?house={}&beds=2&lang=cy", house.id)).await;
    assert!(
        beds.body.contains("<bdi>Rainbow House</bdi>") && beds.body.contains("2 wely'n rhydd nawr"),
        "{}",
        beds.body
    );
    let listings = kim.get("/listings?lang=cy").await;
    assert!(listings.body.contains("Ionawr") || listings.body.contains("Cadarnhawyd"), "{}", listings.body);
    // Hours and pay in the language; a member's own page too.
    let job_page = kim.get(&format!("/pool/jobs/{worked}?lang=cy")).await;
    assert!(job_page.body.contains("3.5 awr") && job_page.body.contains("£52.50"), "{}", job_page.body);
    let me = bea.get_in("/me", "ur").await;
    assert!(me.body.contains(r#"<html lang="ur" dir="rtl">"#) && me.body.contains("£37.50"), "{}", me.body);

    // No page of the desk is left in English in another language.
    let pages = [
        "/".to_owned(),
        "/beds".to_owned(),
        format!("/beds/confirm?house={}&beds=2", house.id),
        format!("/beds/confirm?house={}&beds=0", house.id),
        "/referrals".to_owned(),
        "/referrals/new".to_owned(),
        format!("/referrals/{}", referral.id),
        "/asks".to_owned(),
        "/asks/01JZZZZZZZZZZZZZZZZZZZZZZZ".to_owned(),
        "/listings".to_owned(),
        "/listings/opportunities/new".to_owned(),
        "/listings/services/new".to_owned(),
        "/listings/safehouses/new".to_owned(),
        "/listings/offers/new".to_owned(),
        format!("/listings/safehouses/{}/edit", house.id),
        format!("/listings/safehouses/{}/withdraw", house.id),
        "/listings/import".to_owned(),
        "/account".to_owned(),
        "/users".to_owned(),
        "/audit".to_owned(),
        "/leave".to_owned(),
        "/nowhere".to_owned(),
        "/pool".to_owned(),
        "/pool?week=2027-03-01".to_owned(),
        "/pool/report?from=2027-03-01&to=2027-03-31".to_owned(),
        "/pool/members/new".to_owned(),
        format!("/pool/members/{member}"),
        format!("/pool/members/{member}/edit"),
        format!("/pool/members/{member}/statement?from=2027-03-01&to=2027-03-31"),
        "/pool/jobs/new".to_owned(),
        format!("/pool/jobs/{offered}"),
        format!("/pool/jobs/{open}"),
        format!("/pool/jobs/{worked}"),
        format!("/pool/jobs/{ended}"),
    ];
    let mut signed_out = Desk::of(&houses);
    for lang in [Lang::Cy, Lang::Ur] {
        let english = kith_words::lang::english_only(lang);
        assert!(english.len() > 400, "{} phrases", english.len());
        let check = |path: &str, reply: &kith_tests::desk::Reply| {
            assert!(reply.status < 500, "{path}: {reply:?}");
            let html = format!(r#"<html lang="{}" dir="{}">"#, lang.tag(), lang.dir());
            assert!(reply.body.contains(&html), "{path} in {}: {}", lang.code(), reply.body);
            let words = desk_words(&reply.body);
            let left: Vec<&String> = english.iter().filter(|e| words.contains(e.as_str())).collect();
            assert!(left.is_empty(), "{path} in {} still says {left:?}:\n{words}", lang.code());
        };
        for path in &pages {
            check(path, &kim.get_in(path, lang.code()).await);
        }
        // Details shown, forms with their errors, and signing in.
        let page = format!("/referrals/{}", referral.id);
        let shown = kim.submit(&page, &format!("/referrals/{}/details", referral.id), &[]).await;
        assert!(shown.body.contains("Alex Canary"), "{}", shown.body);
        let mut in_lang = kim.clone();
        in_lang.cookie = Some(format!("{}; kith-lang={}", kim.cookie.clone().unwrap(), lang.code()));
        let token = in_lang.get(&page).await.token();
        let shown = in_lang.post(&format!("/referrals/{}/details", referral.id), &[("csrf", &token)], &[]).await;
        check("details", &shown);
        let no_reason = in_lang
            .post(&format!("/referrals/{}/decline", referral.id), &[("csrf", &token), ("reason", "")], &[])
            .await;
        assert_eq!(no_reason.status, 400);
        check("decline without a reason", &no_reason);
        let bad = in_lang
            .post("/listings/safehouses/new", &[("csrf", &token), ("name", "Quiet House"), ("beds", "lots")], &[])
            .await;
        assert_eq!(bad.status, 400, "{bad:?}");
        check("a form with an error", &bad);
        let added = in_lang.post("/users", &[("csrf", &token), ("do", "add"), ("new-name", "Sam K")], &[]).await;
        check("an account name refused", &added);
        check("/me", &bea.get_in("/me", lang.code()).await);
        let no_rate = in_lang.post("/pool/members", &[("csrf", &token), ("name", "Dee"), ("min_rate", "")], &[]).await;
        assert_eq!(no_rate.status, 400, "{no_rate:?}");
        check("a member without a rate", &no_rate);
        let sign_in = signed_out.get_in("/sign-in", lang.code()).await;
        check("/sign-in", &sign_in);
        let wrong = signed_out
            .post(
                "/sign-in",
                &[("name", "kim"), ("password", "wrong")],
                &[("Sec-Fetch-Site", "same-origin"), ("Accept-Language", lang.code())],
            )
            .await;
        assert_eq!(wrong.status, 401);
        check("a wrong password", &wrong);
    }
}
