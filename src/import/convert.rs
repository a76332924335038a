//! Conversions every source shares: WordPress HTML (with its shortcodes and
//! block comments) to Markdown, Hugo and Zola shortcodes, and Jekyll's Liquid
//! tags. Each returns the new text and the warnings saying what changed;
//! nothing here is ever evaluated as a template.

use std::collections::BTreeMap;

/// The marker that survives HTML-to-Markdown conversion and becomes the
/// summary break.
const MORE: &str = "BYLINEMORE7F3A";

/// Converts WordPress post HTML to Markdown: shortcodes to HTML5 first
/// (`[caption]`, `[gallery]`, `[audio]`, `[video]`, `[embed]`), block
/// comments removed, `<!--more-->` kept as the summary break,
/// `<!--nextpage-->` removed; then htmd, keeping as HTML what Markdown cannot
/// say.
pub fn wordpress_html(
    html: &str,
    gallery: &dyn Fn(Option<&str>) -> Vec<String>,
    warnings: &mut Vec<String>,
) -> String {
    let mut text = html.replace("\r\n", "\n");
    // Gutenberg block comments carry only editor state.
    if text.contains("<!-- wp:") || text.contains("<!-- /wp:") {
        text = remove_block_comments(&text);
    }
    let mut more = false;
    for m in ["<!--more-->", "<!-- more -->"] {
        if text.contains(m) {
            more = true;
            text = text.replacen(m, &format!("\n\n<p>{MORE}</p>\n\n"), 1);
            text = text.replace(m, "");
        }
    }
    if text.contains("<!--nextpage-->") {
        text = text.replace("<!--nextpage-->", "");
        warnings.push("<!--nextpage--> removed: the parts of the post are one page now".into());
    }
    text = wp_shortcodes(&text, gallery, warnings);
    // WordPress adds paragraphs itself (wpautop): blank lines are paragraph
    // breaks in the stored HTML.
    text = autop(&text);
    let mut md = html_to_markdown(&text);
    if more {
        md = md.replace(MORE, "<!-- more -->");
    }
    md
}

/// htmd in faithful mode: elements Markdown cannot express stay HTML.
pub fn html_to_markdown(html: &str) -> String {
    let converter = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            heading_style: htmd::options::HeadingStyle::Atx,
            code_block_style: htmd::options::CodeBlockStyle::Fenced,
            translation_mode: htmd::options::TranslationMode::Faithful,
            ..Default::default()
        })
        .skip_tags(vec!["script", "style"])
        .build();
    converter.convert(html).unwrap_or_else(|_| html.to_string())
}

/// Wraps blank-line-separated text runs in `<p>`, as WordPress does on
/// display, leaving runs that start with a block element alone.
fn autop(text: &str) -> String {
    const BLOCKS: &[&str] = &[
        "<p",
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<pre",
        "<figure",
        "<table",
        "<audio",
        "<video",
        "<iframe",
        "<hr",
        "<dl",
        "<section",
        "<!--",
        "<img",
        "<form",
    ];
    let mut out = String::with_capacity(text.len() + 64);
    for para in text.split("\n\n") {
        let t = para.trim();
        if t.is_empty() {
            continue;
        }
        let lower = t.get(..12.min(t.len())).unwrap_or(t).to_ascii_lowercase();
        if BLOCKS.iter().any(|b| lower.starts_with(b)) {
            out.push_str(t);
        } else {
            out.push_str("<p>");
            out.push_str(&t.replace('\n', "<br>"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

fn remove_block_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        let after = &rest[i + 4..];
        let t = after.trim_start();
        if t.starts_with("wp:") || t.starts_with("/wp:") {
            out.push_str(&rest[..i]);
            match after.find("-->") {
                Some(j) => rest = &after[j + 3..],
                None => {
                    rest = "";
                }
            }
        } else {
            out.push_str(&rest[..i + 4]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// One shortcode found in text: its name, attributes, inner content and
/// byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    /// Positional arguments, in order.
    pub args: Vec<String>,
    pub inner: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// Parses `key="value" key='v' key=v "positional"` (curly quotes read as
/// straight ones, as editors write them).
pub fn parse_args(s: &str) -> (BTreeMap<String, String>, Vec<String>) {
    let s = s
        .replace(['\u{201c}', '\u{201d}', '\u{201e}', '\u{2033}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'");
    let mut attrs = BTreeMap::new();
    let mut args = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let n = chars.len();
    let read_value = |i: &mut usize| -> String {
        let mut v = String::new();
        if *i < n && (chars[*i] == '"' || chars[*i] == '\'') {
            let q = chars[*i];
            *i += 1;
            while *i < n && chars[*i] != q {
                v.push(chars[*i]);
                *i += 1;
            }
            *i += 1;
        } else {
            while *i < n && !chars[*i].is_whitespace() && chars[*i] != ',' && chars[*i] != ')' {
                v.push(chars[*i]);
                *i += 1;
            }
        }
        v
    };
    while i < n {
        while i < n && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if i >= n {
            break;
        }
        if chars[i] == '"' || chars[i] == '\'' {
            args.push(read_value(&mut i));
            continue;
        }
        let start = i;
        while i < n && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-') {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        while i < n && chars[i] == ' ' {
            i += 1;
        }
        if i < n && chars[i] == '=' && !key.is_empty() {
            i += 1;
            while i < n && chars[i] == ' ' {
                i += 1;
            }
            let v = read_value(&mut i);
            attrs.insert(key.to_ascii_lowercase(), v);
        } else if !key.is_empty() {
            args.push(key);
        } else {
            i += 1;
        }
    }
    (attrs, args)
}

/// Finds WordPress shortcodes `[name attrs]…[/name]` of the given names.
fn find_wp(text: &str, names: &[&str]) -> Vec<Shortcode> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = text[from..].find('[') {
        let start = from + off;
        from = start + 1;
        let rest = &text[start + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !names.contains(&name.as_str()) {
            continue;
        }
        let after = &rest[name.len()..];
        if !(after.starts_with(' ') || after.starts_with(']') || after.starts_with('/')) {
            continue;
        }
        let Some(close) = after.find(']') else {
            continue;
        };
        let args_text = after[..close].trim_end_matches('/');
        let (attrs, args) = parse_args(args_text);
        let open_end = start + 1 + name.len() + close + 1;
        let end_tag = format!("[/{name}]");
        let (inner, end) = match text[open_end..].find(&end_tag) {
            Some(j) if !after[..close].ends_with('/') => (
                Some(text[open_end..open_end + j].to_string()),
                open_end + j + end_tag.len(),
            ),
            _ => (None, open_end),
        };
        out.push(Shortcode {
            name,
            attrs,
            args,
            inner,
            start,
            end,
        });
        from = end;
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// WordPress shortcodes to HTML5.
fn wp_shortcodes(
    text: &str,
    gallery: &dyn Fn(Option<&str>) -> Vec<String>,
    warnings: &mut Vec<String>,
) -> String {
    let found = find_wp(
        text,
        &[
            "caption",
            "wp_caption",
            "gallery",
            "audio",
            "video",
            "embed",
        ],
    );
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for sc in found {
        out.push_str(&text[last..sc.start]);
        last = sc.end;
        let html = match sc.name.as_str() {
            "caption" | "wp_caption" => {
                let inner = sc.inner.clone().unwrap_or_default();
                // The caption is the text after the picture (or its attribute).
                let (pic, cap) = match inner.rfind('>') {
                    Some(i) => (
                        inner[..=i].trim().to_string(),
                        inner[i + 1..].trim().to_string(),
                    ),
                    None => (String::new(), inner.trim().to_string()),
                };
                let cap = sc.attrs.get("caption").cloned().unwrap_or(cap);
                format!("\n\n<figure>{pic}<figcaption>{cap}</figcaption></figure>\n\n")
            }
            "gallery" => {
                let urls = gallery(sc.attrs.get("ids").map(String::as_str));
                if urls.is_empty() {
                    warnings
                        .push("[gallery] removed: the export names none of its pictures".into());
                }
                let imgs: Vec<String> = urls
                    .iter()
                    .map(|u| format!("<img src=\"{}\" alt=\"\">", esc(u)))
                    .collect();
                format!("\n\n<p>{}</p>\n\n", imgs.join("\n"))
            }
            "audio" | "video" => {
                let src = sc
                    .attrs
                    .get("src")
                    .or_else(|| sc.attrs.get("mp3"))
                    .or_else(|| sc.attrs.get("mp4"))
                    .or_else(|| sc.attrs.get("ogg"))
                    .or_else(|| sc.attrs.get("webm"))
                    .cloned()
                    .unwrap_or_default();
                let src = esc(&src);
                // The link stands after the element, not inside it, so it
                // stays a Markdown link, and guest posts, whose sanitizer
                // removes the element, still lead to the file.
                format!(
                    "\n\n<{n} controls src=\"{src}\"></{n}>\n\n<p><a href=\"{src}\">{src}</a></p>\n\n",
                    n = sc.name
                )
            }
            _ => {
                // [embed]URL[/embed]: a link the reader can follow.
                let url = sc
                    .inner
                    .clone()
                    .or_else(|| sc.attrs.get("src").cloned())
                    .unwrap_or_default();
                let url = url.trim();
                format!("\n\n<p><a href=\"{u}\">{u}</a></p>\n\n", u = esc(url))
            }
        };
        warnings.push(format!("[{}] shortcode converted to HTML", sc.name));
        out.push_str(&html);
    }
    out.push_str(&text[last..]);
    dedup(warnings);
    out
}

/// Decodes the HTML entities WordPress writes in titles and names
/// (`&amp;`, `&#8217;`, `&rsquo;`…); unknown ones stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => num.parse().ok()?,
                };
                char::from_u32(n).filter(|c| !c.is_control())?
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    "rsquo" => '\u{2019}',
                    "lsquo" => '\u{2018}',
                    "rdquo" => '\u{201d}',
                    "ldquo" => '\u{201c}',
                    "ndash" => '\u{2013}',
                    "mdash" => '\u{2014}',
                    "hellip" => '\u{2026}',
                    _ => return None,
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes repeated warnings, keeping the first of each.
pub fn dedup(warnings: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
}

/// Hugo (`{{< name args >}}`, `{{% name %}}`, with closing tags) and Zola
/// (`{{ name(args) }}`, `{% name(args) %}…{% end %}`) shortcodes to Markdown
/// or HTML. `link` turns a `ref`/`relref` target (or Zola `@/` path) into a
/// link destination. Unknown shortcodes stay as text with a warning.
pub fn shortcodes(
    text: &str,
    link: &dyn Fn(&str) -> String,
    params: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, open, close)) = next_open(rest) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(close) else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inside = after[..end].trim();
        let mut next = &after[end + close.len()..];
        let zola = open == "{{" || open == "{%";
        let (name, argtext) = if zola {
            match inside.find('(') {
                Some(i) if inside.ends_with(')') => (
                    inside[..i].trim().to_string(),
                    &inside[i + 1..inside.len() - 1],
                ),
                _ => {
                    // Not a shortcode: Tera or Liquid text, left alone.
                    out.push_str(&rest[start..start + open.len() + end + close.len()]);
                    rest = next;
                    continue;
                }
            }
        } else {
            let inside = inside.trim_start_matches('/').trim();
            let i = inside.find(char::is_whitespace).unwrap_or(inside.len());
            (inside[..i].to_string(), &inside[i..])
        };
        if name.is_empty() || name.starts_with('/') || name == "end" {
            out.push_str(&rest[start..start + open.len() + end + close.len()]);
            rest = next;
            continue;
        }
        let (attrs, args) = parse_args(argtext);
        // The body of a paired shortcode.
        let mut inner = None;
        let closing = if zola {
            (open == "{%").then(|| "{% end %}".to_string())
        } else {
            Some(format!("{open} /{name} {close}"))
        };
        if let Some(c) = closing {
            if zola {
                if let Some(i) = next.find(&c) {
                    inner = Some(next[..i].to_string());
                    next = &next[i + c.len()..];
                }
            } else if let Some((i, after)) = hugo_close(next, open, close, &name) {
                inner = Some(next[..i].to_string());
                next = &next[after..];
            }
        }
        let arg = |k: &str, pos: usize| -> Option<String> {
            attrs.get(k).cloned().or_else(|| args.get(pos).cloned())
        };
        let converted: Option<String> = match name.as_str() {
            "figure" => {
                let src = arg("src", 0).unwrap_or_default();
                let alt = attrs
                    .get("alt")
                    .or_else(|| attrs.get("caption"))
                    .or_else(|| attrs.get("title"))
                    .cloned()
                    .unwrap_or_default();
                let cap = attrs.get("caption").or_else(|| attrs.get("title"));
                Some(match cap {
                    Some(c) => format!("![{alt}]({src})\n\n*{c}*"),
                    None => format!("![{alt}]({src})"),
                })
            }
            "highlight" => {
                let lang = arg("lang", 0).unwrap_or_default();
                let code = inner.clone().unwrap_or_default();
                Some(fence(&out, &lang, &code, next))
            }
            "youtube" => arg("id", 0)
                .map(|id| format!("[YouTube video](https://www.youtube.com/watch?v={id})")),
            "vimeo" => arg("id", 0).map(|id| format!("[Vimeo video](https://vimeo.com/{id})")),
            "gist" => {
                let user = arg("user", 0).unwrap_or_default();
                let id = arg("id", 1).unwrap_or_default();
                let url = attrs
                    .get("url")
                    .cloned()
                    .unwrap_or(format!("https://gist.github.com/{user}/{id}"));
                Some(format!("[Gist]({url})"))
            }
            "tweet" | "x" => {
                let user = arg("user", 0).unwrap_or_else(|| "x".into());
                let id = attrs
                    .get("id")
                    .cloned()
                    .or_else(|| args.last().cloned())
                    .unwrap_or_default();
                Some(format!("[Post on X](https://x.com/{user}/status/{id})"))
            }
            "ref" | "relref" => arg("path", 0).map(|p| link(&p)),
            "param" => arg("name", 0).map(|p| params.get(&p).cloned().unwrap_or_else(|| p.clone())),
            "comment" => {
                let hidden = inner.clone().unwrap_or_default();
                warnings.push(format!(
                    "comment shortcode removed with what it hid: {:?}",
                    hidden.trim()
                ));
                Some(String::new())
            }
            _ => None,
        };
        match converted {
            Some(t) => {
                if name != "comment" {
                    warnings.push(format!("{name} shortcode converted"));
                }
                out.push_str(&t);
            }
            None => {
                warnings.push(format!("unknown shortcode \"{name}\" left as text"));
                // Left as text (escaped so that no template engine reads it).
                let len = rest.len() - next.len() - start;
                out.push_str(&rest[start..start + len]);
            }
        }
        rest = next;
    }
    out.push_str(rest);
    dedup(warnings);
    out
}

/// Where the closing tag `{{< /name >}}` (any spacing) starts in `s`, and
/// where it ends.
fn hugo_close(s: &str, open: &str, close: &str, name: &str) -> Option<(usize, usize)> {
    let pat = format!("/{name}");
    let mut from = 0;
    while let Some(k) = s[from..].find(&pat).map(|k| k + from) {
        from = k + pat.len();
        let Some(o) = s[..k].rfind(open) else {
            continue;
        };
        if !s[o + open.len()..k].trim().is_empty() {
            continue;
        }
        let tail = &s[k + pat.len()..];
        let Some(c) = tail.find(close) else {
            continue;
        };
        if tail[..c].trim().is_empty() {
            return Some((o, k + pat.len() + c + close.len()));
        }
    }
    None
}

/// The next shortcode opening in `s`: offset, opening and closing delimiters.
fn next_open(s: &str) -> Option<(usize, &'static str, &'static str)> {
    const KINDS: &[(&str, &str)] = &[("{{<", ">}}"), ("{{%", "%}}"), ("{{", "}}"), ("{%", "%}")];
    let mut best: Option<(usize, &str, &str)> = None;
    for (o, c) in KINDS {
        if let Some(i) = s.find(o)
            && best.is_none_or(|(b, bo, _)| i < b || (i == b && o.len() > bo.len()))
        {
            best = Some((i, o, c));
        }
    }
    best
}

/// A fenced code block to put after `before` and ahead of `after`: on lines
/// of its own even where the tag it replaces stood inside a line, since a
/// fence is only a fence at the start of a line.
fn fence(before: &str, lang: &str, code: &str, after: &str) -> String {
    let mut f = String::new();
    if !before.is_empty() && !before.ends_with('\n') {
        f.push('\n');
    }
    f.push_str(&format!("```{lang}\n{}\n```", code.trim_matches('\n')));
    if !after.is_empty() && !after.starts_with('\n') && !after.starts_with("\r\n") {
        f.push('\n');
    }
    f
}

/// Replaces `@/path.md` internal links (Zola) with source-path links.
pub fn zola_links(text: &str, link: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](@/") {
        out.push_str(&rest[..i + 2]);
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[2..end];
        let (path, anchor) = match target.find('#') {
            Some(h) => (&target[..h], &target[h..]),
            None => (target, ""),
        };
        out.push_str(&link(path));
        out.push_str(anchor);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Jekyll's Liquid in a body: `site.baseurl`/`site.url` resolved,
/// `highlight` to a fence, `post_url` and `link` through `link`, `raw`
/// unwrapped; every other tag left as visible text with a warning.
pub fn liquid(
    text: &str,
    site_url: &str,
    link: &dyn Fn(&str) -> String,
    warnings: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let a = rest.find("{%");
        let b = rest.find("{{");
        let (i, tag) = match (a, b) {
            (None, None) => break,
            (Some(a), Some(b)) if b < a => (b, false),
            (None, Some(b)) => (b, false),
            (Some(a), _) => (a, true),
        };
        out.push_str(&rest[..i]);
        let close = if tag { "%}" } else { "}}" };
        let Some(j) = rest[i..].find(close) else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let whole = &rest[i..i + j + 2];
        let inside = rest[i + 2..i + j].trim().trim_matches('-').trim();
        rest = &rest[i + j + 2..];
        if !tag {
            match inside.split('|').next().map(str::trim) {
                Some("site.baseurl") => {}
                Some("site.url") => out.push_str(site_url.trim_end_matches('/')),
                _ => {
                    warnings.push(format!("Liquid {whole} left as text"));
                    out.push_str(whole);
                }
            }
            continue;
        }
        let mut words = inside.split_whitespace();
        let name = words.next().unwrap_or("");
        let args: Vec<&str> = words.collect();
        match name {
            "highlight" => {
                let lang = args.first().copied().unwrap_or("");
                let (code, after) = match rest.find("{% endhighlight %}") {
                    Some(k) => (&rest[..k], &rest[k + "{% endhighlight %}".len()..]),
                    None => (rest, ""),
                };
                let f = fence(&out, lang, code, after);
                out.push_str(&f);
                rest = after;
            }
            "raw" => {
                let (raw, after) = match rest.find("{% endraw %}") {
                    Some(k) => (&rest[..k], &rest[k + "{% endraw %}".len()..]),
                    None => (rest, ""),
                };
                out.push_str(raw);
                rest = after;
            }
            "post_url" | "link" => {
                let target = args.join(" ");
                let target = if name == "post_url" {
                    format!("_posts/{target}.md")
                } else {
                    target
                };
                out.push_str(&link(&target));
            }
            _ => {
                warnings.push(format!("Liquid {whole} left as text"));
                out.push_str(whole);
            }
        }
    }
    out.push_str(rest);
    dedup(warnings);
    out
}

/// Kramdown attribute lists (`{: .class}`, `{:toc}`) removed.
pub fn kramdown_ials(text: &str, warnings: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut n = 0;
    while let Some(i) = rest.find("{:") {
        let Some(j) = rest[i..].find('}') else { break };
        out.push_str(&rest[..i]);
        rest = &rest[i + j + 1..];
        n += 1;
    }
    out.push_str(rest);
    if n > 0 {
        warnings.push(format!(
            "{n} kramdown attribute list{} ({{: …}}) removed",
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_quotes_read_as_straight() {
        let (a, p) = parse_args(" src=\u{201c}/a.png\u{201d} alt='x y' pos");
        assert_eq!(a["src"], "/a.png");
        assert_eq!(a["alt"], "x y");
        assert_eq!(p, ["pos"]);
    }

    #[test]
    fn caption_becomes_a_figure() {
        let mut w = Vec::new();
        let md = wordpress_html(
            "[caption id=\"a\" align=\"x\" width=\"300\"]<img src=\"https://a.test/p.jpg\" alt=\"P\" /> The cat[/caption]\n\nHi<!--more-->there",
            &|_| Vec::new(),
            &mut w,
        );
        assert!(md.contains("<figcaption>The cat</figcaption>"), "{md}");
        assert!(md.contains("<!-- more -->"), "{md}");
        assert_eq!(w, ["[caption] shortcode converted to HTML"]);
    }

    #[test]
    fn hugo_shortcodes() {
        let mut w = Vec::new();
        let md = shortcodes(
            "a {{< youtube abc >}} b {{< highlight go >}}x := 1{{< /highlight >}} {{< foo >}}",
            &|p| p.to_string(),
            &BTreeMap::new(),
            &mut w,
        );
        assert_eq!(
            md,
            "a [YouTube video](https://www.youtube.com/watch?v=abc) b \n```go\nx := 1\n```\n {{< foo >}}"
        );
        assert!(w.contains(&"unknown shortcode \"foo\" left as text".to_string()));
    }

    #[test]
    fn liquid_tags() {
        let mut w = Vec::new();
        let md = liquid(
            "![x]({{ site.baseurl }}/a.png) {% include x.html %} {% raw %}{{ y }}{% endraw %}",
            "https://a.test",
            &|p| p.to_string(),
            &mut w,
        );
        assert_eq!(md, "![x](/a.png) {% include x.html %} {{ y }}");
        assert_eq!(w, ["Liquid {% include x.html %} left as text"]);
    }
}
