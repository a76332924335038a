//! The search index in `gen serve`: made again from the pages the preview
//! holds whenever an indexed page (a post or a page) changed, after the
//! rebuild's pages are published, so the page open in a browser is served
//! first. The index is kept between rebuilds ([`search::LiveIndex`]): an
//! edit indexes again only the pages it changed; pages added, removed or
//! moved make it anew (Pagefind cannot take a page out). Either way it is
//! the bytes a full build makes from the same pages.

use super::*;
use crate::render::search;

/// The index the preview serves: a fingerprint of the pages it was made
/// from, its files, and the index itself, to update.
pub(super) struct HeldIndex {
    fingerprint: u64,
    files: Vec<OutputFile>,
    live: search::LiveIndex,
}

/// Makes the search index again when the indexed pages of `files` (or
/// `[search] enabled`) changed since the last one (`served`, updated), or
/// puts the last one back into an output made afresh. Returns the output
/// with the index and the paths that changed, or `None` when `files` stands
/// as it is.
pub(super) fn index_search(
    served: &mut Option<HeldIndex>,
    site: &Site,
    indices: &Indices,
    jobs: &[Job],
    files: &Arc<Files>,
) -> Result<Option<(Arc<Files>, Changed)>, Diagnostic> {
    let config = &site.config;
    // The indexed pages as the preview holds them, in job order.
    let held: Vec<(String, Arc<Stored>)> = if config.search {
        jobs.iter()
            .filter(|j| search::indexed(j))
            .filter_map(|j| {
                let route = j.route(site, indices);
                let stored = files.get(route.file().as_str())?;
                Some((config.url(&route.path()), stored.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    // Each page's hash: compression is deterministic, so equal bytes are
    // equal pages.
    let hashes: Vec<u64> = held
        .iter()
        .map(|(_, stored)| {
            let mut h = FxHasher::default();
            match &**stored {
                Stored::Packed(p) => p.as_bytes().hash(&mut h),
                Stored::Spilled(s) => s.hash().hash(&mut h),
                // Indexed pages are text: these do not occur.
                Stored::Copy(_) | Stored::Bytes(_) => {}
            }
            h.finish()
        })
        .collect();
    let fingerprint = config.search.then(|| {
        let mut h = FxHasher::default();
        config.language.hash(&mut h);
        config.search_code.hash(&mut h);
        for ((url, _), page) in held.iter().zip(&hashes) {
            url.hash(&mut h);
            page.hash(&mut h);
        }
        h.finish()
    });
    let old = served.take();
    if let (
        Some(HeldIndex {
            fingerprint: old_fp,
            files: old_files,
            ..
        }),
        Some(fp),
    ) = (&old, fingerprint)
        && *old_fp == fp
    {
        // The same pages: the index stands (put back if the output was
        // made afresh).
        let missing: Vec<&OutputFile> = old_files
            .iter()
            .filter(|(p, _)| files.get(p).is_none())
            .collect();
        let out = (!missing.is_empty()).then(|| {
            let mut f = (**files).clone();
            for (p, c) in &missing {
                f.insert(p.clone(), c.clone());
            }
            f.settle();
            let changed = missing.iter().map(|(p, _)| p.to_string()).collect();
            (Arc::new(f), Changed::Paths(changed))
        });
        *served = old;
        return Ok(out);
    }
    if fingerprint.is_none() && old.is_none() {
        return Ok(None);
    }
    let mut f = (**files).clone();
    let mut changed = BTreeSet::new();
    for (p, _) in old.iter().flat_map(|held| &held.files) {
        f.remove(p);
        changed.insert(p.to_string());
    }
    if let Some(fp) = fingerprint {
        // The index kept, unless the language or the code setting changed.
        let mut live = old
            .map(|held| held.live)
            .filter(|live| live.made_for(&config.language, config.search_code))
            .unwrap_or_else(|| search::LiveIndex::new(&config.language, config.search_code));
        let keys = held
            .iter()
            .zip(hashes)
            .map(|((url, _), page)| (url.clone(), page))
            .collect();
        let (made, _indexed) = live.update(keys, |k| {
            held[k]
                .1
                .content_text()
                .map_err(|e| format!("{}: {e}", held[k].0))
        })?;
        let made: Vec<OutputFile> = made
            .into_iter()
            .map(|(p, bytes)| (Arc::<str>::from(p), Arc::new(Stored::Bytes(bytes))))
            .collect();
        for (p, c) in &made {
            f.insert(p.clone(), c.clone());
            changed.insert(p.to_string());
        }
        *served = Some(HeldIndex {
            fingerprint: fp,
            files: made,
            live,
        });
    }
    f.settle();
    Ok(Some((Arc::new(f), Changed::Paths(changed))))
}
