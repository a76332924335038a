//! A port of the parts of twitter-text 3.1.0 (JavaScript) that decide how long
//! a post is on X: URL extraction (with its list of top-level domains, so that
//! `ASP.NET` and `main.rs` are links), emoji detection (twemoji-parser
//! 11.0.2), `parseTweet`'s weighting loop, and the mention and hashtag
//! extraction the snippet fitter uses to avoid cutting inside an entity.
//!
//! twitter-text's regular expressions run on UTF-16 code units, so this
//! module works on code units too (widened to `u32`). The URL pattern is
//! implemented by hand, following the backtracking order of the original
//! pattern, because its top-level-domain alternation is too large for a naive
//! backtracking matcher; the same helpers, configured with Mastodon's
//! character classes, serve `crate::platforms::mastodon`.
//!
//! twitter-text is Copyright 2018 Twitter, Inc., Apache License 2.0.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::platforms::jsre::Node;
use crate::platforms::tlds::{COUNTRY, GENERIC};
use crate::platforms::twitter_data;

/// Weighted length limit of a post on X.
pub(crate) const MAX_WEIGHTED_LENGTH: usize = 280;
/// Weight of every URL on X (`transformedURLLength`).
pub(crate) const URL_WEIGHT: usize = 23;
const MAX_URL_LENGTH: usize = 4096;
const MAX_TCO_SLUG_LENGTH: usize = 40;

// ---------------------------------------------------------------------------
// Character classes shared by the JavaScript (X) and Ruby (Mastodon) flavours.

pub(crate) const fn is_ascii_alnum(c: u32) -> bool {
    matches!(c, 0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A)
}

/// `directionalMarkersGroup`.
pub(crate) const fn is_directional(c: u32) -> bool {
    matches!(c, 0x202A..=0x202E | 0x061C | 0x200E | 0x200F | 0x2066..=0x2069)
}

/// `invalidCharsGroup`: characters that make a post invalid on X.
pub(crate) const fn is_invalid_char(c: u32) -> bool {
    matches!(c, 0xFFFE | 0xFEFF | 0xFFFF)
}

/// `spacesGroup` (twitter-text's `UNICODE_SPACES`).
pub(crate) const fn is_tt_space(c: u32) -> bool {
    matches!(
        c,
        0x09..=0x0D
            | 0x20
            | 0x85
            | 0xA0
            | 0x1680
            | 0x180E
            | 0x2000..=0x200A
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
    )
}

/// `latinAccentChars`.
pub(crate) const fn is_latin_accent(c: u32) -> bool {
    matches!(
        c,
        0xC0..=0xD6
            | 0xD8..=0xF6
            | 0xF8..=0xFF
            | 0x100..=0x24F
            | 0x253
            | 0x254
            | 0x256
            | 0x257
            | 0x259
            | 0x25B
            | 0x263
            | 0x268
            | 0x26F
            | 0x272
            | 0x289
            | 0x28B
            | 0x2BB
            | 0x300..=0x36F
            | 0x1E00..=0x1EFF
    )
}

const fn is_js_punct(c: u32) -> bool {
    // twitter-text's JS `punct` leaves out `"` and the backtick.
    matches!(
        c,
        0x21 | 0x23..=0x2F | 0x3A..=0x40 | 0x5B..=0x5F | 0x7B..=0x7E
    )
}

// ---------------------------------------------------------------------------
// URL syntax, parameterised by flavour.

/// The character classes and literals of one flavour of twitter-text's URL
/// pattern (`extractUrl` in JavaScript, `valid_url` in Ruby as Mastodon
/// changes it).
pub(crate) struct UrlSyntax {
    /// `validUrlPrecedingChars` without its `^` alternative.
    pub preceding: fn(u32) -> bool,
    /// Whether `^` also matches after a line feed (Ruby).
    pub caret_after_newline: bool,
    /// `validDomainChars`.
    pub domain_char: fn(u32) -> bool,
    /// Case folding used for literal, case-insensitive matches.
    pub fold: fn(u32) -> u32,
    /// Characters that make the look-ahead after a TLD fail.
    pub tld_blocker: fn(u32) -> bool,
    /// Characters after `xn--` in `validPunycode`.
    pub punycode_char: fn(u32) -> bool,
    /// Accepted schemes, lower case, without `://`.
    pub schemes: &'static [&'static str],
    /// `validGeneralUrlPathChars`.
    pub path_char: fn(u32) -> bool,
    /// The character alternative of `validUrlPathEndingChars`.
    pub path_end_char: fn(u32) -> bool,
    /// The path characters inside the balanced-parenthesis alternative of
    /// `validUrlPathEndingChars` (differs from `path_char` for Mastodon).
    pub path_end_paren_char: fn(u32) -> bool,
    /// `validUrlQueryChars`.
    pub query_char: fn(u32) -> bool,
    /// `validUrlQueryEndingChars`.
    pub query_end_char: fn(u32) -> bool,
    /// Which TLD index to use (depends on `fold`).
    pub tld_index: fn() -> &'static TldIndex,
}

/// One match of the URL pattern, as positions in the scanned units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UrlMatch {
    /// Start of `$2` (the preceding character, possibly empty).
    pub before_start: usize,
    /// Start of `$3` (the URL).
    pub start: usize,
    /// Whether `$4` (the scheme) matched.
    pub has_scheme: bool,
    /// `$5`, the domain.
    pub domain: (usize, usize),
    /// Whether `$7` (the path) matched.
    pub has_path: bool,
    /// End of the whole match.
    pub end: usize,
}

/// TLDs grouped by the folded first unit, in `tld_lib.yml` order.
pub(crate) struct TldIndex {
    generic: HashMap<u32, Vec<Vec<u32>>>,
    country: HashMap<u32, Vec<Vec<u32>>>,
}

impl TldIndex {
    pub(crate) fn build(fold: fn(u32) -> u32) -> TldIndex {
        let group = |list: &[&str]| {
            let mut map: HashMap<u32, Vec<Vec<u32>>> = HashMap::new();
            for tld in list {
                let units: Vec<u32> = tld.encode_utf16().map(|u| fold(u32::from(u))).collect();
                map.entry(units[0]).or_default().push(units);
            }
            map
        };
        TldIndex {
            generic: group(GENERIC),
            country: group(COUNTRY),
        }
    }
}

impl UrlSyntax {
    fn literal_at(&self, s: &[u32], at: usize, lit: &str) -> Option<usize> {
        let mut i = at;
        for b in lit.bytes() {
            if i >= s.len() || (self.fold)(s[i]) != (self.fold)(u32::from(b)) {
                return None;
            }
            i += 1;
        }
        Some(i)
    }

    /// `(?:X(?:[_-]|X)*)?X\.` (or without `_`): the end after the dot.
    fn label_end(&self, s: &[u32], at: usize, underscore: bool) -> Option<usize> {
        let dc = self.domain_char;
        let mut i = at;
        while i < s.len() && (dc(s[i]) || s[i] == 0x2D || (underscore && s[i] == 0x5F)) {
            i += 1;
        }
        (i > at && i < s.len() && s[i] == 0x2E && dc(s[at]) && dc(s[i - 1])).then_some(i + 1)
    }

    /// `validGTLD|validCCTLD|validPunycode` at `at`, with `bound` as the end
    /// of the subject (for `$`).
    fn tld_end(&self, s: &[u32], at: usize, bound: usize) -> Option<usize> {
        if at >= bound {
            return None;
        }
        let first = (self.fold)(s[at]);
        let index = (self.tld_index)();
        for map in [&index.generic, &index.country] {
            for tld in map.get(&first).into_iter().flatten() {
                let end = at + tld.len();
                if end <= bound
                    && s[at..end]
                        .iter()
                        .zip(tld)
                        .all(|(&c, &t)| (self.fold)(c) == t)
                    && (end == bound || !(self.tld_blocker)(s[end]))
                {
                    return Some(end);
                }
            }
        }
        let after = self.literal_at(&s[..bound], at, "xn--")?;
        let mut i = after;
        while i < bound && (self.punycode_char)(s[i]) {
            i += 1;
        }
        (i > after).then_some(i)
    }

    /// `validDomain` at `at`: `validSubdomain* validDomainName TLD`.
    fn domain_end(&self, s: &[u32], at: usize) -> Option<usize> {
        let mut subs = Vec::new();
        let mut pos = at;
        while let Some(e) = self.label_end(s, pos, true) {
            subs.push(e);
            pos = e;
        }
        // Greedy `*`: the most subdomains first, then fewer.
        for k in (0..=subs.len()).rev() {
            let name_start = if k == 0 { at } else { subs[k - 1] };
            if let Some(t) = self.label_end(s, name_start, false) {
                if let Some(end) = self.tld_end(s, t, s.len()) {
                    return Some(end);
                }
            }
        }
        None
    }

    /// `validUrlBalancedParens` at `at` with `g` as the path characters.
    fn balanced_end(s: &[u32], at: usize, g: fn(u32) -> bool) -> Option<usize> {
        if s.get(at) != Some(&0x28) {
            return None;
        }
        let run = |mut i: usize| {
            while i < s.len() && g(s[i]) {
                i += 1;
            }
            i
        };
        let a = run(at + 1);
        if a > at + 1 && s.get(a) == Some(&0x29) {
            return Some(a + 1);
        }
        if s.get(a) == Some(&0x28) {
            let b = run(a + 1);
            if b > a + 1 && s.get(b) == Some(&0x29) {
                let c = run(b + 1);
                if s.get(c) == Some(&0x29) {
                    return Some(c + 1);
                }
            }
        }
        None
    }

    /// `validUrlPath*` after the slash at `at - 1`: the run of path
    /// characters and balanced parentheses, cut back to its last valid
    /// ending (what the backtracking pattern settles on).
    fn path_end(&self, s: &[u32], at: usize) -> usize {
        let mut last = at;
        let mut i = at;
        while i < s.len() {
            if (self.path_char)(s[i]) {
                if (self.path_end_char)(s[i]) {
                    last = i + 1;
                }
                i += 1;
            } else if let Some(e) = Self::balanced_end(s, i, self.path_char) {
                if Self::balanced_end(s, i, self.path_end_paren_char) == Some(e) {
                    last = e;
                }
                i = e;
            } else {
                break;
            }
        }
        last
    }

    /// `(\?validUrlQueryChars*validUrlQueryEndingChars)?` at `at`.
    fn query_end(&self, s: &[u32], at: usize) -> usize {
        if s.get(at) != Some(&0x3F) {
            return at;
        }
        let mut last = None;
        let mut i = at + 1;
        while i < s.len() && (self.query_char)(s[i]) {
            if (self.query_end_char)(s[i]) {
                last = Some(i + 1);
            }
            i += 1;
        }
        last.unwrap_or(at)
    }

    fn rest(&self, s: &[u32], before_start: usize, q: usize) -> Option<UrlMatch> {
        let with_scheme = self.schemes.iter().find_map(|scheme| {
            self.literal_at(s, q, scheme)
                .and_then(|i| self.literal_at(s, i, "://"))
        });
        for scheme_end in [with_scheme, Some(q)].into_iter().flatten() {
            let Some(d_end) = self.domain_end(s, scheme_end) else {
                continue;
            };
            let mut i = d_end;
            if s.get(i) == Some(&0x3A) {
                let mut j = i + 1;
                while j < s.len() && (0x30..=0x39).contains(&s[j]) {
                    j += 1;
                }
                if j > i + 1 {
                    i = j;
                }
            }
            let has_path = s.get(i) == Some(&0x2F);
            if has_path {
                i = self.path_end(s, i + 1);
            }
            let end = self.query_end(s, i);
            return Some(UrlMatch {
                before_start,
                start: q,
                has_scheme: scheme_end != q,
                domain: (scheme_end, d_end),
                has_path,
                end,
            });
        }
        None
    }

    /// The leftmost match of the URL pattern at or after `from`.
    pub(crate) fn find(&self, s: &[u32], from: usize) -> Option<UrlMatch> {
        for p in from..=s.len() {
            if p < s.len() && (self.preceding)(s[p]) {
                if let Some(m) = self.rest(s, p, p + 1) {
                    return Some(m);
                }
            }
            let caret = p == 0 || (self.caret_after_newline && s[p - 1] == 0x0A);
            if caret && p < s.len() {
                if let Some(m) = self.rest(s, p, p) {
                    return Some(m);
                }
            }
        }
        None
    }

    /// `validAsciiDomain` (JavaScript) found in `d`, starting at `from`.
    fn ascii_domain_in(&self, d: &[u32], from: usize) -> Option<(usize, usize)> {
        let label = |c: u32| c == 0x2D || is_ascii_alnum(c) || is_latin_accent(c);
        for o in from..d.len() {
            let mut ends = Vec::new();
            let mut i = o;
            loop {
                let mut j = i;
                while j < d.len() && label(d[j]) {
                    j += 1;
                }
                if j > i && j < d.len() && d[j] == 0x2E {
                    ends.push(j + 1);
                    i = j + 1;
                } else {
                    break;
                }
            }
            for &e in ends.iter().rev() {
                if let Some(end) = self.tld_end(d, e, d.len()) {
                    return Some((o, end));
                }
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------
// The JavaScript flavour (X).

fn js_fold(u: u32) -> u32 {
    // Canonicalize() of non-Unicode, case-insensitive JavaScript patterns.
    if u < 0x80 {
        return u32::from((u as u8).to_ascii_uppercase());
    }
    let Some(c) = char::from_u32(u) else {
        return u;
    };
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(cu), None) if (cu as u32) <= 0xFFFF && (cu as u32) >= 0x80 => cu as u32,
        _ => u,
    }
}

fn js_preceding(c: u32) -> bool {
    !(is_ascii_alnum(c) || matches!(c, 0x40 | 0xFF20 | 0x24 | 0x23 | 0xFF03) || is_invalid_char(c))
}

fn js_domain_char(c: u32) -> bool {
    !(is_js_punct(c) || is_tt_space(c) || is_invalid_char(c) || is_directional(c))
}

fn tld_blocker(c: u32) -> bool {
    is_ascii_alnum(c) || matches!(c, 0x40 | 0x2B | 0x2D)
}

fn js_punycode_char(c: u32) -> bool {
    is_ascii_alnum(c) || c == 0x2D
}

fn js_path_char(c: u32) -> bool {
    is_ascii_alnum(c)
        || (0x400..=0x4FF).contains(&c)
        || is_latin_accent(c)
        || url_path_punct(c)
        || matches!(c, 0x2D | 0x2013)
}

/// Punctuation twitter-text allows inside a URL path
/// (`validGeneralUrlPathChars`, shared by its JavaScript and Ruby versions).
pub(crate) fn url_path_punct(c: u32) -> bool {
    matches!(
        c,
        0x21 | 0x2A
            | 0x27
            | 0x3B
            | 0x3A
            | 0x3D
            | 0x2B
            | 0x2C
            | 0x2E
            | 0x24
            | 0x2F
            | 0x25
            | 0x23
            | 0x5B
            | 0x5D
            | 0x5F
            | 0x7E
            | 0x26
            | 0x7C
            | 0x40
    )
}

/// Punctuation twitter-text allows in a URL query (`validUrlQueryChars`).
pub(crate) fn url_query_punct(c: u32) -> bool {
    matches!(
        c,
        0x21 | 0x3F
            | 0x2A
            | 0x27
            | 0x40
            | 0x28
            | 0x29
            | 0x3B
            | 0x3A
            | 0x26
            | 0x3D
            | 0x2B
            | 0x24
            | 0x2F
            | 0x25
            | 0x23
            | 0x5B
            | 0x5D
            | 0x2D
            | 0x5F
            | 0x2E
            | 0x2C
            | 0x7E
            | 0x7C
    )
}

fn js_path_end_char(c: u32) -> bool {
    is_ascii_alnum(c)
        || (0x400..=0x4FF).contains(&c)
        || is_latin_accent(c)
        || matches!(c, 0x2B | 0x2D | 0x3D | 0x5F | 0x23 | 0x2F)
}

fn js_query_char(c: u32) -> bool {
    is_ascii_alnum(c) || url_query_punct(c)
}

fn js_query_end_char(c: u32) -> bool {
    is_ascii_alnum(c) || matches!(c, 0x2D | 0x5F | 0x26 | 0x3D | 0x23 | 0x2F)
}

fn js_tld_index() -> &'static TldIndex {
    static INDEX: OnceLock<TldIndex> = OnceLock::new();
    INDEX.get_or_init(|| TldIndex::build(js_fold))
}

/// twitter-text 3.1.0's (JavaScript) `extractUrl`.
pub(crate) static JS_URL: UrlSyntax = UrlSyntax {
    preceding: js_preceding,
    caret_after_newline: false,
    domain_char: js_domain_char,
    fold: js_fold,
    tld_blocker,
    punycode_char: js_punycode_char,
    schemes: &["https", "http"],
    path_char: js_path_char,
    path_end_char: js_path_end_char,
    path_end_paren_char: js_path_char,
    query_char: js_query_char,
    query_end_char: js_query_end_char,
    tld_index: js_tld_index,
};

/// An entity found by the extraction functions, in UTF-16 units of the text
/// it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// Units to skip in `parseTweet` (the length of the entity's text).
    pub len: usize,
    /// For a domain without a scheme whose ASCII part ends before the end of
    /// the matched domain: (end of the ASCII part, end of the domain). The
    /// entity's text is then the ASCII part followed by what comes after the
    /// domain, as twitter-text builds it.
    pub gap: Option<(usize, usize)>,
}

/// Encodes `text` as UTF-16 units widened to `u32`.
pub(crate) fn utf16(text: &str) -> Vec<u32> {
    text.encode_utf16().map(u32::from).collect()
}

/// Code points of a slice of UTF-16 units (lone surrogates kept as is).
fn code_points(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let u = s[i];
        if (0xD800..=0xDBFF).contains(&u)
            && s.get(i + 1).is_some_and(|n| (0xDC00..=0xDFFF).contains(n))
        {
            out.push(0x10000 + ((u - 0xD800) << 10) + (s[i + 1] - 0xDC00));
            i += 2;
        } else {
            out.push(u);
            i += 1;
        }
    }
    out
}

/// Length of the Punycode encoding (RFC 3492) of `input`, or `None` on
/// overflow.
pub(crate) fn punycode_len(input: &[u32]) -> Option<usize> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    let adapt = |mut delta: u32, num_points: u32, first: bool| {
        delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / num_points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    };
    let basic = input.iter().filter(|&&c| c < 0x80).count();
    let mut out = basic + usize::from(basic > 0);
    let mut n: u32 = 0x80;
    let mut delta: u32 = 0;
    let mut bias: u32 = 72;
    let mut handled = basic as u32;
    let total = input.len() as u32;
    while handled < total {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                bias = adapt(delta, handled + 1, handled == basic as u32);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(out)
}

/// Length of `punycode.toASCII(label)` (Node's punycode 2.x).
fn js_punycode_to_ascii_len(label: &[u32]) -> Option<usize> {
    let mut total = 0;
    let parts: Vec<&[u32]> = label
        .split(|&c| matches!(c, 0x2E | 0x3002 | 0xFF0E | 0xFF61))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            total += 1;
        }
        if part.iter().any(|&c| c > 0x7E) {
            total += 4 + punycode_len(&code_points(part))?;
        } else {
            total += part.len();
        }
    }
    Some(total)
}

/// `isValidUrl` of `extractUrlsWithIndices` (with `idna.toAscii`).
fn js_is_valid_url(s: &[u32], m: &UrlMatch, url_len: usize) -> bool {
    let domain = &s[m.domain.0..m.domain.1];
    let xn: Vec<u32> = "xn--".bytes().map(u32::from).collect();
    if domain.starts_with(&xn) && JS_URL.ascii_domain_in(domain, 0).is_none() {
        return false;
    }
    for label in domain.split(|&c| c == 0x2E) {
        match js_punycode_to_ascii_len(label) {
            Some(n) if (1..=63).contains(&n) => {}
            _ => return false,
        }
    }
    let protocol_len = if m.has_scheme {
        m.domain.0 - m.start
    } else {
        8
    };
    protocol_len + url_len <= MAX_URL_LENGTH
}

/// `extractUrlsWithIndices` (URLs with or without a scheme).
pub(crate) fn extract_urls(s: &[u32]) -> Vec<Found> {
    let mut urls = Vec::new();
    if !s.contains(&0x2E) {
        return urls;
    }
    let mut from = 0;
    while let Some(m) = JS_URL.find(s, from) {
        from = m.end;
        if !js_is_valid_url(s, &m, m.end - m.start) {
            continue;
        }
        if !m.has_scheme {
            let before = &s[m.before_start..m.start];
            if before
                .last()
                .is_some_and(|&c| matches!(c, 0x2D | 0x5F | 0x2E | 0x2F))
            {
                continue;
            }
            let domain = &s[m.domain.0..m.domain.1];
            let mut last: Option<usize> = None;
            let mut ascii_end = 0;
            let mut pos = 0;
            while let Some((o, e)) = JS_URL.ascii_domain_in(domain, pos) {
                pos = e;
                let found = &domain[o..e];
                let rel = (ascii_end..=domain.len() - found.len())
                    .find(|&i| &domain[i..i + found.len()] == found)
                    .unwrap_or(o);
                ascii_end = rel + found.len();
                urls.push(Found {
                    start: m.start + rel,
                    end: m.start + ascii_end,
                    len: found.len(),
                    gap: None,
                });
                last = Some(urls.len() - 1);
            }
            let Some(last) = last else { continue };
            if m.has_path {
                let tail = m.end - m.domain.1;
                let url = &mut urls[last];
                if url.end < m.domain.1 {
                    url.gap = Some((url.end, m.domain.1));
                }
                url.len += tail;
                url.end = m.end;
            }
        } else {
            let mut end = m.end;
            if let Some((slug, tco_end)) = tco_match(&s[m.start..m.end]) {
                if slug > MAX_TCO_SLUG_LENGTH {
                    continue;
                }
                end = m.start + tco_end;
            }
            urls.push(Found {
                start: m.start,
                end,
                len: end - m.start,
                gap: None,
            });
        }
    }
    urls
}

/// `validTcoUrl` (JavaScript): `^https?://t\.co/([a-z0-9]+)(?:\?query)?`,
/// returning the slug length and the match length.
fn tco_match(url: &[u32]) -> Option<(usize, usize)> {
    let mut i = JS_URL.literal_at(url, 0, "http")?;
    if url.get(i).is_some_and(|&c| js_fold(c) == u32::from(b'S')) {
        i += 1;
    }
    let i = JS_URL.literal_at(url, i, "://t.co/")?;
    let mut j = i;
    while j < url.len() && is_ascii_alnum(url[j]) {
        j += 1;
    }
    if j == i {
        return None;
    }
    let end = JS_URL.query_end(url, j);
    Some((j - i, end))
}

// ---------------------------------------------------------------------------
// Emoji (twemoji-parser 11.0.2).

struct Patterns {
    emoji: Node,
    letters_bmp: Node,
    letters_astral: Node,
    alnum_bmp: Node,
    numerals_astral: Node,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        emoji: Node::parse(twitter_data::TWEMOJI),
        letters_bmp: Node::parse_class_body(twitter_data::BMP_LETTERS_AND_MARKS),
        letters_astral: Node::parse(twitter_data::ASTRAL_LETTERS_AND_MARKS),
        alnum_bmp: Node::parse_class_body(&format!(
            "{}{}{}",
            twitter_data::BMP_LETTERS_AND_MARKS,
            twitter_data::BMP_NUMERALS,
            twitter_data::HASHTAG_SPECIAL_CHARS
        )),
        numerals_astral: Node::parse(twitter_data::ASTRAL_NUMERALS),
    })
}

fn to_u16(s: &[u32]) -> Vec<u16> {
    s.iter().map(|&u| u as u16).collect()
}

/// twemoji-parser's `parse`: the emoji in `s` (UTF-16 units).
pub(crate) fn extract_emoji(s: &[u32]) -> Vec<Found> {
    let units = to_u16(s);
    let emoji = &patterns().emoji;
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let may_start = u >= 0x80 || matches!(u, 0x23 | 0x2A | 0x30..=0x39);
        match may_start.then(|| emoji.match_at(&units, i)).flatten() {
            Some(end) if end > i => {
                out.push(Found {
                    start: i,
                    end,
                    len: end - i,
                    gap: None,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------------------
// parseTweet.

/// The result of twitter-text's `parseTweet` with the default (version 3)
/// configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TweetParse {
    pub weighted_length: usize,
    pub valid: bool,
    /// Inclusive UTF-16 index of the last character that still fits.
    pub valid_range_end: usize,
}

const fn char_weight(u: u32) -> usize {
    match u {
        0..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037 => 1,
        _ => 2,
    }
}

/// `parseTweet(text)`: NFC first, then URLs weigh 23, known emoji 2, other
/// characters 1 or 2 by range.
pub(crate) fn parse_tweet(text: &str) -> TweetParse {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = text.nfc().collect();
    let s = utf16(&nfc);
    let urls: HashMap<usize, Found> = extract_urls(&s).into_iter().map(|f| (f.start, f)).collect();
    let emoji: HashMap<usize, Found> = extract_emoji(&s)
        .into_iter()
        .map(|f| (f.start, f))
        .collect();
    let mut weighted = 0usize;
    let mut valid = true;
    let mut valid_index = 0usize;
    let mut i = 0usize;
    while i < s.len() {
        if let Some(url) = urls.get(&i) {
            weighted += URL_WEIGHT;
            i += url.len - 1;
        } else if let Some(e) = emoji.get(&i) {
            weighted += 2;
            i += e.len - 1;
        } else {
            let pair = i + 1 < s.len()
                && (0xD800..=0xDBFF).contains(&s[i])
                && (0xDC00..=0xDFFF).contains(&s[i + 1]);
            if pair {
                i += 1;
            }
            weighted += char_weight(s[i]);
        }
        if valid {
            valid = !s.get(i).is_some_and(|&u| is_invalid_char(u));
        }
        if valid && weighted <= MAX_WEIGHTED_LENGTH {
            valid_index = i;
        }
        i += 1;
    }
    let offset = text.encode_utf16().count() as isize - s.len() as isize;
    TweetParse {
        weighted_length: weighted,
        valid: valid && weighted > 0 && weighted <= MAX_WEIGHTED_LENGTH,
        valid_range_end: (valid_index as isize + offset).max(0) as usize,
    }
}

// ---------------------------------------------------------------------------
// Mentions and hashtags.

/// A mention or list found by `extractMentionsOrListsWithIndices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MentionFound {
    /// From the at sign to the end of the name or list slug.
    pub start: usize,
    pub end: usize,
    /// The user name (without the at sign).
    pub name: (usize, usize),
    pub is_list: bool,
}

const fn is_at_sign(c: u32) -> bool {
    c == 0x40 || c == 0xFF20
}

fn mention_rest(s: &[u32], at: usize) -> Option<MentionFound> {
    if !s.get(at).is_some_and(|&c| is_at_sign(c)) {
        return None;
    }
    let name_start = at + 1;
    let mut i = name_start;
    while i < s.len() && i - name_start < 20 && (is_ascii_alnum(s[i]) || s[i] == 0x5F) {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name_end = i;
    let mut end = name_end;
    let mut is_list = false;
    if s.get(i) == Some(&0x2F) && s.get(i + 1).is_some_and(|&c| is_ascii_alnum(c) && c > 0x39) {
        let mut j = i + 2;
        while j < s.len()
            && j - (i + 2) < 24
            && (is_ascii_alnum(s[j]) || matches!(s[j], 0x5F | 0x2D))
        {
            j += 1;
        }
        end = j;
        is_list = true;
    }
    Some(MentionFound {
        start: at,
        end,
        name: (name_start, name_end),
        is_list,
    })
}

fn is_rt(s: &[u32], i: usize) -> bool {
    s.get(i).is_some_and(|&c| c == 0x52 || c == 0x72)
        && s.get(i + 1).is_some_and(|&c| c == 0x54 || c == 0x74)
}

fn mention_at(s: &[u32], p: usize) -> Option<MentionFound> {
    // validMentionPrecedingChars, alternative by alternative.
    if p == 0 {
        if let Some(m) = mention_rest(s, p) {
            return Some(m);
        }
    }
    let c = *s.get(p)?;
    let excluded = is_ascii_alnum(c)
        || matches!(c, 0x5F | 0x21 | 0x23 | 0x24 | 0x25 | 0x26 | 0x2A)
        || is_at_sign(c);
    if !excluded {
        if let Some(m) = mention_rest(s, p + 1) {
            return Some(m);
        }
    }
    let rt_starts = [
        (p == 0).then_some(p),
        (!(is_ascii_alnum(c) || matches!(c, 0x5F | 0x2B | 0x7E | 0x2E | 0x2D))).then_some(p + 1),
    ];
    for rt in rt_starts.into_iter().flatten() {
        if is_rt(s, rt) {
            if s.get(rt + 2) == Some(&0x3A) {
                if let Some(m) = mention_rest(s, rt + 3) {
                    return Some(m);
                }
            }
            if let Some(m) = mention_rest(s, rt + 2) {
                return Some(m);
            }
        }
    }
    None
}

fn ends_mention(after: &[u32]) -> bool {
    match after.first() {
        Some(&c) if is_at_sign(c) || is_latin_accent(c) => true,
        _ => after.starts_with(&[0x3A, 0x2F, 0x2F]),
    }
}

/// `extractMentionsOrListsWithIndices`.
pub(crate) fn extract_mentions_or_lists(s: &[u32]) -> Vec<MentionFound> {
    let mut out = Vec::new();
    if !s.iter().any(|&c| is_at_sign(c)) {
        return out;
    }
    let mut from = 0;
    while from < s.len() {
        let Some(m) = (from..s.len()).find_map(|p| mention_at(s, p)) else {
            break;
        };
        from = m.end;
        if !ends_mention(&s[m.end..]) {
            out.push(m);
        }
    }
    out
}

/// A hashtag alphanumeric (or, with `alpha_only`, letter) token at `i`:
/// its end.
fn hashtag_token(s: &[u16], i: usize, alpha_only: bool) -> Option<usize> {
    let p = patterns();
    let u = *s.get(i)?;
    let pair = (0xD800..=0xDBFF).contains(&u)
        && s.get(i + 1).is_some_and(|n| (0xDC00..=0xDFFF).contains(n));
    if alpha_only {
        if p.letters_bmp.class_contains(u) {
            return Some(i + 1);
        }
        if pair {
            return p.letters_astral.match_at(s, i);
        }
    } else {
        if p.alnum_bmp.class_contains(u) {
            return Some(i + 1);
        }
        if pair {
            return p
                .letters_astral
                .match_at(s, i)
                .or_else(|| p.numerals_astral.match_at(s, i));
        }
    }
    None
}

fn hashtag_from_hash(s: &[u16], h: usize) -> Option<usize> {
    if !s.get(h).is_some_and(|&c| c == 0x23 || c == 0xFF03) {
        return None;
    }
    if s.get(h + 1).is_some_and(|&c| c == 0xFE0F || c == 0x20E3) {
        return None;
    }
    let mut i = h + 1;
    let mut has_alpha = false;
    while let Some(e) = hashtag_token(s, i, false) {
        has_alpha |= hashtag_token(s, i, true).is_some();
        i = e;
    }
    has_alpha.then_some(i)
}

fn hashtag_at(s: &[u16], p: usize) -> Option<(usize, usize)> {
    if p == 0 {
        if let Some(e) = hashtag_from_hash(s, 0) {
            return Some((0, e));
        }
    }
    let u = *s.get(p)?;
    if u == 0xFE0E || u == 0xFE0F {
        if let Some(e) = hashtag_from_hash(s, p + 1) {
            return Some((p + 1, e));
        }
    }
    if hashtag_token(s, p, false).is_some() || u == 0x26 {
        return None;
    }
    let cp_end = if (0xDC00..=0xDFFF).contains(&u) {
        return None;
    } else if (0xD800..=0xDBFF).contains(&u) {
        if s.get(p + 1).is_some_and(|n| (0xDC00..=0xDFFF).contains(n)) {
            p + 2
        } else {
            return None;
        }
    } else {
        p + 1
    };
    hashtag_from_hash(s, cp_end).map(|e| (cp_end, e))
}

/// `extractHashtagsWithIndices`, optionally dropping hashtags inside URLs.
pub(crate) fn extract_hashtags(s: &[u32], check_url_overlap: bool) -> Vec<Found> {
    let mut tags = Vec::new();
    if !s.iter().any(|&c| c == 0x23 || c == 0xFF03) {
        return tags;
    }
    let units = to_u16(s);
    let mut from = 0;
    while from < units.len() {
        let Some((h, e)) = (from..units.len()).find_map(|p| hashtag_at(&units, p)) else {
            break;
        };
        from = e;
        let after = &s[e..];
        let ends = after.first().is_some_and(|&c| c == 0x23 || c == 0xFF03)
            || after.starts_with(&[0x3A, 0x2F, 0x2F]);
        if !ends {
            tags.push(Found {
                start: h,
                end: e,
                len: e - h,
                gap: None,
            });
        }
    }
    if check_url_overlap {
        let urls = extract_urls(s);
        if !urls.is_empty() {
            let mut all: Vec<(Found, bool)> = tags
                .iter()
                .map(|&t| (t, true))
                .chain(urls.iter().map(|&u| (u, false)))
                .collect();
            remove_overlapping(&mut all, |e| (e.0.start, e.0.end));
            tags = all.into_iter().filter(|e| e.1).map(|e| e.0).collect();
        }
    }
    tags
}

/// `removeOverlappingEntities`: stable sort by start, then drop every entity
/// that starts before the previous kept one ends.
pub(crate) fn remove_overlapping<T>(entities: &mut Vec<T>, range: impl Fn(&T) -> (usize, usize)) {
    entities.sort_by_key(|e| range(e).0);
    let mut prev_end: Option<usize> = None;
    entities.retain(|e| {
        let (start, end) = range(e);
        if prev_end.is_some_and(|p| p > start) {
            false
        } else {
            prev_end = Some(end);
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        let s = utf16(text);
        extract_urls(&s)
            .iter()
            .map(|f| String::from_utf16_lossy(&to_u16(&s[f.start..f.end])))
            .collect()
    }

    #[test]
    fn bare_domains_and_file_names_are_urls() {
        assert_eq!(urls("Built with ASP.NET and Node.js"), ["ASP.NET"]);
        assert_eq!(urls("see main.rs, lib.rs"), ["main.rs", "lib.rs"]);
        assert_eq!(urls("v1.2.3 index.html notes.txt"), Vec::<String>::new());
        assert_eq!(urls("a.com-x"), Vec::<String>::new());
        assert_eq!(
            urls("https://example.com/foo."),
            ["https://example.com/foo"]
        );
        assert_eq!(
            urls("https://en.wikipedia.org/wiki/Primer_(film) x"),
            ["https://en.wikipedia.org/wiki/Primer_(film)"]
        );
        assert_eq!(urls("https://t.co/abc?x=1"), ["https://t.co/abc?x=1"]);
        assert_eq!(urls("xhttps://example.com/a"), Vec::<String>::new());
    }

    #[test]
    fn weights() {
        assert_eq!(parse_tweet("Wait for it…").weighted_length, 13);
        assert_eq!(parse_tweet("© ©\u{fe0f}").weighted_length, 4);
        assert_eq!(parse_tweet("🏳️‍⚧️").weighted_length, 7);
        assert_eq!(parse_tweet("👨‍👩‍👧‍👦").weighted_length, 2);
        assert!(!parse_tweet("").valid);
        assert!(!parse_tweet("a\u{feff}").valid);
    }

    #[test]
    fn punycode_lengths() {
        // "münchen" -> "mnchen-3ya"
        let cps: Vec<u32> = "münchen".chars().map(u32::from).collect();
        assert_eq!(punycode_len(&cps), Some(10));
        let cps: Vec<u32> = "例え".chars().map(u32::from).collect();
        assert_eq!(punycode_len(&cps), Some("r8jz45g".len()));
    }

    #[test]
    fn mentions_and_hashtags() {
        let s = utf16("RT @user: hi @bob@mastodon.social #tag-x #123 x#y");
        let m = extract_mentions_or_lists(&s);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].start, m[0].end), (3, 8));
        let h = extract_hashtags(&s, true);
        assert_eq!(h.len(), 1);
        assert_eq!(
            String::from_utf16_lossy(&to_u16(&s[h[0].start..h[0].end])),
            "#tag"
        );
    }
}
