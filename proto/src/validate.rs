//! Limits on domain values, and the error that names the field that broke one.
//!
//! Every string and list that a hub accepts has a bound, checked here once for the
//! admin API, the CLI (before it sends anything) and the relay (on what it receives).

use thiserror::Error;

/// A value that is not allowed, with the field it was given for.
///
/// Displays as `title: must be 1 to 200 characters (got 0)`, which is what the
/// admin API returns as `InvalidArgument` and what the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {problem}")]
pub struct ValidationError {
    /// The field's name as the user typed it (`title`, `beds_total`, `skills[2]`).
    pub field: String,
    /// What is wrong and what is allowed.
    pub problem: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }
}

/// Reads an amount of money in pounds, as people write it: `195.50`, `£195.50`,
/// `195`; at most £1,000,000. The answer is in pence.
pub fn parse_pounds(value: &str) -> Result<u64, String> {
    let bad = || format!("must be an amount in pounds such as 195.50 (got {value:?})");
    let v = value.trim().trim_start_matches('£');
    let (whole, pence) = v.split_once('.').unwrap_or((v, "0"));
    if whole.is_empty() || pence.len() > 2 || !whole.bytes().chain(pence.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let pence: u64 = format!("{pence:0<2}").parse().map_err(|_| bad())?;
    let whole: u64 = whole.parse().map_err(|_| bad())?;
    whole.checked_mul(100).and_then(|p| p.checked_add(pence)).filter(|&p| p <= 100_000_000).ok_or_else(bad)
}

/// Trims `value` and checks that its length in characters is within `min..=max`,
/// and that it holds no control characters (they have no place in a listing and
/// would corrupt a printed directory or a terminal table).
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let trimmed = value.trim();
    // Count at most max+1 characters so that a 10 MB string costs no more than a short one.
    let len = trimmed.chars().take(max + 1).count();
    if len < min || len > max {
        let got = if len > max { format!("more than {max}") } else { len.to_string() };
        let problem = if min == 0 {
            format!("must be at most {max} characters (got {got})")
        } else {
            format!("must be {min} to {max} characters (got {got})")
        };
        return Err(ValidationError::new(field, problem));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
        return Err(ValidationError::new(
            field,
            format!("must not contain control characters (found U+{:04X})", c as u32),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Like [`text`] but for one line: no newlines or tabs either.
pub fn line(field: &str, value: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let value = text(field, value, min, max)?;
    if value.contains(['\n', '\t']) {
        return Err(ValidationError::new(field, "must be a single line"));
    }
    Ok(value)
}

/// Checks a list: at most `max_items` entries, each a single line of 1..=`max_len`
/// characters. Duplicates (ignoring case) are dropped, keeping the first.
pub fn list(field: &str, values: &[String], max_items: usize, max_len: usize) -> Result<Vec<String>, ValidationError> {
    if values.len() > max_items {
        return Err(ValidationError::new(
            field,
            format!("must have at most {max_items} entries (got {})", values.len()),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let v = line(&format!("{field}[{i}]"), v, 1, max_len)?;
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&v)) {
            out.push(v);
        }
    }
    Ok(out)
}

/// Checks that an integer given over the API is within `min..=max`.
pub fn range(field: &str, value: i64, min: i64, max: i64) -> Result<i64, ValidationError> {
    if value < min || value > max {
        return Err(ValidationError::new(field, format!("must be {min} to {max} (got {value})")));
    }
    Ok(value)
}

/// Checks that a string looks like a phone number a person could dial: digits,
/// spaces and `+ ( ) -`, with 3 to 20 digits. Empty is allowed (no phone).
pub fn phone(field: &str, value: &str) -> Result<String, ValidationError> {
    let value = line(field, value, 0, 32)?;
    if value.is_empty() {
        return Ok(value);
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_digit() || " +()-".contains(*c))) {
        return Err(ValidationError::new(field, format!("must contain only digits, spaces and + ( ) - (found {c:?})")));
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !(3..=20).contains(&digits) {
        return Err(ValidationError::new(field, format!("must have 3 to 20 digits (got {digits})")));
    }
    Ok(value)
}

/// A TOML file's problem in one line: where (line and column) and what, without the
/// multi-line excerpt `toml` prints.
pub fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // The key of that line, where it has one: the message does not always say.
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let key = text[start..].lines().next().and_then(|l| l.split_once('=')).map(|(k, _)| k.trim());
            match key {
                Some(key) if !key.is_empty() && !message.contains(key) => {
                    format!("line {line}, column {column} ({key}): {message}")
                }
                _ => format!("line {line}, column {column}: {message}"),
            }
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_bounds() {
        assert_eq!(text("title", "  Gardener  ", 1, 10).unwrap(), "Gardener");
        assert_eq!(text("title", "   ", 1, 10).unwrap_err().to_string(), "title: must be 1 to 10 characters (got 0)");
        let huge = "x".repeat(10 * 1024 * 1024);
        assert_eq!(
            text("description", &huge, 0, 4000).unwrap_err().to_string(),
            "description: must be at most 4000 characters (got more than 4000)"
        );
        assert!(text("title", "a\u{7}b", 1, 10).unwrap_err().problem.contains("U+0007"));
    }

    #[test]
    fn list_limits_and_dedupes() {
        let v = vec!["Digging".to_owned(), "digging".to_owned(), "Pruning".to_owned()];
        assert_eq!(list("skills", &v, 5, 20).unwrap(), vec!["Digging", "Pruning"]);
        let e = list("skills", &["ok".into(), "".into()], 5, 20).unwrap_err();
        assert_eq!(e.field, "skills[1]");
        assert!(list("skills", &vec!["a".to_owned(); 6], 5, 20).is_err());
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(phone("phone", "0113 496 0000").unwrap(), "0113 496 0000");
        assert_eq!(phone("phone", "").unwrap(), "");
        assert!(phone("phone", "call me").is_err());
        assert!(phone("phone", "12").is_err());
    }
}
