//! Benchmark of `gen serve --watch`: on a generated site, writes a change to one
//! post and measures the time until the reload event reaches a connected client
//! and the new page is served. Reports the median over many edits.
//!
//! ```sh
//! cargo build --release --bin gen --example gen_corpus --example serve_reload
//! target/release/examples/gen_corpus --posts 10000 --out /tmp/byline-serve-bench --kits
//! target/release/examples/serve_reload --site /tmp/byline-serve-bench/gen [--runs 40]
//! ```
//!
//! `bench/serve_reload.sh` does all three. The site is copied into a temporary
//! folder first, so the corpus is left as it was. Options: `--gen PATH` (default:
//! `target/release/gen` beside this example), `--runs N` edits of random posts
//! (seeded), `--newest N` edits of the newest post (which every other post of its
//! authors links to, the most expensive ordinary edit), `--templates N` edits of
//! each of three templates (a listing partial, `post.html`, `base.html`, which
//! every page uses; `bench/template_change.sh`; `--which base.html` edits only
//! that one), each with the newest post's page open: timed until the reload
//! event naming that page, until the page is served with the edit, and by the
//! rebuild line the server prints (every page made).
//!
//! It also prints the preview's memory (resident and peak, from `/proc`) after
//! the first build and at the end, and the time from a save to the start of the
//! rebuild (the reload event's time less the server's own rebuild time: the
//! watcher's wait and the event's delivery).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(120);

struct Args {
    site: PathBuf,
    gen_bin: PathBuf,
    runs: usize,
    newest: usize,
    templates: usize,
    /// The templates `--templates` edits.
    which: Vec<String>,
}

fn args() -> Args {
    let exe = std::env::current_exe().expect("the example's path");
    let mut a = Args {
        site: PathBuf::new(),
        gen_bin: exe
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("gen"))
            .unwrap_or_else(|| PathBuf::from("gen")),
        runs: 40,
        newest: 10,
        templates: 0,
        which: TEMPLATES.iter().map(|t| t.to_string()).collect(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--site" => a.site = PathBuf::from(v),
            "--gen" => a.gen_bin = PathBuf::from(v),
            "--runs" => a.runs = v.parse().expect("--runs takes a number"),
            "--newest" => a.newest = v.parse().expect("--newest takes a number"),
            "--templates" => a.templates = v.parse().expect("--templates takes a number"),
            "--which" => a.which = v.split(',').map(str::to_string).collect(),
            other => panic!(
                "unknown option {other}; use --site DIR [--gen PATH] [--runs N] [--newest N] [--templates N] [--which T1,T2]"
            ),
        }
    }
    assert!(
        a.site.join("gen.toml").is_file(),
        "--site must name a site folder (the `gen` folder of a corpus)"
    );
    a
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "public" {
                copy_dir(&entry.path(), &to);
            }
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A connection to the event stream (HTTP/1.1, chunked).
struct Events {
    reader: BufReader<TcpStream>,
    pending: String,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            stream,
            "GET /__gen/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Events {
            reader,
            pending: String::new(),
        }
    }

    /// The next event's name and data.
    fn next(&mut self) -> (String, String) {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                return (name, data);
            }
            let mut size = String::new();
            self.reader.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
            let mut chunk = vec![0; n + 2];
            self.reader.read_exact(&mut chunk).unwrap();
            chunk.truncate(n);
            self.pending
                .push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
        }
    }
}

/// GETs a path; returns the body.
fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}

fn start(gen_bin: &Path, site: &Path) -> (Child, String, mpsc::Receiver<String>) {
    let mut child = Command::new(gen_bin)
        .args(["-r"])
        .arg(site)
        .args(["serve", "--watch", "--port", "0"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", gen_bin.display()));
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(600)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gen serve did not start");
        };
        eprintln!("  [gen] {line}");
        if let Some(url) = line.strip_prefix("Serving at ") {
            let addr = url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string();
            return (child, addr, rx);
        }
    }
}

/// The slug of a post file: its name, or its folder's for a bundle.
fn slug_of(post: &Path) -> String {
    let file = if post.file_name().is_some_and(|n| n == "index.md") {
        post.parent().unwrap()
    } else {
        post
    };
    file.file_stem().unwrap().to_string_lossy().into_owned()
}

/// xorshift64*, seeded: the same posts on every run.
fn pick(state: &mut u64, n: usize) -> usize {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
}

/// Milliseconds per edit: until the reload event, until the new page was
/// served, and the rebuild time the server printed.
#[derive(Default)]
struct Samples {
    event: Vec<f64>,
    served: Vec<f64>,
    server: Vec<f64>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn summary(name: &str, mut v: Vec<f64>) {
    v.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{name:<34} median {:>6.1} ms   p90 {:>6.1} ms   min {:>6.1} ms   max {:>6.1} ms   (n={})",
        percentile(&v, 0.5),
        percentile(&v, 0.9),
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN),
        v.len()
    );
}

/// The rebuild time `gen serve` printed for the last rebuild (`… in 23 ms`).
fn server_millis(rx: &mpsc::Receiver<String>) -> Option<f64> {
    server_millis_within(rx, Duration::from_secs(10))
}

/// The rebuild time of the next rebuild line within `wait` (`… in 23 ms`,
/// `… in 12.5 s`).
fn server_millis_within(rx: &mpsc::Receiver<String>, wait: Duration) -> Option<f64> {
    let deadline = Instant::now() + wait;
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        eprintln!("  [gen] {line}");
        if line.contains(" changed: ") {
            let last = line.rsplit(" in ").next()?;
            if let Some(ms) = last.strip_suffix(" ms") {
                return ms.parse().ok();
            }
            return last
                .strip_suffix(" s")?
                .parse::<f64>()
                .ok()
                .map(|s| s * 1000.0);
        }
    }
    None
}

/// Resident and peak resident memory of a process, in MB (Linux `/proc`).
fn memory_mb(pid: u32) -> Option<(f64, f64)> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The templates `--templates` edits: a listing partial, the post page, and
/// the base every page extends. Copied from the built-in theme into the site's
/// `templates/` before the preview starts, so the first build is unchanged.
const TEMPLATES: [&str; 3] = ["partials/post_list.html", "post.html", "base.html"];

/// The template's text with an HTML comment that reaches every page made with
/// it: inside the content block of a page template, in the head of the base,
/// at the top of a partial.
fn mark_template(name: &str, text: &str, marker: &str) -> String {
    // The base's own content block is replaced by every page's: mark its head.
    let anchors: &[&str] = if name == "base.html" {
        &["<head>"]
    } else {
        &["{% block content %}", "<head>"]
    };
    for anchor in anchors {
        if let Some(i) = text.find(anchor) {
            let at = i + anchor.len();
            return format!("{}<!-- {marker} -->{}", &text[..at], &text[at..]);
        }
    }
    format!("<!-- {marker} -->\n{text}")
}

fn main() {
    let a = args();
    let tmp = tempfile::Builder::new()
        .prefix("byline-serve-bench-")
        .tempdir()
        .unwrap();
    let site = tmp.path().join("site");
    eprintln!("copying {} to {}", a.site.display(), site.display());
    copy_dir(&a.site, &site);
    // Posts in a file of their own, and bundles (a folder with index.md).
    let mut posts: Vec<PathBuf> = fs::read_dir(site.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            if p.extension().is_some_and(|e| e == "md") {
                Some(p)
            } else {
                Some(p.join("index.md")).filter(|i| i.is_file())
            }
        })
        .collect();
    posts.sort();
    assert!(!posts.is_empty(), "the site has no posts");
    if a.templates > 0 {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for t in &a.which {
            let to = site.join("templates").join(t);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            if !to.exists() {
                fs::copy(theme.join(t), &to).unwrap();
            }
        }
    }
    eprintln!("starting {} on {} posts", a.gen_bin.display(), posts.len());
    let started = Instant::now();
    let (mut child, addr, lines) = start(&a.gen_bin, &site);
    let first_build = started.elapsed();
    let pid = child.id();
    let memory_first = memory_mb(pid);
    let mut events = Events::connect(&addr);
    let (name, _) = events.next();
    assert_eq!(name, "hello");

    let newest = posts.last().unwrap().clone();
    let mut seed = 0x5eed_u64;
    let mut plan: Vec<(PathBuf, bool)> = (0..a.runs)
        .map(|_| (posts[pick(&mut seed, posts.len())].clone(), false))
        .collect();
    plan.extend((0..a.newest).map(|_| (newest.clone(), true)));

    let mut results: BTreeMap<bool, Samples> = BTreeMap::new();
    for (run, (post, is_newest)) in plan.iter().enumerate() {
        let stem = slug_of(post);
        let key = format!("\"posts/{stem}/index.html\"");
        let url = format!("/posts/{stem}/");
        let marker = format!("benchmark edit {run} of {stem}");
        let text = fs::read_to_string(post).unwrap();
        // Let the server settle between edits.
        std::thread::sleep(Duration::from_millis(300));
        while lines.try_recv().is_ok() {}

        let t0 = Instant::now();
        fs::write(post, format!("{text}\n{marker}.\n")).unwrap();
        loop {
            let (name, data) = events.next();
            if name == "reload" && (data.contains(&key) || data.contains("\"paths\":null")) {
                break;
            }
            assert_ne!(name, "build-error", "the edit broke the build: {data}");
        }
        let event = t0.elapsed();
        let page = get(&addr, &url);
        let served = t0.elapsed();
        assert!(page.contains(&marker), "the new page was not served");
        let server = server_millis(&lines).unwrap_or(f64::NAN);
        eprintln!(
            "  edit {run:>3} {stem}: event {:>6.1} ms, page {:>6.1} ms, rebuild {server:>5.1} ms",
            event.as_secs_f64() * 1000.0,
            served.as_secs_f64() * 1000.0
        );
        let r = results.entry(*is_newest).or_default();
        r.event.push(event.as_secs_f64() * 1000.0);
        r.served.push(served.as_secs_f64() * 1000.0);
        r.server.push(server);
    }
    // Template edits: a page the template makes is open (the newest post,
    // or the home page for a listing partial; asked for before each edit);
    // timed until the reload event that names it, and until it is
    // served with the edit; the server's own line gives the time until every
    // page was rendered.
    let mut template_times: Vec<(String, Samples)> = Vec::new();
    let open = slug_of(&newest);
    let post_key = format!("\"posts/{open}/index.html\"");
    let post_url = format!("/posts/{open}/");
    for t in a
        .which
        .iter()
        .take(if a.templates > 0 { usize::MAX } else { 0 })
    {
        let path = site.join("templates").join(t);
        let original = fs::read_to_string(&path).unwrap();
        // The open page is one the template makes: a listing partial is not
        // on a post's page, so the home page is open for it.
        let (open_key, open_url) = if t.starts_with("partials/post_list") {
            ("\"index.html\"".to_string(), "/".to_string())
        } else {
            (post_key.clone(), post_url.clone())
        };
        let mut samples = Samples::default();
        for run in 0..a.templates {
            std::thread::sleep(Duration::from_millis(300));
            let _ = get(&addr, &open_url);
            while lines.try_recv().is_ok() {}
            let marker = format!("benchmark edit {run} of {t}");
            let t0 = Instant::now();
            fs::write(&path, mark_template(t, &original, &marker)).unwrap();
            let mut reloaded = true;
            loop {
                let (name, data) = events.next();
                if name == "reload" && (data.contains(&open_key) || data.contains("\"paths\":null"))
                {
                    break;
                }
                assert_ne!(name, "build-error", "the edit broke the build: {data}");
                if t0.elapsed() > TIMEOUT {
                    reloaded = false;
                    break;
                }
            }
            let event = t0.elapsed();
            let page = get(&addr, &open_url);
            let served = t0.elapsed();
            let shows = page.contains(&marker);
            let ms = server_millis_within(&lines, TIMEOUT).unwrap_or(f64::NAN);
            eprintln!(
                "  template {t} edit {run:>3}: event {:>7.1} ms, page {:>7.1} ms{}, rebuild {ms:>7.1} ms",
                event.as_secs_f64() * 1000.0,
                served.as_secs_f64() * 1000.0,
                if shows && reloaded {
                    ""
                } else {
                    " (the page does not show the edit)"
                }
            );
            if shows && reloaded {
                samples.event.push(event.as_secs_f64() * 1000.0);
                samples.served.push(served.as_secs_f64() * 1000.0);
            }
            samples.server.push(ms);
        }
        template_times.push((t.clone(), samples));
    }
    let memory_end = memory_mb(pid);
    let _ = child.kill();
    let _ = child.wait();

    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!(
        "gen serve --watch, {} posts, {cores} cores ({cpu}); first build and start {:.1} s",
        posts.len(),
        first_build.as_secs_f64()
    );
    for (is_newest, r) in results {
        let what = if is_newest {
            "newest post"
        } else {
            "random posts"
        };
        let start: Vec<f64> = r
            .event
            .iter()
            .zip(&r.server)
            .map(|(event, server)| event - server)
            .filter(|d| d.is_finite())
            .collect();
        summary(&format!("{what}: save → reload event"), r.event);
        summary(&format!("{what}: save → new page served"), r.served);
        summary(&format!("{what}: rebuild (server's own)"), r.server);
        summary(&format!("{what}: save → rebuild start"), start);
    }
    for (t, r) in template_times {
        summary(&format!("template {t}: save → reload event"), r.event);
        summary(&format!("template {t}: save → page served"), r.served);
        summary(&format!("template {t}: every page rendered"), r.server);
    }
    if let Some((rss, peak)) = memory_first {
        println!("preview memory after the first build: {rss:.0} MB resident, {peak:.0} MB peak");
    }
    if let Some((rss, peak)) = memory_end {
        println!("preview memory at the end: {rss:.0} MB resident, {peak:.0} MB peak");
    }
}
