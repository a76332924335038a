//! `SiteTest`: the set-up of one test as a chain of calls, in the manner of
//! mdBook's `BookTest`. A test starts from a fixture site or from nothing,
//! writes the few files it is about, runs the real `gen` and checks what it
//! said and wrote, without the copy-and-write code each test file used to
//! repeat:
//!
//! ```ignore
//! let site = SiteTest::empty()
//!     .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
//!     .author("holly", "name = \"Holly\"\n")
//!     .post("2024-05-01-hi.md", "title = \"Hi\"\ndate = 2024-05-01\nauthors = [\"holly\"]\n", "Body.");
//! site.run(&["build"]).success().file_contains("public/posts/hi/index.html", "Body.");
//! ```
//!
//! A `SiteTest` dereferences to the [`Site`] it builds, so every helper of
//! `Site` (`write`, `read`, `build_ok`, `public`, …) works on it too.

use std::ops::Deref;
use std::path::Path;

use super::{Run, Site, copy_site, empty_site, fixtures_dir, snapshot};

/// A post file with TOML front matter: `+++`, the `front` lines (each ending
/// in a newline), `+++`, a blank line, the body and a newline. Nothing else is
/// added, so the line and column numbers in a message are those of the lines
/// the test wrote.
pub fn toml_post(front: &str, body: &str) -> String {
    format!("+++\n{front}+++\n\n{body}\n")
}

/// A site in its own temporary folder, built up by the test.
pub struct SiteTest {
    site: Site,
}

impl SiteTest {
    /// A copy of the fixture site `tests/fixtures/sites/NAME`.
    pub fn from_fixture(name: &str) -> SiteTest {
        SiteTest {
            site: copy_site(&fixtures_dir().join(name)),
        }
    }

    /// A copy of any site folder (e.g. `example-site/`), by path from the
    /// package root.
    pub fn from_dir(rel: &str) -> SiteTest {
        SiteTest {
            site: copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)),
        }
    }

    /// An empty site folder: no `gen.toml`, no content.
    pub fn empty() -> SiteTest {
        SiteTest { site: empty_site() }
    }

    /// Writes (or replaces) a file of the site.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        self.site.write(rel, contents);
        self
    }

    /// Writes `gen.toml`.
    pub fn config(self, toml: &str) -> SiteTest {
        self.file("gen.toml", toml)
    }

    /// Writes the author profile `authors/SLUG.toml`.
    pub fn author(self, slug: &str, toml: &str) -> SiteTest {
        self.file(&format!("authors/{slug}.toml"), toml)
    }

    /// Writes `content/posts/FILE` with TOML front matter (see [`toml_post`]).
    pub fn post(self, file: &str, front: &str, body: &str) -> SiteTest {
        self.file(&format!("content/posts/{file}"), toml_post(front, body))
    }

    /// Replaces `from` by `to` in a file of the site ([`Site::edit`]).
    pub fn edit(self, rel: &str, from: &str, to: &str) -> SiteTest {
        self.site.edit(rel, from, to);
        self
    }

    /// Runs `gen -r <root> ARGS…` on the site.
    pub fn run(&self, args: &[&str]) -> Outcome<'_> {
        Outcome {
            run: self.site.run(args),
            site: &self.site,
        }
    }

    /// The site itself, for code that keeps it (a server that owns it).
    pub fn into_site(self) -> Site {
        self.site
    }
}

impl Deref for SiteTest {
    type Target = Site;
    fn deref(&self) -> &Site {
        &self.site
    }
}

/// One run of `gen` on a [`SiteTest`], with checks that chain. It dereferences
/// to [`Run`] for the exit code, stdout, stderr and headlines.
pub struct Outcome<'a> {
    pub run: Run,
    site: &'a Site,
}

impl Outcome<'_> {
    /// Asserts exit code 0 (showing the output otherwise) and no panic.
    #[track_caller]
    pub fn success(&self) -> &Self {
        self.run.assert_code(0);
        self
    }

    /// Asserts the exit code (1 for bad input, 2 for usage) and no panic.
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Self {
        self.run.assert_code(code);
        self
    }

    /// Asserts that stderr is exactly `expected`.
    #[track_caller]
    pub fn stderr_eq(&self, expected: &str) -> &Self {
        assert_eq!(self.run.stderr, expected, "stderr of gen");
        self
    }

    /// Asserts that stderr is exactly the reviewed snapshot
    /// `tests/testsuite/snapshots/NAME.txt` (`BYLINE_BLESS=1` rewrites it).
    #[track_caller]
    pub fn stderr_snapshot(&self, name: &str) -> &Self {
        snapshot::assert_snapshot(name, &self.run.stderr);
        self
    }

    /// Asserts that the file `rel` of the site (e.g. `public/index.html`)
    /// contains `needle`.
    #[track_caller]
    pub fn file_contains(&self, rel: &str, needle: &str) -> &Self {
        let text = self.site.read(rel);
        assert!(
            text.contains(needle),
            "{rel} does not contain {needle:?}:\n{text}"
        );
        self
    }

    /// Asserts that the site has no file or folder at `rel`.
    #[track_caller]
    pub fn no_file(&self, rel: &str) -> &Self {
        assert!(!self.site.path(rel).exists(), "{rel} exists");
        self
    }
}

impl Deref for Outcome<'_> {
    type Target = Run;
    fn deref(&self) -> &Run {
        &self.run
    }
}
