//! HTML to plain text, for text that strangers wrote (the summaries of
//! contributors' own feeds): html5ever's tokenizer reads it as a browser
//! would, entities are decoded, the content of `<script>`, `<style>` and the
//! like is dropped, and what is left is one line of words. The result is
//! text, never markup: templates escape it like any other value.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements whose content is not text a reader sees.
const HIDDEN: [&str; 9] = [
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "object", "svg",
];

/// Elements that end a word when they start or end (blocks and breaks).
const BREAKS: [&str; 24] = [
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "figure",
    "figcaption",
    "hr",
    "dd",
];

#[derive(Default)]
struct Text {
    out: RefCell<String>,
    /// Open hidden elements (their content is dropped).
    hidden: RefCell<Vec<String>>,
}

impl TokenSink for Text {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) if self.hidden.borrow().is_empty() => {
                self.out.borrow_mut().push_str(&t);
            }
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let start = tag.kind == TagKind::StartTag;
                if BREAKS.contains(&name.as_str()) {
                    self.out.borrow_mut().push(' ');
                }
                if HIDDEN.contains(&name.as_str()) {
                    let mut hidden = self.hidden.borrow_mut();
                    if start && !tag.self_closing {
                        hidden.push(name.clone());
                    } else if !start && let Some(at) = hidden.iter().rposition(|h| *h == name) {
                        hidden.truncate(at);
                    }
                }
                if start {
                    return after_start_tag(&name);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What a tokenizer's sink answers to a start tag, as a browser's tree
/// builder tells its tokenizer: the content of `<script>`, `<style>`,
/// `<title>` and the like is text, not tags (a `<link>` written inside a
/// `<script>` is no link).
pub fn after_start_tag(name: &str) -> TokenSinkResult<()> {
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

/// The text a reader sees of some HTML, on one line: tags and hidden
/// elements' content removed, entities decoded, control characters dropped,
/// runs of white space made one space.
pub fn html_to_text(html: &str) -> String {
    let tokenizer = Tokenizer::new(Text::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let text = tokenizer.sink.out.into_inner();
    one_line(&text)
}

/// Plain text on one line: control characters dropped, white space runs made
/// one space, trimmed.
pub fn one_line(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    super::clean::clean_str(&mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut to at most `max` characters at a word boundary, with an
/// ellipsis when cut.
pub fn cut_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit: usize = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    let head = match head.rfind(' ') {
        Some(at) if at > limit / 2 => &head[..at],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':', '.', '-']))
}

/// Whether a link from untrusted content (or written in `gen.toml`) may be
/// published: an absolute http(s) URL with a host.
pub fn web_link(link: &str) -> bool {
    url::Url::parse(link).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_script_content_with_them() {
        assert_eq!(
            html_to_text(
                "<p>Hello <b>there</b></p><script>alert('x<p>')</script><p>again &amp; more</p>"
            ),
            "Hello there again & more"
        );
        assert_eq!(html_to_text("a<style>p{}</style>b"), "ab");
        assert_eq!(
            html_to_text("&lt;script&gt;x&lt;/script&gt;"),
            "<script>x</script>"
        );
        assert_eq!(
            html_to_text("line<br>break\n\t here\u{7}"),
            "line break here"
        );
        assert_eq!(html_to_text("<img src=x onerror=alert(1)>"), "");
    }

    #[test]
    fn cuts_at_a_word() {
        assert_eq!(cut_words("short", 10), "short");
        assert_eq!(cut_words("one two three four", 12), "one two…");
        assert_eq!(cut_words("ééééééééééé", 5), "éééé…");
    }
}
