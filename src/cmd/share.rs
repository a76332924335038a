//! `gen share`: the share snippets of chosen guest posts, as text, as a Markdown
//! pull-request comment, or as JSON.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::ValueEnum;

use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::share::kit::{self, Audience, Kit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Posts to share, by file (content/posts/x.md) or slug. Default: every guest post.
    pub posts: Vec<String>,
    /// Only guest posts added since this git ref (e.g. origin/main), or dated on or
    /// after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Source files under content/posts added since `git_ref` (committed or not).
fn added_since(root: &Path, git_ref: &str) -> Result<BTreeSet<PathBuf>, String> {
    let run = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    run(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{git_ref}^{{commit}}"),
    ])
    .map_err(|_| {
        format!("\"{git_ref}\" is neither a date (YYYY-MM-DD) nor a git ref of this repository")
    })?;
    let diff = run(&[
        "diff",
        "--name-only",
        "--no-renames",
        "--diff-filter=A",
        "--relative",
        git_ref,
        "--",
        "content/posts",
    ])?;
    let untracked = run(&[
        "ls-files",
        "--others",
        "--exclude-standard",
        "--",
        "content/posts",
    ])?;
    Ok(diff
        .lines()
        .chain(untracked.lines())
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

fn select(site: &Site, args: &Args, root: &Path) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let mut chosen: Vec<usize> = (0..site.posts.len())
        .filter(|&i| kit::has_kit(site, &site.posts[i]))
        .collect();
    if !args.posts.is_empty() {
        // Every named post that is not there, or has no kit, and why.
        let mut problems = Vec::new();
        let mut wanted = BTreeSet::new();
        for w in &args.posts {
            let w = w.trim_start_matches("./");
            let found = named_post(site, w);
            wanted.extend(found);
            match found.map(|i| &site.posts[i]) {
                None => problems.push(
                    Diagnostic::error(format!("no post \"{w}\""))
                        .hint("name a post by its file (content/posts/x.md) or its slug"),
                ),
                Some(p) => problems.extend(kit::why_no_kit(site, p)),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        chosen.retain(|i| wanted.contains(i));
    }
    if let Some(since) = &args.since {
        let since = posts_since(site, since, root).map_err(|d| vec![d])?;
        chosen.retain(|i| since.contains(i));
    }
    Ok(chosen)
}

/// The posts (indexes into `site.posts`) added since a git ref (their file,
/// or a file of their bundle, is new since it, committed or not), or dated
/// on or after a date (YYYY-MM-DD): `--since` of `gen share` and `gen
/// mentions send`.
pub(crate) fn posts_since(
    site: &Site,
    since: &str,
    root: &Path,
) -> Result<BTreeSet<usize>, Diagnostic> {
    let all = 0..site.posts.len();
    if let Some(date) = crate::load::dates::parse_date(since).filter(|_| since.len() == 10) {
        return Ok(all.filter(|&i| site.posts[i].date >= date).collect());
    }
    let added = added_since(root, since).map_err(|e| {
        Diagnostic::error(e).hint(
            "pass --since a date like 2024-05-01 or a ref like origin/main (fetch it first in CI)",
        )
    })?;
    Ok(all
        .filter(|&i| {
            let p = &site.posts[i];
            added.contains(&p.source)
                || p.bundle
                    .as_ref()
                    .is_some_and(|b| added.iter().any(|a| a.starts_with(b)))
        })
        .collect())
}

/// The post a command line names, by its file (content/posts/x.md) or slug.
pub(crate) fn named_post(site: &Site, name: &str) -> Option<usize> {
    let name = name.trim_start_matches("./");
    site.posts
        .iter()
        .position(|p| p.slug == name || crate::diag::display_path(&p.source) == name)
}

fn audience_label(a: Audience) -> &'static str {
    match a {
        Audience::Owner => "for the site",
        Audience::Guest => "for the author",
    }
}

/// The kits as plain text.
pub fn as_text(kits: &[Kit]) -> String {
    let mut out = String::new();
    for k in kits {
        let _ = writeln!(out, "== {} <{}>\n", k.title, k.url);
        for s in &k.snippets {
            let count = s
                .limit
                .map_or(format!("{}", s.length), |l| format!("{}/{l}", s.length));
            let _ = writeln!(
                out,
                "-- {} ({}) {count} {}",
                s.label,
                audience_label(s.audience),
                s.unit
            );
            if let Some(subject) = &s.subject {
                let _ = writeln!(out, "Subject: {subject}");
            }
            let _ = writeln!(out, "{}\n", s.text);
            if let Some(u) = &s.intent_url {
                let _ = writeln!(out, "{u}\n");
            }
        }
    }
    out
}

/// The kits as a Markdown pull-request comment.
pub fn as_markdown(kits: &[Kit]) -> String {
    let mut out = String::new();
    if kits.is_empty() {
        out.push_str("No new guest posts to share.\n");
        return out;
    }
    for k in kits {
        let _ = writeln!(
            out,
            "### Share kit: [{}]({})\n",
            k.title.replace(['[', ']'], ""),
            k.url
        );
        out.push_str("This is how the post will be announced. Each text fits its platform's length limit.\n\n");
        for s in &k.snippets {
            let count = s
                .limit
                .map_or(format!("{}", s.length), |l| format!("{} / {l}", s.length));
            let _ = writeln!(
                out,
                "<details><summary><b>{}</b>, {} ({count} {})</summary>\n",
                s.label,
                audience_label(s.audience),
                s.unit
            );
            if let Some(subject) = &s.subject {
                let _ = writeln!(out, "Subject: {subject}\n");
            }
            let fence = if s.text.contains("```") {
                "````"
            } else {
                "```"
            };
            let _ = writeln!(out, "{fence}text\n{}\n{fence}\n", s.text);
            if let Some(u) = &s.intent_url {
                let _ = writeln!(out, "[Open in {}]({})\n", s.label, u.replace(')', "%29"));
            }
            out.push_str("</details>\n\n");
        }
    }
    out
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let site = g.load_site(true)?;
        let chosen = match select(&site, &self, &g.root) {
            Ok(c) => c,
            Err(d) => {
                g.report(&d);
                return Err(Exit::Usage);
            }
        };
        let kits = match crate::render::share_kits(&site, &chosen) {
            Ok((k, w)) => {
                g.report(&w);
                k
            }
            Err(d) => {
                g.report(&d);
                return Err(Exit::SiteErrors);
            }
        };
        let text = match self.format {
            Format::Text => as_text(&kits),
            Format::Markdown => as_markdown(&kits),
            Format::Json => serde_json::to_string_pretty(&kits).unwrap_or_default() + "\n",
        };
        print!("{text}");
        Ok(())
    }
}
