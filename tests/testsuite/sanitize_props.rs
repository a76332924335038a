//! The sanitizer shortcut, hostile direction. A guest body whose HTML the
//! Markdown renderer wrote entirely skips ammonia and only gets the link rels
//! ammonia would add (`Rendered::needs_sanitizer` false,
//! `sanitize::add_link_rels`). `src/markdown/sanitize.rs` proves that safe
//! Markdown gets the same markup either way; this file generates hostile
//! Markdown (raw tags, event handlers, `javascript:` and other schemes spelled
//! with entities, whitespace, control characters and mixed case, reference
//! links, autolinks, heading attributes) and proves that what a guest post
//! publishes is the sanitizer's own output for the same HTML: such input always
//! takes the sanitizer's path, or the shortcut gives the same HTML, token for
//! token (only the spelling may differ: `<img />` for `<img>`, `&quot;` for `"`).

use byline::markdown::sanitize::{Sanitizer, guest_html};
use byline::markdown::{self, RenderOptions, Resolved};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// URL schemes and spellings that must not pass as they are.
const SCHEMES: &[&str] = &[
    "javascript:",
    "JavaScript:",
    "JAVASCRIPT:",
    "jav&#x61;script:",
    "jav&#97;script:",
    "&#106;avascript:",
    "&#x6A;&#x61;&#x76;&#x61;script:",
    "javascript&colon;",
    "javascript&#58;",
    "javascript&#x3a;",
    "java\tscript:",
    "java&#9;script:",
    "java&#10;script:",
    "java&#x0D;script:",
    "java%0ascript:",
    " javascript:",
    "\u{1}javascript:",
    "\u{7f}javascript:",
    "javascript\u{0}:",
    "\u{200b}javascript:",
    "data:",
    "data:text/html;base64,",
    "DATA:image/svg+xml,",
    "vbscript:",
    "VbScRiPt:",
    "livescript:",
    "file:",
    "ftp:",
    "blob:",
    "//",
    "\\\\",
    "/\\",
    "http:",
    "https:",
    "&#104;ttps:",
    "mailto:",
    "tel:",
    "",
];

/// What follows the scheme.
const PAYLOADS: &[&str] = &[
    "alert(1)",
    "alert(document.cookie)//",
    "//evil.example/x",
    "evil.example",
    "<svg onload=alert(1)>",
    "\"onmouseover=\"alert(1)",
    "x' onerror='y",
    "%22%3E%3Cscript%3E",
    "a b",
    "",
];

/// Raw HTML a guest might write.
const RAW: &[&str] = &[
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" ONERROR=\"alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x61;script:alert(1)\">x</a>",
    "<a href=\" &#14;javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">d</div>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
    "<form action=\"https://evil.example\"><input type=\"password\"></form>",
    "<input type=\"checkbox\" onclick=\"x()\">",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<object data=\"x.swf\"></object><embed src=\"x\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<!-- comment --><![CDATA[<script>x</script>]]>",
    "<!DOCTYPE html><?xml version=\"1.0\"?>",
    "<p title=\"a\" onclick=\"b\" class=\"c\">p</p>",
    "<span id=x tabindex=1 autofocus onfocus=alert(1)>s</span>",
    "</p><p onmouseover=alert(1)>",
    "<td style=\"text-align:center;color:red\">t</td>",
    "<b",
    "<",
    "&lt;script&gt;",
    "<a href=x>unclosed",
];

/// Heading attribute blocks, safe and not.
const HEADING_ATTRS: &[&str] = &[
    "{#id}",
    "{.c}",
    "{#id .c onclick=alert(1)}",
    "{onclick=\"alert(1)\"}",
    "{style=\"color:red\"}",
    "{data-x=1}",
    "{href=javascript:alert(1)}",
    "{#\"onmouseover=x}",
    "{# .}",
];

fn url() -> impl Strategy<Value = String> {
    (
        prop::sample::select(SCHEMES),
        prop::sample::select(PAYLOADS),
    )
        .prop_map(|(s, p)| format!("{s}{p}"))
}

/// One hostile Markdown fragment, ending with a blank line.
fn hostile() -> impl Strategy<Value = String> {
    let text = "[a-zA-Z &<>\"'`*_]{0,10}";
    prop_oneof![
        (text, url()).prop_map(|(t, u)| format!("[{t}]({u})")),
        (text, url()).prop_map(|(t, u)| format!("[{t}](<{u}>)")),
        (text, url()).prop_map(|(t, u)| format!("![{t}]({u})")),
        (text, url(), "[\"'(]").prop_map(|(t, u, q)| {
            let close = if q == "(" { ")" } else { q.as_str() };
            format!("[{t}]({u} {q}t{close} onclick=x{close})")
        }),
        (text, url()).prop_map(|(t, u)| format!("[{t}][r]\n\n[r]: {u}")),
        (text, url()).prop_map(|(t, u)| format!("![{t}][img]\n\n[img]: <{u}> \"T\"")),
        (text, url()).prop_map(|(t, u)| format!("[{t}]\n\n[{t}]: {u}")),
        url().prop_map(|u| format!("<{u}>")),
        prop::sample::select(RAW).prop_map(str::to_string),
        (prop::sample::select(RAW), text).prop_map(|(r, t)| format!("{t} {r} {t}")),
        (1usize..=6, text, prop::sample::select(HEADING_ATTRS))
            .prop_map(|(n, t, a)| format!("{} {t} {a}", "#".repeat(n))),
        Just("<https://example.org/a?b=1&c=<2>>".to_string()),
        Just("Plain *text*, `code <b>` and \"quotes\" & more.".to_string()),
        Just("```html\n<script>alert(1)</script>\n```".to_string()),
        Just("- [x] <b onclick=x>done</b>\n- [ ] open".to_string()),
        Just("| a | <i>b</i> |\n|---|:-:|\n| [x](javascript:y) | 2 |".to_string()),
        Just("Note[^n].\n\n[^n]: <img src=x onerror=y>".to_string()),
        Just("<!-- more -->".to_string()),
        Just("\u{0}\u{1}\u{b}\u{c}\u{feff}\u{202e}".to_string()),
    ]
    .prop_map(|f| format!("{f}\n\n"))
}

/// One piece of HTML as a browser reads it.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Text(String),
    /// Element name and attributes in order, values decoded.
    Start(String, Vec<(String, String)>),
    End(String),
    Comment(String),
}

/// The entities the renderer and the sanitizer spell text and values with.
fn decode(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Tokens of well-formed HTML (what the renderer and ammonia write: quoted or
/// bare attribute values, no raw `<` in text), adjacent text merged. Line
/// breaks are normalised first, as a browser's parser does (CR LF and CR → LF).
fn tokens(html: &str) -> Vec<Token> {
    let html = &html.replace("\r\n", "\n").replace('\r', "\n");
    let b = html.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let flush = |text: &mut String, out: &mut Vec<Token>| {
        if !text.is_empty() {
            out.push(Token::Text(decode(text)));
            text.clear();
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            let next = html[i..].find('<').map_or(b.len(), |k| i + k);
            text.push_str(&html[i..next]);
            i = next;
            continue;
        }
        flush(&mut text, &mut out);
        if html[i..].starts_with("<!--") {
            let end = html[i..].find("-->").map_or(b.len(), |k| i + k + 3);
            out.push(Token::Comment(html[i..end].to_string()));
            i = end;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        i += if closing { 2 } else { 1 };
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .map_or(b.len(), |k| i + k);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let key_end = html[i..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .map_or(b.len(), |k| i + k);
            let key = html[i..key_end].to_string();
            i = key_end;
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                if b.get(i) == Some(&b'"') {
                    let end = html[i + 1..].find('"').map_or(b.len(), |k| i + 1 + k);
                    value = decode(&html[i + 1..end]);
                    i = end + 1;
                } else {
                    let end = html[i..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .map_or(b.len(), |k| i + k);
                    value = decode(&html[i..end]);
                    i = end;
                }
            }
            attrs.push((key, value));
        }
        out.push(if closing {
            Token::End(name)
        } else {
            Token::Start(name, attrs)
        });
    }
    flush(&mut text, &mut out);
    out
}

#[test]
fn tokens_see_through_spelling_only() {
    assert_eq!(
        tokens("<p>a &quot;b&quot;<img src=\"x\" alt=\"\" /></p>"),
        tokens("<p>a \"b\"<img src=\"x\" alt=\"\"></p>")
    );
    assert_ne!(tokens("<p>a</p>"), tokens("<p>b</p>"));
    assert_ne!(
        tokens("<a href=\"x\">l</a>"),
        tokens("<a href=\"x\" rel=\"noopener noreferrer\">l</a>")
    );
    assert_ne!(
        tokens("<img src=\"x\">"),
        tokens("<img src=\"x\" onerror=\"y\">")
    );
}

fn render(md: &str, smart: bool) -> markdown::Rendered {
    markdown::render(
        md,
        RenderOptions {
            highlight_code: true,
            smart_punctuation: smart,
        },
        &|_: &str, _: bool| Resolved::Keep,
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/sanitize_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// What a guest post publishes for hostile Markdown is byte for byte what
    /// the sanitizer makes of the rendered HTML, body and summary alike.
    #[test]
    fn hostile_markdown_publishes_the_sanitizers_output(
        parts in prop::collection::vec(hostile(), 1..6),
        smart in any::<bool>(),
    ) {
        let md = parts.concat();
        let r = render(&md, smart);
        let s = Sanitizer::new(&[]);
        for html in [&r.html, &r.summary] {
            let published = guest_html(&s, html, r.needs_sanitizer);
            let sanitized = s.clean(html);
            if published != sanitized {
                prop_assert!(!r.needs_sanitizer);
                prop_assert_eq!(tokens(&published), tokens(&sanitized), "Markdown: {:?}", md);
            }
        }
    }

    /// Whenever the rendered HTML holds anything the sanitizer changes beyond
    /// adding link rels, the renderer says so: the shortcut is never taken for it.
    #[test]
    fn the_shortcut_is_never_taken_for_what_the_sanitizer_changes(
        parts in prop::collection::vec(hostile(), 1..6),
    ) {
        let md = parts.concat();
        let r = render(&md, true);
        let s = Sanitizer::new(&[]);
        let fast = guest_html(&s, &r.html, false);
        if tokens(&s.clean(&r.html)) != tokens(&fast) {
            prop_assert!(r.needs_sanitizer, "Markdown: {:?}\nHTML: {}", md, r.html);
        }
    }
}

/// The generator does reach both paths: hostile input that the renderer
/// escapes entirely takes the shortcut, the rest takes the sanitizer.
#[test]
fn both_paths_are_generated() {
    let s = Sanitizer::new(&[]);
    let shortcut = render("`<script>` and &lt;b&gt; [x](https://e.example/)\n", true);
    assert!(!shortcut.needs_sanitizer);
    assert_eq!(
        guest_html(&s, &shortcut.html, false),
        s.clean(&shortcut.html)
    );
    let raw = render("[x](jav&#x61;script:alert(1))\n", true);
    assert!(raw.needs_sanitizer, "{}", raw.html);
    assert!(!guest_html(&s, &raw.html, true).contains("script:"));
}

/// Found by the property: `<http:%22%3E%3Cscript%3E>` took the shortcut and kept
/// an `href` that does not parse as a URL, which the sanitizer removes.
#[test]
fn shortcut_refuses_http_urls_that_do_not_parse() {
    let s = Sanitizer::new(&[]);
    for md in [
        "<http:%22%3E%3Cscript%3E>\n",
        "[x](https:)\n",
        "![i](http://[::1/x.png)\n",
    ] {
        let r = render(md, true);
        assert!(r.needs_sanitizer, "{md}: {}", r.html);
        assert_eq!(guest_html(&s, &r.html, r.needs_sanitizer), s.clean(&r.html));
    }
}

/// Found by the property: a NUL character in the text stayed in the published
/// HTML on the shortcut, where the sanitizer's HTML parser drops it.
#[test]
fn shortcut_drops_nul_like_the_sanitizer() {
    let s = Sanitizer::new(&[]);
    let r = render("a\u{0}b [l](/x/)\n", true);
    assert!(!r.needs_sanitizer);
    let published = guest_html(&s, &r.html, false);
    assert!(!published.contains('\u{0}'), "{published:?}");
    assert_eq!(published, s.clean(&r.html));
}
