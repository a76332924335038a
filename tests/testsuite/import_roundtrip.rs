//! Round trips: the example site exported by a helper here to a WordPress
//! export, a Jekyll folder, a Hugo folder and a Zola folder, then imported back with `gen
//! import`, has the same posts (slug, title, date, authors, draft), the same
//! authors (slug, name) and the same post URLs when built.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{self, gen_in};

/// One post of the example site, as the round trip compares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Post {
    slug: String,
    title: String,
    /// The calendar day of its date.
    day: String,
    authors: Vec<String>,
    draft: bool,
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

/// Front matter of a Byline post file as a JSON map (TOML or YAML).
fn front(text: &str) -> serde_json::Map<String, serde_json::Value> {
    let (fence, rest) = if let Some(r) = text.strip_prefix("+++\n") {
        ("+++", r)
    } else {
        ("---", text.strip_prefix("---\n").expect("front matter"))
    };
    let end = rest.find(&format!("\n{fence}")).expect("closing fence");
    let matter = &rest[..end];
    if fence == "+++" {
        let t: toml::Table = toml::from_str(matter).unwrap();
        serde_json::to_value(
            t.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
                        v => v,
                    };
                    (k, v)
                })
                .collect::<toml::Table>(),
        )
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
    } else {
        serde_norway::from_str(matter).unwrap()
    }
}

/// The posts of a Byline site's `content/posts/`.
fn posts(site: &Path) -> BTreeSet<Post> {
    let dir = site.join("content/posts");
    let mut out = BTreeSet::new();
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let p = entry.path();
        let (file, name) = if p.is_dir() {
            (
                p.join("index.md"),
                entry.file_name().to_string_lossy().into_owned(),
            )
        } else if p.extension().is_some_and(|e| e == "md") {
            (
                p.clone(),
                p.file_stem().unwrap().to_string_lossy().into_owned(),
            )
        } else {
            continue;
        };
        if !file.is_file() {
            continue;
        }
        let f = front(&fs::read_to_string(&file).unwrap());
        let s = |k: &str| f.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let name = match name.get(..11) {
            Some(d) if d.as_bytes()[4] == b'-' && d.ends_with('-') => name[11..].to_string(),
            _ => name,
        };
        let authors = match f.get("authors").or_else(|| f.get("author")) {
            Some(serde_json::Value::Array(a)) => {
                a.iter().map(|v| v.as_str().unwrap().to_string()).collect()
            }
            Some(serde_json::Value::String(a)) => vec![a.clone()],
            _ => Vec::new(),
        };
        out.insert(Post {
            slug: s("slug").unwrap_or(name),
            title: s("title").unwrap(),
            day: s("date").map(|d| d[..10].to_string()).unwrap_or_default(),
            authors,
            draft: f.get("draft").and_then(|d| d.as_bool()).unwrap_or(false),
        });
    }
    out
}

/// The authors of a site: slug and name.
fn authors(site: &Path) -> BTreeSet<(String, String)> {
    fs::read_dir(site.join("authors"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| {
            let t: toml::Table = toml::from_str(&fs::read_to_string(e.path()).unwrap()).unwrap();
            (
                e.path().file_stem().unwrap().to_string_lossy().into_owned(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The post pages a build wrote: `posts/<slug>/index.html` paths.
fn post_urls(site: &Path, out: &Path) -> BTreeSet<String> {
    let r = gen_in(site, &["build", "--drafts", "-o", out.to_str().unwrap()]);
    r.assert_code(0);
    support::list_files(out)
        .into_iter()
        .filter(|p| {
            p.starts_with("posts/") && p.ends_with("/index.html") && p.matches('/').count() == 2
        })
        .collect()
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The example site as a WordPress export.
fn to_wxr(original: &BTreeSet<Post>, authors: &BTreeSet<(String, String)>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>Round trip</title>\n<link>https://rt.example.org</link>\n<wp:base_blog_url>https://rt.example.org</wp:base_blog_url>\n",
    );
    for (slug, name) in authors {
        out.push_str(&format!(
            "<wp:author><wp:author_login>{}</wp:author_login><wp:author_display_name>{}</wp:author_display_name></wp:author>\n",
            xml(slug),
            xml(name)
        ));
    }
    for (i, p) in original.iter().enumerate() {
        out.push_str(&format!(
            "<item><title>{title}</title><link>https://rt.example.org/posts/{slug}/</link>{author}<content:encoded><![CDATA[<p>{title}</p>]]></content:encoded><wp:post_id>{id}</wp:post_id><wp:post_date>{day} 00:00:00</wp:post_date><wp:post_date_gmt>{day} 00:00:00</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>post</wp:post_type></item>\n",
            title = xml(&p.title),
            slug = p.slug,
            author = p.authors.iter().map(|a| format!("<dc:creator>{a}</dc:creator>")).collect::<String>(),
            id = i + 1,
            day = p.day,
            status = if p.draft { "draft" } else { "publish" },
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn yaml_authors(authors: &BTreeSet<(String, String)>) -> String {
    authors
        .iter()
        .map(|(s, n)| format!("{s}:\n  name: {n:?}\n"))
        .collect()
}

fn yaml_post(p: &Post) -> String {
    format!(
        "---\ntitle: {:?}\ndate: {}\nauthors: [{}]\ndraft: {}\n---\n{}\n",
        p.title,
        p.day,
        p.authors.join(", "),
        p.draft,
        p.title
    )
}

/// The example site as a Jekyll folder.
fn to_jekyll(dir: &Path, original: &BTreeSet<Post>, authors: &BTreeSet<(String, String)>) {
    fs::create_dir_all(dir.join("_posts")).unwrap();
    fs::create_dir_all(dir.join("_data")).unwrap();
    fs::write(
        dir.join("_config.yml"),
        "title: Round trip\nurl: https://rt.example.org\npermalink: /posts/:title/\n",
    )
    .unwrap();
    fs::write(dir.join("_data/authors.yml"), yaml_authors(authors)).unwrap();
    for p in original {
        let body = yaml_post(p).replace("draft: true", "published: false");
        fs::write(dir.join(format!("_posts/{}-{}.md", p.day, p.slug)), body).unwrap();
    }
}

/// The example site as a Hugo folder.
fn to_hugo(dir: &Path, original: &BTreeSet<Post>, authors: &BTreeSet<(String, String)>) {
    fs::create_dir_all(dir.join("content/posts")).unwrap();
    fs::create_dir_all(dir.join("data")).unwrap();
    fs::write(
        dir.join("hugo.toml"),
        "baseURL = \"https://rt.example.org/\"\ntitle = \"Round trip\"\n",
    )
    .unwrap();
    fs::write(dir.join("data/authors.yaml"), yaml_authors(authors)).unwrap();
    for p in original {
        fs::write(
            dir.join(format!("content/posts/{}.md", p.slug)),
            yaml_post(p),
        )
        .unwrap();
    }
}

/// The example site as a Zola folder: authors are display names in the
/// `authors` taxonomy (Zola has no profiles), posts sit in a `posts` section.
fn to_zola(dir: &Path, original: &BTreeSet<Post>, authors: &BTreeSet<(String, String)>) {
    fs::create_dir_all(dir.join("content/posts")).unwrap();
    fs::write(
        dir.join("config.toml"),
        "base_url = \"https://rt.example.org\"\ntitle = \"Round trip\"\ntaxonomies = [{ name = \"authors\" }]\n",
    )
    .unwrap();
    fs::write(
        dir.join("content/posts/_index.md"),
        "+++\ntitle = \"Posts\"\nsort_by = \"date\"\n+++\n",
    )
    .unwrap();
    let name = |slug: &String| {
        authors
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, n)| n.clone())
            .unwrap()
    };
    for p in original {
        let names: Vec<String> = p.authors.iter().map(|a| format!("{:?}", name(a))).collect();
        fs::write(
            dir.join(format!("content/posts/{}.md", p.slug)),
            format!(
                "+++\ntitle = {:?}\ndate = {}\ndraft = {}\n[taxonomies]\nauthors = [{}]\n+++\n{}\n",
                p.title,
                p.day,
                p.draft,
                names.join(", "),
                p.title
            ),
        )
        .unwrap();
    }
}

#[test]
fn the_example_site_survives_export_and_import() {
    let tmp = tempfile::Builder::new()
        .prefix("byline-rt-")
        .tempdir()
        .unwrap();
    let original = posts(&example());
    let people = authors(&example());
    assert!(original.len() >= 10, "{original:?}");
    let site = support::copy_site(&example());
    let urls = post_urls(&site.root, &tmp.path().join("out-original"));
    assert_eq!(urls.len(), original.len());

    fs::write(tmp.path().join("export.xml"), to_wxr(&original, &people)).unwrap();
    to_jekyll(&tmp.path().join("jekyll"), &original, &people);
    to_hugo(&tmp.path().join("hugo"), &original, &people);
    to_zola(&tmp.path().join("zola"), &original, &people);
    for (kind, source) in [
        ("wordpress", "export.xml"),
        ("jekyll", "jekyll"),
        ("hugo", "hugo"),
        ("zola", "zola"),
    ] {
        let into = format!("site-{kind}");
        let r = gen_in(tmp.path(), &["import", kind, source, "--into", &into]);
        r.assert_code(0);
        let imported = tmp.path().join(&into);
        assert_eq!(posts(&imported), original, "{kind}: posts");
        assert_eq!(authors(&imported), people, "{kind}: authors");
        gen_in(&imported, &["check", "--drafts"]).assert_code(0);
        let got = post_urls(&imported, &tmp.path().join(format!("out-{kind}")));
        assert_eq!(got, urls, "{kind}: URLs");
    }
}
