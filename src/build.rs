//! The whole pipeline in one call: load → render → (optionally) write. Commands
//! (`build`, `check`, `serve`) use this rather than calling the stages themselves.

use std::path::Path;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::load::{self, LoadOptions, Site};
use crate::render::{self, Output};
use crate::write::owner::Claimed;
use crate::write::{Staging, WriteStats};

/// A successful in-memory build.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub millis: u128,
}

/// Loads and renders the site at `root` into memory. All problems of the
/// run come back together; warnings come back with a successful build too.
pub fn build(root: &Path, opts: LoadOptions<'_>) -> Result<Built, Vec<Diagnostic>> {
    let start = Instant::now();
    let (site, sink, warnings) =
        build_with(root, opts, |_| std::sync::Mutex::new(Output::default()))?;
    Ok(Built {
        site,
        output: sink.into_inner().unwrap_or_else(|e| e.into_inner()),
        warnings,
        millis: start.elapsed().as_millis(),
    })
}

/// Loads the site at `root` and renders it into the sink `make` makes for
/// it (`gen check` keeps only the links of the pages: [`crate::check::LinkIndex`]).
/// All problems of the run come back together; warnings come back with a
/// successful build too.
pub fn build_with<S: render::Sink>(
    root: &Path,
    opts: LoadOptions<'_>,
    make: impl FnOnce(&Site) -> S,
) -> Result<(Site, S, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (site, theme, mut warnings) = load_with_theme(root, opts)?;
    let sink = make(&site);
    let (_, render_warnings) = render::render_into(&site, &theme, &sink).map_err(|mut e| {
        e.append(&mut warnings);
        e
    })?;
    warnings.extend(render_warnings);
    site.config.syntaxes.save_cache();
    Ok((site, sink, warnings))
}

/// What `gen build` reports.
pub struct Written {
    pub posts: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub millis: u128,
    /// What each stage did and how long it took (`gen build -v`).
    pub stages: Stages,
}

/// The work of each stage of a build, counted as it happens.
#[derive(Debug, Default, Clone)]
pub struct Stages {
    /// Files read: Markdown posts and pages (drafts and future posts that were
    /// read but left out included), author profiles, and static files found.
    pub posts_read: usize,
    pub pages_read: usize,
    pub authors_read: usize,
    pub static_files: usize,
    /// Loading, checking and the theme, in milliseconds.
    pub load_millis: u128,
    /// What rendering wrote into the staging folder.
    pub write: WriteStats,
    /// Rendering and writing (they overlap: pages are written as rendered).
    pub render_millis: u128,
    /// Moving the new output in place of the old.
    pub swap_millis: u128,
    /// What the highlight cache did (`None`: no cache, or it could not be written).
    pub highlight_cache: Option<crate::markdown::highlight::cache::Stats>,
}

/// Loads, renders and writes the site at `root` into the output folder
/// `target` (which [`crate::write::owner::claim`] found safe to replace),
/// streaming pages into a staging folder that replaces it only when the build
/// succeeded.
pub fn build_to(
    root: &Path,
    opts: LoadOptions<'_>,
    target: &Claimed,
) -> Result<Written, Vec<Diagnostic>> {
    let start = Instant::now();
    let (site, theme, mut warnings) = load_with_theme(root, opts)?;
    let load_millis = start.elapsed().as_millis();
    let render_start = Instant::now();
    let mut staging = Staging::new(target).map_err(|e| vec![write_error(&target.path, e)])?;
    // Its entries are written whole and renamed in, never changed in place.
    staging.link_from(crate::images::cache_dir(root, &site.config.cache));
    let (files, render_warnings) =
        render::render_into(&site, &theme, &staging).map_err(|mut e| {
            e.append(&mut warnings);
            e
        })?;
    warnings.extend(render_warnings);
    let write = staging.stats();
    let render_millis = render_start.elapsed().as_millis();
    let swap_start = Instant::now();
    if let Some(left) = staging
        .commit()
        .map_err(|e| vec![write_error(&target.path, e)])?
    {
        warnings.push(
            Diagnostic::warning(format!(
                "the new output is in place, but the previous one, moved to {}, could not be \
                 removed: {}",
                left.path.display(),
                left.error
            ))
            .hint("delete that folder by hand"),
        );
    }
    // Once the new output is in place: the cache is no part of it.
    let highlight_cache = site.config.syntaxes.save_cache();
    let stages = Stages {
        posts_read: site.posts.len()
            + site
                .unparsed
                .iter()
                .filter(|p| p.starts_with("content/posts"))
                .count(),
        pages_read: site.pages.len()
            + site
                .unparsed
                .iter()
                .filter(|p| !p.starts_with("content/posts"))
                .count(),
        authors_read: site.authors.len(),
        static_files: site.files.len(),
        load_millis,
        write,
        render_millis,
        swap_millis: swap_start.elapsed().as_millis(),
        highlight_cache,
    };
    Ok(Written {
        posts: site.posts.len(),
        pages: site.pages.len(),
        files,
        warnings,
        millis: start.elapsed().as_millis(),
        stages,
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
        Ok(theme) => diags.extend(clashes(&site, Some(&theme))),
        Err(e) => {
            diags.extend(e);
            diags.extend(clashes(&site, None));
        }
    }
    match render::render_markdown(&site) {
        Err(e) => diags.extend(e),
        Ok((posts, pages)) => diags.extend(posts.into_iter().chain(pages).flat_map(|r| r.warnings)),
    }
    crate::diag::sort(&mut diags);
    Err(diags)
}

/// Output paths with two sources among the files that loaded.
fn clashes(site: &Site, theme: Option<&render::Theme>) -> Vec<Diagnostic> {
    render::claims::check(site, &render::Indices::build(site), theme)
}

fn write_error(target: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write the output: {e}"))
        .in_file(target)
        .hint("check that the output folder and the folder around it are writable")
}
