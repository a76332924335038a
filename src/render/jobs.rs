//! Jobs per page kind: every output page as a [`Job`], what each reads
//! ([`Prepared::job_inputs`]) and how each is rendered ([`Prepared::render_job`]).

use serde_json::{Value, json};

use super::prepare::insert_owned;
use super::*;
use crate::diag::Diagnostic;
use crate::load::Site;

/// One output page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// Page N (1-based) of the home listing.
    Home(usize),
    Post(usize),
    Page(usize),
    Authors,
    /// Author slug, page N.
    Author(String, usize),
    /// Taxonomy index into [`TAXONOMIES`].
    Terms(usize),
    /// Taxonomy, term index, page N.
    Term(usize, usize, usize),
    NotFound,
    /// The share kit page of post N.
    Share(usize),
    /// The share kit of post N as JSON.
    ShareJson(usize),
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
            Job::ShareJson(_) => return None,
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
    /// Terms (taxonomy index into [`TAXONOMIES`], term index) it shows.
    pub terms: Vec<(usize, usize)>,
    /// The number of posts of a paginated listing.
    pub listing_len: usize,
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

/// The path of page `n` of a listing at `base` (`/tags/x/` → `/tags/x/page/2/`).
pub fn paged_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Output file of a folder URL.
pub fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
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
    for (slug, posts) in &indices.by_author {
        jobs.extend((1..=page_count(posts.len(), per)).map(|n| Job::Author(slug.clone(), n)));
    }
    for (t, tax) in TAXONOMIES.iter().enumerate() {
        jobs.push(Job::Terms(t));
        for (i, term) in indices.taxonomy(tax).iter().enumerate() {
            jobs.extend((1..=page_count(term.posts.len(), per)).map(|n| Job::Term(t, i, n)));
        }
    }
    jobs.push(Job::NotFound);
    for (i, p) in site.posts.iter().enumerate() {
        if crate::share::kit::has_kit(site, p) {
            jobs.push(Job::Share(i));
            jobs.push(Job::ShareJson(i));
        }
    }
    jobs
}

/// The URL path of a job's page (`/tags/x/page/2/`; the share kit's JSON:
/// `/share/<slug>/snippets.json`). Its output file is [`file_of`] that path.
pub fn job_path(site: &Site, indices: &Indices, job: &Job) -> String {
    match job {
        Job::Home(n) => paged_path("/", *n),
        Job::Post(i) => site.posts[*i].path.clone(),
        Job::Page(i) => site.pages[*i].path.clone(),
        Job::Authors => "/authors/".into(),
        Job::Author(slug, n) => paged_path(&format!("/authors/{slug}/"), *n),
        Job::Terms(t) => format!("/{}/", TAXONOMIES[*t]),
        Job::Term(t, i, n) => paged_path(
            &format!(
                "/{}/{}/",
                TAXONOMIES[*t],
                indices.taxonomy(TAXONOMIES[*t])[*i].slug
            ),
            *n,
        ),
        Job::NotFound => "/404.html".into(),
        Job::Share(i) => format!("/share/{}/", site.posts[*i].slug),
        Job::ShareJson(i) => format!("/share/{}/snippets.json", site.posts[*i].slug),
    }
}

impl Prepared<'_> {
    /// Every page job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        site_jobs(self.site, &self.indices)
    }

    fn paginator(
        &self,
        base: &str,
        n: usize,
        total_posts: usize,
    ) -> (Value, std::ops::Range<usize>) {
        let per = self.site.config.paginate_by;
        let total = page_count(total_posts, per);
        let url = |k: usize| self.site.config.url(&paged_path(base, k));
        let pages: Vec<Value> = page_window(n, total)
            .into_iter()
            .map(|k| match k {
                Some(k) => json!({"number": k, "url": url(k), "current": k == n, "gap": false}),
                None => json!({"number": null, "url": null, "current": false, "gap": true}),
            })
            .collect();
        let value = json!({
            "current": n,
            "total_pages": total,
            "total_posts": total_posts,
            "first": url(1),
            "last": url(total),
            "previous": (n > 1).then(|| url(n - 1)),
            "next": (n < total).then(|| url(n + 1)),
            "pages": pages,
        });
        let start = ((n - 1) * per).min(total_posts);
        (value, start..(start + per).min(total_posts))
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
    /// `site` value). `gen serve` re-renders a job only when one of these changed,
    /// so this must name everything [`Prepared::render_job`] uses for the job.
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
            Job::Author(slug, n) => {
                let posts = &self.indices.by_author[slug];
                inputs.post_values = posts[range(*n, posts.len())].to_vec();
                inputs.listing_len = posts.len();
                inputs.authors.push(slug);
            }
            Job::Terms(t) => {
                let count = self.indices.taxonomy(TAXONOMIES[*t]).len();
                inputs.terms = (0..count).map(|i| (*t, i)).collect();
            }
            Job::Term(t, i, n) => {
                let posts = &self.indices.taxonomy(TAXONOMIES[*t])[*i].posts;
                inputs.post_values = posts[range(*n, posts.len())].to_vec();
                inputs.listing_len = posts.len();
                inputs.terms.push((*t, *i));
            }
            Job::NotFound => {}
        }
        inputs
    }

    /// Renders one job: its output path and HTML.
    pub fn render_job(&self, job: &Job) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let config = &site.config;
        let (path, ctx) = match job {
            Job::Home(n) => {
                let path = paged_path("/", *n);
                let (pag, range) = self.paginator("/", *n, site.posts.len());
                let shown: Vec<usize> = range.collect();
                let meta = context::Meta {
                    title: config.title.clone(),
                    description: config.description.clone(),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "posts", self.posts_of(&shown));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Post(i) => {
                let post = &site.posts[*i];
                let r = &self.posts_md[*i];
                let authors: Vec<&crate::load::Author> = post
                    .authors
                    .iter()
                    .filter_map(|a| site.authors.get(a))
                    .collect();
                let desc = self.post_values[*i]["description"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let meta = context::post_meta(config, post, &authors, &desc);
                let mut ctx = self.context(&post.path, &meta);
                let mut value = self.post_values[*i].clone();
                if let Value::Object(m) = &mut value {
                    let full: Vec<Value> = post
                        .authors
                        .iter()
                        .filter_map(|a| self.author_values.get(a).cloned())
                        .collect();
                    m.insert("authors".into(), Value::Array(full));
                    m.insert("content".into(), Value::String(r.html.clone()));
                    m.insert(
                        "toc".into(),
                        serde_json::to_value(&r.toc).unwrap_or(Value::Null),
                    );
                }
                insert_owned(&mut ctx, "post", value);
                insert_owned(&mut ctx, "newer", self.post_value(i.checked_sub(1)));
                insert_owned(&mut ctx, "older", self.post_value(Some(i + 1)));
                insert_owned(
                    &mut ctx,
                    "more_from_authors",
                    self.posts_of(&self.more_from_authors(*i)),
                );
                (post.path.clone(), ctx)
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
                let mut ctx = self.context(&page.path, &meta);
                ctx.insert(
                    "page",
                    &json!({
                        "title": page.title,
                        "path": page.path,
                        "url": config.url(&page.path),
                        "description": page.description,
                        "content": r.html,
                        "toc": r.toc,
                        "word_count": r.word_count,
                        "reading_time": r.reading_time(),
                    }),
                );
                (page.path.clone(), ctx)
            }
            Job::Authors => {
                let path = "/authors/".to_string();
                let meta = context::Meta {
                    title: "Authors".into(),
                    description: format!("Everyone who writes for {}", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let mut authors: Vec<&Value> = self.author_values.values().collect();
                authors.sort_by(|a, b| {
                    let key = |v: &Value| {
                        (
                            v["guest"].as_bool(),
                            v["name"].as_str().map(str::to_lowercase),
                        )
                    };
                    key(a).cmp(&key(b))
                });
                ctx.insert("authors", &authors);
                (path, ctx)
            }
            Job::Author(slug, n) => {
                let author = &site.authors[slug];
                let base = author.path();
                let path = paged_path(&base, *n);
                let posts = &self.indices.by_author[slug];
                let (pag, range) = self.paginator(&base, *n, posts.len());
                let value = &self.author_values[slug];
                let meta = context::Meta {
                    title: author.name.clone(),
                    description: format!("Posts by {} on {}", author.name, config.title),
                    path: path.clone(),
                    image: value["avatar"]
                        .as_str()
                        .map(|u| (u.to_string(), format!("Portrait of {}", author.name))),
                    feed: Some((
                        config.url(&format!("{base}rss.xml")),
                        format!("{} — {}", author.name, config.title),
                    )),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "author", value.clone());
                insert_owned(&mut ctx, "posts", self.posts_of(&posts[range]));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Terms(t) => {
                let tax = TAXONOMIES[*t];
                let tv = context::taxonomy_value(config, tax);
                let path = format!("/{tax}/");
                let meta = context::Meta {
                    title: tv["title"].as_str().unwrap_or(tax).to_string(),
                    description: format!("All {tax} on {}", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let terms: Vec<Value> = self
                    .indices
                    .taxonomy(tax)
                    .iter()
                    .map(|term| {
                        context::term_value(config, tax, &term.name, &term.slug, term.posts.len())
                    })
                    .collect();
                insert_owned(&mut ctx, "taxonomy", tv);
                ctx.insert("terms", &terms);
                (path, ctx)
            }
            Job::Term(t, i, n) => {
                let tax = TAXONOMIES[*t];
                let term = &self.indices.taxonomy(tax)[*i];
                let tv = context::taxonomy_value(config, tax);
                let base = format!("/{tax}/{}/", term.slug);
                let path = paged_path(&base, *n);
                let (pag, range) = self.paginator(&base, *n, term.posts.len());
                let singular = if tax == "tags" { "tagged" } else { "in" };
                let meta = context::Meta {
                    title: format!("Posts {singular} “{}”", term.name),
                    description: format!("Posts {singular} “{}” on {}", term.name, config.title),
                    path: path.clone(),
                    feed: Some((
                        config.url(&format!("{base}rss.xml")),
                        format!("{} — {}", term.name, config.title),
                    )),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "taxonomy", tv);
                insert_owned(
                    &mut ctx,
                    "term",
                    context::term_value(config, tax, &term.name, &term.slug, term.posts.len()),
                );
                insert_owned(&mut ctx, "posts", self.posts_of(&term.posts[range]));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Share(i) => {
                let post = &site.posts[*i];
                let path = format!("/share/{}/", post.slug);
                let (kit, _) = self.kit(*i).as_ref().map_err(Clone::clone)?;
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
                (path, ctx)
            }
            Job::ShareJson(i) => {
                let post = &site.posts[*i];
                let (kit, _) = self.kit(*i).as_ref().map_err(Clone::clone)?;
                let json = serde_json::to_string_pretty(kit).unwrap_or_default() + "\n";
                return Ok((format!("share/{}/snippets.json", post.slug), json));
            }
            Job::NotFound => {
                let meta = context::Meta {
                    title: "Page not found".into(),
                    description: config.description.clone(),
                    path: "/404.html".into(),
                    noindex: true,
                    ..Default::default()
                };
                let ctx = self.context("/404.html", &meta);
                ("/404.html".to_string(), ctx)
            }
        };
        // Every job that gets here has a template (the JSON returned above).
        let template = job.template().unwrap_or("404.html");
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(format!(
                "cannot render {path}: {}",
                theme::error_chain(&e)
            ))
            .in_file(format!("templates/{template}"))
            .hint("check the variable names against docs/templates.md; use `| default(value=…)` for optional values")
        })?;
        Ok((file_of(&path), html))
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
