//! Markdown to HTML with pulldown-cmark: heading ids and anchors, a table of
//! contents, the summary, word count, highlighted code, and relative links and
//! images resolved to the URLs they will have in the output.
//!
//! The event stream is rewritten in one pass; the page body and the summary are
//! rendered from the same events, so nothing is parsed twice.

pub mod highlight;
pub mod sanitize;

use std::collections::HashSet;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::text::slug::slugify;

/// How a link or image destination resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Rewrite the destination to this URL.
    Url(String),
    /// Leave it as written (external links, fragments, mailto:).
    Keep,
    /// A relative link to something that does not exist; the message says what.
    Broken(String),
    /// A picture with resized variants: the renderer writes it as
    /// `<picture>` (only images resolve to this).
    Picture(Box<Picture>),
}

/// A picture as the renderer writes it: a WebP `<source>` and an `<img>`
/// with its size and `srcset` in the picture's own format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The full-size picture's URL.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` of the picture's own format (URLs without spaces or commas).
    pub srcset: String,
    /// `srcset` of the WebP variants.
    pub webp_srcset: String,
    pub sizes: String,
    /// Whether it loads lazily (every picture but the first of a page).
    pub lazy: bool,
}

impl Picture {
    /// The HTML of the picture with its alt text and title (plain text).
    pub fn html(&self, alt: &str, title: &str) -> String {
        let mut h = String::with_capacity(256 + self.srcset.len() * 2);
        h.push_str("<picture><source type=\"image/webp\" srcset=\"");
        push_url(&self.webp_srcset, &mut h);
        h.push_str("\" sizes=\"");
        highlight::escape_into(&self.sizes, &mut h);
        h.push_str("\"><img src=\"");
        push_url(&self.src, &mut h);
        h.push_str("\" alt=\"");
        highlight::escape_into(alt, &mut h);
        if !title.is_empty() {
            h.push_str("\" title=\"");
            highlight::escape_into(title, &mut h);
        }
        h.push_str(&format!(
            "\" width=\"{}\" height=\"{}\" srcset=\"",
            self.width, self.height
        ));
        push_url(&self.srcset, &mut h);
        h.push_str("\" sizes=\"");
        highlight::escape_into(&self.sizes, &mut h);
        h.push('"');
        if self.lazy {
            h.push_str(" loading=\"lazy\"");
        }
        h.push_str(" decoding=\"async\"></picture>");
        h
    }
}

/// A URL (or `srcset`) in an attribute: what is not safe in one
/// percent-encoded as pulldown-cmark does for `src`, `&` and `'` escaped.
fn push_url(url: &str, out: &mut String) {
    for b in url.bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#39;"),
            b if b.is_ascii_alphanumeric() || b"-_.~!*();:@=+$/?#[]%, ".contains(&b) => {
                out.push(b as char)
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
}

/// Rendering switches that come from the config.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub highlight_code: bool,
    pub smart_punctuation: bool,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link that could not be resolved, with its byte offset in the Markdown.
#[derive(Debug, Clone)]
pub struct BrokenLink {
    pub offset: usize,
    pub message: String,
}

/// The rendered body of a post or page.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML of the summary: before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// Plain text of the first paragraph (the fallback description).
    pub summary_text: String,
    /// Whether the body holds more than the summary.
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    pub broken_links: Vec<BrokenLink>,
    /// Whether the HTML holds anything the sanitizer might have to remove: raw
    /// HTML, a link or image URL other than a relative, `http(s):`, `mailto:`
    /// or `tel:` one, or heading attributes beyond id and classes. Without any
    /// of these, everything in it was written and escaped by the Markdown
    /// renderer, and [`sanitize::add_link_rels`] is all the sanitizer would do.
    pub needs_sanitizer: bool,
    /// What rendering found worth a warning: what the sanitizer removed.
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// Fenced code blocks whose language no syntax answers to (shown plain).
    pub unknown_languages: Vec<UnknownLanguage>,
    /// The post's cover picture, processed (filled by the caller).
    pub cover: Option<Picture>,
}

/// A fence whose language word names no known syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// Byte offset of the language word in the Markdown.
    pub offset: usize,
    /// The word as written.
    pub lang: String,
}

impl Rendered {
    /// Minutes of reading at 220 words a minute, at least one.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(220).max(1)
    }
}

pub(crate) fn parser_options(opts: RenderOptions) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if opts.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Where the language word of the fence at `start` is: after the fence's
/// backticks or tildes on its first line, if written there as pulldown-cmark
/// read it (an escape or entity in it would differ); else the fence itself.
fn unknown_language(src: &str, start: usize, info: &str) -> UnknownLanguage {
    let lang = highlight::fence_language(info).to_string();
    let line = src.get(start..).unwrap_or("");
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let offset = line
        .find(['`', '~'])
        .map(|f| {
            let rest = &line[f..];
            let after = f + rest.len() - rest.trim_start_matches(['`', '~']).len();
            after + line[after..].len() - line[after..].trim_start().len()
        })
        .filter(|&at| line[at..].starts_with(&lang))
        .unwrap_or(0);
    UnknownLanguage {
        offset: start + offset,
        lang,
    }
}

fn is_more_marker(html: &str) -> bool {
    let t = html.trim();
    t.strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// Renders Markdown, highlighting code with the built-in syntaxes. `resolve`
/// maps every link and image destination (its second argument is true for
/// images).
pub fn render(
    src: &str,
    opts: RenderOptions,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
) -> Rendered {
    render_with_syntaxes(src, opts, &highlight::Syntaxes::default(), resolve)
}

/// Renders Markdown like [`render`], highlighting code with `syntaxes` (a
/// site's own ones added to the built-in set).
pub fn render_with_syntaxes(
    src: &str,
    opts: RenderOptions,
    syntaxes: &highlight::Syntaxes,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
) -> Rendered {
    render_parts(src, opts, syntaxes, resolve, Parts::Everything)
}

/// Renders Markdown like [`render_with_syntaxes`] but leaves the page body
/// (`html`) empty: what lists, feeds' summaries and checks need (summary,
/// description, table of contents, word count, broken links, unknown
/// languages, whether the sanitizer is needed). Only the code blocks inside
/// the summary are highlighted, so a build can keep this for every post and
/// render each body once, when its page is written
/// ([`render_body_with_syntaxes`]), rather than hold every body at once.
pub fn render_listing_with_syntaxes(
    src: &str,
    opts: RenderOptions,
    syntaxes: &highlight::Syntaxes,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
) -> Rendered {
    render_parts(src, opts, syntaxes, resolve, Parts::Listing)
}

/// Renders only the page body (`html`, with the table of contents and what
/// the event pass finds): the summary is left empty. The body equals the one
/// [`render_with_syntaxes`] makes.
pub fn render_body_with_syntaxes(
    src: &str,
    opts: RenderOptions,
    syntaxes: &highlight::Syntaxes,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
) -> Rendered {
    render_parts(src, opts, syntaxes, resolve, Parts::Body)
}

/// Which parts of a [`Rendered`] to make.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parts {
    Everything,
    /// All but the page body.
    Listing,
    /// All but the summary.
    Body,
}

fn render_parts(
    src: &str,
    opts: RenderOptions,
    syntaxes: &highlight::Syntaxes,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
    parts: Parts,
) -> Rendered {
    let mut out = Rendered::default();
    // Listing: code blocks wait until the summary's end is known (a
    // `<!-- more -->` further down moves it); only those before it are
    // highlighted. Each holds its event's index, info string, offset and code.
    let mut deferred: Vec<(usize, String, usize, String)> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(src.len() / 16);
    // Indices of events that only belong in the full page (heading anchors).
    let mut page_only: HashSet<usize> = HashSet::new();
    let mut more_at: Option<usize> = None;
    let mut first_para_end: Option<usize> = None;
    let mut depth = 0usize;
    let mut in_first_para = false;
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    // Open heading: index of its Start event, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    // Open code block: its info string, its offset, and its text so far.
    let mut code: Option<(String, usize, String)> = None;
    let mut words = 0usize;
    // Open picture: how it is written, its alt text so far, its title, and
    // how many images are open inside its alt text.
    let mut picture: Option<(Box<Picture>, String, String, usize)> = None;

    for (event, range) in Parser::new_ext(src, parser_options(opts)).into_offset_iter() {
        if let Some((pic, alt, title, nested)) = &mut picture {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::Start(Tag::Image { .. }) => *nested += 1,
                Event::End(TagEnd::Image) if *nested > 0 => *nested -= 1,
                Event::End(TagEnd::Image) => {
                    // The alt text counts as the image's text did before.
                    words += alt.split_whitespace().count();
                    if in_first_para {
                        out.summary_text.push_str(alt);
                    }
                    events.push(Event::Html(pic.html(alt, title).into()));
                    picture = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some((info, start, buf)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) if parts == Parts::Listing => {
                    let (info, start, buf) = code.take().unwrap_or_default();
                    deferred.push((events.len(), info, start, buf));
                    events.push(Event::Html(CowStr::Borrowed("")));
                }
                Event::End(TagEnd::CodeBlock) => {
                    let mut html = String::with_capacity(buf.len() * 2);
                    if !highlight::code_block(syntaxes, info, buf, opts.highlight_code, &mut html) {
                        out.unknown_languages
                            .push(unknown_language(src, *start, info));
                    }
                    events.push(Event::Html(html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, range.start, String::new()));
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((events.len(), String::new()));
                if !attrs.is_empty() {
                    out.needs_sanitizer = true;
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    let id = match &mut events[start] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => id.to_string(),
                        Event::Start(Tag::Heading { id, .. }) => {
                            let mut base = slugify(&text);
                            if base.is_empty() {
                                base = "section".into();
                            }
                            let mut candidate = base.clone();
                            let mut n = 1;
                            while used_ids.contains(&candidate) {
                                candidate = format!("{base}-{n}");
                                n += 1;
                            }
                            *id = Some(CowStr::from(candidate.clone()));
                            candidate
                        }
                        _ => unreachable!("heading start recorded at its index"),
                    };
                    used_ids.insert(id.clone());
                    let mut anchor = String::from(" <a class=\"anchor\" href=\"#");
                    highlight::escape_into(&id, &mut anchor);
                    anchor.push_str("\" aria-label=\"Link to this section\">#</a>");
                    page_only.insert(events.len());
                    events.push(Event::Html(anchor.into()));
                    headings.push((level_num(level), id, text.trim().to_string()));
                }
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Paragraph) => {
                if depth == 0 && first_para_end.is_none() {
                    in_first_para = true;
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                if in_first_para && depth == 1 {
                    in_first_para = false;
                    first_para_end = Some(events.len() + 1);
                }
                Event::End(TagEnd::Paragraph)
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => {
                if more_at.is_none() {
                    more_at = Some(events.len());
                }
                continue;
            }
            // A task's checkbox as pulldown-cmark writes it, with a name:
            // a form field without one fails WCAG 4.1.2 (axe-core's `label`).
            // The write page's preview writes the same.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
                "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Task\"/>\n"
            } else {
                "<input disabled=\"\" type=\"checkbox\" aria-label=\"Task\"/>\n"
            })),
            e @ (Event::Html(_) | Event::InlineHtml(_)) => {
                out.needs_sanitizer = true;
                e
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An email autolink (`<ada@example.org>`) is an address, not a
                // path: the HTML writer makes it a `mailto:` link.
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    rewrite(&dest_url, false, resolve, range.start, &mut out)
                        .map(CowStr::from)
                        .unwrap_or(dest_url)
                };
                if !plainly_safe_url(&dest_url) {
                    out.needs_sanitizer = true;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match resolve(&dest_url, true) {
                    Resolved::Picture(p) => {
                        picture = Some((p, String::new(), title.to_string(), 0));
                        continue;
                    }
                    Resolved::Url(u) => CowStr::from(u),
                    Resolved::Keep => dest_url,
                    Resolved::Broken(message) => {
                        out.broken_links.push(BrokenLink {
                            offset: range.start,
                            message,
                        });
                        dest_url
                    }
                };
                if !plainly_safe_url(&dest_url) {
                    out.needs_sanitizer = true;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        // A character reference (`&#1;`) can name a control character that
        // breaks feeds: it goes, like those written as they are (`text::clean`).
        let event = match event {
            Event::Text(t) if t.chars().any(crate::text::clean::is_forbidden) => {
                let mut s = t.into_string();
                crate::text::clean::clean_str(&mut s);
                Event::Text(s.into())
            }
            e => e,
        };
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                words += t.split_whitespace().count();
                if let Some((_, h)) = &mut heading {
                    h.push_str(t);
                }
                if in_first_para {
                    out.summary_text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first_para => out.summary_text.push(' '),
            _ => {}
        }
        events.push(event);
    }

    let split = more_at
        .or(first_para_end)
        .unwrap_or(events.len())
        .min(events.len());
    for (at, info, start, buf) in deferred {
        // After the summary, only whether the language is known matters:
        // nothing is highlighted there (the body pass does it, once).
        let known = if at < split {
            let mut html = String::with_capacity(buf.len() * 2);
            let known =
                highlight::code_block(syntaxes, &info, &buf, opts.highlight_code, &mut html);
            events[at] = Event::Html(html.into());
            known
        } else {
            highlight::language_known(syntaxes, &info, opts.highlight_code)
        };
        if !known {
            out.unknown_languages
                .push(unknown_language(src, start, &info));
        }
    }
    if parts != Parts::Listing {
        let mut html = String::with_capacity(src.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
        out.html = html;
    }
    out.has_more = events[split..]
        .iter()
        .any(|e| !matches!(e, Event::SoftBreak | Event::HardBreak));
    let summary_events = events[..split]
        .iter()
        .enumerate()
        .filter(|(i, e)| !page_only.contains(i) && !matches!(e, Event::FootnoteReference(_)))
        .map(|(_, e)| match e {
            // Summaries are shown many to a page: their headings carry no ids.
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => Event::Start(Tag::Heading {
                level: *level,
                id: None,
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            e => e.clone(),
        });
    if parts != Parts::Body {
        pulldown_cmark::html::push_html(&mut out.summary, summary_events);
    }
    out.summary_text = out
        .summary_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    out.word_count = words;
    out.toc = build_toc(&headings);
    out
}

/// Whether a URL is one the sanitizer lets through as it is, by a rule simple
/// enough to see at a glance: no whitespace or control characters, and either no
/// scheme (relative, or a fragment) or one of `http`, `https`, `mailto`, `tel`
/// in a URL that parses (the sanitizer drops the ones that do not, like
/// `http:%22`). Anything else is left to the sanitizer to judge.
fn plainly_safe_url(url: &str) -> bool {
    if url
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return false;
    }
    match url.find([':', '/', '?', '#']) {
        Some(i) if url.as_bytes()[i] == b':' => {
            matches!(
                url[..i].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto" | "tel"
            ) && url::Url::parse(url).is_ok()
        }
        _ => true,
    }
}

fn rewrite(
    dest: &str,
    image: bool,
    resolve: &(dyn Fn(&str, bool) -> Resolved + Sync),
    offset: usize,
    out: &mut Rendered,
) -> Option<String> {
    match resolve(dest, image) {
        Resolved::Url(u) => Some(u),
        Resolved::Picture(p) => Some(p.src),
        Resolved::Keep => None,
        Resolved::Broken(message) => {
            out.broken_links.push(BrokenLink { offset, message });
            None
        }
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Nests headings by level: each heading holds the deeper ones that follow it.
fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(items: &[(u8, String, String)], i: &mut usize, parent_level: u8) -> Vec<TocEntry> {
        let mut out = Vec::new();
        while *i < items.len() && items[*i].0 > parent_level {
            let (level, id, title) = &items[*i];
            *i += 1;
            let children = take(items, i, *level);
            out.push(TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        out
    }
    let mut i = 0;
    take(headings, &mut i, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: RenderOptions = RenderOptions {
        highlight_code: true,
        smart_punctuation: true,
    };

    fn keep(_: &str, _: bool) -> Resolved {
        Resolved::Keep
    }

    /// The listing pass and the body pass make, between them, exactly what
    /// one full render makes: a build renders a post in two passes.
    #[test]
    fn listing_and_body_passes_make_the_full_render() {
        let docs = [
            "Intro with `code`.\n\n```rust\nfn a() {}\n```\n\n## Later\n\nMore.",
            "```python\nx = 1\n```\n\nFirst para after code.\n\n```nosuchlang\nq\n```\n",
            "One.\n\n```toml\na = 1\n```\n\n<!-- more -->\n\n```bash\necho hi\n```\n\n```zzz\n?\n```\n",
            "# Title\n\n```\nplain\n```\n\n```js\nlet b = [x](y.md);\n```\n\nText [link](other.md).[^1]\n\n[^1]: Note.\n",
            "<div>raw</div>\n\n```go\npackage main\n```",
            "",
        ];
        let syntaxes = highlight::Syntaxes::default();
        let broken = |d: &str, _: bool| {
            if d.ends_with(".md") {
                Resolved::Broken(format!("no {d}"))
            } else {
                Resolved::Keep
            }
        };
        for doc in docs {
            let full = render_with_syntaxes(doc, OPTS, &syntaxes, &broken);
            let list = render_listing_with_syntaxes(doc, OPTS, &syntaxes, &broken);
            let body = render_body_with_syntaxes(doc, OPTS, &syntaxes, &broken);
            assert_eq!(list.html, "", "{doc}");
            assert_eq!(body.html, full.html, "{doc}");
            assert_eq!(list.summary, full.summary, "{doc}");
            assert_eq!(list.summary_text, full.summary_text, "{doc}");
            assert_eq!(list.has_more, full.has_more, "{doc}");
            assert_eq!(list.toc, full.toc, "{doc}");
            assert_eq!(list.word_count, full.word_count, "{doc}");
            assert_eq!(list.needs_sanitizer, full.needs_sanitizer, "{doc}");
            assert_eq!(list.unknown_languages, full.unknown_languages, "{doc}");
            let offsets = |r: &Rendered| -> Vec<(usize, String)> {
                r.broken_links
                    .iter()
                    .map(|b| (b.offset, b.message.clone()))
                    .collect()
            };
            assert_eq!(offsets(&list), offsets(&full), "{doc}");
        }
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let r = render("# A\n\n## Intro\n\n## Intro\n\n### Deep\n", OPTS, &keep);
        assert!(r.html.contains("<h2 id=\"intro\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"intro-1\">"));
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].children[0].id, "deep");
    }

    #[test]
    fn summary_before_more_marker() {
        let r = render(
            "One.\n\nTwo[^1].\n\n<!-- more -->\n\nThree.\n\n[^1]: note\n",
            OPTS,
            &keep,
        );
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>\n");
        assert!(r.has_more);
        assert_eq!(r.summary_text, "One.");
    }

    #[test]
    fn summary_is_first_paragraph() {
        let r = render("## Hi\n\nFirst *para*\nline.\n\nSecond.\n", OPTS, &keep);
        assert_eq!(
            r.summary,
            "<h2>Hi</h2>\n<p>First <em>para</em>\nline.</p>\n"
        );
        assert_eq!(r.summary_text, "First para line.");
        assert!(r.has_more);
        let r = render("Only.\n", OPTS, &keep);
        assert!(!r.has_more);
    }

    #[test]
    fn links_are_resolved_and_broken_ones_reported() {
        let resolve = |d: &str, img: bool| match (d, img) {
            ("other.md", false) => Resolved::Url("https://x.example/posts/other/".into()),
            ("gone.md", false) => Resolved::Broken("no such post".into()),
            _ => Resolved::Keep,
        };
        let r = render("[a](other.md) [b](gone.md) ![c](pic.png)", OPTS, &resolve);
        assert!(r.html.contains("href=\"https://x.example/posts/other/\""));
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].offset, 14);
    }

    #[test]
    fn email_autolinks_are_mailto_links_not_files() {
        let resolve = |d: &str, _: bool| Resolved::Broken(format!("no file {d}"));
        let r = render("Write to <security@example.org>.", OPTS, &resolve);
        assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
        assert_eq!(
            r.html,
            "<p>Write to <a href=\"mailto:security@example.org\">security@example.org</a>.</p>\n"
        );
        assert!(!r.needs_sanitizer);
    }

    #[test]
    fn counts_words_and_reading_time() {
        let r = render("one two three\n\n```rust\nlet x = 1;\n```\n", OPTS, &keep);
        assert_eq!(r.word_count, 3);
        assert_eq!(r.reading_time(), 1);
        assert!(r.html.contains("data-lang=\"rust\""));
    }

    #[test]
    fn task_checkboxes_have_a_name() {
        let r = render("- [x] done\n- [ ] next\n", OPTS, &keep);
        assert_eq!(
            r.html,
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Task\"/>\n\
             done</li>\n<li><input disabled=\"\" type=\"checkbox\" aria-label=\"Task\"/>\nnext</li>\n</ul>\n"
        );
        assert!(!r.needs_sanitizer);
    }

    #[test]
    fn content_braces_are_text() {
        let r = render("{{ config.title }} {% if x %}", OPTS, &keep);
        assert!(r.html.contains("{{ config.title }}"));
    }
}
