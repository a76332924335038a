//! `gen build`: the site into `public/` (or `-o DIR`).

use std::path::PathBuf;

use super::{Exit, Global};
use crate::diag::Diagnostic;
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
    #[arg(long)]
    pub base_url: Option<String>,
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let opts = LoadOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.as_deref(),
        };
        let built = match crate::build::build(&g.root, opts) {
            Ok(b) => b,
            Err(diags) => {
                g.report(&diags);
                eprintln!("build failed; the previous output was left as it was");
                return Err(Exit::SiteErrors);
            }
        };
        g.report(&built.warnings);
        let target = self.output.unwrap_or_else(|| g.root.join("public"));
        if let Err(e) = crate::write::write_atomically(&target, &built.output) {
            g.report(&[Diagnostic::error(format!("cannot write the output: {e}"))
                .in_file(&target)
                .hint("check that the output folder is writable")]);
            return Err(Exit::SiteErrors);
        }
        if !g.quiet {
            eprintln!(
                "built {} post{}, {} page{} and {} files into {} in {} ms",
                built.site.posts.len(),
                if built.site.posts.len() == 1 { "" } else { "s" },
                built.site.pages.len(),
                if built.site.pages.len() == 1 { "" } else { "s" },
                built.output.files.len(),
                target.display(),
                built.millis
            );
        }
        Ok(())
    }
}
