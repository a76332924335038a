//! Webmention endpoint discovery (W3C Webmention §3.1.2), apart from the
//! network so that each rule is tested on its own: an HTTP `Link` header with
//! `rel="webmention"` first, else the first `<link>` or `<a>` element whose
//! `rel` holds `webmention`, in document order, read with html5ever's
//! tokenizer (comments and the content of `<script>` and the like are no
//! elements). The endpoint is resolved against the page's final URL (after
//! redirects), keeps its query string, and must be http(s).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

/// Whether a `rel` value (a space-separated list) holds `webmention`.
fn is_webmention(rel: &str) -> bool {
    rel.split_ascii_whitespace()
        .any(|r| r.eq_ignore_ascii_case("webmention"))
}

/// `href` resolved against `base` (an empty one is the page itself), when
/// it is an http(s) URL.
fn resolve(base: &Url, href: &str) -> Option<Url> {
    let u = base.join(href).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.has_host()).then_some(u)
}

/// The link-values of one `Link` header (RFC 8288): each target with its
/// parameters (names lowercased, values unquoted).
fn link_values(header: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let Some(after) = rest.strip_prefix('<') else {
            // Not a link-value: skip to the next comma.
            match rest.find(',') {
                Some(at) => {
                    rest = &rest[at + 1..];
                    continue;
                }
                None => return out,
            }
        };
        let Some(end) = after.find('>') else {
            return out;
        };
        let target = after[..end].trim().to_string();
        rest = &after[end + 1..];
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start();
            let Some(after) = rest.strip_prefix(';') else {
                break;
            };
            let after = after.trim_start();
            let name_end = after.find(['=', ';', ',']).unwrap_or(after.len());
            let name = after[..name_end].trim().to_ascii_lowercase();
            rest = &after[name_end..];
            let mut value = String::new();
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim_start();
                if let Some(q) = v.strip_prefix('"') {
                    // A quoted string, with backslash escapes.
                    let mut chars = q.char_indices();
                    let mut end = q.len();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, e)) = chars.next() {
                                    value.push(e);
                                }
                            }
                            '"' => {
                                end = i + 1;
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    rest = &q[end.min(q.len())..];
                } else {
                    let end = v.find([';', ',']).unwrap_or(v.len());
                    value = v[..end].trim().to_string();
                    rest = &v[end..];
                }
            }
            params.push((name, value));
        }
        out.push((target, params));
        // Anything else before the next comma is not understood: skipped.
        if !rest.trim_start().starts_with(',') {
            match rest.find(',') {
                Some(at) => rest = &rest[at..],
                None => return out,
            }
        }
    }
}

/// The endpoint the `Link` headers of a page name, resolved against the
/// page's final URL: the first link-value whose (first) `rel` holds
/// `webmention`.
pub fn from_link_headers<'a>(
    headers: impl IntoIterator<Item = &'a str>,
    base: &Url,
) -> Option<Url> {
    headers.into_iter().find_map(|h| {
        link_values(h).into_iter().find_map(|(target, params)| {
            let rel = params.iter().find(|(n, _)| n == "rel")?;
            is_webmention(&rel.1).then(|| resolve(base, &target))?
        })
    })
}

/// The `<link>` and `<a>` elements of a page with an `href`, in document
/// order: (element name, `rel`, `href`).
#[derive(Default)]
struct Links {
    found: RefCell<Vec<(String, Option<String>, String)>>,
}

impl TokenSink for Links {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name = tag.name.to_string();
        if matches!(name.as_str(), "link" | "a") {
            let attr = |n: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == n)
                    .map(|a| a.value.to_string())
            };
            if let Some(href) = attr("href") {
                self.found
                    .borrow_mut()
                    .push((name.clone(), attr("rel"), href));
            }
        }
        crate::text::html::after_start_tag(&name)
    }
}

/// The `<link>` and `<a>` elements of `html` that have an `href`.
fn links(html: &str) -> Vec<(String, Option<String>, String)> {
    let tokenizer = Tokenizer::new(Links::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

/// The endpoint a page's HTML names, resolved against its final URL: the
/// first `<link>` or `<a>` whose `rel` holds `webmention`.
pub fn from_html(html: &str, base: &Url) -> Option<Url> {
    let href = links(html)
        .into_iter()
        .find(|(_, rel, _)| rel.as_deref().is_some_and(is_webmention))?
        .2;
    resolve(base, &href)
}

/// The `href` of each `<a>` in some HTML (a post's raw HTML), in order.
pub fn anchor_hrefs(html: &str) -> Vec<String> {
    links(html)
        .into_iter()
        .filter(|(name, _, _)| name == "a")
        .map(|(_, _, href)| href)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://rocks.example/test/1?x=y").unwrap()
    }

    fn header(values: &[&str]) -> Option<String> {
        from_link_headers(values.iter().copied(), &base()).map(|u| u.to_string())
    }

    fn html(page: &str) -> Option<String> {
        from_html(page, &base()).map(|u| u.to_string())
    }

    #[test]
    fn mentions_link_header_absolute_and_relative() {
        assert_eq!(
            header(&["<https://ep.example/wm>; rel=\"webmention\""]).as_deref(),
            Some("https://ep.example/wm")
        );
        assert_eq!(
            header(&["</test/1/webmention>; rel=webmention"]).as_deref(),
            Some("https://rocks.example/test/1/webmention")
        );
        assert_eq!(
            header(&["<wm?version=1&a=b>; REL=\"WebMention\""]).as_deref(),
            Some("https://rocks.example/test/wm?version=1&a=b")
        );
    }

    #[test]
    fn mentions_link_header_lists_and_several_headers() {
        assert_eq!(
            header(&["</wm>; rel=\"webmention somethingelse\""]).as_deref(),
            Some("https://rocks.example/wm")
        );
        assert_eq!(
            header(&["</a>; rel=\"other\", </b>; title=\"x, y; z\"; rel=\"webmention\""])
                .as_deref(),
            Some("https://rocks.example/b")
        );
        assert_eq!(
            header(&["</a>; rel=\"other\"", "</c>; rel=webmention"]).as_deref(),
            Some("https://rocks.example/c")
        );
        assert_eq!(header(&["</a>; rel=\"not-webmention\""]), None);
        assert_eq!(
            header(&["garbage, </d>; rel=webmention"]).as_deref(),
            Some("https://rocks.example/d")
        );
        assert_eq!(header(&["<javascript:alert(1)>; rel=webmention"]), None);
    }

    #[test]
    fn mentions_html_link_and_a_in_document_order() {
        assert_eq!(
            html(
                "<html><head><link rel=\"webmention\" href=\"https://ep.example/wm\"></head></html>"
            )
            .as_deref(),
            Some("https://ep.example/wm")
        );
        assert_eq!(
            html("<link rel=\"webmention\" href=\"/test/2/webmention\">").as_deref(),
            Some("https://rocks.example/test/2/webmention")
        );
        assert_eq!(
            html("<body><a href=\"/a-wm\" rel=\"webmention\">x</a><link rel=webmention href=/l-wm></body>")
                .as_deref(),
            Some("https://rocks.example/a-wm")
        );
        assert_eq!(
            html("<link rel=\"nofollow webmention\" href=\"wm?q=1\">").as_deref(),
            Some("https://rocks.example/test/wm?q=1")
        );
    }

    #[test]
    fn mentions_html_empty_href_is_the_page_itself() {
        assert_eq!(
            html("<link rel=\"webmention\" href=\"\">").as_deref(),
            Some("https://rocks.example/test/1?x=y")
        );
    }

    #[test]
    fn mentions_html_what_is_no_endpoint() {
        assert_eq!(html("<link rel=\"not-webmention\" href=\"/no\">"), None);
        assert_eq!(
            html("<!-- <link rel=\"webmention\" href=\"/commented\"> --><a rel=webmention href=/real>r</a>")
                .as_deref(),
            Some("https://rocks.example/real")
        );
        assert_eq!(
            html("<script>'<link rel=\"webmention\" href=\"/in-script\">'</script>"),
            None
        );
        assert_eq!(html("<link rel=\"webmention\">"), None);
        assert_eq!(
            html("<link rel=\"webmention\" href=\"mailto:a@b.example\">"),
            None
        );
        assert_eq!(html(""), None);
    }
}
