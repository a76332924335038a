//! `gen serve` at the protocol level: the real binary on a fixture site in a
//! temporary folder, spoken to over plain HTTP/1.1 and its server-sent event
//! stream. Every wait is for an event or a line, with generous timeouts.

use crate::support;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);
const GUEST_POST: &str = "content/posts/2024-02-01-guest-hello.md";

/// A running `gen serve` on a copy of a fixture site.
struct Server {
    site: support::Site,
    child: Child,
    /// The base URL it printed, e.g. `http://127.0.0.1:41234`.
    url: String,
    addr: String,
    lines: mpsc::Receiver<String>,
    /// Every line of stderr so far.
    log: Vec<String>,
}

impl Server {
    fn start(site: support::Site, args: &[&str]) -> Server {
        let (child, rx) = support::spawn_serve(&site.root, args);
        let mut s = Server {
            site,
            child,
            url: String::new(),
            addr: String::new(),
            lines: rx,
            log: Vec::new(),
        };
        let line = s.wait_line(|l| l.starts_with("Serving at "));
        s.url = line
            .trim_start_matches("Serving at ")
            .trim_end_matches('/')
            .to_string();
        s.addr = s.url.trim_start_matches("http://").to_string();
        s
    }

    fn watching(site: support::Site) -> Server {
        Server::start(site, &["--watch", "--port", "0"])
    }

    /// Waits for a line of stderr that matches, and returns it.
    fn wait_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    assert!(!line.contains("panicked"), "gen panicked:\n{}", self.log());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no such line from gen serve; stderr:\n{}", self.log()),
            }
        }
    }

    /// Takes in the lines printed so far.
    fn drain(&mut self) {
        while let Ok(line) = self.lines.try_recv() {
            self.log.push(line);
        }
    }

    fn log(&self) -> String {
        self.log.join("\n")
    }

    fn get(&self, path: &str) -> Response {
        request(&self.addr, &format!("GET {path} HTTP/1.1"), &[])
    }

    fn events(&self) -> Events {
        Events::connect(&self.addr)
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = self.site.read(rel);
        self.site.write(rel, f(text));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `cond` until it holds (for states no event announces).
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

/// Sends one request line (`GET /x HTTP/1.1`) with `Connection: close` and reads
/// the whole response.
fn request(addr: &str, request_line: &str, extra: &[&str]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut req = format!("{request_line}\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in extra {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let body = if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut r = BufReader::new(rest);
        while let Some(chunk) = read_chunk(&mut r) {
            out.extend(chunk);
        }
        out
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

/// One chunk of a chunked body; `None` at the end.
fn read_chunk(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size_line = String::new();
    if r.read_line(&mut size_line).ok()? == 0 {
        return None;
    }
    let size = usize::from_str_radix(size_line.trim().split(';').next()?, 16).ok()?;
    if size == 0 {
        return None;
    }
    let mut chunk = vec![0; size + 2];
    r.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    Some(chunk)
}

/// One server-sent event.
#[derive(Debug, Clone)]
struct Event {
    name: String,
    data: String,
}

/// A connection to the event stream.
struct Events {
    reader: BufReader<TcpStream>,
    pending: String,
    chunked: bool,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            stream,
            "GET /__gen/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("reads headers");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        let chunked = head.to_ascii_lowercase().contains("chunked");
        let mut e = Events {
            reader,
            pending: String::new(),
            chunked,
        };
        let hello = e.next();
        assert_eq!(hello.name, "hello", "{hello:?}");
        e
    }

    /// The next event (a keep-alive comment is an event named `keep-alive`).
    fn next(&mut self) -> Event {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                    }
                }
                if data.is_empty() && name == "message" {
                    // A comment: the stream's keep-alive.
                    return Event {
                        name: "keep-alive".into(),
                        data: String::new(),
                    };
                }
                return Event {
                    name,
                    data: data.join("\n"),
                };
            }
            let bytes = if self.chunked {
                read_chunk(&mut self.reader).expect("the event stream goes on")
            } else {
                let mut buf = vec![0; 4096];
                let n = self.reader.read(&mut buf).expect("reads events");
                assert!(n > 0, "the event stream ended");
                buf.truncate(n);
                buf
            };
            self.pending
                .push_str(&String::from_utf8_lossy(&bytes).replace("\r\n", "\n"));
        }
    }

    /// Waits for an event that matches, skipping others.
    fn wait(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            let e = self.next();
            if pred(&e) {
                return e;
            }
            seen.push(e);
        }
        panic!("no {what} event; saw {seen:?}");
    }

    fn reload_of(&mut self, key: &str) -> Event {
        let quoted = format!("\"{key}\"");
        self.wait(&format!("reload of {key}"), |e| {
            e.name == "reload" && (e.data.contains(&quoted) || e.data.contains("\"paths\":null"))
        })
    }

    /// Waits for reloads of `key` until `path` serves a page containing `needle`.
    /// One save can come as several watcher events (created, then written), and
    /// under load a reload from the step before may arrive late: the page must
    /// show the edit after some reload of it, not necessarily the first one seen.
    fn reload_shows(&mut self, s: &Server, key: &str, path: &str, needle: &str) {
        for _ in 0..5 {
            self.reload_of(key);
            if s.get(path).text().contains(needle) {
                return;
            }
        }
        panic!("{path} does not show {needle:?} after five reloads of {key}");
    }
}

#[test]
fn serves_pages_with_types_statuses_and_redirects() {
    let s = Server::watching(support::fixture("basic"));
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    let text = home.text();
    assert!(
        text.contains(&format!("{}/posts/", s.url)),
        "links point at the preview"
    );
    assert!(!text.contains("https://fixture.example.org"));
    assert!(
        text.contains("/__gen/live.js"),
        "the live script is injected"
    );
    assert_eq!(text.matches("/__gen/live.js").count(), 1);
    let script_at = text.find("/__gen/live.js").unwrap();
    assert!(script_at < text.rfind("</body>").unwrap());

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/rss.xml", "application/xml; charset=utf-8"),
        ("/images/hero.jpg", "image/jpeg"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__gen/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), ty, "{path}");
    }
    assert!(!s.get("/rss.xml").text().contains("__gen"));
    // Pictures are served re-encoded (docs/images.md): the same picture.
    let jpg = s.get("/images/hero.jpg");
    let served = image::load_from_memory(&jpg.body).unwrap();
    let source =
        image::load_from_memory(&fs::read(s.site.path("static/images/hero.jpg")).unwrap()).unwrap();
    assert_eq!(
        (served.width(), served.height()),
        (source.width(), source.height())
    );

    let post = s.get("/posts/guest-hello/");
    assert_eq!(post.status, 200);
    assert!(post.text().contains("Hello from a guest"));
    let redirect = s.get("/posts/guest-hello");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("location"), "/posts/guest-hello/");
    let with_query = s.get("/posts/guest-hello?x=1");
    assert_eq!(with_query.header("location"), "/posts/guest-hello/?x=1");

    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let theme_404 = fs::read_to_string(s.site.path("public/404.html")).ok();
    assert!(theme_404.is_none(), "gen serve never writes public/");
    assert!(missing.text().contains("<html"), "the theme's 404 page");
    assert!(
        missing
            .text()
            .contains("data-keys=\"no/such/page/index.html 404.html\"")
    );

    let head = request(&s.addr, "HEAD / HTTP/1.1", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = request(&s.addr, "POST / HTTP/1.1", &["Content-Length: 0"]);
    assert_eq!(post.status, 405);
    assert!(
        !s.site.path("public").exists(),
        "gen serve never writes public/"
    );
}

#[test]
fn an_edit_reaches_the_page() {
    let mut s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    s.edit(GUEST_POST, |t| {
        t.replace("Gus says hello.", "Gus says hello, edited live.")
    });
    events.reload_shows(
        &s,
        "posts/guest-hello/index.html",
        "/posts/guest-hello/",
        "edited live",
    );
    let line = s.wait_line(|l| l.contains("content/posts/2024-02-01-guest-hello.md changed"));
    assert!(line.contains(" ms"), "{line}");

    // A new post appears, and its neighbours link to it.
    let new = "content/posts/2024-12-01-brand-new.md";
    s.site.write(
        new,
        "+++\ntitle = \"Brand new\"\ndate = 2024-12-01\nauthors = [\"sam-staff\"]\n+++\n\nFresh.\n",
    );
    events.reload_shows(&s, "posts/brand-new/index.html", "/", "Brand new");
    assert_eq!(s.get("/posts/brand-new/").status, 200);

    // A template change renders every page with it.
    s.site.write(
        "templates/partials/footer.html",
        "<footer class=\"site-footer\">Footer from the site</footer>\n",
    );
    events.reload_shows(&s, "index.html", "/", "Footer from the site");

    // An author profile change shows on their page.
    s.edit("authors/gus-guest.toml", |t| {
        t.replace("name = \"Gus Guest\"", "name = \"Gustave\"")
    });
    events.reload_shows(
        &s,
        "authors/gus-guest/index.html",
        "/authors/gus-guest/",
        "Gustave",
    );

    // A config change too.
    s.edit("gen.toml", |t| {
        t.replace("title = \"Fixture Notes\"", "title = \"Renamed Notes\"")
    });
    events.reload_shows(&s, "index.html", "/", "Renamed Notes");
    assert!(
        !s.site.path("public").exists(),
        "gen serve never writes public/"
    );
}

#[test]
fn a_stylesheet_change_swaps_css() {
    let s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    s.site
        .write("static/style.css", "body { color: rebeccapurple }\n");
    let e = events.wait("css", |e| e.name == "css" || e.name == "reload");
    assert_eq!(e.name, "css", "{e:?}");
    assert!(e.data.contains("\"style.css\""), "{e:?}");
    assert!(s.get("/style.css").text().contains("rebeccapurple"));
    s.site.write("static/style.css", "body { color: tomato }\n");
    let e = events.wait("css", |e| e.name == "css");
    assert!(e.data.contains("\"style.css\""), "{e:?}");
    assert!(s.get("/style.css").text().contains("tomato"));
}

#[test]
fn broken_front_matter_shows_errors_and_keeps_the_last_good_build() {
    let mut s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    let good = s.site.read(GUEST_POST);
    s.site.write(
        GUEST_POST,
        good.replace("title = \"Hello", "title = = \"Hello"),
    );
    let e = events.wait("build-error", |e| e.name == "build-error");
    assert!(
        e.data
            .contains("content/posts/2024-02-01-guest-hello.md:2:9"),
        "{e:?}"
    );
    s.wait_line(|l| l.starts_with("error: content/posts/2024-02-01-guest-hello.md:2:9"));
    s.wait_line(|l| l.contains("build failed with 1 error"));
    // The last good build is still served.
    let page = s.get("/posts/guest-hello/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Hello from a guest"));
    // A page opened now hears about the errors at once.
    let mut late = s.events();
    let e = late.next();
    assert_eq!(e.name, "build-error", "{e:?}");

    s.site.write(
        GUEST_POST,
        good.replace("Hello from a guest", "Hello again from a guest"),
    );
    events.reload_of("posts/guest-hello/index.html");
    late.reload_of("posts/guest-hello/index.html");
    assert!(
        s.get("/posts/guest-hello/")
            .text()
            .contains("Hello again from a guest")
    );

    // Broken and fixed back to exactly what was served: the overlay is cleared.
    s.site.write(
        GUEST_POST,
        good.replace("title = \"Hello", "title = = \"Hello"),
    );
    events.wait("build-error", |e| e.name == "build-error");
    s.site.write(
        GUEST_POST,
        good.replace("Hello from a guest", "Hello again from a guest"),
    );
    events.wait("build-ok", |e| e.name == "build-ok");

    // A broken config, then fixed.
    let config = s.site.read("gen.toml");
    s.site.write(
        "gen.toml",
        config.replace("paginate_by = 2", "paginate_by = \"two\""),
    );
    let e = events.wait("build-error", |e| e.name == "build-error");
    assert!(e.data.contains("gen.toml"), "{e:?}");
    assert_eq!(s.get("/").status, 200);
    s.site.write(
        "gen.toml",
        config.replace("paginate_by = 2", "paginate_by = 3"),
    );
    events.reload_of("index.html");
    assert_eq!(s.get("/page/4/").status, 404);
}

#[test]
fn deleted_and_renamed_posts() {
    let mut s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    assert_eq!(s.get("/posts/staff-more/").status, 200);
    fs::remove_file(s.site.path("content/posts/2024-06-01-staff-more.md")).unwrap();
    events.reload_of("posts/staff-more/index.html");
    assert_eq!(s.get("/posts/staff-more/").status, 404);
    assert!(!s.get("/").text().contains("/posts/staff-more/"));

    fs::rename(
        s.site.path("content/posts/2024-07-01-ada-again.md"),
        s.site.path("content/posts/2024-07-01-ada-renamed.md"),
    )
    .unwrap();
    // The post sets its own slug: its address stays.
    s.wait_line(|l| l.contains("2024-07-01-ada-") && l.contains(" changed"));
    eventually("the renamed post is served", || {
        s.get("/posts/ada-custom-slug/").status == 200
    });

    fs::rename(
        s.site.path("content/posts/2024-09-01-ada-fourth.md"),
        s.site.path("content/posts/2024-09-01-ada-fifth.md"),
    )
    .unwrap();
    events.reload_of("posts/ada-fifth/index.html");
    assert_eq!(s.get("/posts/ada-fifth/").status, 200);
    assert_eq!(s.get("/posts/ada-fourth/").status, 404);
}

#[test]
fn concurrent_edits_end_in_the_last_state() {
    let mut s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    let posts = [
        (
            "content/posts/2024-02-01-guest-hello.md",
            "posts/guest-hello/",
        ),
        (
            "content/posts/2024-01-10-staff-intro.md",
            "posts/staff-intro/",
        ),
        (
            "content/posts/2024-06-01-staff-more.md",
            "posts/staff-more/",
        ),
        (
            "content/posts/2024-04-01-co-authored.md",
            "posts/co-authored/",
        ),
    ];
    let originals: Vec<String> = posts.iter().map(|(f, _)| s.site.read(f)).collect();
    std::thread::scope(|scope| {
        for ((file, _), original) in posts.iter().zip(&originals) {
            let path = s.site.path(file);
            scope.spawn(move || {
                for round in 0..=20 {
                    fs::write(&path, format!("{original}\nEdit round {round}.\n")).unwrap();
                }
            });
        }
    });
    // Every post ends with its last edit.
    let deadline = Instant::now() + TIMEOUT;
    for (_, url) in &posts {
        loop {
            if s.get(&format!("/{url}")).text().contains("Edit round 20.") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{url} never showed the last edit"
            );
            events.wait("reload", |e| e.name == "reload");
        }
    }
    // 84 writes in a burst are far fewer rebuilds.
    std::thread::sleep(Duration::from_millis(500));
    s.drain();
    let rebuilds = s.log.iter().filter(|l| l.contains(" changed: ")).count();
    assert!(rebuilds < 20, "{rebuilds} rebuilds:\n{}", s.log());
}

#[test]
fn editor_temporary_files_are_ignored() {
    let mut s = Server::watching(support::fixture("basic"));
    let mut events = s.events();
    // An editor's save: a swap file, a backup, a temporary file renamed over the post.
    let post = s.site.path(GUEST_POST);
    let dir = post.parent().unwrap();
    fs::write(dir.join(".2024-02-01-guest-hello.md.swp"), "swap").unwrap();
    fs::write(dir.join("2024-02-01-guest-hello.md~"), "backup").unwrap();
    let tmp = dir.join(".2024-02-01-guest-hello.md.tmp.123");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&tmp, text.replace("Gus says hello.", "Saved by an editor.")).unwrap();
    fs::rename(&tmp, &post).unwrap();
    events.reload_of("posts/guest-hello/index.html");
    assert!(
        s.get("/posts/guest-hello/")
            .text()
            .contains("Saved by an editor.")
    );
    std::thread::sleep(Duration::from_millis(300));
    s.drain();
    assert!(
        !s.log
            .iter()
            .any(|l| l.contains(".swp") || l.contains("md~") || l.contains(".tmp")),
        "{}",
        s.log()
    );
    // Output written beside the site by `gen build` is not a change.
    support::gen_in(
        s.site.tmp.path(),
        &["-r", s.site.root.to_str().unwrap(), "build"],
    )
    .assert_code(0);
    fs::remove_dir_all(s.site.path("public")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.drain();
    assert!(!s.log.iter().any(|l| l.contains("public")), "{}", s.log());
}

#[test]
fn requests_never_leave_the_output() {
    let site = support::fixture("basic");
    let secret = "TOP-SECRET-OUTSIDE";
    fs::write(site.outside("secret.txt"), secret).unwrap();
    let s = Server::watching(site);
    let config = s.site.read("gen.toml");
    let config_marker = "A small blog used by the integration tests.";
    assert!(config.contains(config_marker));
    let paths = [
        "/../secret.txt",
        "/../../secret.txt",
        "/../gen.toml",
        "/posts/../../gen.toml",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/%2E%2E/gen.toml",
        "/..%2fsecret.txt",
        "/%2e%2e%2fgen.toml",
        "/posts%2f..%2f..%2fgen.toml",
        "/static/..%5c..%5cgen.toml",
        "/..%5csecret.txt",
        "//etc/passwd",
        "//gen.toml",
        "/etc/passwd",
        "/gen.toml",
        "/C:/Windows/win.ini",
        "/%00",
        "/images/%2e%2e/%2e%2e/gen.toml",
        "/posts/guest-hello/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    ];
    for path in paths {
        let r = s.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains(secret), "{path} served the secret");
        assert!(!body.contains("base_url"), "{path} served gen.toml");
    }
    // Raw backslashes and an absolute URI in the request line.
    for line in [
        "GET /..\\..\\secret.txt HTTP/1.1",
        "GET /static\\..\\gen.toml HTTP/1.1",
        "GET http://127.0.0.1/../secret.txt HTTP/1.1",
        "GET http://127.0.0.1/%2e%2e/gen.toml HTTP/1.1",
    ] {
        let r = request(&s.addr, line, &[]);
        assert!(r.status == 400 || r.status == 404, "{line}: {}", r.status);
        assert!(!r.text().contains(secret) && !r.text().contains("base_url"));
    }
}

#[test]
fn a_file_replaced_by_a_symlink_out_of_the_site_is_not_served() {
    let site = support::fixture("basic");
    let secret = "SYMLINKED-SECRET";
    let outside = site.outside("secret.txt");
    fs::write(&outside, secret).unwrap();
    // A file served as it is (a picture is served from the picture cache,
    // which the link does not change).
    site.write("static/files/notes.txt", "Notes.\n");
    let mut s = Server::watching(site);
    let mut events = s.events();
    let notes = s.site.path("static/files/notes.txt");
    fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(&outside, &notes).unwrap();
    // The build refuses the link; the last good build still lists the file.
    events.wait("build-error", |e| e.name == "build-error");
    s.wait_line(|l| l.contains("build failed"));
    let r = s.get("/files/notes.txt");
    assert_eq!(r.status, 404);
    assert!(!r.text().contains(secret));
}

#[test]
fn a_flood_of_requests_does_not_bring_it_down() {
    let mut s = Server::watching(support::fixture("basic"));
    let addr = s.addr.clone();
    let paths = [
        "/",
        "/posts/guest-hello/",
        "/style.css",
        "/nope",
        "/%2e%2e/x",
    ];
    let ok: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|t| {
                let addr = addr.clone();
                scope.spawn(move || {
                    let mut ok = 0;
                    for i in 0..625 {
                        let path = paths[(t + i) % paths.len()];
                        let mut stream = match TcpStream::connect(&addr) {
                            Ok(st) => st,
                            Err(_) => continue,
                        };
                        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
                        let req = format!(
                            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                        );
                        if stream.write_all(req.as_bytes()).is_err() {
                            continue;
                        }
                        let mut buf = Vec::new();
                        if stream.read_to_end(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.1 ") {
                            ok += 1;
                        }
                    }
                    ok
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert!(ok >= 9_900, "only {ok} of 10000 requests were answered");
    assert!(s.child.try_wait().unwrap().is_none(), "gen serve exited");
    assert_eq!(s.get("/").status, 200);
    // Half-sent requests and idle connections do not block others either.
    let mut idle: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    for c in &mut idle {
        let _ = c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
    }
    assert_eq!(s.get("/posts/guest-hello/").status, 200);
    s.drain();
    assert!(!s.log().contains("panicked"));
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut s = Server::start(
        support::fixture("basic"),
        &["--no-watch", "--port", &port.to_string()],
    );
    assert!(
        s.log().contains(&format!("port {port} is in use")),
        "{}",
        s.log()
    );
    assert!(!s.url.ends_with(&format!(":{port}")), "{}", s.url);
    // With --no-watch: no live-reload script.
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("__gen"));
    s.drain();
}

#[test]
fn a_site_that_starts_broken_is_served_once_fixed() {
    let site = support::fixture("basic");
    let good = site.read(GUEST_POST);
    site.write(
        GUEST_POST,
        good.replace("title = \"Hello", "title = = \"Hello"),
    );
    let s = Server::watching(site);
    let first = s.get("/");
    assert_eq!(first.status, 500);
    assert!(first.text().contains("/__gen/live.js"));
    let mut events = s.events();
    s.site.write(GUEST_POST, &good);
    events.wait("reload", |e| e.name == "reload");
    assert_eq!(s.get("/").status, 200);

    // With --no-watch, a broken site is an error.
    let broken = support::fixture("basic");
    broken.write(
        GUEST_POST,
        good.replace("title = \"Hello", "title = = \"Hello"),
    );
    let run = broken.run(&["serve", "--no-watch", "--port", "0"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/posts/2024-02-01-guest-hello.md:2:9")
    );
}

#[test]
fn usage_errors() {
    let site = support::fixture("basic");
    site.run(&["serve", "--bind", "not-an-address"])
        .assert_code(2);
    let empty = support::empty_site();
    let run = empty.run(&["serve"]);
    run.assert_code(2);
    assert!(run.stderr.contains("gen.toml"), "{}", run.stderr);
}
