//! Web-intent links: URLs that open a platform's composer (or share page)
//! with the snippet filled in.
//!
//! Every parameter is percent-encoded keeping only `A–Z a–z 0–9 - . _ ~`:
//! an unencoded `#` would start the fragment and silently cut the text, `&`
//! would split parameters and `+` would turn into a space. `form_urlencoded`
//! is not used because it writes spaces as `+`, which `mailto:` and some
//! composers keep as a literal plus. In an HTML `href`, the `&` between
//! parameters must still be escaped as `&amp;` by the template engine.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::platforms::fit::shorten;

/// Bytes kept as they are: RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Longest title Hacker News accepts.
pub const HACKER_NEWS_TITLE_MAX: usize = 80;
/// Longest title Reddit accepts.
pub const REDDIT_TITLE_MAX: usize = 300;

/// Percent-encodes every byte of `s` outside `A–Z a–z 0–9 - . _ ~`.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Decodes `%XX` escapes (a `+` stays a `+`); `None` when the result is not
/// UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The decoded value of parameter `name` in `link`'s query or fragment
/// (`?a=1&text=…` or `#text=…`), for checking that a link carries the text.
pub fn query_param(link: &str, name: &str) -> Option<String> {
    let start = link.find(['?', '#'])?;
    link[start + 1..]
        .split(['&', '#', '?'])
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .and_then(percent_decode)
}

/// X's composer: `https://x.com/intent/tweet?text=…`. The URL and hashtags
/// go inside `text`, so that the post is exactly the fitted snippet.
pub fn x_intent(text: &str) -> String {
    format!("https://x.com/intent/tweet?text={}", encode_component(text))
}

/// Mastodon: the reader's own server's share page
/// (`https://INSTANCE/share?text=…`) when an instance is known, otherwise
/// the chooser `https://share.joinmastodon.org/#text=…`, which asks the
/// reader for their server and reads only `text` (so the URL is inside it).
/// `instance` may be given as `mastodon.social` or
/// `https://mastodon.social/`.
pub fn mastodon_intent(text: &str, instance: Option<&str>) -> String {
    let instance = instance
        .map(|i| {
            i.trim()
                .trim_start_matches("https://")
                .trim_start_matches("http://")
        })
        .map(|i| i.trim_end_matches('/'))
        .filter(|i| !i.is_empty());
    match instance {
        Some(host) => format!("https://{host}/share?text={}", encode_component(text)),
        None => format!(
            "https://share.joinmastodon.org/#text={}",
            encode_component(text)
        ),
    }
}

/// Bluesky's composer: `https://bsky.app/intent/compose?text=…`.
pub fn bluesky_intent(text: &str) -> String {
    format!(
        "https://bsky.app/intent/compose?text={}",
        encode_component(text)
    )
}

/// Threads' composer: `https://www.threads.com/intent/post?text=…`.
///
/// The URL stays inside `text` rather than in a separate `url=` parameter:
/// the snippet was counted and fitted with the URL in it, and keeping it
/// there means the post is exactly that text, whatever Threads does with a
/// separate `url` (append it, or show it as a preview only).
pub fn threads_intent(text: &str) -> String {
    format!(
        "https://www.threads.com/intent/post?text={}",
        encode_component(text)
    )
}

/// LinkedIn's share page, which takes only the page URL and builds the
/// preview from its Open Graph tags.
pub fn linkedin_intent(url: &str) -> String {
    format!(
        "https://www.linkedin.com/sharing/share-offsite/?url={}",
        encode_component(url)
    )
}

/// Facebook's share page (URL only; preview from Open Graph).
pub fn facebook_intent(url: &str) -> String {
    format!(
        "https://www.facebook.com/sharer/sharer.php?u={}",
        encode_component(url)
    )
}

/// Hacker News' submit page with the URL and the title, shortened (at a
/// word, with "…") to the 80 characters Hacker News allows.
pub fn hacker_news_intent(url: &str, title: &str) -> String {
    let title = title_within(title, HACKER_NEWS_TITLE_MAX);
    format!(
        "https://news.ycombinator.com/submitlink?u={}&t={}",
        encode_component(url),
        encode_component(&title)
    )
}

/// Reddit's submit page with the URL and the title, shortened to the 300
/// characters Reddit allows.
pub fn reddit_intent(url: &str, title: &str) -> String {
    let title = title_within(title, REDDIT_TITLE_MAX);
    format!(
        "https://www.reddit.com/submit?url={}&title={}",
        encode_component(url),
        encode_component(&title)
    )
}

fn title_within(title: &str, max: usize) -> String {
    let fits = |t: &str| t.chars().count() <= max;
    shorten(title, fits).unwrap_or_else(|| title.chars().take(max).collect())
}

/// Normalizes line breaks to CR LF, as RFC 6068 wants them in `mailto:`.
pub fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// A `mailto:` link with subject and body: spaces as `%20`, line breaks as
/// `%0D%0A`, never `+`.
pub fn email_intent(subject: &str, body: &str) -> String {
    format!(
        "mailto:?subject={}&body={}",
        encode_component(subject),
        encode_component(&crlf(body))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(
            encode_component("a b&c#d+e/f?g=h~i.j-k_l"),
            "a%20b%26c%23d%2Be%2Ff%3Fg%3Dh~i.j-k_l"
        );
        assert_eq!(encode_component("é…"), "%C3%A9%E2%80%A6");
    }

    #[test]
    fn links() {
        let text = "Hi #rust & C++ https://example.org/?a=1&b=2";
        let x = x_intent(text);
        assert!(x.starts_with("https://x.com/intent/tweet?text=Hi%20%23rust%20%26%20C%2B%2B%20"));
        assert_eq!(query_param(&x, "text").as_deref(), Some(text));
        let m = mastodon_intent(text, None);
        assert!(m.starts_with("https://share.joinmastodon.org/#text="));
        assert_eq!(query_param(&m, "text").as_deref(), Some(text));
        let m = mastodon_intent(text, Some("https://hachyderm.io/"));
        assert!(m.starts_with("https://hachyderm.io/share?text="));
        assert_eq!(
            linkedin_intent("https://example.org/a?b=1"),
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1"
        );
        let hn = hacker_news_intent("https://example.org/", &"word ".repeat(30));
        let t = query_param(&hn, "t").unwrap_or_default();
        assert!(t.chars().count() <= 80 && t.ends_with('…'), "{t}");
        assert_eq!(
            query_param(&hn, "u").as_deref(),
            Some("https://example.org/")
        );
    }

    #[test]
    fn mailto_uses_crlf_and_percent_twenty() {
        let link = email_intent("A post", "Line one\nLine two");
        assert_eq!(
            link,
            "mailto:?subject=A%20post&body=Line%20one%0D%0ALine%20two"
        );
        assert_eq!(
            query_param(&link, "body").as_deref(),
            Some("Line one\r\nLine two")
        );
    }
}
