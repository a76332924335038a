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
}
