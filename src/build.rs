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
    let (site, theme, mut warnings) = load_with_theme(root, opts)?;
    let (output, render_warnings) = render::render_site(&site, &theme).map_err(|mut e| {
        e.append(&mut warnings);
        e
    })?;
    warnings.extend(render_warnings);
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
    let (site, theme, mut warnings) = load_with_theme(root, opts)?;
    let staging = Staging::new(target).map_err(|e| vec![write_error(target, e)])?;
    let (files, render_warnings) =
        render::render_into(&site, &theme, &staging).map_err(|mut e| {
            e.append(&mut warnings);
            e
        })?;
    warnings.extend(render_warnings);
    staging.commit().map_err(|e| vec![write_error(target, e)])?;
    Ok(Written {
        posts: site.posts.len(),
        pages: site.pages.len(),
        files,
        warnings,
        millis: start.elapsed().as_millis(),
    })
}

/// Loads the site and its theme. When the content has errors, the templates and
/// the links of every file that did load are still checked, so one run reports
/// all the problems.
fn load_with_theme(
    root: &Path,
    opts: LoadOptions<'_>,
) -> Result<(Site, render::Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
    // Syntax definitions load while the site is read.
    std::thread::spawn(crate::markdown::highlight::preload);
    let (site, mut diags) = load::load_partial(root, opts);
    let Some(site) = site else { return Err(diags) };
    diags.extend(crate::check::similar_terms(&site));
    let theme = render::theme::load(root, &site.config);
    let content_errors = diags.iter().any(Diagnostic::is_error);
    match theme {
        Ok(theme) if !content_errors => return Ok((site, theme, diags)),
        Ok(_) => {}
        Err(e) => diags.extend(e),
    }
    match render::render_markdown(&site) {
        Err(e) => diags.extend(e),
        Ok((posts, pages)) => diags.extend(posts.into_iter().chain(pages).flat_map(|r| r.warnings)),
    }
    diags.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    Err(diags)
}

fn write_error(target: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write the output: {e}"))
        .in_file(target)
        .hint("check that the output folder and the folder around it are writable")
}
