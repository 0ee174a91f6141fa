//! Asks about a listing: what the board's vendored script seals in a browser
//! (`relay/board/vendor`, run here by node as `tests/browser/seal.mjs`) opens at the
//! listing's hub, and at no other.

use std::process::Command;

use kith_proto::ask::{self, AskError, Contact};
use kith_tests::workspace;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn an_ask_sealed_by_the_boards_script_opens_at_the_listing_hub_only() {
    let script = workspace().join("tests/browser/seal.mjs");
    let Ok(version) = Command::new("node").arg("--version").output() else {
        kith_tests::skip(
            "asks: the board's sealing script under node",
            "needs node (apt-get install npm; tests/run installs it)",
        );
        return;
    };
    assert!(version.status.success());
    let hub = crypto_box::SecretKey::generate(&mut rand::rngs::OsRng);
    let other = crypto_box::SecretKey::generate(&mut rand::rngs::OsRng);
    let key: String = hub.public_key().as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let json = r#"{"v":1,"name":"Canary Sam","contact":{"how":"text","number":"07700 900123","when":"after 6"},"words":"canary: is the cafe job open?","consent":true}"#;
    let out = Command::new("node").arg(&script).arg(&key).arg(json).output().expect("run node tests/browser/seal.mjs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sealed = unhex(String::from_utf8(out.stdout).unwrap().trim());
    assert_eq!(sealed.len(), json.len() + ask::SEAL_OVERHEAD);
    assert!(!String::from_utf8_lossy(&sealed).contains("Canary"));
    let content = ask::open(&sealed, &hub).expect("the hub opens what the browser sealed");
    assert_eq!(content.name, "Canary Sam");
    assert_eq!(content.contact, Contact::Text { number: "07700 900123".into(), when: "after 6".into() });
    assert!(matches!(ask::open(&sealed, &other), Err(AskError::Open)), "another hub opens nothing");
}
