//! `gen build` never deletes what it did not make: it refuses the site folder,
//! folders around it, its sources and non-empty folders without its marker
//! (`--force` takes over only the last kind); it keeps a `.git` inside its
//! output; it still replaces the `public/` of earlier versions, which had no
//! marker; and a failed build leaves nothing behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::*;

const MARKER: &str = ".byline-output";

/// Everything under `dir`, for before/after comparisons.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    all_files(dir)
}

/// The names in `dir` that look like a staging or old-output folder of gen.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-") || n.contains(".old-"))
        .collect()
}

/// Asserts a refusal: exit 1, the error's first line, and nothing left around.
fn assert_refused(run: &Run, first_line: &str) {
    run.assert_code(1);
    assert_eq!(run.first_line(), first_line, "{}", run.stderr);
}

#[test]
fn an_unmarked_folder_with_a_precious_file_is_not_emptied() {
    let site = fixture("basic");
    let victim = site.outside("victim");
    fs::create_dir_all(&victim).unwrap();
    fs::write(victim.join("precious.txt"), "my thesis").unwrap();
    let run = gen_in(site.tmp.path(), &["-r", "site", "build", "-o", "victim"]);
    let real = victim.canonicalize().unwrap();
    assert_refused(
        &run,
        &format!(
            "error: refusing to build into victim (that is, {}): gen did not make this \
             folder (it has no .byline-output file) and it is not empty: a build would \
             replace precious.txt",
            real.display()
        ),
    );
    assert!(run.stderr.contains(
        "help: choose a new or empty folder with -o, or pass --force to replace what the \
         folder holds (a .git folder in it is kept)"
    ));
    assert_eq!(
        snapshot(&victim),
        BTreeMap::from([("precious.txt".to_string(), b"my thesis".to_vec())])
    );
    assert!(leftovers(site.tmp.path()).is_empty());
}

#[test]
fn force_takes_over_an_unmarked_folder_after_saying_what_it_replaces() {
    let site = fixture("basic");
    let victim = site.outside("victim");
    fs::create_dir_all(victim.join("old")).unwrap();
    fs::write(victim.join("precious.txt"), "x").unwrap();
    let out = victim.to_str().unwrap();
    let run = site.run(&["build", "-o", out, "--force"]);
    run.assert_code(0);
    assert_eq!(
        run.first_line(),
        format!("warning: --force: replacing what {out} holds: old, precious.txt")
    );
    assert!(!victim.join("precious.txt").exists());
    assert!(victim.join("index.html").is_file());
    assert!(victim.join(MARKER).is_file());
    // Now it is gen's: the next build needs no --force.
    site.build_ok(&["-o", out]).assert_code(0);
}

#[test]
fn force_says_what_it_replaces_even_when_quiet() {
    let site = fixture("basic");
    let victim = site.outside("victim");
    fs::create_dir_all(&victim).unwrap();
    fs::write(victim.join("notes.md"), "x").unwrap();
    let out = victim.to_str().unwrap();
    let run = site.run(&["-q", "build", "-o", out, "--force"]);
    run.assert_code(0);
    assert!(run.stderr.contains("replacing what"), "{}", run.stderr);
}

#[test]
fn the_sites_content_folder_is_never_an_output() {
    let site = fixture("basic");
    let before = snapshot(&site.root);
    for args in [
        vec!["build", "-o", "content"],
        vec!["build", "-o", "content", "--force"],
        vec!["build", "-o", "./content/posts/../"],
    ] {
        let run = gen_in(&site.root, &args);
        assert_refused(
            &run,
            &format!(
                "error: refusing to build into {} (that is, {}): it is the site's content/ \
                 folder, which gen reads, and a build replaces everything in its output folder",
                args[2],
                site.root.canonicalize().unwrap().join("content").display()
            ),
        );
        assert!(
            run.stderr.contains(
                "help: build into public/ (the default) or a folder outside the site's \
                 sources; --force does not change this"
            ),
            "{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(&site.root), before);
    assert!(leftovers(&site.root).is_empty());
}

#[test]
fn folders_inside_the_sources_are_never_outputs() {
    let site = fixture("basic");
    fs::create_dir_all(site.path(".git")).unwrap();
    fs::write(site.path(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let before = snapshot(&site.root);
    for source in [
        "content",
        "static",
        "templates",
        "themes",
        "authors",
        ".git",
    ] {
        let inside = format!("{source}/out");
        let run = gen_in(&site.root, &["build", "-o", &inside, "--force"]);
        run.assert_code(1);
        assert!(
            run.first_line()
                .contains(&format!("it is inside the site's {source}/ folder")),
            "{}",
            run.stderr
        );
    }
    // The site's own repository, which --force would otherwise empty.
    let run = gen_in(&site.root, &["build", "-o", ".git", "--force"]);
    run.assert_code(1);
    assert!(run.first_line().contains("it is the site's .git/ folder"));
    assert_eq!(snapshot(&site.root), before);
    assert!(!site.path("static/out").exists());
}

#[test]
fn the_site_folder_and_folders_around_it_are_never_outputs() {
    let site = fixture("basic");
    let before = snapshot(&site.root);
    let root = site.root.canonicalize().unwrap();
    // The site itself, given three ways.
    for (cwd, out) in [
        (site.root.as_path(), "."),
        (site.tmp.path(), "site"),
        (site.root.as_path(), "public/.."),
    ] {
        let run = gen_in(
            cwd,
            &["-r", root.to_str().unwrap(), "build", "-o", out, "--force"],
        );
        run.assert_code(1);
        assert!(
            run.first_line().ends_with(
                "it is the site folder, and a build replaces everything in its output folder"
            ),
            "{out}: {}",
            run.stderr
        );
    }
    // The folder above the site, and the one above that.
    for out in ["..", "../.."] {
        let run = gen_in(&site.root, &["build", "-o", out, "--force"]);
        run.assert_code(1);
        assert!(
            run.first_line()
                .contains(&format!("it holds the site folder {}", root.display())),
            "{out}: {}",
            run.stderr
        );
    }
    assert_eq!(snapshot(&site.root), before);
    assert!(leftovers(&site.root).is_empty());
    assert!(leftovers(site.tmp.path()).is_empty());
}

#[test]
fn symlinks_do_not_hide_the_site_or_its_sources() {
    let site = fixture("basic");
    let before = snapshot(&site.root);
    std::os::unix::fs::symlink(&site.root, site.outside("alias")).unwrap();
    std::os::unix::fs::symlink(site.path("static"), site.outside("assets")).unwrap();
    let cases = [
        ("alias", "it is the site folder"),
        ("assets", "it is the site's static/ folder"),
        ("assets/sub", "it is inside the site's static/ folder"),
        (
            "alias/content/../authors",
            "it is the site's authors/ folder",
        ),
    ];
    for (out, why) in cases {
        let run = gen_in(
            site.tmp.path(),
            &["-r", "site", "build", "-o", out, "--force"],
        );
        run.assert_code(1);
        assert!(run.first_line().contains(why), "{out}: {}", run.stderr);
    }
    assert_eq!(snapshot(&site.root), before);
}

#[test]
fn a_file_is_not_an_output_folder() {
    let site = fixture("basic");
    let file = site.outside("file.txt");
    fs::write(&file, "keep").unwrap();
    let run = site.run(&["build", "-o", file.to_str().unwrap(), "--force"]);
    run.assert_code(1);
    assert!(run.first_line().ends_with("it is a file, not a folder"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn an_empty_folder_or_one_with_only_git_is_used_without_force() {
    let site = fixture("basic");
    let empty = site.outside("empty");
    fs::create_dir_all(&empty).unwrap();
    site.build_ok(&["-o", empty.to_str().unwrap()]);
    assert!(empty.join("index.html").is_file());
    let repo = site.outside("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(repo.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    site.build_ok(&["-o", repo.to_str().unwrap()]);
    assert!(repo.join("index.html").is_file());
    assert_eq!(
        fs::read_to_string(repo.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
}

#[test]
fn a_git_folder_in_the_output_is_kept_byte_identical_across_rebuilds() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let git = site.public().join(".git");
    fs::create_dir_all(git.join("objects/12")).unwrap();
    fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(git.join("objects/12/3456"), [0u8, 159, 146, 150, 255]).unwrap();
    fs::write(git.join("index"), vec![7u8; 4096]).unwrap();
    let before = snapshot(&git);
    site.build_ok(&[]);
    // A rebuild after a change, and one with --force, keep it too.
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nChanged.\n",
    );
    site.build_ok(&[]);
    site.build_ok(&["--force"]);
    assert_eq!(snapshot(&git), before);
    assert!(
        site.read("public/about/index.html").contains("Changed."),
        "the rebuild did not replace the output"
    );
    assert!(leftovers(&site.root).is_empty());
}

#[test]
fn the_public_folder_of_earlier_versions_is_replaced_without_force() {
    let site = fixture("basic");
    site.build_ok(&[]);
    // Earlier versions wrote the same files, without the marker.
    fs::remove_file(site.public().join(MARKER)).unwrap();
    // A page of a post removed since: the new build does not make it.
    fs::create_dir_all(site.public().join("posts/removed-since")).unwrap();
    fs::write(site.public().join("posts/removed-since/index.html"), "old").unwrap();
    site.build_ok(&[]);
    assert!(site.public().join(MARKER).is_file());
    assert!(!site.public().join("posts/removed-since").exists());

    // The same folder anywhere else is not recognised: only the site's public/.
    let elsewhere = site.outside("copy");
    copy_dir(&site.public(), &elsewhere);
    fs::remove_file(elsewhere.join(MARKER)).unwrap();
    let run = site.run(&["build", "-o", elsewhere.to_str().unwrap()]);
    run.assert_code(1);
    assert!(run.first_line().contains("gen did not make this folder"));
}

#[test]
fn a_public_folder_gen_did_not_write_is_refused() {
    let site = fixture("basic");
    fs::create_dir_all(site.public()).unwrap();
    fs::write(site.public().join("index.html"), "<h1>hand-made</h1>").unwrap();
    fs::write(
        site.public().join("robots.txt"),
        "User-agent: *\nDisallow: /\n",
    )
    .unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(run.first_line().contains("gen did not make this folder"));
    assert_eq!(
        fs::read_to_string(site.public().join("index.html")).unwrap(),
        "<h1>hand-made</h1>"
    );
}

#[test]
fn a_build_that_fails_while_rendering_leaves_the_previous_output() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    // A template that parses but fails on the page of one post: the build has
    // already streamed other pages into its staging folder by then.
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field.x }}{% endblock %}",
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("the previous output was left as it was")
    );
    assert_eq!(snapshot(&site.public()), before);
    assert!(leftovers(&site.root).is_empty());
}

#[test]
fn force_keeps_the_git_folder_of_the_folder_it_takes_over() {
    let site = fixture("basic");
    let deploy = site.outside("deploy");
    fs::create_dir_all(deploy.join(".git/refs")).unwrap();
    fs::write(deploy.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(deploy.join(".git/refs/x"), [1u8, 2, 3]).unwrap();
    fs::write(deploy.join("index.html"), "made by another tool").unwrap();
    let git = snapshot(&deploy.join(".git"));
    let out = deploy.to_str().unwrap();
    site.run(&["build", "-o", out]).assert_code(1);
    site.build_ok(&["-o", out, "--force"]);
    assert_eq!(snapshot(&deploy.join(".git")), git);
    assert_ne!(read(&deploy, "index.html"), "made by another tool");
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_staging_folder() {
    let site = fixture("basic");
    site.build_ok(&[]);
    fs::create_dir_all(site.public().join(".git")).unwrap();
    fs::write(site.public().join(".git/HEAD"), "x").unwrap();
    let before = snapshot(&site.public());
    site.write(
        "content/posts/broken.md",
        "+++\ntitle = \"Broken\"\ndate = 2024-01-01\nauthors = [\"nobody-here\"]\n+++\nx\n",
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("the previous output was left as it was")
    );
    assert_eq!(snapshot(&site.public()), before);
    assert!(leftovers(&site.root).is_empty());
}
