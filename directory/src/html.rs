//! The directory as one printable HTML page: the same layout as the PDF, with its
//! style inside the file, so it can be mailed, opened from a USB stick or printed from
//! any browser, with no requests to anywhere.

use maud::{DOCTYPE, PreEscaped, html as markup};

use crate::{Layout, Options};

const CSS: &str = r#"
body { font-family: "DejaVu Sans", "Noto Naskh Arabic", Verdana, Arial, sans-serif; font-size: 1.05rem; line-height: 1.45;
       color: #0b0c0c; background: #fff; margin: 0 auto; max-width: 52rem; padding: 1rem; }
body.large { font-size: 1.5rem; }
:lang(ur) body { font-family: "Noto Naskh Arabic", "Noto Nastaliq Urdu", "DejaVu Sans", serif; line-height: 1.8; }
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
    let w = &layout.words;
    markup! {
        (DOCTYPE)
        html lang=(layout.tag) dir=(layout.dir) {
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
                        p { strong { (w.changes_quickly) } " " (w.call_before) }
                        @if let Some(url) = &layout.board_url {
                            p { (w.on_the_board) " " a href=(url) dir="ltr" { (url) } }
                        }
                    }
                    p { (w.listed_by) }
                    p.meta lang="en-GB" dir="ltr" { (layout.notice) "." }
                }
                nav aria-labelledby="contents" {
                    h2 #contents { (w.contents) }
                    ol {
                        @for s in &layout.sections {
                            li { a href={ "#" (s.id) } { (s.title) } }
                        }
                        li { a href="#hubs" { (w.index) } }
                    }
                }
                main {
                    @for s in &layout.sections {
                        section.kind aria-labelledby=(s.id) {
                            h2 #(s.id) { (s.title) }
                            p { (s.intro) }
                            @if s.areas.is_empty() { p { (w.nothing_here) } }
                            @for a in &s.areas {
                                h3 dir="auto" { (a.name) }
                                @for e in &a.entries {
                                    div.entry {
                                        h4 dir="auto" { (e.name) }
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
                            h2 #missing { (w.missing_heading) }
                            p { (w.missing_intro) " " (m.note) }
                            @if m.lines.is_empty() { p { (w.missing_none) } }
                            ul { @for l in &m.lines { li { (l) } } }
                        }
                    }
                    section.kind aria-labelledby="hubs" {
                        h2 #hubs { (w.index) }
                        p { (w.index_about) }
                        @for h in &layout.hubs {
                            div.entry {
                                h3 dir="auto" { (h.name) }
                                @if !h.description.is_empty() { p dir="auto" { (h.description) } }
                                @if !h.contact.is_empty() { p { strong { (w.contact) } " " bdi { (h.contact) } } }
                                @if !h.helpline_hours.is_empty() { p { strong { (w.helpline) } " " bdi { (h.helpline_hours) } } }
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
