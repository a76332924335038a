//! Mastodon's post length (Mastodon 4.5.8, `StatusLengthValidator`).
//!
//! Mastodon rewrites every URL with a scheme that twitter-text's Ruby gem
//! (3.1.0, with the pattern changes in Mastodon's
//! `config/initializers/twitter_regex.rb`) finds into 23 placeholder
//! characters, rewrites `@user@domain` mentions (`Account::MENTION_RE`) to
//! `@user`, and counts grapheme clusters of the result. It runs on Ruby 3.4,
//! whose grapheme rules (Unicode 15.0) predate rule GB9c, so an Indic
//! conjunct such as `स्ते` is two clusters there but one for
//! `unicode-segmentation`; this module adds those breaks back, which makes
//! the count match the server (and err on the long side for servers on a
//! newer Ruby).

use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use crate::platforms::stringprep::domain_to_ascii_len;
use crate::platforms::twitter::{
    TldIndex, UrlSyntax, is_ascii_alnum, is_directional, is_invalid_char, is_latin_accent,
    is_tt_space, remove_overlapping, url_path_punct, url_query_punct,
};

/// Default post length limit of a Mastodon server.
pub(crate) const DEFAULT_LIMIT: usize = 500;
const URL_PLACEHOLDER: &str = "xxxxxxxxxxxxxxxxxxxxxxx";
const MAX_URL_LENGTH: usize = 4096;
const MAX_TCO_SLUG_LENGTH: usize = 40;
/// Longest domain part of `@user@domain` that Mastodon still rewrites.
const MAX_MENTION_DOMAIN: usize = 253;

/// Ruby's case folding for the ASCII letters of a case-insensitive pattern
/// (`ſ` folds to `s` and the Kelvin sign to `k`).
fn ruby_fold(c: u32) -> u32 {
    match c {
        0x41..=0x5A => c + 0x20,
        0x17F => u32::from(b's'),
        0x212A => u32::from(b'k'),
        _ if c < 0x80 => c,
        _ => match char::from_u32(c).map(|ch| {
            let mut l = ch.to_lowercase();
            (l.next(), l.next())
        }) {
            Some((Some(l), None)) => l as u32,
            _ => c,
        },
    }
}

fn ruby_ascii_alnum(c: u32) -> bool {
    is_ascii_alnum(c) || c == 0x17F || c == 0x212A
}

fn is_white_space(c: u32) -> bool {
    char::from_u32(c).is_some_and(char::is_whitespace)
}

fn preceding(c: u32) -> bool {
    !(ruby_ascii_alnum(c)
        || matches!(c, 0x40 | 0xFF20 | 0x24 | 0x23 | 0xFF03)
        || is_invalid_char(c))
}

fn domain_char(c: u32) -> bool {
    // The gem's PUNCTUATION_CHARS is a single-quoted Ruby string, so its
    // backslashes only escape `[`, `]` and the backtick: `\` itself is not
    // in the class, and is a valid domain character.
    !(is_directional(c)
        || (c < 0x80 && c != 0x5C && (c as u8).is_ascii_punctuation())
        || c <= 0x1F
        || c == 0x7F
        || is_invalid_char(c)
        || is_tt_space(c))
}

fn tld_blocker(c: u32) -> bool {
    ruby_ascii_alnum(c) || matches!(c, 0x40 | 0x2B | 0x2D)
}

fn path_char(c: u32) -> bool {
    !(is_white_space(c) || matches!(c, 0x3C | 0x3E | 0x28 | 0x29 | 0x3F))
}

fn path_end_char(c: u32) -> bool {
    !(is_white_space(c)
        || matches!(
            c,
            0x28 | 0x29
                | 0x3F
                | 0x21
                | 0x2A
                | 0x22
                | 0x27
                | 0x300C
                | 0x300D
                | 0x3C
                | 0x3E
                | 0x3B
                | 0x3A
                | 0x3D
                | 0x2C
                | 0x2E
                | 0x24
                | 0x25
                | 0x5B
                | 0x5D
                | 0x7E
                | 0x26
                | 0x7C
                | 0x40
        ))
}

fn is_cyrillic(c: u32) -> bool {
    matches!(
        c,
        0x400..=0x52F
            | 0x1C80..=0x1C88
            | 0x1D2B
            | 0x1D78
            | 0x2DE0..=0x2DFF
            | 0xA640..=0xA69F
            | 0xFE2E
            | 0xFE2F
            | 0x1E030..=0x1E06D
            | 0x1E08F
    )
}

fn is_dash_punctuation(c: u32) -> bool {
    matches!(
        c,
        0x2D | 0x58A | 0x5BE | 0x1400 | 0x1806 | 0x2010
            ..=0x2015
                | 0x2E17
                | 0x2E1A
                | 0x2E3A
                | 0x2E3B
                | 0x2E40
                | 0x2E5D
                | 0x301C
                | 0x3030
                | 0x30A0
                | 0xFE31
                | 0xFE32
                | 0xFE58
                | 0xFE63
                | 0xFF0D
                | 0x10EAD
    )
}

/// The gem's own `valid_general_url_path_chars`, still used inside
/// Mastodon's `valid_url_path_ending_chars`.
fn gem_path_char(c: u32) -> bool {
    ruby_ascii_alnum(c)
        || is_cyrillic(c)
        || is_dash_punctuation(c)
        || is_latin_accent(c)
        || url_path_punct(c)
}

/// Mastodon's `UCHARS`.
fn is_uchar(c: u32) -> bool {
    match c {
        0xA0..=0xD7FF | 0xE000..=0xF8FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF => true,
        0xE0000..=0xEFFFF => (0xE1000..=0xEFFFD).contains(&c),
        0x10000..=0x10FFFF => c & 0xFFFF <= 0xFFFD,
        _ => false,
    }
}

fn query_char(c: u32) -> bool {
    // Mastodon's Ruby also takes `^`.
    ruby_ascii_alnum(c) || is_uchar(c) || url_query_punct(c) || c == 0x5E
}

fn query_end_char(c: u32) -> bool {
    ruby_ascii_alnum(c) || is_uchar(c) || matches!(c, 0x5F | 0x26 | 0x3D | 0x23 | 0x2F | 0x2D)
}

fn punycode_char(c: u32) -> bool {
    ruby_ascii_alnum(c)
}

fn tld_index() -> &'static TldIndex {
    static INDEX: OnceLock<TldIndex> = OnceLock::new();
    INDEX.get_or_init(|| TldIndex::build(ruby_fold))
}

/// The gem's `valid_url` as Mastodon redefines it.
static RUBY_URL: UrlSyntax = UrlSyntax {
    preceding,
    caret_after_newline: true,
    domain_char,
    fold: ruby_fold,
    tld_blocker,
    punycode_char,
    schemes: &[
        "https", "http", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini",
    ],
    path_char,
    path_end_char,
    path_end_paren_char: gem_path_char,
    query_char,
    query_end_char,
    tld_index,
};

/// `Extractor.extract_urls_with_indices(text, extract_url_without_protocol:
/// false)`: URLs with a scheme, as code point ranges.
pub(crate) fn urls(s: &[u32]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !s.contains(&0x3A) {
        return out;
    }
    let mut from = 0;
    while let Some(m) = RUBY_URL.find(s, from) {
        from = m.end;
        if !m.has_scheme {
            continue;
        }
        let mut end = m.end;
        if let Some(slug) = tco_slug(&s[m.start..m.end]) {
            if slug.1 - slug.0 > MAX_TCO_SLUG_LENGTH {
                continue;
            }
            end = m.start + slug.1;
        }
        let domain: Vec<char> = s[m.domain.0..m.domain.1]
            .iter()
            .filter_map(|&c| char::from_u32(c))
            .collect();
        let Some(ascii_len) = domain_to_ascii_len(&domain) else {
            continue;
        };
        let url_len = end - m.start + ascii_len.saturating_sub(domain.len());
        if url_len <= MAX_URL_LENGTH {
            out.push((m.start, end));
        }
    }
    out
}

/// `valid_tco_url` (Ruby): `^https?://t\.co/([a-z0-9]+)`, the slug's range.
fn tco_slug(url: &[u32]) -> Option<(usize, usize)> {
    let lit = |at: usize, text: &str| {
        text.bytes().enumerate().all(|(k, b)| {
            url.get(at + k)
                .is_some_and(|&c| ruby_fold(c) == u32::from(b))
        })
    };
    if !lit(0, "http") {
        return None;
    }
    let mut i = 4;
    if url.get(i).is_some_and(|&c| ruby_fold(c) == u32::from(b's')) {
        i += 1;
    }
    if !lit(i, "://t.co/") {
        return None;
    }
    let start = i + 8;
    let mut j = start;
    while j < url.len() && ruby_ascii_alnum(url[j]) {
        j += 1;
    }
    (j > start).then_some((start, j))
}

/// Ruby's `[[:word:]]`: letters, marks, numbers, connector punctuation.
fn is_word(c: u32) -> bool {
    char::from_u32(c).is_some_and(|ch| {
        ch.is_alphanumeric()
            || is_combining_mark(ch)
            || matches!(
                c,
                0x5F | 0x203F | 0x2040 | 0x2054 | 0xFE33 | 0xFE34 | 0xFE4D
                    ..=0xFE4F | 0xFF3F | 0x200C | 0x200D
            )
    })
}

/// `[a-z0-9_]+([.-]+[a-z0-9_]+)*` (or with `[[:word:]]`): the end.
fn dotted_run(s: &[u32], at: usize, word: fn(u32) -> bool) -> Option<usize> {
    let run = |mut i: usize| {
        while i < s.len() && word(s[i]) {
            i += 1;
        }
        i
    };
    let mut end = run(at);
    if end == at {
        return None;
    }
    loop {
        let mut i = end;
        while i < s.len() && matches!(s[i], 0x2E | 0x2D) {
            i += 1;
        }
        let next = run(i);
        if i == end || next == i {
            return Some(end);
        }
        end = next;
    }
}

fn username_char(c: u32) -> bool {
    ruby_ascii_alnum(c) || c == 0x5F
}

/// A mention found by `Account::MENTION_RE`: its range and the end of its
/// user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub user_end: usize,
}

/// Mastodon's `Extractor.extract_mentions_or_lists_with_indices`.
pub(crate) fn mentions(s: &[u32]) -> Vec<Mention> {
    let mut out = Vec::new();
    if !s.iter().any(|&c| c == 0x40 || c == 0xFF20) {
        return out;
    }
    let mut i = 0;
    while i < s.len() {
        let ok_before = i == 0 || !(matches!(s[i - 1], 0x3D | 0x2F) || is_word(s[i - 1]));
        let user_end = (s[i] == 0x40 && ok_before)
            .then(|| dotted_run(s, i + 1, username_char))
            .flatten();
        let Some(user_end) = user_end else {
            i += 1;
            continue;
        };
        let mut end = user_end;
        if s.get(user_end) == Some(&0x40) {
            if let Some(d_end) = dotted_run(s, user_end + 1, is_word) {
                if d_end - (user_end + 1) <= MAX_MENTION_DOMAIN {
                    end = d_end;
                }
            }
        }
        let after = &s[end..];
        let rejected = match after.first() {
            Some(&c) => {
                c == 0x40
                    || c == 0xFF20
                    || is_latin_accent(c)
                    || after.starts_with(&[0x3A, 0x2F, 0x2F])
            }
            None => false,
        };
        if !rejected {
            out.push(Mention {
                start: i,
                end,
                user_end,
            });
        }
        i = end;
    }
    out
}

/// Grapheme clusters as Ruby 3.4 (Unicode 15.0) counts them: the clusters
/// of `unicode-segmentation`, plus one for every consonant that rule GB9c
/// (Unicode 15.1) joined to a virama before it.
pub(crate) fn ruby_grapheme_count(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| {
            let mut prev: Option<char> = None;
            let mut n = 1;
            for c in g.chars() {
                if let Some(p) = prev {
                    let joins_letter = c.is_alphabetic()
                        && !is_combining_mark(c)
                        && !matches!(c as u32, 0x1100..=0x11FF | 0xA960..=0xA97F | 0xD7B0..=0xD7FF);
                    if joins_letter && (is_combining_mark(p) || p == '\u{200D}') {
                        n += 1;
                    }
                }
                prev = Some(c);
            }
            n
        })
        .sum()
}

/// The text Mastodon counts: URLs replaced by 23 characters, remote
/// mentions by their local part.
pub(crate) fn countable_text(text: &str) -> String {
    let s: Vec<u32> = text.chars().map(u32::from).collect();
    // (start, end, replacement user end or None for URLs)
    let mut entities: Vec<(usize, usize, Option<usize>)> =
        urls(&s).into_iter().map(|(a, b)| (a, b, None)).collect();
    entities.extend(
        mentions(&s)
            .into_iter()
            .map(|m| (m.start, m.end, Some(m.user_end))),
    );
    remove_overlapping(&mut entities, |e| (e.0, e.1));
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, user_end) in entities {
        out.extend(&chars[last..start]);
        match user_end {
            None => out.push_str(URL_PLACEHOLDER),
            Some(u) => out.extend(&chars[start..u]),
        }
        last = end;
    }
    out.extend(&chars[last..]);
    out
}

/// Mastodon's counted length of `text` (0 for blank text).
pub(crate) fn length(text: &str) -> usize {
    if text.chars().all(char::is_whitespace) {
        return 0;
    }
    ruby_grapheme_count(&countable_text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_mentions() {
        assert_eq!(length("https://example.com"), 23);
        assert_eq!(length("see:https://example.com/colon-before"), 27);
        assert_eq!(length("xhttps://example.com/letter-before"), 34);
        assert_eq!(length("Read it at example.com today"), 28);
        assert_eq!(length("https://t.co/abc123XYZ?extra=1"), 31);
        assert_eq!(length("https://🍕.ws"), 12);
        assert_eq!(length("https://例え.jp/パス"), 23);
        assert_eq!(length("Follow @bob@mastodon.social for more"), 20);
        assert_eq!(
            length("gemini://example.org/x and ipfs://example.com/x"),
            51
        );
        assert_eq!(length(" \n\t"), 0);
    }

    #[test]
    fn ruby_graphemes_split_conjuncts() {
        assert_eq!("नमस्ते दुनिया".graphemes(true).count(), 7);
        assert_eq!(ruby_grapheme_count("नमस्ते दुनिया"), 8);
        assert_eq!(ruby_grapheme_count("क्षत्रिय और ज्ञान"), 12);
        assert_eq!(ruby_grapheme_count("👨‍👩‍👧‍👦 한국어 é"), 7);
    }
}
