//! The pipeline: pages, then feeds, then the sitemap and other extras, then
//! copied files, into a [`Sink`]. [`render_pages`] and [`render_feeds`] take a
//! reuse policy ([`Keep`]): `gen build` keeps nothing, `gen serve` keeps what
//! its fingerprints say is unchanged, so both render through the same code.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::*;
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::markdown;
use crate::routes::{EXTRAS, Route};

/// Where rendered files go: memory (`gen serve`, `gen check`) or a staging folder
/// (`gen build`, which so never holds the whole site in memory).
pub trait Sink: Sync {
    /// Stores one output file at `path` (relative, `/`-separated).
    fn put(&self, path: &str, content: Content) -> std::io::Result<()>;
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, path: &str, content: Content) -> std::io::Result<()> {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .insert(path.to_string(), content);
        Ok(())
    }
}

fn sink_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {path}: {e}"))
        .hint("check that the output folder is writable and the disk has space")
}

/// The errors of rendering pages, sorted by message, one per file and kind: a
/// broken template fails every page made with it (`cannot render /a/: …`,
/// `cannot render /b/: …`), and one of them says it.
pub fn render_errors(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.message.cmp(&b.message));
    diags.dedup_by(|a, b| {
        a.path == b.path && a.message.split(':').next() == b.message.split(':').next()
    });
    diags
}

/// Renders the whole site into memory, with the warnings rendering found.
pub fn render_site(
    site: &Site,
    theme: &Theme,
) -> Result<(Output, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sink = std::sync::Mutex::new(Output::default());
    let (_, warnings) = render_into(site, theme, &sink)?;
    Ok((
        sink.into_inner().unwrap_or_else(|e| e.into_inner()),
        warnings,
    ))
}

/// Renders the whole site into `sink`, page by page, in parallel. Returns the
/// number of files written and the warnings rendering found (share snippets
/// that cannot fit their platform).
pub fn render_into(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    // Every output path has one source: clashes are reported with the
    // errors of the Markdown, before anything is written.
    let indices = Indices::build(site);
    let (clashes, case_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        claims::check(site, &indices, Some(theme))
            .into_iter()
            .partition(Diagnostic::is_error);
    let (posts_md, pages_md) = match render_markdown(site) {
        Ok(md) if clashes.is_empty() => md,
        Ok(_) => return Err(clashes.into_iter().chain(case_warnings).collect()),
        Err(mut e) => {
            e.extend(clashes);
            e.extend(case_warnings);
            return Err(e);
        }
    };
    let earlier = Earlier {
        indices: Some(indices),
        author_values: None,
    };
    let prep = Prepared::reusing(site, theme, &posts_md, &pages_md, earlier, &mut |_| {
        Vec::new()
    });
    let jobs = prep.jobs();
    // A full build keeps nothing of an earlier one.
    let results = render_pages(&prep, &jobs, &|_| false, sink);
    let mut generated: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(path) => {
                generated.insert(path);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(render_errors(diags));
    }
    add_feeds_and_extras(&prep, sink, &mut generated)?;
    let mut warnings = case_warnings;
    warnings.extend(prep.kit_warnings());
    warnings.extend(
        posts_md
            .iter()
            .chain(&pages_md)
            .flat_map(|r| r.warnings.iter().cloned()),
    );
    Ok((generated.len(), warnings))
}

/// A reuse policy: whether the job at a position keeps the output an earlier
/// build made for it. A full build keeps nothing (`|_| false`); `gen serve`
/// keeps the pages and feeds whose fingerprint is unchanged
/// (`serve::incremental`).
pub type Keep<'k> = &'k (dyn Fn(usize) -> bool + Sync);

/// Renders the page jobs that `keep` does not keep into `sink`, in parallel:
/// one entry per job, `None` for a kept one, else the file written or why the
/// page could not be made. `gen build` and `gen serve` both render pages here.
pub fn render_pages(
    prep: &Prepared<'_>,
    jobs: &[Job],
    keep: Keep<'_>,
    sink: &dyn Sink,
) -> Vec<Option<Result<String, Diagnostic>>> {
    jobs.par_iter()
        .enumerate()
        .map(|(k, job)| {
            (!keep(k)).then(|| {
                let (file, html) = prep.render_job(job)?;
                sink.put(&file, Content::Text(html))
                    .map_err(|e| sink_error(&file, e))?;
                Ok(file)
            })
        })
        .collect()
}

/// Renders the feeds that `keep` does not keep into `sink`, as
/// [`render_pages`] does pages.
pub fn render_feeds(
    prep: &Prepared<'_>,
    feeds: &[FeedJob<'_>],
    keep: Keep<'_>,
    sink: &dyn Sink,
) -> Vec<Option<Result<String, Diagnostic>>> {
    feeds
        .par_iter()
        .enumerate()
        .map(|(k, f)| {
            (!keep(k)).then(|| {
                let xml = prep.render_feed(f);
                let file = f.route.file();
                sink.put(&file, Content::Text(xml))
                    .map_err(|e| sink_error(&file, e))?;
                Ok(file)
            })
        })
        .collect()
}

/// Feeds, sitemap, robots.txt, the syntax stylesheet and static files.
fn add_feeds_and_extras(
    prep: &Prepared<'_>,
    sink: &dyn Sink,
    generated: &mut std::collections::HashSet<String>,
) -> Result<(), Vec<Diagnostic>> {
    let written = render_feeds(prep, &prep.feed_jobs(), &|_| false, sink);
    for w in written.into_iter().flatten() {
        generated.insert(w.map_err(|d| vec![d])?);
    }
    for (path, content) in prep.extras()? {
        sink.put(&path, content)
            .map_err(|e| vec![sink_error(&path, e)])?;
        generated.insert(path);
    }
    let copies = prep.copies(&|dest| generated.contains(dest));
    copies.par_iter().try_for_each(|(dest, src)| {
        sink.put(dest, Content::Copy(src.clone()))
            .map_err(|e| vec![sink_error(dest, e)])
    })?;
    generated.extend(copies.into_iter().map(|(d, _)| d));
    Ok(())
}

impl Prepared<'_> {
    /// Whether a static file of the site or theme is the site's robots.txt.
    pub fn static_robots(&self) -> bool {
        claims::static_robots(self.site, Some(self.theme))
    }

    /// The sitemap, robots.txt (unless a static file is) and the syntax
    /// stylesheet.
    pub fn extras(&self) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
        let config = &self.site.config;
        let entries = self.sitemap_entries();
        let css =
            markdown::highlight::stylesheet(&config.highlight_theme, &config.highlight_theme_dark)
                .map_err(|e| {
                    vec![
                        Diagnostic::error(e)
                            .in_file(crate::config::CONFIG_FILE)
                            .hint("set [markdown] highlight_theme to one of the listed names"),
                    ]
                })?;
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            config.url(&Route::Sitemap.path())
        );
        let static_robots = self.static_robots();
        Ok(EXTRAS
            .into_iter()
            .filter_map(|route| {
                let content = match route {
                    Route::Sitemap => feeds::sitemap(config, &entries),
                    // A robots.txt among the static files takes the generated one's place.
                    Route::Robots if static_robots => return None,
                    Route::Robots => robots.clone(),
                    _ => css.clone(),
                };
                Some((route.file(), Content::Text(content)))
            })
            .collect())
    }

    /// The sitemap's entries (path, last modified), sorted: every page but the
    /// 404 page and the share kits.
    pub fn sitemap_entries(&self) -> Vec<(String, Option<String>)> {
        let site = self.site;
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        for job in self.jobs() {
            let lastmod = match &job {
                Job::NotFound | Job::Share(_) | Job::ShareJson(_) => continue,
                Job::Post(i) => {
                    let p = &site.posts[*i];
                    Some(p.updated.unwrap_or(p.date).to_rfc3339())
                }
                _ => None,
            };
            entries.push((job.route(site, &self.indices).path(), lastmod));
        }
        entries.sort();
        entries
    }

    /// The files copied into the output: theme static files, then the site's
    /// (the site wins on clashes), without those `generated` says a page has.
    pub fn copies(&self, generated: &dyn Fn(&str) -> bool) -> Vec<(String, Source)> {
        let mut copies: BTreeMap<String, Source> = BTreeMap::new();
        for (dest, src) in &self.theme.static_files {
            copies.insert(dest.clone(), src.clone());
        }
        for f in &self.site.files {
            copies.insert(f.dest.clone(), Source::Disk(f.source.clone()));
        }
        copies
            .into_iter()
            .filter(|(dest, _)| !generated(dest))
            .collect()
    }
}

/// The share kits of the chosen posts (indices into `site.posts`), with the
/// warnings of snippets that do not fit.
pub fn share_kits(
    site: &Site,
    chosen: &[usize],
) -> Result<(Vec<crate::share::kit::Kit>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let theme = theme::load(&site.root, &site.config)?;
    let (posts_md, pages_md) = render_markdown(site)?;
    let prep = Prepared::new(site, &theme, &posts_md, &pages_md);
    let results: Vec<KitResult> = chosen.par_iter().map(|&i| prep.kit(i).clone()).collect();
    let mut kits = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((k, w)) => {
                kits.push(k);
                warnings.extend(w);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok((kits, warnings))
    } else {
        Err(errors)
    }
}
