//! `gen import`: each fixture source (tests/fixtures/import/, one quirk per
//! item or file) imports into a new site that `gen check` and `gen build`
//! accept; the report names every item; `--dry-run` writes nothing; existing
//! files are never overwritten without `--force`; a malformed export is an
//! error with its line and column.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{self, Run, gen_in};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// A temporary folder holding a copy of the fixture `rel` (file or folder)
/// under its own name, for runs with short relative paths.
fn workdir(rel: &str) -> tempfile::TempDir {
    let tmp = tempfile::Builder::new()
        .prefix("byline-import-")
        .tempdir()
        .unwrap();
    let src = fixtures().join(rel);
    let name = src.file_name().unwrap();
    if src.is_dir() {
        support::copy_dir(&src, &tmp.path().join(name));
    } else {
        fs::copy(&src, tmp.path().join(name)).unwrap();
    }
    tmp
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let r = gen_in(dir, args);
    r.assert_no_panic();
    r
}

/// Imports, then asserts that `gen check` finds no error and `gen build`
/// succeeds on the result.
fn checks_and_builds(site: &Path) {
    let check = run(site, &["check"]);
    check.assert_code(0);
    let build = run(site, &["build", "-o", "../out"]);
    build.assert_code(0);
}

fn wordpress(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        "wordpress",
        "wordpress/basic.xml",
        "--media",
        "wordpress/uploads",
        "--staff",
        "sam",
        "--into",
        "site",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

#[test]
fn wordpress_export_imports_into_a_site_that_checks_and_builds() {
    let tmp = workdir("wordpress");
    let r = wordpress(tmp.path(), &[]);
    r.assert_code(0);
    support::snapshot::assert_snapshot("import__wordpress_report", &r.stdout);
    let site = tmp.path().join("site");
    checks_and_builds(&site);
    let post = support::read(&site, "content/posts/hello-welcome.md");
    assert!(post.starts_with(
        "+++\ntitle = \"Hello & welcome\"\ndate = \"2019-03-04T01:20:30+02:00\"\nauthors = [\"holly\"]\ntags = [\"Team rituals\"]\ncategories = [\"Practices\"]\nimage = \"/wp-content/uploads/2019/03/cat.png\"\n"
    ), "{post}");
    assert!(
        post.contains("<!-- more -->") && !post.contains("wp:paragraph"),
        "{post}"
    );
    assert!(post.contains("<figcaption>Our cat</figcaption>"), "{post}");
    // [embed] becomes a link.
    assert!(
        post.contains("[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)"),
        "{post}"
    );
    let config = support::read(&site, "gen.toml");
    assert!(
        config.contains("post = \"/:year/:month/:day/:slug/\""),
        "{config}"
    );
    assert!(
        config.contains("base_url = \"https://old.example.com\""),
        "{config}"
    );
    assert!(config.contains("[redirects]                 # the old site's URLs, kept working\nauthors = \"/author/:slug/\"\ncategories = \"/category/:slug/\"\ntags = \"/tag/:slug/\"\n\"/tag/rituals-of-teams/\" = \"/tags/team-rituals/\"\n"), "{config}");
    // The old URL of each post is its new one; old author and term pages
    // redirect.
    let out = tmp.path().join("out");
    assert!(out.join("2019/03/04/hello-welcome/index.html").is_file());
    assert!(out.join("2019/04/02/café-notes/index.html").is_file());
    assert!(out.join("about/index.html").is_file());
    let rules = support::read(&out, "_redirects");
    for rule in [
        "/author/holly/ /authors/holly/ 301",
        "/tag/rituals-of-teams/ /tags/team-rituals/ 301",
    ] {
        assert!(rules.contains(rule), "{rule} not in {rules}");
    }
    // Comments are data, without the readers' emails or addresses.
    let comments = support::read(&site, "data/comments/hello-welcome.json");
    assert!(
        comments.contains("\"author\": \"Reader One\""),
        "{comments}"
    );
    for secret in ["reader@example.net", "192.0.2.1", "Spammer"] {
        assert!(!comments.contains(secret), "{secret} in {comments}");
    }
    let profiles = support::read(&site, "authors/holly.toml");
    assert_eq!(profiles, "name = \"Holly Powell\"\nguest = true\n");
    assert!(
        !support::all_files(&site)
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("holly@example.com"))
    );
    assert_eq!(
        support::read(&site, "authors/sam.toml"),
        "name = \"Sam Okafor\"\nguest = false\n"
    );
}

#[test]
fn json_report_counts_every_item() {
    let tmp = workdir("wordpress");
    let r = wordpress(tmp.path(), &["--report", "json", "--dry-run"]);
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let c = &v["counts"];
    assert_eq!(
        c["read"].as_u64().unwrap(),
        c["imported"].as_u64().unwrap() + c["skipped"].as_u64().unwrap()
    );
    assert_eq!(
        v["items"].as_array().unwrap().len() as u64,
        c["read"].as_u64().unwrap()
    );
    assert_eq!(
        (c["read"].as_u64(), c["skipped"].as_u64()),
        (Some(13), Some(3))
    );
    let trash = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "item 21 \"Old draft\"")
        .unwrap();
    assert_eq!(trash["outcome"], "skipped");
    assert_eq!(trash["why"], "in the trash");
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = workdir("wordpress");
    let r = wordpress(tmp.path(), &["--dry-run"]);
    r.assert_code(0);
    assert!(
        r.stdout
            .starts_with("would import WordPress export wordpress/basic.xml into site\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .ends_with("dry run: nothing written (18 files would be written)\n"),
        "{}",
        r.stdout
    );
    assert!(!tmp.path().join("site").exists());
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let tmp = workdir("wordpress");
    wordpress(tmp.path(), &[]).assert_code(0);
    let site = tmp.path().join("site");
    fs::write(
        site.join("content/about.md"),
        "+++\ntitle = \"Mine\"\n+++\nMine.\n",
    )
    .unwrap();
    let again = wordpress(tmp.path(), &[]);
    again.assert_code(1);
    assert_eq!(
        again.stderr,
        "error: refusing to overwrite 11 existing files in site: authors/holly.toml, authors/sam.toml, authors/guest-writer.toml, content/posts/hello-welcome.md, data/comments/hello-welcome.json and 6 more\n  = help: import into a new folder (--into DIR), see the plan with --dry-run, or pass --force to overwrite them\n1 error\n"
    );
    assert!(support::read(&site, "content/about.md").contains("Mine."));
    // The existing site keeps its gen.toml, and --force overwrites.
    fs::write(
        site.join("gen.toml"),
        support::read(&site, "gen.toml").replace("Old Notes", "Kept"),
    )
    .unwrap();
    wordpress(tmp.path(), &["--force"]).assert_code(0);
    assert!(support::read(&site, "content/about.md").contains("We write about teams."));
    assert!(support::read(&site, "gen.toml").contains("title = \"Kept\""));
    checks_and_builds(&site);
}

#[test]
fn a_folder_with_other_files_is_refused() {
    let tmp = workdir("wordpress");
    fs::create_dir_all(tmp.path().join("site")).unwrap();
    fs::write(tmp.path().join("site/notes.txt"), "mine").unwrap();
    let r = wordpress(tmp.path(), &[]);
    r.assert_code(1);
    assert_eq!(
        r.first_line(),
        "error: refusing to import into site: the folder is not empty and holds no site (it holds notes.txt)"
    );
}

#[test]
fn malformed_export_is_an_error_with_its_line() {
    let tmp = workdir("wordpress");
    fs::write(
        tmp.path().join("bad.xml"),
        "<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<item><title>x</titel></item>\n</channel>\n</rss>\n",
    )
    .unwrap();
    let r = run(
        tmp.path(),
        &["import", "wordpress", "bad.xml", "--into", "site"],
    );
    r.assert_code(1);
    assert_eq!(
        r.first_line(),
        "error: bad.xml:4:15: the export is not well-formed XML: ill-formed document: expected `</title>`, but `</titel>` was found"
    );
    assert!(!tmp.path().join("site").exists());
    fs::write(
        tmp.path().join("cut.xml"),
        "<rss><channel><item><title>x</title>",
    )
    .unwrap();
    let r = run(
        tmp.path(),
        &["import", "wordpress", "cut.xml", "--into", "site"],
    );
    r.assert_code(1);
    assert_eq!(
        r.first_line(),
        "error: cut.xml:1:37: the export is not well-formed XML: the file ends inside <item> (it is cut short?)"
    );
    let r = run(
        tmp.path(),
        &["import", "wordpress", "nope.xml", "--into", "site"],
    );
    r.assert_code(1);
    assert_eq!(
        r.first_line(),
        "error: nope.xml: cannot read the file: No such file or directory (os error 2)"
    );
}

/// Imports the fixture site folder `kind` into `site` beside it.
fn folder(kind: &str) -> (tempfile::TempDir, Run) {
    let tmp = workdir(kind);
    let r = run(tmp.path(), &["import", kind, kind, "--into", "site"]);
    r.assert_code(0);
    (tmp, r)
}

#[test]
fn jekyll_site_imports_with_liquid_authors_and_dates() {
    let (tmp, r) = folder("jekyll");
    support::snapshot::assert_snapshot("import__jekyll_report", &r.stdout);
    let site = tmp.path().join("site");
    checks_and_builds(&site);
    let post = support::read(&site, "content/posts/first-post.md");
    assert!(
        post.contains("date = \"2020-01-15T10:30:00+02:00\""),
        "{post}"
    );
    assert!(post.contains("Read [the second](second.md)."), "{post}");
    assert!(post.contains("![Chart](/assets/img/chart.png)"), "{post}");
    assert!(post.contains("```ruby\nputs \"hi\"\n```"), "{post}");
    assert!(
        post.contains("{% include signup.html %}") && post.contains("{{ not liquid }}"),
        "{post}"
    );
    assert!(!post.contains("{: .wide}"), "{post}");
    let second = support::read(&site, "content/posts/second.md");
    assert!(
        second.contains("authors = [\"sam\", \"holly\"]"),
        "{second}"
    );
    assert!(second.contains("aliases = [\"/old/second/\"]"), "{second}");
    // `category` as one string, like `categories` as a list.
    assert!(second.contains("categories = [\"notes\"]"), "{second}");
    assert!(post.contains("categories = [\"essays\"]"), "{post}");
    // `guest: true` carried over from _data/authors.yml; _authors pages
    // give their body as the bio and a Mastodon URL as a handle.
    assert_eq!(
        support::read(&site, "authors/holly.toml"),
        "name = \"Holly Powell\"\nguest = true\n\n[social]\nx = \"hollyp\"\n"
    );
    assert_eq!(
        support::read(&site, "authors/ana.toml"),
        "name = \"Ana Lima\"\nbio = \"Ana writes about testing.\"\nguest = true\n\n[social]\nmastodon = \"@ana@mastodon.social\"\n"
    );
    assert!(second.contains("See [about](../about.md)."), "{second}");
    assert_eq!(
        support::read(&site, "authors/rui-costa.toml"),
        "name = \"Rui Costa\"\nguest = true\nwebsite = \"https://rui.example.net\"\n"
    );
    assert!(support::read(&site, "authors/sam.toml").contains("guest = false"));
    assert!(
        tmp.path()
            .join("out/2020/01/15/first-post/index.html")
            .is_file()
    );
    // Tag pages of jekyll-archives (its `permalinks`, only the kinds it has
    // `enabled`) redirect.
    assert!(
        support::read(&site, "gen.toml").ends_with(
            "[redirects]                 # the old site's URLs, kept working\ntags = \"/topics/:slug/\"\n"
        )
    );
    assert!(
        support::read(&tmp.path().join("out"), "_redirects")
            .contains("/topics/teams/ /tags/teams/ 301\n")
    );
    // Pictures and files the source lacks: listed, taken out, cover dropped.
    let guest = support::read(&site, "content/posts/guest.md");
    assert!(
        !guest.contains("image") && !guest.contains("lost.png"),
        "{guest}"
    );
    assert!(
        guest.contains("The slides are not in the source either."),
        "{guest}"
    );
}

#[test]
fn hugo_site_imports_with_shortcodes_bundles_and_profiles() {
    let (tmp, r) = folder("hugo");
    let site = tmp.path().join("site");
    // A picture the source names but does not hold is listed as missing,
    // and its link is taken out (the new site takes over the old address,
    // so the old site will not serve it): the result checks and builds.
    assert!(
        r.stdout
            .contains("missing: static/img/nothere.png (named by content/news/clash.md)\n"),
        "{}",
        r.stdout
    );
    checks_and_builds(&site);
    for line in [
        "  skipped  translation content/posts/2024/bundle-post/index.es.md: a translation (\"es\"): Byline has one language per site for now\n",
        "    warning: comment shortcode removed with what it hid: \"internal note\"\n",
        "    warning: unknown shortcode \"unknown-thing\" left as text\n",
        "  imported post content/posts/2024/bundle-post/index.md → content/posts/bundle-post/index.md, content/posts/bundle-post/cover.png\n",
        "permalinks: post = \"/:year/:month/:slug/\"\n",
        // One bad post is a skipped item with a warning; the rest imports.
        "  skipped  post content/posts/2024/latin1.md: not UTF-8 text: the byte at line 2, column 12 is not UTF-8\n    warning: not imported: convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then import it again\n",
        "read 17 items: 14 imported, 3 skipped; 5 with warnings\n",
        // A name clash: the post whose old URL the pattern keeps keeps its
        // slug, the other is renamed and redirects from its old URL.
        "  imported post content/news/clash.md → content/posts/clash-2.md\n    warning: vimeo shortcode converted\n    warning: tweet shortcode converted\n    warning: cover picture /img/missing-cover.png is not in the source: `image` left out\n    warning: /img/nothere.png is not in the source: link taken out (put the file at static/img/nothere.png and link it again)\n    warning: another post has the slug \"clash\": this one is \"clash-2\"\n",
        "  imported post content/posts/2022/clash.md → content/posts/clash.md\n",
        "missing: static/img/missing-cover.png (named by content/news/clash.md)\n",
    ] {
        assert!(r.stdout.contains(line), "{line} not in\n{}", r.stdout);
    }
    let post = support::read(&site, "content/posts/équipe-d-abord.md");
    // Curly-quoted arguments, the old urlized slug kept as an alias.
    assert!(
        post.contains("![Team photo](/img/team.png)\n\n*The team*"),
        "{post}"
    );
    assert!(
        post.contains("aliases = [\"/2024/05/équipe-d'abord/\", \"/old/toml-post/\"]"),
        "{post}"
    );
    assert!(
        post.contains("See [the YAML post](../posts/yaml-post.md). Works at Acme."),
        "{post}"
    );
    assert!(!post.contains("internal note"), "{post}");
    assert!(
        post.contains("updated = \"2024-05-03T00:00:00Z\""),
        "{post}"
    );
    let holly = support::read(&site, "authors/holly-powell.toml");
    assert_eq!(
        holly,
        "name = \"Holly Powell\"\nbio = \"Writes about teams.\"\nguest = true\nwebsite = \"https://holly.example\"\n\n[social]\nbluesky = \"holly.bsky.social\"\nmastodon = \"@holly@mastodon.social\"\nx = \"hollyp\"\n"
    );
    // A bundle's `images` (the first) is its cover, beside it.
    assert!(
        support::read(&site, "content/posts/bundle-post/index.md")
            .contains("image = \"cover.png\""),
    );
    let yaml = support::read(&site, "content/posts/yaml-post.md");
    assert!(
        yaml.contains("date = \"2024-06-01T00:00:00Z\"") && yaml.contains("draft = true"),
        "{yaml}"
    );
    // Author strings that are a Markdown link or hold a URL after a slash.
    assert_eq!(
        support::read(&site, "authors/rui-costa.toml"),
        "name = \"Rui Costa\"\nguest = true\nwebsite = \"https://rui.example.net\"\n"
    );
    assert_eq!(
        support::read(&site, "authors/dana-reyes.toml"),
        "name = \"Dana Reyes\"\nguest = true\nwebsite = \"https://dana.example\"\n"
    );
    // data/authors: GitHub and LinkedIn URLs become handles.
    assert_eq!(
        support::read(&site, "authors/sam.toml"),
        "name = \"Sam Okafor\"\nguest = true\n\n[social]\ngithub = \"samok\"\nlinkedin = \"in/samok\"\n"
    );
    let clash = support::read(&site, "content/posts/clash-2.md");
    assert!(clash.contains("aliases = [\"/news/clash/\"]"), "{clash}");
    assert!(!clash.contains("image"), "{clash}");
    assert!(
        clash.ends_with("[Vimeo video](https://vimeo.com/146022717) and [Post on X](https://x.com/SanDiegoZoo/status/1453110110599868418).\n"),
        "{clash}"
    );
    assert!(!clash.contains("nothere"), "{clash}");
    // Hugo's tag page keeps working where its urlized name differs, and an
    // author page of content/author/ (not Byline's /authors/) redirects.
    assert!(
        support::read(&site, "gen.toml").ends_with(
            "[redirects]                 # the old site's URLs, kept working\n\"/tags/c'est-la-vie/\" = \"/tags/c-est-la-vie/\"\n\"/author/ana-lima/\" = \"/authors/ana-lima/\"\n"
        )
    );
    // content/author/<slug>/_index.md (singular) is a profile too, its
    // `description` the bio; a post's `summary` is its description.
    assert_eq!(
        support::read(&site, "authors/ana-lima.toml"),
        "name = \"Ana Lima\"\nbio = \"Tests things for a living.\"\nguest = true\n\n[social]\ngithub = \"analima\"\n"
    );
    let json = support::read(&site, "content/posts/json-post.md");
    assert!(
        json.contains("authors = [\"holly-powell\", \"ana-lima\"]")
            && json.contains("description = \"A JSON one, summed up\"")
            // `url` is the old address: an alias.
            && json.contains("aliases = [\"/legacy/json-post.html\"]"),
        "{json}"
    );
    assert!(
        tmp.path().join("out/legacy/json-post.html").is_file(),
        "the redirect page of the old url"
    );
    // {{< highlight go >}} is a fenced block.
    assert!(support::read(&site, "content/posts/équipe-d-abord.md").contains("```go\nx := 1\n```"),);
    assert!(
        support::read(&tmp.path().join("out"), "_redirects")
            .contains("/tags/c'est-la-vie/ /tags/c-est-la-vie/ 301\n")
    );
    let gist = support::read(&site, "content/posts/équipe-d-abord.md");
    assert!(
        gist.contains("[YouTube video](https://www.youtube.com/watch?v=dQw4w9WgXcQ) and [Gist](https://gist.github.com/spf13/7896402)."),
        "{gist}"
    );
    assert!(
        support::read(&site, "content/posts/nested.md")
            .contains("aliases = [\"/en/blog/nested/\"]")
    );
    assert!(
        tmp.path()
            .join("out/2024/05/équipe-d-abord/index.html")
            .is_file()
    );
}

#[test]
fn zola_site_imports_with_paths_and_internal_links() {
    let (tmp, r) = folder("zola");
    let site = tmp.path().join("site");
    checks_and_builds(&site);
    assert!(r.stdout.contains("  skipped  section content/blog/_index.md: a section's list page (Byline's theme lists posts itself)\n"), "{}", r.stdout);
    let first = support::read(&site, "content/posts/first.md");
    assert!(
        first.contains("Link to [second](../posts/second.md#part)."),
        "{first}"
    );
    assert!(first.contains("```rust\nfn main() {}\n```"), "{first}");
    let second = support::read(&site, "content/posts/second.md");
    assert!(second.contains("authors = [\"sam-okafor\"]"), "{second}");
    assert!(
        second.contains("aliases = [\"/2021/06/01/second-post/\"]"),
        "{second}"
    );
    assert!(support::read(&site, "gen.toml").contains("post = \"/blog/:slug/\""));
    // Zola's tag page is at its ASCII slug (`[slugify] taxonomies = "on"`):
    // it redirects where that is not Byline's; the author page is the same.
    assert!(
        support::read(&site, "gen.toml").ends_with(
            "[redirects]                 # the old site's URLs, kept working\n\"/tags/cafe/\" = \"/tags/café/\"\n"
        )
    );
    assert!(
        support::read(&tmp.path().join("out"), "_redirects")
            .contains("/tags/cafe/ /tags/caf%C3%A9/ 301\n")
    );
    // No date but the one its `path` holds: a post of that date, the path
    // an alias.
    assert!(
        r.stdout.contains("  imported post content/blog/third.md → content/posts/third.md\n    warning: date taken from the `path`\n    warning: no author: credited to the site's author \"Zoe Admin\" (from its config)\n"),
        "{}",
        r.stdout
    );
    let third = support::read(&site, "content/posts/third.md");
    assert!(
        third.contains("date = \"2021-07-04T00:00:00Z\"\nauthors = [\"zoe-admin\"]\naliases = [\"/2021/07/04/third-post/\"]"),
        "{third}"
    );
    // A missing picture and cover: listed, taken out, `image` left out.
    for line in [
        "    warning: cover picture /img/cover-gone.png is not in the source: `image` left out\n    warning: /img/lost.png is not in the source: link taken out (put the file at static/img/lost.png and link it again)\n",
        "missing: static/img/cover-gone.png (named by content/blog/second.md)\n",
        "missing: static/img/lost.png (named by content/blog/second.md)\n",
    ] {
        assert!(r.stdout.contains(line), "{line} not in\n{}", r.stdout);
    }
    assert!(
        !second.contains("image") && !second.contains("lost.png"),
        "{second}"
    );
    assert!(tmp.path().join("out/blog/first/index.html").is_file());
    assert!(
        tmp.path()
            .join("out/2021/06/01/second-post/index.html")
            .is_file()
    );
}

#[test]
fn a_folder_that_is_no_site_of_that_kind_is_an_error() {
    let tmp = workdir("zola");
    let r = run(tmp.path(), &["import", "jekyll", "zola", "--into", "site"]);
    r.assert_code(1);
    assert_eq!(
        r.first_line(),
        "error: zola: not a Jekyll site: no _config.yml and no _posts/"
    );
}

#[test]
fn wordpress_statuses_dates_and_pictures_without_media() {
    let tmp = workdir("wordpress");
    let r = run(
        tmp.path(),
        &[
            "import",
            "wordpress",
            "wordpress/quirks.xml",
            "--into",
            "site",
        ],
    );
    r.assert_code(0);
    for line in [
        "  imported post item 30 \"Future plans\" → content/posts/future-plans.md\n    warning: [video] shortcode converted to HTML\n    warning: cover picture https://old.example.com/wp-content/uploads/2030/01/plan.png is not in the export (give --media, the uploads folder, to copy it): `image` left out\n    warning: https://old.example.com/wp-content/uploads/2030/01/clip.mp4 is not in the export (give --media, the uploads folder, to copy it): link taken out (put the file at static/wp-content/uploads/2030/01/clip.mp4 and link it again)\n",
        "    warning: status \"private\": imported with draft = true\n",
        "    warning: status \"draft\": imported with draft = true\n    warning: no date (a draft never published): used its last-modified date\n",
        "  skipped  post item 32 \"Broken date\": no date WordPress wrote can be read (wp:post_date, wp:post_modified)\n",
        "  skipped  product item 35 \"A product\": post type \"product\" is not imported (only posts and pages)\n",
        "missing: /wp-content/uploads/2030/01/plan.png (named by item 30 \"Future plans\")\n",
        "missing: /wp-content/uploads/2030/01/clip.mp4 (named by item 30 \"Future plans\")\n",
        "note: WordPress exports do not say who is staff: every author is a guest (mark staff with --staff LOGIN,…)\n",
        "read 9 items: 5 imported, 4 skipped; 3 with warnings\n",
    ] {
        assert!(r.stdout.contains(line), "{line} not in\n{}", r.stdout);
    }
    let site = tmp.path().join("site");
    // A scheduled post keeps its date and is not a draft; the featured image
    // that was not copied is left out rather than linked.
    let future = support::read(&site, "content/posts/future-plans.md");
    assert!(
        future.starts_with(
            "+++\ntitle = \"Future plans\"\ndate = \"2030-01-01T09:00:00Z\"\nauthors = [\"alice\"]\n+++\n"
        ),
        "{future}"
    );
    assert!(
        future.contains("<video controls=\"\"></video>\n\nhttps://old.example.com/wp-content/uploads/2030/01/clip.mp4\n"),
        "{future}"
    );
    // A gallery without ids shows the pictures attached to its post (here
    // missing, so taken out, as the report says).
    assert!(
        r.stdout.contains("    warning: [gallery] shortcode converted to HTML\n    warning: https://old.example.com/wp-content/uploads/2020/02/beach.jpg is not in the export (give --media, the uploads folder, to copy it): link taken out (put the file at static/wp-content/uploads/2020/02/beach.jpg and link it again)\n"),
        "{}",
        r.stdout
    );
    let private = support::read(&site, "content/posts/private-thoughts.md");
    assert!(private.contains("draft = true"), "{private}");
    assert!(!private.contains("beach.jpg"), "{private}");
    assert!(!private.contains("wp:gallery"), "{private}");
    // A `?p=33` shortlink is not kept as an alias.
    let short = support::read(&site, "content/posts/short-link.md");
    assert!(!short.contains("aliases"), "{short}");
    assert!(support::read(&site, "content/posts/never-published.md").contains("draft = true"));
    assert_eq!(
        support::read(&site, "authors/alice.toml"),
        "name = \"Alice Ng\"\nguest = true\n"
    );
    // With every upload missing, the result checks and builds.
    checks_and_builds(&site);
    let build = run(&site, &["build", "--drafts", "-o", "../out"]);
    build.assert_code(0);
    assert!(
        tmp.path()
            .join("out/2020/04/04/short-link/index.html")
            .is_file()
    );
}

#[test]
fn importing_into_an_existing_site_keeps_its_permalinks_and_makes_aliases() {
    let tmp = workdir("wordpress");
    run(tmp.path(), &["init", "site", "--title", "Mine"]).assert_code(0);
    let site = tmp.path().join("site");
    // The export has an about page too: the site's own gives way.
    fs::remove_file(site.join("content/about.md")).unwrap();
    let before = support::read(&site, "gen.toml");
    let r = wordpress(tmp.path(), &[]);
    r.assert_code(0);
    assert!(
        r.stdout.contains("note: the old post URLs follow \"/:year/:month/:day/:slug/\"; the site's [permalinks] post = \"/posts/:slug/\" is kept, so old URLs become aliases\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("note: the site's gen.toml is kept: to keep the old author, category and tag URLs working, add to its [redirects]: authors = \"/author/:slug/\"; categories = \"/category/:slug/\"; tags = \"/tag/:slug/\"; \"/tag/rituals-of-teams/\" = \"/tags/team-rituals/\"\n"),
        "{}",
        r.stdout
    );
    assert_eq!(support::read(&site, "gen.toml"), before);
    let post = support::read(&site, "content/posts/hello-welcome.md");
    assert!(
        post.contains("aliases = [\"/2019/03/04/hello-welcome/\"]"),
        "{post}"
    );
    checks_and_builds(&site);
    let out = tmp.path().join("out");
    assert!(out.join("posts/hello-welcome/index.html").is_file());
    let redirect = support::read(&out, "2019/03/04/hello-welcome/index.html");
    assert!(redirect.contains("/posts/hello-welcome/"), "{redirect}");
}

#[test]
fn missing_pictures_link_to_the_old_site_while_it_keeps_its_address() {
    // The site imported into has an address of its own, so the old site
    // stays where it is and still serves what the source folder lacks.
    let tmp = workdir("zola");
    run(tmp.path(), &["init", "site", "--title", "Mine"]).assert_code(0);
    let site = tmp.path().join("site");
    fs::remove_file(site.join("content/about.md")).unwrap();
    let r = run(tmp.path(), &["import", "zola", "zola", "--into", "site"]);
    r.assert_code(0);
    assert!(
        r.stdout.contains("    warning: /img/lost.png is not in the source: linked on the old site as https://zola.example.com/img/lost.png\n"),
        "{}",
        r.stdout
    );
    let second = support::read(&site, "content/posts/second.md");
    assert!(
        second.contains("![Lost](https://zola.example.com/img/lost.png)"),
        "{second}"
    );
    // A cover is a file of the site: still left out.
    assert!(!second.contains("image ="), "{second}");
    checks_and_builds(&site);
}

#[test]
fn staff_logins_that_match_no_author_are_noted() {
    let tmp = workdir("wordpress");
    let r = run(
        tmp.path(),
        &[
            "import",
            "wordpress",
            "wordpress/basic.xml",
            "--staff",
            "sam,Ghost",
            "--into",
            "site",
            "--dry-run",
            "--report",
            "json",
        ],
    );
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["notes"],
        serde_json::json!([
            "WordPress exports do not say who is staff: sam staff (--staff), every other author a guest",
            "--staff ghost: no author has this login (a wp:author_login of the export)"
        ])
    );
}
