//! Related posts: up to `[related] limit` posts that share tags (3 each),
//! categories (2) and authors (1) with a post, best first, ties by nearness in
//! date then newer first; shown under the post by the default theme.

use crate::support::site_test::SiteTest;

fn post(title: &str, date: &str, author: &str, tags: &str, categories: &str) -> String {
    format!(
        "title = \"{title}\"\ndate = {date}\nauthors = [\"{author}\"]\ntags = [{tags}]\ncategories = [{categories}]\n"
    )
}

fn site(config_extra: &str) -> SiteTest {
    SiteTest::empty()
        .config(&format!(
            "title = \"T\"\nbase_url = \"https://t.example\"\n{config_extra}"
        ))
        .author("holly", "name = \"Holly\"\n")
        .author("ravi", "name = \"Ravi\"\n")
        .author("kim", "name = \"Kim\"\n")
        .post(
            "main.md",
            &post("Main", "2025-06-01", "holly", "\"a\", \"b\"", "\"x\""),
            "M.",
        )
        // Two shared tags: 6.
        .post(
            "two-tags.md",
            &post("Two tags", "2025-01-01", "ravi", "\"a\", \"b\"", ""),
            "T.",
        )
        // One tag and the category: 5.
        .post(
            "tag-cat.md",
            &post("Tag and category", "2025-05-01", "ravi", "\"a\"", "\"x\""),
            "T.",
        )
        // One tag, and the same author: 4; and a twin 4 nearer in date.
        .post(
            "tag-author.md",
            &post("Tag and author", "2025-03-01", "holly", "\"b\"", ""),
            "T.",
        )
        .post(
            "tag-author-near.md",
            &post("Tag and author, nearer", "2025-06-05", "holly", "\"a\"", ""),
            "T.",
        )
        // Only the author: 1.
        .post(
            "author-only.md",
            &post("Author only", "2025-05-30", "holly", "", ""),
            "T.",
        )
        // Nothing shared.
        .post(
            "unrelated.md",
            &post("Unrelated", "2025-06-02", "kim", "\"z\"", ""),
            "T.",
        )
}

/// The titles in the "Related posts" section of a post page.
fn related(html: &str) -> Vec<String> {
    let Some(section) = html.split("<h2 id=\"related-posts\">").nth(1) else {
        return Vec::new();
    };
    let section = section.split("</section>").next().unwrap_or_default();
    section
        .split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            li.split_once("\">")
                .and_then(|(_, rest)| rest.split_once("</a>"))
                .map(|(title, _)| title.to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn related_posts_are_weighted_and_ties_go_to_the_nearer_post() {
    let site = site("[related]\nlimit = 5\n");
    site.run(&["build"]).success();
    assert_eq!(
        related(&site.read("public/posts/main/index.html")),
        [
            "Two tags",
            "Tag and category",
            "Tag and author, nearer",
            "Tag and author",
            "Author only"
        ]
    );
    // The unrelated post shares nothing with anyone.
    assert!(related(&site.read("public/posts/unrelated/index.html")).is_empty());
}

#[test]
fn the_limit_defaults_to_three_and_zero_turns_it_off() {
    let site = site("");
    site.run(&["build"]).success();
    assert_eq!(
        related(&site.read("public/posts/main/index.html")),
        ["Two tags", "Tag and category", "Tag and author, nearer"]
    );
    let off =
        site.config("title = \"T\"\nbase_url = \"https://t.example\"\n[related]\nlimit = 0\n");
    off.run(&["build"]).success();
    let html = off.read("public/posts/main/index.html");
    assert!(!html.contains("related-posts"), "{html}");
}

/// 300 posts a day apart, by one author, all tagged "common".
fn one_tag_site() -> SiteTest {
    let mut site = SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("holly", "name = \"Holly\"\n");
    for k in 0..300 {
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(k);
        site = site.post(
            &format!("p{k:03}.md"),
            &format!(
                "title = \"P{k:03}\"\ndate = {day}\nauthors = [\"holly\"]\ntags = [\"common\"]\n"
            ),
            "Body.",
        );
    }
    site
}

/// Many posts on one tag: each post's related are the nearest in date (the
/// scan is bounded to a window of each list), and every build agrees.
#[test]
fn a_tag_on_many_posts_gives_the_nearest_posts() {
    let site = one_tag_site();
    site.run(&["build"]).success();
    let html = site.read("public/posts/p150/index.html");
    // All tie on score (tag + author): nearest first, the newer of two equally near.
    assert_eq!(related(&html), ["P151", "P149", "P152"]);
    let first = html.clone();
    site.run(&["build"]).success();
    assert_eq!(site.read("public/posts/p150/index.html"), first);
}

/// Each post's related posts are kept for the whole build (`Indices::related`):
/// a list collected in place from the ranked candidates kept their capacity,
/// hundreds of entries per post (60 MB at 10,000 posts), for three posts.
#[test]
fn related_lists_keep_no_room_for_the_candidates_they_were_ranked_from() {
    let site = one_tag_site().into_site();
    let (loaded, _) = byline::load::load(&site.root, byline::load::LoadOptions::default()).unwrap();
    let indices = byline::render::Indices::build(&loaded);
    for i in [0, 150, 299] {
        let list = byline::render::related::related(&loaded, &indices, i, 3);
        assert_eq!(list.len(), 3);
        assert_eq!(list.capacity(), 3, "post {i}");
    }
}
