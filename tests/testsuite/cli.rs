//! The command line: `gen init`, `gen new post`, `gen new author`, and exit code 2
//! for usage errors.

use std::fs;
use std::path::Path;

use crate::support::*;

fn empty_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("byline-cli-")
        .tempdir()
        .unwrap()
}

fn rss_links(path: &Path) -> Vec<String> {
    let bytes = fs::read(path).unwrap();
    rss::Channel::read_from(&bytes[..])
        .unwrap()
        .items()
        .iter()
        .map(|i| i.link().unwrap().to_string())
        .collect()
}

#[test]
fn init_then_build_gives_a_working_site() {
    let tmp = empty_dir();
    let run = gen_in(tmp.path(), &["init", "my-blog"]);
    run.assert_code(0);
    let root = tmp.path().join("my-blog");
    for f in [
        "gen.toml",
        "authors/editor.toml",
        "content/about.md",
        "CONTRIBUTING.md",
        ".github/workflows/pr.yml",
        ".gitignore",
    ] {
        assert!(root.join(f).is_file(), "gen init did not write {f}");
    }
    let posts: Vec<_> = fs::read_dir(root.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(posts[0].ends_with("-hello-world.md"), "{posts:?}");

    let run = gen_in(tmp.path(), &["build", "-r", "my-blog"]);
    run.assert_code(0);
    assert!(run.headlines().is_empty(), "warnings: {}", run.stderr);
    let out = root.join("public");
    for f in [
        "index.html",
        "posts/hello-world/index.html",
        "about/index.html",
        "authors/index.html",
        "authors/editor/index.html",
        "authors/editor/rss.xml",
        "rss.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(out.join(f).is_file(), "the new site lacks {f}");
    }
    assert_eq!(
        rss_links(&out.join("rss.xml")),
        ["https://blog.example.org/posts/hello-world/"]
    );
    let post = read(&out, "posts/hello-world/index.html");
    assert!(post.contains("By <a href=\"https://blog.example.org/authors/editor/\""));
}

#[test]
fn init_without_a_folder_uses_the_root() {
    let tmp = empty_dir();
    let root = tmp.path().join("site");
    fs::create_dir(&root).unwrap();
    gen_in(&root, &["init"]).assert_code(0);
    assert!(root.join("gen.toml").is_file());
    let title = fs::read_to_string(root.join("gen.toml")).unwrap();
    assert!(title.starts_with("title = \"site\""), "{title}");
    gen_in(tmp.path(), &["-r", "site", "build"]).assert_code(0);
    assert!(root.join("public/posts/hello-world/index.html").is_file());
}

#[test]
fn init_refuses_to_overwrite_a_site() {
    let site = fixture("basic");
    let before = site.read("gen.toml");
    let run = gen_in(site.tmp.path(), &["init", "site"]);
    run.assert_code(1);
    assert!(
        run.first_line().contains("a site already exists here"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("gen.toml"), before);
}

#[test]
fn new_author_and_new_post_build() {
    let site = fixture("basic");
    site.run(&[
        "new",
        "author",
        "holly-powell",
        "--name",
        "Holly \"H\" Powell",
    ])
    .assert_code(0);
    assert!(site.path("authors/holly-powell.toml").is_file());
    site.run(&[
        "new",
        "post",
        "Notes: from the field",
        "--author",
        "holly-powell",
    ])
    .assert_code(0);
    let posts: Vec<String> = fs::read_dir(site.path("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-notes-from-the-field.md"))
        .collect();
    assert_eq!(posts.len(), 1);

    let run = site.build_ok(&[]);
    assert!(run.headlines().is_empty(), "warnings: {}", run.stderr);
    let out = site.public();
    let html = read(&out, "posts/notes-from-the-field/index.html");
    assert!(html.contains(
        "<h1 class=\"post-title p-name\" data-pagefind-meta=\"title\">Notes: from the field</h1>"
    ));
    // New authors are guests unless --staff.
    assert!(html.contains(&format!(
        "Guest post by <a href=\"{BASE}/authors/holly-powell/\" rel=\"author\">Holly &quot;H&quot; Powell</a>"
    )));
    assert_eq!(
        rss_links(&out.join("authors/holly-powell/rss.xml")),
        [post_url(BASE, "notes-from-the-field")]
    );
    // The newest post leads the site feed.
    assert_eq!(
        rss_links(&out.join("rss.xml"))[0],
        post_url(BASE, "notes-from-the-field")
    );
}

#[test]
fn new_staff_author_is_not_a_guest() {
    let site = fixture("basic");
    site.run(&["new", "author", "pat", "--name", "Pat", "--staff"])
        .assert_code(0);
    site.run(&["new", "post", "Staff news", "--author", "pat"])
        .assert_code(0);
    site.build_ok(&[]);
    let html = read(&site.public(), "posts/staff-news/index.html");
    assert!(!html.contains("Guest post by"));
    assert!(html.contains(&format!(
        "By <a href=\"{BASE}/authors/pat/\" rel=\"author\">Pat</a>"
    )));
}

#[test]
fn new_post_with_guest_flag_creates_the_profile() {
    let site = fixture("basic");
    site.run(&[
        "new",
        "post",
        "First words",
        "--author",
        "new-face",
        "--guest",
    ])
    .assert_code(0);
    assert!(site.path("authors/new-face.toml").is_file());
    site.build_ok(&[]);
    let html = read(&site.public(), "posts/first-words/index.html");
    assert!(html.contains("Guest post by"));
    assert!(site.public().join("authors/new-face/rss.xml").is_file());
}

/// Regression: `gen new post` wrote today's local date, which means midnight UTC;
/// east of UTC that is still in the future, so the new post was silently left out
/// of the build. The clock is fixed (`SOURCE_DATE_EPOCH`) at 12:00 UTC, when the
/// local date at UTC+14 is already the next day: the bug shows whatever the hour
/// the test runs at.
#[test]
fn new_post_east_of_utc_is_not_future_dated() {
    // 2026-05-01T12:00:00Z.
    const NOON_UTC: &str = "1777636800";
    for tz in ["Etc/GMT-14", "Etc/GMT+12", "UTC"] {
        let site = fixture("basic");
        let env = [("TZ", tz), ("SOURCE_DATE_EPOCH", NOON_UTC)];
        let root = site.root.to_str().unwrap();
        let run = gen_in_env(
            site.tmp.path(),
            &[
                "-r",
                root,
                "new",
                "post",
                "Fresh off the press",
                "--author",
                "gus-guest",
            ],
            &env,
        );
        run.assert_code(0);
        let day = if tz == "Etc/GMT-14" {
            "2026-05-02"
        } else {
            "2026-05-01"
        };
        let written = site.read(&format!("content/posts/{day}-fresh-off-the-press.md"));
        assert!(written.contains("\ndate = 2026-05-0"), "{written}");
        gen_in_env(site.tmp.path(), &["-r", root, "build"], &env).assert_code(0);
        assert!(
            site.public()
                .join("posts/fresh-off-the-press/index.html")
                .is_file(),
            "TZ={tz}: the new post is missing from the build"
        );
    }
    // The same for the first post of `gen init`.
    let tmp = empty_dir();
    let env = [("TZ", "Etc/GMT-14"), ("SOURCE_DATE_EPOCH", NOON_UTC)];
    gen_in_env(tmp.path(), &["init", "blog"], &env).assert_code(0);
    gen_in_env(tmp.path(), &["-r", "blog", "build"], &env).assert_code(0);
    assert!(
        tmp.path()
            .join("blog/public/posts/hello-world/index.html")
            .is_file()
    );
}

#[test]
fn new_post_for_an_unknown_author_fails() {
    let site = fixture("basic");
    let before = list_files(&site.root);
    let run = site.run(&["new", "post", "Hello", "--author", "nobody"]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        "error: authors/nobody.toml: unknown author \"nobody\""
    );
    assert_eq!(list_files(&site.root), before, "files were written");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = fixture("basic");
    let before = site.read("authors/gus-guest.toml");
    let run = site.run(&["new", "author", "gus-guest", "--name", "Someone Else"]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        "error: authors/gus-guest.toml: the file already exists"
    );
    assert_eq!(site.read("authors/gus-guest.toml"), before);

    site.run(&["new", "post", "Twice", "--author", "ada-staff"])
        .assert_code(0);
    let run = site.run(&["new", "post", "Twice", "--author", "ada-staff"]);
    run.assert_code(1);
    assert!(
        run.first_line()
            .ends_with("-twice.md: a post with the slug \"twice\" already exists"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let site = fixture("basic");
    let before = list_files(&site.root);
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["build", "--bogus"][..],
        &["build", "--output"][..],
        &["build", "extra-argument"][..],
        &["new"][..],
        &["new", "post", "No author"][..],
        &["new", "author", "Bad Slug", "--name", "X"][..],
        &["new", "author", "ok-slug"][..],
        &["new", "post", "!!!", "--author", "ada-staff"][..],
        &["--color", "sometimes", "build"][..],
        &["-q", "-v", "build"][..],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, Some(2), "gen {args:?}\n{}", run.stderr);
        run.assert_no_panic();
        assert!(!run.stderr.trim().is_empty(), "gen {args:?}: no message");
    }
    assert_eq!(list_files(&site.root), before, "a usage error wrote files");
}

#[test]
fn help_and_version_exit_with_0() {
    let tmp = empty_dir();
    let run = gen_in(tmp.path(), &["--version"]);
    run.assert_code(0);
    assert!(run.stdout.starts_with("gen "), "{}", run.stdout);
    for args in [
        &["--help"][..],
        &["build", "--help"][..],
        &["new", "post", "--help"][..],
    ] {
        let run = gen_in(tmp.path(), args);
        run.assert_code(0);
        assert!(run.stdout.contains("Usage: gen"), "{}", run.stdout);
    }
}

#[test]
fn build_outside_a_site_names_the_missing_config() {
    let tmp = empty_dir();
    let run = gen_in(tmp.path(), &["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    run.assert_no_panic();
    assert!(
        run.first_line()
            .starts_with("error: gen.toml: cannot read gen.toml"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("public").exists());
}

/// Regression: a bad `--base-url` was reported as an error in gen.toml (exit 1),
/// pointing at the config's own, valid `base_url` line.
#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let site = fixture("basic");
    for bad in ["notaurl", "ftp://x.example", "https://", "https:///path"] {
        let run = site.run(&["build", "--base-url", bad]);
        assert_eq!(run.code, Some(2), "--base-url {bad}\n{}", run.stderr);
        run.assert_no_panic();
        assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
        assert!(!run.stderr.contains("gen.toml"), "{}", run.stderr);
    }
    assert!(!site.public().exists());
    site.build_ok(&["--base-url", "http://localhost:8080/pr-1/"]);
}
