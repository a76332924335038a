//! `gen build`: the site into `public/` (or `-o DIR`).

use std::path::PathBuf;

use super::{Exit, Global, plural};
use crate::build::Stages;
use crate::load::LoadOptions;
use crate::write::owner::{Claim, Claimed, claim, list};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Include posts marked `draft = true`.
    #[arg(short = 'D', long)]
    pub drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Output folder (default: public/ in the site). gen replaces only a
    /// folder it made (or a new or empty one), never the site or its sources.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Replace a non-empty output folder that gen did not make (a .git in it
    /// is kept).
    #[arg(long)]
    pub force: bool,
    /// Override `base_url` (for pull-request previews).
    #[arg(short = 'u', long, value_parser = absolute_url)]
    pub base_url: Option<String>,
    /// Do not read or write the highlight cache (.byline-cache/): highlight
    /// every code block again.
    #[arg(long)]
    pub no_cache: bool,
}

/// A `--base-url` value: an absolute http(s) URL. Anything else is a usage error
/// (exit 2), not an error in gen.toml.
pub(super) fn absolute_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !s.contains(char::is_whitespace) =>
        {
            Ok(s.to_string())
        }
        _ => Err(format!(
            "\"{s}\" is not an absolute http(s) URL; write it like https://preview.example.org"
        )),
    }
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        if self.no_cache {
            crate::markdown::highlight::cache::disable();
        }
        let opts = LoadOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.as_deref(),
        };
        let target = self.output.unwrap_or_else(|| g.root.join("public"));
        let claimed = match claim(&g.root, &target, self.force) {
            Ok(c) => c,
            Err(d) => {
                g.report(&[d]);
                return Err(Exit::SiteErrors);
            }
        };
        if let Claim::Forced(held) = &claimed.kind {
            // Said even with -q: this is the moment files are given up.
            eprintln!(
                "warning: --force: replacing what {} holds: {}",
                target.display(),
                list(held)
            );
        }
        let built = match crate::build::build_to(&g.root, opts, &claimed) {
            Ok(b) => b,
            Err(diags) => {
                g.report(&diags);
                eprintln!("build failed; the previous output was left as it was");
                return Err(Exit::SiteErrors);
            }
        };
        g.report(&built.warnings);
        if g.verbose {
            eprint!("{}", stages(&built.stages, &claimed, &target));
        }
        if !g.quiet {
            eprintln!(
                "built {} post{}, {} page{} and {} files into {} in {} ms",
                built.posts,
                plural(built.posts),
                built.pages,
                plural(built.pages),
                built.files,
                target.display(),
                built.millis
            );
        }
        Ok(())
    }
}

/// What `gen build -v` prints: each stage's work and time.
fn stages(s: &Stages, claimed: &Claimed, target: &std::path::Path) -> String {
    let w = &s.write;
    let why = match &claimed.kind {
        Claim::New => "a new folder",
        Claim::Empty => "an empty folder",
        Claim::Marked => "made by an earlier build",
        Claim::Earlier => "the site's public/, built before gen marked its output",
        Claim::Forced(_) => "taken over with --force",
    };
    format!(
        "load: read {} post{}, {} page{}, {} author profile{} and found {} static file{} in {} ms\n\
         render and write: {} file{} rendered and {} copied in {} ms\n\
         write: {} file{} written, {} unchanged linked from the previous output \
         ({} ms of that spent writing, summed over threads)\n\
         swap: {} ({why}) put in place in {} ms\n{}",
        s.posts_read,
        plural(s.posts_read),
        s.pages_read,
        plural(s.pages_read),
        s.authors_read,
        plural(s.authors_read),
        s.static_files,
        plural(s.static_files),
        s.load_millis,
        w.rendered,
        plural(w.rendered),
        w.copied,
        s.render_millis,
        w.written,
        plural(w.written),
        w.linked,
        w.write_micros / 1000,
        target.display(),
        s.swap_millis,
        cache_line(s.highlight_cache.as_ref()),
    )
}

/// `gen build -v`'s line on the highlight cache.
fn cache_line(stats: Option<&crate::markdown::highlight::cache::Stats>) -> String {
    let Some(c) = stats else {
        return if crate::markdown::highlight::cache::disabled() {
            "highlight cache: off (--no-cache)\n".into()
        } else {
            String::new()
        };
    };
    let mut line = format!(
        "highlight cache: {} block{} found, {} highlighted",
        c.hits,
        plural(c.hits),
        c.misses
    );
    if c.broken > 0 {
        line += &format!(
            " ({} broken entr{} ignored)",
            c.broken,
            if c.broken == 1 { "y" } else { "ies" }
        );
    }
    if c.merged {
        line += &format!(", packs merged into one of {} entries", c.written);
        if c.evicted > 0 {
            line += &format!(
                " ({} least recently used dropped by the size bound)",
                c.evicted
            );
        }
    } else if c.written > 0 {
        line += &format!(
            ", {} new entr{} saved",
            c.written,
            if c.written == 1 { "y" } else { "ies" }
        );
    }
    line + "\n"
}
