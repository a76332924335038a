//! Full-text search: a Pagefind index of the site's posts and pages, built in
//! process with the `pagefind` crate from the pages the build renders (never
//! read back from the output folder), and Pagefind's UI files, all published
//! under [`SEARCH_BUNDLE`] (`/pagefind/`) through the normal output.
//!
//! Which pages are indexed is decided here ([`indexed`]): posts and pages,
//! not listings, feeds, share kits, redirects or the 404 page. What of a page
//! is indexed, and its filters and metadata (title, authors, tags,
//! categories, date, cover), the theme's templates say with Pagefind's
//! `data-pagefind-*` attributes (`post.html`, `page.html`).
//!
//! Pagefind numbers pages in the order they are added, so pages are always
//! added in the order of their jobs (posts by date then slug, then pages):
//! the same pages make the same bytes, whether a full build renders them all
//! or `gen serve` indexes what it holds.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::Job;
use crate::diag::Diagnostic;
use crate::routes::{Route, SEARCH_BUNDLE};
use crate::text::packed::Packed;

/// Whether a page job is indexed: posts and plain pages.
pub fn indexed(job: &Job) -> bool {
    matches!(job, Job::Post(_) | Job::Page(_))
}

/// The host of a base URL (`https://blog.example.com/x/` →
/// `blog.example.com`), for the search form's fallback; empty when it has
/// none.
pub fn host(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// The sending half of a full build's stream of pages to the indexer: each
/// page search indexes, as soon as it is rendered (by any thread, in any
/// order), compressed (LZ4) until the indexer takes it. Dropping it tells
/// the indexer that no more pages come.
pub struct PageFeed(mpsc::Sender<HeldPage>);

/// The receiving half: the pages in the order of their jobs, each as soon
/// as it and every page before it have come. Pagefind numbers pages in the
/// order they are added, so this order is what makes the index the same
/// bytes whichever thread rendered what first; and since a build renders
/// its jobs roughly in order, the indexer works while the pages are still
/// being rendered instead of after them.
pub struct InOrder {
    pages: mpsc::Receiver<HeldPage>,
    /// The jobs to be indexed, by position, in order; `next` is the first not
    /// given out yet.
    expected: Vec<usize>,
    next: usize,
    /// Pages that came before some page ahead of them.
    waiting: BTreeMap<usize, (String, Packed)>,
}

/// A page held for the index: its job's position, its URL, its HTML
/// compressed.
type HeldPage = (usize, String, Packed);

/// A stream of pages to index, for the jobs at the positions `expected`
/// (ascending).
pub fn page_stream(expected: Vec<usize>) -> (PageFeed, InOrder) {
    let (tx, rx) = mpsc::channel();
    let order = InOrder {
        pages: rx,
        expected,
        next: 0,
        waiting: BTreeMap::new(),
    };
    (PageFeed(tx), order)
}

impl PageFeed {
    /// Sends the page of job `k` (its position among the jobs), published at
    /// `url`.
    pub fn send(&self, k: usize, url: String, html: &str) {
        let packed = Packed::new(html);
        // The receiver is gone only when the indexer stopped: it has its
        // own error to report.
        let _ = self.0.send((k, url, packed));
    }
}

impl Iterator for InOrder {
    type Item = (String, String);

    fn next(&mut self) -> Option<(String, String)> {
        loop {
            let &want = self.expected.get(self.next)?;
            if let Some((url, packed)) = self.waiting.remove(&want) {
                self.next += 1;
                return Some((url, packed.text()));
            }
            match self.pages.recv() {
                Ok((k, url, packed)) => {
                    self.waiting.insert(k, (url, packed));
                }
                // Every page rendered has come: the pages still expected
                // failed, and the rest are indexed in order without them.
                Err(mpsc::RecvError) => {
                    let (k, (url, packed)) = self.waiting.pop_first()?;
                    self.next = self.expected.partition_point(|&e| e <= k);
                    return Some((url, packed.text()));
                }
            }
        }
    }
}

/// One file of the search bundle: its output path (`pagefind/…`) and bytes.
pub type SearchFile = (String, Arc<[u8]>);

/// Builds the search index of `pages` ((URL, HTML), in job order) in the
/// site's `language`, code blocks left out or, with `code`, as text
/// ([`for_index`]): the index files and Pagefind's UI files, by output
/// path, sorted. When `stop` is set, it stops taking pages and makes no
/// files (the build failed).
pub fn build_index<I>(
    language: &str,
    code: bool,
    pages: I,
    stop: &AtomicBool,
) -> Result<Vec<SearchFile>, Diagnostic>
where
    I: Iterator<Item = (String, String)> + Send,
{
    let language = index_language(language);
    on_own_runtime(|runtime| {
        runtime.block_on(async {
            let mut index = new_index(language)?;
            for (url, html) in pages {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                add(&mut index, url, html, code).await?;
            }
            if stop.load(Ordering::Relaxed) {
                return Err("the build stopped".to_string());
            }
            files_of(&mut index).await
        })
    })
    .map_err(index_error)
}

/// A search index kept between rebuilds (`gen serve`), so that an edit
/// indexes again only the pages it changed: Pagefind replaces a page given
/// again under the same URL where it stands. Pagefind cannot take a page
/// out, so when the pages are not the same URLs in the same order as last
/// time (a post added, removed, renamed or moved by its date), the index is
/// made anew. Either way its files are the bytes [`build_index`] makes of the
/// same pages: the index is a function of its pages in their order.
pub struct LiveIndex {
    language: String,
    code: bool,
    /// The pages indexed, in order: URL and a hash of the HTML given.
    pages: Vec<(String, u64)>,
    index: Option<PagefindIndex>,
}

impl LiveIndex {
    /// An empty index for a site in `language`, code blocks indexed as text
    /// with `code`.
    pub fn new(language: &str, code: bool) -> LiveIndex {
        LiveIndex {
            language: index_language(language).to_string(),
            code,
            pages: Vec::new(),
            index: None,
        }
    }

    /// Whether this index is of a site in `language` with code indexed as
    /// `code`.
    pub fn made_for(&self, language: &str, code: bool) -> bool {
        self.language == index_language(language) && self.code == code
    }

    /// The index files of `pages` (URL and a hash of the page's HTML, in job
    /// order), asking `html(k)` for the HTML of page `k` only when it must
    /// be indexed (an error there, a message, stops the update). Returns the
    /// files and how many pages were indexed.
    pub fn update(
        &mut self,
        pages: Vec<(String, u64)>,
        html: impl Fn(usize) -> Result<String, String> + Sync,
    ) -> Result<(Vec<SearchFile>, usize), Diagnostic> {
        let same_pages = self.index.is_some()
            && pages.len() == self.pages.len()
            && pages.iter().zip(&self.pages).all(|(a, b)| a.0 == b.0);
        let todo: Vec<usize> = if same_pages {
            (0..pages.len())
                .filter(|&k| pages[k].1 != self.pages[k].1)
                .collect()
        } else {
            (0..pages.len()).collect()
        };
        let (language, code) = (self.language.as_str(), self.code);
        let mut index = if same_pages { self.index.take() } else { None };
        // Until the update succeeds the index is gone: a failed one is made
        // anew next time.
        self.pages.clear();
        let made = on_own_runtime(|runtime| {
            runtime.block_on(async {
                let mut live = match index.take() {
                    Some(live) => live,
                    None => new_index(language)?,
                };
                for &k in &todo {
                    add(&mut live, pages[k].0.clone(), html(k)?, code).await?;
                }
                let files = files_of(&mut live).await?;
                Ok((files, live))
            })
        })
        .map_err(index_error)?;
        let (files, live) = made;
        self.index = Some(live);
        self.pages = pages;
        Ok((files, todo.len()))
    }
}

fn index_language(language: &str) -> &str {
    if language.is_empty() { "en" } else { language }
}

fn new_index(language: &str) -> Result<PagefindIndex, String> {
    let options = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    PagefindIndex::new(Some(options)).map_err(|e| e.to_string())
}

async fn add(
    index: &mut PagefindIndex,
    url: String,
    html: String,
    code: bool,
) -> Result<(), String> {
    index
        .add_html_file(None, Some(url.clone()), for_index(html, code))
        .await
        .map(|_| ())
        .map_err(|e| format!("{url}: {e}"))
}

/// The files of `index` (built from its pages as they are now), by output
/// path, sorted.
async fn files_of(index: &mut PagefindIndex) -> Result<Vec<SearchFile>, String> {
    let files = index.get_files().await.map_err(|e| e.to_string())?;
    let mut out: Vec<SearchFile> = files
        .into_iter()
        .map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            (Route::SearchFile(name).file(), Arc::from(f.contents))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Runs `work` with a Tokio runtime of its own in a thread of its own:
/// Pagefind's API is async (and blocks on Tokio's blocking pool), and this
/// way it works inside and outside a Tokio runtime.
fn on_own_runtime<T: Send>(
    work: impl FnOnce(&tokio::runtime::Runtime) -> Result<T, String> + Send,
) -> Result<T, String> {
    std::thread::scope(|s| {
        s.spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| e.to_string())?;
            work(&runtime)
        })
        .join()
        .unwrap_or_else(|_| Err("the indexer stopped unexpectedly".into()))
    })
}

fn index_error(e: String) -> Diagnostic {
    Diagnostic::error(format!("cannot build the search index: {e}")).hint(format!(
        "set [search] enabled = false in gen.toml to build without search (and without {SEARCH_BUNDLE})"
    ))
}

/// `html` as the index takes it: each highlighted code block
/// (`<pre class="code">…</pre>`, as the build writes code) left out, or with
/// `code`, reduced to its text in a plain `<pre>` (the highlighting's spans
/// are most of a technical page's markup, and nothing to index).
fn for_index(html: String, code: bool) -> String {
    const OPEN: &str = "<pre class=\"code\"";
    const CLOSE: &str = "</pre>";
    if !html.contains(OPEN) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        // Highlighted code escapes every `<`: the block's first `</pre>` is
        // its end.
        let Some(j) = rest[i..].find(CLOSE) else {
            rest = &rest[i..];
            break;
        };
        if code {
            let block = &rest[i..i + j];
            let body = block.find('>').map_or("", |k| &block[k + 1..]);
            out.push_str("<pre>");
            let mut in_tag = false;
            for c in body.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.push_str(CLOSE);
        }
        rest = &rest[i + j + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_left_out_or_kept_as_text() {
        let html = "<p>a</p><pre class=\"code\" data-lang=\"rust\"><code><span class=\"k\">fn</span> main() {}</code></pre>\n<p>b</p><pre class=\"code\"><code>x &lt; y</code></pre>";
        assert_eq!(for_index(html.into(), false), "<p>a</p>\n<p>b</p>");
        assert_eq!(
            for_index(html.into(), true),
            "<p>a</p><pre>fn main() {}</pre>\n<p>b</p><pre>x &lt; y</pre>"
        );
        // Code the build did not highlight, and a block never closed, stay.
        assert_eq!(
            for_index("<pre>kept</pre>".into(), false),
            "<pre>kept</pre>"
        );
        let open = "<p>a</p><pre class=\"code\"><code>never closed";
        assert_eq!(for_index(open.into(), false), open);
    }

    /// Pages rendered out of order by the threads come to the indexer in
    /// job order, each as soon as the pages before it have come; a page
    /// that never comes (its job failed) is skipped once the feed is gone.
    #[test]
    fn pages_reach_the_indexer_in_job_order() {
        let (feed, mut in_order) = page_stream(vec![2, 3, 5, 7, 8]);
        let page = |k: usize| (format!("/p{k}/"), format!("<p>{k}</p>"));
        let url = |k: usize| page(k).0;
        std::thread::scope(|s| {
            let taken = s.spawn(move || {
                let first = in_order.next();
                (first, in_order)
            });
            for k in [3, 7, 2] {
                feed.send(k, url(k), &page(k).1);
            }
            let (first, mut in_order) = taken.join().unwrap();
            assert_eq!(first, Some(page(2)));
            assert_eq!(in_order.next(), Some(page(3)));
            feed.send(8, url(8), &page(8).1);
            // 5 never comes: once the feed is dropped, 7 and 8 follow.
            drop(feed);
            let rest: Vec<_> = in_order.collect();
            assert_eq!(rest, vec![page(7), page(8)]);
        });
    }

    #[test]
    fn host_of_base_url() {
        assert_eq!(host("https://blog.example.com/x/"), "blog.example.com");
        assert_eq!(host("http://127.0.0.1:1111"), "127.0.0.1");
        assert_eq!(host("not a url"), "");
    }

    /// An edit indexes only the pages it changed, and the files are the
    /// bytes a full build makes of the same pages; pages added or moved make
    /// the index anew, with the same guarantee.
    #[test]
    fn live_index_reindexes_only_changed_pages_and_equals_a_full_build() {
        let page = |n: u32, words: &str| {
            (
                format!("https://example.com/posts/p{n}/"),
                format!(
                    "<!DOCTYPE html><html lang=\"en\"><head><title>P{n}</title></head><body>\
                     <article data-pagefind-body><h1 data-pagefind-meta=\"title\">Post {n}</h1>\
                     <p>{words} number {n}.</p></article></body></html>"
                ),
            )
        };
        let hash = |html: &str| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            html.hash(&mut h);
            h.finish()
        };
        let mut live = LiveIndex::new("en", false);
        let mut update = |pages: &[(String, String)]| {
            let keys = pages.iter().map(|(u, h)| (u.clone(), hash(h))).collect();
            let (files, indexed) = live.update(keys, |k| Ok(pages[k].1.clone())).unwrap();
            assert_eq!(
                files,
                build_index("en", false, pages.iter().cloned(), &AtomicBool::new(false)).unwrap()
            );
            indexed
        };
        let mut pages: Vec<_> = (0..10).map(|n| page(n, "Onboarding words")).collect();
        assert_eq!(update(&pages), 10);
        assert_eq!(update(&pages), 0, "nothing changed");
        pages[3] = page(3, "Rewritten paragraph");
        assert_eq!(update(&pages), 1, "one page edited");
        pages.push(page(10, "A new post"));
        assert_eq!(update(&pages), 11, "a page added: made anew");
        pages.swap(0, 1);
        assert_eq!(update(&pages), 11, "pages reordered: made anew");
        pages.remove(5);
        assert_eq!(update(&pages), 10, "a page removed: made anew");
    }

    /// The same pages make the same bytes (Pagefind hashes content into
    /// file names and numbers pages by arrival).
    #[test]
    fn index_is_deterministic_and_has_the_ui() {
        let page = |n: u32| {
            (
                format!("https://example.com/posts/p{n}/"),
                format!(
                    "<!DOCTYPE html><html lang=\"en\"><head><title>P{n}</title></head><body>\
                     <article data-pagefind-body><h1 data-pagefind-meta=\"title\">Post {n}</h1>\
                     <span data-pagefind-filter=\"author:Holly Smith, Jr.\"></span>\
                     <p>Onboarding words number {n}.</p></article></body></html>"
                ),
            )
        };
        let a = build_index("en", false, (0..20).map(page), &AtomicBool::new(false)).unwrap();
        let b = build_index("en", false, (0..20).map(page), &AtomicBool::new(false)).unwrap();
        let names: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind-ui.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_fragment")));
        assert_eq!(a, b);
    }
}
