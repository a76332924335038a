//! The community pages: `/authors/opml.xml` (every author's feed here and
//! their own blog's feed, as OPML 2.0, linked from the authors pages) and
//! "Writes about the same things" on each author page.

use quick_xml::events::Event;

use crate::support::site_test::SiteTest;

const BASE: &str = "https://fixture.example.org";

/// An `<outline>` of the OPML file: its attributes, unescaped, and how deep
/// it sits under `<body>` (1 for a child of body).
#[derive(Debug)]
struct Outline {
    depth: usize,
    attrs: Vec<(String, String)>,
}

impl Outline {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The attributes of an element, unescaped.
fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("an attribute value that unescapes")
                .into_owned();
            (a.key.as_ref().to_string(), value)
        })
        .collect()
}

/// The OPML file parsed back: the root's attributes, the head's elements
/// (name, text) and every outline in document order. Fails on XML that
/// does not parse.
#[allow(clippy::type_complexity)]
fn parse_opml(xml: &str) -> (Vec<(String, String)>, Vec<(String, String)>, Vec<Outline>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut root = Vec::new();
    let mut head: Vec<(String, String)> = Vec::new();
    let mut outlines = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        match reader
            .read_event()
            .expect("the OPML file is well-formed XML")
        {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "outline" {
                    let depth = path.iter().filter(|p| *p == "outline").count() + 1;
                    outlines.push(Outline {
                        depth,
                        attrs: attributes(&e),
                    });
                } else if name == "opml" {
                    root = attributes(&e);
                } else if path.last().is_some_and(|p| p == "head") {
                    head.push((name.clone(), String::new()));
                }
                path.push(name);
            }
            Event::Empty(e) => {
                assert_eq!(e.name().as_ref(), "outline", "only outlines are empty");
                let depth = path.iter().filter(|p| *p == "outline").count() + 1;
                outlines.push(Outline {
                    depth,
                    attrs: attributes(&e),
                });
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) if path.len() == 3 && path[1] == "head" => {
                head.last_mut().unwrap().1.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if path.len() == 3 && path[1] == "head" => {
                let c = match &*r.into_inner() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                };
                head.last_mut().unwrap().1.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (root, head, outlines)
}

fn head_value<'a>(head: &'a [(String, String)], name: &str) -> Option<&'a str> {
    head.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The feed outlines (those with an `xmlUrl`): (text, xmlUrl, htmlUrl).
fn feeds(outlines: &[Outline]) -> Vec<(String, String, Option<String>)> {
    outlines
        .iter()
        .filter_map(|o| {
            let xml = o.get("xmlUrl")?;
            assert_eq!(o.get("type"), Some("rss"), "{o:?}");
            assert_eq!(o.get("text"), o.get("title"), "{o:?}");
            Some((
                o.get("text").unwrap_or_default().to_string(),
                xml.to_string(),
                o.get("htmlUrl").map(str::to_string),
            ))
        })
        .collect()
}

#[test]
fn opml_lists_every_author_feed_and_their_own_blogs() {
    let site = SiteTest::from_fixture("basic");
    site.run(&["build"]).success();
    let xml = site.read("public/authors/opml.xml");
    let (root, head, outlines) = parse_opml(&xml);
    assert_eq!(root, [("version".to_string(), "2.0".to_string())]);
    assert_eq!(
        head_value(&head, "title"),
        Some("Fixture Notes: every author")
    );
    // The newest post's date (not the future or draft ones), never the clock.
    let created = head_value(&head, "dateCreated").expect("dateCreated");
    let date = chrono::DateTime::parse_from_rfc2822(created).expect("an RFC 822 date");
    assert_eq!(date.date_naive().to_string(), "2024-09-01", "{created}");
    assert_eq!(head_value(&head, "dateModified"), Some(created));
    // One folder for the site, the feeds in it.
    assert_eq!(outlines[0].depth, 1);
    assert_eq!(outlines[0].get("text"), Some("Fixture Notes authors"));
    assert!(outlines[1..].iter().all(|o| o.depth == 2), "{outlines:?}");
    let here = |slug: &str, name: &str| {
        (
            format!("{name} on Fixture Notes"),
            format!("{BASE}/authors/{slug}/rss.xml"),
            Some(format!("{BASE}/authors/{slug}/")),
        )
    };
    // Staff first, then guests, each by name, as on /authors/.
    assert_eq!(
        feeds(&outlines),
        [
            here("ada-staff", "Ada Staff"),
            here("sam-staff", "Sam Staff"),
            here("gina-guest", "Gina Guest"),
            here("gus-guest", "Gus Guest"),
            (
                "Gus Guest's own blog".to_string(),
                "https://gus.example/rss.xml".to_string(),
                Some("https://gus.example".to_string()),
            ),
        ]
    );
    // Each of those feeds is a file of the build.
    for slug in ["ada-staff", "sam-staff", "gina-guest", "gus-guest"] {
        assert!(
            site.public()
                .join(format!("authors/{slug}/rss.xml"))
                .is_file()
        );
    }
}

#[test]
fn hostile_names_and_urls_are_escaped() {
    let name = "<script>alert(1)</script> & \"Q\" 'x'";
    let feed = "https://evil.example/feed?a=1&b=\"2\"";
    let site = SiteTest::from_fixture("basic").author(
        "evil",
        &format!("name = {name:?}\nfeed = {feed:?}\nwebsite = \"https://evil.example/?x=<y>\"\n"),
    );
    site.run(&["build"]).success();
    let xml = site.read("public/authors/opml.xml");
    assert!(!xml.contains("<script>"), "{xml}");
    let (_, _, outlines) = parse_opml(&xml);
    let feeds = feeds(&outlines);
    assert!(
        feeds.contains(&(
            format!("{name} on Fixture Notes"),
            format!("{BASE}/authors/evil/rss.xml"),
            Some(format!("{BASE}/authors/evil/")),
        )),
        "{feeds:?}"
    );
    assert!(
        feeds.contains(&(
            format!("{name}'s own blog"),
            feed.to_string(),
            Some("https://evil.example/?x=<y>".to_string()),
        )),
        "{feeds:?}"
    );
}

#[test]
fn opml_is_the_same_in_every_build() {
    let site = SiteTest::from_fixture("basic");
    let a = site.build_to("one", &[]);
    let b = site.build_to("two", &[]);
    let first = std::fs::read(a.join("authors/opml.xml")).unwrap();
    assert_eq!(first, std::fs::read(b.join("authors/opml.xml")).unwrap());
    // Not in the sitemap: a file for feed readers, not a page.
    let sitemap = std::fs::read_to_string(a.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("opml"), "{sitemap}");
}

#[test]
fn an_empty_site_has_an_empty_opml_body() {
    let site = SiteTest::empty().config("title = \"T\"\nbase_url = \"https://t.example\"\n");
    site.run(&["build"]).success();
    let xml = site.read("public/authors/opml.xml");
    let (_, head, outlines) = parse_opml(&xml);
    assert!(outlines.is_empty(), "{xml}");
    assert_eq!(head_value(&head, "dateCreated"), None);
    let body = xml.split_once("<body>").map(|(_, rest)| rest.trim_start());
    assert!(body.is_some_and(|b| b.starts_with("</body>")), "{xml}");
}

#[test]
fn the_authors_pages_link_the_opml_file() {
    let site = SiteTest::from_fixture("basic");
    site.run(&["build"]).success();
    let url = format!("{BASE}/authors/opml.xml");
    for page in [
        "authors/index.html",
        "authors/gus-guest/index.html",
        "authors/ada-staff/page/2/index.html",
    ] {
        let html = site.read(&format!("public/{page}"));
        let tags = crate::support::tags(&html);
        assert!(
            tags.iter().any(|t| t.name == "link"
                && t.attr("rel") == Some("outline")
                && t.attr("type") == Some("text/x-opml")
                && t.attr("title") == Some("Fixture Notes: every author")
                && t.attr("href") == Some(url.as_str())),
            "{page} has no <link rel=outline>"
        );
        assert!(
            html.contains(&format!(
                "<a href=\"{url}\" type=\"text/x-opml\">Follow everyone (OPML)</a>"
            )),
            "{page} has no link to the OPML file"
        );
    }
}

/// The names and topics under "Writes about the same things" of an author
/// page: (author, their page, topics as written).
fn similar(html: &str) -> Vec<(String, String, String)> {
    let Some(section) = html.split("<h2 id=\"similar-authors\">").nth(1) else {
        return Vec::new();
    };
    let section = section.split("</section>").next().unwrap_or_default();
    section
        .split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            let li = li.split("</li>").next().unwrap_or_default();
            let (url, rest) = li.split_once("\">").unwrap();
            let (name, rest) = rest.split_once("</a>").unwrap();
            let topics: String = crate::support::decode_entities(
                &rest
                    .split('<')
                    .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
                    .collect::<String>(),
            );
            (name.to_string(), url.to_string(), topics.trim().to_string())
        })
        .collect()
}

#[test]
fn author_pages_show_who_writes_about_the_same_things() {
    let site = SiteTest::from_fixture("basic");
    site.run(&["build"]).success();
    let page = |slug: &str| similar(&site.read(&format!("public/authors/{slug}/index.html")));
    let entry = |name: &str, slug: &str, topics: &str| {
        (
            name.to_string(),
            format!("{BASE}/authors/{slug}/"),
            topics.to_string(),
        )
    };
    // Ada and Gus wrote a post together (community, writing; News); Gina
    // shares "community", Sam "meta". A tag counts 2, a category 1; equal
    // scores go by name.
    assert_eq!(
        page("ada-staff"),
        [
            entry(
                "Gus Guest",
                "gus-guest",
                "also writes about writing, community, News"
            ),
            entry("Gina Guest", "gina-guest", "also writes about community"),
            entry("Sam Staff", "sam-staff", "also writes about meta"),
        ]
    );
    assert_eq!(
        page("gus-guest"),
        [
            entry(
                "Ada Staff",
                "ada-staff",
                "also writes about writing, community, News"
            ),
            entry(
                "Gina Guest",
                "gina-guest",
                "also writes about community, Guest Posts"
            ),
        ]
    );
    assert_eq!(
        page("sam-staff"),
        [entry("Ada Staff", "ada-staff", "also writes about meta")]
    );
    // On every page of the author's listing.
    assert_eq!(
        similar(&site.read("public/authors/ada-staff/page/2/index.html")),
        page("ada-staff")
    );
    // The topics link to their pages.
    let html = site.read("public/authors/ada-staff/index.html");
    assert!(html.contains(&format!("<a href=\"{BASE}/categories/news/\">News</a>")));
}

#[test]
fn the_limit_comes_from_the_config() {
    let site = SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[markdown]",
        "[authors]\nsimilar_limit = 1\n\n[markdown]",
    );
    site.run(&["build"]).success();
    let names: Vec<String> = similar(&site.read("public/authors/ada-staff/index.html"))
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(names, ["Gus Guest"]);

    let none = SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[markdown]",
        "[authors]\nsimilar_limit = 0\n\n[markdown]",
    );
    none.run(&["build"]).success();
    let html = none.read("public/authors/ada-staff/index.html");
    assert!(!html.contains("similar-authors"), "{html}");
}

#[test]
fn more_shared_topics_than_shown_are_counted() {
    let post = |file: &str, author: &str| {
        (
            file.to_string(),
            format!(
                "title = \"{file}\"\ndate = 2024-05-01\nauthors = [\"{author}\"]\ntags = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n"
            ),
        )
    };
    let mut site = SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("one", "name = \"One\"\n")
        .author("two", "name = \"Two\"\n");
    for (file, front) in [post("p1.md", "one"), post("p2.md", "two")] {
        site = site.post(&file, &front, "Body.");
    }
    site.run(&["build"]).success();
    let got = similar(&site.read("public/authors/one/index.html"));
    assert_eq!(
        got,
        [(
            "Two".to_string(),
            "https://t.example/authors/two/".to_string(),
            "also writes about a, b, c and 2 more".to_string()
        )]
    );
}
