//! `gen serve`: a live preview of the site.
//!
//! The site is built in memory ([`incremental::Builder`]) with `base_url` set to
//! the local address, and served from there by an axum server
//! ([`server`]); the site's `public/` is never written or deleted. Unless
//! `--no-watch` is given, a notify watcher ([`watch`]) collects each burst of changes (one
//! rebuild per burst, editors' temporary files ignored), the builder rebuilds
//! only what depends on them, and open pages hear about it on an event stream
//! ([`reload`]): they reload when their page changed, swap stylesheets in place
//! when only CSS changed, and show the errors of a failed build over the page,
//! while the last good build stays served.
//!
//! Threads: the HTTP server runs on a small tokio runtime; builds run on their
//! own thread (using rayon for the parallel parts) and publish each new output
//! as one immutable snapshot that requests pick up atomically.

mod files;
mod ids;
pub mod incremental;
pub mod reload;
pub mod server;
mod sources;
pub mod watch;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Instant;

use crate::cmd::{Exit, Global};
use crate::config::CONFIG_FILE;
use crate::diag::Diagnostic;
use incremental::{Builder, Changed, Changes, Outcome};
use reload::Message;
use server::Live;

/// How many ports after the asked-for one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// What `gen serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub watch: bool,
}

/// Binds the first free port from `port` on (only `port` when it is 0: any free
/// port), saying so when it is not the one asked for.
pub fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, String> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut p = port;
    loop {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => {
                if p != port {
                    eprintln!("port {port} is in use; serving on port {p} instead");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && p < last => p += 1,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return Err(if port == last {
                    format!("port {port} is in use")
                } else {
                    format!("ports {port} to {last} are all in use")
                });
            }
            Err(e) => return Err(format!("cannot listen on {addr} port {p}: {e}")),
        }
    }
}

/// The base URL of the preview: the address it listens on (loopback when it
/// listens on every address).
pub fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}", addr.port()),
    }
}

/// Runs `gen serve` until interrupted.
pub fn run(g: &Global, opts: &Options) -> Result<(), Exit> {
    let root = std::path::absolute(&g.root).unwrap_or_else(|_| g.root.clone());
    if !root.join(CONFIG_FILE).is_file() {
        eprintln!(
            "error: no {CONFIG_FILE} in {}: run `gen serve` in a site folder, or pass `-r DIR`",
            root.display()
        );
        return Err(Exit::Usage);
    }
    let listener = bind(opts.bind, opts.port).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    let addr = listener.local_addr().map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can see the preview",
            opts.bind
        );
    }
    let base = base_url(addr);
    let live = Arc::new(Live::new(&root, opts.watch));
    let mut builder = Builder::new(&root, opts.drafts, &base);
    let term = Terminal::new(g);

    term.info(&format!("building {}", root.display()));
    let first = builder.build_then(&Changes::all(), &mut |files, changed| {
        live.publish(files.clone(), changed);
    });
    match first {
        Ok(o) => {
            term.report(&o.warnings);
            term.info(&format!(
                "built {} post{}, {} page{} and {} files in {}",
                o.posts,
                plural(o.posts),
                o.pages,
                plural(o.pages),
                o.files,
                millis(o.millis)
            ));
        }
        Err(diags) => {
            term.report(&diags);
            if !opts.watch {
                eprintln!("build failed: nothing to serve");
                return Err(Exit::SiteErrors);
            }
            live.fail(Message::errors(&diags));
            eprintln!("build failed: fix the errors and save; the preview follows");
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start the server: {e}");
            Exit::Usage
        })?;
    if opts.watch {
        let (tx, rx) = mpsc::channel();
        let watcher = watch::Watcher::start(&root, tx).map_err(|e| {
            eprintln!("error: cannot watch {}: {e}", root.display());
            Exit::Usage
        })?;
        let live = live.clone();
        std::thread::Builder::new()
            .name("gen-serve-builder".into())
            .spawn(move || rebuild_loop(builder, watcher, rx, &live, &term))
            .map_err(|e| {
                eprintln!("error: cannot start the builder: {e}");
                Exit::Usage
            })?;
    }
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        eprintln!("Serving at {base}/");
        if opts.watch {
            eprintln!("Watching for changes (Ctrl+C to stop)");
        } else {
            eprintln!("Press Ctrl+C to stop (not watching for changes: leave out --no-watch to rebuild on every change)");
        }
        let app = server::router(live).into_make_service();
        tokio::select! {
            r = axum::serve(listener, app) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    runtime.shutdown_background();
    served.map_err(|e| {
        eprintln!("error: the server stopped: {e}");
        Exit::Usage
    })
}

/// Rebuilds after each burst of changes, until the watcher goes away.
fn rebuild_loop(
    mut builder: Builder,
    mut watcher: watch::Watcher,
    rx: mpsc::Receiver<watch::Batch>,
    live: &Live,
    term: &Terminal,
) {
    while let Ok(first) = rx.recv() {
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        let mut add = |batch: watch::Batch| match batch {
            Ok(p) => paths.extend(p),
            Err(e) => eprintln!("warning: watching: {e}"),
        };
        add(first);
        // Bursts that came in while the last build ran: one build for all.
        while let Ok(more) = rx.try_recv() {
            add(more);
        }
        if paths.iter().any(|p| p.components().count() == 1) {
            watcher.watch_folders();
        }
        if paths.is_empty() {
            continue;
        }
        let start = Instant::now();
        let changes = Changes::paths(paths.iter().cloned());
        let result = builder.build_then(&changes, &mut |files, changed| {
            live.publish(files.clone(), changed);
        });
        let what = describe(&paths);
        match result {
            Ok(o) => {
                term.report(&o.warnings);
                term.line(&format!(
                    "{what}: {} in {}",
                    summary(&o),
                    millis(start.elapsed().as_millis())
                ));
                if term.verbose {
                    let phases: Vec<String> = o
                        .phases
                        .iter()
                        .map(|(name, us)| format!("{name} {:.1}", *us as f64 / 1000.0))
                        .collect();
                    term.info(&format!("  phases (ms): {}", phases.join(", ")));
                }
            }
            Err(diags) => {
                term.report(&diags);
                let n = diags.iter().filter(|d| d.is_error()).count();
                term.line(&format!(
                    "{what}: build failed with {n} error{} in {}; still serving the last good build",
                    plural(n),
                    millis(start.elapsed().as_millis())
                ));
                live.fail(Message::errors(&diags));
            }
        }
    }
}

/// "content/posts/a.md changed", "content/posts/a.md and 2 more changed".
fn describe(paths: &BTreeSet<PathBuf>) -> String {
    let mut it = paths.iter();
    let first = it
        .next()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    match paths.len() {
        0 | 1 => format!("{first} changed"),
        n => format!("{first} and {} more changed", n - 1),
    }
}

/// What a rebuild did, in a few words.
fn summary(o: &Outcome) -> String {
    let files = match &o.changed {
        Changed::All => "all files updated".to_string(),
        Changed::Paths(p) if p.is_empty() => "no file changed".to_string(),
        Changed::Paths(p) if p.iter().all(|k| k.ends_with(".css")) => {
            format!("{} stylesheet{} swapped", p.len(), plural(p.len()))
        }
        Changed::Paths(p) => format!("{} file{} updated", p.len(), plural(p.len())),
    };
    if o.full {
        format!("{files} (every page rendered)")
    } else if o.rendered > 0 {
        format!(
            "{files} ({} page{} rendered)",
            o.rendered,
            plural(o.rendered)
        )
    } else {
        files
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn millis(ms: u128) -> String {
    if ms >= 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

/// Terminal output of the preview: one line per rebuild, errors in full.
struct Terminal {
    quiet: bool,
    verbose: bool,
    color: bool,
}

impl Terminal {
    fn new(g: &Global) -> Terminal {
        Terminal {
            quiet: g.quiet,
            verbose: g.verbose,
            color: g.color_stderr() && std::io::stderr().is_terminal(),
        }
    }

    fn info(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }

    /// A rebuild's line, with the time of day.
    fn line(&self, s: &str) {
        if self.quiet {
            return;
        }
        let time = chrono::Local::now().format("%H:%M:%S");
        if self.color {
            eprintln!("\x1b[2m{time}\x1b[0m {s}");
        } else {
            eprintln!("{time} {s}");
        }
    }

    fn report(&self, diags: &[Diagnostic]) {
        for d in diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprint!("{}", d.render_human(self.color));
        }
    }
}
