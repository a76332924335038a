//! Unit tests of `sanitize`.
#![cfg(test)]

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
    let ok =
        s.clean("<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"v\"></iframe>");
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

const OPTS: crate::markdown::RenderOptions = crate::markdown::RenderOptions {
    highlight_code: true,
    smart_punctuation: true,
};

fn removed(md: &str) -> Vec<(usize, String)> {
    Sanitizer::new(&["www.youtube-nocookie.com".to_string()])
        .removals(md, OPTS)
        .into_iter()
        .map(|r| (crate::diag::line_col(md, r.offset).0, r.message))
        .collect()
}

#[test]
fn removals_name_what_goes_and_why_at_its_line() {
    let md = "Intro.\n\n<script>\nalert(1)\n</script>\n\n<p onclick=\"go()\" class=\"x\">Hi <a href=\"javascript:alert(1)\" target=\"_blank\">demo</a></p>\n\n[click](javascript:alert(2)) and ![pic](data:image/png;base64,AAAA)\n\n<iframe src=\"https://evil.example/embed\"></iframe>\n\n<div\n  style=\"color: red\">styled</div>\n\n# Title {onmouseover=\"x()\"}\n\nText <span onclick=\"y()\">inline</span>.\n";
    assert_eq!(
        removed(md),
        [
            (3, "the sanitizer removes `<script>` and its content: scripts do not run in guest posts".to_string()),
            (7, "the sanitizer removes the `onclick` attribute of `<p>`: event handlers run scripts, which do not run in guest posts".to_string()),
            (7, "the sanitizer removes the address `javascript:alert(1)` from `<a>`: addresses that run scripts are not allowed".to_string()),
            (7, "the sanitizer removes the `target` attribute of `<a>`: `target` is not an attribute guest posts may use on `<a>`".to_string()),
            (9, "the sanitizer removes the address `javascript:alert(2)` from `<a>`: addresses that run scripts are not allowed".to_string()),
            (9, "the sanitizer removes the picture `data:image/png;base64,AAAA`: only web (http, https), mail, phone and relative addresses are allowed".to_string()),
            (11, "the sanitizer removes the address `https://evil.example/embed` from `<iframe>`: embedded pages are allowed only from the hosts in `allowed_iframe_hosts` under [guest] in gen.toml".to_string()),
            (14, "the sanitizer removes the `style` attribute of `<div>`: guest posts cannot style their HTML (only text alignment in table cells)".to_string()),
            (16, "the sanitizer removes the `onmouseover` attribute of `<h1>`: event handlers run scripts, which do not run in guest posts".to_string()),
            (18, "the sanitizer removes the `onclick` attribute of `<span>`: event handlers run scripts, which do not run in guest posts".to_string()),
        ]
    );
    // Inside a removed element, its own tags are not reported again.
    assert_eq!(
        removed("<form action=\"/x\"><button onclick=\"x()\">Go</button></form>\n"),
        [(
            1,
            "the sanitizer removes `<form>`: forms are not allowed in guest posts".to_string()
        )]
    );
    // Without hosts, no iframe stays.
    let none = Sanitizer::new(&[]).removals(
        "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n",
        OPTS,
    );
    assert_eq!(none.len(), 1);
    assert!(
        none[0]
            .message
            .starts_with("the sanitizer removes `<iframe>`"),
        "{none:?}"
    );
}

#[test]
fn clean_input_has_no_removals() {
    for md in [
        "Plain *text*, `code`, <https://example.org>, <ada@example.org>, [a](/about/), [b](other.md), [c](https://x.example/?a=1&b=2), [d](mailto:a@b.c), [e](#top)\n",
        "# Heading {#id .wide}\n\n- [x] done\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n",
        "<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n",
        "<table>\n<tr><td style=\"text-align: center\">1</td><th colspan=\"2\">2</th></tr>\n</table>\n",
        "<figure>\n<img src=\"pic.png\" alt=\"A picture\" width=\"10\" height=\"10\">\n<figcaption>Caption</figcaption>\n</figure>\n",
        "Text with <b>bold</b>, <kbd>Ctrl</kbd>, <abbr title=\"HyperText\">HTML</abbr> and <a href=\"https://example.org\" title=\"t\">a link</a>.\n",
        "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\" width=\"560\" height=\"315\" allowfullscreen></iframe>\n",
        "<!-- a comment -->\n\nText <!-- more --> after.\n",
        "```html\n<script>alert(1)</script>\n```\n\nAnd `<script>` in code.\n",
        "<td>\n\nstray cell\n",
    ] {
        assert_eq!(removed(md), Vec::<(usize, String)>::new(), "{md}");
    }
}

#[test]
fn links_without_href_and_pictures_without_src_stay_valid() {
    let s = Sanitizer::new(&[]);
    assert_eq!(
        s.clean("<p><a href=\"javascript:alert(1)\" title=\"t\">open the demo</a> <img src=\"javascript:x\" alt=\"x\"> <a href=\"/ok\">ok</a> <img src=\"/p.png\" alt=\"p\"></p>"),
        "<p><a title=\"t\">open the demo</a>  <a href=\"/ok\" rel=\"noopener noreferrer\">ok</a> <img src=\"/p.png\" alt=\"p\"></p>"
    );
    let framed = Sanitizer::new(&["ok.example".to_string()]);
    assert_eq!(
        framed.clean("<p>a</p><iframe src=\"https://evil.example/\" width=\"5\"></iframe><iframe src=\"https://ok.example/v\"></iframe>"),
        "<p>a</p><iframe src=\"https://ok.example/v\"></iframe>"
    );
    // Attribute values may hold `>` and `<a`; text holds them escaped.
    assert_eq!(
        s.clean("<p title=\"a > <a b\">&lt;a x&gt; <a>bare</a></p>"),
        "<p title=\"a &gt; &lt;a b\">&lt;a x&gt; <a>bare</a></p>"
    );
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

fn raw_fragment() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        fragment(),
        Just("<details>\n<summary>More</summary>\n\nHidden.\n\n</details>\n\n".to_string()),
        Just(
            "<table>\n<tr><td style=\"text-align: right\">1</td></tr>\n</table>\n\n"
                .to_string()
        ),
        Just(
            "Text <b title=\"t\">bold</b> <a href=\"https://example.org/\">l</a>.\n\n"
                .to_string()
        ),
        Just("<img src=\"/a.png\" alt=\"a\">\n\n".to_string()),
        Just("<script>alert(1)</script>\n\n".to_string()),
        Just("Hi <span onclick=\"x()\">there</span>.\n\n".to_string()),
        Just("<a href=\"javascript:alert(1)\">open the demo</a>\n\n".to_string()),
        Just("[demo](javascript:alert(1))\n\n".to_string()),
        Just("<div style=\"color:red\" class=\"c\">x</div>\n\n".to_string()),
        Just("<iframe src=\"https://evil.example/\"></iframe>\n\n".to_string()),
        Just("<p><input type=\"text\" name=\"q\"></p>\n\n".to_string()),
        Just("<table>\n<tr><td style=\"color: red\">1</td></tr>\n</table>\n\n".to_string()),
        Just("## Head {onclick=\"x()\"}\n\n".to_string()),
        Just("[sp](<https://exa mple.org/a b>) ![i](<java script:x>) [t](https://example.org/ \"a \\\"title\\\"\")\n\n".to_string()),
        Just("<center>old</center> and <table summary=\"s\"><tr><td align=\"left\">1</td></tr></table>\n\n".to_string()),
    ]
}

/// Start tags by name and attribute names, without the `rel` ammonia adds.
fn element_set(html: &str) -> Vec<(String, Vec<String>)> {
    let mut v: Vec<(String, Vec<String>)> = start_and_end_tags(html)
        .into_iter()
        .filter(|t| t.start)
        .map(|t| {
            let mut names: Vec<String> = t
                .attrs
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| k != "rel")
                .collect();
            names.sort();
            (t.name, names)
        })
        .collect();
    v.sort();
    v
}

proptest::proptest! {
    /// The report and the sanitizer agree: something is reported exactly
    /// when the sanitized HTML lacks an element or attribute of the HTML
    /// the Markdown renders to.
    #[test]
    fn removals_are_reported_exactly_when_the_sanitizer_removes(
        parts in proptest::collection::vec(raw_fragment(), 1..6)
    ) {
        let md = parts.concat();
        let s = Sanitizer::new(&[]);
        let r = render(&md);
        let before = element_set(&r.html);
        let after = element_set(&s.builder.clean(&r.html).to_string());
        let mut lost = before.clone();
        for e in &after {
            if let Some(i) = lost.iter().position(|x| x == e) {
                lost.remove(i);
            }
        }
        let reported = s.removals(&md, OPTS);
        proptest::prop_assert_eq!(lost.is_empty(), reported.is_empty(), "{}\n{:?}\n{:?}", md, lost, reported);
    }

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
