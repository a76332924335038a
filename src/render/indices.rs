//! Posts by author and by term: the indices every listing, feed and route
//! is made from, built once per build.

use std::collections::{BTreeMap, HashMap};

use crate::load::Site;
use crate::routes::Taxonomy;
use crate::text::slug::slugify;

/// A tag or a category, with its posts (newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub posts: Vec<usize>,
}

/// Posts by author and by term, built once per build.
#[derive(Debug, Default)]
pub struct Indices {
    pub by_author: BTreeMap<String, Vec<usize>>,
    pub tags: Vec<Term>,
    pub categories: Vec<Term>,
    /// Series, each with its parts newest first like any term.
    pub series: Vec<Term>,
    /// Each post's related posts ([`super::related::related`]), made when
    /// first asked for. They depend only on the posts' order, authors,
    /// tags and categories and on the config, as the indices do, so they
    /// stand as long as the indices: `gen serve` keeps both between
    /// rebuilds that change none of these, and a one-post edit no longer
    /// ranks the related posts of every post again.
    related: Vec<std::sync::OnceLock<Vec<usize>>>,
}

impl Indices {
    pub fn build(site: &Site) -> Indices {
        let mut idx = Indices::default();
        for slug in site.authors.keys() {
            idx.by_author.insert(slug.clone(), Vec::new());
        }
        let mut tags: BTreeMap<String, Term> = BTreeMap::new();
        let mut cats: BTreeMap<String, Term> = BTreeMap::new();
        let mut series: BTreeMap<String, Term> = BTreeMap::new();
        // Few distinct names, used by many posts: slugify each once.
        let mut slugs: HashMap<&str, String> = HashMap::new();
        for (i, p) in site.posts.iter().enumerate() {
            for a in &p.authors {
                match idx.by_author.get_mut(a) {
                    Some(v) => v.push(i),
                    None => {
                        idx.by_author.insert(a.clone(), vec![i]);
                    }
                }
            }
            for (values, map) in [
                (p.tags.as_slice(), &mut tags),
                (p.categories.as_slice(), &mut cats),
                (p.series.as_slice(), &mut series),
            ] {
                for name in values {
                    let slug = slugs.entry(name.as_str()).or_insert_with(|| slugify(name));
                    match map.get_mut(slug.as_str()) {
                        Some(term) => term.posts.push(i),
                        None => {
                            map.insert(
                                slug.clone(),
                                Term {
                                    name: name.clone(),
                                    slug: slug.clone(),
                                    posts: vec![i],
                                },
                            );
                        }
                    }
                }
            }
        }
        idx.tags = tags.into_values().collect();
        idx.categories = cats.into_values().collect();
        idx.series = series.into_values().collect();
        idx.related = (0..site.posts.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        idx
    }

    /// Up to `[related] limit` posts related to post `i`, best first
    /// ([`super::related::related`]), ranked once per post.
    pub fn related(&self, site: &Site, i: usize) -> Vec<usize> {
        let rank = || super::related::related(site, self, i, site.config.related_limit);
        match self.related.get(i) {
            Some(slot) => slot.get_or_init(rank).clone(),
            None => rank(),
        }
    }

    /// The terms of a taxonomy, sorted by slug.
    pub fn taxonomy(&self, t: Taxonomy) -> &[Term] {
        match t {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Categories => &self.categories,
            Taxonomy::Series => &self.series,
        }
    }

    /// The index in [`Indices::taxonomy`] of the term named `name`.
    pub fn term_index(&self, t: Taxonomy, name: &str) -> Option<usize> {
        let slug = slugify(name);
        self.taxonomy(t)
            .binary_search_by(|term| term.slug.as_str().cmp(&slug))
            .ok()
    }
}
