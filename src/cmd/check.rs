//! `gen check`: every validation of a build, without writing anything, reported in
//! a format for people (`human`), for pull requests (`github`) or for tools (`json`).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Exit, Global};
use crate::diag::{Diagnostic, Severity};
use crate::load::LoadOptions;
use crate::write::owner::resolve;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only report problems in these files or folders (relative to the site root).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Include drafts in the check.
    #[arg(short = 'D', long)]
    pub drafts: bool,
    /// Do not read or write the highlight cache (.byline-cache/): highlight
    /// every code block again.
    #[arg(long)]
    pub no_cache: bool,
}

/// Every problem `gen check` finds in the site at `root`.
pub fn check_site(root: &std::path::Path, drafts: bool) -> Vec<Diagnostic> {
    let opts = LoadOptions {
        drafts,
        future: true,
        base_url: None,
    };
    // The pages are read for their links as they are rendered, not kept.
    let index = |site: &crate::load::Site| crate::check::LinkIndex::new(&site.config.base_url);
    match crate::build::build_with(root, opts, index) {
        Ok((site, links, mut all)) => {
            // The build's warnings include share snippets that cannot fit.
            all.extend(crate::check::site_checks(&site, &links));
            all
        }
        Err(d) => d,
    }
}

/// The `PATH…` arguments as paths relative to the site root. Each must name a
/// file or folder inside the site, given relative to the site root (or to the
/// current folder, or absolute); anything else is a usage error, so that a
/// typo never reads as "no errors".
fn site_paths(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let root_real = match resolve(root) {
        Ok(r) if r.is_dir() => r,
        _ => return Ok(paths.to_vec()),
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for want in paths {
        let found = [root.join(want), want.clone()]
            .into_iter()
            .filter_map(|p| resolve(&p).ok())
            .find(|p| p.exists());
        match found {
            Some(real) => match real.strip_prefix(&root_real) {
                Ok(rel) => out.push(rel.to_path_buf()),
                Err(_) => errors.push(
                    Diagnostic::error(format!(
                        "{} is outside the site folder {}",
                        want.display(),
                        root_real.display()
                    ))
                    .hint("gen check checks only the site's own files; give paths inside it"),
                ),
            },
            None => errors.push(
                Diagnostic::error(format!(
                    "{}: no such file or folder in the site {}",
                    want.display(),
                    root_real.display()
                ))
                .hint("give paths relative to the site folder, like content/posts/my-post.md"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        if self.no_cache {
            crate::markdown::highlight::cache::disable();
        }
        let wanted = match site_paths(&g.root, &self.paths) {
            Ok(w) => w,
            Err(errors) => {
                g.report(&errors);
                return Err(Exit::Usage);
            }
        };
        let mut diags = check_site(&g.root, self.drafts);
        if !wanted.is_empty() {
            diags.retain(|d| match &d.path {
                Some(p) => wanted.iter().any(|want| p.starts_with(want)),
                None => true,
            });
        }
        crate::diag::sort(&mut diags);
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diags.len() - errors;
        match self.format {
            Format::Human => {
                g.report(&diags);
                if errors == 0 && !g.quiet {
                    eprintln!(
                        "checked: no errors{}",
                        if warnings > 0 {
                            format!(", {warnings} warning(s)")
                        } else {
                            String::new()
                        }
                    );
                }
            }
            Format::Github => {
                for d in &diags {
                    println!("{}", d.render_github());
                }
            }
            Format::Json => {
                let v = serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": diags });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            }
        }
        if errors > 0 || (self.deny_warnings && warnings > 0) {
            Err(Exit::SiteErrors)
        } else {
            Ok(())
        }
    }
}
