//! `gen serve`: a live preview of the site, built in memory.
//!
//! This is the command's side: the first build, starting the server and the
//! watcher ([`crate::serve`] holds them), the loop that rebuilds after each
//! burst of changes, and what the terminal shows meanwhile. The preview itself
//! knows nothing of the command line.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Instant;

use super::{Exit, Global, millis, plural};
use crate::config::CONFIG_FILE;
use crate::diag::Diagnostic;
use crate::serve::incremental::{Builder, Changed, Changes, Outcome};
use crate::serve::reload::Message;
use crate::serve::server::{self, Live};
use crate::serve::{base_url, bind, watch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rebuild on every change and update open pages (the default; kept for
    /// habit and scripts).
    #[arg(long, overrides_with = "no_watch")]
    pub watch: bool,
    /// Build once and serve that, without watching for changes.
    #[arg(long = "no-watch", overrides_with = "watch")]
    pub no_watch: bool,
    /// Port to listen on; when it is taken, the next free one (0: any free port).
    #[arg(short = 'p', long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on (other machines can see the preview unless it is a
    /// loopback address).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Include posts marked `draft = true`.
    #[arg(short = 'D', long)]
    pub drafts: bool,
    /// Do not read or write the highlight cache (.byline-cache/): highlight
    /// every code block again.
    #[arg(long)]
    pub no_cache: bool,
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        if self.no_cache {
            crate::markdown::highlight::cache::disable();
        }
        let bind: IpAddr = if self.bind.eq_ignore_ascii_case("localhost") {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            match self.bind.trim_matches(['[', ']']).parse() {
                Ok(ip) => ip,
                Err(_) => {
                    eprintln!(
                        "error: --bind {}: not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)",
                        self.bind
                    );
                    return Err(Exit::Usage);
                }
            }
        };
        run(
            g,
            &Options {
                bind,
                port: self.port,
                drafts: self.drafts,
                watch: !self.no_watch,
            },
        )
    }
}

/// What `gen serve` was asked for.
#[derive(Debug, Clone)]
struct Options {
    bind: IpAddr,
    port: u16,
    drafts: bool,
    watch: bool,
}

/// Runs `gen serve` until interrupted.
fn run(g: &Global, opts: &Options) -> Result<(), Exit> {
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
    // The pages served wait in an unnamed temporary file rather than in
    // memory where the system allows (in memory otherwise, as before).
    builder.keep_pages_on_disk();
    let term = Terminal::new(g);

    term.info(&format!("building {}", root.display()));
    let first = builder.build_then(&Changes::all(), &mut |files, changed| {
        live.publish(files.clone(), changed);
    });
    save_cache(&builder);
    crate::serve::release_memory();
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
        let result = builder.build_for(&changes, &mut &*live);
        save_cache(&builder);
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
        crate::serve::release_memory();
    }
}

/// Saves the blocks a build highlighted into the disk cache, once the
/// preview has them.
fn save_cache(builder: &Builder) {
    if let Some(s) = builder.syntaxes() {
        s.save_cache();
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

/// Terminal output of the preview: one line per rebuild, errors in full.
struct Terminal {
    quiet: bool,
    verbose: bool,
    /// Colour only on a terminal, even with `--color always`: the rebuild
    /// lines go on for as long as the preview runs.
    color: bool,
    /// The global options, for printing diagnostics as every command does.
    global: Global,
}

impl Terminal {
    fn new(g: &Global) -> Terminal {
        Terminal {
            quiet: g.quiet,
            verbose: g.verbose,
            color: g.color_stderr() && std::io::stderr().is_terminal(),
            global: g.clone(),
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

    /// The diagnostics, without the count line of [`Global::report`]: the
    /// rebuild's own line says how many errors there were.
    fn report(&self, diags: &[Diagnostic]) {
        self.global.print_diagnostics(diags, self.color);
    }
}
