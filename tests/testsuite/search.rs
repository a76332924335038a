//! Full-text search: the Pagefind index and its UI files under `/pagefind/`,
//! the search page and box, what is indexed (posts and pages, with their
//! filters and metadata) and what is not (listings, feeds, share kits, the
//! 404 page), code blocks left out unless `[search] include_code`,
//! `[search] enabled = false` leaving no trace, the same bytes
//! from two builds, and a static file in the index's folder as a clash.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::support::{self, SiteTest};

/// Every page of the index: its fragment (Pagefind's gzip'd JSON, after its
/// `pagefind_dcd` marker), by URL.
pub fn fragments(public: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (path, bytes) in support::all_files(&public.join("pagefind/fragment")) {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut json)
            .unwrap_or_else(|e| panic!("{path} is not gzip: {e}"));
        let json = json
            .strip_prefix(b"pagefind_dcd")
            .unwrap_or_else(|| panic!("{path} lacks Pagefind's marker"));
        let v: Value = serde_json::from_slice(json).expect("a fragment is JSON");
        let url = v["url"].as_str().expect("a fragment has a URL").to_string();
        out.insert(url, v);
    }
    out
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn posts_and_pages_are_indexed_with_their_filters_and_the_ui_is_written() {
    let site = SiteTest::from_fixture("basic");
    site.run(&["build"]).success();
    let public = site.public();
    for f in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "search/index.html",
    ] {
        assert!(public.join(f).is_file(), "{f} is written");
    }
    let pages = fragments(&public);
    let base = "https://fixture.example.org";
    let urls: BTreeSet<&str> = pages.keys().map(String::as_str).collect();
    // Every published post and page, nothing else: no listing, feed,
    // share kit, redirect or 404 page.
    let expected: BTreeSet<String> = [
        "/posts/staff-intro/",
        "/posts/guest-hello/",
        "/posts/yaml-post/",
        "/posts/co-authored/",
        "/posts/staff-more/",
        "/posts/ada-fourth/",
        "/posts/ada-custom-slug/",
        "/posts/bundle-post/",
        "/about/",
        "/docs/guide/",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(urls, expected);

    let post = &pages[&format!("{base}/posts/co-authored/")];
    assert_eq!(post["meta"]["title"], "Written together");
    assert_eq!(post["meta"]["authors"], "Ada Staff, Gus Guest");
    assert_eq!(post["meta"]["date"], "2024-04-01T00:00:00+00:00");
    assert_eq!(
        strings(&post["filters"]["author"]),
        ["Ada Staff", "Gus Guest"]
    );
    assert_eq!(strings(&post["filters"]["tag"]), ["community", "writing"]);
    assert_eq!(strings(&post["filters"]["category"]), ["News"]);
    // The body is indexed; the page around it (navigation, footer) is not.
    let guest = &pages[&format!("{base}/posts/guest-hello/")];
    let content = guest["content"].as_str().unwrap();
    assert!(content.contains("Gus says hello."), "{content}");
    assert!(!content.contains("Skip to content"), "{content}");
    assert_eq!(guest["meta"]["image"], format!("{base}/images/hero.jpg"));
    assert_eq!(guest["meta"]["image_alt"], "A green rectangle");
    let about = &pages[&format!("{base}/about/")];
    assert!(about["filters"]["author"].is_null());

    // Every page has the search box; the search page loads Pagefind's API.
    let home = support::read(&public, "index.html");
    assert!(home.contains(
        "<form class=\"site-search\" role=\"search\" aria-label=\"Site search\" action=\"https://duckduckgo.com/\" method=\"get\" data-search-page=\"https://fixture.example.org/search/\">"
    ));
    assert!(home.contains("<input type=\"hidden\" name=\"sites\" value=\"fixture.example.org\">"));
    let search = support::read(&public, "search/index.html");
    assert!(search.contains("data-search-bundle=\"https://fixture.example.org/pagefind/\""));
    assert!(search.contains("<meta name=\"robots\" content=\"noindex\">"));
    // The search page is no content of the sitemap.
    let sitemap = support::read(&public, "sitemap.xml");
    assert!(!sitemap.contains("/search/"));
    assert!(!sitemap.contains("/pagefind/"));
}

#[test]
fn code_blocks_are_left_out_of_the_index_unless_included() {
    let site = SiteTest::from_fixture("basic");
    let post = "https://fixture.example.org/posts/co-authored/";
    site.run(&["build"]).success();
    let content = fragments(&site.public())[post]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        content.contains("A post by staff and a guest together."),
        "{content}"
    );
    assert!(!content.contains("println"), "{content}");

    let config = site.read("gen.toml") + "\n[search]\ninclude_code = true\n";
    site.write("gen.toml", config);
    site.run(&["build"]).success();
    let content = fragments(&site.public())[post]["content"]
        .as_str()
        .unwrap()
        .to_string();
    // As text: the words, none of the highlighting's markup.
    assert!(content.contains("println!(\"hello\");"), "{content}");
    assert!(!content.contains("span"), "{content}");
}

#[test]
fn disabled_search_leaves_no_trace() {
    let site = SiteTest::from_fixture("basic");
    let config = site.read("gen.toml") + "\n[search]\nenabled = false\n";
    site.write("gen.toml", config);
    site.run(&["build"]).success();
    let public = site.public();
    let files = support::all_files(&public);
    for (path, bytes) in &files {
        assert!(
            !path.starts_with("pagefind/") && !path.starts_with("search/"),
            "{path} is written"
        );
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes);
            for trace in ["pagefind", "site-search", "/search/", "duckduckgo"] {
                assert!(!text.contains(trace), "{path} has {trace}");
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = SiteTest::from_fixture("basic");
    let a = site.build_to("a", &[]);
    let b = site.build_to("b", &[]);
    let (a, b) = (support::all_files(&a), support::all_files(&b));
    assert!(a.keys().any(|k| k.ends_with(".pf_fragment")));
    support::assert_same_files(&a, &b, "two builds");
}

#[test]
fn a_static_file_in_the_index_folder_clashes() {
    let site = SiteTest::from_fixture("basic").file("static/pagefind/pagefind.js", "// mine\n");
    let run = site.run(&["build"]);
    run.run.assert_code(1);
    assert_eq!(
        run.run.first_line(),
        "error: static/pagefind/pagefind.js: two sources for /pagefind/: the search index ([search] in gen.toml) and static/pagefind/pagefind.js"
    );
}
