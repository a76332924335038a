//! The HTTP side: serves the last good build from memory, with the live-reload
//! event stream beside it.
//!
//! A request path is turned into an output key by [`request_key`], which refuses
//! anything that is not a plain path inside the output (`..` and `.` segments,
//! encoded slashes and backslashes, NUL, empty segments, invalid UTF-8); the key is
//! then only looked up in the build's file map, so no request can name a file
//! outside it. Files copied from disk are read when asked for, and only when they
//! still resolve inside the site (a file replaced by a symlink that leads outside
//! is refused).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::incremental::{Changed, Files, Pending, Preview, Stored};
use super::reload::{self, EVENTS_PATH, Message, SCRIPT, SCRIPT_PATH};
use crate::render::Source;

/// What is served: the last good build, and the errors of a failed one after it.
pub struct Snapshot {
    pub files: Arc<Files>,
    /// The number of builds published so far (0: none yet).
    pub build: u64,
    /// The errors of the last build, when it failed.
    pub error: Option<Arc<Message>>,
    /// While a build publishes its first pages: the paths it will still
    /// change (requests for them wait for it).
    pub pending: Option<Arc<Pending>>,
    /// The output of the last complete good build (what a failed build
    /// goes back to).
    pub good: Arc<Files>,
}

/// How many recently served pages count as open in a browser.
const OPEN_PAGES: usize = 16;

/// How long a request for a page a build is still making waits for it.
const PENDING_WAIT: Duration = Duration::from_secs(120);

/// The state the server shares with the builder.
pub struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Arc<Message>>,
    /// Whether pages get the live-reload script.
    pub watch: bool,
    /// Tells one run of the server from the next (pages reload after a restart).
    pub server_id: String,
    root_canonical: PathBuf,
    /// The pages served last (newest last), which builds make first.
    open: Mutex<VecDeque<String>>,
    /// Counts snapshots, for requests waiting for a pending page.
    generation: tokio::sync::watch::Sender<u64>,
    /// What the last builds changed (`None`: everything), by build number,
    /// oldest first: a page that connects after builds it missed reloads
    /// only when one of them changed it ([`Live::build_for_page`]).
    history: Mutex<VecDeque<(u64, Option<Vec<String>>)>>,
}

/// How many builds' changes [`Live`] remembers.
const HISTORY: usize = 256;

impl Live {
    pub fn new(root: &Path, watch: bool) -> Live {
        let (events, _) = broadcast::channel(256);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Live {
            snapshot: RwLock::new(Arc::new(Snapshot {
                files: Arc::new(Files::default()),
                build: 0,
                error: None,
                pending: None,
                good: Arc::new(Files::default()),
            })),
            events,
            open: Mutex::new(VecDeque::new()),
            generation: tokio::sync::watch::Sender::new(0),
            history: Mutex::new(VecDeque::new()),
            watch,
            server_id: format!("{:x}-{nanos:x}", std::process::id()),
            root_canonical: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set(&self, s: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(s);
        self.generation.send_modify(|g| *g += 1);
    }

    /// Remembers a page served, as open in a browser.
    fn opened(&self, key: &str) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = open.iter().position(|k| k == key) {
            open.remove(i);
        }
        if open.len() == OPEN_PAGES {
            open.pop_front();
        }
        open.push_back(key.to_string());
    }

    /// The build a page served at `page_build`, showing the files `keys`,
    /// should compare itself with when it connects: the current build when
    /// a build since changed one of its files, or a file that is not a page,
    /// feed or the search index (a picture, a script, a stylesheet whose
    /// swap it missed), or everything, or is no longer remembered; else its
    /// own build, so a page that reloaded while the rest of a rebuild went
    /// on does not reload again for pages it does not show.
    pub fn build_for_page(&self, page_build: u64, keys: &[&str]) -> u64 {
        let current = self.snapshot().build;
        if page_build >= current {
            return current;
        }
        let history = self.history.lock().unwrap_or_else(|e| e.into_inner());
        let missed: Vec<&(u64, Option<Vec<String>>)> =
            history.iter().filter(|(b, _)| *b > page_build).collect();
        let remembered = missed.first().is_some_and(|(b, _)| *b == page_build + 1);
        let relevant = |p: &String| {
            keys.contains(&p.as_str())
                || !([".html", ".xml", ".json", ".txt"]
                    .iter()
                    .any(|ext| p.ends_with(ext))
                    || p.starts_with("pagefind/"))
        };
        let changed_it = missed.iter().any(|(_, paths)| match paths {
            None => true,
            Some(paths) => paths.iter().any(relevant),
        });
        if !remembered || changed_it {
            current
        } else {
            page_build
        }
    }

    /// Serves a new build and tells open pages what changed.
    pub fn publish(&self, files: Arc<Files>, changed: &Changed) {
        self.publish_part(files, changed, None);
    }

    /// Serves a build's output, complete or (with `pending`) the pages made
    /// first, and tells open pages what changed.
    pub fn publish_part(
        &self,
        files: Arc<Files>,
        changed: &Changed,
        pending: Option<Arc<Pending>>,
    ) {
        let old = self.snapshot();
        let build = if changed.is_empty() {
            old.build.max(1)
        } else {
            old.build + 1
        };
        let had_error = old.error.is_some();
        let good = match pending {
            Some(_) => old.good.clone(),
            None => files.clone(),
        };
        self.set(Snapshot {
            files,
            build,
            error: None,
            pending,
            good,
        });
        if build > old.build {
            let mut history = self.history.lock().unwrap_or_else(|e| e.into_inner());
            if history.len() == HISTORY {
                history.pop_front();
            }
            let paths = match changed {
                Changed::All => None,
                Changed::Paths(p) => Some(p.iter().cloned().collect()),
            };
            history.push_back((build, paths));
        }
        match Message::after_build(build, changed) {
            Some(m) => self.send(m),
            None if had_error => self.send(Message::ok()),
            None => {}
        }
    }

    /// Keeps serving the last good build, with these errors shown over it
    /// (and without the pages a failed build published first).
    pub fn fail(&self, message: Message) {
        let old = self.snapshot();
        let message = Arc::new(message);
        self.set(Snapshot {
            files: old.good.clone(),
            build: old.build,
            error: Some(message.clone()),
            pending: None,
            good: old.good.clone(),
        });
        let _ = self.events.send(message);
    }

    /// Tells open pages something without a new build (a good build that
    /// changed nothing after a failed one, a copied file that changed).
    pub fn send(&self, message: Message) {
        if message.event != "build-error" {
            let old = self.snapshot();
            if old.error.is_some() {
                self.set(Snapshot {
                    files: old.files.clone(),
                    build: old.build,
                    error: None,
                    pending: old.pending.clone(),
                    good: old.good.clone(),
                });
            }
        }
        // No receiver is not an error: no page is open.
        let _ = self.events.send(Arc::new(message));
    }
}

impl Preview for &Live {
    fn open_pages(&self) -> Vec<String> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.iter().cloned().collect()
    }

    fn publish(&mut self, files: &Arc<Files>, changed: &Changed, pending: Option<&Arc<Pending>>) {
        self.publish_part(files.clone(), changed, pending.cloned());
    }
}

/// The snapshot to answer a request for `file` from: while a build is still
/// making that page, the one after it (a page is never served older than a
/// reload event that named it).
async fn snapshot_for(live: &Live, file: &str) -> Arc<Snapshot> {
    let mut generation = live.generation.subscribe();
    let deadline = tokio::time::Instant::now() + PENDING_WAIT;
    loop {
        let snap = live.snapshot();
        if !snap.pending.as_ref().is_some_and(|p| p.contains(file)) {
            return snap;
        }
        if tokio::time::timeout_at(deadline, generation.changed())
            .await
            .is_err()
        {
            return snap;
        }
    }
}

/// The server's routes.
pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(serve)
        .with_state(live)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// What the live-reload script says about its page when it connects.
#[derive(serde::Deserialize)]
struct PageQuery {
    build: Option<u64>,
    #[serde(default)]
    keys: String,
}

fn to_event(m: &Message) -> Event {
    Event::default().event(m.event).data(m.data.clone())
}

async fn events(
    State(live): State<Arc<Live>>,
    Query(page): Query<PageQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe first, so nothing published after the snapshot is missed.
    let rx = live.events.subscribe();
    let snap = live.snapshot();
    // A page says which build it was served from and which files it shows:
    // it reloads only for the builds since that changed it.
    let build = match page.build {
        Some(b) => {
            let keys: Vec<&str> = page.keys.split(' ').filter(|k| !k.is_empty()).collect();
            live.build_for_page(b, &keys)
        }
        None => snap.build,
    };
    let mut first = vec![Ok(to_event(&Message::hello(&live.server_id, build)))];
    if let Some(e) = &snap.error {
        first.push(Ok(to_event(e)));
    }
    let rest = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(m) => return Some((Ok(to_event(&m)), rx)),
                // Too slow to keep up: reloading shows the latest build.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let m = Message::after_build(0, &Changed::All);
                    if let Some(m) = m {
                        return Some((Ok(to_event(&m)), rx));
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream::iter(first).chain(rest)).keep_alive(KeepAlive::default())
}

/// Turns a request path (as sent, percent-encoded) into an output key: the path
/// without its leading slash, decoded, and whether it ended with a slash. `None`
/// for anything that is not a plain path inside the output.
pub fn request_key(raw: &str) -> Option<(String, bool)> {
    let rest = raw.strip_prefix('/')?;
    if rest.is_empty() {
        return Some((String::new(), true));
    }
    let (rest, folder) = match rest.strip_suffix('/') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let mut parts = Vec::new();
    for segment in rest.split('/') {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        let decoded = String::from_utf8(bytes).ok()?;
        if decoded.is_empty()
            || decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '\0'])
        {
            return None;
        }
        parts.push(decoded);
    }
    Some((parts.join("/"), folder))
}

/// The content type of an output file, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Every request but the live-reload ones.
async fn serve(State(live): State<Arc<Live>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some((key, folder)) = request_key(req.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "Bad request path\n");
    };
    let file = if folder {
        if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        }
    } else {
        key.clone()
    };
    let snap = snapshot_for(&live, &file).await;
    if snap.build == 0 {
        return not_built(&live, &snap);
    }
    if let Some(content) = snap.files.get(file.as_str()) {
        if live.watch && content_type(&file).starts_with("text/html") {
            live.opened(&file);
        }
        return send(
            &live,
            &snap,
            &file,
            content,
            &[file.as_str()],
            StatusCode::OK,
        )
        .await;
    }
    if !folder
        && snap
            .files
            .contains_key(format!("{key}/index.html").as_str())
    {
        let mut location = format!("{}/", req.uri().path());
        if let Some(q) = req.uri().query() {
            location.push('?');
            location.push_str(q);
        }
        return match HeaderValue::from_str(&location) {
            Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
            Err(_) => plain(StatusCode::BAD_REQUEST, "Bad request path\n"),
        };
    }
    match snap.files.get("404.html") {
        Some(content) => {
            send(
                &live,
                &snap,
                "404.html",
                content,
                &[file.as_str(), "404.html"],
                StatusCode::NOT_FOUND,
            )
            .await
        }
        None => plain(StatusCode::NOT_FOUND, "Not found\n"),
    }
}

/// Before the first good build: a page that waits for it.
fn not_built(live: &Live, snap: &Snapshot) -> Response {
    let (status, text) = match &snap.error {
        Some(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The site has errors: see the terminal. This page reloads when they are fixed.",
        ),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The site is being built. This page reloads when it is ready.",
        ),
    };
    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gen serve</title></head><body><p>{text}</p></body></html>\n"
    );
    if live.watch {
        html = reload::inject(&html, &["index.html"], 0);
    }
    response(status, "index.html", Body::from(html))
}

fn response(status: StatusCode, key: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Sends one output file (`key`), with the live-reload script in HTML pages
/// that show `keys`.
async fn send(
    live: &Live,
    snap: &Snapshot,
    key: &str,
    content: &Stored,
    keys: &[&str],
    status: StatusCode,
) -> Response {
    let body = match content {
        Stored::Packed(_) | Stored::Spilled(_) => {
            let s = match content.content_text() {
                Ok(s) => s,
                Err(e) => {
                    let message = format!(
                        "cannot read {key} back from the preview's temporary file: {e}\n\
                         Stop gen serve and start it again.\n"
                    );
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                        message,
                    )
                        .into_response();
                }
            };
            if live.watch && content_type(key).starts_with("text/html") {
                Body::from(reload::inject(&s, keys, snap.build))
            } else {
                Body::from(s)
            }
        }
        Stored::Copy(Source::Embedded(bytes)) => Body::from(*bytes),
        Stored::Bytes(bytes) => Body::from(bytes.to_vec()),
        Stored::Copy(Source::Disk(path)) => match read_inside(&live.root_canonical, path).await {
            Some(bytes) => Body::from(bytes),
            None => return plain(StatusCode::NOT_FOUND, "Not found\n"),
        },
    };
    response(status, key, body)
}

/// Reads a file the build copies, when it still resolves inside the site.
async fn read_inside(root_canonical: &Path, path: &Path) -> Option<Vec<u8>> {
    let real = tokio::fs::canonicalize(path).await.ok()?;
    if !real.starts_with(root_canonical) {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keys() {
        assert_eq!(request_key("/"), Some((String::new(), true)));
        assert_eq!(
            request_key("/posts/x/"),
            Some(("posts/x".to_string(), true))
        );
        assert_eq!(
            request_key("/style.css"),
            Some(("style.css".to_string(), false))
        );
        assert_eq!(
            request_key("/tags/caf%C3%A9/"),
            Some(("tags/café".to_string(), true))
        );
        assert_eq!(
            request_key("/a%20b.txt"),
            Some(("a b.txt".to_string(), false))
        );
    }

    #[test]
    fn request_keys_refuse_escapes() {
        for bad in [
            "",
            "posts",
            "/..",
            "/../etc/passwd",
            "/posts/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/",
            "/posts/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/..%2fetc",
            "/..%5cetc",
            "/a%5c..%5cb",
            "/a\\..\\b",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/a/%00",
            "/%ff",
        ] {
            assert_eq!(request_key(bad), None, "{bad}");
        }
    }

    /// A page that reconnects after builds it missed reloads only when one
    /// of them changed it (or a picture, script or stylesheet, or
    /// everything), so the listings a rebuild publishes after the edited
    /// page do not reload that page a second time.
    #[test]
    fn a_reconnecting_page_reloads_only_for_builds_that_changed_it() {
        let live = Live::new(Path::new("."), true);
        let files = Arc::new(Files::default());
        let paths = |p: &[&str]| Changed::Paths(p.iter().map(|s| s.to_string()).collect());
        live.publish(files.clone(), &Changed::All); // build 1
        live.publish(files.clone(), &paths(&["posts/a/index.html"])); // 2
        live.publish(files.clone(), &paths(&["index.html", "tags/x/index.html"])); // 3
        live.publish(files.clone(), &paths(&["pagefind/pagefind-entry.json"])); // 4
        let post = ["posts/a/index.html"];
        assert_eq!(live.build_for_page(4, &post), 4, "up to date");
        assert_eq!(
            live.build_for_page(2, &post),
            2,
            "3 and 4 did not change it"
        );
        assert_eq!(live.build_for_page(1, &post), 4, "2 changed it");
        assert_eq!(live.build_for_page(0, &post), 4, "1 changed everything");
        assert_eq!(live.build_for_page(2, &["index.html"]), 4);
        live.publish(files.clone(), &paths(&["style.css"])); // 5: a missed swap
        assert_eq!(live.build_for_page(4, &post), 5);
        live.publish(files.clone(), &paths(&["posts/a/photo.jpg"])); // 6
        assert_eq!(live.build_for_page(5, &post), 6, "a picture it may show");
        // Builds no longer remembered: reload.
        for _ in 0..=HISTORY {
            live.publish(files.clone(), &paths(&["index.html"]));
        }
        assert_eq!(live.build_for_page(6, &post), live.snapshot().build);
        let last = live.snapshot().build;
        assert_eq!(live.build_for_page(last - 10, &post), last - 10);
    }

    #[test]
    fn a_pending_page_waits_for_the_build_that_makes_it() {
        use crate::render::Content;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let live = Arc::new(Live::new(Path::new("."), true));
        let files = |text: &str| {
            let mut f = Files::default();
            for key in ["a.html", "b.html"] {
                f.insert(
                    Arc::from(key),
                    Arc::new(Stored::new(Content::Text(format!("{key} {text}")), None)),
                );
            }
            Arc::new(f)
        };
        live.publish(files("old"), &Changed::All);
        let pending: Pending = [Arc::from("b.html")].into_iter().collect();
        live.publish_part(files("first"), &Changed::All, Some(Arc::new(pending)));
        rt.block_on(async {
            // A page not pending is served at once.
            assert_eq!(
                snapshot_for(&live, "a.html")
                    .await
                    .files
                    .content("a.html")
                    .map(|c| matches!(c, Ok(Content::Text(t)) if t == "a.html first")),
                Some(true)
            );
            let waiting = tokio::spawn({
                let live = live.clone();
                async move { snapshot_for(&live, "b.html").await }
            });
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert!(!waiting.is_finished(), "a pending page waits");
            live.publish(files("last"), &Changed::All);
            let snap = waiting.await.unwrap();
            assert!(snap.pending.is_none());
            assert!(
                matches!(snap.files.content("b.html"), Some(Ok(Content::Text(t))) if t == "b.html last")
            );
        });
        // A failed build goes back to the last complete one.
        live.publish_part(
            files("again"),
            &Changed::All,
            Some(Arc::new(Pending::new())),
        );
        live.fail(Message::ok());
        let snap = live.snapshot();
        assert!(
            matches!(snap.files.content("a.html"), Some(Ok(Content::Text(t))) if t == "a.html last")
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/b.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("rss.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.jpeg"), "image/jpeg");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
