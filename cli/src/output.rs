//! How results reach the terminal: aligned tables and key/value blocks for people,
//! JSON for scripts (`--json`), and nothing else on stdout.
//!
//! Every command builds its result first and hands it to one of the functions here,
//! so that a command never mixes formats and a closed pipe (`kith … | head`) ends
//! the program quietly instead of with a panic.

use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest text shown in one table cell; the full text is in `show` and `--json`.
const MAX_CELL: usize = 48;

/// Writes `text` (plus a newline) to stdout. A reader that went away is not an error.
pub fn text(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes `value` as pretty JSON to stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    text(&serde_json::to_string_pretty(value)?)
}

/// Writes `value` as JSON when `json` is set, else `human`.
pub fn either<T: Serialize + ?Sized>(json: bool, value: &T, human: impl FnOnce() -> String) -> anyhow::Result<()> {
    if json { self::json(value) } else { text(&human()) }
}

/// A table with a header row and columns padded to the widest cell.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Table { headers: headers.to_vec(), rows: Vec::new() }
    }

    /// Adds a row; cells are made single-line and shortened to fit a terminal.
    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells.iter().map(|c| cell(c)).collect());
    }

    /// The table as lines of text, without trailing spaces. An empty table renders
    /// as `empty` so that a person sees that the query ran and found nothing.
    pub fn render(&self, empty: &str) -> String {
        if self.rows.is_empty() {
            return empty.to_owned();
        }
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let headers: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        std::iter::once(&headers).chain(&self.rows).map(|row| line(row, &widths)).collect::<Vec<_>>().join("\n")
    }
}

fn line(cells: &[String], widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            out.push_str("  ");
        }
        out.push_str(c);
        if i + 1 < cells.len() {
            out.extend(std::iter::repeat_n(' ', w - c.chars().count()));
        }
    }
    out.trim_end().to_owned()
}

/// One table cell: whitespace runs (newlines included) become one space, control
/// characters are dropped, and long text ends in `…`.
fn cell(value: &str) -> String {
    let flat: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat: String = flat.chars().filter(|c| !c.is_control()).collect();
    if flat.chars().count() <= MAX_CELL {
        return if flat.is_empty() { "-".to_owned() } else { flat };
    }
    let mut short: String = flat.chars().take(MAX_CELL - 1).collect();
    short.push('…');
    short
}

/// Labelled values one per line, labels padded to the longest: the `show` and
/// `status` form. Values keep their line breaks, indented under the first line.
#[derive(Debug, Default)]
pub struct Fields {
    rows: Vec<(&'static str, String)>,
}

impl Fields {
    pub fn new() -> Self {
        Fields::default()
    }

    pub fn add(&mut self, label: &'static str, value: impl Into<String>) -> &mut Self {
        self.rows.push((label, value.into()));
        self
    }

    /// A row only when it has a value: one that only some answers have.
    pub fn add_if(&mut self, label: &'static str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        if !value.is_empty() {
            self.rows.push((label, value));
        }
        self
    }

    pub fn render(&self) -> String {
        let width = self.rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
        let mut out = Vec::new();
        for (label, value) in &self.rows {
            let value: String = value.chars().filter(|c| !c.is_control() || *c == '\n').collect();
            let value = value.trim();
            let mut lines = value.lines();
            let first = lines.next().filter(|l| !l.trim().is_empty()).unwrap_or("-");
            out.push(format!("{label:<width$}  {first}").trim_end().to_owned());
            for rest in lines {
                out.push(format!("{:width$}  {rest}", "").trim_end().to_owned());
            }
        }
        out.join("\n")
    }
}

/// `yes` or `no`.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

/// A comma-separated list, `-` when empty.
pub fn list(values: &[String]) -> String {
    if values.is_empty() { "-".to_owned() } else { values.join(", ") }
}

/// Unix milliseconds as an RFC 3339 UTC instant, or `None` for 0 (never).
pub fn instant(ms: i64) -> Option<String> {
    if ms <= 0 {
        return None;
    }
    let t = UNIX_EPOCH + Duration::from_millis(ms as u64);
    // humantime refuses years past 9999 with a formatting error (and `to_string`
    // would panic on it): a value a hub signed must never crash the reader.
    let mut text = String::new();
    match write!(text, "{}", humantime::format_rfc3339_seconds(t)) {
        Ok(()) => Some(text),
        Err(_) => Some(format!("after the year 9999 ({ms} ms since 1970)")),
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns_and_trim_trailing_space() {
        let mut t = Table::new(&["ID", "TITLE", "AREA"]);
        t.row(vec!["a".into(), "Gardener".into(), "Leeds".into()]);
        t.row(vec!["bbb".into(), "Café assistant".into(), "".into()]);
        assert_eq!(
            t.render("none"),
            "ID   TITLE           AREA\n\
             a    Gardener        Leeds\n\
             bbb  Café assistant  -"
        );
    }

    #[test]
    fn empty_tables_say_so() {
        assert_eq!(Table::new(&["ID"]).render("no opportunities"), "no opportunities");
    }

    #[test]
    fn cells_are_one_line_and_bounded() {
        assert_eq!(cell("two\nlines\t here"), "two lines here");
        assert_eq!(cell("bell\u{7}"), "bell");
        let long = cell(&"x".repeat(100));
        assert_eq!(long.chars().count(), MAX_CELL);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn fields_pad_labels_and_indent_continuations() {
        let mut f = Fields::new();
        f.add("id", "01J").add("description", "first\nsecond").add("phone", "");
        assert_eq!(f.render(), "id           01J\ndescription  first\n             second\nphone        -");
    }

    #[test]
    fn instants_are_rfc_3339_and_never_panic() {
        assert_eq!(instant(0), None);
        assert_eq!(instant(1_795_694_400_000).as_deref(), Some("2026-11-26T12:00:00Z"));
        assert_eq!(instant(253_402_300_799_000).as_deref(), Some("9999-12-31T23:59:59Z"));
        assert_eq!(
            instant(253_402_300_800_000).as_deref(),
            Some("after the year 9999 (253402300800000 ms since 1970)")
        );
        assert!(instant(i64::MAX).unwrap().starts_with("after the year 9999"));
    }
}
