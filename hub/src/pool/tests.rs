use super::*;

const FAIR: u32 = 1_345;

fn date(s: &str) -> CivilDate {
    s.parse().unwrap()
}

fn at(s: &str) -> ClockTime {
    ClockTime::parse("t", s).unwrap()
}

fn member(name: &str, skills: &[&str], limit: Option<u32>) -> Member {
    Member {
        name: name.into(),
        contact: "07700 900123".into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        availability: vec![
            Window { day: Weekday::Tuesday, from: at("09:00"), to: at("17:00") },
            Window { day: Weekday::Thursday, from: at("09:00"), to: at("13:00") },
        ],
        away: Vec::new(),
        min_rate_pence: FAIR,
        weekly_limit_pence: limit,
        desk_user: None,
    }
}

fn job(day: &str, start: &str, minutes: u32, skills: &[&str]) -> Job {
    Job {
        business: None,
        what: "Clear the beds".into(),
        place: "Hebden Bridge".into(),
        client: "Calder Housing".into(),
        contact: String::new(),
        date: date(day),
        start: at(start),
        minutes,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        rate_pence: 1_500,
        ask: None,
    }
}

#[test]
fn members_are_refused_below_the_fair_rate_with_overlapping_times_or_a_limit_of_nothing() {
    let ok = member("Ann", &["gardening"], Some(19_550)).validate(FAIR).unwrap();
    assert_eq!(ok.availability[0].day, Weekday::Tuesday);

    let low = Member { min_rate_pence: 1_000, ..member("Ann", &[], None) };
    let e = low.validate(FAIR).unwrap_err();
    assert_eq!(e.field, "min_rate");
    assert!(e.problem.contains("£10 an hour is below the region's fair rate of £13.45"), "{e}");

    let mut overlapping = member("Ann", &[], None);
    overlapping.availability.push(Window { day: Weekday::Tuesday, from: at("16:00"), to: at("18:00") });
    let e = overlapping.validate(FAIR).unwrap_err();
    assert_eq!(e.field, "availability[1]");
    assert!(e.problem.contains("overlaps"), "{e}");

    let backwards = Member {
        availability: vec![Window { day: Weekday::Monday, from: at("12:00"), to: at("09:00") }],
        ..member("Ann", &[], None)
    };
    assert_eq!(backwards.validate(FAIR).unwrap_err().field, "availability[0]");

    let zero = member("Ann", &[], Some(0));
    let e = zero.validate(FAIR).unwrap_err();
    assert_eq!(e.field, "weekly_limit");
    assert!(e.problem.contains("more than £0"));

    assert_eq!(member("", &[], None).validate(FAIR).unwrap_err().field, "name");
}

#[test]
fn jobs_are_refused_below_the_fair_rate_past_midnight_or_of_no_length() {
    assert!(job("2026-12-08", "09:00", 180, &[]).validate(FAIR).is_ok());
    let low = Job { rate_pence: 1_200, ..job("2026-12-08", "09:00", 180, &[]) };
    assert_eq!(low.validate(FAIR).unwrap_err().field, "rate");
    assert_eq!(job("2026-12-08", "09:00", 0, &[]).validate(FAIR).unwrap_err().field, "hours");
    let late = job("2026-12-08", "22:00", 180, &[]).validate(FAIR).unwrap_err();
    assert!(late.problem.contains("past midnight"), "{late}");
}

#[test]
fn hours_and_pay_are_read_and_said_as_people_do() {
    assert_eq!(parse_hours("h", "3").unwrap(), 180);
    assert_eq!(parse_hours("h", "2.5").unwrap(), 150);
    assert_eq!(parse_hours("h", "2:30").unwrap(), 150);
    assert!(parse_hours("h", "2.333").is_err());
    assert!(parse_hours("h", "-1").is_err());
    assert!(parse_hours("h", "2:75").is_err());
    assert_eq!(hours(150), "2.5");
    assert_eq!(hours(75), "1.25");
    assert_eq!(hours(180), "3");
    assert_eq!(pay(150, 1_345), 3_363, "£13.45 × 2.5 = £33.625, half up");
}

#[test]
fn weeks_start_on_monday_and_tax_years_on_the_sixth_of_april() {
    let w = Period::week(date("2026-12-06"));
    assert_eq!((w.from, w.to), (date("2026-11-30"), date("2026-12-06")), "a Sunday ends its week");
    assert_eq!(Period::week(date("2026-11-30")).from, date("2026-11-30"));
    let t = Period::tax_year(date("2027-04-05"));
    assert_eq!((t.from, t.to), (date("2026-04-06"), date("2027-04-05")));
    assert_eq!(Period::tax_year(date("2027-04-06")).from, date("2027-04-06"));
    let m = Period::month(date("2028-02-10"));
    assert_eq!((m.from, m.to), (date("2028-02-01"), date("2028-02-29")));
    assert_eq!(Period::parse("2026-12-10", "2026-12-01").unwrap_err().field, "to");
}

#[test]
fn skills_match_by_stem_and_synonym_and_every_word_counts() {
    let s = Synonyms::builtin();
    let has = vec!["Gardening".to_owned(), "cutting hedges".to_owned()];
    assert!(missing_skills(&["gardener".into()], &has, &s).is_empty(), "stem and synonym");
    assert!(missing_skills(&["hedge cutting".into()], &has, &s).is_empty());
    assert_eq!(missing_skills(&["painting".into(), "hedges".into()], &has, &s), vec!["painting".to_owned()]);
    assert_eq!(missing_skills(&["hedge laying".into()], &has, &s), vec!["hedge laying".to_owned()]);
}

#[test]
fn a_proposal_leaves_out_whoever_the_job_would_take_over_their_limit_and_says_why() {
    let s = Synonyms::builtin();
    let j = job("2026-12-08", "10:00", 240, &["gardening"]); // a Tuesday: 4 h at £15 = £60
    let job_id = Ulid::new();
    let ann = member("Ann", &["gardening"], Some(19_550));
    let bea = member("Bea", &["gardening"], None);
    let cal = Member { availability: vec![], ..member("Cal", &["gardening"], None) };
    let dee = member("Dee", &["painting"], None);
    let (a, b, c, d) = (Ulid::new(), Ulid::new(), Ulid::new(), Ulid::new());
    // Ann earned £150 on the Monday of that week: £60 more is over £195.50.
    let ann_ledger = Ledger { done: vec![(date("2026-12-07"), 15_000, Ulid::new())], booked: Vec::new() };
    // Bea earned last week: it does not count.
    let bea_ledger = Ledger { done: vec![(date("2026-12-06"), 90_000, Ulid::new())], booked: Vec::new() };
    let none = Ledger::default();
    let members = [(a, &ann, &ann_ledger), (b, &bea, &bea_ledger), (c, &cal, &none), (d, &dee, &none)];
    let p = propose(job_id, &j, &members, &[], &s);
    assert_eq!(p.proposed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Bea"]);
    let why: Vec<String> = p.not_proposed.iter().map(|c| c.not.as_ref().unwrap().say(&c.name)).collect();
    assert_eq!(
        why,
        [
            "would take Ann over their £195.50 limit this week (£150 earned, and this job pays £60)",
            "Cal is not free then",
            "Dee has not said they can do gardening",
        ]
    );
    assert_eq!(p.why_none(), None);

    // Booked work counts toward the limit, and a clash makes someone busy.
    let other = Ulid::new();
    let booked = Ledger { done: Vec::new(), booked: vec![(date("2026-12-08"), 600, 660, 15_000, other)] };
    let p = propose(job_id, &j, &[(a, &ann, &booked)], &[], &s);
    assert_eq!(p.not_proposed[0].not, Some(NotProposed::Busy { other_job: other }));
    let p = propose(job_id, &j, &[(a, &ann, &booked)], &[a], &s);
    assert_eq!(p.not_proposed[0].not, Some(NotProposed::Declined));

    // No one could take it: the furthest anyone got says why.
    let p = propose(job_id, &j, &[(a, &ann, &ann_ledger), (d, &dee, &none)], &[], &s);
    assert_eq!(p.why_none(), Some("over-limits"));
    let p = propose(job_id, &j, &[(c, &cal, &none), (d, &dee, &none)], &[], &s);
    assert_eq!(p.why_none(), Some("no-one-free"));
    let p = propose(job_id, &j, &[(d, &dee, &none)], &[], &s);
    assert_eq!(p.why_none(), Some("skills-missing"));

    // Away that day: not free.
    let away = Member {
        away: vec![Away { from: date("2026-12-07"), to: date("2026-12-09"), note: String::new() }],
        ..member("Bea", &["gardening"], None)
    };
    assert_eq!(propose(job_id, &j, &[(b, &away, &none)], &[], &s).not_proposed[0].not, Some(NotProposed::NotFree));
    assert!(over_limit(job_id, &j, &ann, &ann_ledger).is_some());
    assert!(over_limit(job_id, &j, &bea, &bea_ledger).is_none());
}
