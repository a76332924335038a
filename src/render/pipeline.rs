//! The pipeline: pages, then feeds, then the sitemap and other extras, then
//! copied files, into a [`Sink`]. One function, [`run_pipeline`], runs the
//! stages for `gen build`, `gen check` and `gen serve`; a reuse policy
//! ([`Policy`]) decides what each stage keeps of an earlier build: the full
//! build keeps nothing, `gen serve` keeps what its fingerprints say is
//! unchanged (pages, feeds, the extras while the sitemap's entries stand, and
//! copied files whose source is the same).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    // Post bodies are rendered as their pages are made (and dropped once
    // written): this pass makes what lists and checks need.
    let bodies = BodyRenderer::new(site);
    let (posts_md, pages_md) = match links::render_markdown_listing(site, &bodies) {
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
    let mut prep = Prepared::reusing(site, theme, &posts_md, &pages_md, earlier, &mut |_| {
        Vec::new()
    });
    let body = |i: usize| bodies.post_html(i);
    prep.stream_bodies(&body);
    // `/archive/` lists every post: it is rendered last, from the posts'
    // list values themselves (`Prepared::render_archive_last`), so that the
    // build never holds two copies of them.
    let (archive, jobs): (Vec<Job>, Vec<Job>) = prep
        .jobs()
        .into_iter()
        .partition(|job| matches!(job, Job::Archive));
    // A full build keeps nothing of an earlier one.
    let made = match run_pipeline(&prep, &jobs, &prep.feed_jobs(), &Policy::nothing(), sink) {
        Ok(made) => made,
        Err(mut errors) => {
            // The archive is a page like the others: its error is reported
            // with theirs (rendered from copies, as nothing is written).
            errors.extend(archive.iter().filter_map(|job| prep.render_job(job).err()));
            return Err(render_errors(errors));
        }
    };
    let mut warnings = case_warnings;
    warnings.extend(prep.kit_warnings());
    let mut files = made.files;
    if let Some(job) = archive.first() {
        let (file, html) = prep
            .render_archive_last(job)
            .map_err(|d| render_errors(vec![d]))?;
        sink.put(&file, Content::Text(html))
            .map_err(|e| render_errors(vec![sink_error(&file, e)]))?;
        files += 1;
    }
    warnings.extend(
        posts_md
            .iter()
            .chain(&pages_md)
            .flat_map(|r| r.warnings.iter().cloned()),
    );
    Ok((files, warnings))
}

/// A reuse policy: whether the job at a position keeps the output an earlier
/// build made for it.
pub type Keep<'k> = &'k (dyn Fn(usize) -> bool + Sync);

/// What a build keeps of an earlier one, stage by stage. A full build keeps
/// nothing ([`Policy::nothing`]); `gen serve` keeps what its fingerprints say
/// is unchanged (`serve::incremental`), so both run [`run_pipeline`].
pub struct Policy<'k> {
    /// The output path a page job keeps from the earlier build, by position;
    /// `None` renders the page.
    pub pages: &'k (dyn Fn(usize) -> Option<Arc<str>> + Sync),
    /// The output path a feed keeps, as `pages`.
    pub feeds: &'k (dyn Fn(usize) -> Option<Arc<str>> + Sync),
    /// The paths of the earlier sitemap, robots.txt and stylesheet when they
    /// stand (for `gen serve`: the sitemap's entries are unchanged); `None`
    /// makes them.
    pub extras: Option<Vec<Arc<str>>>,
    /// Whether a copied file stands as the earlier build copied it (its
    /// destination and source); a kept one is not put into the sink again.
    pub copy: &'k (dyn Fn(&str, &Source) -> bool + Sync),
    /// Report the errors of pages, feeds and extras together (`gen serve`
    /// shows every error of a build at once) rather than stop at the first
    /// stage that fails (`gen build` writes nothing more once a page failed).
    pub every_error: bool,
    /// Whether the pipeline builds the search index (with `[search]
    /// enabled`) from the pages it renders: a full build does; `gen serve`
    /// indexes the pages it holds itself, once the pages are published.
    pub search: bool,
}

impl Policy<'static> {
    /// A full build: nothing is kept.
    pub fn nothing() -> Policy<'static> {
        Policy {
            pages: &|_| None,
            feeds: &|_| None,
            extras: None,
            copy: &|_, _| false,
            every_error: false,
            search: true,
        }
    }
}

/// What [`run_pipeline`] did.
pub struct Made {
    /// One entry per page job: `None` for a kept one, else the file written or
    /// why the page could not be made.
    pub pages: Vec<Option<Result<String, Diagnostic>>>,
    /// One entry per feed, as `pages`.
    pub feeds: Vec<Option<Result<String, Diagnostic>>>,
    /// The sitemap, robots.txt and stylesheet written, or `None` when the
    /// policy kept the earlier ones.
    pub extras: Option<Vec<String>>,
    /// Every file copied into the output (written or kept), by destination:
    /// theme static files, then the site's, without the paths a page, feed or
    /// extra has.
    pub copies: Vec<(String, Source)>,
    /// The files of the search index and its UI written (`pagefind/…`);
    /// empty when the policy leaves search out or it is off.
    pub search: Vec<String>,
    /// How many files the output has.
    pub files: usize,
}

/// The pipeline: pages, then feeds, then the sitemap and other extras, then
/// copied files, into `sink`, each stage keeping what `policy` keeps. `gen
/// build`, `gen check` and `gen serve` all render through here.
pub fn run_pipeline(
    prep: &Prepared<'_>,
    jobs: &[Job],
    feeds: &[FeedJob<'_>],
    policy: &Policy<'_>,
    sink: &dyn Sink,
) -> Result<Made, Vec<Diagnostic>> {
    let search = policy.search && prep.site.config.search;
    if !search {
        return pages_then_rest(prep, jobs, feeds, policy, sink, None);
    }
    // The pages are indexed as they are rendered, on a thread of the
    // indexer's own (Pagefind adds one page at a time), in job order
    // whatever order the threads render them in; and it goes on while
    // feeds, extras and copies are made.
    let expected: Vec<usize> = (0..jobs.len())
        .filter(|&k| (policy.pages)(k).is_none() && search::indexed(&jobs[k]))
        .collect();
    let (feed, in_order) = search::page_stream(expected);
    let stop = AtomicBool::new(false);
    let language = prep.site.config.language.as_str();
    let code = prep.site.config.search_code;
    std::thread::scope(|s| {
        let stop = &stop;
        let indexer = s.spawn(move || search::build_index(language, code, in_order, stop));
        let made = pages_then_rest(prep, jobs, feeds, policy, sink, Some(feed));
        if made.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let index = indexer.join().unwrap_or_else(|_| {
            Err(Diagnostic::error(
                "cannot build the search index: the indexer stopped unexpectedly",
            ))
        });
        let mut made = made?;
        for (path, bytes) in index.map_err(|d| vec![d])? {
            sink.put(&path, Content::Bytes(bytes))
                .map_err(|e| vec![sink_error(&path, e)])?;
            made.search.push(path);
            made.files += 1;
        }
        Ok(made)
    })
}

/// The pages (each indexed page sent to `feed` too, which is dropped once
/// they are rendered), then the stages after them.
fn pages_then_rest(
    prep: &Prepared<'_>,
    jobs: &[Job],
    feeds: &[FeedJob<'_>],
    policy: &Policy<'_>,
    sink: &dyn Sink,
    feed: Option<search::PageFeed>,
) -> Result<Made, Vec<Diagnostic>> {
    let pages = render_pages(
        prep,
        jobs,
        &|k| (policy.pages)(k).is_some(),
        feed.as_ref(),
        sink,
    );
    drop(feed);
    let errors: Vec<Diagnostic> = pages
        .iter()
        .flatten()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    if !errors.is_empty() && !policy.every_error {
        return Err(render_errors(errors));
    }
    after_pages(prep, jobs, feeds, policy, sink, pages, errors)
}

/// The stages after the pages: feeds, extras and copies.
fn after_pages(
    prep: &Prepared<'_>,
    jobs: &[Job],
    feeds: &[FeedJob<'_>],
    policy: &Policy<'_>,
    sink: &dyn Sink,
    pages: Vec<Option<Result<String, Diagnostic>>>,
    mut errors: Vec<Diagnostic>,
) -> Result<Made, Vec<Diagnostic>> {
    let feeds_made = render_feeds(prep, feeds, &|k| (policy.feeds)(k).is_some(), sink);
    let feed_errors = feeds_made
        .iter()
        .flatten()
        .filter_map(|r| r.as_ref().err().cloned());
    if policy.every_error {
        errors.extend(feed_errors);
    } else if let Some(d) = feed_errors.into_iter().next() {
        return Err(vec![d]);
    }
    let extras = match &policy.extras {
        Some(_) => None,
        None => match prep.extras() {
            Ok(extras) => {
                let mut paths = Vec::with_capacity(extras.len());
                for (path, content) in extras {
                    sink.put(&path, content)
                        .map_err(|e| vec![sink_error(&path, e)])?;
                    paths.push(path);
                }
                Some(paths)
            }
            Err(e) if policy.every_error => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        },
    };
    if !errors.is_empty() {
        return Err(render_errors(errors));
    }
    // Every path a page, feed or extra has, written now or kept: a static
    // file at one of them is not copied.
    let kept: Vec<Arc<str>> = (0..jobs.len())
        .filter_map(|k| (policy.pages)(k))
        .chain((0..feeds.len()).filter_map(|k| (policy.feeds)(k)))
        .chain(policy.extras.iter().flatten().cloned())
        .collect();
    let generated: std::collections::HashSet<&str> = pages
        .iter()
        .chain(&feeds_made)
        .flatten()
        .filter_map(|r| r.as_ref().ok().map(String::as_str))
        .chain(extras.iter().flatten().map(String::as_str))
        .chain(kept.iter().map(|p| &**p))
        .collect();
    let copies = prep.copies(&|dest| generated.contains(dest));
    copies.par_iter().try_for_each(|(dest, src)| {
        if (policy.copy)(dest, src) {
            return Ok(());
        }
        sink.put(dest, Content::Copy(src.clone()))
            .map_err(|e| vec![sink_error(dest, e)])
    })?;
    let files = generated.len() + copies.len();
    Ok(Made {
        pages,
        feeds: feeds_made,
        extras,
        copies,
        search: Vec::new(),
        files,
    })
}

/// Renders the page jobs that `keep` does not keep into `sink`, in parallel:
/// one entry per job, `None` for a kept one, else the file written or why the
/// page could not be made. The pages search indexes go to `feed` too.
fn render_pages(
    prep: &Prepared<'_>,
    jobs: &[Job],
    keep: Keep<'_>,
    feed: Option<&search::PageFeed>,
    sink: &dyn Sink,
) -> Vec<Option<Result<String, Diagnostic>>> {
    jobs.par_iter()
        .enumerate()
        .map(|(k, job)| {
            (!keep(k)).then(|| {
                let (file, html) = prep.render_job(job)?;
                if let Some(feed) = feed
                    && search::indexed(job)
                {
                    let url = prep.site.config.url(&crate::routes::url_of(&file));
                    feed.send(k, url, &html);
                }
                sink.put(&file, Content::Text(html))
                    .map_err(|e| sink_error(&file, e))?;
                Ok(file)
            })
        })
        .collect()
}

/// Renders the feeds that `keep` does not keep into `sink`, as
/// [`render_pages`] does pages.
fn render_feeds(
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
                let xml = prep.render_feed(f)?;
                let file = f.route.file();
                sink.put(&file, Content::Text(xml))
                    .map_err(|e| sink_error(&file, e))?;
                Ok(file)
            })
        })
        .collect()
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
    /// 404 page, the share kits, redirects, the write page and the authors'
    /// OPML file.
    pub fn sitemap_entries(&self) -> Vec<(String, Option<String>)> {
        let site = self.site;
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        for job in self.jobs() {
            let lastmod = match &job {
                Job::NotFound
                | Job::Search
                | Job::Share(_)
                | Job::ShareJson(_)
                | Job::Redirect(_)
                | Job::Redirects
                | Job::AuthorsOpml
                | Job::Write
                | Job::WriteData
                | Job::ContributorsFeed => continue,
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
        // Pictures: re-encoded in place of the originals, and their variants.
        for (_, files) in links::picture_files(self.site, true) {
            for (dest, cached) in files {
                copies.insert(dest, Source::Disk(cached));
            }
        }
        // Pictures templates asked for with resize_image (pages are rendered).
        for (dest, cached) in super::resize::files(&self.site.root) {
            copies.insert(dest, Source::Disk(cached));
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
    let results: Vec<KitResult> = chosen
        .par_iter()
        .map(|&i| prep.kit(i).as_ref().clone())
        .collect();
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
