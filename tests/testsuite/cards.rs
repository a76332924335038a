//! Social cards: a generated 1200×630 PNG for each post without a cover
//! (`[images] social_cards`), drawn from the theme's `social-card.svg` with
//! the theme's own font, pointed at by `og:image` and `twitter:image`,
//! previewed on the share kit page, cached, and the same bytes every build.

use std::io::Cursor;

use image::ImageReader;

use crate::support::*;

const FRONT: &str = "date = 2024-05-01\nauthors = [\"gus-guest\", \"gina-guest\"]\n";

/// The basic fixture with a guest post (by Gus, who has an avatar, and Gina,
/// who has none) titled `title`, without a cover.
fn site_with(title: &str) -> SiteTest {
    SiteTest::from_fixture("basic").post(
        "card-post.md",
        &format!("title = '{title}'\n{FRONT}"),
        "Body.\n",
    )
}

/// The card's output path that `og:image` of `html` names.
fn card_of(html: &str) -> String {
    let og = meta(html, "og:image");
    assert_eq!(og.len(), 1, "{og:?}");
    let rel = og[0].strip_prefix(&format!("{BASE}/")).unwrap().to_string();
    assert!(
        rel.starts_with("processed_images/card-card-post-") && rel.ends_with(".png"),
        "{rel}"
    );
    rel
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png)
        .into_dimensions()
        .unwrap()
}

#[test]
fn a_post_without_a_cover_gets_a_card() {
    let site = site_with("Cards for every post");
    site.run(&["build"]).success();
    let html = site.read("public/posts/card-post/index.html");
    let card = card_of(&html);
    let bytes = std::fs::read(site.public().join(&card)).unwrap();
    assert_eq!(png_size(&bytes), (1200, 630));
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "twitter:image"), [format!("{BASE}/{card}")]);
    assert_eq!(
        meta(&html, "og:image:alt"),
        ["Cards for every post, by Gus Guest and Gina Guest · Fixture Notes"]
    );
    // The card is drawn: not one colour.
    let img = image::load_from_memory(&bytes).unwrap().to_rgba8();
    let first = *img.get_pixel(600, 300);
    assert!(img.pixels().any(|p| *p != first));
    // The share kit page previews it.
    let kit = site.read("public/share/card-post/index.html");
    assert!(
        kit.contains(&format!(
            "<img src=\"{BASE}/{card}\" alt=\"Cards for every post, by Gus Guest and Gina Guest · Fixture Notes\" width=\"1200\" height=\"630\">"
        )),
        "{kit}"
    );
    // A post with a cover keeps it as its picture, and gets no card.
    let covered = site.read("public/posts/guest-hello/index.html");
    assert_eq!(
        meta(&covered, "og:image"),
        [format!("{BASE}/images/hero.jpg")]
    );
    let cards: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|f| f.starts_with("processed_images/card-"))
        .collect();
    assert!(
        !cards.iter().any(|f| f.contains("guest-hello")),
        "{cards:?}"
    );
}

#[test]
fn cards_are_the_same_bytes_every_build_and_cached() {
    let site = site_with("The same bytes twice");
    site.run(&["build"]).success();
    let first = all_files(&site.public());
    // Cold again: the cache removed, the cards drawn anew.
    std::fs::remove_dir_all(site.path(".byline-cache")).unwrap();
    site.run(&["build"]).success();
    assert_eq!(first, all_files(&site.public()));
    let cached: Vec<String> = list_files(&site.path(".byline-cache/images"))
        .into_iter()
        .filter(|f| f.starts_with("card-"))
        .collect();
    assert!(!cached.is_empty());
    // A changed title is a new card at a new URL.
    let html = site.read("public/posts/card-post/index.html");
    let old = card_of(&html);
    let site = site.edit(
        "content/posts/card-post.md",
        "The same bytes twice",
        "Another title",
    );
    site.run(&["build"]).success();
    let new = card_of(&site.read("public/posts/card-post/index.html"));
    assert_ne!(old, new);
    assert!(site.public().join(&new).exists());
}

#[test]
fn long_and_non_latin_titles_make_cards() {
    for title in [
        "An extraordinarily long title that goes on and on about static site generators, guest authors, social cards, responsive pictures and everything else a blog could ever need to say in one title ".repeat(3),
        "静的サイトジェネレーターで多くの著者が書くブログを作る方法について詳しく説明します".repeat(3),
        "كيف نبني مدونة لعدة مؤلفين باستخدام مولد مواقع ثابتة".into(),
        "Emoji 🎉🚀 in a title 👩‍💻🏳️‍🌈".into(),
        "<script>alert(1)</script> & \"quotes\"".into(),
    ] {
        let site = site_with(title.trim());
        let run = site.run(&["build"]);
        run.success();
        let html = site.read("public/posts/card-post/index.html");
        let card = card_of(&html);
        let bytes = std::fs::read(site.public().join(&card)).unwrap();
        assert_eq!(png_size(&bytes), (1200, 630), "{title}");
    }
}

#[test]
fn social_cards_off_all_and_bad_values() {
    let site = site_with("No card").edit(
        "gen.toml",
        "[guest]",
        "[images]\nsocial_cards = \"off\"\n\n[guest]",
    );
    site.run(&["build"]).success();
    let html = site.read("public/posts/card-post/index.html");
    assert!(meta(&html, "og:image").is_empty());
    assert_eq!(meta(&html, "twitter:card"), ["summary"]);

    let site = site_with("Every post").edit(
        "gen.toml",
        "[guest]",
        "[images]\nsocial_cards = \"all\"\n\n[guest]",
    );
    site.run(&["build"]).success();
    let covered = site.read("public/posts/guest-hello/index.html");
    let og = meta(&covered, "og:image");
    assert!(
        og[0].starts_with(&format!("{BASE}/processed_images/card-guest-hello-")),
        "{og:?}"
    );

    let site = site_with("Bad").edit(
        "gen.toml",
        "[guest]",
        "[images]\nsocial_cards = \"some\"\n\n[guest]",
    );
    let run = site.run(&["build"]);
    assert!(
        run.stderr.contains(
            "[images] social_cards must be \"uncovered\", \"all\" or \"off\", got \"some\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_draws_its_own_card() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#0a0"/><text x="40" y="300">{{ card.title.lines | join(sep=" ") }}</text></svg>"##;
    let site = site_with("Own card").file("templates/social-card.svg", svg);
    site.run(&["build"]).success();
    let card = card_of(&site.read("public/posts/card-post/index.html"));
    let img = image::load_from_memory(&std::fs::read(site.public().join(&card)).unwrap())
        .unwrap()
        .to_rgba8();
    assert_eq!(img.get_pixel(5, 5).0, [0, 0xAA, 0, 255]);

    // A card template that is not SVG fails the post, naming both.
    let site = site.file("templates/social-card.svg", "<p>not svg");
    let run = site.run(&["build"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains("content/posts/card-post.md")
            && run
                .stderr
                .contains("the social card of this post: social-card.svg: not valid SVG"),
        "{}",
        run.stderr
    );
}

/// The card of a post titled `title`, decoded.
fn card_pixels(title: &str) -> image::RgbaImage {
    let site = site_with(title);
    site.run(&["build"]).success();
    let html = site.read("public/posts/card-post/index.html");
    let bytes = std::fs::read(site.public().join(card_of(&html))).unwrap();
    image::load_from_memory(&bytes).unwrap().to_rgba8()
}

/// Asserts that nothing but the card's background is drawn in its margins:
/// between the accent bar and the text (x 16 to 72) and right of the text
/// (x 1128 on), so no line of the title ran over its box.
fn margins_are_empty(img: &image::RgbaImage, title: &str) {
    let bg = image::Rgba([0xfd, 0xfc, 0xf9, 0xff]);
    for y in 0..img.height() {
        for x in (16..72).chain(1128..img.width()) {
            assert_eq!(
                *img.get_pixel(x, y),
                bg,
                "{title}: pixel ({x}, {y}) of the margin is drawn"
            );
        }
    }
}

#[test]
fn cjk_arabic_and_emoji_titles_draw_every_glyph_inside_the_margins() {
    use byline::render::card::{font_for, missing_chars};
    for (title, font) in [
        (
            "静的サイトジェネレーターで多くの著者が書くブログを作る方法について詳しく説明します",
            "Noto Sans CJK SC",
        ),
        ("如何用静态网站生成器搭建多作者博客", "Noto Sans CJK SC"),
        (
            "정적 사이트 생성기로 여러 저자의 블로그 만들기",
            "Noto Sans CJK SC",
        ),
        (
            "كيف نبني مدونة لعدة مؤلفين باستخدام مولد مواقع ثابتة",
            "DejaVu Sans",
        ),
        ("Shipped it 🎉🚀 👩‍💻 🏳️‍🌈 ❤️", "Noto Color Emoji"),
    ] {
        // Every character comes from a card font that has it: no tofu.
        assert_eq!(missing_chars(title), Vec::<char>::new(), "{title}");
        let first = title.chars().find(|c| !c.is_ascii()).unwrap();
        assert_eq!(font_for(first), Some(font), "{title}: {first}");
        let img = card_pixels(title);
        margins_are_empty(&img, title);
        // The title was drawn: dark pixels in its box.
        let inked = (80..1120)
            .flat_map(|x| (150..450).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[0] < 0x60)
            .count();
        assert!(inked > 2_000, "{title}: {inked} dark pixels");
    }
    // Emoji are drawn in colour (Noto Color Emoji), not as boxes, also in a
    // title that mixes them with CJK and Arabic (resvg's own fallback gives
    // up on such a line): the party popper's yellow, blue and pink.
    let img = card_pixels("静的サイト 🎉🎉 كيف نبني 🎉🎉");
    let colourful = (80..1120)
        .flat_map(|x| (150..450).map(move |y| (x, y)))
        .map(|(x, y)| img.get_pixel(x, y))
        .filter(|p| {
            let [r, g, b, _] = p.0;
            r.max(g).max(b) - r.min(g).min(b) > 120 && !(r > 0x90 && g < 0x40 && b < 0x20)
        })
        .count();
    assert!(colourful > 1_000, "{colourful} coloured pixels");
}

#[test]
fn characters_beyond_the_fonts_are_measured_wide_and_never_overflow() {
    use byline::render::card::{TITLE_BOX, fit_title, measure, missing_chars};
    // Outside the CJK subset (a rare character) and every card font (Linear
    // B): tofu, counted as a full em, so the title still fits.
    let title = "𠀋𠀋𠀋 𐀀𐀁𐀂𐀃 ".repeat(12);
    assert!(!missing_chars(&title).is_empty());
    assert_eq!(measure("𐀀", 50.0), 50.0);
    let laid = fit_title(&title, TITLE_BOX.0, TITLE_BOX.1);
    for line in &laid.lines {
        assert!(measure(line, laid.size) <= TITLE_BOX.0, "{line}");
    }
    margins_are_empty(&card_pixels(title.trim()), "tofu");
}

/// A title whose emoji sequence (👩‍💻: woman, joiner, laptop) is followed
/// by Latin text made resvg panic while laying the line out, and the build
/// with it: each run of one font is now placed and shaped on its own.
#[test]
fn an_emoji_sequence_followed_by_text_draws_a_card_not_a_panic() {
    for title in [
        "Shipped it 🎉🚀 our first guest post 👩‍💻 #5",
        "👩‍💻 then text",
        "كيف نبني 👩‍💻 مدونة",
    ] {
        // card_pixels asserts a successful build, which asserts no panic.
        let img = card_pixels(title);
        margins_are_empty(&img, title);
    }
}

/// The bytes of the card of `card-post`, and its output path.
fn card_bytes(site: &SiteTest) -> (String, Vec<u8>) {
    let card = card_of(&site.read("public/posts/card-post/index.html"));
    let bytes = std::fs::read(site.public().join(&card)).unwrap();
    (card, bytes)
}

/// A square PNG of one colour.
fn png_of(colour: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(120, 120, image::Rgb(colour));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A warm build finds a card by what it is drawn from, so every input must
/// count: the avatar file's content (the same file name, other pixels) makes
/// another card, and it is the card a cold build draws.
#[test]
fn a_changed_avatar_file_changes_the_card_with_a_warm_cache() {
    let site = site_with("Avatars count").file("authors/gus-guest.png", png_of([200, 30, 30]));
    site.run(&["build"]).success();
    let (card, red) = card_bytes(&site);
    // Warm: the same bytes.
    site.run(&["build"]).success();
    assert_eq!(card_bytes(&site), (card.clone(), red.clone()));

    let site = site.file("authors/gus-guest.png", png_of([30, 30, 200]));
    site.run(&["build"]).success();
    let (_, blue) = card_bytes(&site);
    assert_ne!(red, blue, "the card still shows the old avatar");
    // The avatar is drawn in its circle: the first one's centre is blue.
    let img = image::load_from_memory(&blue).unwrap().to_rgba8();
    let [r, _, b, _] = img.get_pixel(80 + 36, 540).0;
    assert!(b > 150 && r < 80, "{:?}", img.get_pixel(80 + 36, 540));
    // Cold: the same bytes as warm.
    std::fs::remove_dir_all(site.path(".byline-cache")).unwrap();
    site.run(&["build"]).success();
    assert_eq!(card_bytes(&site).1, blue);
}

/// The card template (and a template it includes) is part of what a card is
/// found by in the cache: a change to either draws the card again.
#[test]
fn a_changed_card_template_changes_the_card_with_a_warm_cache() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">{% include "card-fill.svg" %}<text x="40" y="300">{{ card.title.lines | join(sep=" ") }}</text></svg>"##;
    let fill = |colour: &str| format!(r##"<rect width="1200" height="630" fill="{colour}"/>"##);
    let site = site_with("Templates count")
        .file("templates/social-card.svg", svg)
        .file("templates/card-fill.svg", fill("#00aa00"));
    site.run(&["build"]).success();
    let pixel = |bytes: &[u8]| {
        image::load_from_memory(bytes)
            .unwrap()
            .to_rgba8()
            .get_pixel(5, 5)
            .0
    };
    let (first, green) = card_bytes(&site);
    assert_eq!(pixel(&green), [0, 0xAA, 0, 255]);

    // The included template changes: a new card at a new URL (link
    // previews keep a picture by its URL).
    let site = site.file("templates/card-fill.svg", fill("#0000aa"));
    site.run(&["build"]).success();
    let (second, blue) = card_bytes(&site);
    assert_eq!(pixel(&blue), [0, 0, 0xAA, 255]);
    assert_ne!(second, first);

    // The card template itself changes: a new card at a new URL.
    let site = site.edit("templates/social-card.svg", "x=\"40\"", "x=\"60\"");
    site.run(&["build"]).success();
    let (moved, bytes) = card_bytes(&site);
    assert_ne!(moved, first);
    assert_ne!(moved, second);
    assert_ne!(bytes, blue);
    assert_eq!(pixel(&bytes), [0, 0, 0xAA, 255]);

    // A template that asks for the build's address is drawn from its SVG
    // every build (it is not known from the card's inputs), and still
    // cached by that SVG: the same bytes warm and cold.
    let site = site.file(
        "templates/card-fill.svg",
        r##"<rect width="1200" height="630" fill="#00aa00"/><text x="40" y="500">{{ url(path="/") }}</text>"##,
    );
    site.run(&["build"]).success();
    let (_, warm_before) = card_bytes(&site);
    site.run(&["build"]).success();
    let (_, warm) = card_bytes(&site);
    assert_eq!(warm, warm_before);
    std::fs::remove_dir_all(site.path(".byline-cache")).unwrap();
    site.run(&["build"]).success();
    assert_eq!(card_bytes(&site).1, warm);
}
