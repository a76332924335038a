//! The whole pipeline in one call: load → render → (optionally) write. Commands
//! (`build`, `check`, `serve`) use this rather than calling the stages themselves.

use std::path::Path;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::load::{self, LoadOptions, Site};
use crate::render::{self, Output};
use crate::write::Staging;

/// A successful in-memory build.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub millis: u128,
}

/// Loads and renders the site at `root`. All problems of the run come back
/// together; warnings come back with a successful build too.
pub fn build(root: &Path, opts: LoadOptions<'_>) -> Result<Built, Vec<Diagnostic>> {
    let start = Instant::now();
    let (site, mut warnings) = load::load(root, opts)?;
    let theme = render::theme::load(root, &site.config).map_err(|mut e| {
        e.extend(warnings.iter().cloned());
        e
    })?;
    let output = render::render_site(&site, &theme).map_err(|mut e| {
        e.append(&mut warnings);
        e
    })?;
    Ok(Built {
        site,
        output,
        warnings,
        millis: start.elapsed().as_millis(),
    })
}

/// What `gen build` reports.
pub struct Written {
    pub posts: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub millis: u128,
}

/// Loads, renders and writes the site at `root` into `target`, streaming pages
/// into a staging folder that replaces `target` only when the build succeeded.
pub fn build_to(
    root: &Path,
    opts: LoadOptions<'_>,
    target: &Path,
) -> Result<Written, Vec<Diagnostic>> {
    let start = Instant::now();
    let (site, mut warnings) = load::load(root, opts)?;
    let theme = render::theme::load(root, &site.config).map_err(|mut e| {
        e.extend(warnings.iter().cloned());
        e
    })?;
    let staging = Staging::new(target).map_err(|e| vec![write_error(target, e)])?;
    let files = render::render_into(&site, &theme, &staging).map_err(|mut e| {
        e.append(&mut warnings);
        e
    })?;
    staging.commit().map_err(|e| vec![write_error(target, e)])?;
    Ok(Written {
        posts: site.posts.len(),
        pages: site.pages.len(),
        files,
        warnings,
        millis: start.elapsed().as_millis(),
    })
}

fn write_error(target: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write the output: {e}"))
        .in_file(target)
        .hint("check that the output folder and the folder around it are writable")
}
