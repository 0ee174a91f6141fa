//! Asks: a person asking, from a listing's page on the board, to be contacted about
//! it by the group that listed it — or saying they will call.
//!
//! What the person writes ([`AskContent`]) is sealed to the listing hub's box key
//! (the same x25519 key referrals are sealed to) as a libsodium-compatible sealed box
//! of its JSON, so that a browser can seal it before it leaves (`crypto_box_seal`:
//! an ephemeral x25519 key, XSalsa20-Poly1305, the nonce from BLAKE2b of both public
//! keys) and the relay, when the browser cannot, seals it at once. Only the listing's
//! hub can open it ([`open`]); everything else sees the sealed bytes, which listing it
//! is about and a [`Reference`] the person keeps to follow its status.
//!
//! The JSON is small and strict: unknown fields, a missing consent or an over-long
//! value are refused when the hub opens it, as they would be anywhere else.

use crypto_box::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::validate::{self, ValidationError};

/// The most bytes a sealed ask may have: its JSON at its limits, with room to spare.
pub const MAX_SEALED: usize = 8 * 1024;
/// The sealed box's overhead: the ephemeral public key and the tag.
pub const SEAL_OVERHEAD: usize = 32 + 16;

/// Limits of what a person writes.
pub mod limits {
    pub const NAME: usize = 80;
    pub const CONTACT: usize = 120;
    pub const WHEN: usize = 120;
    pub const WORDS: usize = 1000;
}

/// How the person wants to be contacted, or that they do not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "lowercase", deny_unknown_fields)]
pub enum Contact {
    /// A call to this number, at these times (`weekday mornings`).
    Phone {
        number: String,
        when: String,
    },
    /// A text message to this number.
    Text {
        number: String,
        when: String,
    },
    Email {
        address: String,
        when: String,
    },
    /// "Don't contact me — I will call you": the page then shows the hub's number and
    /// the reference.
    None,
}

/// What a person writes when they ask about a listing: sealed, only the listing's
/// hub reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskContent {
    /// The version of this shape: 1.
    pub v: u8,
    /// A name or a first name.
    pub name: String,
    pub contact: Contact,
    /// A few words, which may be empty.
    pub words: String,
    /// That this may be passed to the group that listed it. An ask without it is
    /// never sent.
    pub consent: bool,
}

impl AskContent {
    /// Checks every value: a name, a way to be contacted with its details (or none),
    /// words within their limit, and consent given.
    pub fn validate(self) -> Result<AskContent, ValidationError> {
        if self.v != 1 {
            return Err(ValidationError::new("v", format!("must be 1 (got {})", self.v)));
        }
        if !self.consent {
            return Err(ValidationError::new(
                "consent",
                "must be given: the ask is passed to the group that listed it, and to no one else",
            ));
        }
        let name = validate::line("name", &self.name, 1, limits::NAME)?;
        let when = |w: &str| validate::line("contact.when", w, 0, limits::WHEN);
        let contact = match self.contact {
            Contact::Phone { number, when: w } => {
                Contact::Phone { number: phone("contact.number", &number)?, when: when(&w)? }
            }
            Contact::Text { number, when: w } => {
                Contact::Text { number: phone("contact.number", &number)?, when: when(&w)? }
            }
            Contact::Email { address, when: w } => {
                let address = validate::line("contact.address", &address, 3, limits::CONTACT)?;
                let at = address.find('@').filter(|&i| i > 0 && i + 1 < address.len());
                if at.is_none() || address.contains(char::is_whitespace) {
                    return Err(ValidationError::new(
                        "contact.address",
                        format!("must be an email address such as sam@example.org (got {address:?})"),
                    ));
                }
                Contact::Email { address, when: when(&w)? }
            }
            Contact::None => Contact::None,
        };
        let words = validate::text("words", &self.words, 0, limits::WORDS)?;
        Ok(AskContent { v: 1, name, contact, words, consent: true })
    }
}

/// A telephone number as people write one: digits, spaces, `+`, `-`, `(` and `)`,
/// with 7 to 15 digits.
fn phone(field: &str, value: &str) -> Result<String, ValidationError> {
    let value = validate::line(field, value, 1, limits::CONTACT)?;
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(7..=15).contains(&digits) {
        return Err(ValidationError::new(
            field,
            format!("must be a telephone number such as 0113 496 0000 (got {value:?})"),
        ));
    }
    Ok(value)
}

/// Why an ask cannot be sealed or opened.
#[derive(Debug, Error)]
pub enum AskError {
    #[error("cannot seal: the hub's key is not a valid x25519 key")]
    Key,
    #[error("a sealed ask is {0} bytes; it is at most {MAX_SEALED}")]
    TooLarge(usize),
    #[error("cannot open the ask: not sealed to this hub's key, or altered")]
    Open,
    #[error("the ask's content is not what a person could have sent: {0}")]
    Content(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// Seals `content` (checked first) to the hub whose box key is `to_box_key`: what
/// the relay does when the browser could not.
pub fn seal(content: &AskContent, to_box_key: &[u8; 32]) -> Result<Vec<u8>, AskError> {
    let content = content.clone().validate()?;
    let json = serde_json::to_vec(&content).map_err(|e| AskError::Content(e.to_string()))?;
    let sealed = PublicKey::from(*to_box_key).seal(&mut rand::rngs::OsRng, &json).map_err(|_| AskError::Key)?;
    check_size(&sealed)?;
    Ok(sealed)
}

/// Whether sealed bytes are within the size of an ask (before anything else is done
/// with them).
pub fn check_size(sealed: &[u8]) -> Result<(), AskError> {
    if sealed.len() > MAX_SEALED || sealed.len() <= SEAL_OVERHEAD {
        return Err(AskError::TooLarge(sealed.len()));
    }
    Ok(())
}

/// Opens an ask sealed to this hub, and checks what it says.
pub fn open(sealed: &[u8], secret: &SecretKey) -> Result<AskContent, AskError> {
    check_size(sealed)?;
    let json = secret.unseal(sealed).map_err(|_| AskError::Open)?;
    let content: AskContent = serde_json::from_slice(&json).map_err(|e| AskError::Content(e.to_string()))?;
    Ok(content.validate()?)
}

/// The letters of a reference: Crockford's base 32, without I, L, O and U, so that
/// a reference read out over the phone is not misheard.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What a person keeps to follow their ask (`/ask/7KQ2-M9XD-4T`): 50 random bits,
/// ten letters and digits, shown in groups. Not guessable: a million guesses find
/// one of a million asks about once in a thousand tries.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reference(String);

impl Reference {
    /// A new, random reference.
    pub fn new() -> Reference {
        let bits: u64 = rand::random::<u64>() >> 14;
        Reference((0..10).map(|i| ALPHABET[((bits >> (5 * (9 - i))) & 31) as usize] as char).collect())
    }

    /// Reads a reference as a person might type it: any case, with or without the
    /// dashes and spaces between its groups; `0` for O and `1` for I and L.
    pub fn parse(field: &str, value: &str) -> Result<Reference, ValidationError> {
        let mut out = String::with_capacity(10);
        for c in value.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return Err(bad_reference(field, value));
            }
            out.push(c);
        }
        if out.len() != 10 {
            return Err(bad_reference(field, value));
        }
        Ok(Reference(out))
    }

    /// The ten characters, as stored and compared.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Reference {
    fn default() -> Reference {
        Reference::new()
    }
}

fn bad_reference(field: &str, value: &str) -> ValidationError {
    let shown: String = value.chars().take(20).collect();
    ValidationError::new(field, format!("must be a reference such as 7KQ2-M9XD-4T (got {shown:?})"))
}

impl std::fmt::Display for Reference {
    /// In groups of four, four and two, as people read it out: `7KQ2-M9XD-4T`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> AskContent {
        AskContent {
            v: 1,
            name: "Sam".into(),
            contact: Contact::Phone { number: "07700 900123".into(), when: "weekday mornings".into() },
            words: "Is the café job still open? I use a wheelchair.".into(),
            consent: true,
        }
    }

    #[test]
    fn only_the_listing_hub_opens_an_ask() {
        let hub = SecretKey::generate(&mut rand::rngs::OsRng);
        let other = SecretKey::generate(&mut rand::rngs::OsRng);
        let sealed = seal(&content(), hub.public_key().as_bytes()).unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("Sam"), "nothing readable in the sealed bytes");
        assert_eq!(open(&sealed, &hub).unwrap(), content());
        assert!(matches!(open(&sealed, &other), Err(AskError::Open)), "another hub's key opens nothing");
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(matches!(open(&altered, &hub), Err(AskError::Open)), "an altered ask is refused");
        assert!(matches!(open(&[0; MAX_SEALED + 1], &hub), Err(AskError::TooLarge(_))));
        assert!(matches!(open(&[0; 20], &hub), Err(AskError::TooLarge(_))));
    }

    #[test]
    fn what_a_browser_seals_is_checked_when_opened() {
        let hub = SecretKey::generate(&mut rand::rngs::OsRng);
        let raw = |json: &str| hub.public_key().seal(&mut rand::rngs::OsRng, json.as_bytes()).unwrap();
        let good = r#"{"v":1,"name":"Sam","contact":{"how":"none"},"words":"","consent":true}"#;
        assert_eq!(open(&raw(good), &hub).unwrap().contact, Contact::None);
        let email = r#"{"v":1,"name":"Sam","contact":{"how":"email","address":"sam@example.org","when":""},"words":"hi","consent":true}"#;
        assert!(matches!(open(&raw(email), &hub).unwrap().contact, Contact::Email { .. }));
        for (bad, says) in [
            (r#"{"v":1,"name":"Sam","contact":{"how":"none"},"words":"","consent":false}"#, "consent"),
            (r#"{"v":1,"name":"","contact":{"how":"none"},"words":"","consent":true}"#, "name"),
            (
                r#"{"v":1,"name":"Sam","contact":{"how":"phone","number":"call me","when":""},"words":"","consent":true}"#,
                "contact.number",
            ),
            (
                r#"{"v":1,"name":"Sam","contact":{"how":"email","address":"sam","when":""},"words":"","consent":true}"#,
                "contact.address",
            ),
            (r#"{"v":2,"name":"Sam","contact":{"how":"none"},"words":"","consent":true}"#, "v:"),
            (r#"{"v":1,"name":"Sam","contact":{"how":"none"},"words":"","consent":true,"extra":1}"#, "unknown field"),
            (r#"{"v":1,"name":"Sam","contact":{"how":"pigeon"},"words":"","consent":true}"#, "pigeon"),
            ("not json", "expected"),
        ] {
            let e = open(&raw(bad), &hub).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let long = format!(
            r#"{{"v":1,"name":"Sam","contact":{{"how":"none"}},"words":"{}","consent":true}}"#,
            "a".repeat(1001)
        );
        assert!(open(&raw(&long), &hub).unwrap_err().to_string().contains("words"));
    }

    #[test]
    fn references_are_read_out_and_typed_back() {
        let r = Reference::new();
        assert_eq!(r.as_str().len(), 10);
        assert!(r.as_str().bytes().all(|b| ALPHABET.contains(&b)));
        let shown = r.to_string();
        assert_eq!(shown.len(), 12);
        assert_eq!(Reference::parse("reference", &shown).unwrap(), r);
        assert_eq!(Reference::parse("reference", &shown.to_lowercase().replace('-', " ")).unwrap(), r);
        assert_eq!(Reference::parse("r", "7kq2-m9xd-4t").unwrap().as_str(), "7KQ2M9XD4T");
        assert_eq!(Reference::parse("r", "7KQ2-M9XD-4O").unwrap().as_str(), "7KQ2M9XD40", "O is read as 0");
        for bad in ["", "7KQ2-M9XD", "7KQ2-M9XD-4TT", "7KQ2-M9XD-4U", "é7KQ2M9XD4"] {
            assert!(Reference::parse("reference", bad).unwrap_err().to_string().starts_with("reference: "), "{bad}");
        }
        assert_ne!(Reference::new(), Reference::new());
    }
}
