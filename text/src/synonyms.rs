//! Synonyms: words a searcher means the same thing by ("bike" and "bicycle", "job"
//! and "vacancy").
//!
//! The built-in list is `text/synonyms.txt`, compiled in; a region adds its own
//! with `--synonyms FILE`. Both have one group per line, words separated by commas,
//! `#` for comments. Groups are equivalences: a group that shares a word with
//! another is merged with it, so a region's `cycle, pedal` joins the built-in
//! `bike, bicycle, cycle` group rather than shadowing it.
//!
//! Words are matched by their stem, so "bikes" finds what "bicycle" finds.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;
use std::path::Path;
use thiserror::Error;

use crate::{fold, stem, words};

/// The built-in list.
pub const BUILTIN: &str = include_str!("../synonyms.txt");

#[derive(Debug, Error)]
pub enum SynonymError {
    #[error("{origin} line {line}: {why}")]
    Line { origin: String, line: usize, why: String },
    #[error("{path}: {source}")]
    Read { path: String, source: std::io::Error },
}

/// Groups of equivalent words, looked up by stem.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    /// Each group's folded words. A merged-away group is left empty.
    groups: Vec<Vec<Box<str>>>,
    /// Stem → the group holding a word with that stem.
    by_stem: HashMap<Box<str>, usize>,
    /// Every word of every group, in order: a vocabulary of the field that a
    /// misspelt query word is corrected against when the region's listings hold
    /// only other forms of the word ("gardner" → "gardener" → "gardening").
    vocabulary: BTreeSet<Box<str>>,
}

impl Synonyms {
    /// The built-in list.
    pub fn builtin() -> Synonyms {
        let mut s = Synonyms::default();
        s.add(BUILTIN, "synonyms.txt").expect("the built-in synonym list parses (tested)");
        s
    }

    /// The built-in list extended by a region's file.
    pub fn with_file(path: &Path) -> Result<Synonyms, SynonymError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| SynonymError::Read { path: path.display().to_string(), source })?;
        let mut s = Synonyms::builtin();
        s.add(&text, &path.display().to_string())?;
        Ok(s)
    }

    /// Adds the groups of a list; `origin` names it in errors. Nothing is added when
    /// any line is wrong.
    pub fn add(&mut self, text: &str, origin: &str) -> Result<(), SynonymError> {
        let mut parsed = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: String| SynonymError::Line { origin: origin.to_owned(), line: i + 1, why };
            let mut group = Vec::new();
            for item in line.split(',') {
                let item = item.trim();
                let ws: Vec<String> = words(item).collect();
                match ws.as_slice() {
                    [w] if fold(item) == *w => group.push(w.clone()),
                    [] => return Err(bad("an empty word between commas".to_owned())),
                    _ => return Err(bad(format!("{item:?} is not one word (synonyms are single words)"))),
                }
            }
            if group.len() < 2 {
                return Err(bad("a group needs at least two words".to_owned()));
            }
            parsed.push(group);
        }
        for group in parsed {
            self.add_group(group);
        }
        Ok(())
    }

    fn add_group(&mut self, group: Vec<String>) {
        let mut target = None;
        for w in &group {
            if let Some(&g) = self.by_stem.get(stem(w).as_ref()) {
                match target {
                    None => target = Some(g),
                    Some(t) if t != g => self.merge(g, t),
                    Some(_) => {}
                }
            }
        }
        let t = target.unwrap_or_else(|| {
            self.groups.push(Vec::new());
            self.groups.len() - 1
        });
        for w in group {
            let s: Box<str> = stem(&w).into();
            self.by_stem.insert(s, t);
            self.vocabulary.insert(w.clone().into_boxed_str());
            if !self.groups[t].iter().any(|x| **x == *w) {
                self.groups[t].push(w.into_boxed_str());
            }
        }
    }

    /// Moves group `from` into group `into`.
    fn merge(&mut self, from: usize, into: usize) {
        let moved = std::mem::take(&mut self.groups[from]);
        for w in moved {
            self.by_stem.insert(stem(&w).into(), into);
            if !self.groups[into].contains(&w) {
                self.groups[into].push(w);
            }
        }
    }

    /// The other words of the group of `word` (folded), if it has one.
    pub fn of<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let group = self.by_stem.get(stem(word).as_ref()).map(|&g| self.groups[g].as_slice()).unwrap_or_default();
        group.iter().map(|w| &**w).filter(move |w| *w != word)
    }

    /// The words of the lists that start with `prefix`, in order.
    pub fn words_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.vocabulary
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .map(|w| &**w)
            .take_while(move |w| w.starts_with(prefix))
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.iter().filter(|g| !g.is_empty()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(s: &Synonyms, w: &str) -> Vec<String> {
        let mut v: Vec<String> = s.of(w).map(str::to_owned).collect();
        v.sort();
        v
    }

    #[test]
    fn the_builtin_list_parses_and_is_substantial() {
        let s = Synonyms::builtin();
        assert!(s.len() >= 100, "{} groups", s.len());
        assert!(of(&s, "bicycle").contains(&"bike".to_owned()));
        // By stem: the plural finds the group too.
        assert!(of(&s, "bicycles").contains(&"bike".to_owned()));
        assert!(of(&s, "job").contains(&"work".to_owned()));
        assert!(of(&s, "shop").contains(&"retail".to_owned()));
    }

    #[test]
    fn groups_that_share_a_word_merge() {
        let mut s = Synonyms::default();
        s.add("bike, bicycle\n# a comment\n\npedal, cycle", "a").unwrap();
        s.add("cycle, bike", "b").unwrap();
        assert_eq!(of(&s, "pedal"), ["bicycle", "bike", "cycle"]);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn bad_lines_name_the_file_and_line_and_change_nothing() {
        let mut s = Synonyms::default();
        s.add("bike, bicycle", "builtin").unwrap();
        for (text, why) in [
            ("cafe, coffee\npeer support, peer", "line 2: \"peer support\" is not one word"),
            ("job", "line 1: a group needs at least two words"),
            ("job,,work", "line 1: an empty word between commas"),
        ] {
            let e = s.add(text, "region.txt").unwrap_err().to_string();
            assert!(e.starts_with("region.txt ") && e.contains(why), "{e}");
        }
        assert_eq!(s.len(), 1);
        assert!(of(&s, "cafe").is_empty());
    }
}
