//! Raw HTML in guest posts is untrusted: after rendering, the HTML goes through
//! ammonia, which keeps the markup Markdown produces (and safe raw HTML) and
//! removes scripts, event handlers, `javascript:` URLs, styles, forms and iframes
//! from hosts that the config does not allow.

use std::collections::HashSet;

use ammonia::Builder;

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

/// A sanitizer configured once per build.
pub struct Sanitizer {
    builder: Builder<'static>,
}

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
            ])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("img", ["width", "height", "loading"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .link_rel(Some("noopener noreferrer"));
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
        Sanitizer { builder }
    }

    /// Cleans one fragment of HTML.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

/// What a guest body's HTML becomes: the sanitizer's output when the renderer
/// says the HTML needs it, else the same HTML with the link rels the sanitizer
/// would add, and without the NUL characters its HTML parser drops from text
/// (the shortcut, exact for HTML the renderer wrote entirely;
/// `tests/sanitize_props.rs` proves it on hostile input).
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
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_js_urls() {
        let s = Sanitizer::new(&[]);
        let out = s.clean(
            "<p onclick=\"x()\">hi<script>alert(1)</script><a href=\"javascript:alert(1)\">l</a></p><iframe src=\"https://evil.example\"></iframe>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"));
        assert!(!out.contains("javascript"));
        assert!(!out.contains("iframe"));
    }

    #[test]
    fn keeps_markdown_markup() {
        let s = Sanitizer::new(&[]);
        let html = "<h2 id=\"a\">A <a class=\"anchor\" href=\"#a\" aria-label=\"Link to this section\">#</a></h2>\n<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source\">x</span></code></pre>\n<ul><li><input disabled=\"\" type=\"checkbox\">t</li></ul>";
        let out = s.clean(html);
        assert!(out.contains("id=\"a\""));
        assert!(out.contains("data-lang=\"rust\""));
        assert!(out.contains("class=\"hl-source\""));
        assert!(out.contains("type=\"checkbox\""));
    }

    #[test]
    fn iframe_allow_list() {
        let s = Sanitizer::new(&["www.youtube-nocookie.com".to_string()]);
        let ok = s.clean(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"v\"></iframe>",
        );
        assert!(ok.contains("youtube-nocookie"), "{ok}");
        let bad = s.clean("<iframe src=\"https://evil.example/x\"></iframe>");
        assert!(!bad.contains("evil"), "{bad}");
    }

    #[test]
    fn link_rels_go_at_the_end_of_every_link() {
        let mut html = String::from(
            "<p><a href=\"/x/\" title=\"T\">x</a> and <a class=\"anchor\" href=\"#a\">#</a> &lt;a b&gt;</p>",
        );
        add_link_rels(&mut html);
        assert_eq!(
            html,
            "<p><a href=\"/x/\" title=\"T\" rel=\"noopener noreferrer\">x</a> and <a class=\"anchor\" href=\"#a\" rel=\"noopener noreferrer\">#</a> &lt;a b&gt;</p>"
        );
        // The comparison the property below makes does see a removed attribute.
        let s = Sanitizer::new(&[]);
        let unsafe_link = "<p><a href=\"javascript:x()\">x</a></p>";
        let mut fast = unsafe_link.to_string();
        add_link_rels(&mut fast);
        assert_ne!(tags(&s.clean(unsafe_link)), tags(&fast));
        let mut none = String::from("<p>no links</p>");
        add_link_rels(&mut none);
        assert_eq!(none, "<p>no links</p>");
    }

    fn render(md: &str) -> crate::markdown::Rendered {
        crate::markdown::render(
            md,
            crate::markdown::RenderOptions {
                highlight_code: true,
                smart_punctuation: true,
            },
            &|_: &str, _: bool| crate::markdown::Resolved::Keep,
        )
    }

    #[test]
    fn what_needs_the_sanitizer() {
        for md in [
            "<b>raw</b>",
            "a <span>b</span>",
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](<java script:alert(1)>)",
            "![x](data:image/svg+xml,abc)",
            "[x](vbscript:y)",
            "# Title {onclick=\"alert(1)\"}",
            "[x]\n\n[x]: javascript:alert(1)",
        ] {
            assert!(render(md).needs_sanitizer, "{md}");
        }
        for md in [
            "Plain *text* with `code` & \"quotes\" and <!-- more --> a marker.",
            "[a](https://example.org/a?b=c#d) [b](/about/) [c](../x.md) [d](#top) [e](mailto:a@b.c) [f](tel:+1)",
            "<https://example.org> <a@b.example>",
            "# Heading {#custom .wide}\n\n- [x] done\n- [ ] not\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Foot.",
            "```rust\nfn main() { println!(\"<b>\"); }\n```",
        ] {
            assert!(!render(md).needs_sanitizer, "{md}");
        }
    }

    /// Start tags with their attributes (entities decoded, sorted): what a
    /// browser builds from the HTML, whatever its spelling.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let decode = |v: &str| {
            v.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", "\u{a0}")
                .replace("&amp;", "&")
        };
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            let end = start + rest[start..].find('>').expect("tags are closed");
            let tag = rest[start + 1..end].trim_end_matches('/').trim();
            rest = &rest[end + 1..];
            if tag.starts_with('/') {
                continue;
            }
            let (name, mut attrs_src) = tag.split_once(' ').unwrap_or((tag, ""));
            let mut attrs = Vec::new();
            while !attrs_src.trim().is_empty() {
                attrs_src = attrs_src.trim_start();
                let eq = attrs_src.find('=').expect("attributes have values");
                let key = attrs_src[..eq].to_string();
                let after = &attrs_src[eq + 2..];
                let close = after.find('"').expect("values are quoted");
                attrs.push((key, decode(&after[..close])));
                attrs_src = &after[close + 1..];
            }
            attrs.sort();
            out.push((name.to_string(), attrs));
        }
        out
    }

    fn fragment() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("# Heading {#id .c}\n\n".to_string()),
            Just("## Second *em* `code`\n\n".to_string()),
            Just("Tom & Jerry's \"quote\" -- dash... \n\n".to_string()),
            Just("- [x] task\n- [ ] open\n\n".to_string()),
            Just("| a | b |\n|:-:|--|\n| 1 | 2 |\n\n".to_string()),
            Just("Note[^n].\n\n[^n]: The note.\n\n".to_string()),
            Just("> quoted **bold**\n\n".to_string()),
            Just("```python\nprint(\"<&>\")\n```\n\n".to_string()),
            Just("<https://example.org/?a=1&b=2>\n\n".to_string()),
            Just("1. one\n2. two\n\n---\n\n".to_string()),
            "[a-z ]{0,12}".prop_map(|t| format!("{t}\n\n")),
            (
                "[a-z]{1,8}",
                prop_oneof![
                    Just("https://example.org/x?q=\"1\"&r=<2>"),
                    Just("/about/"),
                    Just("../a/b.md"),
                    Just("#frag"),
                    Just("mailto:a@example.org"),
                    Just("tel:+123"),
                    Just("HTTP://EXAMPLE.ORG"),
                    Just("a'b"),
                    Just("//cdn.example"),
                ],
                proptest::bool::ANY,
            )
                .prop_map(|(text, url, image)| {
                    let bang = if image { "!" } else { "" };
                    format!("{bang}[{text}]({url} \"title & 'it'\")\n\n")
                }),
        ]
    }

    proptest::proptest! {
        /// Whenever the renderer says the sanitizer is not needed, the sanitizer
        /// would indeed keep every element and attribute and only add link rels.
        #[test]
        fn the_fast_path_is_what_the_sanitizer_would_make(
            parts in proptest::collection::vec(fragment(), 1..8)
        ) {
            let md = parts.concat();
            let r = render(&md);
            proptest::prop_assert!(!r.needs_sanitizer, "{}", md);
            let s = Sanitizer::new(&[]);
            // (The comparison below sees the markup: there is some.)
            if !md.trim().is_empty() {
                proptest::prop_assert!(!tags(&r.html).is_empty(), "{}", md);
            }
            for html in [&r.html, &r.summary] {
                let mut fast = html.clone();
                add_link_rels(&mut fast);
                proptest::prop_assert_eq!(tags(&s.clean(html)), tags(&fast), "{}", md);
            }
        }
    }
}
