//! `gen build`: the site into `public/` (or `-o DIR`).

use std::path::PathBuf;

use super::{Exit, Global};
use crate::load::LoadOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Include posts marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Output folder (default: public/ in the site).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Override `base_url` (for pull-request previews).
    #[arg(long, value_parser = absolute_url)]
    pub base_url: Option<String>,
}

/// A `--base-url` value: an absolute http(s) URL. Anything else is a usage error
/// (exit 2), not an error in gen.toml.
fn absolute_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !s.contains(char::is_whitespace) =>
        {
            Ok(s.to_string())
        }
        _ => Err(format!(
            "\"{s}\" is not an absolute http(s) URL; write it like https://preview.example.org"
        )),
    }
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let opts = LoadOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.as_deref(),
        };
        let target = self.output.unwrap_or_else(|| g.root.join("public"));
        let built = match crate::build::build_to(&g.root, opts, &target) {
            Ok(b) => b,
            Err(diags) => {
                g.report(&diags);
                eprintln!("build failed; the previous output was left as it was");
                return Err(Exit::SiteErrors);
            }
        };
        g.report(&built.warnings);
        if !g.quiet {
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            eprintln!(
                "built {} post{}, {} page{} and {} files into {} in {} ms",
                built.posts,
                plural(built.posts),
                built.pages,
                plural(built.pages),
                built.files,
                target.display(),
                built.millis
            );
        }
        Ok(())
    }
}
