//! Share kits that say what the post is and fit where they go: Threads
//! snippets within 500 by every count Threads might use, staff co-authors
//! named as co-authors (never as guests), the guest's own snippet naming its
//! co-authors, kit text areas as tall as their text, and `gen share` saying
//! why a post it is given has no kit.

use crate::support;

use crate::support::{Site, fixture};
use byline::platforms::count::{self, Platform};
use byline::platforms::fit::{Slots, fit};
use proptest::prelude::*;
use serde_json::Value;

/// The counts Threads might hold to its 500: grapheme clusters, Unicode code
/// points and UTF-16 code units.
fn threads_counts(text: &str) -> [usize; 3] {
    [
        count::bluesky_graphemes(text),
        text.chars().count(),
        text.encode_utf16().count(),
    ]
}

/// Stands in for `share/threads.txt` (owner audience).
fn threads_render(s: &Slots) -> String {
    let mut out = format!("New guest post by Holly Powell: “{}”", s.title);
    if !s.description.is_empty() {
        out.push_str("\n\n");
        out.push_str(&s.description);
    }
    out.push_str("\n\nhttps://notes.example.org/posts/a-post/");
    if !s.hashtags.is_empty() {
        out.push_str("\n\n");
        out.push_str(&s.hashtags.join(" "));
    }
    out
}

/// Regression: a description of emoji was fitted to 500 grapheme clusters,
/// which is 502 code points and 508 UTF-16 code units: more than 500 by the
/// other counts.
#[test]
fn threads_snippet_of_emoji_fits_every_count() {
    let description = format!(
        "{} {}",
        "A week of pair programming, with notes. ".repeat(10),
        "🎉 👩‍💻 🇫🇷 👍🏽 ".repeat(20)
    );
    let slots = Slots {
        title: "Pairing every day 🧑‍🤝‍🧑".into(),
        description,
        hashtags: vec!["#pairing".into()],
    };
    let text = fit(Platform::Threads, threads_render, slots).expect("fits");
    let counts = threads_counts(&text);
    assert!(counts.iter().all(|&n| n <= 500), "{counts:?}: {text}");
    assert_eq!(count::length(Platform::Threads, &text), counts[2]);
    assert!(text.contains('…'), "the description was cut: {text}");
    assert!(counts[2] > 450, "the cut uses the room: {counts:?}");
}

const EMOJI: &[&str] = &[
    "🎉",
    "👩‍💻",
    "🧑‍🤝‍🧑",
    "🇫🇷",
    "🇺🇸",
    "👍🏽",
    "🏳️‍🌈",
    "🏳️‍⚧️",
    "❤️",
    "👨‍👩‍👧‍👦",
    "𝕏",
    "𠀋",
    "é",
    "🙂",
];

fn emoji_word() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => proptest::collection::vec(proptest::sample::select(EMOJI), 1..4)
            .prop_map(|v| v.concat()),
        2 => "[a-zA-Z]{1,10}",
        1 => "[a-z]{2,8}\\.(com|rs|org)",
    ]
}

fn emoji_sentence(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(emoji_word(), 0..max).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Emoji-heavy titles and descriptions: every fitted Threads snippet is
    /// within 500 graphemes, 500 code points and 500 UTF-16 code units, with
    /// at most five links, and keeps the post's URL.
    #[test]
    fn threads_snippets_fit_graphemes_code_points_and_utf16(
        title in emoji_sentence(12).prop_filter("a title", |t| !t.trim().is_empty()),
        description in emoji_sentence(300),
        tags in proptest::collection::vec("#[a-z]{1,12}", 0..4),
    ) {
        let slots = Slots { title, description, hashtags: tags };
        match fit(Platform::Threads, threads_render, slots) {
            Ok(text) => {
                let counts = threads_counts(&text);
                prop_assert!(counts.iter().all(|&n| n <= 500), "{:?}: {}", counts, text);
                prop_assert!(count::threads_links(&text) <= 5);
                prop_assert!(text.contains("https://notes.example.org/posts/a-post/"));
                prop_assert!(count::fits(Platform::Threads, &text));
            }
            // Only when even the shortest text is too long; never a text
            // that is reported to fit and does not.
            Err(e) => prop_assert!(e.length > 500 || count::threads_links(&e.shortest) > 5, "{}", e),
        }
    }
}

fn snippets(site: &Site, slug: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(&support::read(
        &site.public(),
        &format!("share/{slug}/snippets.json"),
    ))
    .unwrap();
    json["snippets"].as_array().unwrap().clone()
}

fn text_of<'a>(snippets: &'a [Value], platform: &str, audience: &str) -> &'a str {
    snippets
        .iter()
        .find(|s| s["platform"] == platform && s["audience"] == audience)
        .and_then(|s| s["text"].as_str())
        .unwrap_or_else(|| panic!("no {platform} snippet for {audience}"))
}

/// The Threads snippets that `gen build` writes hold to every count too.
#[test]
fn built_threads_snippets_fit_every_count() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-05-emoji.md",
        format!(
            "+++\ntitle = \"Emoji week 🎉\"\ndate = 2024-05-05\nauthors = [\"gus-guest\"]\ndescription = \"{}\"\n+++\n\nBody.\n",
            "We tried 👩‍💻 pairing 🇫🇷 with 👍🏽 results. ".repeat(30)
        ),
    );
    site.build_ok(&[]);
    let all = snippets(&site, "emoji");
    for audience in ["owner", "guest"] {
        let text = text_of(&all, "threads", audience);
        let counts = threads_counts(text);
        assert!(counts.iter().all(|&n| n <= 500), "{counts:?}: {text}");
        let s = all
            .iter()
            .find(|s| s["platform"] == "threads" && s["audience"] == audience)
            .unwrap();
        assert_eq!(s["length"].as_u64(), Some(counts[2] as u64));
        assert_eq!(s["limit"].as_u64(), Some(500));
    }
}

/// Regression: "New guest post by @adastaff and @gusx" called the staff
/// co-author a guest, and the guest's own snippet left the co-author out.
#[test]
fn staff_co_authors_are_named_as_co_authors() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let all = snippets(&site, "co-authored");
    let expect = [
        (
            "x",
            "owner",
            "New guest post by @gusx with @adastaff: “Written together”",
        ),
        (
            "x",
            "guest",
            "I wrote a guest post for @fixturenotes with @adastaff: “Written together”",
        ),
        (
            "mastodon",
            "owner",
            "New guest post by @gus@mastodon.example with @ada@mastodon.example: “Written together”",
        ),
        (
            "mastodon",
            "guest",
            "I wrote a guest post for Fixture Notes with @ada@mastodon.example: “Written together”",
        ),
        (
            "bluesky",
            "owner",
            "New guest post by @gus.example with Ada Staff: “Written together”",
        ),
        (
            "threads",
            "guest",
            "I wrote a guest post for Fixture Notes with Ada Staff: “Written together”",
        ),
        (
            "linkedin",
            "owner",
            "We just published a guest post by Gus Guest with Ada Staff on Fixture Notes: “Written together”.",
        ),
        (
            "linkedin",
            "guest",
            "I wrote a guest post for Fixture Notes with Ada Staff: “Written together”.",
        ),
    ];
    for (platform, audience, first_line) in expect {
        let text = text_of(&all, platform, audience);
        assert_eq!(
            text.lines().next(),
            Some(first_line),
            "{platform} {audience}"
        );
    }
    let email = text_of(&all, "email", "owner");
    assert!(
        email.contains(
            "Gus Guest wrote a guest post for Fixture Notes with Ada Staff: “Written together”."
        ),
        "{email}"
    );
    // A post by one guest alone reads as before.
    let solo = snippets(&site, "guest-hello");
    assert_eq!(
        text_of(&solo, "x", "owner").lines().next(),
        Some("New guest post by @gusx: “Hello from a guest”")
    );
    assert_eq!(
        text_of(&solo, "x", "guest").lines().next(),
        Some("I wrote a guest post for @fixturenotes: “Hello from a guest”")
    );
}

#[test]
fn two_guests_name_each_other_and_the_staff_co_author() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-05-three.md",
        "+++\ntitle = \"Three of us\"\ndate = 2024-05-05\nauthors = [\"gina-guest\", \"ada-staff\", \"gus-guest\"]\n+++\n\nBody.\n",
    );
    site.build_ok(&[]);
    let all = snippets(&site, "three");
    assert_eq!(
        text_of(&all, "mastodon", "owner").lines().next(),
        Some(
            "New guest post by @gina@fedi.example and @gus@mastodon.example with @ada@mastodon.example: “Three of us”"
        )
    );
    assert_eq!(
        text_of(&all, "mastodon", "guest").lines().next(),
        Some(
            "We (@gina@fedi.example and @gus@mastodon.example) wrote a guest post for Fixture Notes with @ada@mastodon.example: “Three of us”"
        )
    );
}

/// The text areas of a kit page are tall enough for their text: the rows
/// cover every line, wrapped at the ~70 characters the page is wide.
/// Regression: every text area had six rows, which cut off LinkedIn and
/// Mastodon texts.
#[test]
fn kit_text_areas_are_sized_to_their_text() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-05-long.md",
        format!(
            "+++\ntitle = \"A long one\"\ndate = 2024-05-05\nauthors = [\"gus-guest\"]\ndescription = \"{}\"\n+++\n\nBody.\n",
            "A sentence about guilds and how they work in practice. ".repeat(40)
        ),
    );
    site.build_ok(&[]);
    let page = support::read(&site.public(), "share/long/index.html");
    let all = snippets(&site, "long");
    let in_page_order: Vec<&Value> = ["owner", "guest"]
        .iter()
        .flat_map(|a| all.iter().filter(move |s| s["audience"] == *a))
        .collect();
    let areas: Vec<support::Tag> = support::tags(&page)
        .into_iter()
        .filter(|t| t.name == "textarea")
        .collect();
    assert_eq!(areas.len(), in_page_order.len());
    let mut tallest = 0;
    for (area, s) in areas.iter().zip(in_page_order) {
        let text = s["text"].as_str().unwrap();
        let rows: usize = area.attr("rows").unwrap().parse().unwrap();
        let needed: usize = text
            .lines()
            .map(|l| l.chars().count().div_ceil(70).max(1))
            .sum();
        assert!(
            rows >= needed,
            "{} {}: {rows} rows for {needed}",
            s["platform"],
            s["audience"]
        );
        tallest = tallest.max(rows);
    }
    assert!(tallest > 20, "the LinkedIn text is long: {tallest}");
    let css = support::read(&site.public(), "style.css");
    assert!(css.contains("field-sizing: content"));
}

#[test]
fn gen_share_says_why_a_post_has_no_kit() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-05-quiet.md",
        "+++\ntitle = \"Quiet\"\ndate = 2024-05-05\nauthors = [\"gus-guest\"]\nshare = false\n+++\n\nBody.\n",
    );
    let run = site.run(&[
        "share",
        "content/posts/2024-06-01-staff-more.md",
        "quiet",
        "guest-hello",
    ]);
    run.assert_code(2);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2024-06-01-staff-more.md: this post has no guest author (its author \"sam-staff\" is staff), so it has no share kit",
            "error: content/posts/2024-05-05-quiet.md: this post has `share = false` in its front matter, so it has no share kit",
        ]
    );
    assert!(
        run.stderr.contains(
            "help: share kits are for guest posts: if \"sam-staff\" is a guest, set `guest = true` in authors/sam-staff.toml"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: remove `share = false` to give it one"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "nothing printed for a partial choice");
    // A guest post alone still gets its kit.
    let ok = site.run(&["share", "guest-hello"]);
    ok.assert_code(0);
    assert!(
        ok.stdout.starts_with("== Hello from a guest"),
        "{}",
        ok.stdout
    );
}
