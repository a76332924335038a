//! `gen init [DIR]`: a working starter site with one staff author, one post, an
//! about page, the contributor guide and CI workflows for guest pull requests.

use std::path::{Path, PathBuf};

use super::new::{author_template, post_template};
use super::{Exit, Global};
use crate::diag::Diagnostic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create the site in (default: the --root folder).
    pub dir: Option<PathBuf>,
}

const CONTRIBUTING: &str = include_str!("../../example-site/CONTRIBUTING.md");
const PR_WORKFLOW: &str = include_str!("../../example-site/.github/workflows/pr.yml");
const PUBLISH_WORKFLOW: &str = include_str!("../../example-site/.github/workflows/publish.yml");

fn config(title: &str) -> String {
    format!(
        r#"title = "{title}"
base_url = "https://blog.example.org"   # where the site will live
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
"#
    )
}

const ABOUT: &str = r#"+++
title = "About"
description = "What this blog is and who writes it."
+++

This blog publishes posts by our team and by guest authors. Want to write one?
Read the contributor guide in the repository: one Markdown file and a pull
request is all it takes.
"#;

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
        let title = dir
            .canonicalize()
            .ok()
            .or_else(|| Some(dir.clone()))
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .filter(|n| !n.is_empty() && n != ".")
            .unwrap_or_else(|| "My Blog".into());
        let (today, now) = super::new::local_now();
        let mut post = post_template("Hello, world", "editor", &now);
        post = post.replace(
            "Write your first paragraph here: it is the summary shown on the home page.",
            "This is the first post of the blog. Edit it, or delete it and write your own with `gen new post \"Title\" --author editor`.",
        );
        let files: Vec<(PathBuf, String)> = vec![
            ("gen.toml".into(), config(&title.replace('"', "'"))),
            (
                "authors/editor.toml".into(),
                author_template("The Editor", false),
            ),
            (format!("content/posts/{today}-hello-world.md").into(), post),
            ("content/about.md".into(), ABOUT.to_string()),
            ("static/.gitkeep".into(), String::new()),
            ("templates/.gitkeep".into(), String::new()),
            ("CONTRIBUTING.md".into(), CONTRIBUTING.to_string()),
            (".github/workflows/pr.yml".into(), PR_WORKFLOW.to_string()),
            (
                ".github/workflows/publish.yml".into(),
                PUBLISH_WORKFLOW.to_string(),
            ),
            (".gitignore".into(), "public/\n".to_string()),
        ];
        for (rel, text) in files {
            if let Err(e) = write(&dir, &rel, &text) {
                g.report(
                    &[Diagnostic::error(format!("cannot write: {e}")).in_file(dir.join(&rel))],
                );
                return Err(Exit::SiteErrors);
            }
        }
        if !g.quiet {
            eprintln!(
                "created a new site in {}\nnext: cd {} && gen serve --watch",
                dir.display(),
                dir.display()
            );
        }
        Ok(())
    }
}

fn write(dir: &Path, rel: &Path, text: &str) -> std::io::Result<()> {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(p, text)
}
