//! Series: posts with one `series = "…"` are its parts, in date order; each
//! part links to every other in order, and the series has its own page (parts
//! oldest first), its feeds in every format (newest first, like every feed)
//! and a place in `/series/`.

use crate::support::site_test::SiteTest;

fn part(title: &str, date: &str, series: &str) -> String {
    format!("title = \"{title}\"\ndate = {date}\nauthors = [\"gus\"]\nseries = \"{series}\"\n")
}

fn site() -> SiteTest {
    SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("gus", "name = \"Gus\"\nguest = true\n")
        .author("holly", "name = \"Holly\"\n")
        // Written out of order: the dates decide.
        .post(
            "two.md",
            &part("Two", "2025-02-01", "Guilds that last"),
            "2.",
        )
        // The same series, however it is capitalised; named as its newest
        // part writes it, like a tag.
        .post(
            "one.md",
            &part("One", "2025-01-01", "guilds that LAST"),
            "1.",
        )
        .post(
            "three.md",
            &part("Three", "2025-03-01", "Guilds that last"),
            "3.",
        )
        .post(
            "alone.md",
            "title = \"Alone\"\ndate = 2025-02-15\nauthors = [\"holly\"]\n",
            "No series.",
        )
}

/// The link texts of the series box of a post page, with the marked one.
fn series_box(html: &str) -> Option<(String, Vec<String>)> {
    let section = html.split("<nav class=\"series wrap\"").nth(1)?;
    let section = section.split("</nav>").next()?;
    let heading = section
        .split("<h2 id=\"series-heading\">")
        .nth(1)?
        .split("</h2>")
        .next()?
        .to_string();
    let parts = section
        .split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap_or_default().to_string())
        .collect();
    Some((heading, parts))
}

/// The post titles of a listing page, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("class=\"card-title\">")
        .skip(1)
        .filter_map(|c| {
            let c = c.split_once("<a href=\"")?.1;
            let (_, rest) = c.split_once("\">")?;
            Some(rest.split_once("</a>")?.0.to_string())
        })
        .collect()
}

#[test]
fn each_part_links_to_the_others_in_order() {
    let site = site();
    site.run(&["build"]).success();
    let (heading, parts) = series_box(&site.read("public/posts/two/index.html")).unwrap();
    assert_eq!(
        heading,
        "Part 2 of 3 in the series <a href=\"https://t.example/series/guilds-that-last/\">Guilds that last</a>"
    );
    assert_eq!(
        parts,
        [
            "<a href=\"https://t.example/posts/one/\">One</a>",
            "<a href=\"https://t.example/posts/two/\" aria-current=\"page\">Two</a> (this post)",
            "<a href=\"https://t.example/posts/three/\">Three</a>",
        ]
    );
    let (heading, _) = series_box(&site.read("public/posts/one/index.html")).unwrap();
    assert!(heading.starts_with("Part 1 of 3 "), "{heading}");
    assert!(series_box(&site.read("public/posts/alone/index.html")).is_none());
}

#[test]
fn the_series_has_its_page_feeds_and_list() {
    let site = site();
    site.run(&["build"]).success();
    let page = site.read("public/series/guilds-that-last/index.html");
    assert!(page.contains("<h1>The series “Guilds that last”"), "{page}");
    assert_eq!(listed(&page), ["One", "Two", "Three"]);
    for (href, kind) in [
        ("rss.xml", "application/rss+xml"),
        ("atom.xml", "application/atom+xml"),
        ("feed.json", "application/feed+json"),
    ] {
        let href = format!("href=\"https://t.example/series/guilds-that-last/{href}\"");
        let link = page
            .lines()
            .find(|l| l.starts_with("<link rel=\"alternate\"") && l.contains(&href))
            .unwrap_or_else(|| panic!("no alternate link to {href} in {page}"));
        assert!(link.contains(&format!("type=\"{kind}\"")), "{link}");
        assert!(link.contains("title=\"Guilds that last — T"), "{link}");
    }
    let list = site.read("public/series/index.html");
    assert!(
        list.contains(
            "<a href=\"https://t.example/series/guilds-that-last/\">Guilds that last</a>"
        ),
        "{list}"
    );

    let dir = site.public().join("series/guilds-that-last");
    let rss = rss::Channel::read_from(&std::fs::read(dir.join("rss.xml")).unwrap()[..]).unwrap();
    let titles: Vec<&str> = rss.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles, ["Three", "Two", "One"]);
    assert_eq!(rss.description(), "The series “Guilds that last” on T");
    let atom = atom_syndication::Feed::read_from(&std::fs::read(dir.join("atom.xml")).unwrap()[..])
        .unwrap();
    let titles: Vec<&str> = atom.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["Three", "Two", "One"]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("feed.json")).unwrap()).unwrap();
    let titles: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(titles, ["Three", "Two", "One"]);
    assert_eq!(
        json["feed_url"],
        "https://t.example/series/guilds-that-last/feed.json"
    );
}

#[test]
fn a_series_without_letters_is_an_error_at_its_line() {
    let site = site().post(
        "bad.md",
        "title = \"Bad\"\ndate = 2025-04-01\nauthors = [\"gus\"]\nseries = \"!!\"\n",
        "B.",
    );
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        ["error: content/posts/bad.md:5:10: the series value \"!!\" has no letters or digits"]
    );
    assert!(run.stderr.contains("help: use words, e.g. \"community\""));
}

#[test]
fn a_series_is_one_value_not_a_list() {
    let site = site().post(
        "list.md",
        "title = \"List\"\ndate = 2025-04-01\nauthors = [\"gus\"]\nseries = [\"a\", \"b\"]\n",
        "L.",
    );
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains("content/posts/list.md:5:"),
        "{}",
        run.stderr
    );
}
