//! Jobs per page kind: every output page as a [`Job`], its [`Route`] (whose
//! URL and file `routes` makes), what each reads ([`Prepared::job_inputs`]) and
//! how each is rendered ([`Prepared::render_job`]).

use serde_json::Value;

use super::prepare::insert_owned;
use super::*;
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::load::contributors::Contribution;
use crate::routes::{FeedFormat, Route, Taxonomy};

/// One output page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// Page N (1-based) of the home listing.
    Home(usize),
    Post(usize),
    Page(usize),
    Authors,
    /// `/authors/opml.xml`: every author's feeds, for feed readers
    /// (`render::opml`).
    AuthorsOpml,
    /// Author slug, page N.
    Author(String, usize),
    Terms(Taxonomy),
    /// Taxonomy, term index, page N.
    Term(Taxonomy, usize, usize),
    NotFound,
    /// The share kit page of post N.
    Share(usize),
    /// The share kit of post N as JSON.
    ShareJson(usize),
    /// A redirect page at an old URL (`render::redirects`).
    Redirect(super::redirects::Redirect),
    /// `/_redirects`, the host's rules for every redirect.
    Redirects,
    /// `/archive/`: every post by year and month (`render::archives`).
    Archive,
    /// The posts of a year at its own path (dated permalinks).
    Year(i32),
    /// The posts of a month (year, month 1–12) at its own path.
    Month(i32, u32),
    /// `/write/`, the "Write for us" page (`render::write`).
    Write,
    /// `/write/site.json`, what the write page checks a draft against.
    WriteData,
    /// The search page, `/search/` (`render::search`), with `[search]
    /// enabled`.
    Search,
    /// Page N of `/contributors/`: the newest entries of contributors' own
    /// blogs (`data/contributors.json`), made only when there are some.
    Contributors(usize),
    /// `/contributors/rss.xml`, the same entries as one RSS feed.
    ContributorsFeed,
}

impl Job {
    /// The template a page job renders with; `None` for the share kit's JSON,
    /// which no template makes.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Job::Home(_) => "index.html",
            Job::Post(_) => "post.html",
            Job::Page(_) => "page.html",
            Job::Authors => "authors.html",
            Job::Author(..) => "author.html",
            Job::Terms(_) => "terms.html",
            Job::Term(..) => "term.html",
            Job::NotFound => "404.html",
            Job::Share(_) => "share.html",
            Job::Redirect(_) => "redirect.html",
            Job::Archive | Job::Year(_) | Job::Month(..) => "archive.html",
            Job::Write => "write.html",
            Job::Search => "search.html",
            Job::Contributors(_) => "contributors.html",
            Job::ShareJson(_)
            | Job::Redirects
            | Job::WriteData
            | Job::AuthorsOpml
            | Job::ContributorsFeed => return None,
        })
    }

    /// Whether the job shows a share kit, which the `share/…` templates make.
    pub fn uses_share_kit(&self) -> bool {
        matches!(self, Job::Share(_) | Job::ShareJson(_))
    }
}

/// What one job reads besides the globals; see [`Prepared::job_inputs`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobInputs<'p> {
    /// Posts whose list values the page shows, in order.
    pub post_values: Vec<usize>,
    /// The neighbours of a post page.
    pub newer: Option<usize>,
    pub older: Option<usize>,
    /// Posts whose body, front matter or share kit the page shows.
    pub post_bodies: Vec<usize>,
    /// Pages whose content it shows.
    pub pages: Vec<usize>,
    /// Authors (by slug) whose values or profiles it shows.
    pub authors: Vec<&'p str>,
    /// Terms (taxonomy, term index) it shows.
    pub terms: Vec<(Taxonomy, usize)>,
    /// The number of posts of a paginated listing.
    pub listing_len: usize,
    /// The related posts of a post page (`render::related`), best first.
    pub related: Vec<usize>,
    /// The parts of a post's series, in order (oldest first); its series is
    /// in `terms`.
    pub series: Vec<usize>,
    /// The redirects it shows, as (old path, new place).
    pub redirects: Vec<(String, String)>,
    /// The authors who write about the same things as the author of an
    /// author page (`render::similar`), best first, with the terms they
    /// share.
    pub similar: &'p [super::similar::Similar<'p>],
    /// The entries of contributors' own blogs it shows, in order.
    pub contributions: Vec<&'p Contribution>,
    /// The responses a post page shows (`data/mentions/`, `data/comments/`).
    pub responses: Option<&'p crate::load::responses::Responses>,
}

/// How many entries of an author's own blog their author page shows.
pub const OWN_BLOG_LIMIT: usize = 3;

/// The entries of contributors' own blogs that a build shows (indices into
/// `site.contributions`, newest first): those of authors with a profile.
pub fn shown_contributions(site: &Site) -> Vec<usize> {
    site.contributions
        .iter()
        .enumerate()
        .filter(|(_, c)| site.authors.contains_key(&c.author))
        .map(|(i, _)| i)
        .collect()
}

fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// The page numbers a paginator links to: the first, the last, and two on each
/// side of the current one, with `None` for each gap. Bounded, so a listing of
/// thousands of pages stays linear to render.
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for k in 1..=total {
        let near = k + 2 >= current && k <= current + 2;
        if k == 1 || k == total || near {
            if k > last + 1 {
                out.push(None);
            }
            out.push(Some(k));
            last = k;
        }
    }
    out
}

/// Every page job of a site whose posts by author and term are `indices`.
pub fn site_jobs(site: &Site, indices: &Indices) -> Vec<Job> {
    let per = site.config.paginate_by;
    let mut jobs: Vec<Job> = (1..=page_count(site.posts.len(), per))
        .map(Job::Home)
        .collect();
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::Authors);
    jobs.push(Job::AuthorsOpml);
    for (slug, posts) in &indices.by_author {
        jobs.extend((1..=page_count(posts.len(), per)).map(|n| Job::Author(slug.clone(), n)));
    }
    for t in Taxonomy::ALL {
        // `/series/` is made only on a site with a series; the tags and
        // categories pages always are.
        if t != Taxonomy::Series || !indices.series.is_empty() {
            jobs.push(Job::Terms(t));
        }
        for (i, term) in indices.taxonomy(t).iter().enumerate() {
            jobs.extend((1..=page_count(term.posts.len(), per)).map(|n| Job::Term(t, i, n)));
        }
    }
    jobs.push(Job::NotFound);
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend(super::archives::archive_jobs(site));
    for (i, p) in site.posts.iter().enumerate() {
        if crate::share::kit::has_kit(site, p) {
            jobs.push(Job::Share(i));
            jobs.push(Job::ShareJson(i));
        }
    }
    jobs.extend(super::redirects::redirect_jobs(site, indices));
    jobs.extend(super::write::write_jobs(site));
    let contributions = shown_contributions(site).len();
    if contributions > 0 {
        jobs.extend((1..=page_count(contributions, per)).map(Job::Contributors));
        jobs.push(Job::ContributorsFeed);
    }
    jobs
}

impl Job {
    /// The route of a job's page, by stable ids (slugs and paths): `routes`
    /// makes its URL and output file.
    pub fn route(&self, site: &Site, indices: &Indices) -> Route {
        match self {
            Job::Home(n) => Route::Home(*n),
            Job::Post(i) => Route::Post(site.posts[*i].path.clone()),
            Job::Page(i) => Route::Page(site.pages[*i].path.clone()),
            Job::Authors => Route::Authors,
            Job::AuthorsOpml => Route::AuthorsOpml,
            Job::Author(slug, n) => Route::Author(slug.clone(), *n),
            Job::Terms(t) => Route::Terms(*t),
            Job::Term(t, i, n) => Route::Term(*t, indices.taxonomy(*t)[*i].slug.clone(), *n),
            Job::NotFound => Route::NotFound,
            Job::Share(i) => Route::ShareKit(site.posts[*i].slug.clone()),
            Job::ShareJson(i) => Route::ShareJson(site.posts[*i].slug.clone()),
            Job::Redirect(r) => r.route(),
            Job::Redirects => Route::Redirects,
            Job::Archive => Route::Archive,
            Job::Year(y) => super::archives::dated_route(site, *y, None),
            Job::Month(y, m) => super::archives::dated_route(site, *y, Some(*m)),
            Job::Write => Route::Write,
            Job::WriteData => Route::WriteData,
            Job::Search => Route::Search,
            Job::Contributors(n) => Route::Contributors(*n),
            Job::ContributorsFeed => Route::ContributorsFeed,
        }
    }
}

/// The title of `/contributors/` and of its feed.
pub const CONTRIBUTORS_TITLE: &str = "From our contributors’ own blogs";

impl Prepared<'_> {
    /// The template values of entries of contributors' own blogs.
    fn contribution_values<'v>(
        &'v self,
        entries: &[&'v Contribution],
    ) -> Vec<context::ContributionValue<'v>> {
        entries
            .iter()
            .filter_map(|c| {
                let author = self.author_summaries.get(&c.author)?;
                Some(context::ContributionValue::new(c, author))
            })
            .collect()
    }

    /// Every page job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        site_jobs(self.site, &self.indices)
    }

    /// The paginator of page `n` of the listing at `route`.
    fn paginator(&self, route: &Route, n: usize, total_posts: usize) -> Value {
        let per = self.site.config.paginate_by;
        let total = page_count(total_posts, per);
        let url = |k: usize| self.site.config.url(&route.page(k).path());
        let pages = page_window(n, total)
            .into_iter()
            .map(|k| context::PaginatorPage {
                number: k,
                url: k.map(url),
                current: k == Some(n),
                gap: k.is_none(),
            })
            .collect();
        context::to_value(&context::PaginatorValue {
            current: n,
            total_pages: total,
            total_posts,
            first: url(1),
            last: url(total),
            previous: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages,
        })
    }

    /// `slugs` in the order of the authors page: staff first, then guests,
    /// each by name (ignoring case), then by slug.
    fn authors_in_order<'s>(&self, slugs: &[&'s str]) -> Vec<&'s str> {
        let mut sorted: Vec<&str> = slugs.to_vec();
        sorted.sort_by_cached_key(|slug| {
            let a = self.author_summaries.get(*slug);
            (a.map(|a| (a.guest, a.name.to_lowercase())), *slug)
        });
        sorted
    }

    /// The newest three other posts by the authors of post `i`.
    fn more_from_authors(&self, i: usize) -> Vec<usize> {
        let mut more: Vec<usize> = Vec::new();
        for a in &self.site.posts[i].authors {
            // Each author's list is newest first: four are enough for three others.
            for &k in self
                .indices
                .by_author
                .get(a)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .take(4)
            {
                if k != i && !more.contains(&k) {
                    more.push(k);
                }
            }
        }
        more.sort_unstable();
        more.truncate(3);
        more
    }

    /// What `job` reads besides the globals every page sees (config, theme, the
    /// `site` value). `gen serve` re-renders a job only when one of these changed.
    /// [`Prepared::render_job`] takes the posts, authors and terms it shows
    /// from here, so what a page shows and what it is fingerprinted by are
    /// chosen by the same code.
    pub fn job_inputs<'p>(&'p self, job: &'p Job) -> JobInputs<'p> {
        let site = self.site;
        let per = site.config.paginate_by;
        let range = |n: usize, len: usize| {
            let start = ((n - 1) * per).min(len);
            start..(start + per).min(len)
        };
        let mut inputs = JobInputs::default();
        match job {
            Job::Home(n) => {
                let len = site.posts.len();
                inputs.post_values = range(*n, len).collect();
                inputs.listing_len = len;
            }
            Job::Post(i) => {
                inputs.post_values.push(*i);
                inputs.post_values.extend(self.more_from_authors(*i));
                inputs.newer = i.checked_sub(1);
                inputs.older = (i + 1 < site.posts.len()).then_some(i + 1);
                inputs.post_bodies.push(*i);
                inputs.authors = site.posts[*i].authors.iter().map(String::as_str).collect();
                inputs.related = self.indices.related(site, *i);
                inputs.responses = site.responses.get(&site.posts[*i].slug);
                if let Some(s) = site.posts[*i].series.as_deref()
                    && let Some(at) = self.indices.term_index(Taxonomy::Series, s)
                {
                    inputs.terms.push((Taxonomy::Series, at));
                    let parts = &self.indices.series[at].posts;
                    inputs.series = parts.iter().rev().copied().collect();
                }
            }
            Job::Share(i) | Job::ShareJson(i) => {
                inputs.post_values.push(*i);
                inputs.post_bodies.push(*i);
                inputs.authors = site.posts[*i].authors.iter().map(String::as_str).collect();
            }
            Job::Page(i) => inputs.pages.push(*i),
            Job::Authors => {
                inputs.authors = self.author_values.keys().map(String::as_str).collect()
            }
            Job::AuthorsOpml => {
                inputs.authors = self.author_values.keys().map(String::as_str).collect();
                // The newest post dates the file.
                if !site.posts.is_empty() {
                    inputs.post_values.push(0);
                }
            }
            Job::Author(slug, n) => {
                let posts = &self.indices.by_author[slug];
                inputs.post_values = posts[range(*n, posts.len())].to_vec();
                inputs.listing_len = posts.len();
                inputs.authors.push(slug);
                inputs.similar = self.similar_authors(slug);
                inputs.contributions = site
                    .contributions
                    .iter()
                    .filter(|c| c.author == *slug)
                    .take(OWN_BLOG_LIMIT)
                    .collect();
            }
            Job::Terms(t) => {
                let count = self.indices.taxonomy(*t).len();
                inputs.terms = (0..count).map(|i| (*t, i)).collect();
            }
            Job::Term(t, i, n) => {
                let posts = &self.indices.taxonomy(*t)[*i].posts;
                let r = range(*n, posts.len());
                inputs.post_values = if t.in_order() {
                    // Oldest first: page 1 starts with part 1.
                    posts
                        .iter()
                        .rev()
                        .skip(r.start)
                        .take(r.len())
                        .copied()
                        .collect()
                } else {
                    posts[r].to_vec()
                };
                inputs.listing_len = posts.len();
                inputs.terms.push((*t, *i));
            }
            Job::NotFound | Job::Search => {}
            Job::Redirect(r) => inputs.redirects.push((r.from.clone(), r.to.clone())),
            Job::Archive | Job::Year(_) | Job::Month(..) => {
                inputs.post_values = super::archives::archive_posts(site, job);
                inputs.listing_len = inputs.post_values.len();
            }
            Job::Write | Job::WriteData => {
                // Every author, tag and category: the page offers them all.
                inputs.authors = site.authors.keys().map(String::as_str).collect();
                for t in [Taxonomy::Tags, Taxonomy::Categories] {
                    let count = self.indices.taxonomy(t).len();
                    inputs.terms.extend((0..count).map(|i| (t, i)));
                }
            }
            Job::Contributors(_) | Job::ContributorsFeed => {
                let shown = shown_contributions(site);
                let at = match job {
                    Job::Contributors(n) => range(*n, shown.len()),
                    _ => 0..shown.len().min(site.config.feed_limit),
                };
                inputs.contributions = shown[at].iter().map(|&i| &site.contributions[i]).collect();
                inputs.listing_len = shown.len();
                let mut authors: Vec<&str> = inputs
                    .contributions
                    .iter()
                    .map(|c| c.author.as_str())
                    .collect();
                authors.sort_unstable();
                authors.dedup();
                inputs.authors = authors;
            }
            Job::Redirects => {
                inputs.redirects = super::redirects::site_redirects(site, &self.indices)
                    .into_iter()
                    .map(|r| (r.from, r.to))
                    .collect();
            }
        }
        inputs
    }

    /// Renders one job: its output path and HTML.
    pub fn render_job(&self, job: &Job) -> Result<(String, String), Diagnostic> {
        self.render_job_with(job, None)
    }

    /// Renders an archive job last: its posts' list values are moved into
    /// its context ([`archives::archive_json`](super::archives::archive_json))
    /// rather than copied, and `self` is used up. A full build renders
    /// `/archive/` so, after every other page.
    pub fn render_archive_last(mut self, job: &Job) -> Result<(String, String), Diagnostic> {
        let posts = super::archives::archive_posts(self.site, job);
        let values = std::mem::take(&mut self.post_values);
        let archive = super::archives::archive_json(self.site, job, &posts, values);
        self.render_job_with(job, Some(archive))
    }

    /// Renders one job; an archive job's `archive` value is `archive` when
    /// given (else made from the list values).
    fn render_job_with(
        &self,
        job: &Job,
        archive: Option<Value>,
    ) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let config = &site.config;
        let route = job.route(site, &self.indices);
        let path = route.path();
        // Every list a page shows comes from its inputs.
        let inputs = self.job_inputs(job);
        let ctx = match job {
            Job::Home(n) => {
                let pag = self.paginator(&route, *n, inputs.listing_len);
                let meta = context::Meta {
                    title: config.title.clone(),
                    description: config.description.clone(),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "posts", self.posts_of(&inputs.post_values));
                insert_owned(&mut ctx, "paginator", pag);
                ctx
            }
            Job::Post(i) => {
                let post = &site.posts[*i];
                let r = &self.posts_md[*i];
                let html = self.post_html(*i)?;
                let authors: Vec<&crate::load::Author> = inputs
                    .authors
                    .iter()
                    .filter_map(|a| site.authors.get(*a))
                    .collect();
                let desc = self.post_description(*i);
                let mut meta = context::post_meta(config, post, &authors, desc);
                if let Some(card) = self.card(*i) {
                    let card = card?;
                    meta.image = Some((card.url, card.alt));
                }
                let mut ctx = self.context(&path, &meta);
                let value = context::PostPageAdditions {
                    authors: inputs
                        .authors
                        .iter()
                        .filter_map(|a| self.author_values.get(*a))
                        .collect(),
                    content: &html,
                    toc: &r.toc,
                }
                .onto(self.post_values[*i].clone());
                insert_owned(&mut ctx, "post", value);
                insert_owned(&mut ctx, "newer", self.post_value(inputs.newer));
                insert_owned(&mut ctx, "older", self.post_value(inputs.older));
                // The post itself, then the others by its authors.
                insert_owned(
                    &mut ctx,
                    "more_from_authors",
                    self.posts_of(&inputs.post_values[1..]),
                );
                insert_owned(&mut ctx, "related", self.posts_of(&inputs.related));
                let series = inputs.terms.first().map(|&(t, at)| {
                    let term = &self.indices.taxonomy(t)[at];
                    context::to_value(&context::SeriesValue {
                        term: context::TermValue::new(
                            config,
                            t,
                            &term.name,
                            &term.slug,
                            term.posts.len(),
                        ),
                        part: inputs.series.iter().position(|&k| k == *i).unwrap_or(0) + 1,
                        parts: self.posts_of(&inputs.series),
                    })
                });
                insert_owned(&mut ctx, "series", series.unwrap_or(Value::Null));
                match inputs.responses {
                    Some(r) => ctx.insert("responses", &context::ResponsesValue::new(r)),
                    None => ctx.insert("responses", &Value::Null),
                }
                ctx
            }
            Job::Page(i) => {
                let page = &site.pages[*i];
                let r = &self.pages_md[*i];
                let meta = context::Meta {
                    title: page.title.clone(),
                    description: page
                        .description
                        .clone()
                        .unwrap_or_else(|| r.summary_text.clone()),
                    path: page.path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                ctx.insert("page", &context::PageValue::new(config, page, r));
                ctx
            }
            Job::Authors => {
                let meta = context::Meta {
                    title: "Authors".into(),
                    description: format!("Everyone who writes for {}", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let authors: Vec<&Value> = self
                    .authors_in_order(&inputs.authors)
                    .into_iter()
                    .filter_map(|a| self.author_values.get(a))
                    .collect();
                ctx.insert("authors", &authors);
                ctx
            }
            Job::AuthorsOpml => {
                let authors: Vec<&crate::load::Author> = self
                    .authors_in_order(&inputs.authors)
                    .into_iter()
                    .filter_map(|a| site.authors.get(a))
                    .collect();
                let newest = inputs.post_values.first().map(|&i| &site.posts[i].date);
                let xml = super::opml::authors_opml(config, &authors, newest);
                return Ok((route.file(), xml));
            }
            Job::Author(slug, n) => {
                let author = &site.authors[slug];
                let pag = self.paginator(&route, *n, inputs.listing_len);
                let value = &self.author_values[slug];
                let meta = context::Meta {
                    title: author.name.clone(),
                    description: format!("Posts by {} on {}", author.name, config.title),
                    path: path.clone(),
                    image: self.author_summaries[slug]
                        .avatar
                        .as_ref()
                        .map(|u| (u.clone(), format!("Portrait of {}", author.name))),
                    feeds: route
                        .feed()
                        .map(|f| context::feed_links(config, &f))
                        .unwrap_or_default(),
                    feed: route.feed().map(|f| {
                        (
                            config.url(&f.path()),
                            format!("{} — {}", author.name, config.title),
                        )
                    }),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "author", value.clone());
                insert_owned(
                    &mut ctx,
                    "similar_authors",
                    self.similar_values(inputs.similar),
                );
                insert_owned(&mut ctx, "posts", self.posts_of(&inputs.post_values));
                insert_owned(&mut ctx, "paginator", pag);
                ctx.insert("own_blog", &self.contribution_values(&inputs.contributions));
                ctx
            }
            Job::Terms(t) => {
                let tax = *t;
                let tv = context::TaxonomyValue::new(config, tax);
                let meta = context::Meta {
                    title: tv.title.to_string(),
                    description: format!("All {} on {}", tax.name(), config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let terms: Vec<context::TermValue> = inputs
                    .terms
                    .iter()
                    .map(|&(t, i)| &self.indices.taxonomy(t)[i])
                    .map(|term| {
                        context::TermValue::new(
                            config,
                            tax,
                            &term.name,
                            &term.slug,
                            term.posts.len(),
                        )
                    })
                    .collect();
                insert_owned(&mut ctx, "taxonomy", context::to_value(&tv));
                ctx.insert("terms", &terms);
                ctx
            }
            Job::Term(t, i, n) => {
                let tax = *t;
                let term = &self.indices.taxonomy(tax)[*i];
                let tv = context::TaxonomyValue::new(config, tax);
                let pag = self.paginator(&route, *n, inputs.listing_len);
                let singular = tax.posts_are();
                let meta = context::Meta {
                    title: format!("Posts {singular} “{}”", term.name),
                    description: format!("Posts {singular} “{}” on {}", term.name, config.title),
                    path: path.clone(),
                    feeds: route
                        .feed()
                        .map(|f| context::feed_links(config, &f))
                        .unwrap_or_default(),
                    feed: route.feed().map(|f| {
                        (
                            config.url(&f.path()),
                            format!("{} — {}", term.name, config.title),
                        )
                    }),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "taxonomy", context::to_value(&tv));
                insert_owned(
                    &mut ctx,
                    "term",
                    context::to_value(&context::TermValue::new(
                        config,
                        tax,
                        &term.name,
                        &term.slug,
                        term.posts.len(),
                    )),
                );
                insert_owned(&mut ctx, "posts", self.posts_of(&inputs.post_values));
                insert_owned(&mut ctx, "paginator", pag);
                ctx
            }
            Job::Share(i) => {
                let post = &site.posts[*i];
                let made = self.kit(*i);
                let (kit, _) = made.as_ref().as_ref().map_err(Clone::clone)?;
                let meta = context::Meta {
                    title: format!("Share: {}", post.title),
                    description: format!("Ready-made posts announcing “{}”", post.title),
                    path: path.clone(),
                    noindex: true,
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "post", self.post_values[*i].clone());
                ctx.insert("kit", kit);
                self.kit_used(*i);
                ctx.insert("social_card", &self.card(*i).transpose()?);
                ctx
            }
            Job::ShareJson(i) => {
                let made = self.kit(*i);
                let (kit, _) = made.as_ref().as_ref().map_err(Clone::clone)?;
                let json = serde_json::to_string_pretty(kit).unwrap_or_default() + "\n";
                self.kit_used(*i);
                return Ok((route.file(), json));
            }
            Job::Redirect(r) => {
                let meta = context::Meta {
                    title: "This page has moved".into(),
                    description: format!("This page has moved to {}", r.url(config)),
                    path: path.clone(),
                    noindex: true,
                    canonical_url: Some(r.url(config)),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                ctx.insert(
                    "redirect",
                    &context::RedirectValue {
                        from: &r.from,
                        url: r.url(config),
                    },
                );
                ctx
            }
            Job::Archive | Job::Year(_) | Job::Month(..) => {
                let title = super::archives::archive_title(job);
                let meta = context::Meta {
                    title: if matches!(job, Job::Archive) {
                        title.clone()
                    } else {
                        format!("Posts from {title}")
                    },
                    description: format!("Every post of {} by year and month", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let value = archive.unwrap_or_else(|| {
                    context::to_value(&super::archives::archive_value(
                        site,
                        job,
                        &inputs.post_values,
                        &self.post_values,
                    ))
                });
                insert_owned(&mut ctx, "archive", value);
                ctx
            }
            Job::Redirects => {
                let all = super::redirects::site_redirects(site, &self.indices);
                let text = super::redirects::redirects_file(config, &all);
                return Ok((route.file(), text));
            }
            Job::WriteData => {
                let json = super::write::write_json(site, &self.indices, &self.theme.tera);
                return Ok((route.file(), json));
            }
            Job::Write => {
                let meta = context::Meta {
                    title: format!("Write for {}", config.title),
                    description: format!(
                        "Propose a guest post to {}: write it here, check it, send it",
                        config.title
                    ),
                    path: path.clone(),
                    noindex: true,
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                ctx.insert(
                    "write",
                    &super::write::write_value(config, site, &self.indices),
                );
                ctx
            }
            Job::Contributors(n) => {
                let pag = self.paginator(&route, *n, inputs.listing_len);
                let feed = Route::ContributorsFeed;
                let meta = context::Meta {
                    title: CONTRIBUTORS_TITLE.into(),
                    description: format!(
                        "The newest posts that the authors of {} wrote on their own blogs",
                        config.title
                    ),
                    path: path.clone(),
                    feed: Some((
                        config.url(&feed.path()),
                        format!("{CONTRIBUTORS_TITLE} — {}", config.title),
                    )),
                    // One feed, in RSS only: a planet of other sites' entries.
                    feeds: vec![context::FeedLink {
                        format: FeedFormat::Rss.name(),
                        name: FeedFormat::Rss.title(),
                        mime_type: FeedFormat::Rss.mime_type(),
                        url: config.url(&feed.path()),
                    }],
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                ctx.insert(
                    "contributions",
                    &self.contribution_values(&inputs.contributions),
                );
                ctx.insert("contributors_feed_url", &config.url(&feed.path()));
                insert_owned(&mut ctx, "paginator", pag);
                ctx
            }
            Job::ContributorsFeed => {
                let names = |slug: &str| site.authors.get(slug).map(|a| a.name.clone());
                let rss = super::feeds::contributors_feed(
                    config,
                    &format!("{CONTRIBUTORS_TITLE} — {}", config.title),
                    &route.path(),
                    &Route::Contributors(1).path(),
                    &inputs.contributions,
                    &names,
                );
                return Ok((route.file(), rss));
            }
            Job::Search => {
                let meta = context::Meta {
                    title: "Search".into(),
                    description: format!("Search the posts of {}", config.title),
                    path: path.clone(),
                    // A page of results, not content of its own.
                    noindex: true,
                    ..Default::default()
                };
                self.context(&path, &meta)
            }
            Job::NotFound => {
                let meta = context::Meta {
                    title: "Page not found".into(),
                    description: config.description.clone(),
                    path: path.clone(),
                    noindex: true,
                    ..Default::default()
                };
                self.context(&path, &meta)
            }
        };
        // Every job that gets here has a template (the JSON returned above).
        let template = job.template().unwrap_or("404.html");
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(format!(
                "cannot render {path}: {}",
                crate::diag::error_chain(&e)
            ))
            .in_file(format!("templates/{template}"))
            .hint("check the variable names against docs/templates.md; use `| default(value=…)` for optional values")
        })?;
        Ok((route.file(), html))
    }
}

#[cfg(test)]
mod pagination_tests {
    use super::page_window;

    #[test]
    fn window_is_bounded() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(1, 100),
            vec![Some(1), Some(2), Some(3), None, Some(100)]
        );
        assert_eq!(
            page_window(50, 100),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        assert_eq!(page_window(4, 7), (1..=7).map(Some).collect::<Vec<_>>());
        assert!(page_window(5000, 10000).len() <= 9);
    }
}
