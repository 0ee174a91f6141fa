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
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ulid::Ulid;

use crate::event::Family;
use crate::slug::Slug;
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

/// Where asks travel: `kith-ask.<region>.<hub>.<id>`, outside the region's stream of
/// listings (`kith.<region>.>`, which only hubs write), so that no hub id can
/// collide with it and a stream of its own keeps asks until their hub reads them.
pub fn subject(region: &Slug, hub: &Slug, id: Ulid) -> String {
    format!("{ASK_PREFIX}.{region}.{hub}.{id}")
}

/// Every ask addressed to `hub`.
pub fn hub_wildcard(region: &Slug, hub: &Slug) -> String {
    format!("{ASK_PREFIX}.{region}.{hub}.*")
}

/// Every ask of the region: the subjects of its asks stream.
pub fn region_wildcard(region: &Slug) -> String {
    format!("{ASK_PREFIX}.{region}.>")
}

/// The stream that holds a region's asks until their hubs read them:
/// `KITH_ASKS_<REGION>`.
pub fn stream_name(region: &Slug) -> String {
    format!("KITH_ASKS_{}", region.as_str().to_ascii_uppercase().replace('-', "_"))
}

const ASK_PREFIX: &str = "kith-ask";

/// An ask as it travels: which listing it is about, the reference the person
/// keeps, the sealed content, and the relay that took it, which signs all of it.
/// A hub takes an ask only from a relay whose key it trusts ([`Ask::verify`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    pub id: Ulid,
    pub region: Slug,
    /// The listing's hub: the only one that can open it.
    pub hub: Slug,
    pub family: Family,
    pub listing: Ulid,
    pub reference: Reference,
    /// [`AskContent`] as a sealed box to `hub`'s box key.
    pub sealed: Vec<u8>,
    /// When the relay took it (its clock).
    pub at_ms: i64,
    /// The relay's name in the region, and its ed25519 key.
    pub relay: String,
    pub relay_key: [u8; 32],
    pub signature: Vec<u8>,
}

/// What a relay signs: everything but the signature, postcard-encoded.
#[derive(Serialize)]
struct Signed<'a> {
    id: Ulid,
    region: &'a Slug,
    hub: &'a Slug,
    family: Family,
    listing: Ulid,
    reference: &'a Reference,
    sealed: &'a [u8],
    at_ms: i64,
    relay: &'a str,
    relay_key: &'a [u8; 32],
}

/// Why an ask is refused by the hub it reached.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum AskRefused {
    #[error("the ask cannot be decoded: {0}")]
    Decode(String),
    #[error("the ask is for hub {hub} of region {region}, not for this one")]
    NotForUs { region: Slug, hub: Slug },
    #[error("the ask came on {subject}, which is not its own subject")]
    Subject { subject: String },
    #[error("the ask is signed by relay {relay}, whose key this hub does not trust")]
    UnknownRelay { relay: String },
    #[error("the ask's signature does not verify: altered, or not from the relay it names")]
    Signature,
    #[error("the sealed ask is {0} bytes; it is at most {MAX_SEALED}")]
    TooLarge(usize),
}

impl Ask {
    fn signed(&self) -> Vec<u8> {
        let s = Signed {
            id: self.id,
            region: &self.region,
            hub: &self.hub,
            family: self.family,
            listing: self.listing,
            reference: &self.reference,
            sealed: &self.sealed,
            at_ms: self.at_ms,
            relay: &self.relay,
            relay_key: &self.relay_key,
        };
        postcard::to_stdvec(&s).expect("an ask always encodes")
    }

    /// A new ask, signed by relay `relay` with `key`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        region: &Slug,
        hub: &Slug,
        family: Family,
        listing: Ulid,
        reference: Reference,
        sealed: Vec<u8>,
        at_ms: i64,
        relay: &str,
        key: &SigningKey,
    ) -> Result<Ask, AskError> {
        check_size(&sealed)?;
        let mut ask = Ask {
            id: Ulid::new(),
            region: region.clone(),
            hub: hub.clone(),
            family,
            listing,
            reference,
            sealed,
            at_ms,
            relay: relay.to_owned(),
            relay_key: key.verifying_key().to_bytes(),
            signature: Vec::new(),
        };
        ask.signature = key.sign(&ask.signed()).to_bytes().to_vec();
        Ok(ask)
    }

    /// The bytes that travel.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("an ask always encodes")
    }

    /// Reads an ask that reached hub `hub` of `region` on `subject`, and checks it: for
    /// this hub, on its own subject, within size, signed (strictly) by a relay whose
    /// key is one of `trusted`.
    pub fn verify(
        bytes: &[u8],
        subject: &str,
        region: &Slug,
        hub: &Slug,
        trusted: &[VerifyingKey],
    ) -> Result<Ask, AskRefused> {
        if bytes.len() > MAX_SEALED + 1024 {
            return Err(AskRefused::TooLarge(bytes.len()));
        }
        let ask: Ask = postcard::from_bytes(bytes).map_err(|e| AskRefused::Decode(e.to_string()))?;
        if ask.region != *region || ask.hub != *hub {
            return Err(AskRefused::NotForUs { region: ask.region, hub: ask.hub });
        }
        if subject != self::subject(region, hub, ask.id) {
            return Err(AskRefused::Subject { subject: subject.to_owned() });
        }
        if check_size(&ask.sealed).is_err() {
            return Err(AskRefused::TooLarge(ask.sealed.len()));
        }
        let Some(key) = trusted.iter().find(|k| k.to_bytes() == ask.relay_key) else {
            return Err(AskRefused::UnknownRelay { relay: ask.relay });
        };
        let signature = Signature::from_slice(&ask.signature).map_err(|_| AskRefused::Signature)?;
        key.verify_strict(&ask.signed(), &signature).map_err(|_| AskRefused::Signature)?;
        Ok(ask)
    }
}

/// What a hub says of the asks it takes, in its profile: whether it takes any, how
/// many a day, and the listings it takes none about. A relay offers "Ask about
/// this" only where the hub's policy allows, and sends no more than its cap a day;
/// the hub holds senders to the same policy when asks arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskPolicy {
    /// The hub takes asks: it has said which relays it takes them from
    /// (`ask_relays` in `hub.toml`) and has not paused them.
    pub open: bool,
    /// Asks a day, at most, across its listings (the region's day).
    pub daily_cap: u32,
    /// Listings the hub takes no asks about: the board shows only how to call.
    pub closed: Vec<Ulid>,
}

impl AskPolicy {
    /// The most listings a policy may close one by one.
    pub const MAX_CLOSED: usize = 1000;
    /// The highest daily cap.
    pub const MAX_DAILY_CAP: u32 = 10_000;
    /// The cap of a hub that has not set one.
    pub const DEFAULT_DAILY_CAP: u32 = 50;

    pub fn validate(self) -> Result<AskPolicy, ValidationError> {
        if self.closed.len() > Self::MAX_CLOSED {
            return Err(ValidationError::new(
                "asks.closed",
                format!("at most {} listings, not {}", Self::MAX_CLOSED, self.closed.len()),
            ));
        }
        if self.daily_cap > Self::MAX_DAILY_CAP {
            return Err(ValidationError::new(
                "asks.daily_cap",
                format!("at most {} a day, not {}", Self::MAX_DAILY_CAP, self.daily_cap),
            ));
        }
        Ok(self)
    }

    /// Whether the hub takes asks about this listing.
    pub fn takes(&self, listing: Ulid) -> bool {
        self.open && self.daily_cap > 0 && !self.closed.contains(&listing)
    }
}

/// Where an ask stands, as its hub says and the person's status page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AskStatus {
    /// The hub has it.
    Received,
    /// Someone from the group has been in touch (or tried to).
    Contacted,
    /// Nothing more will come of it.
    Closed,
    /// The hub did not take it (its day's asks were used up, or asks paused): the
    /// person is asked to call instead.
    NotTaken,
}

impl AskStatus {
    pub const ALL: [AskStatus; 4] = [AskStatus::Received, AskStatus::Contacted, AskStatus::Closed, AskStatus::NotTaken];

    pub fn name(self) -> &'static str {
        match self {
            AskStatus::Received => "received",
            AskStatus::Contacted => "contacted",
            AskStatus::Closed => "closed",
            AskStatus::NotTaken => "not-taken",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<AskStatus, ValidationError> {
        AskStatus::ALL.into_iter().find(|s| s.name() == value).ok_or_else(|| {
            ValidationError::new(
                field,
                format!("must be one of received, contacted, closed, not-taken (got {value:?})"),
            )
        })
    }

    /// Whether a hub may move an ask from `self` to `to`: forward only, and a
    /// closed (or not taken) ask stays so.
    pub fn may_become(self, to: AskStatus) -> bool {
        use AskStatus::*;
        matches!((self, to), (Received, Contacted | Closed) | (Contacted, Closed))
    }
}

/// A hub's word on one of its asks, published on the region's stream
/// (`kith.<region>.<hub>.ask.<id>`): the ask's id, a hash of its reference (so that
/// any relay can answer `/ask/REFERENCE`, and the stream's readers cannot tell which
/// reference it is), the status — and the hub's own copy of the ask, sealed to its
/// own box key, which nobody else can open: a hub restored from an older backup
/// takes its asks back from it ([`seal_kept`], [`open_kept`]). The stream keeps one
/// message per subject, so once what the person wrote is erased the answer that
/// says so (`kept` empty, `erased` set) is all the stream holds of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskAnswer {
    pub id: Ulid,
    pub reference_hash: [u8; 16],
    pub status: AskStatus,
    /// The hub's record of the ask (its own encoding), sealed to its own box key;
    /// empty once nothing of the person is kept.
    pub kept: Vec<u8>,
    /// What the person wrote was erased.
    pub erased: bool,
}

/// The most a hub's sealed copy of an ask may be.
pub const MAX_KEPT: usize = MAX_SEALED + 4096;

impl AskAnswer {
    pub fn validate(self) -> Result<AskAnswer, ValidationError> {
        if self.kept.len() > MAX_KEPT {
            return Err(ValidationError::new("kept", format!("at most {MAX_KEPT} bytes, not {}", self.kept.len())));
        }
        Ok(self)
    }
}

/// Seals a hub's own record of an ask to its own box key.
pub fn seal_kept(record: &[u8], own_box_key: &[u8; 32]) -> Result<Vec<u8>, AskError> {
    let sealed = PublicKey::from(*own_box_key).seal(&mut rand::rngs::OsRng, record).map_err(|_| AskError::Key)?;
    if sealed.len() > MAX_KEPT {
        return Err(AskError::TooLarge(sealed.len()));
    }
    Ok(sealed)
}

/// Opens a hub's own sealed record of an ask with any of its box secrets (the
/// current one first: it may have been sealed before a key change).
pub fn open_kept(sealed: &[u8], secrets: &[SecretKey]) -> Result<Vec<u8>, AskError> {
    secrets.iter().find_map(|s| s.unseal(sealed).ok()).ok_or(AskError::Open)
}

/// The hash of a reference that a hub's [`AskAnswer`] carries: SHA-256 with a
/// context of its own, its first 16 bytes.
pub fn reference_hash(reference: &Reference) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"kith/ask-reference/v1\0");
    h.update(reference.as_str().as_bytes());
    h.finalize()[..16].try_into().expect("16 of 32 bytes")
}

/// The durable consumer through which a hub reads its asks (`asks-<hub>`).
pub fn consumer(hub: &Slug) -> String {
    format!("asks-{hub}")
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

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    #[test]
    fn a_hub_takes_an_ask_only_from_a_trusted_relay_for_itself_unaltered() {
        let (region, hub) = (slug("west-yorkshire"), slug("rainbow"));
        let box_key = SecretKey::generate(&mut rand::rngs::OsRng);
        let relay = SigningKey::from_bytes(&[7; 32]);
        let stranger = SigningKey::from_bytes(&[8; 32]);
        let trusted = [relay.verifying_key()];
        let sealed = seal(&content(), box_key.public_key().as_bytes()).unwrap();
        let listing = Ulid::new();
        let make = |key: &SigningKey| {
            Ask::new(&region, &hub, Family::SafeHouses, listing, Reference::new(), sealed.clone(), 5, "relay-1", key)
                .unwrap()
        };
        let ask = make(&relay);
        let on = subject(&region, &hub, ask.id);
        assert_eq!(on, format!("kith-ask.west-yorkshire.rainbow.{}", ask.id));
        let taken = Ask::verify(&ask.encode(), &on, &region, &hub, &trusted).unwrap();
        assert_eq!(taken, ask);
        assert_eq!(open(&taken.sealed, &box_key).unwrap(), content());

        let forged = make(&stranger);
        let refused = Ask::verify(&forged.encode(), &subject(&region, &hub, forged.id), &region, &hub, &trusted);
        assert_eq!(refused, Err(AskRefused::UnknownRelay { relay: "relay-1".into() }));
        // A stranger naming the trusted relay's key cannot sign for it.
        let mut claimed = forged.clone();
        claimed.relay_key = relay.verifying_key().to_bytes();
        let refused = Ask::verify(&claimed.encode(), &subject(&region, &hub, claimed.id), &region, &hub, &trusted);
        assert_eq!(refused, Err(AskRefused::Signature));
        // Altered on the way: another listing.
        let mut altered = ask.clone();
        altered.listing = Ulid::new();
        assert_eq!(Ask::verify(&altered.encode(), &on, &region, &hub, &trusted), Err(AskRefused::Signature));
        // For another hub, or on another subject.
        let other = slug("garden");
        assert!(matches!(
            Ask::verify(&ask.encode(), &subject(&region, &other, ask.id), &region, &other, &trusted),
            Err(AskRefused::NotForUs { .. })
        ));
        assert!(matches!(
            Ask::verify(&ask.encode(), &subject(&region, &hub, Ulid::new()), &region, &hub, &trusted),
            Err(AskRefused::Subject { .. })
        ));
        assert!(matches!(Ask::verify(b"junk", &on, &region, &hub, &trusted), Err(AskRefused::Decode(_))));
        assert_eq!(stream_name(&region), "KITH_ASKS_WEST_YORKSHIRE");
        assert_eq!(hub_wildcard(&region, &hub), "kith-ask.west-yorkshire.rainbow.*");
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
