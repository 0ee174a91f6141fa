//! Closed-loop referrals between hubs: a worker at one hub refers a person to another
//! hub, both hubs follow the referral until it is closed, and the person's details
//! exist only at those two hubs, only with consent, and only as long as the person
//! wants.
//!
//! Each hub publishes its own side of a referral on
//! `kith.<region>.<author>.referral.<other>.<id>`, with the person and every reason
//! sealed to the other hub's x25519 key; the relay sees and counts metadata only.
//! Everything here goes through the real `kith` CLI (and the admin gRPC API where the
//! CLI has no flag, or where the gRPC status code is the point), real hubs, a real
//! relay and a real `nats-server`.

use kith_proto::referral::{SealError, open_notes};
use kith_proto::v1::{self, IdRequest, ReferralStepRequest, SendReferralRequest};
use kith_tests::files::{all_files, contains, files_containing};
use kith_tests::referral::{self, CONSENT, person, send, show, statuses, stream_side, wait_for_status};
use kith_tests::sample::{add_opportunity, add_safehouse};
use kith_tests::{DEFAULT_TIMEOUT, Hub, HubOptions, Region, wait_for};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use ulid::Ulid;

/// The history of a referral without its times: `(status, hub)` per step.
fn steps(referral: &Value) -> Vec<(String, String)> {
    let history = referral["history"].as_array().unwrap_or_else(|| panic!("no history in {referral}"));
    history
        .iter()
        .map(|s| {
            (s["status"].as_str().unwrap_or_default().to_owned(), s["hub"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// `[(status, hub)]` from string pairs.
fn expected_steps(steps: &[(&str, &str)]) -> Vec<(String, String)> {
    steps.iter().map(|(s, h)| (s.to_string(), h.to_string())).collect()
}

/// Options of a hub whose heartbeat does not come during a test, so that its
/// sequence number changes only with what the test does (see [`refused`]).
fn quiet(id: &str) -> HubOptions {
    HubOptions { heartbeat_secs: Some(3600), ..HubOptions::named(&format!("Hub {id}")) }
}

/// Starts hub `id` in `region` (see [`quiet`]) and waits until the relay knows it.
async fn hub(region: &Region, id: &str) -> Hub {
    region.hub_with(id, quiet(id)).await
}

/// A file holding `reason`, for `--reason-file`: reasons are never command-line flags.
fn reason_file(hub: &Hub, reason: &str) -> String {
    let path = hub.root().join(format!("reason-{}.txt", Ulid::new()));
    std::fs::write(&path, reason).expect("write the reason file");
    path.display().to_string()
}

/// Runs `kith ARGS` at `hub`, which must be refused with a one-line error that
/// contains each of `words` (case-insensitive), and must not write anything.
async fn refused(hub: &Hub, args: &[&str], words: &[&str]) {
    let before = hub.status().await.last_written_seq;
    let out = hub.kith(args).await;
    let what = format!("{out:?}");
    let stderr = out.failure();
    let line = stderr.trim();
    assert_eq!(line.lines().count(), 1, "expected a one-line error from {what}");
    for word in words {
        assert!(line.to_lowercase().contains(&word.to_lowercase()), "the error does not say {word:?}: {what}");
    }
    assert_eq!(hub.status().await.last_written_seq, before, "a refused command wrote something: {what}");
}

#[tokio::test]
async fn referrals_are_followed_to_their_end_at_both_hubs_and_counted_at_the_relay() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let house = add_safehouse(&rainbow, "Rainbow Crisis House", 4, &[]).await;
    let job = add_opportunity(&rainbow, "Cafe volunteer", &["--kind", "volunteering"]).await;
    let started = Instant::now();

    // Sent: the referring hub has it in its outbox at once, with the person.
    let sent =
        send(&garden, &rainbow, "J. R.", &["--safehouse", &house.id, "--no-contact", "--needs", "a quiet room"]).await;
    let at_garden = show(&garden, &sent.id).await;
    assert_eq!(at_garden["id"], sent.id.as_str());
    assert_eq!(at_garden["box"], "outbox");
    assert_eq!(at_garden["from_hub"], "peer-garden");
    assert_eq!(at_garden["to_hub"], "rainbow-house");
    assert_eq!(at_garden["person"]["name"], "J. R.");
    assert_eq!(at_garden["erased"], false);
    assert_eq!(at_garden["target"], json!({"kind": "safehouse", "id": house.id}));
    assert!(at_garden["created_at"].is_string(), "{at_garden}");

    // Received: the receiving hub records it by itself, and the sender learns so.
    let at_rainbow = wait_for_status(&rainbow, &sent.id, "received").await;
    assert_eq!(at_rainbow["box"], "inbox");
    assert_eq!(at_rainbow["from_hub"], "peer-garden");
    assert_eq!(at_rainbow["to_hub"], "rainbow-house");
    assert_eq!(at_rainbow["created_at"], at_garden["created_at"]);
    assert_eq!(at_rainbow["target"], at_garden["target"]);
    let p = &at_rainbow["person"];
    assert_eq!(p["name"], "J. R.", "the receiving hub reads the person: {at_rainbow}");
    assert_eq!(p["needs"], "a quiet room");
    assert_eq!(p["no_contact"], true, "the person does not want to be contacted: {p}");
    assert!(p["contact"].is_null(), "{p}");
    assert_eq!(p["consent"], CONSENT);
    assert!(at_garden["answer_by"].is_string(), "the referring hub sets a deadline: {at_garden}");
    assert_eq!(at_rainbow["answer_by"], at_garden["answer_by"], "the receiving hub learns the deadline");
    wait_for_status(&garden, &sent.id, "received").await;

    // Accepted, then completed by the receiving hub.
    rainbow.kith(["referral", "accept", &sent.id]).await.ok();
    wait_for_status(&garden, &sent.id, "accepted").await;
    rainbow.kith(["referral", "complete", &sent.id]).await.ok();
    let at_rainbow = wait_for_status(&rainbow, &sent.id, "completed").await;
    let at_garden = wait_for_status(&garden, &sent.id, "completed").await;
    assert_eq!(
        steps(&at_garden),
        expected_steps(&[
            ("sent", "peer-garden"),
            ("received", "rainbow-house"),
            ("accepted", "rainbow-house"),
            ("completed", "rainbow-house"),
        ])
    );
    assert_eq!(at_garden["history"], at_rainbow["history"], "both hubs keep the same history, times included");

    // Declined: a reason is required, and the referring hub reads it.
    let declined = send(&garden, &rainbow, "S. T.", &["--opportunity", &job.id, "--contact", "07700 900123"]).await;
    wait_for_status(&rainbow, &declined.id, "received").await;
    refused(&rainbow, &["referral", "decline", &declined.id], &["reason"]).await;
    refused(
        &rainbow,
        &["referral", "decline", &declined.id, "--reason-file", &reason_file(&rainbow, "  ")],
        &["reason"],
    )
    .await;
    rainbow
        .kith(["referral", "decline", &declined.id, "--reason-file", &reason_file(&rainbow, "no places until spring")])
        .await
        .ok();
    let at_garden = wait_for_status(&garden, &declined.id, "declined").await;
    let at_rainbow = show(&rainbow, &declined.id).await;
    assert_eq!(statuses(&at_garden), ["sent", "received", "declined"]);
    assert_eq!(at_garden["history"], at_rainbow["history"]);
    assert_eq!(at_garden["history"][2]["reason"], "no places until spring", "the sender reads the reason");
    assert_eq!(at_garden["target"], json!({"kind": "opportunity", "id": job.id}));
    assert_eq!(at_rainbow["person"]["contact"], "07700 900123");

    // Each hub lists what it sent and what it received, by status too.
    let outbox = garden.kith(["referral", "list", "--outbox"]).await.array();
    let mut both = vec![sent.id.clone(), declined.id.clone()];
    both.sort();
    assert_eq!(referral::ids(&outbox), both);
    assert!(garden.kith(["referral", "list", "--inbox"]).await.array().is_empty());
    assert_eq!(referral::ids(&rainbow.kith(["referral", "list", "--inbox"]).await.array()), both);
    assert!(rainbow.kith(["referral", "list", "--outbox"]).await.array().is_empty());
    let completed = garden.kith(["referral", "list", "--status", "completed"]).await.array();
    assert_eq!(referral::ids(&completed), [sent.id.as_str()]);
    let declined_at_rainbow = rainbow.kith(["referral", "list", "--inbox", "--status", "declined"]).await.array();
    assert_eq!(referral::ids(&declined_at_rainbow), [declined.id.as_str()]);

    // The relay counts them by status, and how fast the receiving hub answered.
    let expected: BTreeMap<String, u64> = [("completed".to_owned(), 1), ("declined".to_owned(), 1)].into();
    let stats = wait_for("the relay counts one completed and one declined referral", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        let by_status: BTreeMap<String, u64> =
            stats.referrals_by_status.iter().filter(|(_, n)| **n > 0).map(|(s, n)| (s.clone(), *n)).collect();
        let answered = stats.referral_hubs.iter().any(|h| h.hub == "rainbow-house" && h.answered == 2);
        if by_status == expected && answered { Ok(stats) } else { Err(format!("{stats:?}")) }
    })
    .await;
    let rainbow_stats = stats.referral_hubs.iter().find(|h| h.hub == "rainbow-house").expect("listed");
    assert_eq!(rainbow_stats.received, 2, "{stats:?}");
    assert!(rainbow_stats.median_first_answer_ms > 0, "{stats:?}");
    assert!(
        rainbow_stats.median_first_answer_ms < started.elapsed().as_millis() as i64,
        "the median answer took longer than the whole test: {stats:?}"
    );
    assert!(
        stats.referral_hubs.iter().all(|h| h.hub != "peer-garden" || h.received == 0),
        "peer-garden received nothing: {stats:?}"
    );
    // Anyone sees the region's counts by status, but not when each hub received
    // what: polled, that would tell when a refuge receives a referral.
    let anyone = region.relay.anonymous_stats().await;
    assert!(anyone.referral_hubs.is_empty() && anyone.referral_hubs_withheld, "{anyone:?}");
    assert_eq!(anyone.referrals_by_status, stats.referrals_by_status);
    let json = region.relay.kith(["region", "stats"]).await.ok();
    assert_eq!(json["referral_hubs_withheld"], true, "{json}");
    assert_eq!(json["referral_hubs"], json!([]), "{json}");
    let table = region.relay.kith_table(["region", "stats"]).await;
    assert!(table.contains("for the region's coordinator only"), "{table}");
    assert!(!table.contains("rainbow-house"), "{table}");
    // A wrong token is told so.
    let wrong = region.relay.root().join("wrong.token");
    std::fs::write(&wrong, "not-the-coordinators-token").unwrap();
    let e = region.relay.kith(["region", "stats", "--coordinator-token-file", wrong.to_str().unwrap()]).await.failure();
    assert!(e.contains("wrong coordinator token"), "{e}");
    // The coordinator sees each hub's figures.
    let token = region.relay.coordinator_token_file();
    let json = region.relay.kith(["region", "stats", "--coordinator-token-file", token.to_str().unwrap()]).await.ok();
    assert_eq!(json["referrals_by_status"]["completed"], 1, "{json}");
    assert_eq!(json["referrals_by_status"]["declined"], 1, "{json}");
    assert_eq!(json["referral_hubs_withheld"], false, "{json}");
    let hubs = json["referral_hubs"].as_array().unwrap_or_else(|| panic!("no referral_hubs in {json}"));
    let h = hubs.iter().find(|h| h["hub"] == "rainbow-house").unwrap_or_else(|| panic!("{json}"));
    assert_eq!(h["received"], 2, "{json}");
    assert_eq!(h["answered"], 2, "{json}");
    assert_eq!(h["median_first_answer_ms"], rainbow_stats.median_first_answer_ms, "{json}");
}

#[tokio::test]
async fn a_hub_that_was_offline_gets_its_referrals_when_it_comes_back_and_redelivery_changes_nothing() {
    let region = Region::start().await;
    let (garden, mut rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    rainbow.stop().await;

    let sent = send(&garden, &rainbow, "A. B.", &["--needs", "a bed tonight"]).await;
    let subject = referral::side_subject(&garden, &rainbow, &sent.id);
    wait_for("the referral is on the stream", DEFAULT_TIMEOUT, async || {
        stream_side(&region, &garden, &rainbow, &sent.id).await
    })
    .await;
    assert_eq!(show(&garden, &sent.id).await["status"], "sent");

    rainbow.restart().await;
    let at_rainbow = wait_for_status(&rainbow, &sent.id, "received").await;
    assert_eq!(at_rainbow["person"]["name"], "A. B.");
    wait_for_status(&garden, &sent.id, "received").await;

    // The same message delivered again (published anew, so that the receiving hub's
    // durable consumer gets it a second time) changes nothing.
    let before = show(&rainbow, &sent.id).await;
    let seq_before = rainbow.status().await.last_written_seq;
    let js = region.nats.jetstream().await;
    let original = region.stream().await.get_last_raw_message_by_subject(&subject).await.expect("on the stream");
    let ack = js.publish(subject.clone(), original.payload.clone()).await.expect("publish").await.expect("puback");
    let consumer = format!("inbox-{}", rainbow.id);
    wait_for("the receiving hub has taken the redelivered message", DEFAULT_TIMEOUT, async || {
        let info = region.stream().await.consumer_info(&consumer).await.map_err(|e| e.to_string())?;
        if info.ack_floor.stream_sequence >= ack.sequence && info.num_ack_pending == 0 {
            Ok(())
        } else {
            Err(format!("{info:?}"))
        }
    })
    .await;
    assert_eq!(show(&rainbow, &sent.id).await, before, "a redelivered referral changed the receiving hub's view");
    assert_eq!(rainbow.status().await.last_written_seq, seq_before, "a redelivered referral was answered again");
}

#[tokio::test]
async fn an_unanswered_referral_expires_after_the_senders_window() {
    const WINDOW_SECS: u64 = 3;
    let region = Region::start().await;
    let options = HubOptions { referral_expiry_secs: Some(WINDOW_SECS), ..quiet("peer-garden") };
    let garden = region.hub_with("peer-garden", options).await;
    let (mut rainbow, cafe) = tokio::join!(hub(&region, "rainbow-house"), hub(&region, "peer-cafe"));
    rainbow.stop().await;

    // Sent first and answered at once: it never expires.
    let answered = send(&garden, &cafe, "C. D.", &[]).await;
    wait_for_status(&cafe, &answered.id, "received").await;
    cafe.kith(["referral", "accept", &answered.id]).await.ok();
    wait_for_status(&garden, &answered.id, "accepted").await;
    // To a hub that is away: nobody answers.
    let unanswered = send(&garden, &rainbow, "E. F.", &[]).await;

    let at_garden = wait_for_status(&garden, &unanswered.id, "expired").await;
    assert_eq!(
        steps(&at_garden),
        expected_steps(&[("sent", "peer-garden"), ("expired", "peer-garden")]),
        "the referring hub expires it"
    );
    let mut admin = garden.admin().await;
    let r = admin.get_referral(IdRequest { id: unanswered.id.clone() }).await.expect("get referral").into_inner();
    let expired_at = r.history.last().expect("history").at_ms;
    assert!(
        expired_at - r.created_at_ms >= (WINDOW_SECS * 1000) as i64,
        "expired before its window of {WINDOW_SECS} s: {r:?}"
    );
    assert_eq!(show(&garden, &answered.id).await["status"], "accepted", "an answered referral does not expire");
    assert_eq!(show(&cafe, &answered.id).await["status"], "accepted");

    // Back: the receiving hub gets the referral, already expired, and cannot answer it.
    rainbow.restart().await;
    let at_rainbow = wait_for_status(&rainbow, &unanswered.id, "expired").await;
    assert_eq!(steps(&at_rainbow), steps(&at_garden));
    assert_eq!(at_rainbow["history"], at_garden["history"]);
    refused(&rainbow, &["referral", "accept", &unanswered.id], &["expired"]).await;
    assert_eq!(show(&garden, &unanswered.id).await["status"], "expired");
}

#[tokio::test]
async fn illegal_steps_are_refused_with_a_clear_error_and_change_nothing() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let sent = send(&garden, &rainbow, "G. H.", &[]).await;
    wait_for_status(&rainbow, &sent.id, "received").await;
    let before = wait_for_status(&garden, &sent.id, "received").await;
    let id = sent.id.as_str();

    // Received: not yet accepted, and each hub takes only its own steps.
    refused(&rainbow, &["referral", "complete", id], &["completed"]).await;
    refused(&garden, &["referral", "accept", id], &["accepted"]).await;
    refused(
        &garden,
        &["referral", "decline", id, "--reason-file", &reason_file(&garden, "not ours to say")],
        &["declined"],
    )
    .await;
    refused(&garden, &["referral", "complete", id], &["completed"]).await;
    refused(&rainbow, &["referral", "withdraw", id], &["withdrawn"]).await;
    let unknown = Ulid::new().to_string();
    refused(&rainbow, &["referral", "accept", &unknown], &[&unknown]).await;
    assert_eq!(show(&garden, id).await, before, "a refused step changed the referring hub's view");
    assert_eq!(show(&rainbow, id).await["history"], before["history"]);

    // Over gRPC the refusal is a failed precondition, naming both statuses.
    let mut admin = rainbow.admin().await;
    let status = admin
        .complete_referral(ReferralStepRequest { id: id.into(), reason: String::new() })
        .await
        .expect_err("complete before accept");
    assert_eq!(status.code(), tonic::Code::FailedPrecondition, "{status:?}");
    assert!(status.message().contains("received") && status.message().contains("completed"), "{status:?}");

    // Completed: closed for everyone.
    rainbow.kith(["referral", "accept", id]).await.ok();
    rainbow.kith(["referral", "complete", id]).await.ok();
    let closed = wait_for_status(&garden, id, "completed").await;
    refused(&rainbow, &["referral", "accept", id], &["completed"]).await;
    refused(
        &rainbow,
        &["referral", "decline", id, "--reason-file", &reason_file(&rainbow, "changed our mind")],
        &["completed"],
    )
    .await;
    refused(&rainbow, &["referral", "complete", id], &["completed"]).await;
    refused(&garden, &["referral", "withdraw", id], &["completed"]).await;
    assert_eq!(show(&garden, id).await, closed);
    assert_eq!(statuses(&show(&rainbow, id).await), ["sent", "received", "accepted", "completed"]);
}

#[tokio::test]
async fn a_referral_without_consent_or_to_an_unknown_hub_is_refused_and_nothing_is_stored() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let file = garden.root().join("person.toml");
    let f = file.to_str().unwrap();
    let to = ["referral", "send", "--to", "rainbow-house", "--person-file", f];

    // The CLI: no consent, or an empty one.
    std::fs::write(&file, "name = \"I. J.\"\nno_contact = true\n").unwrap();
    refused(&garden, &to, &["consent"]).await;
    std::fs::write(&file, "name = \"I. J.\"\nno_contact = true\nconsent = \"   \"\n").unwrap();
    refused(&garden, &to, &["consent"]).await;
    // A person file that is not one, or is not there: named, nothing sent.
    std::fs::write(&file, "name = \"I. J.\"\nage = 40\n").unwrap();
    refused(&garden, &to, &["person.toml", "age"]).await;
    let missing = ["referral", "send", "--to", "rainbow-house", "--person-file", "/no/such/person.toml"];
    refused(&garden, &missing, &["/no/such/person.toml"]).await;
    // Without a file and without a terminal to ask on, the CLI says how to give them.
    refused(&garden, &["referral", "send", "--to", "rainbow-house"], &["--person-file"]).await;
    // A hub whose keys this hub cannot know: it has never been seen in the region.
    let consent = format!("name = \"I. J.\"\nno_contact = true\nconsent = \"{CONSENT}\"\n");
    std::fs::write(&file, &consent).unwrap();
    refused(&garden, &["referral", "send", "--to", "nobody-here", "--person-file", f], &["nobody-here"]).await;

    // The admin API: consent empty, or no person at all.
    let mut admin = garden.admin().await;
    let seq = garden.status().await.last_written_seq;
    let request = |person: Option<v1::Person>| SendReferralRequest {
        to_hub: "rainbow-house".into(),
        person,
        ..Default::default()
    };
    let no_consent = v1::Person { consent: String::new(), ..person("I. J.") };
    let status = admin.send_referral(request(Some(no_consent))).await.expect_err("no consent");
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("consent"), "the error names consent: {status:?}");
    let status = admin.send_referral(request(None)).await.expect_err("no person");
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    let m = status.message();
    assert!(m.contains("person") || m.contains("consent"), "the error names what is missing: {status:?}");
    assert_eq!(garden.status().await.last_written_seq, seq, "a refused referral was written");

    assert!(garden.kith(["referral", "list"]).await.array().is_empty(), "a refused referral was stored");
    // A referral with consent, sent after them all: once it has arrived, anything
    // published before it would have too.
    let sent = send(&garden, &rainbow, "I. J.", &[]).await;
    wait_for_status(&rainbow, &sent.id, "received").await;
    assert_eq!(referral::ids(&rainbow.kith(["referral", "list"]).await.array()), [sent.id.as_str()]);
    assert_eq!(referral::ids(&garden.kith(["referral", "list"]).await.array()), [sent.id.as_str()]);
    let consent = show(&rainbow, &sent.id).await["person"]["consent"].clone();
    assert_eq!(consent, CONSENT, "the receiving hub sees the consent given");
}

#[tokio::test]
async fn a_persons_details_are_never_written_outside_the_two_hubs_of_the_referral() {
    let mut region = Region::start().await;
    let (mut garden, mut rainbow, mut third) =
        tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"), hub(&region, "open-door"));
    let canary_id = Ulid::new().to_string();
    let canary = format!("Canary-{canary_id}");

    // In every field of the person, through the admin API and through the CLI.
    let mut admin = garden.admin().await;
    let in_every_field = v1::Person {
        name: canary.clone(),
        contact: format!("ask for {canary} at the front desk"),
        needs: format!("{canary} needs a quiet room"),
        notes: format!("{canary} prefers afternoons"),
        ..person("")
    };
    let by_api = admin
        .send_referral(SendReferralRequest {
            to_hub: rainbow.id.clone(),
            person: Some(in_every_field),
            ..Default::default()
        })
        .await
        .expect("send referral")
        .into_inner();
    let contact = format!("{canary}@example.org");
    let needs = format!("{canary} needs work");
    let by_cli = send(&garden, &rainbow, &canary, &["--contact", &contact, "--needs", &needs]).await;

    // The receiving hub reads the person (so the canary did travel), and answers
    // with reasons that name them too.
    let at_rainbow = wait_for_status(&rainbow, &by_api.id, "received").await;
    assert_eq!(at_rainbow["person"]["name"], canary.as_str(), "{at_rainbow}");
    let p = &at_rainbow["person"];
    assert_eq!(p["contact"], format!("ask for {canary} at the front desk"), "{p}");
    assert_eq!(p["needs"], format!("{canary} needs a quiet room"), "{p}");
    assert_eq!(p["notes"], format!("{canary} prefers afternoons"), "{p}");
    wait_for_status(&rainbow, &by_cli.id, "received").await;
    let mut rainbow_admin = rainbow.admin().await;
    let reason = format!("{canary} can come on Monday");
    rainbow_admin.accept_referral(ReferralStepRequest { id: by_api.id.clone(), reason }).await.expect("accept");
    let reason = format!("{canary} is better served by the Open Door");
    // From standard input: the reason is in no file and on no command line.
    rainbow.kith_with_input(["referral", "decline", &by_cli.id, "--reason-file", "-"], &reason).await.ok();
    let declined = wait_for_status(&garden, &by_cli.id, "declined").await;
    assert_eq!(declined["history"][2]["reason"], reason.as_str(), "the referring hub reads the reason");
    wait_for_status(&garden, &by_api.id, "accepted").await;
    // The relay has taken in every message of both referrals.
    wait_for("the relay counts both answers", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        let answered = stats.referral_hubs.iter().any(|h| h.hub == "rainbow-house" && h.answered == 2);
        if answered { Ok(()) } else { Err(format!("{stats:?}")) }
    })
    .await;

    // Everything stopped gracefully, so that everything each process meant to write
    // is on disk.
    garden.stop().await;
    rainbow.stop().await;
    third.stop().await;
    region.relay.stop().await;
    region.nats.stop().await;

    // The search does read the stream's messages: the referrals' ids (in their
    // subjects) are in JetStream's store.
    assert!(
        !files_containing(&region.nats.store_dir(), by_api.id.as_bytes()).is_empty(),
        "the referral's subject is not in the JetStream store: the search below would prove nothing"
    );
    // The canary, as written or in lower case, is in no file of the relay, of the NATS
    // server, of the third hub, nor in any file of the two hubs: their stores keep the
    // person encrypted under a key of each referral's own.
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (whose, root) in [
        ("relay", region.relay.root()),
        ("nats-server", region.nats.root()),
        ("hub open-door, not part of the referral", third.root()),
    ] {
        files.extend(all_files(root).into_iter().map(|p| (whose.to_owned(), p)));
    }
    for hub in [&garden, &rainbow] {
        files.extend(all_files(hub.root()).into_iter().map(|p| (format!("hub {}", hub.id), p)));
    }
    assert!(files.iter().any(|(_, p)| p == garden.log_path()), "the hub's log is searched");
    assert!(files.iter().any(|(_, p)| p == region.relay.log_path()), "the relay's log is searched");
    assert!(files.iter().any(|(_, p)| p == region.nats.log_path()), "the NATS log is searched");
    let needles = [canary_id.clone(), canary_id.to_lowercase()];
    // The search reads the hubs' stores: the referral's id (a key there) is found.
    let id_bytes = Ulid::from_string(&by_api.id).unwrap().to_bytes();
    for hub in [&garden, &rainbow] {
        let found = files_containing(&hub.dir().join("store"), &id_bytes);
        assert!(!found.is_empty(), "the referral is not in hub {}'s store: the search would prove nothing", hub.id);
    }
    let mut leaks = Vec::new();
    for (whose, path) in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        if needles.iter().any(|n| contains(&bytes, n.as_bytes())) {
            leaks.push(format!("{whose}: {}", path.display()));
        }
    }
    assert!(leaks.is_empty(), "the person's details are readable in these files: {leaks:#?}");
}

#[tokio::test]
async fn a_third_hub_can_neither_list_nor_open_a_referral_not_addressed_to_it() {
    // Here the seal is what keeps a third hub out. That its NATS user cannot even
    // subscribe to another hub's inbox needs per-hub NATS credentials, which are not
    // part of this test: every hub here connects to the test server without them.
    let region = Region::start().await;
    let (garden, rainbow, third) =
        tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"), hub(&region, "open-door"));
    let to_rainbow = send(&garden, &rainbow, "K. L.", &["--needs", "somewhere safe tonight"]).await;
    wait_for_status(&rainbow, &to_rainbow.id, "received").await;
    rainbow
        .kith(["referral", "decline", &to_rainbow.id, "--reason-file", &reason_file(&rainbow, "full tonight")])
        .await
        .ok();
    wait_for_status(&garden, &to_rainbow.id, "declined").await;
    // Sent after it, to the third hub: once that has arrived, the first one would
    // have too, if the third hub could see it.
    let to_third = send(&garden, &third, "M. N.", &[]).await;
    wait_for_status(&third, &to_third.id, "received").await;
    assert_eq!(referral::ids(&third.kith(["referral", "list"]).await.array()), [to_third.id.as_str()]);
    refused(&third, &["referral", "show", &to_rainbow.id], &[&to_rainbow.id]).await;

    // The person, as the stream carries them: sealed to the receiving hub's key alone.
    let sender_side = stream_side(&region, &garden, &rainbow, &to_rainbow.id).await.expect("the sender's side");
    let sealed = sender_side.sealed.expect("the sender's side carries the person, sealed");
    assert!(!contains(&sealed, b"K. L.") && !contains(&sealed, b"somewhere safe"), "the person is in plaintext");
    let third_keys = third.keys();
    assert!(matches!(open_notes(&sealed, &third_keys.boxing), Err(SealError::Open)), "the third hub opened it");
    assert!(open_notes(&sealed, &garden.keys().boxing).is_err(), "sealed to the receiver, not to the sender");
    let notes = open_notes(&sealed, &rainbow.keys().boxing).expect("the receiving hub opens it");
    let p = notes.person.expect("the person");
    assert_eq!(p.name, "K. L.");
    assert_eq!(p.needs, "somewhere safe tonight");

    // The receiving hub's reason, sealed to the referring hub's key alone.
    let receiver_side = stream_side(&region, &rainbow, &garden, &to_rainbow.id).await.expect("the receiver's side");
    let sealed = receiver_side.sealed.expect("the receiver's side carries its reason, sealed");
    assert!(!contains(&sealed, b"full tonight"), "the reason is in plaintext");
    assert!(matches!(open_notes(&sealed, &third_keys.boxing), Err(SealError::Open)), "the third hub opened it");
    let notes = open_notes(&sealed, &garden.keys().boxing).expect("the referring hub opens it");
    assert!(notes.reasons.iter().any(|r| r == "full tonight"), "{notes:?}");
}

#[tokio::test]
async fn erasing_a_referral_removes_the_person_at_both_hubs_and_keeps_the_anonymous_history() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));

    // Erased at the referring hub, where the person asked.
    let a = send(&garden, &rainbow, "O. P.", &["--needs", "a bed"]).await;
    wait_for_status(&rainbow, &a.id, "received").await;
    rainbow.kith(["referral", "accept", &a.id]).await.ok();
    wait_for_status(&garden, &a.id, "accepted").await;
    // Each hub keeps the person encrypted under the referral's own key.
    let a_key = Ulid::from_string(&a.id).unwrap().to_bytes();
    let keys_of = |hub: &Hub| std::fs::read(hub.dir().join("store").join("referral.keys")).unwrap_or_default();
    assert!(contains(&keys_of(&garden), &a_key) && contains(&keys_of(&rainbow), &a_key));
    garden.kith(["referral", "erase", &a.id]).await.ok();
    let at_garden = show(&garden, &a.id).await;
    assert!(at_garden["person"].is_null(), "erased here at once: {at_garden}");
    assert_eq!(at_garden["erased"], true);
    assert_eq!(at_garden["status"], "accepted");
    let anonymous =
        expected_steps(&[("sent", "peer-garden"), ("received", "rainbow-house"), ("accepted", "rainbow-house")]);
    assert_eq!(steps(&at_garden), anonymous, "the history stays");
    let at_rainbow = wait_for("the receiving hub erases its copy", DEFAULT_TIMEOUT, async || {
        let r = show(&rainbow, &a.id).await;
        if r["erased"] == true && r["person"].is_null() { Ok(r) } else { Err(r) }
    })
    .await;
    assert_eq!(steps(&at_rainbow), anonymous, "the history stays");
    // Erased for real: the key is destroyed at both hubs, so what of the person is
    // still in the stores' files (sled keeps old values until it compacts) cannot be
    // read.
    assert!(!contains(&keys_of(&garden), &a_key), "the referring hub kept the referral's key");
    assert!(!contains(&keys_of(&rainbow), &a_key), "the receiving hub kept the referral's key");
    let side = wait_for("the stream no longer carries the person", DEFAULT_TIMEOUT, async || {
        let side = stream_side(&region, &garden, &rainbow, &a.id).await?;
        if side.erased && side.sealed.is_none() { Ok(side) } else { Err(format!("{side:?}")) }
    })
    .await;
    assert_eq!(side.steps.len(), 1, "the referring hub's steps stay: {side:?}");
    // The referral goes on without the person.
    rainbow.kith(["referral", "complete", &a.id]).await.ok();
    let at_garden = wait_for_status(&garden, &a.id, "completed").await;
    assert!(at_garden["person"].is_null(), "{at_garden}");
    assert_eq!(statuses(&at_garden), ["sent", "received", "accepted", "completed"]);

    // Erased at the receiving hub.
    let b = send(&garden, &rainbow, "Q. R.", &["--needs", "a job"]).await;
    wait_for_status(&rainbow, &b.id, "received").await;
    rainbow.kith(["referral", "erase", &b.id]).await.ok();
    let at_rainbow = show(&rainbow, &b.id).await;
    assert!(at_rainbow["person"].is_null(), "erased here at once: {at_rainbow}");
    assert_eq!(at_rainbow["erased"], true);
    let at_garden = wait_for("the referring hub erases its copy", DEFAULT_TIMEOUT, async || {
        let r = show(&garden, &b.id).await;
        if r["erased"] == true && r["person"].is_null() { Ok(r) } else { Err(r) }
    })
    .await;
    assert_eq!(steps(&at_garden), expected_steps(&[("sent", "peer-garden"), ("received", "rainbow-house")]));
    assert_eq!(steps(&at_rainbow), steps(&at_garden));
    let side = wait_for("the receiving hub's side says it erased the person", DEFAULT_TIMEOUT, async || {
        let side = stream_side(&region, &rainbow, &garden, &b.id).await?;
        if side.erased && side.sealed.is_none() { Ok(side) } else { Err(format!("{side:?}")) }
    })
    .await;
    assert!(!side.steps.is_empty(), "{side:?}");
}

#[tokio::test]
async fn the_persons_details_come_from_a_file_or_standard_input_never_the_command_line() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let person = serde_json::json!({
        "name": "Stdin Canary",
        "contact": "07700 900456",
        "needs": "a bed tonight",
        "consent": CONSENT,
    });
    let sent = garden
        .kith_with_input(["referral", "send", "--to", "rainbow-house", "--person-file", "-"], &person.to_string())
        .await
        .ok();
    let id = sent["id"].as_str().expect("the referral's id");
    wait_for_status(&rainbow, id, "received").await;
    let shown = show(&rainbow, id).await;
    assert_eq!(shown["person"]["name"], "Stdin Canary", "{shown}");
    assert_eq!(shown["person"]["contact"], "07700 900456", "{shown}");

    // The old flags are gone: a name on the command line is refused before anything runs.
    let before = garden.status().await.last_written_seq;
    let e = garden
        .kith([
            "referral",
            "send",
            "--to",
            "rainbow-house",
            "--name",
            "Flag Canary",
            "--no-contact",
            "--consent",
            CONSENT,
        ])
        .await
        .failure();
    assert!(e.contains("unexpected argument '--name'"), "{e}");
    assert_eq!(garden.status().await.last_written_seq, before);
}

#[tokio::test]
async fn a_peer_that_set_up_new_keys_is_a_clear_error_at_the_sender_until_it_is_unpinned() {
    let region = Region::start().await;
    let (garden, mut rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let first = send(&garden, &rainbow, "A. B.", &[]).await;
    wait_for_status(&rainbow, &first.id, "received").await;
    let pinned = garden.kith(["peers", "list"]).await.array();
    assert_eq!(pinned.len(), 1, "{pinned:?}");
    assert_eq!(pinned[0]["hub"], "rainbow-house");
    assert_eq!(pinned[0]["signing_key"], rainbow.signing_key_hex());

    // The house loses its keys and is set up again under the same id: new keys,
    // which the garden's pin does not verify.
    rainbow.stop().await;
    let rainbow = region.hub_with("rainbow-house", quiet("rainbow-house")).await;
    let new_key = rainbow.signing_key_hex();
    assert_ne!(pinned[0]["signing_key"], new_key.as_str());

    // Sealing to the old box key would send what the house can no longer open.
    let before = garden.status().await.last_written_seq;
    let (file, _) = kith_tests::referral::person_file(&garden, "C. D.", &[]);
    let f = file.to_str().unwrap();
    let e = garden.kith(["referral", "send", "--to", "rainbow-house", "--person-file", f]).await.failure();
    assert!(e.contains("other than the ones this hub pinned") && e.contains("kith peers unpin rainbow-house"), "{e}");
    assert_eq!(garden.status().await.last_written_seq, before, "nothing was written");

    // Checked with the house: unpin, and the next referral pins its new keys.
    let out = garden.kith(["peers", "unpin", "rainbow-house"]).await.ok();
    assert_eq!(out["unpinned"], true);
    let second = send(&garden, &rainbow, "C. D.", &[]).await;
    wait_for_status(&rainbow, &second.id, "received").await;
    let pinned = garden.kith(["peers", "list"]).await.array();
    assert_eq!(pinned[0]["signing_key"], new_key.as_str());
    let e = garden.kith(["peers", "unpin", "Not A Hub"]).await.failure();
    assert!(e.contains("hub: must use only"), "{e}");
}

/// A backup taken before an erasure must not bring the person back: the restored
/// hub applies every erasure the region's stream records of it (destroying the
/// referral's key) before it shows or changes any referral, and its next step does
/// not seal the person again.
#[tokio::test]
async fn restoring_a_backup_taken_before_an_erasure_does_not_bring_the_person_back() {
    let region = Region::start().await;
    let (mut garden, rainbow) = tokio::join!(hub(&region, "peer-garden"), hub(&region, "rainbow-house"));
    let canary = format!("Canary-{}", Ulid::new());
    let a = send(&garden, &rainbow, &canary, &["--needs", &format!("{canary} needs a quiet room")]).await;
    wait_for_status(&rainbow, &a.id, "received").await;
    let a_key = Ulid::from_string(&a.id).unwrap().to_bytes();

    // Backed up while the hub still holds the person.
    let file = garden.root().join("garden.kithbackup");
    garden.kith(["backup", "--out", file.to_str().unwrap()]).await.ok();

    // Then the person asks to be forgotten, and both hubs erase.
    garden.kith(["referral", "erase", &a.id]).await.ok();
    wait_for("both hubs' sides in the stream say erased", DEFAULT_TIMEOUT, async || {
        let mine = stream_side(&region, &garden, &rainbow, &a.id).await?;
        let theirs = stream_side(&region, &rainbow, &garden, &a.id).await?;
        if mine.erased && theirs.erased { Ok(()) } else { Err(format!("{mine:?} / {theirs:?}")) }
    })
    .await;

    // The disk is lost; the older backup is restored.
    garden.kill9();
    std::fs::remove_dir_all(garden.dir()).unwrap();
    kith_tests::kith(["restore", file.to_str().unwrap(), "--dir", garden.dir().to_str().unwrap()]).await.ok();
    garden.restart().await;

    // Whatever it says first, it never shows the person: either that it is still
    // reading the stream, or the referral as erased.
    let shown = wait_for("the restored hub shows the referral again", DEFAULT_TIMEOUT, async || {
        let out = garden.kith(["referral", "show", &a.id]).await;
        match out.code {
            Some(0) => Ok(out.ok()),
            _ => {
                let e = out.failure();
                assert!(e.contains("restored from a backup"), "{e}");
                assert!(!e.contains(&canary));
                Err(e)
            }
        }
    })
    .await;
    assert!(shown["person"].is_null(), "the erased person came back: {shown}");
    assert_eq!(shown["erased"], true, "{shown}");
    let listed = garden.kith(["referral", "list"]).await.array();
    assert!(!format!("{listed:?}").contains(&canary), "{listed:?}");

    // Its key is destroyed, so what of the person is still in the restored store's
    // files cannot be read; nothing there holds the name in plain text.
    let keys = std::fs::read(garden.dir().join("store").join("referral.keys")).unwrap_or_default();
    assert!(!contains(&keys, &a_key), "the restored hub kept the referral's key");
    assert!(files_containing(&garden.dir(), canary.as_bytes()).is_empty(), "the name is in the hub's files");

    // Its next step seals nothing personal.
    rainbow.kith(["referral", "accept", &a.id]).await.ok();
    wait_for_status(&garden, &a.id, "accepted").await;
    garden.kith(["referral", "withdraw", &a.id, "--reason-file", &reason_file(&garden, "moved away")]).await.ok();
    let side = wait_for("the restored hub's next side", DEFAULT_TIMEOUT, async || {
        let side = stream_side(&region, &garden, &rainbow, &a.id).await?;
        if side.steps.len() > 1 { Ok(side) } else { Err(format!("{side:?}")) }
    })
    .await;
    assert!(side.erased && side.sealed.is_none(), "the restored hub sealed something again: {side:?}");
}
