//! Helpers shared by the integration tests: fixture sites copied into temporary
//! folders, the real `gen` binary run on them, and the files it wrote read back.
#![allow(dead_code)]

pub mod http;
pub mod site_test;
pub mod snapshot;

pub use site_test::{SiteTest, toml_post};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;

use tempfile::TempDir;

/// The base URL of the fixture sites' `gen.toml`.
pub const BASE: &str = "https://fixture.example.org";

/// A fixture site copied into its own temporary folder (removed on drop).
pub struct Site {
    /// Holds the temporary folder alive.
    pub tmp: TempDir,
    /// The site root, `<tmp>/site`.
    pub root: PathBuf,
}

impl Site {
    /// A path inside the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The default output folder, `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// A folder beside the site (outside it) inside the temporary folder.
    pub fn outside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes (or overwrites) a file in the site, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, contents).unwrap();
    }

    /// Replaces `from` by `to` in a file of the site (e.g. one setting of a
    /// fixture's `gen.toml`). `from` must occur, so that a fixture that changed
    /// cannot turn the edit into a silent no-op.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(
            text.contains(from),
            "{rel} does not contain {from:?}:\n{text}"
        );
        self.write(rel, text.replace(from, to));
    }

    /// Reads a file of the site as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Runs `gen -r <root> ARGS…` (the site as root).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut full: Vec<&str> = vec!["-r", self.root.to_str().unwrap()];
        full.extend_from_slice(args);
        gen_in(self.tmp.path(), &full)
    }

    /// Runs `gen build ARGS…` and asserts that it succeeded.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut full = vec!["build"];
        full.extend_from_slice(args);
        let run = self.run(&full);
        run.assert_code(0);
        run
    }

    /// Builds into `<tmp>/<name>` with extra ARGS and returns that folder.
    pub fn build_to(&self, name: &str, args: &[&str]) -> PathBuf {
        let out = self.outside(name);
        let mut full = vec!["-o", out.to_str().unwrap()];
        full.extend_from_slice(args);
        self.build_ok(&full);
        out
    }
}

/// The folder holding the fixture sites.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites")
}

/// Copies the fixture site `name` into a fresh temporary folder.
pub fn fixture(name: &str) -> Site {
    copy_site(&fixtures_dir().join(name))
}

/// A site folder with no files yet, for tests that write their own.
pub fn empty_site() -> Site {
    let site = new_site();
    fs::create_dir_all(&site.root).unwrap();
    site
}

/// A fresh temporary folder and the path of the (not yet created) site in it.
fn new_site() -> Site {
    let tmp = tempfile::Builder::new()
        .prefix("byline-test-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("site");
    Site { tmp, root }
}

/// Copies any site folder (e.g. `example-site/`) into a fresh temporary folder.
pub fn copy_site(src: &Path) -> Site {
    assert!(src.is_dir(), "no site at {}", src.display());
    let site = new_site();
    copy_dir(src, &site.root);
    site
}

/// Copies a folder recursively, skipping any `public/` build output.
pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let from = entry.path();
        let to = dst.join(&name);
        let ft = entry.file_type().unwrap();
        if ft.is_dir() {
            if name == "public" {
                continue;
            }
            copy_dir(&from, &to);
        } else if ft.is_file() {
            fs::copy(&from, &to).unwrap();
        }
    }
}

/// The outcome of one run of `gen`.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self.assert_no_panic();
    }

    /// Asserts that `gen` did not panic.
    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "gen panicked:\n{}",
            self.stderr
        );
    }

    /// The lines of stderr that start a diagnostic (`error: …` or `warning: …`).
    pub fn headlines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
            .collect()
    }

    /// The first diagnostic line of stderr.
    pub fn first_line(&self) -> &str {
        self.headlines()
            .first()
            .copied()
            .unwrap_or_else(|| panic!("no diagnostic in stderr:\n{}", self.stderr))
    }
}

/// Runs the `gen` binary with `args` in the folder `cwd`.
pub fn gen_in(cwd: &Path, args: &[&str]) -> Run {
    gen_in_env(cwd, args, &[])
}

/// Runs the `gen` binary with `args` in the folder `cwd`, with extra environment
/// variables.
pub fn gen_in_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gen"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from_output(cmd.output().expect("cannot run gen"))
}

/// Starts `gen -r ROOT serve ARGS…` in the background, its stderr read line by
/// line on a thread: the process and its lines as they come, for tests that
/// wait for a line (the address, a rebuild) rather than for the process.
pub fn spawn_serve(root: &Path, args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gen"))
        .arg("-r")
        .arg(root)
        .arg("serve")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gen starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
pub fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, dir, &mut out);
    out
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let p = entry.path();
        if entry.file_type().unwrap().is_dir() {
            collect(base, &p, out);
        } else {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(&p).unwrap());
        }
    }
}

/// The relative paths of every file under `dir`.
pub fn list_files(dir: &Path) -> BTreeSet<String> {
    all_files(dir).into_keys().collect()
}

/// Reads an output file as text.
pub fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel))
        .unwrap_or_else(|e| panic!("reading {rel} in {}: {e}", dir.display()))
}

/// Asserts that two output folders hold exactly the same files, byte for byte.
pub fn assert_same_files(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let a: BTreeSet<&String> = before.keys().collect();
    let b: BTreeSet<&String> = after.keys().collect();
    assert_eq!(a, b, "{what}: the set of files differs");
    for (path, bytes) in before {
        assert!(
            bytes == &after[path],
            "{what}: {path} differs between the two folders"
        );
    }
}

/// The HTML files (paths) of an output folder.
pub fn html_files(dir: &Path) -> Vec<String> {
    list_files(dir)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// One start tag: its lowercase name and attributes (values with entities decoded).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The start tags of an HTML document, in order. Comments are skipped, and so is
/// the text of `script`, `style` and `textarea` elements.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || (b[j] == b'/' && b.get(j + 1) == Some(&b'>')) {
                break;
            }
            let ks = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let key = html[ks..j].to_ascii_lowercase();
            if j == ks {
                j += 1;
                continue;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        value = decode_entities(&html[j + 1..end]);
                        j = end + 1;
                    }
                    _ => {
                        let vs = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = decode_entities(&html[vs..j]);
                    }
                }
            }
            attrs.push((key, value));
        }
        i = j;
        if matches!(name.as_str(), "script" | "style" | "textarea") {
            let close = format!("</{name}");
            i = html[i..].find(&close).map_or(b.len(), |e| i + e);
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Decodes the character references that appear in attribute values.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `content` of `<meta property=NAME>` or `<meta name=NAME>` tags of a page.
pub fn meta(html: &str, name: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "meta")
        .filter(|t| t.attr("property") == Some(name) || t.attr("name") == Some(name))
        .filter_map(|t| t.attr("content").map(str::to_string))
        .collect()
}

/// Percent-decodes a URL path.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One published post of the `basic` fixture, as the tests expect to see it.
pub struct FixturePost {
    pub slug: &'static str,
    pub title: &'static str,
    pub authors: &'static [&'static str],
    /// Tag slugs.
    pub tags: &'static [&'static str],
    /// Category slugs.
    pub categories: &'static [&'static str],
    pub guest: bool,
}

/// The published posts of the `basic` fixture, newest first (no draft, no
/// future post).
pub const BASIC_POSTS: &[FixturePost] = &[
    FixturePost {
        slug: "ada-fourth",
        title: "Ada, fourth time",
        authors: &["ada-staff"],
        tags: &["meta"],
        categories: &[],
        guest: false,
    },
    FixturePost {
        slug: "ada-custom-slug",
        title: "Ada again",
        authors: &["ada-staff"],
        tags: &[],
        categories: &["news"],
        guest: false,
    },
    FixturePost {
        slug: "staff-more",
        title: "Keeping the lights on",
        authors: &["sam-staff"],
        tags: &["meta"],
        categories: &[],
        guest: false,
    },
    FixturePost {
        slug: "bundle-post",
        title: "A post with its pictures",
        authors: &["gina-guest"],
        tags: &["pictures"],
        categories: &["guest-posts"],
        guest: true,
    },
    FixturePost {
        slug: "co-authored",
        title: "Written together",
        authors: &["ada-staff", "gus-guest"],
        tags: &["community", "writing"],
        categories: &["news"],
        guest: true,
    },
    FixturePost {
        slug: "yaml-post",
        title: "A YAML post: front matter in YAML",
        authors: &["gina-guest"],
        tags: &["community", "café"],
        categories: &["guest-posts"],
        guest: true,
    },
    FixturePost {
        slug: "guest-hello",
        title: "Hello from a guest",
        authors: &["gus-guest"],
        tags: &["rust", "community"],
        categories: &["guest-posts"],
        guest: true,
    },
    FixturePost {
        slug: "staff-intro",
        title: "Welcome to Fixture Notes",
        authors: &["ada-staff"],
        tags: &["rust-lang", "meta"],
        categories: &["news"],
        guest: false,
    },
];

/// The author slugs of the `basic` fixture.
pub const BASIC_AUTHORS: &[&str] = &["ada-staff", "gina-guest", "gus-guest", "sam-staff"];

/// `paginate_by` and `feed_limit` of the `basic` fixture.
pub const BASIC_PAGINATE_BY: usize = 2;
pub const BASIC_FEED_LIMIT: usize = 3;

/// The absolute URL of a post of the fixture.
pub fn post_url(base: &str, slug: &str) -> String {
    format!("{base}/posts/{slug}/")
}

/// The links of the post cards of a listing page, in order.
pub fn card_links(html: &str) -> Vec<String> {
    let tags = tags(html);
    let mut out = Vec::new();
    let mut in_title = false;
    for t in &tags {
        if t.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "card-title"))
        {
            in_title = true;
        } else if in_title && t.name == "a" {
            out.push(t.attr("href").unwrap_or_default().to_string());
            in_title = false;
        }
    }
    out
}

/// Runs git in `root` as a site owner would (name, e-mail, no signing) and
/// asserts that it succeeded.
pub fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=Site Owner",
            "-c",
            "user.email=owner@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
