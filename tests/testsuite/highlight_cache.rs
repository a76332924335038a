//! The highlight cache on disk (`.byline-cache/`): builds with a cold cache, a
//! warm one and `--no-cache` write the same bytes; broken packs are ignored
//! and rebuilt; two builds at once share the cache; the size bound holds; the
//! folder is never published nor read as content; `gen init` ignores it in git
//! and its workflows keep it between runs.

use crate::support::{self, Site, all_files, assert_same_files, gen_in, gen_in_env, read};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Code blocks in several languages, each different (the number goes into
/// the code), with HTML specials that must stay escaped.
fn code_post(n: usize) -> String {
    format!(
        "+++\ntitle = \"Code {n}\"\ndate = 2024-03-{day:02}\nauthors = [\"ada-staff\"]\n+++\nSome code.\n\n\
         ```rust\nfn f{n}() -> Vec<u8> {{ vec![{n}, 2] }} // <b>&amp;\n```\n\n\
         ```python\ndef g{n}(x):\n    return x * {n}  # \"quoted\" <i>\n```\n\n\
         ```toml\n[table{n}]\nkey = \"value {n}\"\n```\n\n\
         ```sh\necho \"{n}\" | grep -c 'x' > /dev/null\n```\n",
        day = n % 28 + 1
    )
}

/// The highlighted blocks of a [`code_site`] of `posts` posts: four in each
/// and the fixture's one.
fn blocks(posts: usize) -> usize {
    posts * 4 + 1
}

/// The basic fixture with `posts` code posts added.
fn code_site(posts: usize) -> Site {
    let site = support::fixture("basic");
    for n in 0..posts {
        site.write(&format!("content/posts/code-{n}.md"), code_post(n));
    }
    site
}

fn packs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir.join("highlight"))
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("pack-")
    });
    v.sort();
    v
}

/// The line `gen build -v` prints about the highlight cache.
fn cache_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("highlight cache:"))
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"))
}

/// Builds into a new folder beside the site and returns its files and the
/// cache line.
fn build(
    site: &Site,
    name: &str,
    args: &[&str],
) -> (std::collections::BTreeMap<String, Vec<u8>>, String) {
    let out = site.outside(name);
    let mut full = vec!["build", "-v", "-o", out.to_str().unwrap()];
    full.extend_from_slice(args);
    let run = site.run(&full);
    run.assert_code(0);
    (all_files(&out), cache_line(&run.stderr).to_string())
}

#[test]
fn cold_warm_and_no_cache_builds_write_the_same_bytes() {
    let site = code_site(3);
    let blocks = blocks(3);
    let (cold, line) = build(&site, "cold", &[]);
    assert_eq!(
        line,
        format!(
            "highlight cache: 0 blocks found, {blocks} highlighted, {blocks} new entries saved"
        )
    );
    let cache = site.path(".byline-cache");
    assert_eq!(packs(&cache).len(), 1);
    let (warm, line) = build(&site, "warm", &[]);
    assert_eq!(
        line,
        format!("highlight cache: {blocks} blocks found, 0 highlighted")
    );
    assert_same_files(&cold, &warm, "cold and warm cache");
    let (none, line) = build(&site, "none", &["--no-cache"]);
    assert_eq!(line, "highlight cache: off (--no-cache)");
    assert_same_files(&cold, &none, "cache and --no-cache");
    // The blocks are highlighted, and their specials escaped, from the cache too.
    let page = String::from_utf8(warm["posts/code-1/index.html"].clone()).unwrap();
    assert!(page.contains("<span class=\"hl-"), "{page}");
    assert!(page.contains("&lt;b&gt;&amp;amp;"), "{page}");
    // Nothing of the cache in the output.
    for out in [&cold, &warm] {
        assert!(
            out.keys()
                .all(|k| !k.contains("byline-cache") && !k.ends_with("CACHEDIR.TAG")),
            "{:?}",
            out.keys()
        );
    }
}

#[test]
fn an_edited_block_alone_is_highlighted_again() {
    let site = code_site(2);
    build(&site, "one", &[]);
    site.edit("content/posts/code-1.md", "return x * 1", "return x * 100");
    let (edited, line) = build(&site, "two", &[]);
    let blocks = blocks(2);
    assert_eq!(
        line,
        format!(
            "highlight cache: {} blocks found, 1 highlighted, 1 new entry saved",
            blocks - 1
        )
    );
    let (fresh, _) = build(&site, "three", &["--no-cache"]);
    assert_same_files(&fresh, &edited, "an edited block");
}

#[test]
fn no_cache_reads_and_writes_nothing() {
    let site = code_site(1);
    let out = site.outside("out");
    site.run(&["build", "--no-cache", "-o", out.to_str().unwrap()])
        .assert_code(0);
    site.run(&["check", "--no-cache"]).assert_code(0);
    assert!(!site.path(".byline-cache").exists());
    // gen check highlights like a build, and keeps what it made.
    site.run(&["check"]).assert_code(0);
    assert_eq!(packs(&site.path(".byline-cache")).len(), 1);
}

/// A way to break a pack: what it is, and what it does to the file.
type Spoiler = (&'static str, Box<dyn Fn(&Path)>);

/// Ways a pack can break, each of which the next build must ignore.
fn spoilers() -> Vec<Spoiler> {
    vec![
        (
            "truncated",
            Box::new(|p: &Path| {
                let b = fs::read(p).unwrap();
                fs::write(p, &b[..b.len() / 2]).unwrap();
            }),
        ),
        (
            "garbage",
            Box::new(|p: &Path| fs::write(p, "\u{0}garbage\u{ff}".repeat(50)).unwrap()),
        ),
        (
            "another version",
            Box::new(|p: &Path| {
                let mut b = fs::read(p).unwrap();
                b[7] = b[7].wrapping_add(1);
                fs::write(p, b).unwrap();
            }),
        ),
        (
            "an entry's bytes changed",
            Box::new(|p: &Path| {
                let mut b = fs::read(p).unwrap();
                let at = b.len() - 20;
                b[at] ^= 0x01;
                fs::write(p, b).unwrap();
            }),
        ),
    ]
}

#[test]
fn a_broken_cache_is_ignored_and_rebuilt() {
    let site = code_site(2);
    let blocks = blocks(2);
    let (reference, _) = build(&site, "reference", &["--no-cache"]);
    let cache = site.path(".byline-cache");
    for (i, (what, spoil)) in spoilers().into_iter().enumerate() {
        fs::remove_dir_all(&cache).ok();
        build(&site, &format!("fill-{i}"), &[]);
        let [pack] = packs(&cache).try_into().unwrap();
        spoil(&pack);
        let (out, line) = build(&site, &format!("broken-{i}"), &[]);
        assert_same_files(&reference, &out, what);
        let found: usize = line
            .strip_prefix("highlight cache: ")
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        // A changed entry loses that entry; a broken pack, all of them.
        let lost = blocks - found;
        assert!(lost >= 1, "{what}: {line}");
        assert!(line.contains("packs merged into one"), "{what}: {line}");
        // Rebuilt: the next build finds every block, in one good pack.
        let (out, line) = build(&site, &format!("after-{i}"), &[]);
        assert_same_files(&reference, &out, what);
        assert_eq!(
            line,
            format!("highlight cache: {blocks} blocks found, 0 highlighted"),
            "{what}"
        );
        assert_eq!(packs(&cache).len(), 1, "{what}");
    }
}

#[test]
fn two_builds_at_once_share_the_cache() {
    let site = code_site(12);
    let (reference, _) = build(&site, "reference", &["--no-cache"]);
    let blocks = blocks(12);
    // Twice: both cold, then both warm after the first pair.
    for round in 0..2 {
        let outs: Vec<PathBuf> = (0..2)
            .map(|i| site.outside(&format!("at-once-{round}-{i}")))
            .collect();
        let children: Vec<_> = outs
            .iter()
            .map(|out| {
                Command::new(env!("CARGO_BIN_EXE_gen"))
                    .arg("-r")
                    .arg(&site.root)
                    .args(["build", "-o"])
                    .arg(out)
                    .env("NO_COLOR", "1")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for (child, out) in children.into_iter().zip(&outs) {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert_same_files(&reference, &all_files(out), "a build beside another");
        }
    }
    // Whatever the two wrote, a build after them finds every block.
    let (out, line) = build(&site, "after", &[]);
    assert_same_files(&reference, &out, "after two at once");
    assert!(
        line.starts_with(&format!(
            "highlight cache: {blocks} blocks found, 0 highlighted"
        )),
        "{line}"
    );
}

#[test]
fn the_size_bound_holds_and_drops_entries() {
    // About 3 MB of highlighted HTML against a bound of 1 MB.
    let site = support::fixture("basic");
    for n in 0..6 {
        let mut code = String::new();
        for i in 0..600 {
            code.push_str(&format!(
                "{{\"post\": {n}, \"line\": {i}, \"ok\": true, \"tags\": [\"a\", \"b\"]}}\n"
            ));
        }
        site.write(
            &format!("content/posts/big-{n}.md"),
            format!(
                "+++\ntitle = \"Big {n}\"\ndate = 2024-04-0{}\nauthors = [\"ada-staff\"]\n+++\n```json\n{code}```\n",
                n + 1
            ),
        );
    }
    let config = site.read("gen.toml");
    site.write("gen.toml", format!("{config}\n[cache]\nmax_size_mb = 1\n"));
    let (reference, _) = build(&site, "reference", &["--no-cache"]);
    let (out, line) = build(&site, "bounded", &[]);
    assert_same_files(&reference, &out, "a bounded cache");
    assert!(
        line.contains("least recently used dropped by the size bound"),
        "{line}"
    );
    let bytes: u64 = packs(&site.path(".byline-cache"))
        .iter()
        .map(|p| fs::metadata(p).unwrap().len())
        .sum();
    assert!(bytes > 0 && bytes <= 1024 * 1024, "{bytes} bytes");
    // What is kept is found.
    let (out, line) = build(&site, "again", &[]);
    assert_same_files(&reference, &out, "a bounded cache, again");
    assert!(
        !line.starts_with("highlight cache: 0 blocks found"),
        "{line}"
    );
}

#[test]
fn the_cache_folder_is_neither_published_nor_content() {
    let site = code_site(1);
    site.build_ok(&["-v"]);
    let first = all_files(&site.public());
    assert!(site.path(".byline-cache/CACHEDIR.TAG").is_file());
    assert_eq!(
        site.read(".byline-cache/.gitignore"),
        "# The cache of gen (Byline): never committed.\n*\n"
    );
    // A second build, with the cache full, writes the same output and no
    // warning about the cache's files.
    let run = site.build_ok(&[]);
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("warning"))
            .count(),
        0
    );
    assert_same_files(&first, &all_files(&site.public()), "a second build");
    assert!(first.keys().all(|k| !k.contains("byline-cache")));
    // gen check says nothing of it (the fixture's one warning is its
    // post from the future).
    let check = site.run(&["check"]);
    check.assert_code(0);
    assert_eq!(
        check.headlines(),
        [
            "warning: content/posts/2099-01-01-from-the-future.md:3:8: the date 2099-01-01 is in the future: the post is left out of builds until then"
        ]
    );
}

#[test]
fn a_cache_folder_among_the_sources_is_refused() {
    let site = code_site(1);
    let config = site.read("gen.toml");
    site.write(
        "gen.toml",
        format!("{config}\n[cache]\ndir = \"static/cache\"\n"),
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        run.headlines(),
        [
            "warning: gen.toml: the cache folder \"static/cache\" is inside static/, which gen reads as the site's own files or writes its output to; the highlight cache is off"
        ]
    );
    assert!(!site.path("static/cache").exists());
    assert!(!site.public().join("cache").exists());
}

#[test]
fn a_cache_folder_that_leads_outside_is_refused() {
    let site = code_site(1);
    let outside = site.outside("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, site.path(".byline-cache")).unwrap();
    let run = site.build_ok(&[]);
    assert_eq!(
        run.headlines(),
        [
            "warning: gen.toml: the cache folder: \".byline-cache\" is a symbolic link that leads outside the site folder; the highlight cache is off"
        ]
    );
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
}

#[test]
fn an_absolute_cache_folder_is_used_as_given() {
    let site = code_site(1);
    let dir = site.outside("ci-cache");
    let out = site.outside("out");
    let args = [
        "-r",
        site.root.to_str().unwrap(),
        "build",
        "-o",
        out.to_str().unwrap(),
    ];
    let env = [("BYLINE_CACHE_DIR", dir.to_str().unwrap())];
    gen_in_env(site.tmp.path(), &args, &env).assert_code(0);
    assert_eq!(packs(&dir).len(), 1);
    assert!(!site.path(".byline-cache").exists());
    // And from gen.toml.
    let config = site.read("gen.toml");
    let other = site.outside("other-cache");
    site.write(
        "gen.toml",
        format!("{config}\n[cache]\ndir = {:?}\n", other.to_str().unwrap()),
    );
    site.build_ok(&[]);
    assert_eq!(packs(&other).len(), 1);
}

#[test]
fn bad_cache_settings_are_errors_at_their_line() {
    let site = code_site(1);
    let config = site.read("gen.toml");
    let text = format!("{config}\n[cache]\nmax_size_mb = 0\n");
    let line = text.lines().count();
    site.write("gen.toml", &text);
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        format!("error: gen.toml:{line}:1: `max_size_mb` in [cache] must be at least 1")
    );
    assert!(
        run.stderr
            .contains("the highlight cache's bound in megabytes (default 200)"),
        "{}",
        run.stderr
    );
}

#[test]
fn gen_init_ignores_the_cache_and_its_workflows_keep_it() {
    let tmp = tempfile::tempdir().unwrap();
    gen_in(tmp.path(), &["init", "blog"]).assert_code(0);
    let site = tmp.path().join("blog");
    assert_eq!(read(&site, ".gitignore"), "public/\n.byline-cache/\n");
    for wf in ["pr.yml", "publish.yml"] {
        let text = read(&site, &format!(".github/workflows/{wf}"));
        let step = text
            .split("\n\n")
            .find(|s| s.contains("path: .byline-cache"))
            .unwrap_or_else(|| panic!("{wf} does not keep the cache:\n{text}"));
        assert!(step.contains("uses: actions/cache@v4"), "{step}");
        assert!(
            step.contains("hashFiles('content/**', 'syntaxes/**')"),
            "{step}"
        );
        assert!(step.contains("restore-keys:"), "{step}");
        // Restored before the first command that highlights.
        let at = text.find("path: .byline-cache").unwrap();
        assert!(at < text.find("run: gen check").unwrap(), "{wf}");
    }
}

/// Runs `gen serve --no-watch --port 0 ARGS…` until it serves, then stops it.
fn serve_once(site: &Site, args: &[&str]) {
    let mut full = vec!["--no-watch", "--port", "0"];
    full.extend_from_slice(args);
    let (mut child, lines) = support::spawn_serve(&site.root, &full);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(l) if l.starts_with("Serving at ") => break,
            Ok(l) => seen.push(l),
            Err(_) => {
                let _ = child.kill();
                panic!("gen serve did not start:\n{}", seen.join("\n"));
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn gen_serve_fills_and_uses_the_cache() {
    let site = code_site(2);
    serve_once(&site, &["--no-cache"]);
    assert!(!site.path(".byline-cache").exists());
    // The first build's blocks are saved before the preview is served ...
    serve_once(&site, &[]);
    assert_eq!(packs(&site.path(".byline-cache")).len(), 1);
    // ... and found by a build, as a build's are by the preview.
    let (_, line) = build(&site, "after-serve", &[]);
    assert_eq!(
        line,
        format!("highlight cache: {} blocks found, 0 highlighted", blocks(2))
    );
    serve_once(&site, &[]);
    assert_eq!(packs(&site.path(".byline-cache")).len(), 1);
}
