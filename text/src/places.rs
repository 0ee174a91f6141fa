//! Where places are: the words people type for a place ("Bradford", "LS6", "Hebden
//! Bridge") resolved to a point, so that answers can be ranked by distance.
//!
//! - Every GB postcode district (`LS6`, `BD7`, `HX1` …) with the centroid of its
//!   postcodes, on the British National Grid in metres (`data/postcode-districts.csv`,
//!   derived from Ordnance Survey's Code-Point Open by
//!   `data/derive-postcode-districts.py`; Open Government Licence v3.0: see
//!   [`ATTRIBUTION`]). Grid references are metres on one plane, so a distance is the
//!   straight line between two points (within 0.1 % across Great Britain).
//! - The postcode areas' towns (`LS` Leeds, `BD` Bradford, `data/postcode-areas.csv`):
//!   a town stands for its area's first district (`Bradford` → BD1), its centre.
//! - A region's own names for towns and villages (`Hebden Bridge = HX7`), given as a
//!   file ([`Places::with_file`]), which come before the areas' towns.
//!
//! Nothing finer than a district is ever used: a postcode typed in full is cut to its
//! district before anything else sees it.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::words;

/// What the data's licence asks to be said wherever it is used.
pub const ATTRIBUTION: &str = "Contains OS data © Crown copyright and database right 2025 \
     (Code-Point Open, Open Government Licence v3.0)";

const DISTRICTS: &str = include_str!("../data/postcode-districts.csv");
const AREAS: &str = include_str!("../data/postcode-areas.csv");

/// A point on the British National Grid, in metres.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Point {
    pub east: i32,
    pub north: i32,
}

impl Point {
    /// The straight-line distance to `other`, in metres.
    pub fn distance_m(self, other: Point) -> u32 {
        let (de, dn) = (f64::from(self.east - other.east), f64::from(self.north - other.north));
        de.hypot(dn).round() as u32
    }
}

/// A postcode district, by its number in [`Places`]: the same number in every
/// build with the same data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct District(pub u16);

/// A place a text named: its postcode district, and that district's centroid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The district in capitals, as people write it: `LS6`.
    pub district: String,
    pub point: Point,
}

/// Why a text does not resolve, or a places file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlacesError {
    /// A postcode district that does not exist, as typed.
    #[error("there is no postcode district {0}")]
    UnknownDistrict(String),
    /// A line of a places file, and what is wrong with it.
    #[error("line {line}: {why}")]
    Line { line: usize, why: String },
}

/// The districts and the names that resolve to them.
#[derive(Clone, Debug)]
pub struct Places {
    /// Every district and its centroid; a [`District`] is a position here.
    districts: Vec<(Box<str>, Point)>,
    by_name: HashMap<Box<str>, District>,
    /// Folded names (their words joined by a space) → (rank, district): where two
    /// names in one text resolve, the lower rank wins (the region's own first).
    names: HashMap<String, (u32, District)>,
    /// The most words in a name.
    longest: usize,
}

static BUILTIN: LazyLock<Places> = LazyLock::new(Places::read_builtin);

/// A postcode district or a full postcode's outward code as a folded word (`ls6`,
/// `w1a`), in capitals; None when the word is not shaped like one.
fn district_shape(word: &str) -> Option<String> {
    crate::postcode_area(word).map(|_| word.to_ascii_uppercase())
}

/// Whether `word` is shaped like a postcode's inward code (`3ab`).
fn inward_shape(word: &str) -> bool {
    matches!(word.as_bytes(), [d, a, b] if d.is_ascii_digit() && a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
}

/// `text` with every full postcode cut to its district (`LS6 3AB` → `LS6`,
/// `ls63ab` → `ls6`): what a person types is never used, kept or logged finer
/// than a district.
pub fn cut_postcodes(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let folded = word.to_ascii_lowercase();
        if inward_shape(&folded) && out.last().is_some_and(|w| district_shape(&w.to_ascii_lowercase()).is_some()) {
            continue;
        }
        // A postcode written without its space: the outward code is all but the last three.
        if folded.len() > 3 && folded.is_ascii() {
            let (outward, inward) = folded.split_at(folded.len() - 3);
            if inward_shape(inward) && district_shape(outward).is_some() {
                out.push(&word[..word.len() - 3]);
                continue;
            }
        }
        out.push(word);
    }
    out.join(" ")
}

impl Places {
    /// GB's districts and the areas' towns.
    pub fn builtin() -> &'static Places {
        &BUILTIN
    }

    fn read_builtin() -> Places {
        let rows = |text: &'static str| {
            text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).skip(1).map(|l| l.split(','))
        };
        let mut districts: Vec<(Box<str>, Point)> = Vec::new();
        for mut row in rows(DISTRICTS) {
            let (Some(d), Some(e), Some(n)) = (row.next(), row.next(), row.next()) else { continue };
            if let (Ok(east), Ok(north)) = (e.parse(), n.parse()) {
                districts.push((Box::from(d), Point { east, north }));
            }
        }
        let by_name =
            districts.iter().enumerate().map(|(i, (d, _))| (d.clone(), District(i as u16))).collect::<HashMap<_, _>>();
        let mut places = Places { districts, by_name, names: HashMap::new(), longest: 0 };
        let mut rank = 0;
        for mut row in rows(AREAS) {
            let (Some(area), Some(town)) = (row.next(), row.next()) else { continue };
            if let Some(first) = places.id(&format!("{area}1")) {
                places.name(town, rank, first);
                rank += 1;
            }
        }
        places
    }

    /// Adds a name unless a name of a lower rank has its words.
    fn name(&mut self, name: &str, rank: u32, district: District) -> bool {
        let folded: Vec<String> = words(name).collect();
        if folded.is_empty() {
            return false;
        }
        self.longest = self.longest.max(folded.len());
        let entry = self.names.entry(folded.join(" ")).or_insert((rank, district));
        if entry.0 > rank {
            *entry = (rank, district);
        }
        true
    }

    /// These places with a region's own names before the areas' towns: a file of
    /// `Name = DISTRICT` lines (`Hebden Bridge = HX7`), `#` comments and blank lines.
    /// A malformed line, or one naming a district that does not exist, is an error
    /// naming the line.
    pub fn with_file(&self, text: &str) -> Result<Places, PlacesError> {
        let mut own = Places { names: HashMap::new(), longest: 0, ..self.clone() };
        let mut rank = 0;
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let err = |why: String| PlacesError::Line { line: line_no, why };
            let (name, district) = line
                .split_once('=')
                .ok_or_else(|| err(format!("{line:?} is not \"Name = DISTRICT\", e.g. \"Hebden Bridge = HX7\"")))?;
            let district = district.trim().to_ascii_uppercase();
            let Some(id) = self.id(&district) else {
                return Err(err(format!("there is no postcode district {district:?}")));
            };
            if !own.name(name, rank, id) {
                return Err(err("the name before '=' is empty".into()));
            }
            rank += 1;
        }
        for (name, &(r, district)) in &self.names {
            own.name(name, rank + r, district);
        }
        Ok(own)
    }

    /// The district with this name (`LS6`, any case).
    pub fn id(&self, district: &str) -> Option<District> {
        self.by_name.get(district.trim().to_ascii_uppercase().as_str()).copied()
    }

    /// The centroid of `district` (`LS6`, any case).
    pub fn district(&self, district: &str) -> Option<Point> {
        self.id(district).map(|d| self.point(d))
    }

    /// A district's name, in capitals.
    pub fn name_of(&self, d: District) -> &str {
        &self.districts[usize::from(d.0)].0
    }

    /// A district's centroid.
    pub fn point(&self, d: District) -> Point {
        self.districts[usize::from(d.0)].1
    }

    /// A district as a [`Place`].
    pub fn place(&self, d: District) -> Place {
        Place { district: self.name_of(d).to_owned(), point: self.point(d) }
    }

    /// Every district, in order of its number.
    pub fn all(&self) -> impl Iterator<Item = (District, Point)> + '_ {
        self.districts.iter().enumerate().map(|(i, (_, p))| (District(i as u16), *p))
    }

    /// How many districts there are.
    pub fn len(&self) -> usize {
        self.districts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.districts.is_empty()
    }

    /// A number that differs when two places would resolve some text differently:
    /// whatever was indexed with one is not used with the other.
    pub fn fingerprint(&self) -> u64 {
        // FNV-1a over the districts and the names in a fixed order.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes.iter().chain([0xff].iter()) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for (d, p) in &self.districts {
            eat(d.as_bytes());
            eat(&p.east.to_le_bytes());
            eat(&p.north.to_le_bytes());
        }
        let mut names: Vec<(&String, &(u32, District))> = self.names.iter().collect();
        names.sort();
        for (name, (rank, d)) in names {
            eat(name.as_bytes());
            eat(&rank.to_le_bytes());
            eat(&d.0.to_le_bytes());
        }
        h
    }

    /// The district `text` names: a postcode district in it (`Leeds LS6`, `ls6
    /// 3ab`), else a name of the region's or an area's town in it (`Hebden Bridge`,
    /// `Bradford`). `Ok(None)` when it names none; an error when it holds a word
    /// shaped like a district that does not exist and names nothing else.
    pub fn resolve(&self, text: &str) -> Result<Option<District>, PlacesError> {
        let all: Vec<String> = words(text).collect();
        let mut unknown = None;
        for w in &all {
            if let Some(d) = district_shape(w) {
                match self.by_name.get(d.as_str()) {
                    Some(&id) => return Ok(Some(id)),
                    None => unknown = unknown.or(Some(d)),
                }
            }
        }
        let mut best: Option<(u32, District)> = None;
        let mut key = String::new();
        for start in 0..all.len() {
            key.clear();
            for w in all.iter().skip(start).take(self.longest) {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(w);
                if let Some(&found) = self.names.get(&key)
                    && best.is_none_or(|b| found.0 < b.0)
                {
                    best = Some(found);
                }
            }
        }
        match (best, unknown) {
            (Some((_, d)), _) => Ok(Some(d)),
            (None, Some(d)) => Err(PlacesError::UnknownDistrict(d)),
            (None, None) => Ok(None),
        }
    }

    /// [`Places::resolve`] as a [`Place`].
    pub fn resolve_place(&self, text: &str) -> Result<Option<Place>, PlacesError> {
        Ok(self.resolve(text)?.map(|d| self.place(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_districts_and_towns_of_great_britain_are_there() {
        let p = Places::builtin();
        assert!(p.len() > 2_800, "{}", p.len());
        for d in ["LS6", "LS10", "BD1", "BD7", "HX1", "HX7", "WF1", "OL14", "EC1A", "W1A"] {
            assert!(p.district(d).is_some(), "{d}");
        }
        let place = |t: &str| p.resolve_place(t).unwrap().map(|p| p.district);
        assert_eq!(place("Leeds LS6").as_deref(), Some("LS6"));
        assert_eq!(place("ls6 3ab").as_deref(), Some("LS6"), "a full postcode is cut to its district");
        assert_eq!(place("Bradford").as_deref(), Some("BD1"));
        assert_eq!(place("central Halifax").as_deref(), Some("HX1"));
        assert_eq!(place("Newcastle upon Tyne").as_deref(), Some("NE1"));
        assert_eq!(place("online"), None);
        assert_eq!(p.resolve("LS40"), Err(PlacesError::UnknownDistrict("LS40".into())));
        assert_eq!(p.resolve("LS40").unwrap_err().to_string(), "there is no postcode district LS40");
    }

    #[test]
    fn distances_are_straight_lines_on_the_grid() {
        let p = Places::builtin();
        let d = |a: &str, b: &str| p.district(a).unwrap().distance_m(p.district(b).unwrap());
        // Leeds to Bradford city centres are about 13 km apart; Leeds to London 270.
        assert!((11_000..16_000).contains(&d("LS1", "BD1")), "{}", d("LS1", "BD1"));
        assert!((250_000..300_000).contains(&d("LS1", "EC1A")), "{}", d("LS1", "EC1A"));
        assert_eq!(d("LS6", "LS6"), 0);
        assert_eq!(d("LS6", "BD1"), d("BD1", "LS6"));
    }

    #[test]
    fn a_regions_own_names_come_first_and_a_bad_line_is_named() {
        let p = Places::builtin()
            .with_file("# West Yorkshire\nHebden Bridge = HX7\nTodmorden = ol14  # on the border\n\nBradford = BD7\n")
            .unwrap();
        assert_eq!(p.resolve_place("a cafe in Hebden Bridge").unwrap().unwrap().district, "HX7");
        assert_eq!(p.resolve_place("Todmorden").unwrap().unwrap().district, "OL14");
        assert_eq!(p.resolve_place("Bradford").unwrap().unwrap().district, "BD7", "the region's name first");
        let bad = Places::builtin().with_file("Hebden Bridge = HX7\nTodmorden OL14\n").unwrap_err();
        assert!(matches!(bad, PlacesError::Line { line: 2, .. }), "{bad}");
        let unknown = Places::builtin().with_file("Nowhere = ZZ9\n").unwrap_err();
        assert_eq!(unknown.to_string(), "line 1: there is no postcode district \"ZZ9\"");
    }

    #[test]
    fn a_full_postcode_is_cut_to_its_district() {
        assert_eq!(cut_postcodes("LS6 3AB"), "LS6");
        assert_eq!(cut_postcodes("near ls6 3ab Leeds"), "near ls6 Leeds");
        assert_eq!(cut_postcodes("ls63ab"), "ls6");
        assert_eq!(cut_postcodes("EC1A 1BB"), "EC1A");
        assert_eq!(cut_postcodes("Bradford BD7"), "Bradford BD7", "a district alone stays");
        assert_eq!(cut_postcodes("3ab"), "3ab", "an inward code alone is not a postcode");
    }

    #[test]
    fn a_regions_file_changes_the_fingerprint() {
        let p = Places::builtin();
        assert_eq!(p.fingerprint(), Places::builtin().clone().fingerprint());
        let own = p.with_file("Hebden Bridge = HX7\n").unwrap();
        assert_ne!(own.fingerprint(), p.fingerprint());
        assert_eq!(own.fingerprint(), p.with_file("hebden   bridge = hx7 # again\n").unwrap().fingerprint());
    }
}
