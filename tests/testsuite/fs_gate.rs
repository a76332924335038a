//! Nothing outside the site folder is read: every read of the program goes
//! through one gate (`src/sitefs.rs`). These tests try the ways around it that
//! templates and themes offered (a symlinked `templates/`, a symlinked file in
//! it, a theme named with `..` or an absolute path, a symlinked theme folder)
//! with `gen build`, `gen check` and `gen serve` (also when the link appears
//! while it runs), and grep `src/` for file reads outside the gate.

use crate::support;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the outside files hold; it must never reach the output.
const SECRET: &str = "OUTSIDE-THE-SITE-7f3a";

/// A folder beside the site with templates and a theme that would show the
/// secret in every page.
fn outside_templates(site: &support::Site) -> std::path::PathBuf {
    let dir = site.outside("elsewhere");
    let footer = format!("<footer>{SECRET}</footer>\n");
    for rel in ["partials/footer.html", "templates/partials/footer.html"] {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, &footer).unwrap();
    }
    dir
}

fn set_theme(site: &support::Site, theme: &str) {
    let config = site.read("gen.toml");
    site.write(
        "gen.toml",
        config.replace("theme = \"default\"", &format!("theme = {theme:?}")),
    );
}

/// One way around the gate: what it is, how to set it up on a fresh copy of
/// the basic site, and the headline the build must print.
type Escape = (&'static str, Box<dyn Fn(&support::Site)>, String);

/// The ways around the gate.
fn escapes() -> Vec<Escape> {
    vec![
        (
            "a symlinked templates/",
            Box::new(|s: &support::Site| {
                let dir = outside_templates(s);
                std::os::unix::fs::symlink(&dir, s.path("templates")).unwrap();
            }),
            "error: templates: \"templates\" is a symbolic link that leads outside the site folder"
                .to_string(),
        ),
        (
            "a symlinked file inside templates/",
            Box::new(|s: &support::Site| {
                let dir = outside_templates(s);
                fs::create_dir_all(s.path("templates/partials")).unwrap();
                std::os::unix::fs::symlink(
                    dir.join("partials/footer.html"),
                    s.path("templates/partials/footer.html"),
                )
                .unwrap();
            }),
            "error: templates/partials/footer.html: \"templates/partials/footer.html\" is a symbolic link that leads outside the site folder".to_string(),
        ),
        (
            "a theme named with ..",
            Box::new(|s: &support::Site| {
                outside_templates(s);
                set_theme(s, "../../elsewhere");
            }),
            "error: gen.toml: theme \"../../elsewhere\" is not the name of a folder under themes/"
                .to_string(),
        ),
        (
            "an absolute theme path",
            Box::new(|s: &support::Site| {
                let dir = outside_templates(s);
                set_theme(s, dir.to_str().unwrap());
            }),
            String::from("error: gen.toml: theme \"/"),
        ),
        (
            "a symlinked theme folder",
            Box::new(|s: &support::Site| {
                let dir = outside_templates(s);
                fs::create_dir_all(s.path("themes")).unwrap();
                std::os::unix::fs::symlink(&dir, s.path("themes/linked")).unwrap();
                set_theme(s, "linked");
            }),
            "error: gen.toml: \"themes/linked\" is a symbolic link that leads outside the site folder"
                .to_string(),
        ),
    ]
}

fn assert_refused(what: &str, run: &support::Run, headline: &str) {
    run.assert_code(1);
    assert!(
        run.headlines().iter().any(|h| h.starts_with(headline)),
        "{what}: expected {headline:?} in:\n{}",
        run.stderr
    );
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
}

#[cfg(unix)]
#[test]
fn build_refuses_templates_and_themes_from_outside() {
    for (what, setup, headline) in escapes() {
        let site = support::fixture("basic");
        setup(&site);
        let run = site.run(&["build"]);
        assert_refused(what, &run, &headline);
        // Nothing was published, let alone the outside footer.
        if !site.public().exists() {
            continue;
        }
        for (path, bytes) in support::all_files(&site.public()) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "{what}: {path} holds the outside file"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn check_refuses_templates_and_themes_from_outside() {
    for (what, setup, headline) in escapes() {
        let site = support::fixture("basic");
        setup(&site);
        let run = site.run(&["check"]);
        assert_refused(what, &run, &headline);
    }
}

#[cfg(unix)]
#[test]
fn serve_refuses_templates_and_themes_from_outside() {
    for (what, setup, headline) in escapes() {
        let site = support::fixture("basic");
        setup(&site);
        let s = Serve::start(&site);
        let text = headline.trim_start_matches("error: ").to_string();
        assert!(
            s.log.iter().any(|l| l.contains(&text)),
            "{what}: expected {text:?} in:\n{}",
            s.log.join("\n")
        );
        let home = s.get("/");
        assert!(!home.contains(SECRET), "{what}: {home}");
    }
}

#[cfg(unix)]
#[test]
fn gen_toml_that_is_a_symlink_out_of_the_site_is_refused() {
    let site = support::fixture("basic");
    let outside = site.outside("gen.toml");
    fs::copy(site.path("gen.toml"), &outside).unwrap();
    fs::remove_file(site.path("gen.toml")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("gen.toml")).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("cannot read gen.toml: \"gen.toml\" is a symbolic link that leads outside the site folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_symlink_out_of_the_site_is_refused() {
    let site = support::fixture("basic");
    let outside = site.outside("content");
    support::copy_dir(&site.path("content"), &outside);
    fs::remove_dir_all(site.path("content")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content")).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.headlines().contains(
            &"error: content: \"content\" is a symbolic link that leads outside the site folder"
        ),
        "{}",
        run.stderr
    );
}

/// A running `gen serve --watch` on a site: its stderr lines and address.
struct Serve {
    child: Child,
    addr: String,
    lines: mpsc::Receiver<String>,
    log: Vec<String>,
}

impl Serve {
    fn start(site: &support::Site) -> Serve {
        let (child, rx) = support::spawn_serve(&site.root, &["--watch", "--port", "0"]);
        let mut s = Serve {
            child,
            addr: String::new(),
            lines: rx,
            log: Vec::new(),
        };
        let line = s.wait_line(|l| l.starts_with("Serving at "));
        s.addr = line
            .trim_start_matches("Serving at http://")
            .trim_end_matches('/')
            .to_string();
        s
    }

    fn wait_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                panic!("no such line from gen serve:\n{}", self.log.join("\n"));
            };
            self.log.push(line.clone());
            assert!(!line.contains("panicked"), "{}", self.log.join("\n"));
            if pred(&line) {
                return line;
            }
        }
    }

    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        String::from_utf8_lossy(&raw).into_owned()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
#[test]
fn serve_refuses_a_templates_symlink_that_appears_while_it_runs() {
    let site = support::fixture("basic");
    let dir = outside_templates(&site);
    let mut s = Serve::start(&site);
    assert!(s.get("/").starts_with("HTTP/1.1 200"));
    std::os::unix::fs::symlink(&dir, site.path("templates")).unwrap();
    s.wait_line(|l| l.contains("\"templates\" is a symbolic link that leads outside"));
    s.wait_line(|l| l.contains("build failed"));
    let home = s.get("/");
    assert!(!home.contains(SECRET), "{home}");
    // Replaced by a real folder, the site builds again.
    fs::remove_file(site.path("templates")).unwrap();
    fs::create_dir_all(site.path("templates/partials")).unwrap();
    fs::write(
        site.path("templates/partials/footer.html"),
        "<footer>inside</footer>\n",
    )
    .unwrap();
    s.wait_line(|l| l.contains(" changed: "));
    let home = s.get("/");
    assert!(home.contains("<footer>inside</footer>"), "{home}");
}

#[cfg(unix)]
#[test]
fn serve_refuses_a_template_file_symlink_that_appears_while_it_runs() {
    let site = support::fixture("basic");
    let dir = outside_templates(&site);
    site.write(
        "templates/partials/footer.html",
        "<footer>inside</footer>\n",
    );
    let mut s = Serve::start(&site);
    assert!(s.get("/").contains("<footer>inside</footer>"));
    let footer = site.path("templates/partials/footer.html");
    fs::remove_file(&footer).unwrap();
    std::os::unix::fs::symlink(dir.join("partials/footer.html"), &footer).unwrap();
    s.wait_line(|l| l.contains("is a symbolic link that leads outside"));
    let home = s.get("/");
    assert!(!home.contains(SECRET), "{home}");
}

/// Where `src/` may touch the file system itself: the gate, the output writer
/// (and its check of who owns the output folder),
/// the commands that create sites and files (`gen init`, `gen new`), and the
/// preview's server and watcher, which read the output and watch the site;
/// and the highlight cache, which reads and writes only its own pack files in
/// its own folder (never site content: what it reads is gen's own output),
/// and the picture cache, likewise (pictures themselves are read through the
/// gate).
const ALLOWED: &[&str] = &[
    "src/sitefs.rs",
    "src/markdown/highlight/cache.rs",
    "src/images/process.rs",
    "src/write.rs",
    "src/write/owner.rs",
    "src/cmd/init.rs",
    "src/cmd/new.rs",
    "src/serve/server.rs",
];

/// Calls that open, read or list files.
const READS: &[&str] = &[
    "std::fs::read",
    "fs::read(",
    "fs::read_to_string",
    "fs::read_dir",
    "read_dir(",
    "File::open",
    "OpenOptions",
    "WalkDir",
    "walkdir::",
];

#[test]
fn nothing_in_src_reads_files_outside_the_gate() {
    let mut found = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (path, bytes) in support::all_files(&src) {
        let rel = format!("src/{path}");
        if !rel.ends_with(".rs") || ALLOWED.contains(&rel.as_str()) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        // Unit tests may make and read their own temporary files: what follows
        // `#[cfg(test)]`, and a whole file of tests (`#![cfg(test)]`).
        if text.lines().any(|l| l == "#![cfg(test)]") {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for pat in READS {
                if line.contains(pat) {
                    found.push(format!("{rel}:{}: {line}", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "file reads outside the gate (use crate::sitefs::SiteFs):\n{}",
        found.join("\n")
    );
}
