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
use std::fmt;
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

/// A place a text named: its postcode district, and that district's centroid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The district in capitals, as people write it: `LS6`.
    pub district: String,
    pub point: Point,
}

/// Why a text does not resolve, or a places file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlacesError {
    /// A postcode district that does not exist, as typed.
    UnknownDistrict(String),
    /// A line of a places file, and what is wrong with it.
    Line { line: usize, why: String },
}

impl fmt::Display for PlacesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacesError::UnknownDistrict(d) => write!(f, "there is no postcode district {d}"),
            PlacesError::Line { line, why } => write!(f, "line {line}: {why}"),
        }
    }
}

impl std::error::Error for PlacesError {}

/// The districts and the names that resolve to them.
#[derive(Clone, Debug)]
pub struct Places {
    districts: HashMap<String, Point>,
    /// Folded names (their words joined by a space) → district, the region's first.
    names: Vec<(String, String)>,
}

static BUILTIN: LazyLock<Places> = LazyLock::new(Places::read_builtin);

/// A postcode district or a full postcode's outward code as a folded word (`ls6`,
/// `w1a`), in capitals; None when the word is not shaped like one.
fn district_shape(word: &str) -> Option<String> {
    crate::postcode_area(word).map(|_| word.to_ascii_uppercase())
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
        let mut districts = HashMap::new();
        for mut row in rows(DISTRICTS) {
            let (Some(d), Some(e), Some(n)) = (row.next(), row.next(), row.next()) else { continue };
            if let (Ok(east), Ok(north)) = (e.parse(), n.parse()) {
                districts.insert(d.to_owned(), Point { east, north });
            }
        }
        let mut names = Vec::new();
        for mut row in rows(AREAS) {
            let (Some(area), Some(town)) = (row.next(), row.next()) else { continue };
            let name = words(town).collect::<Vec<_>>().join(" ");
            let first = format!("{area}1");
            if districts.contains_key(&first) && !names.iter().any(|(n, _)| *n == name) {
                names.push((name, first));
            }
        }
        Places { districts, names }
    }

    /// These places with a region's own names before the areas' towns: a file of
    /// `Name = DISTRICT` lines (`Hebden Bridge = HX7`), `#` comments and blank lines.
    /// A malformed line, or one naming a district that does not exist, is an error
    /// naming the line.
    pub fn with_file(&self, text: &str) -> Result<Places, PlacesError> {
        let mut own = Vec::new();
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
            let name = words(name).collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                return Err(err("the name before '=' is empty".into()));
            }
            let district = district.trim().to_ascii_uppercase();
            if !self.districts.contains_key(&district) {
                return Err(err(format!("there is no postcode district {district:?}")));
            }
            own.push((name, district));
        }
        own.extend(self.names.iter().cloned());
        Ok(Places { districts: self.districts.clone(), names: own })
    }

    /// The centroid of `district` (`LS6`, any case).
    pub fn district(&self, district: &str) -> Option<Point> {
        self.districts.get(&district.trim().to_ascii_uppercase()).copied()
    }

    /// How many districts there are.
    pub fn len(&self) -> usize {
        self.districts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.districts.is_empty()
    }

    /// The place `text` names: a postcode district in it (`Leeds LS6`, `ls6 3ab`),
    /// else a name of the region's or an area's town in it (`Hebden Bridge`,
    /// `Bradford`). `Ok(None)` when it names none; an error when it holds a word
    /// shaped like a district that does not exist.
    pub fn resolve(&self, text: &str) -> Result<Option<Place>, PlacesError> {
        let all: Vec<String> = words(text).collect();
        let mut unknown = None;
        for w in &all {
            if let Some(d) = district_shape(w) {
                match self.districts.get(&d) {
                    Some(&point) => return Ok(Some(Place { district: d, point })),
                    None => unknown = unknown.or(Some(d)),
                }
            }
        }
        let joined = format!(" {} ", all.join(" "));
        for (name, district) in &self.names {
            if joined.contains(&format!(" {name} ")) {
                let point = self.districts[district];
                return Ok(Some(Place { district: district.clone(), point }));
            }
        }
        match unknown {
            Some(d) => Err(PlacesError::UnknownDistrict(d)),
            None => Ok(None),
        }
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
        let place = |t: &str| p.resolve(t).unwrap().map(|p| p.district);
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
        assert_eq!(p.resolve("a cafe in Hebden Bridge").unwrap().unwrap().district, "HX7");
        assert_eq!(p.resolve("Todmorden").unwrap().unwrap().district, "OL14");
        assert_eq!(p.resolve("Bradford").unwrap().unwrap().district, "BD7", "the region's name first");
        let bad = Places::builtin().with_file("Hebden Bridge = HX7\nTodmorden OL14\n").unwrap_err();
        assert!(matches!(bad, PlacesError::Line { line: 2, .. }), "{bad}");
        let unknown = Places::builtin().with_file("Nowhere = ZZ9\n").unwrap_err();
        assert_eq!(unknown.to_string(), "line 1: there is no postcode district \"ZZ9\"");
    }
}
