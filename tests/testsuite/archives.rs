//! Archives: `/archive/` lists every post by year and month; with a dated
//! permalink pattern, each year's and month's own path is a listing too, so a
//! reader who trims a post's URL finds the posts of that time.

use crate::support::site_test::SiteTest;
use crate::support::*;

fn site(pattern: &str) -> SiteTest {
    let post = |title: &str, date: &str| {
        format!("title = \"{title}\"\ndate = {date}\nauthors = [\"holly\"]\n")
    };
    SiteTest::empty()
        .config(&format!(
            "title = \"T\"\nbase_url = \"https://t.example\"\n[permalinks]\npost = \"{pattern}\"\n"
        ))
        .author("holly", "name = \"Holly\"\n")
        .post("a.md", &post("A", "2025-11-02"), "A.")
        .post("b.md", &post("B", "2025-11-20"), "B.")
        .post("c.md", &post("C", "2025-03-01"), "C.")
        // Late on New Year's Eve where it was written: 2024, as its permalink says.
        .post("d.md", &post("D", "2024-12-31T23:30:00-05:00"), "D.")
}

/// The (heading or link text) structure of an archive page: h2/h3 texts and
/// the post links, in order.
fn outline(html: &str) -> Vec<String> {
    let main = html.split("<main").nth(1).unwrap_or_default();
    let mut out = Vec::new();
    for line in main.lines() {
        let text = |l: &str| {
            let mut s = String::new();
            let mut in_tag = false;
            for c in l.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => s.push(c),
                    _ => {}
                }
            }
            s
        };
        if line.starts_with("<h2") {
            out.push(format!("## {}", text(line)));
        } else if line.starts_with("<h3") {
            out.push(format!("### {}", text(line)));
        } else if line.starts_with("<li><time") {
            out.push(text(line));
        }
    }
    out
}

#[test]
fn the_archive_lists_every_post_by_year_and_month() {
    let site = site("/posts/:slug/");
    site.run(&["build"]).success();
    let html = site.read("public/archive/index.html");
    assert_eq!(
        outline(&html),
        [
            "## 2025",
            "### November 2025",
            "20 November 2025 B",
            "2 November 2025 A",
            "### March 2025",
            "1 March 2025 C",
            "## 2024",
            "### December 2024",
            "31 December 2024 D",
        ]
    );
    // Without a dated pattern, years and months have no page of their own.
    assert!(!html.contains("href=\"https://t.example/2025/\""));
    let files = list_files(&site.public());
    assert!(!files.contains("2025/index.html"), "{files:?}");
    assert!(
        site.read("public/index.html")
            .contains("href=\"https://t.example/archive/\"")
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://t.example/archive/</loc>")
    );
}

#[test]
fn dated_permalinks_make_year_and_month_listings() {
    let site = site("/:year/:month/:slug/");
    site.run(&["build"]).success();
    let files = list_files(&site.public());
    for f in [
        "2025/index.html",
        "2025/11/index.html",
        "2025/03/index.html",
        "2024/index.html",
        "2024/12/index.html",
        "2024/12/d/index.html",
    ] {
        assert!(files.contains(f), "{f}: {files:?}");
    }
    assert_eq!(
        outline(&site.read("public/2025/index.html")),
        [
            "## 2025",
            "### November 2025",
            "20 November 2025 B",
            "2 November 2025 A",
            "### March 2025",
            "1 March 2025 C",
        ]
    );
    let month = site.read("public/2025/11/index.html");
    assert_eq!(
        outline(&month),
        [
            "## 2025",
            "### November 2025",
            "20 November 2025 B",
            "2 November 2025 A",
        ]
    );
    assert!(
        month.contains("<h1>Posts from November 2025</h1>"),
        "{month}"
    );
    assert!(
        site.read("public/archive/index.html")
            .contains("<a href=\"https://t.example/2025/11/\">November 2025</a>")
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://t.example/2025/11/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_year_only_pattern_makes_year_listings_and_a_prefix_is_kept() {
    let site = site("/:year/:slug/");
    site.run(&["build"]).success();
    let files = list_files(&site.public());
    assert!(files.contains("2025/index.html"));
    assert!(!files.contains("2025/11/index.html"));
    let news = site.edit(
        "gen.toml",
        "/:year/:slug/",
        "/news/:year/:month/:day/:slug/",
    );
    news.run(&["build"]).success();
    let files = list_files(&news.public());
    assert!(files.contains("news/2025/index.html"));
    assert!(files.contains("news/2025/11/index.html"));
    assert!(files.contains("news/2025/11/02/a/index.html"));
}

#[test]
fn a_page_at_a_year_listing_is_an_error_naming_both() {
    let site = site("/:year/:month/:slug/").file(
        "content/2025.md",
        "+++\ntitle = \"Our year\"\n+++\n\nIt was good.\n",
    );
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/2025.md: two sources for /2025/: content/2025.md and the archive page of 2025"
        ],
        "{}",
        run.stderr
    );
}

/// A full build renders `/archive/` after the other pages: a broken archive
/// template is still reported in the same run as the other pages' errors.
#[test]
fn a_broken_archive_template_is_reported_with_the_other_pages_errors() {
    let site = site("/posts/:slug/")
        .file(
            "templates/archive.html",
            "{% extends \"base.html\" %}{% block content %}{{ archive.nope.x }}{% endblock content %}",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.nope.x }}{% endblock content %}",
        )
        .file("content/about.md", "+++\ntitle = \"About\"\n+++\n\nUs.\n");
    let run = site.run(&["build"]);
    run.fails_with(1);
    let headlines = run.headlines();
    assert!(
        headlines
            .iter()
            .any(|h| h.contains("cannot render /archive/"))
            && headlines
                .iter()
                .any(|h| h.contains("cannot render /about/")),
        "{}",
        run.stderr
    );
}
