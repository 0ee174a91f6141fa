//! Near here: a relay with a region's places file, listings in five towns of West
//! Yorkshire, a village and nowhere, searched through the real `kith` CLI by
//! distance (`--near`, `--within`), with each answer's distance, and a hub told which
//! of its listings name no place.

use kith_tests::sample::{add_opportunity, add_safehouse};
use kith_tests::{DEFAULT_TIMEOUT, Region, bins, wait_until};
use kith_text::places::Places;
use serde_json::Value;

fn titles(items: &[Value]) -> Vec<&str> {
    items.iter().map(|o| o["title"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn answers_come_by_distance_with_the_area_first_and_the_far_ones_left_out_within_a_radius() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.txt");
    std::fs::write(&places, "# Calderdale\nHebden Bridge = HX7\nTodmorden = OL14\n").unwrap();
    let region = Region::start_with(&["--places", places.to_str().unwrap()]).await;
    let hub = region.hub("peer-garden").await;
    for (title, area) in [
        ("Wakefield cafe", "Wakefield WF1"),
        ("Halifax shop", "Halifax HX1"),
        ("Bradford kitchen", "Bradford BD1"),
        ("Hunslet garden", "Leeds LS10"),
        ("Headingley library", "Leeds LS6"),
        ("Hebden mill", "Hebden Bridge"),
        ("Phone work", "Anywhere by phone"),
    ] {
        add_opportunity(&hub, title, &["--area", area]).await;
    }
    let rainbow =
        add_safehouse(&hub, "Rainbow Crisis House", 4, &["--area", "Leeds LS7", "--for", "trans-nonbinary"]).await;
    wait_until("the relay has them all", DEFAULT_TIMEOUT, async || region.relay.stats().await.opportunities == 7).await;

    // Near LS6: LS6 itself, then the others nearest first, then what has no place.
    let near = region.opportunities(&["--near", "LS6"]).await;
    assert_eq!(
        titles(&near),
        [
            "Headingley library",
            "Hunslet garden",
            "Bradford kitchen",
            "Wakefield cafe",
            "Halifax shop",
            "Hebden mill",
            "Phone work"
        ]
    );
    let km: Vec<Option<u64>> = near.iter().map(|o| o["distance_m"].as_u64().map(|m| (m + 500) / 1000)).collect();
    assert_eq!(km, [Some(0), Some(7), Some(12), Some(16), Some(23), Some(30), None]);
    assert_eq!(near[0]["beyond_area"], false);
    assert!(near[1..].iter().all(|o| o["beyond_area"] == true));
    assert_eq!(near[0]["location"]["district"], "LS6");

    // Within 10 km: the far ones, and what has no place, are left out.
    assert_eq!(
        titles(&region.opportunities(&["--near", "LS6", "--within", "10km"]).await),
        ["Headingley library", "Hunslet garden"]
    );
    // A full postcode is cut to its district; a village of the places file is a place.
    assert_eq!(titles(&region.opportunities(&["--near", "ls6 3ab", "--within", "1km"]).await), ["Headingley library"]);
    let hebden = region.opportunities(&["--near", "Hebden Bridge", "--limit", "2"]).await;
    assert_eq!(titles(&hebden), ["Hebden mill", "Halifax shop"]);
    assert_eq!(hebden[0]["location"]["district"], "HX7");

    // Paging through the far ones with tokens gives the same, without gaps.
    let mut paged = Vec::new();
    let mut token = String::new();
    loop {
        let mut args = vec!["region", "opportunities", "--near", "LS6", "--limit", "2"];
        if !token.is_empty() {
            args.extend(["--page-token", &token]);
        }
        let out = region.relay.kith(args.clone()).await;
        let next = out.stderr.split("--page-token ").nth(1).map(|t| t.trim().to_owned());
        paged.extend(out.array().iter().map(|o| o["title"].as_str().unwrap().to_owned()));
        match next {
            Some(t) => token = t,
            None => break,
        }
    }
    assert_eq!(paged, titles(&near));

    // A person sees how far away each is.
    let table = region.relay.kith_table(["region", "opportunities", "--near", "Bradford", "--within", "15km"]).await;
    assert!(table.lines().next().unwrap().contains("AWAY"), "{table}");
    assert!(table.contains("Bradford kitchen") && table.contains("under 1 km") && table.contains("12 km"), "{table}");

    // Bad places are clear errors naming what is wrong, and nothing is sent.
    let unknown = region.relay.kith(["region", "opportunities", "--near", "LS40"]).await.failure();
    assert!(unknown.contains("near: there is no postcode district LS40"), "{unknown}");
    let nowhere = region.relay.kith(["region", "opportunities", "--near", "Narnia"]).await.failure();
    assert!(nowhere.contains("near: names no place the region knows"), "{nowhere}");
    let alone = region.relay.kith(["region", "opportunities", "--within", "10km"]).await.failure();
    assert!(alone.contains("within: needs --near"), "{alone}");
    let bad = region.relay.kith(["region", "opportunities", "--near", "LS6", "--within", "ten"]).await.failure();
    assert!(bad.contains("within: must be a distance such as 10km"), "{bad}");

    // A safe house is published at its district's centroid, never nearer.
    let houses = region.safehouses(&["--near", "Bradford", "--for", "trans-nonbinary"]).await;
    let house = houses.iter().find(|h| h["id"] == rainbow.id.as_str()).unwrap();
    let centroid = Places::builtin().district("LS7").unwrap();
    assert_eq!(house["location"]["district"], "LS7");
    assert_eq!(
        (house["location"]["easting"].as_i64(), house["location"]["northing"].as_i64()),
        (Some(i64::from(centroid.east)), Some(i64::from(centroid.north)))
    );
    assert_eq!(house["beyond_area"], true, "nothing in Bradford; nearest: Leeds");

    // The hub is told which of its listings name no place.
    let hubs = region.relay.kith(["region", "hubs"]).await.array();
    assert_eq!(hubs[0]["unplaced"], 1, "{hubs:?}");
    let said = region.relay.kith_table(["region", "hubs"]).await;
    assert!(said.contains("NO PLACE") && said.contains("names no place the region knows"), "{said}");
}

#[test]
fn a_places_file_with_a_bad_line_stops_the_relay_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.txt");
    std::fs::write(&places, "Hebden Bridge = HX7\nTodmorden OL14\n").unwrap();
    let run = |file: &std::path::Path| {
        let out = std::process::Command::new(bins::bin("kith-relay"))
            .args(["--region", "west-yorkshire", "--nats", "nats://127.0.0.1:1", "--listen", "127.0.0.1:0"])
            .args(["--http-listen", "off"])
            .arg("--dir")
            .arg(dir.path().join("relay"))
            .arg("--places")
            .arg(file)
            .output()
            .expect("run kith-relay");
        assert!(!out.status.success(), "kith-relay started with a bad places file");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = run(&places);
    assert!(said.contains("places.txt: line 2") && said.contains("Name = DISTRICT"), "{said}");
    std::fs::write(&places, "Nowhere = ZZ9\n").unwrap();
    let said = run(&places);
    assert!(said.contains("line 1: there is no postcode district \"ZZ9\""), "{said}");
    // Nothing was made: a relay that refused to start changed nothing.
    assert!(!dir.path().join("relay/store").exists());
}
