//! Every internal `href` and `src` of every page resolves to a file of the output
//! (folder URLs to their `index.html`), and every `#fragment` to an element of the
//! page it names: for the `basic` fixture in several configurations and for
//! `example-site/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

/// Attributes that hold URLs, and the `<meta>` tags whose `content` is a URL.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "action", "data"];
const URL_METAS: &[&str] = &["og:url", "og:image", "twitter:image"];

/// One page's URLs and element ids.
struct Page {
    urls: Vec<String>,
    ids: BTreeSet<String>,
}

fn scan(html: &str) -> Page {
    let mut urls = Vec::new();
    let mut ids = BTreeSet::new();
    for tag in tags(html) {
        if let Some(id) = tag.attr("id") {
            ids.insert(id.to_string());
        }
        if tag.name == "a"
            && let Some(name) = tag.attr("name")
        {
            ids.insert(name.to_string());
        }
        for attr in URL_ATTRS {
            if let Some(v) = tag.attr(attr) {
                urls.push(v.to_string());
            }
        }
        if let Some(srcset) = tag.attr("srcset") {
            for part in srcset.split(',') {
                if let Some(u) = part.split_whitespace().next() {
                    urls.push(u.to_string());
                }
            }
        }
        if tag.name == "meta"
            && tag
                .attr("property")
                .or(tag.attr("name"))
                .is_some_and(|p| URL_METAS.contains(&p))
            && let Some(v) = tag.attr("content")
        {
            urls.push(v.to_string());
        }
    }
    Page { urls, ids }
}

/// The output file a site path names (`/a/` → `a/index.html`), if any.
fn target_file(files: &BTreeSet<String>, path: &str) -> Option<String> {
    let p = percent_decode(path.trim_start_matches('/'));
    let candidates = if p.is_empty() || p.ends_with('/') {
        vec![format!("{p}index.html")]
    } else {
        vec![p.clone(), format!("{p}/index.html")]
    };
    candidates.into_iter().find(|c| files.contains(c))
}

/// Checks every internal link of every HTML page under `out`, for a site whose
/// base URL is `base`. Returns the number of internal links checked.
fn check_links(out: &Path, base: &str) -> usize {
    let files = list_files(out);
    let pages: BTreeMap<String, Page> = files
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| (f.clone(), scan(&read(out, f))))
        .collect();
    assert!(pages.len() > 5, "no pages in {}", out.display());
    let base_path = base
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("", |i| &rest[i..]))
        .unwrap_or("");
    let mut broken = Vec::new();
    let mut checked = 0;
    for (file, page) in &pages {
        for url in &page.urls {
            let (before_frag, frag) = match url.split_once('#') {
                Some((b, f)) => (b, Some(f)),
                None => (url.as_str(), None),
            };
            let path_part = before_frag.split('?').next().unwrap_or("");
            let target = if url.starts_with('#') {
                Some(file.clone())
            } else if let Some(rest) = path_part.strip_prefix(base) {
                if !(rest.is_empty() || rest.starts_with('/')) {
                    continue;
                }
                checked += 1;
                target_file(&files, if rest.is_empty() { "/" } else { rest })
            } else if path_part.starts_with('/') && !path_part.starts_with("//") {
                checked += 1;
                match path_part.strip_prefix(base_path) {
                    Some(rest) if !base_path.is_empty() || rest.starts_with('/') => {
                        target_file(&files, rest)
                    }
                    _ => {
                        broken.push(format!(
                            "{file}: {url} is outside the site's base path {base_path}"
                        ));
                        continue;
                    }
                }
            } else {
                // External, mailto:, data: and the like.
                continue;
            };
            let Some(target) = target else {
                broken.push(format!("{file}: {url} has no output file"));
                continue;
            };
            if let Some(frag) = frag.filter(|f| !f.is_empty())
                && let Some(p) = pages.get(&target)
                && !p.ids.contains(&percent_decode(frag))
            {
                broken.push(format!("{file}: {url}: no id \"{frag}\" in {target}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken internal links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    checked
}

#[test]
fn fixture_links_resolve() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let checked = check_links(&site.public(), BASE);
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn fixture_links_resolve_with_drafts_and_future_posts() {
    let site = fixture("basic");
    let out = site.build_to("out", &["--drafts", "--future"]);
    check_links(&out, BASE);
}

#[test]
fn fixture_links_resolve_under_a_base_url_with_a_path() {
    let site = fixture("basic");
    let base = "https://preview.example.net/pr-7";
    let out = site.build_to("out", &["--base-url", base]);
    let checked = check_links(&out, base);
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn fixture_links_resolve_with_date_permalinks() {
    let site = fixture("basic");
    site.edit(
        "gen.toml",
        "post = \"/posts/:slug/\"",
        "post = \"/:year/:month/:day/:slug/\"",
    );
    let out = site.build_to("out", &[]);
    assert!(out.join("2024/02/01/guest-hello/index.html").is_file());
    check_links(&out, BASE);
}

#[test]
fn example_site_links_resolve() {
    let site = SiteTest::from_dir("example-site");
    let out = site.build_to("out", &[]);
    let base = "https://fieldnotes.example.org";
    assert!(read(&out, "index.html").contains(base));
    let checked = check_links(&out, base);
    assert!(checked > 1000, "only {checked} links checked");
}

/// The checker itself finds broken links and missing fragments, and accepts
/// good ones.
#[test]
fn the_checker_finds_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let page = |links: &str| {
        format!(
            "<!DOCTYPE html><html><body><h2 id=\"here\">x</h2>{links}<!-- <a href=\"/in-comment/\"> --></body></html>"
        )
    };
    let good = format!(
        "<a href=\"{BASE}/a/\">a</a><a href=\"/a/#here\">b</a><a href=\"#here\">c</a><img src=\"{BASE}/p%20q.png\" alt=\"\"><a href=\"https://elsewhere.example/x/\">d</a>"
    );
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(out.join("a/index.html"), page(&good)).unwrap();
    std::fs::write(out.join("p q.png"), b"").unwrap();
    for n in 1..6 {
        std::fs::write(out.join(format!("{n}.html")), page(&good)).unwrap();
    }
    assert_eq!(check_links(out, BASE), 6 * 3);

    let bad = format!("<a href=\"{BASE}/no/such/page/\">x</a><a href=\"/a/#nowhere\">y</a>");
    std::fs::write(out.join("index.html"), page(&bad)).unwrap();
    let result = std::panic::catch_unwind(|| check_links(out, BASE));
    let msg = *result
        .expect_err("the checker missed broken links")
        .downcast::<String>()
        .unwrap();
    assert!(msg.contains("2 broken internal links"), "{msg}");
    assert!(
        msg.contains("index.html: https://fixture.example.org/no/such/page/ has no output file"),
        "{msg}"
    );
    assert!(
        msg.contains("index.html: /a/#nowhere: no id \"nowhere\" in a/index.html"),
        "{msg}"
    );
}

/// Regression: a picture in another post's folder is published beside that post,
/// but a link to it was reported as "not published". It resolves to where that
/// post's files are served, also with dated permalinks; one in a draft's folder
/// (not built) is still an error.
#[test]
fn a_picture_in_another_posts_folder_resolves_beside_that_post() {
    let site = fixture("basic");
    let post = "content/posts/2024-01-10-staff-intro.md";
    let text = site.read(post);
    site.write(
        post,
        format!("{text}\n![The cover of the bundle post](bundle-post/cover.png)\n"),
    );
    let out = site.build_to("out", &[]);
    let html = read(&out, "posts/staff-intro/index.html");
    assert!(
        html.contains(&format!("src=\"{BASE}/posts/bundle-post/cover.png\"")),
        "{html}"
    );
    check_links(&out, BASE);

    site.edit(
        "gen.toml",
        "post = \"/posts/:slug/\"",
        "post = \"/:year/:month/:day/:slug/\"",
    );
    let dated = site.build_to("dated", &[]);
    check_links(&dated, BASE);

    site.write("content/posts/draft-bundle/index.md", "+++\ntitle = \"Not yet\"\ndate = 2024-01-01\nauthors = [\"sam-staff\"]\ndraft = true\n+++\n\nSoon.\n");
    site.write(
        "content/posts/draft-bundle/sketch.png",
        b"\x89PNG\r\n\x1a\n",
    );
    site.write(
        post,
        format!("{text}\n![A sketch](draft-bundle/sketch.png)\n"),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/posts/draft-bundle/sketch.png is not published"),
        "{}",
        run.stderr
    );
}
