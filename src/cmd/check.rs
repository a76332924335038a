//! `gen check`: every validation of a build, without writing anything, reported in
//! a format for people (`human`), for pull requests (`github`) or for tools (`json`).

use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Global};
use crate::diag::{Diagnostic, Severity};
use crate::load::LoadOptions;

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
    #[arg(long)]
    pub drafts: bool,
}

/// Every problem `gen check` finds in the site at `root`.
pub fn check_site(root: &std::path::Path, drafts: bool) -> Vec<Diagnostic> {
    let opts = LoadOptions {
        drafts,
        future: true,
        base_url: None,
    };
    match crate::build::build(root, opts) {
        Ok(b) => {
            let mut all = b.warnings;
            // The build's warnings include share snippets that cannot fit.
            all.extend(crate::check::site_checks(&b.site, &b.output));
            all
        }
        Err(d) => d,
    }
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let mut diags = check_site(&g.root, self.drafts);
        if !self.paths.is_empty() {
            diags.retain(|d| match &d.path {
                Some(p) => self
                    .paths
                    .iter()
                    .any(|want| p.starts_with(want.strip_prefix("./").unwrap_or(want))),
                None => true,
            });
        }
        diags.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
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
