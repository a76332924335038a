//! Bodies in an incremental build: each post's and page's Markdown is rendered
//! again only when what it was made from changed (its text, its sanitizing,
//! its bundle or path, or how one of its links resolves now), then the pages
//! are handed to [`Builder::render_pages`](super::Builder).

use super::*;

impl Builder {
    /// Renders the assembled site, reusing what did not change. Gives the site's
    /// posts back to `sources` in every case.
    pub(super) fn render(
        &mut self,
        site: Site,
        sources: &mut Sources,
        changes: &Changes,
        mut errors: Vec<Diagnostic>,
        (build, same_order): (u64, bool),
        publish: &mut dyn Preview,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let ids: Vec<u64> = site.posts.iter().map(|p| id_of(&p.source)).collect();
        let page_ids: Vec<u64> = site.pages.iter().map(|p| id_of(&p.source)).collect();
        // Markdown.
        let env = {
            let mut h = FxHasher::default();
            self.walks.hash(&mut h);
            for (p, id) in site.posts.iter().zip(&ids) {
                (id, &p.path).hash(&mut h);
            }
            for (p, id) in site.pages.iter().zip(&page_ids) {
                (id, &p.path).hash(&mut h);
            }
            site.unparsed.hash(&mut h);
            h.finish()
        };
        let revalidate = env != self.link_env;
        let renderer = BodyRenderer::new(&site);
        let post_wants: Vec<Wanted<'_>> = site
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| Wanted {
                parsed_in: sources.post_parsed_in(ids[i]),
                text: Text::Hashed(p.file.hash()),
                sanitize: renderer.sanitizes_post(i),
                bundle: p.bundle.as_deref(),
                path: &p.path,
            })
            .collect();
        let page_wants: Vec<Wanted<'_>> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Wanted {
                parsed_in: sources.page_parsed_in(page_ids[i]),
                text: Text::Plain(&p.text),
                sanitize: site.config.sanitize_staff_html,
                bundle: None,
                path: &p.path,
            })
            .collect();
        let bodies = &self.bodies;
        let spill = self.spill.as_ref();
        // The bodies (of posts, or of pages) whose cached rendering no longer
        // holds, rendered again with the hash of their text.
        // (Posts' page bodies are packed as they are made, so that a first
        // build never holds them all unpacked.)
        let remade = |ids: &[u64],
                      wants: &[_],
                      resolve: &(dyn Fn(usize, &str, bool) -> crate::markdown::Resolved + Sync),
                      render: &(dyn Fn(usize) -> render::Body + Sync),
                      pack: bool|
         -> Vec<Option<Made>> {
            (0..ids.len())
                .into_par_iter()
                .map(|i| {
                    let valid = bodies.get(&ids[i]).is_some_and(|c| {
                        still_valid(c, &wants[i], revalidate, &|dest, image| {
                            resolve(i, dest, image)
                        })
                    });
                    (!valid).then(|| {
                        let mut body = render(i);
                        let html = pack.then(|| {
                            let html = std::mem::take(&mut body.rendered.html);
                            Stored::new(Content::Text(html), spill)
                        });
                        (body, wants[i].text.hash(), html)
                    })
                })
                .collect()
        };
        let post_made = remade(
            &ids,
            &post_wants,
            &|i, dest, image| renderer.resolve_post(i, dest, image),
            &|i| renderer.post(i),
            true,
        );
        let page_made = remade(
            &page_ids,
            &page_wants,
            &|i, dest, image| renderer.resolve_page(i, dest, image),
            &|i| renderer.page(i),
            false,
        );
        drop(renderer);
        let mut md_errors = Vec::new();
        let mut bodies = 0;
        let spare = std::mem::take(&mut self.spare_bodies);
        let (mut posts_md, post_meta, mut post_html) = self.lend_bodies(
            &ids,
            &post_wants,
            post_made,
            build,
            (&mut md_errors, &mut bodies),
            spare,
        );
        let (pages_md, page_meta, _) = self.lend_bodies(
            &page_ids,
            &page_wants,
            page_made,
            build,
            (&mut md_errors, &mut bodies),
            Default::default(),
        );
        drop(post_wants);
        drop(page_wants);
        self.link_env = env;
        self.timer.mark("markdown");
        errors.extend(md_errors);

        let result = if errors.is_empty() {
            self.render_pages(
                &site,
                sources,
                changes,
                pages::Bodies {
                    ids: &ids,
                    page_ids: &page_ids,
                    posts_md: &posts_md,
                    post_html: &post_html,
                    post_meta: &post_meta,
                    pages_md: &pages_md,
                    page_meta: &page_meta,
                },
                (build, same_order),
                publish,
            )
            .map(|mut o| {
                o.bodies = bodies;
                o
            })
        } else {
            Err(errors)
        };

        // Keep the Markdown, and give the posts back.
        for ((r, html), id) in posts_md.drain(..).zip(post_html.drain(..)).zip(&ids) {
            if let Some(c) = self.bodies.get_mut(id) {
                c.rendered = r;
                c.html = html;
            }
        }
        self.spare_bodies = (posts_md, post_html);
        for (r, id) in pages_md.into_iter().zip(&page_ids) {
            if let Some(c) = self.bodies.get_mut(id) {
                c.rendered = r;
            }
        }
        sources.restore(site, &ids);
        self.timer.mark("keep");
        result
    }

    /// The bodies of one build, in order: reused ones lent from the cache (give
    /// them back after the build), fresh ones put in the cache (unless they have
    /// errors). Also what each body was made from, and the packed page bodies
    /// of posts (lent alike; `None` for pages, whose `Rendered` holds theirs),
    /// in the lists `spare` (empty) when given. Counts the bodies made again
    /// in `fresh`, and adds their errors to `errors`.
    fn lend_bodies(
        &mut self,
        ids: &[u64],
        wants: &[Wanted<'_>],
        made: Vec<Option<Made>>,
        build: u64,
        (errors, fresh): (&mut Vec<Diagnostic>, &mut usize),
        spare: (Vec<Rendered>, Vec<Option<Stored>>),
    ) -> (Vec<Rendered>, Vec<BodyMeta>, Vec<Option<Stored>>) {
        let (mut rendered, mut htmls) = spare;
        rendered.clear();
        htmls.clear();
        rendered.reserve(ids.len());
        htmls.reserve(ids.len());
        let mut meta = Vec::with_capacity(ids.len());
        for ((id, want), made) in ids.iter().zip(wants).zip(made) {
            match made {
                None => {
                    let c = self.bodies.get_mut(id).expect("a valid cached body");
                    c.parsed_in = want.parsed_in;
                    rendered.push(std::mem::take(&mut c.rendered));
                    htmls.push(c.html.take());
                    meta.push(BodyMeta {
                        text_hash: c.text_hash,
                        rendered_in: c.rendered_in,
                    });
                }
                Some((body, text_hash, html)) => {
                    *fresh += 1;
                    if body.diags.is_empty() {
                        self.bodies.insert(
                            *id,
                            CachedBody {
                                parsed_in: want.parsed_in,
                                text_hash,
                                sanitize: want.sanitize,
                                bundle: want.bundle.map(Path::to_path_buf),
                                path: want.path.to_string(),
                                links: body.links,
                                rendered_in: build,
                                rendered: Rendered::default(),
                                html: None,
                            },
                        );
                    } else {
                        self.bodies.remove(id);
                        errors.extend(body.diags);
                    }
                    rendered.push(body.rendered);
                    htmls.push(html);
                    meta.push(BodyMeta {
                        text_hash,
                        rendered_in: build,
                    });
                }
            }
        }
        (rendered, meta, htmls)
    }
}

/// A body made again: its rendering, the hash of its text, and (for a post)
/// its page body packed, taken out of the rendering.
type Made = (render::Body, u64, Option<Stored>);

/// What a post's or page's body must be made from now.
struct Wanted<'a> {
    parsed_in: u64,
    text: Text<'a>,
    sanitize: bool,
    bundle: Option<&'a Path>,
    path: &'a str,
}

/// The source text of a post (its hash, made when it was loaded) or a page.
enum Text<'a> {
    Hashed(u64),
    Plain(&'a str),
}

impl Text<'_> {
    /// The hash of the text ([`crate::load::text_hash`]).
    fn hash(&self) -> u64 {
        match self {
            Text::Hashed(h) => *h,
            Text::Plain(s) => crate::load::text_hash(s),
        }
    }
}

/// Whether a cached body is still what rendering the post or page now would
/// give.
fn still_valid(
    c: &CachedBody,
    want: &Wanted<'_>,
    revalidate: bool,
    resolve: &(dyn Fn(&str, bool) -> crate::markdown::Resolved + Sync),
) -> bool {
    let same_text = c.parsed_in == want.parsed_in || want.text.hash() == c.text_hash;
    same_text
        && c.sanitize == want.sanitize
        && c.bundle.as_deref() == want.bundle
        && c.path == want.path
        && (!revalidate
            || c.links
                .iter()
                .all(|l| resolve(&l.dest, l.image) == l.resolved))
}
