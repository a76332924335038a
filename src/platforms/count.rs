//! Counting text the way each platform counts it.
//!
//! A share snippet must be accepted as it is by the platform it is written
//! for, and every platform counts differently: X weighs characters and
//! counts every link (even a bare `main.rs`) as 23; Mastodon counts grapheme
//! clusters after shortening links and remote mentions; Bluesky counts
//! grapheme clusters and UTF-8 bytes. This module gives each platform's own
//! count, exactly as its reference code computes it (checked against the
//! vectors in `tests/fixtures/share-vectors/`), and the entities (links,
//! mentions, hashtags) that the fitter must never cut through.

use std::fmt;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::platforms::mastodon;
use crate::platforms::twitter;

/// A platform a share snippet is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// X (Twitter): 280, weighted as twitter-text 3.1.0 weighs.
    X,
    /// Mastodon: 500 by default, as Mastodon 4.5 counts.
    Mastodon,
    /// Bluesky: 300 grapheme clusters and 3000 UTF-8 bytes.
    Bluesky,
    /// Threads: 500 characters, at most 5 links. Threads does not say what it
    /// counts, so a snippet must hold at most 500 of each: grapheme clusters,
    /// Unicode code points and UTF-16 code units. The last are never fewer
    /// than the others, so that is the count.
    Threads,
    /// LinkedIn: 3000 characters for a post typed by hand (counted in UTF-16
    /// code units, the largest of the usual counts).
    Linkedin,
    /// Email: no limit.
    Email,
}

/// The unit a platform's limit is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountUnit {
    /// X's weighted length ([`x_weighted_length`]).
    XWeighted,
    /// Mastodon's counted length ([`mastodon_length`]).
    MastodonLength,
    /// Extended grapheme clusters (current Unicode).
    Graphemes,
    /// UTF-16 code units.
    Utf16Units,
}

/// A platform's limit on the length of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit {
    /// Largest accepted length, in `unit`.
    pub max: usize,
    /// What [`length`] counts for this platform.
    pub unit: CountUnit,
    /// A second limit in UTF-8 bytes (Bluesky).
    pub max_utf8_bytes: Option<usize>,
    /// Most links a post may hold (Threads).
    pub max_links: Option<usize>,
}

impl Platform {
    /// Every platform, in a stable order.
    pub const ALL: [Platform; 6] = [
        Platform::X,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Threads,
        Platform::Linkedin,
        Platform::Email,
    ];

    /// The platform's name as used in templates and configuration
    /// (`templates/share/<name>.txt`).
    pub fn name(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Threads => "threads",
            Platform::Linkedin => "linkedin",
            Platform::Email => "email",
        }
    }

    /// The platform for a name given by [`Platform::name`].
    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The platform's default limit; `None` for email.
    ///
    /// A Mastodon server may allow more or less than 500 (its
    /// `configuration.statuses.max_characters`); pass that number to
    /// [`fits_within`] or `fit_with_limit`.
    pub fn limit(self) -> Option<Limit> {
        let limit = |max, unit| Limit {
            max,
            unit,
            max_utf8_bytes: None,
            max_links: None,
        };
        match self {
            Platform::X => Some(limit(twitter::MAX_WEIGHTED_LENGTH, CountUnit::XWeighted)),
            Platform::Mastodon => Some(limit(mastodon::DEFAULT_LIMIT, CountUnit::MastodonLength)),
            Platform::Bluesky => Some(Limit {
                max_utf8_bytes: Some(BLUESKY_MAX_BYTES),
                ..limit(BLUESKY_MAX_GRAPHEMES, CountUnit::Graphemes)
            }),
            Platform::Threads => Some(Limit {
                max_links: Some(THREADS_MAX_LINKS),
                ..limit(THREADS_MAX_CHARS, CountUnit::Utf16Units)
            }),
            Platform::Linkedin => Some(limit(LINKEDIN_MAX_CHARS, CountUnit::Utf16Units)),
            Platform::Email => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Platform::X => "X",
            Platform::Mastodon => "Mastodon",
            Platform::Bluesky => "Bluesky",
            Platform::Threads => "Threads",
            Platform::Linkedin => "LinkedIn",
            Platform::Email => "email",
        })
    }
}

const BLUESKY_MAX_GRAPHEMES: usize = 300;
const BLUESKY_MAX_BYTES: usize = 3000;
const THREADS_MAX_CHARS: usize = 500;
const THREADS_MAX_LINKS: usize = 5;
const LINKEDIN_MAX_CHARS: usize = 3000;

/// What kind of entity a range of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// A link, with or without a scheme.
    Url,
    /// A mention (`@user`, an X list `@user/list`, or Mastodon's
    /// `@user@domain`).
    Mention,
    /// A hashtag, `#` included.
    Hashtag,
}

/// An entity found in a text; `range` is in bytes of that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    /// What the entity is.
    pub kind: EntityKind,
    /// Where it is, in bytes.
    pub range: Range<usize>,
}

/// The result of twitter-text's `parseTweet` (version 3 configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct XParse {
    /// The weighted length X compares with 280.
    pub weighted_length: usize,
    /// Whether X accepts the text: `0 < weighted_length <= 280` and no
    /// U+FFFE, U+FEFF or U+FFFF.
    pub valid: bool,
    /// Inclusive UTF-16 index of the last character that still fits.
    pub valid_range_end: usize,
}

/// twitter-text 3.1.0's `parseTweet` on `text`.
pub fn x_parse(text: &str) -> XParse {
    let p = twitter::parse_tweet(text);
    XParse {
        weighted_length: p.weighted_length,
        valid: p.valid,
        valid_range_end: p.valid_range_end,
    }
}

/// X's weighted length: NFC first; code points U+0000–U+10FF,
/// U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, others 2;
/// every URL (also a bare `ASP.NET`) weighs 23 and every emoji sequence
/// twitter-text knows weighs 2.
pub fn x_weighted_length(text: &str) -> usize {
    twitter::parse_tweet(text).weighted_length
}

/// Whether X accepts `text` as a post.
pub fn x_is_valid(text: &str) -> bool {
    twitter::parse_tweet(text).valid
}

/// Byte offset of every UTF-16 index of `text` (one more than its length).
fn utf16_to_byte(text: &str) -> Vec<usize> {
    let mut map = Vec::with_capacity(text.len() + 1);
    for (b, c) in text.char_indices() {
        for _ in 0..c.len_utf16() {
            map.push(b);
        }
    }
    map.push(text.len());
    map
}

/// The entities X finds in `text` (`extractEntitiesWithIndices`: URLs,
/// mentions and lists, hashtags; overlaps removed), in text order.
pub fn x_entities(text: &str) -> Vec<Entity> {
    let s = twitter::utf16(text);
    let map = utf16_to_byte(text);
    let mut all: Vec<(EntityKind, usize, usize)> = Vec::new();
    all.extend(
        twitter::extract_urls(&s)
            .into_iter()
            .map(|f| (EntityKind::Url, f.start, f.end)),
    );
    all.extend(
        twitter::extract_mentions_or_lists(&s)
            .into_iter()
            .map(|m| (EntityKind::Mention, m.start, m.end)),
    );
    all.extend(
        twitter::extract_hashtags(&s, false)
            .into_iter()
            .map(|f| (EntityKind::Hashtag, f.start, f.end)),
    );
    twitter::remove_overlapping(&mut all, |e| (e.1, e.2));
    all.into_iter()
        .map(|(kind, a, b)| Entity {
            kind,
            range: map[a]..map[b],
        })
        .collect()
}

fn utf16_slice(s: &[u32], a: usize, b: usize) -> String {
    let units: Vec<u16> = s[a..b].iter().map(|&u| u as u16).collect();
    String::from_utf16_lossy(&units)
}

/// The URLs X finds in `text` (`extractUrls`), as written.
pub fn x_urls(text: &str) -> Vec<String> {
    let s = twitter::utf16(text);
    twitter::extract_urls(&s)
        .into_iter()
        .map(|f| match f.gap {
            // twitter-text's text for an ASCII domain found inside a longer
            // domain, followed by a path: the ASCII domain, then the path.
            Some((a, b)) => utf16_slice(&s, f.start, a) + &utf16_slice(&s, b, f.end),
            None => utf16_slice(&s, f.start, f.end),
        })
        .collect()
}

/// The user names X finds in `text` (`extractMentions`; lists left out).
pub fn x_mentions(text: &str) -> Vec<String> {
    let s = twitter::utf16(text);
    twitter::extract_mentions_or_lists(&s)
        .into_iter()
        .filter(|m| !m.is_list)
        .map(|m| utf16_slice(&s, m.name.0, m.name.1))
        .collect()
}

/// The hashtags X finds in `text` (`extractHashtags`), without `#`.
pub fn x_hashtags(text: &str) -> Vec<String> {
    let s = twitter::utf16(text);
    twitter::extract_hashtags(&s, true)
        .into_iter()
        .map(|f| utf16_slice(&s, f.start + 1, f.end))
        .collect()
}

/// Mastodon's counted length of `text` (Mastodon 4.5.8 on Ruby 3.4): URLs
/// with a scheme count 23 unless glued to a preceding letter, digit, `@`,
/// `$` or `#`; `@user@domain` counts as `@user`; the rest counts in
/// grapheme clusters as Ruby 3.4 (Unicode 15.0) splits them, so Indic
/// conjuncts count as more than one; blank text counts 0. The server strips
/// leading and trailing whitespace first, so this count is never too low.
pub fn mastodon_length(text: &str) -> usize {
    mastodon::length(text)
}

/// Like [`mastodon_length`], but with grapheme clusters of current Unicode
/// (rule GB9c keeps `क्ष` together). This is what Mastodon counts on a Ruby
/// with Unicode 15.1 or later; it is at most [`mastodon_length`].
pub fn mastodon_length_current_unicode(text: &str) -> usize {
    if text.chars().all(char::is_whitespace) {
        return 0;
    }
    mastodon::countable_text(text).graphemes(true).count()
}

/// The entities Mastodon shortens in `text`: URLs with a scheme and
/// mentions (including `@user@domain`), in text order.
pub fn mastodon_entities(text: &str) -> Vec<Entity> {
    let chars: Vec<u32> = text.chars().map(u32::from).collect();
    let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    offsets.push(text.len());
    let mut all: Vec<(EntityKind, usize, usize)> = mastodon::urls(&chars)
        .into_iter()
        .map(|(a, b)| (EntityKind::Url, a, b))
        .collect();
    all.extend(
        mastodon::mentions(&chars)
            .into_iter()
            .map(|m| (EntityKind::Mention, m.start, m.end)),
    );
    twitter::remove_overlapping(&mut all, |e| (e.1, e.2));
    all.into_iter()
        .map(|(kind, a, b)| Entity {
            kind,
            range: offsets[a]..offsets[b],
        })
        .collect()
}

/// Number of extended grapheme clusters (what Bluesky counts).
pub fn bluesky_graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

/// Length of `text` in UTF-8 bytes (Bluesky's second limit).
pub fn utf8_bytes(text: &str) -> usize {
    text.len()
}

/// Number of links in `text` for Threads' five-link limit, counted as X
/// finds links (bare domains included), so never too low.
pub fn threads_links(text: &str) -> usize {
    twitter::extract_urls(&twitter::utf16(text)).len()
}

/// The length Threads' 500-character limit is held to: the largest of the
/// counts it might use (grapheme clusters, code points, UTF-16 code units),
/// which is the number of UTF-16 code units (an emoji such as 👩‍💻 is one
/// cluster, three code points and five code units).
pub fn threads_length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text`'s length in `platform`'s own unit (see [`Limit::unit`]); for
/// email, the number of characters.
pub fn length(platform: Platform, text: &str) -> usize {
    match platform {
        Platform::X => x_weighted_length(text),
        Platform::Mastodon => mastodon_length(text),
        Platform::Bluesky => bluesky_graphemes(text),
        Platform::Threads => threads_length(text),
        Platform::Linkedin => text.encode_utf16().count(),
        Platform::Email => text.chars().count(),
    }
}

/// Whether `platform` accepts `text` as a post, under its default limit.
pub fn fits(platform: Platform, text: &str) -> bool {
    match platform.limit() {
        Some(limit) => fits_within(platform, limit.max, text),
        None => true,
    }
}

/// Whether `platform` accepts `text` when its main limit is `max` (for a
/// Mastodon server with another limit); the other rules stay: X's validity,
/// Bluesky's 3000 bytes, Threads' five links.
pub fn fits_within(platform: Platform, max: usize, text: &str) -> bool {
    match platform {
        Platform::X => {
            let w = x_weighted_length(text);
            w > 0 && w <= max && !has_x_invalid(text)
        }
        Platform::Bluesky => {
            bluesky_graphemes(text) <= max && utf8_bytes(text) <= BLUESKY_MAX_BYTES
        }
        Platform::Threads => {
            threads_length(text) <= max && threads_links(text) <= THREADS_MAX_LINKS
        }
        Platform::Email => true,
        _ => length(platform, text) <= max,
    }
}

fn has_x_invalid(text: &str) -> bool {
    text.chars().any(|c| twitter::is_invalid_char(c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(Platform::X.limit().map(|l| l.max), Some(280));
        assert_eq!(
            Platform::Bluesky.limit().and_then(|l| l.max_utf8_bytes),
            Some(3000)
        );
        assert_eq!(Platform::Email.limit(), None);
        assert_eq!(Platform::from_name("mastodon"), Some(Platform::Mastodon));
    }

    #[test]
    fn entities_are_byte_ranges() {
        let text = "Café @holly: ASP.NET #tips";
        let e = x_entities(text);
        let got: Vec<(&str, EntityKind)> =
            e.iter().map(|e| (&text[e.range.clone()], e.kind)).collect();
        assert_eq!(
            got,
            [
                ("@holly", EntityKind::Mention),
                ("ASP.NET", EntityKind::Url),
                ("#tips", EntityKind::Hashtag)
            ]
        );
        let m = mastodon_entities("by @holly@hachyderm.io https://example.org/x");
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].range, 3..22);
    }

    #[test]
    fn x_fits_only_valid_text() {
        assert!(fits(Platform::X, "hello"));
        assert!(!fits(Platform::X, ""));
        assert!(!fits(Platform::X, "a\u{feff}b"));
        assert!(fits(Platform::Email, &"a".repeat(10_000)));
        assert!(!fits(Platform::Bluesky, &"😀".repeat(301)));
        assert!(!fits(
            Platform::Threads,
            "a.com b.com c.com d.com e.com f.com"
        ));
        // 100 clusters, 300 code points, 500 UTF-16 units: just fits.
        assert!(fits(Platform::Threads, &"👩‍💻".repeat(100)));
        assert!(!fits(Platform::Threads, &"👩‍💻".repeat(101)));
        assert_eq!(length(Platform::Threads, "👩‍💻"), 5);
    }
}
