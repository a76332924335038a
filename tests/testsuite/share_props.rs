//! Property tests of share snippets: for random titles, descriptions,
//! handles and tags (emoji, CJK, right-to-left text, combining marks, `&`,
//! `#`, `+`, quotes), every fitted snippet is within its platform's limit
//! by that platform's own rule, holds the post's URL intact (still a link),
//! and its intent link decodes back to the snippet.

use byline::platforms::count::{self, Platform};
use byline::platforms::fit::{Slots, fit};
use byline::platforms::intent;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "rust",
    "static",
    "site",
    "Café",
    "nai\u{308}ve",
    "coöperation",
    "日本語",
    "中文",
    "한국어",
    "مرحبا",
    "بالعالم،",
    "שלום",
    "עולם",
    "🎉",
    "👨‍👩‍👧‍👦",
    "🏳️‍⚧️",
    "🇺🇸",
    "👍🏽",
    "©️",
    "❤",
    "&",
    "#",
    "+",
    "C++",
    "a&b",
    "\"quoted\"",
    "'single'",
    "“curly”",
    "«fr»",
    "ASP.NET",
    "main.rs",
    "example.com",
    "@someone",
    "@bob@mastodon.social",
    "#tag",
    "e\u{301}",
    "Z̤͔ͧ̑",
    "नमस्ते",
    "क्षत्रिय",
    "স্বাগতম",
    "สวัสดี",
    "…",
    "—",
    "100%",
    "?",
    "=",
    "/",
    "x#y",
    "$AAPL",
    "\u{200f}rtl\u{200e}",
    "𝕏",
    "𠀋",
    "각",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => "[a-zA-Z]{1,12}",
        1 => "\\PC{1,8}".prop_map(|s: String| s.replace(char::is_whitespace, "")),
    ]
    .prop_filter("non-empty", |w| !w.is_empty())
}

fn sentence(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 0..max_words).prop_map(|w| w.join(" "))
}

fn tag() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9_]{0,14}",
        proptest::sample::select(
            &["rustlang", "日本語", "café", "ssg", "コミュニティ", "مجتمع"][..]
        )
        .prop_map(str::to_string),
    ]
}

#[derive(Debug, Clone)]
struct Post {
    title: String,
    description: String,
    tags: Vec<String>,
    x: String,
    mastodon: String,
    bluesky: String,
    url: String,
}

fn post() -> impl Strategy<Value = Post> {
    (
        sentence(25).prop_filter("a title", |t| !t.trim().is_empty()),
        sentence(150),
        proptest::collection::vec(tag(), 0..8),
        "[A-Za-z0-9_]{1,15}",
        "[a-z0-9_]{1,20}@[a-z]{1,12}\\.(social|io|org)",
        "[a-z0-9]{1,18}\\.bsky\\.social",
        "[a-z0-9-]{1,60}",
        any::<bool>(),
    )
        .prop_map(
            |(title, description, tags, x, mastodon, bluesky, slug, query)| Post {
                title,
                description,
                tags,
                x,
                mastodon,
                bluesky,
                url: format!(
                    "https://blog.example.org/2026/05/{slug}/{}",
                    if query {
                        "?utm_source=share&utm_medium=social"
                    } else {
                        ""
                    }
                ),
            },
        )
}

/// Stands in for the Tera templates (`templates/share/<platform>.txt`).
fn render(platform: Platform, post: &Post, s: &Slots) -> String {
    let tags: Vec<String> = s.hashtags.iter().map(|t| format!("#{t}")).collect();
    let tags = tags.join(" ");
    let desc = if s.description.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", s.description)
    };
    match platform {
        Platform::X => format!(
            "New guest post by @{}: {}{desc}\n\n{} {tags}",
            post.x, s.title, post.url
        ),
        Platform::Mastodon => format!(
            "New guest post by @{}: {}{desc}\n\n{}\n\n{tags}",
            post.mastodon, s.title, post.url
        ),
        Platform::Bluesky => format!(
            "New guest post by @{}: {}{desc} {} {tags}",
            post.bluesky, s.title, post.url
        ),
        Platform::Threads | Platform::Linkedin | Platform::Email => {
            format!("{}{desc}\n{}\n{tags}", s.title, post.url)
        }
    }
}

fn slots(post: &Post) -> Slots {
    Slots {
        title: post.title.clone(),
        description: post.description.clone(),
        hashtags: post.tags.clone(),
    }
}

fn intent_text(platform: Platform, text: &str) -> Option<String> {
    let link = match platform {
        Platform::X => intent::x_intent(text),
        Platform::Mastodon => intent::mastodon_intent(text, None),
        Platform::Bluesky => intent::bluesky_intent(text),
        Platform::Threads => intent::threads_intent(text),
        Platform::Linkedin | Platform::Email => return Some(text.to_string()),
    };
    assert!(
        link.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'+' && b != b'"'),
        "link must be plain ASCII without + or quotes: {link}"
    );
    intent::query_param(&link, "text")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fitted_snippets_fit_keep_the_url_and_round_trip(post in post()) {
        for platform in Platform::ALL {
            let text = fit(platform, |s| render(platform, &post, s), slots(&post))
                .unwrap_or_else(|e| panic!("{e}"));
            prop_assert!(count::fits(platform, &text), "{platform}: {} > limit: {text:?}", count::length(platform, &text));
            match platform {
                Platform::X => {
                    prop_assert!(count::x_is_valid(&text));
                    prop_assert!(count::x_weighted_length(&text) <= 280);
                }
                Platform::Mastodon => prop_assert!(count::mastodon_length(&text) <= 500),
                Platform::Bluesky => {
                    prop_assert!(count::bluesky_graphemes(&text) <= 300);
                    prop_assert!(count::utf8_bytes(&text) <= 3000);
                }
                Platform::Threads => {
                    // Within 500 by every count Threads might use.
                    prop_assert!(count::bluesky_graphemes(&text) <= 500);
                    prop_assert!(text.chars().count() <= 500);
                    prop_assert!(text.encode_utf16().count() <= 500);
                    prop_assert!(count::threads_links(&text) <= 5);
                }
                Platform::Linkedin => prop_assert!(text.encode_utf16().count() <= 3000),
                Platform::Email => {}
            }
            // The URL is there, whole, and is still a link where it counts.
            prop_assert!(text.contains(&post.url), "{platform}: URL lost in {text:?}");
            prop_assert!(count::x_urls(&text).contains(&post.url), "{platform}: URL not a link in {text:?}");
            let on_mastodon = count::mastodon_entities(&text)
                .iter()
                .any(|e| text[e.range.clone()] == post.url);
            prop_assert!(on_mastodon, "{platform}: URL not a Mastodon link in {text:?}");
            let decoded = intent_text(platform, &text);
            prop_assert_eq!(decoded.as_deref(), Some(text.as_str()));
        }
    }

    #[test]
    fn a_snippet_that_fits_is_left_alone(title in sentence(6), tags in proptest::collection::vec(tag(), 0..3)) {
        let post = Post {
            title: title.clone(), description: String::new(), tags: tags.clone(),
            x: "holly".into(), mastodon: "holly@hachyderm.io".into(), bluesky: "holly.bsky.social".into(),
            url: "https://example.org/p/".into(),
        };
        for platform in Platform::ALL {
            let full = render(platform, &post, &slots(&post));
            prop_assume!(count::fits(platform, &full) && !title.contains(['\u{feff}', '\u{fffe}', '\u{ffff}']));
            prop_assert_eq!(fit(platform, |s| render(platform, &post, s), slots(&post)).ok(), Some(full));
        }
    }

    #[test]
    fn intent_links_round_trip_any_text(text in "\\PC{0,80}", subject in "\\PC{0,40}") {
        for link in [intent::x_intent(&text), intent::bluesky_intent(&text), intent::threads_intent(&text),
                     intent::mastodon_intent(&text, Some("mastodon.social")), intent::mastodon_intent(&text, None)] {
            prop_assert_eq!(intent::query_param(&link, "text"), Some(text.clone()));
        }
        let mail = intent::email_intent(&subject, &text);
        prop_assert!(!mail.contains('+'));
        prop_assert_eq!(intent::query_param(&mail, "subject"), Some(subject.clone()));
        prop_assert_eq!(intent::query_param(&mail, "body"), Some(intent::crlf(&text)));
    }

    #[test]
    fn counters_agree_with_their_definitions(text in "\\PC{0,120}") {
        // Mastodon never counts less than current-Unicode clusters would.
        prop_assert!(count::mastodon_length(&text) >= count::mastodon_length_current_unicode(&text));
        prop_assert_eq!(count::length(Platform::Bluesky, &text), count::bluesky_graphemes(&text));
        // X: a URL weighs 23, so no text weighs more than twice its UTF-16
        // length plus 23 for each link found.
        let w = count::x_weighted_length(&text);
        prop_assert!(w <= 2 * text.encode_utf16().count() + 23 * count::x_urls(&text).len());
    }
}
