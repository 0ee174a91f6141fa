//! A hub's key history: how a hub changes its keys without anyone having to trust
//! the new ones on faith.
//!
//! `kith keys rotate` makes new signing and box keys and a [`KeyRotation`]: the old
//! signing key's signature over the new keys. The hub's profile carries its latest
//! rotations ([`MAX_ROTATIONS`]) and is signed by the *new* key, so a rotation is
//! signed twice: by the old key (it was the hub) and by the new one (whoever
//! announces it holds it). A reader that pinned any key on the chain follows the
//! chain to the newest key ([`leads`]); one that pinned nothing trusts the profile's
//! own key on first use (or a region's roster, `crate::roster`), as before.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::Slug;

/// How many rotations a profile carries, newest last. A reader that was away for
/// more rotations than this must be told the hub's key again (a roster, or
/// `--unpin`).
pub const MAX_ROTATIONS: usize = 8;

/// Domain separation from envelope signatures made with the same key.
const CONTEXT: &[u8] = b"kith/rotation/v1\0";

/// One change of a hub's keys, signed by the key it replaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRotation {
    /// The signing key before.
    pub from: [u8; 32],
    /// The signing key after.
    pub to: [u8; 32],
    /// The x25519 key referrals are sealed to after.
    pub box_key: [u8; 32],
    /// When (Unix milliseconds, the hub's clock).
    pub at_ms: i64,
    /// ed25519 by `from` over the context, region, hub and the fields above.
    pub signature: Vec<u8>,
}

impl KeyRotation {
    /// The rotation from `old` to `new` (and `box_key`), signed by `old`.
    pub fn sign(
        region: &Slug,
        hub: &Slug,
        old: &SigningKey,
        new: &VerifyingKey,
        box_key: [u8; 32],
        at_ms: i64,
    ) -> KeyRotation {
        let from = old.verifying_key().to_bytes();
        let to = new.to_bytes();
        let signature = old.sign(&message(region, hub, &from, &to, &box_key, at_ms)).to_bytes().to_vec();
        KeyRotation { from, to, box_key, at_ms, signature }
    }

    /// Whether `from` signed this rotation of hub `hub` of `region`.
    pub fn verifies(&self, region: &Slug, hub: &Slug) -> bool {
        let Ok(from) = VerifyingKey::from_bytes(&self.from) else { return false };
        let Ok(signature) = Signature::from_slice(&self.signature) else { return false };
        from.verify_strict(&message(region, hub, &self.from, &self.to, &self.box_key, self.at_ms), &signature).is_ok()
    }
}

/// Whether `chain` leads from `pinned` to `to`: it holds a rotation from `pinned`,
/// and from there each rotation starts where the one before ended, each signed by
/// the key it replaces, and the last ends at `to`.
pub fn leads(chain: &[KeyRotation], region: &Slug, hub: &Slug, pinned: &VerifyingKey, to: &VerifyingKey) -> bool {
    let Some(start) = chain.iter().position(|r| r.from == pinned.to_bytes()) else { return false };
    let mut at = pinned.to_bytes();
    for rotation in &chain[start..] {
        if rotation.from != at || !rotation.verifies(region, hub) {
            return false;
        }
        at = rotation.to;
    }
    at == to.to_bytes()
}

/// `chain` with `rotation` appended, keeping the newest [`MAX_ROTATIONS`].
pub fn extend(mut chain: Vec<KeyRotation>, rotation: KeyRotation) -> Vec<KeyRotation> {
    chain.push(rotation);
    let excess = chain.len().saturating_sub(MAX_ROTATIONS);
    chain.drain(..excess);
    chain
}

fn message(region: &Slug, hub: &Slug, from: &[u8; 32], to: &[u8; 32], box_key: &[u8; 32], at_ms: i64) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + 64 + 3 * 32 + 8);
    m.extend_from_slice(CONTEXT);
    for part in [region.as_str(), hub.as_str()] {
        m.extend_from_slice(part.as_bytes());
        m.push(0);
    }
    m.extend_from_slice(from);
    m.extend_from_slice(to);
    m.extend_from_slice(box_key);
    m.extend_from_slice(&at_ms.to_be_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::OsRng;

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    #[test]
    fn a_chain_leads_from_any_key_on_it_to_the_newest() {
        let (r, h) = (slug("wy"), slug("garden"));
        let keys: Vec<SigningKey> = (0..4).map(|_| SigningKey::generate(&mut OsRng)).collect();
        let mut chain = Vec::new();
        for pair in keys.windows(2) {
            chain = extend(chain, KeyRotation::sign(&r, &h, &pair[0], &pair[1].verifying_key(), [1; 32], 5));
        }
        let newest = keys[3].verifying_key();
        for k in &keys[..3] {
            assert!(leads(&chain, &r, &h, &k.verifying_key(), &newest));
        }
        // Not to another key, not from a key off the chain, not for another hub.
        assert!(!leads(&chain, &r, &h, &keys[0].verifying_key(), &keys[2].verifying_key()));
        let stranger = SigningKey::generate(&mut OsRng).verifying_key();
        assert!(!leads(&chain, &r, &h, &stranger, &newest));
        assert!(!leads(&chain, &r, &slug("co-op"), &keys[0].verifying_key(), &newest));
        // A link changed after signing breaks the chain.
        let mut forged = chain.clone();
        forged[1].box_key = [2; 32];
        assert!(!leads(&forged, &r, &h, &keys[0].verifying_key(), &newest));
        // A link inserted by someone without the old key.
        let thief = SigningKey::generate(&mut OsRng);
        let stolen = extend(chain.clone(), KeyRotation::sign(&r, &h, &thief, &thief.verifying_key(), [3; 32], 6));
        assert!(!leads(&stolen, &r, &h, &keys[0].verifying_key(), &thief.verifying_key()));
    }

    #[test]
    fn a_chain_keeps_the_newest_rotations() {
        let (r, h) = (slug("wy"), slug("garden"));
        let mut chain = Vec::new();
        let mut key = SigningKey::generate(&mut OsRng);
        let first = key.verifying_key();
        for _ in 0..MAX_ROTATIONS + 2 {
            let next = SigningKey::generate(&mut OsRng);
            chain = extend(chain, KeyRotation::sign(&r, &h, &key, &next.verifying_key(), [1; 32], 5));
            key = next;
        }
        assert_eq!(chain.len(), MAX_ROTATIONS);
        assert!(!leads(&chain, &r, &h, &first, &key.verifying_key()), "too long ago to follow");
    }
}
