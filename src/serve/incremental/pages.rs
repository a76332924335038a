//! Pages, feeds, extras and copied files in an incremental build: the reuse
//! policy handed to [`render::run_pipeline`], and applying what it made to the
//! last output. Each page's and feed's fingerprint hashes its route, the
//! versions of its inputs ([`Prepared::job_inputs`]), the globals and the
//! versions of the templates it renders with; a page whose fingerprint is
//! unchanged keeps its output. The extras stand while the sitemap's entries
//! do; a copied file stands while its source is the same.

use super::*;

/// The bodies of one build, by post and by page, with their ids (by source)
/// and what each was made from.
pub(super) struct Bodies<'a> {
    pub ids: &'a [u64],
    pub page_ids: &'a [u64],
    /// The posts' renderings without their page bodies, which are in
    /// `post_html`, compressed.
    pub posts_md: &'a [Rendered],
    pub post_html: &'a [Option<Stored>],
    pub post_meta: &'a [BodyMeta],
    pub pages_md: &'a [Rendered],
    pub page_meta: &'a [BodyMeta],
}

impl Builder {
    /// Renders, through the pipeline, the pages, feeds and extras whose inputs
    /// changed and copies the files whose source changed, and puts the output
    /// together.
    pub(super) fn render_pages(
        &mut self,
        site: &Site,
        sources: &Sources,
        changes: &Changes,
        bodies: Bodies<'_>,
        (build, same_order): (u64, bool),
        publish: &mut dyn Preview,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let Bodies {
            ids,
            page_ids,
            posts_md,
            post_html,
            post_meta,
            pages_md,
            page_meta,
        } = bodies;
        // A post's page body, unpacked when a page or feed shows it.
        let body = |i: usize| match &post_html[i] {
            Some(held) => held.content_text().map_err(|e| {
                Diagnostic::error(format!(
                    "cannot read the post's page body back from the preview's temporary file: {e}"
                ))
                .in_file(&site.posts[i].source)
                .hint("stop gen serve and start it again")
            }),
            None => Ok(posts_md[i].html.clone()),
        };
        let theme = self.theme.as_ref().expect("the theme is loaded");
        let mut counter = Counter(self.versions);
        let mut prev = self.prev.take();
        let good = prev.as_ref().map_or(0, |p| p.build);
        // A body changed when its text or its Markdown did.
        let body_changed: Vec<bool> = ids
            .iter()
            .zip(post_meta)
            .map(|(id, m)| {
                prev.as_ref()
                    .and_then(|p| p.posts.get(id))
                    .is_none_or(|old| old.text_hash != m.text_hash || m.rendered_in > good)
            })
            .collect();
        let reparsed: Vec<bool> = ids
            .iter()
            .map(|id| sources.post_parsed_in(*id) > good)
            .collect();
        let terms_hashes: Vec<u64> = site
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let old = prev.as_ref().and_then(|prev| prev.posts.get(&ids[i]));
                match old {
                    Some(o) if !reparsed[i] => o.terms_hash,
                    _ => fx_hash_of(&(&p.authors, &p.tags, &p.categories, &p.series)),
                }
            })
            .collect();
        // The indices (and the author values made from them) stand while the
        // posts are in the same order with the same authors and terms.
        let mut earlier = Earlier::default();
        if let Some(prev) = prev.as_mut()
            && same_order
            && ids
                .iter()
                .zip(&terms_hashes)
                .all(|(id, h)| prev.posts.get(id).is_some_and(|o| o.terms_hash == *h))
        {
            earlier.indices = prev.indices.take();
            earlier.author_values = prev.author_values.take();
        }
        let indices_reused = earlier.indices.is_some();

        // Post values, reused where nothing they are made of changed.
        let mut reused: Vec<bool> = Vec::new();
        let mut author_values: HashMap<String, Value> = HashMap::new();
        let mut term_values: [HashMap<String, Value>; 3] = Default::default();
        let mut prep = Prepared::reusing(site, theme, posts_md, pages_md, earlier, &mut |ing| {
            author_values = ing
                .authors
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            term_values = [ing.tags.clone(), ing.categories.clone(), ing.series.clone()];
            let Some(prev) = prev.as_mut() else {
                return Vec::new();
            };
            let changed_authors: HashSet<&str> = ing
                .authors
                .iter()
                .filter(|(slug, v)| prev.authors.get(*slug).is_none_or(|(pv, _)| pv != *v))
                .map(|(slug, _)| slug.as_str())
                .collect();
            let changed_terms = |t: usize, values: &HashMap<String, Value>| -> HashSet<String> {
                values
                    .iter()
                    .filter(|(slug, v)| prev.terms[t].get(*slug).is_none_or(|(pv, _)| pv != *v))
                    .map(|(slug, _)| slug.clone())
                    .collect()
            };
            let changed_tags = changed_terms(0, ing.tags);
            let changed_cats = changed_terms(1, ing.categories);
            let out: Vec<Option<Value>> = site
                .posts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if body_changed[i]
                        || reparsed[i]
                        || p.authors
                            .iter()
                            .any(|a| changed_authors.contains(a.as_str()))
                        || (!changed_tags.is_empty()
                            && p.tags.iter().any(|t| changed_tags.contains(&slugify(t))))
                        || (!changed_cats.is_empty()
                            && p.categories
                                .iter()
                                .any(|c| changed_cats.contains(&slugify(c))))
                    {
                        return None;
                    }
                    prev.posts.get_mut(&ids[i]).and_then(|s| s.value.take())
                })
                .collect();
            reused = out.iter().map(Option::is_some).collect();
            out
        });
        prep.bodies_from(&body);
        reused.resize(site.posts.len(), false);
        // Every output path has one source, as in a full build. While the
        // indices stand (so do the assembly's posts, pages, files and
        // authors), only share kits and theme files can change the paths.
        let claims_key = claims_key(site, theme);
        if !(indices_reused && self.claims_checked == Some(claims_key)) {
            self.claims_checked = None;
            // (Warnings of paths that differ only in case are gen check's.)
            let clashes: Vec<Diagnostic> = render::claims::check(site, &prep.indices, Some(theme))
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            if !clashes.is_empty() {
                return Err(clashes);
            }
        }
        self.claims_checked = Some(claims_key);
        self.timer.mark("values");

        // Versions of everything pages are made of.
        let mut value_ver = Vec::with_capacity(ids.len());
        let mut body_ver = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let old = prev.as_ref().and_then(|p| p.posts.get(id));
            let v = match old {
                Some(o) if reused[i] => o.value_ver,
                Some(PrevPost {
                    value: Some(v),
                    value_ver,
                    ..
                }) if *v == prep.post_values[i] => *value_ver,
                _ => counter.next(),
            };
            value_ver.push(v);
            let b = match old {
                Some(o) if !body_changed[i] => o.body_ver,
                _ => counter.next(),
            };
            body_ver.push(b);
        }
        let mut page_ver = Vec::with_capacity(page_ids.len());
        for (j, id) in page_ids.iter().enumerate() {
            let m = &page_meta[j];
            page_ver.push(match prev.as_ref().and_then(|p| p.pages.get(id)) {
                Some((hash, v)) if *hash == m.text_hash && m.rendered_in <= good => *v,
                _ => counter.next(),
            });
        }
        let author_ver = keyed_versions(
            &author_values,
            prev.as_ref().map(|p| &p.authors),
            &mut counter,
        );
        let term_ver: [HashMap<String, u64>; 3] = [0, 1, 2].map(|t| {
            keyed_versions(
                &term_values[t],
                prev.as_ref().map(|p| &p.terms[t]),
                &mut counter,
            )
        });
        let globals = fx_hash_of(&serde_json::to_string(&prep.globals()).unwrap_or_default());
        let term_slugs: [Vec<&str>; 3] = Taxonomy::ALL.map(|t| {
            prep.indices
                .taxonomy(t)
                .iter()
                .map(|term| term.slug.as_str())
                .collect()
        });
        let vers = Versions {
            globals,
            ids,
            value: &value_ver,
            body: &body_ver,
            page_ids,
            page: &page_ver,
            authors: &author_ver,
            term_slugs: &term_slugs,
            terms: &term_ver,
        };

        // Pages: keep those whose fingerprint is unchanged.
        self.timer.mark("versions");
        let jobs = prep.jobs();
        let share_version = prep.theme.share_version();
        self.timer.mark("jobs");
        // The edited posts' own pages, before the plan (see `early`), when
        // no post came, went or moved: then each is at its last address, and
        // no page that goes away can still be served after their reload.
        let edited_first = if prev.is_some() && same_order {
            let edited: Vec<usize> = jobs
                .iter()
                .enumerate()
                .filter(|(_, job)| matches!(job, Job::Post(i) if reparsed[*i] || body_changed[*i]))
                .map(|(k, _)| k)
                .take(early::EDITED_FIRST + 1)
                .collect();
            early::edited_first(
                &prep,
                &jobs,
                &edited,
                (&self.files, self.spill.as_ref()),
                publish,
            )
        } else {
            None
        };
        self.timer.mark("edited first");
        // What open pages show from here on: the last output, or the pages
        // published first.
        let shown = edited_first.as_ref().unwrap_or(&self.files).clone();
        let planned: Vec<(Route, u64)> = jobs
            .par_iter()
            .map(|job| {
                let key = job.route(site, &prep.indices);
                // A template change renders again only the pages whose
                // template, or a template that one uses, changed.
                let templates = (
                    job.template().and_then(|t| prep.theme.template_version(t)),
                    job.uses_share_kit().then_some(share_version),
                );
                let fp = fx_hash_of(&(vers.fingerprint(&key, &prep.job_inputs(job)), templates));
                (key, fp)
            })
            .collect();
        let no_outputs: Vec<Output> = Vec::new();
        let old_jobs = prev.as_ref().map_or(&no_outputs, |p| &p.jobs);
        let matched = Matched::new(old_jobs, &planned);
        self.timer.mark("plan");
        // Share kits whose inputs did not change are reused: a kit is counted
        // and fitted a dozen times, and a change to `base.html` renders the
        // kit's page again but leaves the kit as it was. The fingerprint of a
        // kit's JSON covers all the kit is made from.
        let kit_fps: Vec<(usize, u64)> = jobs
            .iter()
            .zip(&planned)
            .filter_map(|(job, (_, fp))| match job {
                Job::ShareJson(i) => Some((*i, *fp)),
                _ => None,
            })
            .collect();
        if let Some(p) = prev.as_ref() {
            for &(i, fp) in &kit_fps {
                if let Some((old_fp, kit)) = p.kits.get(&ids[i])
                    && *old_fp == fp
                {
                    prep.reuse_kit(i, kit.clone());
                }
            }
        }
        // Feeds: a feed's fingerprint covers its title and its first
        // `feed_limit` posts.
        let feeds = prep.feed_jobs();
        let limit = site.config.feed_limit;
        let feed_plan: Vec<(Route, u64)> = feeds
            .par_iter()
            .map(|f| {
                let key = f.route.clone();
                let mut h = FxHasher::default();
                (globals, &key, &f.title, &f.description).hash(&mut h);
                for &i in f.posts.iter().take(limit) {
                    (ids[i], value_ver[i], body_ver[i]).hash(&mut h);
                }
                (key, h.finish())
            })
            .collect();
        let old_feeds = prev.as_ref().map_or(&no_outputs, |p| &p.feeds);
        let feeds_matched = Matched::new(old_feeds, &feed_plan);
        // The sitemap, robots.txt and the stylesheet stand while the
        // sitemap's entries do (the others follow the config).
        let extras_fp = fx_hash_of(&(prep.sitemap_entries(), prep.static_robots()));
        let kept_extras: Option<&Vec<OutputFile>> = prev
            .as_ref()
            .and_then(|p| p.extras.as_ref())
            .filter(|(fp, _)| *fp == extras_fp)
            .map(|(_, files)| files);
        // A copied file stands while its source is the same.
        let no_copies = FxMap::default();
        let old_copies = prev.as_ref().map_or(&no_copies, |p| &p.copies);

        // Many pages to render again: the open ones and those of the changed
        // files first.
        let stale: Vec<usize> = (0..planned.len())
            .filter(|&k| matched.kept(k, &planned[k].0, planned[k].1).is_none())
            .collect();
        let early = if prev.is_some() && stale.len() >= self.early_after {
            let open: FxSet<String> = publish.open_pages().into_iter().collect();
            let wanted = |k: usize| match &jobs[k] {
                Job::Post(i) if reparsed[*i] || body_changed[*i] => true,
                Job::Page(j) if sources.page_parsed_in(page_ids[*j]) > good => true,
                _ => !open.is_empty() && open.contains(&planned[k].0.file()),
            };
            let first = early::First {
                jobs: &jobs,
                planned: &planned,
                stale: &stale,
                wanted: &wanted,
                feeds: (0..feed_plan.len())
                    .filter(|&k| {
                        feeds_matched
                            .kept(k, &feed_plan[k].0, feed_plan[k].1)
                            .is_none()
                    })
                    .map(|k| Arc::from(feed_plan[k].0.file().as_str()))
                    .collect(),
                gone: matched
                    .gone(old_jobs)
                    .into_iter()
                    .chain(feeds_matched.gone(old_feeds))
                    // A page that moves leaves its old path.
                    .chain(
                        stale
                            .iter()
                            .filter_map(|&k| matched.old(k, &planned[k].0, old_jobs))
                            .map(|o| o.2.clone()),
                    )
                    .collect(),
            };
            let early = first.publish(&prep, (&shown, self.spill.as_ref()), publish);
            self.timer.mark("first pages");
            early
        } else {
            None
        };
        // What open pages show now: the last output, or the pages made first.
        let before = early.unwrap_or(shown);

        // The pipeline makes what this policy does not keep.
        let policy = render::Policy {
            pages: &|k| matched.kept(k, &planned[k].0, planned[k].1),
            feeds: &|k| feeds_matched.kept(k, &feed_plan[k].0, feed_plan[k].1),
            extras: kept_extras.map(|files| files.iter().map(|(p, _)| p.clone()).collect()),
            copy: &|dest, src| {
                old_copies
                    .get(dest)
                    .is_some_and(|old| same_source(old, src))
            },
            every_error: true,
            // Indexed below, once the pages are published.
            search: false,
        };
        let sink = PackingSink::new(self.spill.clone());
        // Values may have been taken from the last build: after an error,
        // the next build starts afresh.
        let made_now = render::run_pipeline(&prep, &jobs, &feeds, &policy, &sink)?;
        let mut made = sink.into_files();
        self.timer.mark("render");

        // The new output: the last one with the changes made to it.
        // (From nothing after a full reset: the last output may hold files
        // that are gone.)
        let mut new_files = match prev {
            Some(_) => (*self.files).clone(),
            None => Files::default(),
        };
        let mut fresh: Vec<OutputFile> = Vec::new();
        let mut removed: Vec<Arc<str>> = matched.gone(old_jobs);
        let mut outputs: Vec<Output> = Vec::with_capacity(planned.len());
        for (i, ((key, fp), result)) in planned.iter().zip(made_now.pages).enumerate() {
            let path = match result {
                None => match matched.kept(i, key, *fp) {
                    Some(path) => path,
                    None => continue,
                },
                Some(Ok(file)) => {
                    let Some(content) = made.remove(&file) else {
                        continue;
                    };
                    let path: Arc<str> = Arc::from(file);
                    if let Some(old) = matched.old(i, key, old_jobs)
                        && old.2 != path
                    {
                        removed.push(old.2.clone());
                    }
                    fresh.push((path.clone(), Arc::new(content)));
                    path
                }
                // (The pipeline returned the errors.)
                Some(Err(_)) => continue,
            };
            outputs.push((key.clone(), *fp, path));
        }
        let pages_rendered = fresh.len();
        self.timer.mark("pages");

        removed.extend(feeds_matched.gone(old_feeds));
        let mut feed_outputs: Vec<Output> = Vec::with_capacity(feed_plan.len());
        for (i, ((key, fp), result)) in feed_plan.iter().zip(made_now.feeds).enumerate() {
            let path = match result {
                None => match feeds_matched.kept(i, key, *fp) {
                    Some(path) => path,
                    None => continue,
                },
                Some(Ok(file)) => {
                    let content = made
                        .remove(&file)
                        .unwrap_or_else(|| Stored::new(Content::Text(String::new()), None));
                    let path: Arc<str> = Arc::from(file);
                    fresh.push((path.clone(), Arc::new(content)));
                    path
                }
                Some(Err(_)) => continue,
            };
            feed_outputs.push((key.clone(), *fp, path));
        }
        let feed_count = fresh.len() - pages_rendered;
        self.timer.mark("feeds");

        let extras: Vec<OutputFile> = match made_now.extras {
            None => kept_extras.cloned().unwrap_or_default(),
            Some(paths) => {
                // A file made before and not now (robots.txt, when a static
                // one came) goes.
                if let Some((_, old)) = prev.as_ref().and_then(|p| p.extras.as_ref()) {
                    removed.extend(
                        old.iter()
                            .filter(|(o, _)| !paths.iter().any(|n| **o == **n))
                            .map(|(o, _)| o.clone()),
                    );
                }
                paths
                    .into_iter()
                    .map(|path| {
                        let content = made
                            .remove(&path)
                            .unwrap_or_else(|| Stored::new(Content::Text(String::new()), None));
                        let file = (Arc::<str>::from(path), Arc::new(content));
                        fresh.push(file.clone());
                        file
                    })
                    .collect()
            }
        };
        for path in &removed {
            new_files.remove(path);
        }
        let fresh_paths: FxSet<&str> = fresh.iter().map(|(p, _)| p.as_ref()).collect();
        for (path, content) in &fresh {
            new_files.insert(path.clone(), content.clone());
        }

        // Copied files: those the pipeline copied again go in, those no
        // longer copied (nor made) go.
        let copies: FxMap<Arc<str>, Source> = made_now
            .copies
            .into_iter()
            .map(|(dest, src)| (Arc::from(dest), src))
            .collect();
        let mut copied: Vec<&Arc<str>> = Vec::new();
        for dest in old_copies.keys() {
            if !copies.contains_key(dest) && !fresh_paths.contains(dest.as_ref()) {
                new_files.remove(dest);
                removed.push(dest.clone());
            }
        }
        let mut disk: HashMap<PathBuf, Vec<Arc<str>>> = HashMap::new();
        for (dest, src) in &copies {
            if let Source::Disk(p) = src {
                disk.entry(p.clone()).or_default().push(dest.clone());
            }
            if let Some(content) = made.remove(dest.as_ref()) {
                new_files.insert(dest.clone(), Arc::new(content));
                copied.push(dest);
            }
        }
        new_files.settle();

        self.timer.mark("extras");
        // What changed, for the reload.
        let mut changed = if prev.is_none() {
            Changed::All
        } else {
            let disk_changed = changes
                .paths
                .iter()
                .filter_map(|p| disk.get(&self.root.join(p)))
                .flatten();
            Changed::Paths(changed_paths(
                &before,
                &new_files,
                &fresh,
                removed.iter().chain(copied),
                disk_changed,
            ))
        };
        let full = prev.is_none() || pages_rendered == jobs.len();

        self.timer.mark("compare");
        let new_files = Arc::new(new_files);
        publish.publish(&new_files, &changed, None);
        self.timer.mark("publish");
        // The search index, once the pages are served: it takes longer than
        // most rebuilds.
        let new_files =
            match search::index_search(&mut self.search, site, &prep.indices, &jobs, &new_files) {
                Ok(Some((files, search_changed))) => {
                    publish.publish(&files, &search_changed, None);
                    // The outcome tells every path this rebuild changed.
                    if let (Changed::Paths(all), Changed::Paths(more)) =
                        (&mut changed, search_changed)
                    {
                        all.extend(more);
                    }
                    files
                }
                Ok(None) => new_files,
                Err(d) => return Err(vec![d]),
            };
        self.timer.mark("search");
        let mut prep = prep;
        let post_values = std::mem::take(&mut prep.post_values);
        let indices = std::mem::take(&mut prep.indices);
        let full_author_values = std::mem::take(&mut prep.author_values);
        let posts = ids
            .iter()
            .zip(post_values)
            .zip(value_ver.iter().zip(&body_ver))
            .zip(post_meta.iter().zip(&terms_hashes))
            .map(|(((id, v), (vv, bv)), (m, th))| {
                (
                    *id,
                    PrevPost {
                        text_hash: m.text_hash,
                        terms_hash: *th,
                        value: Some(v),
                        value_ver: *vv,
                        body_ver: *bv,
                    },
                )
            })
            .collect();
        let pages = page_ids
            .iter()
            .zip(page_meta)
            .zip(&page_ver)
            .map(|((id, m), v)| (*id, (m.text_hash, *v)))
            .collect();
        let authors = author_values
            .into_iter()
            .map(|(slug, v)| {
                let ver = author_ver[&slug];
                (slug, (v, ver))
            })
            .collect();
        let [tags, cats, series] = term_values;
        let with_ver = |values: HashMap<String, Value>, vers: &HashMap<String, u64>| {
            values
                .into_iter()
                .map(|(slug, v)| {
                    let ver = vers[&slug];
                    (slug, (v, ver))
                })
                .collect::<HashMap<_, _>>()
        };
        let terms = [
            with_ver(tags, &term_ver[0]),
            with_ver(cats, &term_ver[1]),
            with_ver(series, &term_ver[2]),
        ];
        let kits: IdMap<(u64, Arc<KitResult>)> = kit_fps
            .iter()
            .filter_map(|&(i, fp)| prep.made_kit(i).map(|kit| (ids[i], (fp, kit.clone()))))
            .collect();
        drop(prep);
        let outcome = Outcome {
            changed,
            rendered: pages_rendered + feed_count,
            bodies: 0,
            full,
            posts: site.posts.len(),
            pages: site.pages.len(),
            files: new_files.len(),
            warnings: Vec::new(),
            millis: 0,
            phases: Vec::new(),
        };
        self.versions = counter.0;
        self.timer.mark("state");
        self.files = new_files;
        self.prev = Some(Prev {
            build,
            posts,
            pages,
            authors,
            terms,
            jobs: outputs,
            feeds: feed_outputs,
            copies,
            disk,
            extras: Some((extras_fp, extras)),
            indices: Some(indices),
            author_values: Some(full_author_values),
            kits,
        });
        Ok(outcome)
    }
}

/// The version of each value by its key (an author's or a term's slug): the
/// last build's when the value is the same, else a new one.
fn keyed_versions(
    values: &HashMap<String, Value>,
    old: Option<&HashMap<String, (Value, u64)>>,
    counter: &mut Counter,
) -> HashMap<String, u64> {
    values
        .iter()
        .map(|(slug, v)| {
            let ver = match old.and_then(|o| o.get(slug)) {
                Some((pv, ver)) if pv == v => *ver,
                _ => counter.next(),
            };
            (slug.clone(), ver)
        })
        .collect()
}

/// The output paths whose content open pages show changed: the files made
/// now that differ from `before` (what was served), the files removed or
/// copied again that differ, and the files copied from a changed source.
fn changed_paths<'a>(
    before: &Files,
    new_files: &Files,
    fresh: &[OutputFile],
    removed_or_copied: impl Iterator<Item = &'a Arc<str>>,
    disk_changed: impl Iterator<Item = &'a Arc<str>>,
) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = BTreeSet::new();
    for (k, v) in fresh {
        if before.get(k).is_none_or(|old| !same_content(old, v)) {
            set.insert(k.to_string());
        }
    }
    for k in removed_or_copied {
        let same = match (before.get(k), new_files.get(k)) {
            (Some(a), Some(b)) => same_content(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            set.insert(k.to_string());
        }
    }
    set.extend(disk_changed.map(|k| k.to_string()));
    set
}

/// Hands out version numbers.
struct Counter(u64);

impl Counter {
    fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// The pages (or feeds) of this build matched with those of the last one: by
/// position when both lists have the same identities in the same order (the
/// common case), else by identity.
struct Matched<'a> {
    same_order: bool,
    by_key: FxMap<&'a Route, usize>,
    old: &'a [Output],
    new_keys: FxSet<&'a Route>,
}

impl<'a> Matched<'a> {
    fn new(old: &'a [Output], new: &'a [(Route, u64)]) -> Matched<'a> {
        let same_order = old.len() == new.len() && old.iter().zip(new).all(|(o, n)| o.0 == n.0);
        let (by_key, new_keys) = if same_order {
            (FxMap::default(), FxSet::default())
        } else {
            (
                old.iter().enumerate().map(|(i, o)| (&o.0, i)).collect(),
                new.iter().map(|(k, _)| k).collect(),
            )
        };
        Matched {
            same_order,
            by_key,
            old,
            new_keys,
        }
    }

    /// The last build's page for the `i`th page of this one.
    fn old(&self, i: usize, key: &Route, old: &'a [Output]) -> Option<&'a Output> {
        if self.same_order {
            old.get(i)
        } else {
            self.by_key.get(key).map(|&j| &old[j])
        }
    }

    /// The output path to keep when the fingerprint is unchanged.
    fn kept(&self, i: usize, key: &Route, fp: u64) -> Option<Arc<str>> {
        self.old(i, key, self.old)
            .filter(|o| o.1 == fp)
            .map(|o| o.2.clone())
    }

    /// The paths of the last build's pages that are gone.
    fn gone(&self, old: &[Output]) -> Vec<Arc<str>> {
        if self.same_order {
            return Vec::new();
        }
        old.iter()
            .filter(|o| !self.new_keys.contains(&o.0))
            .map(|o| o.2.clone())
            .collect()
    }
}

fn same_source(a: &Source, b: &Source) -> bool {
    match (a, b) {
        (Source::Disk(x), Source::Disk(y)) => x == y,
        (Source::Embedded(x), Source::Embedded(y)) => std::ptr::eq(*x, *y) || x == y,
        _ => false,
    }
}

fn same_content(a: &Stored, b: &Stored) -> bool {
    a.same(b)
}

/// The versions of a build's inputs, by index.
struct Versions<'a> {
    globals: u64,
    ids: &'a [u64],
    value: &'a [u64],
    body: &'a [u64],
    page_ids: &'a [u64],
    page: &'a [u64],
    authors: &'a HashMap<String, u64>,
    term_slugs: &'a [Vec<&'a str>; 3],
    terms: &'a [HashMap<String, u64>; 3],
}

impl Versions<'_> {
    fn fingerprint(&self, key: &Route, inputs: &JobInputs) -> u64 {
        let mut h = FxHasher::default();
        (self.globals, key, inputs.listing_len).hash(&mut h);
        let post = |i: usize| (self.ids[i], self.value[i]);
        inputs.post_values.len().hash(&mut h);
        for &i in &inputs.post_values {
            post(i).hash(&mut h);
        }
        inputs.newer.map(post).hash(&mut h);
        inputs.older.map(post).hash(&mut h);
        inputs.post_bodies.len().hash(&mut h);
        for &i in &inputs.post_bodies {
            (self.ids[i], self.body[i]).hash(&mut h);
        }
        inputs.pages.len().hash(&mut h);
        for &j in &inputs.pages {
            (self.page_ids[j], self.page[j]).hash(&mut h);
        }
        inputs.authors.len().hash(&mut h);
        for a in &inputs.authors {
            (a, self.authors.get(*a)).hash(&mut h);
        }
        inputs.redirects.hash(&mut h);
        inputs.related.len().hash(&mut h);
        for &i in &inputs.related {
            post(i).hash(&mut h);
        }
        inputs.series.len().hash(&mut h);
        for &i in &inputs.series {
            post(i).hash(&mut h);
        }
        inputs.terms.len().hash(&mut h);
        for &(t, i) in &inputs.terms {
            let slug = self.term_slugs[t.index()][i];
            (t, slug, self.terms[t.index()].get(slug)).hash(&mut h);
        }
        // Similar authors: each one's value, score, number of shared terms
        // and the terms shown.
        inputs.similar.len().hash(&mut h);
        for s in inputs.similar {
            (s.slug, self.authors.get(s.slug), s.score, s.shared.len()).hash(&mut h);
            for &(t, i) in s.shared.iter().take(crate::render::similar::TOPICS) {
                let slug = self.term_slugs[t.index()][i];
                (t, slug, self.terms[t.index()].get(slug)).hash(&mut h);
            }
        }
        inputs.contributions.hash(&mut h);
        inputs.responses.hash(&mut h);
        h.finish()
    }
}
