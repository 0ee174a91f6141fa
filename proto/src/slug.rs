//! Region and hub ids: lowercase slugs, `[a-z0-9-]{1,48}`, so that an id is always
//! exactly one NATS subject token and can never smuggle in `.`, `*` or `>`.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::validate::ValidationError;

/// The longest slug allowed.
pub const MAX_SLUG_LEN: usize = 48;

/// A validated region or hub id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Validates `value` as the slug for `field` (named in the error).
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        if value.is_empty() || value.len() > MAX_SLUG_LEN {
            return Err(ValidationError::new(
                field,
                format!("must be 1 to {MAX_SLUG_LEN} characters of a-z, 0-9 and - (got {:?})", value),
            ));
        }
        if let Some(c) = value.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
            return Err(ValidationError::new(
                field,
                format!("must use only a-z, 0-9 and - (found {c:?} in {value:?})"),
            ));
        }
        Ok(Slug(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Slug {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse("id", s)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Deserialising validates too: a slug read off the wire or from a config file is
/// as trustworthy as one typed at the CLI.
impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse("slug", &s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, ok: bool) {
        assert_eq!(Slug::parse("hub", input).is_ok(), ok, "{input:?}");
    }

    #[test]
    fn slugs() {
        check("leeds-peer-garden", true);
        check("a", true);
        check(&"a".repeat(48), true);
        check(&"a".repeat(49), false);
        check("", false);
        check("Leeds", false);
        check("a.b", false);
        check("a*", false);
        check("a>", false);
        check("a b", false);
    }
}
