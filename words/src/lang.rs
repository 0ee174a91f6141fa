//! The languages Kith speaks, and its words in each: Project Fluent message files
//! (`words/locales/<code>/*.ftl`), compiled in, one bundle per language with that
//! language's plural rules (Welsh has six forms, Urdu two).
//!
//! English is the source: every message is written there first, and the other
//! languages' files carry the same keys (a test below holds them to it). A page
//! asks for a message by key with [`t!`](crate::t); a message missing from a
//! language falls back to English rather than to its key, so a page never shows a
//! key to a person, but the tests fail first.
//!
//! Which language a page is in is the person's choice: a `lang=` on the address,
//! else their browser's `Accept-Language` ([`Lang::negotiate`]), else English.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::{FluentArgs as Args, FluentValue};

/// A language Kith speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Cy,
    Ur,
}

/// The message files of each language, in the order of [`Lang::ALL`]: the same
/// files for every language.
const FILES: [[&str; 4]; 3] = [
    [
        include_str!("../locales/en/words.ftl"),
        include_str!("../locales/en/board.ftl"),
        include_str!("../locales/en/directory.ftl"),
        include_str!("../locales/en/desk.ftl"),
    ],
    [
        include_str!("../locales/cy/words.ftl"),
        include_str!("../locales/cy/board.ftl"),
        include_str!("../locales/cy/directory.ftl"),
        include_str!("../locales/cy/desk.ftl"),
    ],
    [
        include_str!("../locales/ur/words.ftl"),
        include_str!("../locales/ur/board.ftl"),
        include_str!("../locales/ur/directory.ftl"),
        include_str!("../locales/ur/desk.ftl"),
    ],
];

/// The names of the message files, as in [`FILES`] (for tests and error messages).
pub const FILE_NAMES: [&str; 4] = ["words.ftl", "board.ftl", "directory.ftl", "desk.ftl"];

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> =
    LazyLock::new(|| Lang::ALL.iter().map(|lang| bundle(*lang)).collect());

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.id()]);
    // Marks that isolate a placeable's direction matter only where the page's
    // direction differs from what is put in it: a hub's English name in Urdu.
    bundle.set_use_isolating(lang.dir() == "rtl");
    for (text, name) in FILES[lang as usize].iter().zip(FILE_NAMES) {
        let resource = FluentResource::try_new((*text).to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{}/{name} does not parse: {errors:?}", lang.code()));
        bundle.add_resource(resource).unwrap_or_else(|errors| panic!("{}/{name}: {errors:?}", lang.code()));
    }
    bundle
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Cy, Lang::Ur];

    /// The code on an address (`lang=cy`) and of its message files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
            Lang::Ur => "ur",
        }
    }

    /// The tag of a page in it (`<html lang>`): British English, as the board spells.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy",
            Lang::Ur => "ur",
        }
    }

    /// Which way its text runs (`<html dir>`).
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ur => "rtl",
            Lang::En | Lang::Cy => "ltr",
        }
    }

    /// Its name in itself, for the language switch: a person finds their own
    /// language by the name they know it by.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
            Lang::Ur => "اردو",
        }
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().expect("a language code is a language identifier")
    }

    /// The language of a code (`cy`, `CY`, `cy-GB`), if Kith speaks it.
    pub fn parse(code: &str) -> Option<Lang> {
        let id: LanguageIdentifier = code.trim().parse().ok()?;
        Lang::ALL.into_iter().find(|l| l.code() == id.language.as_str())
    }

    /// The language a browser's `Accept-Language` prefers of those Kith speaks;
    /// English when it names none of them (or nothing at all).
    pub fn negotiate(accept_language: &str) -> Lang {
        use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
        let requested = accepted_languages::parse(accept_language);
        let available: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|l| l.id()).collect();
        let default = Lang::En.id();
        let chosen = negotiate_languages(&requested, &available, Some(&default), NegotiationStrategy::Lookup);
        chosen.first().and_then(|id| Lang::parse(&id.to_string())).unwrap_or_default()
    }

    /// The message `id` in this language (English where this language lacks it).
    pub fn t(self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its arguments; see [`t!`](crate::t).
    pub fn t_with(self, id: &str, args: &FluentArgs) -> String {
        self.format(id, Some(args))
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        for lang in [self, Lang::En] {
            let bundle = &BUNDLES[lang as usize];
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        debug_assert!(false, "no message {id}");
        id.to_owned()
    }

    /// Whether this language has the message `id` itself (not through English).
    pub fn has(self, id: &str) -> bool {
        BUNDLES[self as usize].has_message(id)
    }
}

/// A message in a language, with named arguments: `t!(lang, "pay-hour", amount =
/// pounds(1221))`. Numbers passed as numbers choose the plural form.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:expr) => {
        $lang.t($id)
    };
    ($lang:expr, $id:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::lang::Args::new();
        $(args.set(stringify!($name), $value);)+
        $lang.t_with($id, &args)
    }};
}

/// Every message's key in a language's files, in file order (for tests that hold
/// the languages to the same keys).
pub fn keys(lang: Lang) -> Vec<String> {
    messages(lang).into_iter().map(|(k, _)| k).collect()
}

/// Every message of a language's files: its key and the literal text of its value
/// (placeables and variants left out, each piece of text on its own line).
pub fn messages(lang: Lang) -> Vec<(String, String)> {
    FILE_NAMES.iter().flat_map(|file| messages_of(lang, file)).collect()
}

/// The English of the message files that a page in `lang` must not show: each
/// piece of text of at least two words of a message that `lang` says otherwise
/// (trailing `:`, `.`, `,` and `?` left off). For the checks that no page in
/// another language is left in English.
pub fn english_only(lang: Lang) -> Vec<String> {
    let theirs: std::collections::HashMap<String, String> = messages(lang).into_iter().collect();
    let mut phrases = Vec::new();
    for (key, english) in messages(Lang::En) {
        if theirs.get(&key) == Some(&english) {
            continue;
        }
        for piece in english.lines().map(|p| p.trim().trim_end_matches([':', '.', ',', '?'])) {
            if piece.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 2 {
                phrases.push(piece.to_owned());
            }
        }
    }
    phrases
}

/// The messages of one of a language's files (`desk.ftl`), as [`messages`].
pub fn messages_of(lang: Lang, file: &str) -> Vec<(String, String)> {
    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn text(pattern: &Pattern<&str>, out: &mut Vec<String>) {
        for element in &pattern.elements {
            match element {
                PatternElement::TextElement { value } => out.push((*value).to_owned()),
                PatternElement::Placeable { expression } => match expression {
                    Expression::Select { variants, .. } => {
                        for v in variants {
                            text(&v.value, out);
                        }
                    }
                    Expression::Inline(InlineExpression::Placeable { .. }) | Expression::Inline(_) => {}
                },
            }
        }
    }
    let mut all = Vec::new();
    let sources = FILES[lang as usize].iter().zip(FILE_NAMES).filter(|(_, name)| *name == file);
    for (source, _) in sources {
        let resource = FluentResource::try_new((*source).to_owned()).expect("the message files parse");
        for entry in resource.entries() {
            if let Entry::Message(m) = entry {
                let mut pieces = Vec::new();
                if let Some(value) = &m.value {
                    text(value, &mut pieces);
                }
                all.push((m.id.name.to_owned(), pieces.join("\n")));
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_has_every_message_and_no_other() {
        let english: BTreeSet<String> = keys(Lang::En).into_iter().collect();
        assert!(english.len() > 100, "{} messages", english.len());
        for lang in &Lang::ALL[1..] {
            let theirs: BTreeSet<String> = keys(*lang).into_iter().collect();
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(extra.is_empty(), "{} has messages English has not: {extra:?}", lang.code());
            let duplicated = keys(*lang).len() - theirs.len();
            assert_eq!(duplicated, 0, "{} has keys twice", lang.code());
        }
    }

    /// A message left in English in another language's file: the same words as
    /// the English (beyond names, numbers and signs, which are alike everywhere).
    #[test]
    fn no_message_is_left_in_english() {
        let english: std::collections::HashMap<String, String> = messages(Lang::En).into_iter().collect();
        for lang in &Lang::ALL[1..] {
            let mut left = Vec::new();
            for (key, text) in messages(*lang) {
                let Some(en) = english.get(&key) else { continue };
                let words = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
                if words(&text) > 3 && text == *en && !SAME_EVERYWHERE.contains(&key.as_str()) {
                    left.push(key);
                }
            }
            assert!(left.is_empty(), "{} still in English: {left:?}", lang.code());
        }
    }

    /// Messages whose words are the same in every language: names and codes, and
    /// words Welsh shares with English ("sector", "problem").
    const SAME_EVERYWHERE: &[&str] = &[
        "needs-csv",
        "needs-json",
        "board-name",
        "page-title",
        "label-cost",
        "row-cost",
        "desk-label-sector",
        "desk-import-problem",
    ];

    /// Each file of each language holds the same keys as its English file, so a
    /// message is looked for where a translator would look: the desk's in
    /// `desk.ftl`, the board's in `board.ftl`.
    #[test]
    fn each_file_has_the_english_files_keys() {
        for file in FILE_NAMES {
            let english: Vec<String> = messages_of(Lang::En, file).into_iter().map(|(k, _)| k).collect();
            assert!(!english.is_empty(), "en/{file} has no messages");
            for lang in &Lang::ALL[1..] {
                let theirs: Vec<String> = messages_of(*lang, file).into_iter().map(|(k, _)| k).collect();
                let missing: Vec<_> = english.iter().filter(|k| !theirs.contains(k)).collect();
                let extra: Vec<_> = theirs.iter().filter(|k| !english.contains(k)).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{}/{file}: lacks {missing:?}, has besides {extra:?}",
                    lang.code()
                );
            }
        }
        assert!(
            keys(Lang::En).iter().filter(|k| k.starts_with("desk-")).count() > 300,
            "the desk's messages are there"
        );
    }

    /// The desk's plural forms: beds, hours and days counted in each language.
    #[test]
    fn the_desk_counts_in_each_language() {
        let check = |lang: Lang, id: &str, n: i64, expected: &str| {
            let said = crate::t!(lang, id, n = n).replace(['\u{2068}', '\u{2069}'], "");
            assert_eq!(said, expected, "{} {id} {n}", lang.code());
        };
        check(Lang::En, "desk-beds-n", 1, "1 bed");
        check(Lang::En, "desk-beds-n", 4, "4 beds");
        check(Lang::Cy, "desk-beds-n", 2, "2 wely");
        check(Lang::Cy, "desk-beds-n", 4, "4 gwely");
        check(Lang::Ur, "desk-beds-hours", 1, "1 گھنٹہ");
        check(Lang::Ur, "desk-beds-hours", 12, "12 گھنٹے");
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let check = |lang: Lang, n: i64, expected: &str| {
            let said = crate::t!(lang, "ago-minutes", n = n).replace(['\u{2068}', '\u{2069}'], "");
            assert_eq!(said, expected, "{} {n}", lang.code());
        };
        check(Lang::En, 1, "1 minute ago");
        check(Lang::En, 12, "12 minutes ago");
        // Welsh: zero, one, two, few (3), many (6) and other.
        check(Lang::Cy, 1, "1 munud yn ôl");
        check(Lang::Cy, 2, "2 funud yn ôl");
        check(Lang::Cy, 3, "3 munud yn ôl");
        check(Lang::Cy, 6, "6 munud yn ôl");
        check(Lang::Cy, 12, "12 munud yn ôl");
        check(Lang::Ur, 12, "12 منٹ پہلے");
        assert_eq!(crate::t!(Lang::Cy, "results-count", n = 2), "2 ganlyniad");
        assert_eq!(crate::t!(Lang::Cy, "results-count", n = 3), "3 chanlyniad");
        assert_eq!(crate::t!(Lang::Cy, "results-count", n = 0), "Dim canlyniadau");
    }

    #[test]
    fn a_browser_choice_is_negotiated() {
        let check = |header: &str, expected: Lang| assert_eq!(Lang::negotiate(header), expected, "{header}");
        check("", Lang::En);
        check("cy", Lang::Cy);
        check("cy-GB,cy;q=0.9,en;q=0.8", Lang::Cy);
        check("ur-PK,ur;q=0.9", Lang::Ur);
        check("fr-FR,fr;q=0.9", Lang::En);
        check("en-US,en;q=0.9,cy;q=0.5", Lang::En);
        check("fr,ur;q=0.5", Lang::Ur);
        assert_eq!(Lang::parse("CY"), Some(Lang::Cy));
        assert_eq!(Lang::parse("de"), None);
    }
}
