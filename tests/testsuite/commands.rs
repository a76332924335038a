//! What `gen init`, `gen new`, `gen check PATH…`, `gen build -v` and `gen serve`
//! do through the real binary: nothing overwritten, nothing of the example site
//! in a new site, paths that are not in the site refused, and the stages of a
//! build reported.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::*;

/// A temporary folder to run `gen` in.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("byline-test-")
        .tempdir()
        .unwrap()
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn init_writes_a_site_of_its_own_that_builds() {
    let tmp = scratch();
    let run = gen_in(
        tmp.path(),
        &[
            "init",
            "blog",
            "--title",
            "Acme Notes",
            "--base-url",
            "https://notes.acme.test",
        ],
    );
    run.assert_code(0);
    let site = tmp.path().join("blog");
    let guide = read(&site.join("CONTRIBUTING.md"));
    let pr = read(&site.join(".github/workflows/pr.yml"));
    let publish = read(&site.join(".github/workflows/publish.yml"));
    assert!(guide.starts_with("# Writing a guest post for Acme Notes\n"));
    assert!(guide.contains("`https://notes.acme.test/posts/my-first-post/`"));
    // The write page, for guests who have never used git.
    assert!(guide.contains("the site has a page `https://notes.acme.test/write/` where you write"));
    for text in [&guide, &pr, &publish, &read(&site.join("gen.toml"))] {
        for example in [
            "Hallway Track",
            "fieldnotes",
            "git.example.org",
            "Practices",
        ] {
            assert!(!text.contains(example), "{example} in:\n{text}");
        }
    }
    // The publish workflow also runs every day, for posts dated in the future.
    assert!(publish.contains("  schedule:\n    # Every day at 00:15 UTC."));
    assert!(publish.contains("- cron: \"15 0 * * *\""));
    let config = read(&site.join("gen.toml"));
    assert!(config.starts_with("title = \"Acme Notes\"\nbase_url = \"https://notes.acme.test\"\n"));
    gen_in(&site, &["build"]).assert_code(0);
    gen_in(&site, &["check"]).assert_code(0);
}

#[test]
fn init_refuses_a_folder_that_holds_files() {
    let tmp = scratch();
    let dir = tmp.path().join("repo");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let run = gen_in(tmp.path(), &["init", "repo"]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        "error: refusing to create a site in ./repo: the folder is not empty (it holds notes.txt)"
    );
    assert!(run.stderr.contains(
        "help: choose a new or empty folder (`gen init my-blog`), or pass --force to add the \
         site's files beside them (no existing file is overwritten)"
    ));
    let names: Vec<_> = fs::read_dir(&dir).unwrap().collect();
    assert_eq!(names.len(), 1, "init wrote into the folder");
}

#[test]
fn init_with_force_adds_only_missing_files() {
    let tmp = scratch();
    let dir = tmp.path().join("repo");
    fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    fs::write(dir.join("CONTRIBUTING.md"), "our own guide").unwrap();
    fs::write(dir.join(".github/workflows/pr.yml"), "our own CI").unwrap();
    fs::write(dir.join("README.md"), "readme").unwrap();
    let run = gen_in(tmp.path(), &["init", "repo", "--force"]);
    run.assert_code(0);
    assert_eq!(
        run.first_line(),
        "warning: kept the existing CONTRIBUTING.md, .github/workflows/pr.yml (not \
         overwritten); compare with what gen init writes"
    );
    assert_eq!(read(&dir.join("CONTRIBUTING.md")), "our own guide");
    assert_eq!(read(&dir.join(".github/workflows/pr.yml")), "our own CI");
    assert_eq!(read(&dir.join("README.md")), "readme");
    assert!(dir.join("gen.toml").is_file());
    assert!(dir.join(".github/workflows/publish.yml").is_file());
}

#[test]
fn init_never_replaces_a_site_even_with_force() {
    let tmp = scratch();
    gen_in(tmp.path(), &["init", "blog"]).assert_code(0);
    let site = tmp.path().join("blog");
    fs::write(site.join("gen.toml"), "title = \"Mine\"\n").unwrap();
    let run = gen_in(tmp.path(), &["init", "blog", "--force"]);
    run.assert_code(1);
    assert!(run.first_line().ends_with("a site already exists here"));
    assert_eq!(read(&site.join("gen.toml")), "title = \"Mine\"\n");
}

#[test]
fn init_uses_a_folder_that_holds_only_git() {
    let tmp = scratch();
    fs::create_dir_all(tmp.path().join("blog/.git")).unwrap();
    fs::write(tmp.path().join("blog/.git/HEAD"), "ref").unwrap();
    gen_in(tmp.path(), &["init", "blog"]).assert_code(0);
    assert!(tmp.path().join("blog/gen.toml").is_file());
    assert_eq!(read(&tmp.path().join("blog/.git/HEAD")), "ref");
}

/// A new site made by `gen init` in a temporary folder.
fn new_site() -> Site {
    let tmp = scratch();
    gen_in(tmp.path(), &["init", "site"]).assert_code(0);
    let root = tmp.path().join("site");
    Site { tmp, root }
}

#[test]
fn new_never_overwrites_a_file() {
    let site = new_site();
    site.run(&["new", "author", "holly", "--name", "Holly"])
        .assert_code(0);
    site.write("authors/holly.toml", "name = \"Holly, edited\"\n");
    let again = site.run(&["new", "author", "holly", "--name", "Other"]);
    again.assert_code(1);
    assert_eq!(
        again.first_line(),
        "error: authors/holly.toml: the file already exists"
    );
    assert_eq!(
        site.read("authors/holly.toml"),
        "name = \"Holly, edited\"\n"
    );

    site.run(&["new", "post", "Hello again", "--author", "holly"])
        .assert_code(0);
    let posts = site.path("content/posts");
    let post = fs::read_dir(&posts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-hello-again.md"))
        .expect("the new post");
    fs::write(&post, "my draft").unwrap();
    // The same title again, as a file or a folder post: the slug is taken.
    for extra in [&[][..], &["--bundle"][..]] {
        let mut args = vec!["new", "post", "Hello, again!", "--author", "holly"];
        args.extend_from_slice(extra);
        let run = site.run(&args);
        run.assert_code(1);
        assert!(
            run.first_line()
                .ends_with("a post with the slug \"hello-again\" already exists"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(read(&post), "my draft");
    // --guest does not replace an existing profile.
    site.run(&["new", "post", "Third", "--author", "holly", "--guest"])
        .assert_code(0);
    assert_eq!(
        site.read("authors/holly.toml"),
        "name = \"Holly, edited\"\n"
    );
}

#[test]
fn new_post_with_co_authors_as_a_yaml_draft_bundle_builds() {
    let site = new_site();
    let run = site.run(&[
        "new",
        "post",
        "Notes from the Road",
        "--author",
        "editor",
        "--author",
        "sam-roe",
        "--guest",
        "--bundle",
        "--yaml",
        "--draft",
    ]);
    run.assert_code(0);
    assert!(run.stderr.contains("created authors/sam-roe.toml\n"));
    assert!(
        run.stderr
            .contains("created content/posts/notes-from-the-road/index.md\n")
    );
    let text = site.read("content/posts/notes-from-the-road/index.md");
    assert!(
        text.starts_with("---\ntitle: \"Notes from the Road\"\n"),
        "{text}"
    );
    assert!(text.contains("\nauthors: [\"editor\", \"sam-roe\"]"));
    assert!(text.contains("\ndraft: true"));
    // A picture beside it is published with it.
    site.write("content/posts/notes-from-the-road/map.png", b"\x89PNG");

    let out = site.build_to("without", &[]);
    assert!(!out.join("posts/notes-from-the-road").exists());
    let out = site.build_to("with", &["--drafts"]);
    let page = read(&out.join("posts/notes-from-the-road/index.html"));
    assert!(page.contains("sam roe"), "co-author missing");
    assert!(out.join("posts/notes-from-the-road/map.png").is_file());
}

#[test]
fn new_post_file_names_follow_the_builds_slug_rule() {
    let site = new_site();
    // A title that starts with a date: the build would strip it from a folder
    // name, so the bundle keeps it through `slug`.
    site.run(&[
        "new",
        "post",
        "2024-05-01 Retro",
        "--author",
        "editor",
        "--bundle",
    ])
    .assert_code(0);
    let text = site.read("content/posts/2024-05-01-retro/index.md");
    assert!(text.contains("\nslug = \"2024-05-01-retro\""), "{text}");
    site.run(&["new", "post", "Ünïcode & Sons", "--author", "editor"])
        .assert_code(0);
    let out = site.build_to("out", &[]);
    assert!(out.join("posts/2024-05-01-retro/index.html").is_file());
    assert!(out.join("posts/ünïcode-sons/index.html").is_file());
    // An author that is not a slug is a usage error, not a file elsewhere.
    let run = site.run(&["new", "post", "X", "--author", "../../evil", "--guest"]);
    run.assert_code(2);
    assert_eq!(
        run.first_line(),
        "error: --author \"../../evil\" is not an author slug"
    );
    assert!(!site.tmp.path().join("evil.toml").exists());
}

#[test]
fn check_refuses_paths_that_are_not_in_the_site() {
    let site = fixture("basic");
    let run = site.run(&["check", "content/posts/nope.md"]);
    run.assert_code(2);
    let root = site.root.canonicalize().unwrap();
    assert_eq!(
        run.first_line(),
        format!(
            "error: content/posts/nope.md: no such file or folder in the site {}",
            root.display()
        )
    );
    assert!(
        run.stderr.contains(
            "help: give paths relative to the site folder, like content/posts/my-post.md"
        )
    );
    assert!(!run.stderr.contains("no errors"));

    let outside = site.outside("elsewhere.md");
    fs::write(&outside, "x").unwrap();
    let run = site.run(&[
        "check",
        outside.to_str().unwrap(),
        "../site/../elsewhere.md",
    ]);
    run.assert_code(2);
    assert_eq!(
        run.headlines(),
        [
            format!(
                "error: {} is outside the site folder {}",
                outside.display(),
                root.display()
            ),
            format!(
                "error: ../site/../elsewhere.md is outside the site folder {}",
                root.display()
            )
        ]
    );

    // Paths in the site, given relative to it, absolute or with `./`, are fine.
    site.run(&["check", "content/posts"]).assert_code(0);
    site.run(&["check", "./content/about.md"]).assert_code(0);
    site.run(&["check", site.path("authors").to_str().unwrap()])
        .assert_code(0);
}

#[test]
fn check_paths_still_filter_the_report() {
    let site = fixture("basic");
    site.write(
        "content/broken.md",
        "+++\ntitle = \"Broken\"\n+++\n[x](./missing.md)\n",
    );
    site.run(&["check"]).assert_code(1);
    site.run(&["check", "content/about.md"]).assert_code(0);
    site.run(&["check", site.path("content/broken.md").to_str().unwrap()])
        .assert_code(1);
}

#[test]
fn build_verbose_reports_each_stage() {
    let site = fixture("basic");
    let first = site.build_ok(&["-v"]);
    let lines: Vec<&str> = first.stderr.lines().collect();
    let stage = |run: &Run, prefix: &str| -> String {
        run.stderr
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} line in:\n{}", run.stderr))
            .to_string()
    };
    assert!(lines.len() >= 5, "{}", first.stderr);
    let load = stage(&first, "load: read ");
    assert!(
        load.contains(" posts, ") && load.contains(" author profiles and found "),
        "{load}"
    );
    let write = stage(&first, "write: ");
    assert!(
        write.contains(" unchanged linked from the previous output") && write.contains("write: "),
        "{write}"
    );
    assert!(
        write.contains(", 0 unchanged linked"),
        "first build linked: {write}"
    );
    // The numbers add up: rendered + copied = written + linked.
    let render = stage(&first, "render and write: ");
    let number = |line: &str, before: &str| -> usize {
        let head = line.split(before).next().unwrap();
        head.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let rendered = number(&render, " file");
    let copied = number(&render, " copied");
    assert!(rendered > 10 && copied > 0, "{render}");
    assert_eq!(number(&write, " file"), rendered + copied, "{write}");
    // A rebuild with nothing changed links every file.
    let second = site.build_ok(&["-v"]);
    let write = stage(&second, "write: ");
    assert!(
        write.starts_with(&format!(
            "write: 0 files written, {} unchanged linked",
            rendered + copied
        )),
        "{write}"
    );
    assert!(stage(&second, "swap: ").contains("(made by an earlier build)"));
    // Without -v: none of it.
    let quiet = site.build_ok(&[]);
    assert!(!quiet.stderr.contains("load: read"));
}

/// Starts `gen serve ARGS` on the site and returns its first lines of output,
/// up to the one that says whether it watches.
fn serve_banner(site: &Site, args: &[&str]) -> String {
    let (mut child, rx) = spawn_serve(&site.root, args);
    let mut seen = String::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("Watching") || line.starts_with("Press Ctrl+C") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    seen
}

#[test]
fn serve_watches_by_default() {
    let site = fixture("basic");
    assert!(serve_banner(&site, &["-p", "0"]).contains("Watching for changes"));
    assert!(serve_banner(&site, &["-p", "0", "--watch", "-D"]).contains("Watching for changes"));
    let off = serve_banner(&site, &["-p", "0", "--no-watch"]);
    assert!(off.contains("not watching for changes"), "{off}");
}

/// Author slugs follow the build's rules (capitals allowed), and `gen new author`
/// refuses a slug that differs only in case from an existing profile's, which the
/// build would reject as the same person.
#[test]
fn new_author_takes_build_slug_rules_and_refuses_a_case_twin() {
    let site = new_site();
    site.run(&["new", "author", "DirtyF", "--name", "Frank"])
        .assert_code(0);
    assert!(site.path("authors/DirtyF.toml").is_file());
    let twin = site.run(&["new", "author", "dirtyf", "--name", "Frank"]);
    twin.assert_code(2);
    assert_eq!(
        twin.first_line(),
        "error: an author profile authors/DirtyF.toml already exists for \"dirtyf\" \
         (slugs that differ only in case are one author)"
    );
    assert!(!site.path("authors/dirtyf.toml").exists());
    let bad = site.run(&["new", "post", "Hi", "--author", "../../x"]);
    bad.assert_code(2);
    assert_eq!(
        bad.first_line(),
        "error: --author \"../../x\" is not an author slug"
    );
}
