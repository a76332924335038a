//! Raw HTML in guest posts is untrusted: after rendering, the HTML goes through
//! ammonia, which keeps the markup Markdown produces (and safe raw HTML) and
//! removes scripts, event handlers, `javascript:` URLs, styles, forms and iframes
//! from hosts that the config does not allow.
//!
//! A guest should learn that their embed will not work before their post is
//! merged, so [`Sanitizer::removals`] finds, in the Markdown, what the sanitizer
//! will remove and where. ammonia reports nothing, so each raw HTML tag (read by
//! html5ever's tokenizer, as a browser reads it), each link and picture address
//! and each heading attribute is put to the same ammonia builder on its own:
//! what does not come back is what the post loses. The builder is the judge, so
//! the report cannot disagree with the sanitizer about clean input.

use std::cell::RefCell;
use std::collections::HashSet;

use ammonia::Builder;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Whether an attribute value that ammonia's allow-list let through is also safe
/// in its element: only checkbox inputs, only alignment styles, only iframes from
/// allowed hosts.
fn keep_attribute(
    iframe_hosts: &HashSet<String>,
    element: &str,
    attribute: &str,
    value: &str,
) -> bool {
    match (element, attribute) {
        ("input", "type") => value == "checkbox",
        ("td" | "th", "style") => matches!(
            value.trim().trim_end_matches(';').replace(' ', "").as_str(),
            "text-align:left" | "text-align:center" | "text-align:right"
        ),
        ("iframe", "src") => {
            let host = value
                .strip_prefix("https://")
                .and_then(|r| r.split(['/', '?', '#', ':']).next())
                .unwrap_or("")
                .to_lowercase();
            iframe_hosts.contains(&host)
        }
        _ => true,
    }
}

/// Elements of ammonia's default allow-list that make a page invalid HTML:
/// obsolete ones, and image maps (a `<map>` needs a `name`, which ammonia drops).
const OBSOLETE_TAGS: [&str; 6] = ["acronym", "center", "strike", "tt", "map", "area"];

/// Attributes of ammonia's default allow-list that are obsolete in HTML.
const OBSOLETE_ATTRIBUTES: [(&str, &[&str]); 11] = [
    ("col", &["align", "char", "charoff"]),
    ("colgroup", &["align", "char", "charoff"]),
    ("hr", &["align", "size", "width"]),
    ("img", &["align"]),
    ("table", &["align", "char", "charoff", "summary"]),
    ("tbody", &["align", "char", "charoff"]),
    ("td", &["align", "char", "charoff"]),
    ("tfoot", &["align", "char", "charoff"]),
    ("th", &["align", "char", "charoff"]),
    ("thead", &["align", "char", "charoff"]),
    ("tr", &["align", "char", "charoff"]),
];

/// A sanitizer configured once per build.
pub struct Sanitizer {
    builder: Builder<'static>,
    /// The elements it keeps: such a tag without attributes loses nothing.
    tags: HashSet<&'static str>,
    /// What each probe of [`Sanitizer::removals`] kept (the names of the
    /// attributes of the probed element, or `None` when it went): pasted HTML
    /// repeats the same tags.
    probes: std::sync::Mutex<std::collections::HashMap<String, Option<Vec<String>>>>,
}

/// Probes remembered per sanitizer, at most.
const PROBES_KEPT: usize = 10_000;

impl Sanitizer {
    /// `iframe_hosts`: hosts (like `www.youtube-nocookie.com`) whose iframes stay.
    pub fn new(iframe_hosts: &[String]) -> Self {
        let mut builder = Builder::default();
        builder
            .add_generic_attributes([
                "class",
                "id",
                "aria-label",
                "aria-hidden",
                "title",
                "lang",
                "dir",
            ])
            .add_tag_attributes("pre", ["data-lang"])
            .add_tags([
                "input",
                "figure",
                "figcaption",
                "section",
                "details",
                "summary",
                "mark",
                "picture",
                "source",
            ])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes(
                "img",
                ["width", "height", "loading", "decoding", "srcset", "sizes"],
            )
            .add_tag_attributes("source", ["type", "srcset", "sizes"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .link_rel(Some("noopener noreferrer"));
        // Obsolete HTML that ammonia allows by default fails the HTML checker:
        // not even a guest's paste may make a page invalid.
        builder.rm_tags(OBSOLETE_TAGS);
        for (tag, attrs) in OBSOLETE_ATTRIBUTES {
            builder.rm_tag_attributes(tag, attrs);
        }
        let hosts: HashSet<String> = iframe_hosts.iter().map(|h| h.to_lowercase()).collect();
        if !hosts.is_empty() {
            builder.add_tags(["iframe"]).add_tag_attributes(
                "iframe",
                [
                    "src",
                    "width",
                    "height",
                    "title",
                    "allowfullscreen",
                    "loading",
                ],
            );
        }
        builder.attribute_filter(move |element, attribute, value| {
            keep_attribute(&hosts, element, attribute, value).then(|| value.into())
        });
        Sanitizer {
            tags: builder.clone_tags(),
            builder,
            probes: Default::default(),
        }
    }

    /// Cleans one fragment of HTML.
    pub fn clean(&self, html: &str) -> String {
        fix_up(&self.builder.clean(html).to_string())
    }

    /// What the sanitizer removes from the HTML of the Markdown `md`, each at
    /// the byte offset (in `md`) of the line it is on, in the order written.
    pub fn removals(&self, md: &str, opts: super::RenderOptions) -> Vec<Removal> {
        let mut out = Vec::new();
        // Lines of the raw HTML block being read: (text, offset in `md`).
        let mut block: Option<Vec<(String, usize)>> = None;
        // A removed element whose content is being read, with its nesting depth:
        // the tags inside it are not reported again. Forgotten at the end of
        // each top-level block, where a browser would have closed it too.
        let mut inside: Option<(String, usize)> = None;
        let mut depth = 0usize;
        for (event, range) in Parser::new_ext(md, super::parser_options(opts)).into_offset_iter() {
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        inside = None;
                    }
                }
                _ => {}
            }
            match event {
                Event::Start(Tag::HtmlBlock) => block = Some(Vec::new()),
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some(lines) = block.take() {
                        self.raw_html(&lines, &mut inside, &mut out);
                    }
                }
                Event::Html(h) => match &mut block {
                    Some(lines) => lines.push((h.to_string(), range.start)),
                    None => self.raw_html(&[(h.to_string(), range.start)], &mut inside, &mut out),
                },
                Event::InlineHtml(h) => {
                    self.raw_html(&[(h.to_string(), range.start)], &mut inside, &mut out)
                }
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Email,
                    ..
                }) => {}
                e @ Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    // The tag as the renderer writes it (its escaping of the
                    // address included), read back as a browser would.
                    let end = match &e {
                        Event::Start(Tag::Image { .. }) => TagEnd::Image,
                        _ => TagEnd::Link,
                    };
                    let mut html = String::new();
                    pulldown_cmark::html::push_html(&mut html, [e, Event::End(end)].into_iter());
                    if let Some(t) = start_and_end_tags(&html).into_iter().find(|t| t.start) {
                        self.tag_removals(&t.name, &t.attrs, range.start, &mut out);
                    }
                }
                Event::Start(Tag::Heading { level, attrs, .. }) if !attrs.is_empty() => {
                    let attrs: Vec<(String, String)> = attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_deref().unwrap_or("").to_string()))
                        .collect();
                    self.tag_removals(&level.to_string(), &attrs, range.start, &mut out);
                }
                _ => {}
            }
        }
        out
    }

    /// The removals in one piece of raw HTML: the lines of an HTML block, or
    /// one inline tag.
    fn raw_html(
        &self,
        lines: &[(String, usize)],
        inside_removed: &mut Option<(String, usize)>,
        out: &mut Vec<Removal>,
    ) {
        let text: String = lines.iter().map(|(l, _)| l.as_str()).collect();
        // Where each line of `text` starts in the Markdown.
        let mut starts = Vec::new();
        for (line, offset) in lines {
            let mut at = *offset;
            for piece in line.split_inclusive('\n') {
                starts.push(at);
                at += piece.len();
            }
        }
        for t in start_and_end_tags(&text) {
            let offset = starts
                .get(t.line.saturating_sub(1))
                .or(starts.last())
                .copied()
                .unwrap_or(0);
            if let Some((name, depth)) = inside_removed {
                if *name == t.name {
                    if t.start {
                        *depth += 1;
                    } else {
                        *depth -= 1;
                        if *depth == 0 {
                            *inside_removed = None;
                        }
                    }
                }
                continue;
            }
            if !t.start {
                continue;
            }
            let before = out.len();
            self.tag_removals(&t.name, &t.attrs, offset, out);
            if out[before..].iter().any(|r| r.element)
                && !VOID.contains(&t.name.as_str())
                && !t.self_closing
            {
                *inside_removed = Some((t.name.clone(), 1));
            }
        }
    }

    /// What the sanitizer removes from one start tag, judged by the sanitizer
    /// itself on that tag alone (inside a table when it belongs in one).
    fn tag_removals(
        &self,
        name: &str,
        attrs: &[(String, String)],
        offset: usize,
        out: &mut Vec<Removal>,
    ) {
        let plain =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let removed_element = |out: &mut Vec<Removal>| {
            out.push(Removal {
                offset,
                element: true,
                message: element_message(name),
            });
        };
        if !plain(name) {
            removed_element(out);
            return;
        }
        if attrs.is_empty() && self.tags.contains(name) {
            return;
        }
        let (open, close) = match name {
            "td" | "th" => ("<table><tbody><tr>", "</tr></tbody></table>"),
            "tr" => ("<table><tbody>", "</tbody></table>"),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => ("<table>", "</table>"),
            "col" => ("<table><colgroup>", "</colgroup></table>"),
            _ => ("", ""),
        };
        let mut probe = format!("{open}<{name}");
        let mut asked = Vec::new();
        for (k, v) in attrs {
            // No allow-list holds a name with other characters.
            if !plain(k) && !k.contains(':') || k.contains(['"', '\'', '<', '>', '=', '/']) {
                out.push(Removal {
                    offset,
                    element: false,
                    message: attribute_message(name, k, v),
                });
                continue;
            }
            probe.push(' ');
            probe.push_str(k);
            probe.push_str("=\"");
            super::highlight::escape_into(v, &mut probe);
            probe.push('"');
            asked.push((k, v));
        }
        probe.push('>');
        if !VOID.contains(&name) {
            let _ = std::fmt::Write::write_fmt(&mut probe, format_args!("</{name}>"));
        }
        probe.push_str(close);
        let known = self.probes.lock().ok().and_then(|p| p.get(&probe).cloned());
        let kept = known.unwrap_or_else(|| {
            // (ammonia's own output: `fix_up` drops a picture without its address.)
            let cleaned = self.builder.clean(&probe).to_string();
            let kept = start_and_end_tags(&cleaned)
                .into_iter()
                .find(|t| t.start && t.name == name)
                .map(|t| t.attrs.into_iter().map(|(n, _)| n).collect::<Vec<_>>());
            if let Ok(mut p) = self.probes.lock()
                && p.len() < PROBES_KEPT
            {
                p.insert(probe, kept.clone());
            }
            kept
        });
        match kept {
            None => removed_element(out),
            Some(kept) => {
                for (k, v) in asked {
                    if !kept.iter().any(|n| n == k) {
                        out.push(Removal {
                            offset,
                            element: false,
                            message: attribute_message(name, k, v),
                        });
                    }
                }
            }
        }
    }
}

/// Warnings for what the sanitizer removes from the body `body` of the file
/// `source`, whose first line is line `body_line` of the file.
pub fn removal_warnings(
    removals: Vec<Removal>,
    source: &std::path::Path,
    body: &str,
    body_line: usize,
) -> Vec<crate::diag::Diagnostic> {
    removals
        .into_iter()
        .map(|r| {
            let (line, col) = crate::diag::line_col(body, r.offset);
            let mut d = crate::diag::Diagnostic::warning(r.message)
                .kind(crate::diag::Kind::RemovedHtml)
                .in_file(source)
                .hint("readers will not get it: remove it from the post, or link to what it shows");
            d.line = Some(line + body_line - 1);
            d.col = Some(col);
            d.source_line = body
                .lines()
                .nth(line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
            d
        })
        .collect()
}

/// Something the sanitizer removes from a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Byte offset, in the Markdown, of the line it is on.
    pub offset: usize,
    /// Whether a whole element goes (else an attribute).
    pub element: bool,
    /// What is removed and why, in the guest's words.
    pub message: String,
}

/// Elements without content or end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

fn element_message(name: &str) -> String {
    let why = match name {
        "script" | "noscript" => "scripts do not run in guest posts",
        "style" | "link" => "guest posts cannot bring their own styles",
        "iframe" | "frame" | "frameset" => {
            "embedded pages are allowed only from the hosts in `allowed_iframe_hosts` under [guest] in gen.toml"
        }
        "object" | "embed" | "applet" | "param" => "plug-in embeds are not allowed in guest posts",
        "form" | "input" | "button" | "select" | "option" | "textarea" | "label" | "fieldset" => {
            "forms are not allowed in guest posts"
        }
        "meta" | "base" | "html" | "head" | "body" | "title" => {
            "a post is part of a page and cannot change the page itself"
        }
        "svg" | "math" | "canvas" | "video" | "audio" => {
            "it is not among the HTML elements guest posts may use; link to it or use a picture"
        }
        _ if OBSOLETE_TAGS.contains(&name) => "it is obsolete HTML, which makes the page invalid",
        _ => "it is not among the HTML elements guest posts may use",
    };
    let what = match name {
        "script" | "style" => format!("`<{name}>` and its content"),
        _ => format!("`<{name}>`"),
    };
    format!("the sanitizer removes {what}: {why}")
}

fn attribute_message(element: &str, attr: &str, value: &str) -> String {
    let lower = value.trim().to_ascii_lowercase();
    let why = if attr.starts_with("on") {
        "event handlers run scripts, which do not run in guest posts".to_string()
    } else if attr == "style" {
        "guest posts cannot style their HTML (only text alignment in table cells)".to_string()
    } else if matches!(
        attr,
        "href" | "src" | "action" | "formaction" | "data" | "poster" | "ping" | "xlink:href"
    ) {
        if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
            "addresses that run scripts are not allowed".to_string()
        } else if element == "iframe" {
            "embedded pages are allowed only from the hosts in `allowed_iframe_hosts` under [guest] in gen.toml".to_string()
        } else {
            "only web (http, https), mail, phone and relative addresses are allowed".to_string()
        }
    } else if OBSOLETE_ATTRIBUTES
        .iter()
        .any(|(e, attrs)| *e == element && attrs.contains(&attr))
    {
        format!("`{attr}` on `<{element}>` is obsolete HTML, which makes the page invalid")
    } else if element == "input" && attr == "type" {
        "only checkboxes are allowed".to_string()
    } else {
        format!("`{attr}` is not an attribute guest posts may use on `<{element}>`")
    };
    let shown = if value.chars().count() > 60 {
        format!("{}…", value.chars().take(60).collect::<String>())
    } else {
        value.to_string()
    };
    if element == "img" && attr == "src" {
        format!("the sanitizer removes the picture `{shown}`: {why}")
    } else if matches!(attr, "href" | "src") && !value.is_empty() {
        format!("the sanitizer removes the address `{shown}` from `<{element}>`: {why}")
    } else {
        format!("the sanitizer removes the `{attr}` attribute of `<{element}>`: {why}")
    }
}

/// A start or end tag, as html5ever's tokenizer reads it.
#[derive(Debug)]
struct TagSeen {
    start: bool,
    self_closing: bool,
    name: String,
    attrs: Vec<(String, String)>,
    /// 1-based line of the text it was read from.
    line: usize,
}

#[derive(Default)]
struct Tags(RefCell<Vec<TagSeen>>);

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let start = tag.kind == TagKind::StartTag;
        let name = tag.name.to_string();
        self.0.borrow_mut().push(TagSeen {
            start,
            self_closing: tag.self_closing,
            name: name.clone(),
            attrs: tag
                .attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
        });
        // As a browser's tree builder tells its tokenizer: the content of these
        // elements is text, not tags.
        match (start, name.as_str()) {
            (true, "script") => TokenSinkResult::RawData(RawKind::ScriptData),
            (true, "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript") => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            (true, "textarea" | "title") => TokenSinkResult::RawData(RawKind::Rcdata),
            (true, "plaintext") => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// The start and end tags of some HTML, in order.
fn start_and_end_tags(html: &str) -> Vec<TagSeen> {
    let tokenizer = Tokenizer::new(Tags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Makes ammonia's output valid HTML where removing something left it invalid:
/// a link whose `href` was removed loses the `rel` that ammonia adds to every
/// link (`rel` is only allowed with `href`), and a picture or an iframe whose
/// `src` was removed is dropped (it would show nothing, or an empty frame; and
/// a picture needs `src`).
///
/// It reads the output of html5ever's serializer, which ammonia uses: start
/// tags are `<name attr="value">` with `"` escaped in values, text escapes `<`,
/// and only raw-text elements (their content skipped here) hold a bare `<`.
/// Anything else leaves the HTML as it is.
fn fix_up(html: &str) -> String {
    if !["<a", "<img", "<iframe"].iter().any(|t| html.contains(t)) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(tag) = read_start_tag(rest) else {
            // An end tag, or something unexpected: copied up to its end.
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let has = |n: &str| tag.attrs.iter().any(|(k, _)| *k == n);
        match tag.name {
            "img" if !has("src") => {}
            "iframe" if !has("src") => {
                // An empty frame: dropped with its end tag.
                rest = &rest[tag.len..];
                let end = rest
                    .find("</iframe>")
                    .map_or(rest.len(), |e| e + "</iframe>".len());
                rest = &rest[end..];
                continue;
            }
            "a" if !has("href") && has("rel") => {
                out.push_str("<a");
                for (k, raw) in &tag.attrs {
                    if *k != "rel" {
                        out.push(' ');
                        out.push_str(raw);
                    }
                }
                out.push('>');
            }
            _ => out.push_str(&rest[..tag.len]),
        }
        let raw_text = matches!(
            tag.name,
            "script"
                | "style"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "noscript"
                | "plaintext"
        );
        rest = &rest[tag.len..];
        if raw_text {
            let close = format!("</{}", tag.name);
            let end = rest.find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// A start tag as html5ever's serializer writes it, at the start of `s`.
struct StartTag<'a> {
    name: &'a str,
    /// Each attribute's name and its whole text (`name="value"`).
    attrs: Vec<(&'a str, &'a str)>,
    /// Length of the tag in bytes.
    len: usize,
}

fn read_start_tag(s: &str) -> Option<StartTag<'_>> {
    let body = s.strip_prefix('<')?;
    let name_len = body.find([' ', '>'])?;
    let name = &body[..name_len];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let mut i = 1 + name_len;
    let mut attrs = Vec::new();
    loop {
        let r = &s[i..];
        if let Some(after) = r.strip_prefix('>') {
            let _ = after;
            return Some(StartTag {
                name,
                attrs,
                len: i + 1,
            });
        }
        let r = r.strip_prefix(' ')?;
        let eq = r.find(['=', ' ', '>'])?;
        let attr_name = &r[..eq];
        if r.as_bytes()[eq] != b'=' || !r[eq + 1..].starts_with('"') {
            // An attribute without a value (ammonia writes `name=""`).
            return None;
        }
        let value_end = eq + 2 + r[eq + 2..].find('"')?;
        attrs.push((attr_name, &r[..=value_end]));
        i += 1 + value_end + 1;
    }
}

/// What a guest body's HTML becomes: the sanitizer's output when the renderer
/// says the HTML needs it, else the same HTML with the link rels the sanitizer
/// would add, and without the NUL characters its HTML parser drops from text
/// (the shortcut, exact for HTML the renderer wrote entirely;
/// `tests/testsuite/sanitize_props.rs` proves it on hostile input).
pub fn guest_html(sanitizer: &Sanitizer, html: &str, needs_sanitizer: bool) -> String {
    if needs_sanitizer {
        sanitizer.clean(html)
    } else {
        let mut out = if html.contains('\0') {
            html.replace('\0', "")
        } else {
            html.to_string()
        };
        add_link_rels(&mut out);
        out
    }
}

/// The attribute the sanitizer adds to every link.
const LINK_REL: &str = " rel=\"noopener noreferrer\"";

/// What [`Sanitizer::clean`] does to HTML that the Markdown renderer wrote
/// entirely (see [`crate::markdown::Rendered::needs_sanitizer`]): it keeps every
/// element and attribute, and adds `rel="noopener noreferrer"` at the end of each
/// link's attributes. Done here without parsing the HTML: in such HTML, `<a `
/// only starts a link tag (text and attribute values are escaped), and the first
/// `>` after it ends the tag.
pub fn add_link_rels(html: &mut String) {
    if !html.contains("<a ") {
        return;
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<a ") {
        let Some(end) = rest[start..].find('>').map(|e| start + e) else {
            break;
        };
        let tag_end = if rest[..end].ends_with('/') {
            end - 1
        } else {
            end
        };
        out.push_str(&rest[..tag_end]);
        out.push_str(LINK_REL);
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    *html = out;
}

#[cfg(test)]
mod tests;
