//! `gen serve`: a live preview of the site.
//!
//! The site is built in memory ([`incremental::Builder`]) with `base_url` set to
//! the local address (its pages kept compressed in an unnamed temporary file,
//! [`spill`], where the system allows), and served from there by an axum server
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
//!
//! This module is the preview as a library; the command that runs it (the
//! first build, the rebuild loop and what the terminal shows) is
//! in `cmd/serve.rs`, so nothing here knows the command line.

mod files;
mod ids;
pub mod incremental;
pub mod reload;
pub mod server;
mod sources;
mod spill;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};

/// Hands the memory a build freed back to the system. mimalloc (the
/// binary's allocator) keeps the freed pages of each thread's heap until that
/// thread allocates again, and the rendering threads sleep between rebuilds:
/// without this, a preview kept the peak of its largest rebuild.
pub fn release_memory() {
    fn collect() {
        // SAFETY: mi_collect only walks the calling thread's own heap (and
        // the abandoned ones); it takes no pointer and is safe to call at any
        // time, whichever allocator the program uses.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
    rayon::broadcast(|_| collect());
    collect();
}

/// How many ports after the asked-for one are tried when it is taken.
const PORT_TRIES: u16 = 20;

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
