//! The signed envelope around every event a hub publishes.
//!
//! On the wire an envelope is `postcard(Wire { signed, signature })`, where `signed`
//! is `postcard(Envelope)` and `signature` is ed25519 over a context string followed
//! by exactly those `signed` bytes. The signature is checked over the bytes *as
//! received*, never over a re-encoding: postcard accepts non-canonical varints, so
//! re-encoding could change what was signed. Decoding is strict: trailing bytes,
//! unknown versions and oversized messages are refused.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ulid::Ulid;

use crate::event::Event;
use crate::rotation;
use crate::slug::Slug;
use crate::subject::Subject;

/// The envelope version this build writes and accepts.
pub const VERSION: u16 = 1;

/// The largest envelope accepted, in bytes. The largest valid listing is far below
/// this; anything bigger is refused before it is decoded.
pub const MAX_ENVELOPE_BYTES: usize = 64 * 1024;

/// Domain separation: a Kith envelope signature can never be mistaken for a
/// signature over anything else made with the same key.
const SIGNING_CONTEXT: &[u8] = b"kith/envelope/v1\0";

/// The signed part of an envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Read first, so that a future version is refused before anything else is parsed.
    pub version: u16,
    /// Globally unique; also the JetStream `Nats-Msg-Id`, so a re-publish is de-duplicated.
    pub id: Ulid,
    pub region: Slug,
    pub hub: Slug,
    /// The hub's own sequence number, increasing with every write: the relay applies
    /// an event only if it is newer than what it has for that entity.
    pub hub_seq: u64,
    /// The hub's clock when the event was written (Unix milliseconds).
    pub at_ms: i64,
    /// `postcard(Event)`.
    pub body: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    signed: Vec<u8>,
    signature: Vec<u8>,
}

/// Why an envelope was refused. [`EnvelopeError::reason`] names it for counters.
#[derive(Debug, Error)]
pub enum EnvelopeError {
    #[error("envelope is {size} bytes; the limit is {MAX_ENVELOPE_BYTES}")]
    TooLarge { size: usize },
    #[error("envelope cannot be decoded: {0}")]
    Malformed(String),
    #[error("envelope version {0} is not supported (this build reads version {VERSION})")]
    UnknownVersion(u16),
    #[error("subject {subject:?} does not match the envelope: {why}")]
    SubjectMismatch { subject: String, why: String },
    #[error("signature does not verify with hub {hub:?}'s pinned key")]
    BadSignature { hub: String },
    #[error("hub {hub:?} has no pinned key yet (its profile has not been seen)")]
    UnknownHub { hub: String },
    #[error(
        "profile of hub {hub:?} carries a key that is not its pinned key, and no rotation signed by the pinned key leads to it"
    )]
    KeyNotPinned { hub: String },
    #[error("cannot encode envelope: {0}")]
    Encode(String),
}

impl EnvelopeError {
    /// A stable, short name for the kind of refusal.
    pub fn reason(&self) -> &'static str {
        match self {
            EnvelopeError::TooLarge { .. } => "too-large",
            EnvelopeError::Malformed(_) => "malformed",
            EnvelopeError::UnknownVersion(_) => "unknown-version",
            EnvelopeError::SubjectMismatch { .. } => "subject-mismatch",
            EnvelopeError::BadSignature { .. } => "bad-signature",
            EnvelopeError::UnknownHub { .. } => "unknown-hub",
            EnvelopeError::KeyNotPinned { .. } => "key-not-pinned",
            EnvelopeError::Encode(_) => "encode",
        }
    }
}

/// A freshly signed envelope, ready to be stored in the outbox and published.
#[derive(Clone, Debug)]
pub struct Sealed {
    pub envelope: Envelope,
    pub subject: Subject,
    /// The bytes to publish.
    pub bytes: Vec<u8>,
}

/// Encodes and signs `event` as hub `hub` of `region`.
pub fn seal(
    region: &Slug,
    hub: &Slug,
    hub_seq: u64,
    at_ms: i64,
    event: &Event,
    key: &SigningKey,
) -> Result<Sealed, EnvelopeError> {
    let body = postcard::to_stdvec(event).map_err(|e| EnvelopeError::Encode(e.to_string()))?;
    let envelope =
        Envelope { version: VERSION, id: Ulid::new(), region: region.clone(), hub: hub.clone(), hub_seq, at_ms, body };
    let signed = postcard::to_stdvec(&envelope).map_err(|e| EnvelopeError::Encode(e.to_string()))?;
    let signature = key.sign(&signing_input(&signed)).to_bytes().to_vec();
    let bytes = postcard::to_stdvec(&Wire { signed, signature }).map_err(|e| EnvelopeError::Encode(e.to_string()))?;
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(EnvelopeError::TooLarge { size: bytes.len() });
    }
    let subject = Subject::new(region, hub, event.entity());
    Ok(Sealed { envelope, subject, bytes })
}

/// A verified envelope and its event.
#[derive(Clone, Debug)]
pub struct Opened {
    pub envelope: Envelope,
    pub subject: Subject,
    pub event: Event,
    /// The key that verified the signature (the pinned key, or for a hub's first
    /// profile, the key that profile carries).
    pub signer: VerifyingKey,
}

/// Decodes and verifies an envelope received on `subject`.
///
/// `pinned` is the key already pinned for the subject's hub. Without one, only a
/// profile is accepted, verified with the key it carries itself (trust on first use).
/// With one, the signature must verify with it; a profile that announces a new key
/// is accepted only when signed by that new key and its rotations lead from the
/// pinned key to it (`crate::rotation`).
pub fn open(raw: &[u8], subject: &str, pinned: Option<&VerifyingKey>) -> Result<Opened, EnvelopeError> {
    decode(raw, subject)?.verify(pinned)
}

/// An envelope decoded and checked against its subject, its signature not yet
/// verified: [`open`] in two steps, so that many can be verified at once on every
/// core ([`Decoded::is_signed_by`]) before they are handled one by one.
#[derive(Clone, Debug)]
pub struct Decoded {
    envelope: Envelope,
    subject: Subject,
    event: Event,
    signature: Signature,
    /// What was signed: the context and the bytes as received.
    message: Vec<u8>,
}

/// Everything [`open`] checks except the signature.
pub fn decode(raw: &[u8], subject: &str) -> Result<Decoded, EnvelopeError> {
    if raw.len() > MAX_ENVELOPE_BYTES {
        return Err(EnvelopeError::TooLarge { size: raw.len() });
    }
    let wire: Wire = strict(raw)?;
    // The version is the first field: read it alone so a future layout is reported
    // as a version problem rather than as garbage.
    let (version, _) =
        postcard::take_from_bytes::<u16>(&wire.signed).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
    if version != VERSION {
        return Err(EnvelopeError::UnknownVersion(version));
    }
    let envelope: Envelope = strict(&wire.signed)?;
    let mismatch = |why: String| EnvelopeError::SubjectMismatch { subject: subject.to_owned(), why };
    let parsed = Subject::parse(subject).map_err(|e| mismatch(e.to_string()))?;
    if parsed.region != envelope.region {
        return Err(mismatch(format!("envelope region is {:?}", envelope.region.as_str())));
    }
    if parsed.hub != envelope.hub {
        return Err(mismatch(format!("envelope hub is {:?}", envelope.hub.as_str())));
    }
    let event: Event = strict(&envelope.body)?;
    if event.entity() != parsed.entity {
        return Err(mismatch(format!("event is about {} {:?}", event.name(), event.entity())));
    }
    let signature = Signature::from_slice(&wire.signature)
        .map_err(|_| EnvelopeError::Malformed(format!("signature is {} bytes, not 64", wire.signature.len())))?;
    let message = signing_input(&wire.signed);
    Ok(Decoded { envelope, subject: parsed, event, signature, message })
}

impl Decoded {
    /// The hub the envelope says it is from (the subject agrees).
    pub fn hub(&self) -> &Slug {
        &self.envelope.hub
    }

    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The envelope as decoded (its signature not yet verified).
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// Verifies the signature as [`open`] does.
    pub fn verify(self, pinned: Option<&VerifyingKey>) -> Result<Opened, EnvelopeError> {
        let hub = self.envelope.hub.to_string();
        let signer = match (pinned, &self.event) {
            (Some(key), Event::Profile(p)) if p.signing_key != key.to_bytes() => {
                // A rotation: signed by the new key (its holder announces it), which
                // the profile's chain shows the pinned key handed over to.
                let new = VerifyingKey::from_bytes(&p.signing_key).ok().filter(|new| {
                    new.verify_strict(&self.message, &self.signature).is_ok()
                        && rotation::leads(&p.rotations, &self.envelope.region, &self.envelope.hub, key, new)
                });
                new.ok_or(EnvelopeError::KeyNotPinned { hub })?
            }
            (Some(key), _) => {
                key.verify_strict(&self.message, &self.signature).map_err(|_| EnvelopeError::BadSignature { hub })?;
                *key
            }
            (None, Event::Profile(p)) => {
                let key = VerifyingKey::from_bytes(&p.signing_key)
                    .map_err(|_| EnvelopeError::BadSignature { hub: hub.clone() })?;
                key.verify_strict(&self.message, &self.signature).map_err(|_| EnvelopeError::BadSignature { hub })?;
                key
            }
            (None, _) => return Err(EnvelopeError::UnknownHub { hub }),
        };
        Ok(self.opened(signer))
    }

    /// Whether the signature verifies under `key`, strictly, as [`Decoded::verify`]
    /// with that pin checks it.
    pub fn is_signed_by(&self, key: &VerifyingKey) -> bool {
        key.verify_strict(&self.message, &self.signature).is_ok()
    }

    /// The envelope as opened, for one whose signature [`Decoded::is_signed_by`]
    /// found good under `key`.
    pub fn verified_by(self, key: VerifyingKey) -> Opened {
        self.opened(key)
    }

    fn opened(self, signer: VerifyingKey) -> Opened {
        Opened { envelope: self.envelope, subject: self.subject, event: self.event, signer }
    }
}

fn signing_input(signed: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_CONTEXT.len() + signed.len());
    m.extend_from_slice(SIGNING_CONTEXT);
    m.extend_from_slice(signed);
    m
}

/// postcard decoding that refuses trailing bytes (postcard's `from_bytes` ignores them).
fn strict<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, EnvelopeError> {
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(EnvelopeError::Malformed(format!("{} trailing bytes", rest.len())));
    }
    Ok(value)
}

/// Builds wire bytes from parts without any checks. Only for tests that need to
/// forge envelopes (wrong hub, wrong key, future version) to prove they are refused.
#[doc(hidden)]
pub fn forge(envelope: &Envelope, key: &SigningKey) -> Vec<u8> {
    let signed = postcard::to_stdvec(envelope).expect("encode");
    let signature = key.sign(&signing_input(&signed)).to_bytes().to_vec();
    postcard::to_stdvec(&Wire { signed, signature }).expect("encode")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HubProfile;
    use crate::rotation::KeyRotation;
    use rand::rngs::OsRng;

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    fn profile(key: &SigningKey) -> Event {
        Event::Profile(HubProfile {
            name: "Peer Garden".into(),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: key.verifying_key().to_bytes(),
            box_key: [7; 32],
            rotations: vec![],
            left: false,
            digest: None,
            asks: Default::default(),
            unmet_work: Vec::new(),
            language: String::new(),
        })
    }

    #[test]
    fn sealed_envelopes_open() {
        let key = SigningKey::generate(&mut OsRng);
        let (r, h) = (slug("wy"), slug("garden"));
        let sealed = seal(&r, &h, 1, 5, &profile(&key), &key).unwrap();
        let subject = sealed.subject.to_string();
        assert_eq!(subject, "kith.wy.garden.profile");
        // First sight: verified with the key the profile carries.
        let opened = open(&sealed.bytes, &subject, None).unwrap();
        assert_eq!(opened.envelope, sealed.envelope);
        assert_eq!(opened.signer, key.verifying_key());
        // Later: verified with the pinned key.
        open(&sealed.bytes, &subject, Some(&key.verifying_key())).unwrap();
    }

    #[test]
    fn decoding_then_verifying_is_opening() {
        let (a, b) = (SigningKey::generate(&mut OsRng), SigningKey::generate(&mut OsRng));
        let (r, h) = (slug("wy"), slug("garden"));
        let decoded: Vec<Decoded> = (0..10)
            .map(|i| {
                let s = seal(&r, &h, i, 5, &profile(&a), &a).unwrap();
                decode(&s.bytes, &s.subject.to_string()).unwrap()
            })
            .collect();
        let (ka, kb) = (a.verifying_key(), b.verifying_key());
        assert!(decoded.iter().all(|d| d.is_signed_by(&ka) && !d.is_signed_by(&kb)));
        let opened = decoded[0].clone().verify(Some(&ka)).unwrap();
        assert_eq!(opened.signer, ka);
        assert_eq!(decoded[0].clone().verified_by(ka).envelope, opened.envelope);
        assert_eq!(decoded[0].clone().verify(Some(&kb)).unwrap_err().reason(), "key-not-pinned");
    }

    /// Why signatures are never checked with ed25519 batch verification: a key holder
    /// signs with `R = rB + T`, `T` of order 2; the strict check refuses it, but the
    /// batch check (its weights drawn from a transcript of the whole chunk) accepts
    /// it beside about half of the chunks it could be in, so two relays reading the
    /// same stream in other chunks would disagree. Making the batch exact (checking
    /// every `R` for a torsion part) costs more than the strict checks it would save.
    #[test]
    fn a_signature_with_a_small_order_part_is_refused_whatever_else_is_checked_with_it() {
        use curve25519_dalek::constants::ED25519_BASEPOINT_POINT as B;
        use curve25519_dalek::edwards::CompressedEdwardsY;
        use curve25519_dalek::scalar::Scalar;
        use sha2::{Digest, Sha512};
        let key = SigningKey::generate(&mut OsRng);
        let a = key.to_scalar();
        let public = key.verifying_key();
        assert_eq!((a * B).compress().to_bytes(), public.to_bytes());
        // The point of order 2, (0, -1).
        let mut t = [0xff; 32];
        t[0] = 0xec;
        t[31] = 0x7f;
        let t = CompressedEdwardsY(t).decompress().unwrap();
        assert!(t.is_small_order() && t != curve25519_dalek::EdwardsPoint::default());
        let message = b"kith: a profile signed by its own hub".as_slice();
        let r = Scalar::from_bytes_mod_order_wide(&[7; 64]);
        let big_r = (r * B + t).compress();
        let k = Scalar::from_hash(
            Sha512::new().chain_update(big_r.as_bytes()).chain_update(public.as_bytes()).chain_update(message),
        );
        let s = r + k * a;
        let forged = Signature::from_components(big_r.to_bytes(), s.to_bytes());
        assert!(public.verify_strict(message, &forged).is_err(), "the strict check refuses it");
        let mut raw_accepted = 0;
        for i in 0..64u8 {
            let other = [b'm', i];
            let honest = key.sign(&other);
            let (messages, signatures, keys) = ([&other[..], message], [honest, forged], [public, public]);
            assert!(public.verify_strict(&other, &honest).is_ok());
            raw_accepted += usize::from(ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok());
        }
        assert!(raw_accepted > 0, "a batch check accepts it beside some chunks: {raw_accepted} of 64");
    }

    #[test]
    fn forgeries_are_refused_with_their_reason() {
        let key = SigningKey::generate(&mut OsRng);
        let other = SigningKey::generate(&mut OsRng);
        let (r, h) = (slug("wy"), slug("garden"));
        let ev = Event::OpportunityWithdrawn { id: Ulid::new() };
        let sealed = seal(&r, &h, 2, 5, &ev, &key).unwrap();
        let subject = sealed.subject.to_string();
        let pinned = key.verifying_key();

        let check = |bytes: &[u8], subject: &str, pinned: Option<&VerifyingKey>, reason: &str| {
            let e = open(bytes, subject, pinned).unwrap_err();
            assert_eq!(e.reason(), reason, "{e}");
        };
        // Signed by another hub's key.
        check(&forge(&sealed.envelope, &other), &subject, Some(&pinned), "bad-signature");
        // A flipped bit in the signed bytes.
        let mut flipped = sealed.bytes.clone();
        let n = flipped.len();
        flipped[n - 70] ^= 1;
        assert!(open(&flipped, &subject, Some(&pinned)).is_err());
        // Published on another hub's subject.
        check(&sealed.bytes, &subject.replace(".garden.", ".co-op."), Some(&pinned), "subject-mismatch");
        // Envelope about another entity than the subject's.
        let other_id = format!("kith.wy.garden.opportunity.{}", Ulid::new());
        check(&sealed.bytes, &other_id, Some(&pinned), "subject-mismatch");
        // A hub nobody has pinned.
        check(&sealed.bytes, &subject, None, "unknown-hub");
        // A future version.
        let mut future = sealed.envelope.clone();
        future.version = 2;
        check(&forge(&future, &key), &subject, Some(&pinned), "unknown-version");
        // Trailing bytes and oversize.
        let mut trailing = sealed.bytes.clone();
        trailing.push(0);
        check(&trailing, &subject, Some(&pinned), "malformed");
        check(&vec![0u8; MAX_ENVELOPE_BYTES + 1], &subject, Some(&pinned), "too-large");
        // A profile with a new key signed by the new key: not a valid rotation.
        let p = seal(&r, &h, 3, 5, &profile(&other), &other).unwrap();
        check(&p.bytes, &p.subject.to_string(), Some(&pinned), "key-not-pinned");
    }

    #[test]
    fn a_rotation_is_signed_by_the_new_key_and_chained_from_the_old() {
        let (r, h) = (slug("wy"), slug("garden"));
        let old = SigningKey::generate(&mut OsRng);
        let new = SigningKey::generate(&mut OsRng);
        let rotated = |signer: &SigningKey, rotation: KeyRotation| {
            let Event::Profile(mut p) = profile(&new) else { unreachable!() };
            p.rotations = vec![rotation];
            let sealed = seal(&r, &h, 9, 5, &Event::Profile(p), signer).unwrap();
            open(&sealed.bytes, &sealed.subject.to_string(), Some(&old.verifying_key()))
        };
        let good = KeyRotation::sign(&r, &h, &old, &new.verifying_key(), [7; 32], 5);
        assert_eq!(rotated(&new, good.clone()).unwrap().signer, new.verifying_key());
        // Signed by the old key only (no proof the announcer holds the new one).
        assert_eq!(rotated(&old, good).unwrap_err().reason(), "key-not-pinned");
        // A chain not signed by the pinned key.
        let thief = SigningKey::generate(&mut OsRng);
        let forged = KeyRotation::sign(&r, &h, &thief, &new.verifying_key(), [7; 32], 5);
        assert_eq!(rotated(&new, forged).unwrap_err().reason(), "key-not-pinned");
    }
}
