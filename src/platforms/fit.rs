//! Fitting a rendered share snippet into a platform's limit.
//!
//! A snippet is rendered from a template, so the fitter does not cut the
//! finished text: it shortens the template's inputs (the slots) and renders
//! again, counting with the platform's own rule after every change. The order
//! follows the product contract: shorten the description (at a word and
//! grapheme-cluster boundary, ending with "…"), down to dropping it; then drop
//! hashtags, last first; then shorten the title the same way. A cut never
//! falls inside a URL, mention or hashtag of the slot text, and the ellipsis
//! is never glued to a URL (it would become part of the link).

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

use crate::platforms::count::{self, Entity, EntityKind, Platform};

/// The ellipsis appended to a shortened title or description (U+2026; it
/// weighs 2 on X).
pub const ELLIPSIS: &str = "\u{2026}";

/// The parts of a snippet that the fitter may shorten or drop. Everything
/// else (the URL, the guests' handles, fixed wording) lives in the template
/// and is never cut.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slots {
    /// The post's title; shortened last.
    pub title: String,
    /// The post's description; shortened first, dropped if need be.
    pub description: String,
    /// Hashtags, as the template expects them (with or without `#`); dropped
    /// last-first after the description.
    pub hashtags: Vec<String>,
}

/// A snippet that does not fit even when shortened as far as allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitError {
    /// The platform whose limit was exceeded.
    pub platform: Platform,
    /// The length of the shortest rendering, in the platform's unit.
    pub length: usize,
    /// The limit it had to meet.
    pub limit: usize,
    /// The shortest rendering, for the error message's reader.
    pub shortest: String,
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} snippet does not fit: even with the description and hashtags dropped and \
             the title shortened it counts {} where {} allows {}",
            self.platform.name(),
            self.length,
            self.platform,
            self.limit
        )?;
        if self.platform == Platform::X
            && !count::x_is_valid(&self.shortest)
            && self.length <= self.limit
        {
            f.write_str(" (the text is empty or holds U+FEFF, U+FFFE or U+FFFF)")?;
        }
        Ok(())
    }
}

impl std::error::Error for FitError {}

/// Renders `slots` with `render` and shortens them until `platform` accepts
/// the text under its default limit. Email has no limit: the text is
/// rendered once.
pub fn fit(
    platform: Platform,
    render: impl Fn(&Slots) -> String,
    slots: Slots,
) -> Result<String, FitError> {
    match platform.limit() {
        Some(limit) => fit_with_limit(platform, limit.max, render, slots),
        None => Ok(render(&sanitize(slots))),
    }
}

/// Like [`fit`], with `max` as the platform's main limit (for a Mastodon
/// server that allows more or less than 500).
pub fn fit_with_limit(
    platform: Platform,
    max: usize,
    render: impl Fn(&Slots) -> String,
    slots: Slots,
) -> Result<String, FitError> {
    let ok = |text: &str| count::fits_within(platform, max, text);
    let mut slots = sanitize(slots);
    let text = render(&slots);
    if ok(&text) {
        return Ok(text);
    }

    // 1. The description, shortened, then dropped.
    if !slots.description.is_empty() {
        let description = std::mem::take(&mut slots.description);
        let cuts = Cuts::of(&description);
        // The snippet without a description tells how much room a cut has,
        // which points the search at the right cut in one or two tries
        // (roughly: links and wide characters count differently).
        let without = render(&slots);
        let room = max.saturating_sub(count::length(platform, &without));
        let found = longest_fitting_from(cuts.len(), cuts.longest_within(room), |i| {
            let mut s = slots.clone();
            s.description = cuts.get(i);
            let text = render(&s);
            ok(&text).then_some(text)
        });
        if let Some(text) = found {
            return Ok(text);
        }
        if ok(&without) {
            return Ok(without);
        }
    }

    // 2. Hashtags, last first.
    while slots.hashtags.pop().is_some() {
        let text = render(&slots);
        if ok(&text) {
            return Ok(text);
        }
    }

    // 3. The title.
    let title = std::mem::take(&mut slots.title);
    let cuts = Cuts::of(&title);
    let found = longest_fitting(cuts.len(), |i| {
        let mut s = slots.clone();
        s.title = cuts.get(i);
        let text = render(&s);
        ok(&text).then_some(text)
    });
    if let Some(text) = found {
        return Ok(text);
    }
    slots.title = if cuts.ends.is_empty() {
        title.clone()
    } else {
        cuts.get(0)
    };
    let shortest = render(&slots);
    Err(FitError {
        platform,
        length: count::length(platform, &shortest),
        limit: max,
        shortest,
    })
}

/// Shortens `text` to the longest of its [`shortenings`] that `fits`
/// accepts; `text` itself when it fits, `None` when no shortening does.
pub fn shorten(text: &str, fits: impl Fn(&str) -> bool) -> Option<String> {
    if fits(text) {
        return Some(text.to_string());
    }
    let cuts = Cuts::of(text);
    longest_fitting(cuts.len(), |i| {
        let cut = cuts.get(i);
        fits(&cut).then_some(cut)
    })
}

/// Characters that may stand before a cut but read badly before "…".
fn is_trailing_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';' | ':' | '-' | '\u{2013}' | '\u{2014}' | '(' | '[' | '{' | '/'
        )
}

/// Every shortened form of `text`, shortest first: a prefix ending at a
/// word boundary that is also a grapheme-cluster boundary and not inside a
/// URL, mention or hashtag, with trailing separators removed and "…"
/// appended (" …" after a URL, so the ellipsis does not join the link).
pub fn shortenings(text: &str) -> Vec<String> {
    Cuts::of(text).iter().collect()
}

/// The shortened forms of a text (see [`shortenings`]), made one at a time:
/// the fitter tries a handful of the hundreds a long description has.
struct Cuts<'t> {
    text: &'t str,
    /// Where each cut ends in `text`, and whether a space goes before the
    /// ellipsis; shortest first.
    ends: Vec<(usize, bool)>,
}

thread_local! {
    /// The cut points of the last text cut on this thread: a share kit fits
    /// the same description for every platform and audience in a row.
    static LAST_CUTS: std::cell::RefCell<(String, Vec<(usize, bool)>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

impl<'t> Cuts<'t> {
    fn of(text: &'t str) -> Cuts<'t> {
        let cached = LAST_CUTS.with_borrow(|(last, ends)| (last == text).then(|| ends.clone()));
        let ends = cached.unwrap_or_else(|| {
            let ends = Self::cut_points(text);
            LAST_CUTS.with_borrow_mut(|last| *last = (text.to_string(), ends.clone()));
            ends
        });
        Cuts { text, ends }
    }

    fn cut_points(text: &str) -> Vec<(usize, bool)> {
        let protected = protected_ranges(text);
        let inside = |b: usize| {
            protected
                .iter()
                .any(|e| e.range.start < b && b < e.range.end)
        };
        let url_ending_at = |b: usize| {
            protected
                .iter()
                .any(|e| e.kind == EntityKind::Url && e.range.end == b)
        };
        // Which byte offsets start a grapheme cluster.
        let mut grapheme_start = vec![false; text.len() + 1];
        for (i, _) in text.grapheme_indices(true) {
            grapheme_start[i] = true;
        }
        let full = text.trim_end().len();
        let mut ends: Vec<(usize, bool)> = Vec::new();
        for (b, _) in text.split_word_bound_indices() {
            if b == 0 || !grapheme_start[b] || inside(b) {
                continue;
            }
            let prefix = &text[..b];
            let mut end = prefix.trim_end_matches(is_trailing_separator).len();
            if end > 0 && inside(end) {
                end = prefix.trim_end().len();
            }
            if end == 0 || inside(end) || end >= full {
                continue;
            }
            let spaced = url_ending_at(end);
            // Only cuts shorter than the text itself with its ellipsis.
            if end + usize::from(spaced) < text.len() {
                ends.push((end, spaced));
            }
        }
        // Shortest first; equal cuts once.
        ends.sort_by_key(|&(end, spaced)| (end + usize::from(spaced), end));
        ends.dedup();
        ends
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`-th shortest cut.
    fn get(&self, i: usize) -> String {
        let (end, spaced) = self.ends[i];
        let joiner = if spaced { " " } else { "" };
        format!("{}{joiner}{ELLIPSIS}", &self.text[..end])
    }

    /// The index of the longest cut of at most `chars` characters (the
    /// ellipsis included), or 0.
    fn longest_within(&self, chars: usize) -> usize {
        let chars_of = |&(end, spaced): &(usize, bool)| {
            self.text[..end].chars().count() + usize::from(spaced) + 1
        };
        self.ends
            .partition_point(|cut| chars_of(cut) <= chars)
            .saturating_sub(1)
    }

    fn iter(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Entities of `text` that a cut must not split: what X finds (links,
/// bare domains, mentions, hashtags) and what Mastodon finds (links with a
/// scheme, `@user@domain`).
fn protected_ranges(text: &str) -> Vec<Entity> {
    let mut all = count::x_entities(text);
    all.extend(count::mastodon_entities(text));
    all
}

/// Like [`longest_fitting`], starting at `guess`: from there it gallops up
/// while candidates fit, or down while they do not, then searches the bracket
/// it found. As few tests as a binary search when the guess is poor, two or
/// three when it is close.
fn longest_fitting_from(
    n: usize,
    guess: usize,
    mut test: impl FnMut(usize) -> Option<String>,
) -> Option<String> {
    if n == 0 {
        return None;
    }
    let guess = guess.min(n - 1);
    // Invariant: every index below `lo` fits (or `lo` is 0), none from `hi` on.
    let (mut lo, mut hi);
    let mut best = None;
    match test(guess) {
        Some(text) => {
            best = Some(text);
            lo = guess + 1;
            hi = n;
            let mut step = 1;
            while lo < n {
                let probe = (guess + step).min(n - 1);
                match test(probe) {
                    Some(text) => {
                        best = Some(text);
                        lo = probe + 1;
                    }
                    None => {
                        hi = probe;
                        break;
                    }
                }
                step *= 2;
            }
        }
        None => {
            lo = 0;
            hi = guess;
            let mut step = 1;
            while hi > 0 {
                let probe = guess.saturating_sub(step);
                match test(probe) {
                    Some(text) => {
                        best = Some(text);
                        lo = probe + 1;
                        break;
                    }
                    None => hi = probe,
                }
                step *= 2;
            }
        }
    }
    bisect(lo, hi, best, test)
}

/// Binary search for the largest `i < n` whose `test` succeeds, assuming
/// that shorter candidates fit at least as well as longer ones. Only a
/// candidate that was tested and accepted is ever returned.
fn longest_fitting(n: usize, test: impl FnMut(usize) -> Option<String>) -> Option<String> {
    bisect(0, n, None, test)
}

/// The binary search of [`longest_fitting`] within `lo..hi`, where every index
/// below `lo` fits and `best` is the text of the last one tested.
fn bisect(
    mut lo: usize,
    mut hi: usize,
    mut best: Option<String>,
    mut test: impl FnMut(usize) -> Option<String>,
) -> Option<String> {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match test(mid) {
            Some(text) => {
                best = Some(text);
                lo = mid + 1;
            }
            None => hi = mid,
        }
    }
    best
}

/// Removes U+FFFE, U+FEFF and U+FFFF from the slots: invisible, and X
/// rejects any text holding them.
fn sanitize(mut slots: Slots) -> Slots {
    let clean = |s: &mut String| {
        if s.contains(['\u{FFFE}', '\u{FEFF}', '\u{FFFF}']) {
            s.retain(|c| !matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'));
        }
    };
    clean(&mut slots.title);
    clean(&mut slots.description);
    slots.hashtags.iter_mut().for_each(clean);
    slots
        .hashtags
        .retain(|h| !h.trim_start_matches('#').is_empty());
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(s: &Slots) -> String {
        let mut out = format!("New guest post: {}", s.title);
        if !s.description.is_empty() {
            out.push_str(&format!(" — {}", s.description));
        }
        out.push_str(" https://example.org/posts/a-post/");
        for h in &s.hashtags {
            out.push_str(&format!(" #{h}"));
        }
        out
    }

    #[test]
    fn short_text_is_untouched() {
        let slots = Slots {
            title: "Hello".into(),
            description: "World".into(),
            hashtags: vec!["rust".into()],
        };
        assert_eq!(
            fit(Platform::X, render, slots.clone()).as_deref(),
            Ok(render(&slots).as_str())
        );
    }

    #[test]
    fn description_is_cut_at_a_word_with_an_ellipsis() {
        let slots = Slots {
            title: "Three ways to cultivate your community".into(),
            description: "word ".repeat(80),
            hashtags: vec!["community".into()],
        };
        let text = fit(Platform::X, render, slots).unwrap_or_default();
        assert!(count::x_is_valid(&text));
        assert!(
            count::x_weighted_length(&text) > 270,
            "uses the room: {text}"
        );
        assert!(text.contains("word…"), "{text}");
        assert!(text.ends_with("#community"));
    }

    #[test]
    fn never_cuts_inside_entities() {
        let cuts = shortenings("Using ASP.NET with @someone@example.social and #dotnet today");
        for c in &cuts {
            let body = c.trim_end_matches(ELLIPSIS).trim_end();
            for token in ["ASP.NET", "@someone@example.social", "#dotnet"] {
                let partial =
                    (1..token.len()).any(|k| body.ends_with(&token[..k]) && !body.ends_with(token));
                assert!(!partial, "{c:?} cuts inside {token}");
            }
        }
        // A bare domain is a link on X and Bluesky too: the ellipsis keeps a space.
        assert!(cuts.contains(&"Using ASP.NET …".to_string()), "{cuts:?}");
        let cuts = shortenings("see https://example.org/x now");
        assert!(
            cuts.contains(&"see https://example.org/x …".to_string()),
            "{cuts:?}"
        );
    }

    #[test]
    fn hashtags_go_before_the_title_is_cut() {
        let slots = Slots {
            title: "A title".into(),
            description: String::new(),
            hashtags: (0..60).map(|i| format!("tag{i}")).collect(),
        };
        let text = fit(Platform::Bluesky, render, slots).unwrap_or_default();
        assert!(text.contains("A title"));
        assert!(text.contains("#tag0"));
        assert!(count::fits(Platform::Bluesky, &text));
    }

    #[test]
    fn error_names_platform_and_length() {
        let err = fit(Platform::X, |_| "x".repeat(300), Slots::default()).unwrap_err();
        assert_eq!(
            (err.platform, err.length, err.limit),
            (Platform::X, 300, 280)
        );
        assert!(err.to_string().contains("x snippet"));
    }

    #[test]
    fn cjk_is_cut_between_characters() {
        let slots = Slots {
            title: "チームで学び続ける三つの方法".repeat(20),
            ..Slots::default()
        };
        let text = fit(Platform::X, render, slots).unwrap_or_default();
        assert!(count::x_is_valid(&text), "{text}");
        assert!(text.contains('…'));
    }

    #[test]
    fn galloping_finds_what_bisecting_finds() {
        for n in 0..40 {
            for fitting in 0..=n {
                let test = |i: usize| (i < fitting).then(|| i.to_string());
                let want = longest_fitting(n, test);
                for guess in 0..n + 3 {
                    let mut tries = 0;
                    let got = longest_fitting_from(n, guess, |i| {
                        tries += 1;
                        assert!(i < n, "tested {i} of {n}");
                        test(i)
                    });
                    assert_eq!(got, want, "n {n}, fitting {fitting}, guess {guess}");
                    if guess + 1 == fitting {
                        assert!(tries <= 2, "a right guess takes {tries} tries");
                    }
                }
            }
        }
    }
}
