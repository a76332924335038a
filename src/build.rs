//! The whole pipeline in one call: load → render → (optionally) write. Commands
//! (`build`, `check`, `serve`) use this rather than calling the stages themselves.

use std::path::Path;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::load::{self, LoadOptions, Site};
use crate::render::{self, Output};

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
