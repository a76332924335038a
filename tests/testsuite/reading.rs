//! Posts read the way their authors wrote them (issue: real posts from other
//! generators), and the clock a build can be given (`SOURCE_DATE_EPOCH`).

use crate::support::*;

/// Runs `gen -r <root> ARGS…` with extra environment variables.
fn run_env(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut full: Vec<&str> = vec!["-r", site.root.to_str().unwrap()];
    full.extend_from_slice(args);
    gen_in_env(site.tmp.path(), &full, env)
}

#[test]
fn source_date_epoch_is_the_builds_now() {
    let site = fixture("basic");
    // 2100-01-01T00:00:00Z: the fixture's 2099 post is no longer in the future.
    run_env(&site, &["build"], &[("SOURCE_DATE_EPOCH", "4102444800")]).assert_code(0);
    assert!(
        site.public()
            .join("posts/from-the-future/index.html")
            .is_file()
    );
    // 2024-03-01T00:00:00Z: posts dated after it are left out.
    run_env(&site, &["build"], &[("SOURCE_DATE_EPOCH", "1709251200")]).assert_code(0);
    assert!(site.public().join("posts/staff-intro/index.html").is_file());
    assert!(!site.public().join("posts/yaml-post/index.html").exists());
    assert!(
        !site
            .public()
            .join("posts/from-the-future/index.html")
            .exists()
    );
}

#[test]
fn invalid_source_date_epoch_is_an_error() {
    let site = fixture("basic");
    for value in ["yesterday", "-5", "1.5"] {
        let run = run_env(&site, &["check"], &[("SOURCE_DATE_EPOCH", value)]);
        run.assert_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, got \"{value}\"\n  = help: set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it to use the clock\n1 error\n"
            )
        );
    }
    // Empty is unset.
    run_env(&site, &["check"], &[("SOURCE_DATE_EPOCH", "")]).assert_code(0);
}

/// Regression: `.markdown` files (Jekyll's default extension) were skipped
/// without a word.
#[test]
fn markdown_extension_is_read_like_md() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-02-from-jekyll.markdown",
        "---\ntitle: From Jekyll\ndate: 2024-05-02\nauthor: ada-staff\n---\n\nSee [the bundle](moved/index.markdown) and [the page](../colophon.markdown).\n",
    );
    site.write(
        "content/posts/moved/index.markdown",
        "---\ntitle: Moved in\ndate: 2024-05-03\nauthor: ada-staff\n---\n\n![a picture](pic.png)\n",
    );
    // A real picture: one that cannot be decoded is an error at its line.
    let png =
        std::fs::read(fixtures_dir().join("basic/content/posts/bundle-post/cover.png")).unwrap();
    site.write("content/posts/moved/pic.png", png);
    site.write(
        "content/colophon.markdown",
        "---\ntitle: Colophon\n---\n\nMade with care.\n",
    );
    site.build_ok(&[]);
    let post = read(&site.public(), "posts/from-jekyll/index.html");
    assert!(
        post.contains(&format!("href=\"{BASE}/posts/moved/\"")),
        "{post}"
    );
    assert!(
        post.contains(&format!("href=\"{BASE}/colophon/\"")),
        "{post}"
    );
    assert!(site.public().join("posts/moved/pic.png").is_file());
    assert!(!site.public().join("posts/moved/index.markdown").exists());
    assert!(read(&site.public(), "colophon/index.html").contains("Made with care."));
}

/// Regression: a blank line (or a byte order mark) before the opening fence gave
/// "missing front matter".
#[test]
fn blank_lines_and_bom_before_front_matter() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-02-blank-first.md",
        "\n\n---\ntitle: Blank first\ndate: 2024-05-02\nauthor: ada-staff\n---\n\nHello.\n",
    );
    site.write(
        "content/posts/2024-05-03-bom.md",
        "\u{feff}+++\ntitle = \"With a BOM\"\ndate = 2024-05-03\nauthors = [\"ada-staff\"]\n+++\n\nHello.\n",
    );
    site.build_ok(&[]);
    assert!(site.public().join("posts/blank-first/index.html").is_file());
    assert!(site.public().join("posts/bom/index.html").is_file());

    // Line numbers stay those of the file.
    site.write(
        "content/posts/2024-05-02-blank-first.md",
        "\n\n---\ntitle: Blank first\ndate: 2024-05-02\nauthor: nobody\n---\n\nHello [x](gone.md).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2024-05-02-blank-first.md:6:9: unknown author \"nobody\"",
            "error: content/posts/2024-05-02-blank-first.md:9:7: link to content/posts/gone.md which is not a published post or page",
        ],
        "{}",
        run.stderr
    );
}

/// A post without `date` takes it from a file (or folder) name that starts with
/// one, as Jekyll and Zola do.
#[test]
fn date_from_the_file_name() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-02-undated.md",
        "---\ntitle: Undated\nauthor: ada-staff\n---\n\nHello.\n",
    );
    site.write(
        "content/posts/2024-05-04-undated-bundle/index.md",
        "+++\ntitle = \"Undated bundle\"\nauthors = [\"ada-staff\"]\n+++\n\nHello.\n",
    );
    site.build_ok(&[]);
    let post = read(&site.public(), "posts/undated/index.html");
    assert!(post.contains("datetime=\"2024-05-02"), "{post}");
    let bundle = read(&site.public(), "posts/undated-bundle/index.html");
    assert!(bundle.contains("datetime=\"2024-05-04"), "{bundle}");

    // Neither a date nor a dated name: an error, as before.
    site.write(
        "content/posts/undated.md",
        "+++\ntitle = \"Undated\"\nauthors = [\"ada-staff\"]\n+++\n\nHello.\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: content/posts/undated.md:2:1: missing `date`\n  |\n2 | title = \"Undated\"\n  | ^\n  = help: add the publication date, e.g. `date = 2024-05-01`, or start the file name with it: 2024-05-01-name.md\n1 error\n"
    );
}

/// Regression: `author:` as a YAML list was "invalid type: sequence"; a single
/// string under `authors` was refused too.
#[test]
fn author_and_authors_take_a_string_or_a_list() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-05-02-list-author.md",
        "---\ntitle: List author\ndate: 2024-05-02\nauthor:\n  - gus-guest\n  - ada-staff\n---\n\nHello.\n",
    );
    site.write(
        "content/posts/2024-05-03-string-authors.md",
        "+++\ntitle = \"String authors\"\ndate = 2024-05-03\nauthors = \"gina-guest\"\nauthor = \"gina-guest\"\n+++\n\nHello.\n",
    );
    site.build_ok(&[]);
    let feed = read(&site.public(), "authors/ada-staff/rss.xml");
    assert!(feed.contains("List author"), "{feed}");
    let feed = read(&site.public(), "authors/gus-guest/rss.xml");
    assert!(feed.contains("List author"), "{feed}");
    let page = read(&site.public(), "posts/string-authors/index.html");
    assert!(page.contains("Gina"), "{page}");

    site.write(
        "content/posts/2024-05-03-string-authors.md",
        "+++\ntitle = \"String authors\"\ndate = 2024-05-03\nauthors = 7\n+++\n\nHello.\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        "error: content/posts/2024-05-03-string-authors.md:4:11: wrong type for `authors`: expected an author slug or a list of author slugs, found the number 7"
    );
}

/// Author slugs follow the rules of post slugs; two that differ only in case
/// are not two people.
#[test]
fn author_slugs_follow_post_slug_rules() {
    let site = fixture("basic");
    site.write("authors/DirtyF.toml", "name = \"Frank\"\n");
    site.write(
        "content/posts/2024-05-02-by-frank.md",
        "---\ntitle: By Frank\ndate: 2024-05-02\nauthor: DirtyF\n---\n\nHello.\n",
    );
    site.build_ok(&[]);
    assert!(site.public().join("authors/DirtyF/index.html").is_file());

    site.write("authors/dirtyf.toml", "name = \"Frank again\"\n");
    let run = site.run(&["check"]);
    run.assert_code(1);
    // The one error; the output paths that would collide are warned about too.
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: authors/dirtyf.toml: the author slugs \"DirtyF\" and \"dirtyf\" differ only in case (authors/DirtyF.toml and authors/dirtyf.toml)"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: authors/dirtyf.toml: the author slugs \"DirtyF\" and \"dirtyf\" differ only in case (authors/DirtyF.toml and authors/dirtyf.toml)\n  = help: keep one profile per person: merge this file into authors/DirtyF.toml and name that slug in posts, or rename one of the files\n"),
        "{}",
        run.stderr
    );
}
