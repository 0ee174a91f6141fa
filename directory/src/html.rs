//! The directory as one printable HTML page: the same layout as the PDF, with its
//! style inside the file, so it can be mailed, opened from a USB stick or printed from
//! any browser, with no requests to anywhere.

use maud::{DOCTYPE, PreEscaped, html as markup};

use crate::{Layout, Options};

const CSS: &str = r#"
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 1.05rem; line-height: 1.45;
       color: #0b0c0c; background: #fff; margin: 0 auto; max-width: 52rem; padding: 1rem; }
body.large { font-size: 1.5rem; }
h1 { font-size: 2.4em; margin: 0.5em 0 0.4em; }
h2 { font-size: 1.8em; margin: 1.5em 0 0.4em; }
h3 { font-size: 1.3em; border-bottom: 2px solid #0b0c0c; margin: 1.3em 0 0.5em; }
h4 { font-size: 1.05em; margin: 0 0 0.2em; }
.notice { border: 3px solid #0b0c0c; padding: 0.8em; }
.entry { margin: 0 0 1.2em; break-inside: avoid; }
.entry p { margin: 0; }
.what { font-style: italic; }
.warn { display: inline-block; border: 2px solid #0b0c0c; padding: 0 0.3em; font-weight: bold; }
.contact { font-weight: bold; }
.meta { font-size: 0.85em; color: #484949; }
a { color: #1d70b8; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
@media print { body { max-width: none; padding: 0; } section.kind { break-before: page; } a { color: inherit; } }
"#;

/// The directory as a complete HTML document.
pub fn html(layout: &Layout, options: Options) -> String {
    markup! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (layout.title) }
                style { (PreEscaped(CSS)) }
            }
            body.large[options.large_print] {
                header.title {
                    h1 { (layout.title) }
                    p { strong { (layout.printed) } }
                    p { (layout.scope) }
                    div.notice {
                        p {
                            strong { "What is open changes quickly." }
                            " Closing dates and beds free were right when this was printed. Please call before you go: \
                             every entry says how to get in touch and when it was last confirmed."
                        }
                        @if let Some(url) = &layout.board_url {
                            p { "What is open now, and beds free now, is on the board: " a href=(url) { (url) } }
                        }
                    }
                    p.meta { (layout.notice) "." }
                }
                nav aria-labelledby="contents" {
                    h2 #contents { "Contents" }
                    ol {
                        @for s in &layout.sections {
                            li { a href={ "#" (s.id) } { (s.title) } }
                        }
                        li { a href="#hubs" { "Index of hubs" } }
                    }
                }
                main {
                    @for s in &layout.sections {
                        section.kind aria-labelledby=(s.id) {
                            h2 #(s.id) { (s.title) }
                            p { (s.intro) }
                            @if s.areas.is_empty() { p { "Nothing is listed here at the moment." } }
                            @for a in &s.areas {
                                h3 { (a.name) }
                                @for e in &a.entries {
                                    div.entry {
                                        h4 { (e.name) }
                                        p.what { (e.what) }
                                        @if let Some(w) = &e.warn { p { span.warn { (w) } } }
                                        @for f in &e.facts { p { (f) } }
                                        @for c in &e.contact { p.contact { (c) } }
                                        p.meta { (e.hub) " · " (e.confirmed) }
                                    }
                                }
                            }
                            @if let Some(m) = &s.more { p { em { (m) } } }
                        }
                    }
                    @if let Some(m) = &layout.missing {
                        section.kind aria-labelledby="missing" {
                            h2 #missing { "What the region is missing" }
                            p { "For commissioners: what people looked for on the board and the helpline screen in week " (m.week) " and did not find, and the hours with no safe-house bed free. " (m.note) }
                            @if m.lines.is_empty() { p { "No figure to show this week." } }
                            ul { @for l in &m.lines { li { (l) } } }
                        }
                    }
                    section.kind aria-labelledby="hubs" {
                        h2 #hubs { "Index of hubs" }
                        p { "The groups whose listings are in this directory, and how to reach them." }
                        @for h in &layout.hubs {
                            div.entry {
                                h3 { (h.name) }
                                @if !h.description.is_empty() { p { (h.description) } }
                                @if !h.contact.is_empty() { p { strong { "Contact: " } (h.contact) } }
                                @if !h.helpline_hours.is_empty() { p { strong { "Helpline: " } (h.helpline_hours) } }
                                p.meta { (h.listings) }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}
