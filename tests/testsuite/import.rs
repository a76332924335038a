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
    let config = support::read(&site, "gen.toml");
    assert!(
        config.contains("post = \"/:year/:month/:day/:slug/\""),
        "{config}"
    );
    assert!(
        config.contains("base_url = \"https://old.example.com\""),
        "{config}"
    );
    // The old URL of each post is its new one.
    let out = tmp.path().join("out");
    assert!(out.join("2019/03/04/hello-welcome/index.html").is_file());
    assert!(out.join("2019/04/02/café-notes/index.html").is_file());
    assert!(out.join("about/index.html").is_file());
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
