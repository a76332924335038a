//! `gen fetch` against a tiny HTTP server on 127.0.0.1 (never the outside
//! network): RSS, Atom and JSON Feed stored as plain text, conditional
//! requests, every kind of failure as a warning that keeps the last good
//! entries; then what the build makes of the data file: `/contributors/`,
//! its feed and the author pages, and a broken data file as a warning.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::support::http::{Canned, Server as Http, ok};
use crate::support::site_test::SiteTest;

const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ren's notes</title><link>https://ren.example/</link>
<description>d</description>
<item><title>Older &amp; wiser</title><link>https://ren.example/older/</link>
<pubDate>Mon, 01 Apr 2024 10:00:00 +0000</pubDate><description>Plain.</description></item>
<item><title>Hostile summary</title><link>https://ren.example/hostile/</link>
<pubDate>Wed, 01 May 2024 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Hi <b>there</b></p><script>alert('pwned')</script><img src=x onerror="alert(2)">]]></description></item>
<item><title>Sneaky</title><link>javascript:alert(3)</link>
<pubDate>Thu, 02 May 2024 10:00:00 +0000</pubDate></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ada</title><id>urn:ada</id>
<updated>2024-06-01T00:00:00Z</updated>
<entry><title type="html">&lt;em&gt;Atom&lt;/em&gt; entry</title><id>urn:1</id>
<link rel="alternate" href="/posts/atom-entry/"/>
<published>2024-06-01T08:00:00+02:00</published><updated>2024-06-01T08:00:00+02:00</updated>
<summary type="html">&lt;p&gt;An Atom summary.&lt;/p&gt;</summary></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
"items":[{"id":"1","url":"https://json.example/one/","title":"JSON entry",
"content_html":"<p>From a JSON Feed.</p>","date_published":"2024-07-01T12:00:00Z"}]}"#;

/// The feed server, and the switch that breaks `/flaky.xml`.
struct Server {
    http: Http,
    /// `/flaky.xml` fails while this is set.
    broken: Arc<AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let broken = Arc::new(AtomicBool::new(false));
        let b = broken.clone();
        let http = Http::start(move |r, _| canned(r.path(), &r.head, b.load(Ordering::SeqCst)));
        Server { http, broken }
    }

    fn url(&self, path: &str) -> String {
        self.http.url(path)
    }

    fn heads_for(&self, path: &str) -> Vec<String> {
        self.http.heads_for("GET", path)
    }
}

fn canned(path: &str, head: &str, broken: bool) -> Canned {
    let lower = head.to_ascii_lowercase();
    match path {
        "/rss.xml" => {
            if lower.contains("if-none-match: \"v1\"") {
                (304, vec![("ETag".into(), "\"v1\"".into())], Vec::new())
            } else {
                let mut c = ok("application/rss+xml", RSS);
                c.1.push(("ETag".into(), "\"v1\"".into()));
                c.1.push((
                    "Last-Modified".into(),
                    "Wed, 01 May 2024 10:00:00 GMT".into(),
                ));
                c
            }
        }
        "/atom.xml" => ok("application/atom+xml", ATOM),
        "/feed.json" => ok("application/feed+json", JSON_FEED),
        "/not-a-feed" => ok("text/plain", "this is not a feed at all"),
        "/big.xml" => (
            200,
            vec![("Content-Type".into(), "application/rss+xml".into())],
            vec![b' '; 6 * 1024 * 1024],
        ),
        "/loop" => (302, vec![("Location".into(), "/loop".into())], Vec::new()),
        "/slow.xml" => {
            std::thread::sleep(Duration::from_secs(4));
            ok("application/rss+xml", RSS)
        }
        "/flaky.xml" if broken => (500, Vec::new(), b"down".to_vec()),
        "/flaky.xml" => ok(
            "application/rss+xml",
            &RSS.replace("ren.example", "flaky.example"),
        ),
        _ => (404, Vec::new(), b"not found".to_vec()),
    }
}

const CONFIG: &str = "title = \"T\"\nbase_url = \"https://t.example\"\n";

/// A site whose authors have these feeds (slug, path on the server).
fn site(server: &Server, feeds: &[(&str, &str)]) -> SiteTest {
    let mut site = SiteTest::empty().config(CONFIG);
    for (slug, path) in feeds {
        site = site.author(
            slug,
            &format!(
                "name = \"{} Writer\"\nfeed = \"{}\"\n",
                slug.to_uppercase(),
                server.url(path)
            ),
        );
    }
    site.author("plain", "name = \"No Feed\"\n").post(
        "hi.md",
        "title = \"Hi\"\ndate = 2024-01-01\nauthors = [\"ren\"]\n",
        "Hi.",
    )
}

fn data(site: &SiteTest) -> serde_json::Value {
    serde_json::from_str(&site.read("data/contributors.json")).expect("the data file is JSON")
}

fn titles(v: &serde_json::Value, slug: &str) -> Vec<String> {
    v["authors"][slug]["entries"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| e["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn fetches_rss_atom_and_json_feed_as_plain_text_and_builds_the_pages() {
    let server = Server::start();
    let site = site(
        &server,
        &[
            ("ren", "/rss.xml"),
            ("ada", "/atom.xml"),
            ("jo", "/feed.json"),
        ],
    );
    let run = site.run(&["fetch"]);
    run.success();
    assert!(
        run.stderr.contains("fetched ren: 2 entries from"),
        "{}",
        run.stderr
    );
    let v = data(&site);
    // Newest first; the javascript: link is left out.
    assert_eq!(titles(&v, "ren"), ["Hostile summary", "Older & wiser"]);
    let ren = &v["authors"]["ren"];
    assert_eq!(ren["entries"][0]["summary"], "Hi there");
    assert_eq!(ren["entries"][0]["date"], "2024-05-01T10:00:00Z");
    assert_eq!(ren["feed"]["etag"], "\"v1\"");
    assert_eq!(
        ren["feed"]["last_modified"],
        "Wed, 01 May 2024 10:00:00 GMT"
    );
    assert_eq!(ren["feed"]["url"], server.url("/rss.xml"));
    // Atom: an HTML title as text, a relative link made absolute.
    assert_eq!(titles(&v, "ada"), ["Atom entry"]);
    assert_eq!(
        v["authors"]["ada"]["entries"][0]["link"],
        server.url("/posts/atom-entry/")
    );
    assert_eq!(
        v["authors"]["ada"]["entries"][0]["summary"],
        "An Atom summary."
    );
    assert_eq!(titles(&v, "jo"), ["JSON entry"]);
    assert_eq!(
        v["authors"]["jo"]["entries"][0]["summary"],
        "From a JSON Feed."
    );
    assert!(v["authors"].get("plain").is_none());
    let heads = server.heads_for("/rss.xml");
    assert!(
        heads[0].to_ascii_lowercase().contains("user-agent: gen/"),
        "{}",
        heads[0]
    );
    // Sorted keys, so that a fetch with nothing new changes nothing else.
    let text = site.read("data/contributors.json");
    let at = |k: &str| text.find(k).unwrap();
    assert!(at("\"date\"") < at("\"link\"") && at("\"summary\"") < at("\"title\""));

    site.run(&["build"]).success();
    let page = site.read("public/contributors/index.html");
    assert!(page.contains("From our contributors’ own blogs"), "{page}");
    assert!(page.contains("<a class=\"u-url p-name\" href=\"https://json.example/one/\""));
    assert!(
        page.contains("<a class=\"p-author\" href=\"https://t.example/authors/jo/\">JO Writer</a>")
    );
    assert!(page.contains(
        "<time class=\"dt-published\" datetime=\"2024-07-01T12:00:00+00:00\">1 July 2024</time>"
    ));
    assert!(!page.contains("alert"), "{page}");
    // JSON, then Atom, then RSS: newest first across authors.
    let order: Vec<usize> = [
        "JSON entry",
        "Atom entry",
        "Hostile summary",
        "Older &amp; wiser",
    ]
    .iter()
    .map(|t| page.find(t).unwrap_or_else(|| panic!("{t} in {page}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let rss = site.read("public/contributors/rss.xml");
    assert!(
        rss.contains("<link>https://ren.example/hostile/</link>"),
        "{rss}"
    );
    assert!(rss.contains("<dc:creator>REN Writer</dc:creator>"), "{rss}");
    assert!(!rss.contains("alert"));
    let author = site.read("public/authors/ren/index.html");
    assert!(author.contains("Latest on their own blog"));
    assert!(author.contains("https://ren.example/older/"));
    assert!(
        !site
            .read("public/authors/plain/index.html")
            .contains("Latest on their own blog")
    );
    assert!(
        site.read("public/authors/index.html")
            .contains("https://t.example/contributors/")
    );
    assert!(
        !site
            .read("public/sitemap.xml")
            .contains("contributors/rss.xml")
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("https://t.example/contributors/")
    );
}

#[test]
fn a_304_keeps_the_entries() {
    let server = Server::start();
    let site = site(&server, &[("ren", "/rss.xml")]);
    site.run(&["fetch"]).success();
    let first = data(&site);
    let run = site.run(&["fetch"]);
    run.success();
    assert!(run.stderr.contains("not modified ren"), "{}", run.stderr);
    let heads = server.heads_for("/rss.xml");
    assert_eq!(heads.len(), 2);
    let second = heads[1].to_ascii_lowercase();
    assert!(second.contains("if-none-match: \"v1\""), "{second}");
    assert!(
        second.contains("if-modified-since: wed, 01 may 2024 10:00:00 gmt"),
        "{second}"
    );
    assert_eq!(
        data(&site)["authors"]["ren"]["entries"],
        first["authors"]["ren"]["entries"]
    );
}

#[test]
fn failures_are_warnings_and_keep_the_last_good_entries() {
    let server = Server::start();
    let site = site(
        &server,
        &[
            ("ren", "/rss.xml"),
            ("gone", "/missing.xml"),
            ("text", "/not-a-feed"),
            ("huge", "/big.xml"),
            ("loop", "/loop"),
            ("slow", "/slow.xml"),
            ("flaky", "/flaky.xml"),
        ],
    );
    let run = site.run(&["fetch", "--timeout", "1"]);
    run.fails_with(1);
    let err = &run.stderr;
    let warned = |slug: &str, path: &str, why: &str| {
        let needle = format!(
            "the feed of \"{slug}\" ({}) failed: {why}",
            server.url(path)
        );
        assert!(err.contains(&needle), "no `{needle}` in\n{err}");
    };
    warned("gone", "/missing.xml", "the server answered 404 Not Found");
    warned("text", "/not-a-feed", "not a feed (RSS, Atom or JSON Feed)");
    warned("huge", "/big.xml", "the feed is larger than 5 MB");
    warned("loop", "/loop", "more than 5 redirects");
    warned("slow", "/slow.xml", "no answer within 1 s");
    assert!(err.contains("authors/gone.toml"), "{err}");
    assert!(
        err.contains("wrote data/contributors.json: 4 entries of 2 authors; 5 feeds failed"),
        "{err}"
    );
    assert_eq!(titles(&data(&site), "flaky").len(), 2);

    server.broken.store(true, Ordering::SeqCst);
    let run = site.run(&["fetch", "flaky"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains(&format!(
            "the feed of \"flaky\" ({}) failed: the server answered 500 Internal Server Error; the 2 entries of the last good fetch are kept",
            server.url("/flaky.xml")
        )),
        "{}",
        run.stderr
    );
    let v = data(&site);
    assert_eq!(titles(&v, "flaky"), ["Hostile summary", "Older & wiser"]);
    // Only flaky was fetched: ren's entries stay as they were.
    assert_eq!(titles(&v, "ren").len(), 2);
    site.run(&["build"]).success();
    assert!(
        site.read("public/contributors/index.html")
            .contains("https://flaky.example/older/")
    );
}

#[test]
fn an_unknown_author_is_a_usage_error() {
    let server = Server::start();
    let site = site(&server, &[("ren", "/rss.xml")]);
    site.run(&["fetch", "nobody"])
        .fails_with(2)
        .stderr_eq("error: no author \"nobody\" (authors/nobody.toml)\n");
    assert!(server.heads_for("/rss.xml").is_empty());
}

#[test]
fn a_broken_data_file_is_a_warning_and_the_build_goes_on() {
    let site = SiteTest::empty()
        .config(CONFIG)
        .author("ren", "name = \"Ren\"\n")
        .file("data/contributors.json", "{\"authors\": {\"ren\": 3}}\n");
    let run = site.run(&["build"]);
    run.success();
    assert!(
        run.stderr.starts_with(
            "warning: data/contributors.json:1:21: not a contributors data file: invalid type: integer `3`, expected struct AuthorFeedData; the contributors' entries are left out\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the contributors' entries are left out")
    );
    assert!(!site.path("public/contributors").exists());
    assert!(
        !site
            .read("public/authors/ren/index.html")
            .contains("Latest on their own blog")
    );
}

#[test]
fn without_entries_there_is_no_contributors_page() {
    let site = SiteTest::empty()
        .config(CONFIG)
        .author("ren", "name = \"Ren\"\n")
        .file("data/contributors.json", "{\"authors\": {}}\n");
    let run = site.run(&["build"]);
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(!site.path("public/contributors").exists());
    assert!(
        !site
            .read("public/authors/index.html")
            .contains("contributors/")
    );
}

#[test]
fn hand_edited_links_that_are_not_web_links_are_left_out() {
    let mut authors = BTreeMap::new();
    authors.insert(
        "ren",
        serde_json::json!({
            "feed": {"url": "https://ren.example/rss.xml"},
            "entries": [
                {"title": "<b>Bold</b>", "link": "javascript:alert(1)", "summary": ""},
                {"title": "Fine", "link": "https://ren.example/fine/", "summary": "<script>x</script>", "date": "2024-01-01T00:00:00Z"}
            ]
        }),
    );
    let site = SiteTest::empty()
        .config(CONFIG)
        .author("ren", "name = \"Ren\"\n")
        .file(
            "data/contributors.json",
            serde_json::json!({ "authors": authors }).to_string(),
        );
    let run = site.run(&["build"]);
    run.success();
    assert!(run.stderr.contains("not an http(s) URL"), "{}", run.stderr);
    let page = site.read("public/contributors/index.html");
    assert!(!page.contains("javascript:"));
    // Text stays text: escaped, never markup.
    assert!(
        page.contains("&lt;script&gt;x&lt;&#x2F;script&gt;") || page.contains("&lt;script&gt;"),
        "{page}"
    );
}

#[test]
fn without_feeds_there_is_nothing_to_fetch() {
    let site = SiteTest::empty()
        .config(CONFIG)
        .author("ren", "name = \"Ren\"\n");
    site.run(&["fetch"])
        .success()
        .stderr_eq("no author profile has a `feed`: nothing to fetch\n");
    assert!(!site.path("data").exists());
}
