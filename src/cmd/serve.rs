//! `gen serve`: a live preview of the site, built in memory.

use std::net::{IpAddr, Ipv4Addr};

use super::{Exit, Global};

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
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
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
        crate::serve::run(
            g,
            &crate::serve::Options {
                bind,
                port: self.port,
                drafts: self.drafts,
                watch: !self.no_watch,
            },
        )
    }
}
