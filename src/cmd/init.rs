//! `gen init [DIR]`: a working starter site with one staff author, one post, an
//! about page, the contributor guide and CI workflows for guest pull requests.
//!
//! The guide and the workflows are written from templates in `init/` with the
//! new site's own title and address, never the example site's. `gen init` never
//! overwrites a file: it refuses a folder that holds anything (a `.git` aside)
//! unless given `--force`, and even then it only adds the files that are missing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::new::{PostOptions, author_template, post_template};
use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::routes::{self, Route, Taxonomy};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create the site in (default: the --root folder).
    pub dir: Option<PathBuf>,
    /// The site's title (default: the folder's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Where the site will live, e.g. https://blog.example.com (written to
    /// gen.toml and the contributor guide).
    #[arg(short = 'u', long, value_parser = super::build::absolute_url)]
    pub base_url: Option<String>,
    /// Create the site in a folder that already holds files: only missing files
    /// are written, existing ones are never overwritten.
    #[arg(long)]
    pub force: bool,
}

const CONTRIBUTING: &str = include_str!("init/CONTRIBUTING.md");
const PR_WORKFLOW: &str = include_str!("init/pr.yml");
const PUBLISH_WORKFLOW: &str = include_str!("init/publish.yml");

/// The new site's `.gitignore`: the output and the highlight cache (the CI
/// workflows keep the cache with the platform's cache action instead).
fn gitignore() -> String {
    format!(
        "public/\n{}/\n",
        crate::markdown::highlight::cache::DEFAULT_DIR
    )
}

/// The placeholder address of a site created without `--base-url`.
const PLACEHOLDER_URL: &str = "https://blog.example.org";

/// The `gen.toml` of a new site.
pub(crate) fn config(title: &str, base_url: Option<&str>) -> String {
    let base = match base_url {
        Some(url) => format!("base_url = {}", toml_string(url)),
        None => {
            format!("base_url = \"{PLACEHOLDER_URL}\"   # where the site will live: change this")
        }
    };
    format!(
        r#"title = {title}
{base}
description = "Notes from our team and guest authors."
language = "en"
theme = "default"
paginate_by = 10
feed_limit = 20

[permalinks]
post = "/posts/:slug/"

[markdown]
highlight_code = true

[social]
# x = "yourblog"

[share]
platforms = ["x", "mastodon", "bluesky", "threads", "linkedin", "email"]
hashtags = []

[guest]
sanitize_html = true

[extra]
"#,
        title = toml_string(title),
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const ABOUT: &str = r#"+++
title = "About"
description = "What this blog is and who writes it."
+++

This blog publishes posts by our team and by guest authors. Want to write one?
Read the contributor guide in the repository: one Markdown file and a pull
request is all it takes.
"#;

/// The contributor guide of a site called `title` at `base_url` (none: the
/// address is not known yet, and the guide gives paths only).
pub fn contributing(title: &str, base_url: Option<&str>) -> String {
    let base = base_url.map(|u| u.trim_end_matches('/'));
    let address = |path: &str| match base {
        Some(b) => format!("`{b}{path}`"),
        None => format!("`{path}` on the site"),
    };
    let mastodon = match base.and_then(|b| b.split("://").nth(1)) {
        Some(host) => format!(
            "\nIf you use Mastodon, add `{}` under *Author attribution* in your\n\
             Mastodon profile settings, so links to your posts show you as the author.\n",
            host.split('/').next().unwrap_or(host)
        ),
        None => String::new(),
    };
    CONTRIBUTING
        .replace("{{title}}", title)
        .replace(
            "{{post_address}}",
            // The pattern the new gen.toml gives, which uses no date.
            &address(&routes::post_path(
                routes::DEFAULT_POST_PATTERN,
                "my-first-post",
                &chrono::DateTime::UNIX_EPOCH.fixed_offset(),
            )),
        )
        .replace(
            "{{tags_address}}",
            &address(&Route::Terms(Taxonomy::Tags).path()),
        )
        .replace(
            "{{categories_address}}",
            &address(&Route::Terms(Taxonomy::Categories).path()),
        )
        .replace(
            "{{share_address}}",
            &address(&Route::ShareKit("<your-post-slug>".into()).path()),
        )
        .replace("{{write_address}}", &address(&Route::Write.path()))
        .replace("{{mastodon}}", &mastodon)
}

/// The workflows of a site called `title` at `base_url`.
pub fn workflows(title: &str, base_url: Option<&str>) -> (String, String) {
    let base = base_url.unwrap_or("the base_url of gen.toml");
    (
        PR_WORKFLOW
            .replace("{{title}}", title)
            .replace("{{base_url}}", base),
        PUBLISH_WORKFLOW
            .replace("{{title}}", title)
            .replace("{{base_url}}", base),
    )
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let dir = self
            .dir
            .map(|d| g.root.join(d))
            .unwrap_or_else(|| g.root.clone());
        if dir.join(crate::config::CONFIG_FILE).exists() {
            g.report(&[Diagnostic::error("a site already exists here")
                .in_file(dir.join(crate::config::CONFIG_FILE))
                .hint("choose an empty folder: `gen init my-blog`")]);
            return Err(Exit::SiteErrors);
        }
        let held = held(&dir);
        if !held.is_empty() && !self.force {
            g.report(&[Diagnostic::error(format!(
                "refusing to create a site in {}: the folder is not empty (it holds {})",
                dir.display(),
                crate::write::owner::list(&held)
            ))
            .hint(
                "choose a new or empty folder (`gen init my-blog`), or pass --force to add \
                 the site's files beside them (no existing file is overwritten)",
            )]);
            return Err(Exit::SiteErrors);
        }
        let title = self
            .title
            .or_else(|| {
                dir.canonicalize()
                    .ok()
                    .or_else(|| Some(dir.clone()))
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .map(|t| t.replace(['\n', '\r'], " ").trim().to_string())
            .filter(|n| !n.is_empty() && n != ".")
            .unwrap_or_else(|| "My Blog".into());
        let base_url = self.base_url.as_deref();
        let (today, now) = super::new::local_now();
        let mut post = post_template(&PostOptions {
            title: "Hello, world",
            authors: &["editor".to_string()],
            date: &now,
            draft: false,
            yaml: false,
            slug: None,
        });
        post = post.replace(
            "Write your first paragraph here: it is the summary shown on the home page.",
            "This is the first post of the blog. Edit it, or delete it and write your own with `gen new post \"Title\" --author editor`.",
        );
        let mut files = site_files(&title, base_url);
        files.extend([
            (
                "authors/editor.toml".into(),
                author_template("The Editor", false),
            ),
            (format!("content/posts/{today}-hello-world.md").into(), post),
            ("content/about.md".into(), ABOUT.to_string()),
        ]);
        let mut kept = Vec::new();
        for (rel, text) in files {
            match write_new(&dir, &rel, &text) {
                Ok(true) => {}
                Ok(false) => kept.push(rel),
                Err(e) => {
                    g.report(&[
                        Diagnostic::error(format!("cannot write: {e}")).in_file(dir.join(&rel))
                    ]);
                    return Err(Exit::SiteErrors);
                }
            }
        }
        if !kept.is_empty() {
            let names: Vec<String> = kept.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "warning: kept the existing {} (not overwritten); compare with what gen init writes",
                names.join(", ")
            );
        }
        if !g.quiet {
            eprintln!(
                "created a new site in {}\nnext: cd {} && gen serve",
                dir.display(),
                dir.display()
            );
            if base_url.is_none() {
                eprintln!("then set base_url in gen.toml to the address the site will have");
            }
        }
        Ok(())
    }
}

/// The files of a new site besides its sample content: the config, the
/// folders, the contributor guide and the workflows (`gen import` writes
/// these too).
pub(crate) fn site_files(title: &str, base_url: Option<&str>) -> Vec<(PathBuf, String)> {
    let (pr, publish) = workflows(title, base_url);
    vec![
        ("gen.toml".into(), config(title, base_url)),
        ("static/.gitkeep".into(), String::new()),
        ("templates/.gitkeep".into(), String::new()),
        ("CONTRIBUTING.md".into(), contributing(title, base_url)),
        (".github/workflows/pr.yml".into(), pr),
        (".github/workflows/publish.yml".into(), publish),
        (".gitignore".into(), gitignore()),
    ]
}

/// The entries of `dir` besides `.git` (none when it does not exist).
pub(crate) fn held(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".git")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Writes a new file; `Ok(false)` when one is already there (left as it is).
fn write_new(dir: &Path, rel: &Path, text: &str) -> std::io::Result<bool> {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&p)
    {
        Ok(mut f) => f.write_all(text.as_bytes()).map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_of_the_example_site_in_what_init_writes() {
        for base in [None, Some("https://notes.acme.test")] {
            let (pr, publish) = workflows("Acme Notes", base);
            let guide = contributing("Acme Notes", base);
            for text in [&pr, &publish, &guide] {
                for example in [
                    "Hallway Track",
                    "fieldnotes",
                    "example.org",
                    "Practices",
                    "Rituals",
                    "sam-okafor",
                ] {
                    assert!(!text.contains(example), "{example} in:\n{text}");
                }
                // Every placeholder was filled (GitHub's own `${{ }}` aside).
                assert!(!text.replace("${{", "").contains("{{"), "{text}");
            }
            assert!(guide.starts_with("# Writing a guest post for Acme Notes\n"));
            let config = config("Acme Notes", base);
            assert!(!config.contains("fieldnotes") && !config.contains("Hallway"));
        }
        let guide = contributing("Acme Notes", Some("https://notes.acme.test/"));
        assert!(guide.contains("`https://notes.acme.test/posts/my-first-post/`"));
        assert!(guide.contains("add `notes.acme.test` under *Author attribution*"));
        let (_, publish) = workflows("Acme Notes", None);
        assert!(publish.contains("schedule:\n") && publish.contains("- cron: \"15 0 * * *\""));
    }

    #[test]
    fn config_is_valid_toml_with_any_title() {
        let t: toml::Table = toml::from_str(&config("Tom's \"Notes\"", None)).unwrap();
        assert_eq!(t["title"].as_str(), Some("Tom's \"Notes\""));
        assert_eq!(t["base_url"].as_str(), Some(PLACEHOLDER_URL));
    }
}
