//! The command line: one clap-derived argument struct per subcommand, each with a
//! `run()`. `main.rs` only parses and dispatches.

pub mod build;
pub mod check;
pub mod fetch;
pub mod import;
pub mod init;
pub mod mentions;
pub mod net;
pub mod new;
pub mod report;
pub mod serve;
pub mod share;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostic;

/// Byline: a static-site generator for blogs with guest authors.
#[derive(Debug, Parser)]
#[command(name = "gen", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// The site folder (default: the current folder).
    #[arg(short = 'r', long = "root", global = true, default_value = ".")]
    pub root: PathBuf,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens (`gen build`: what each stage did and
    /// how long it took).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour in terminal output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Global {
    /// Whether to colour what goes to stderr.
    pub fn color_stderr(&self) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }

    /// Prints diagnostics in the human format (warnings only unless quiet),
    /// then how many errors and warnings there were when there are errors.
    pub fn report(&self, diags: &[Diagnostic]) {
        self.print_diagnostics(diags, self.color_stderr());
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        if errors > 0 {
            eprintln!(
                "{} error{}{}",
                errors,
                plural(errors),
                if warnings > 0 {
                    format!(", {warnings} warning{}", plural(warnings))
                } else {
                    String::new()
                }
            );
        }
    }

    /// Loads the site (published posts; `future` ones too when asked) for a
    /// command that reads it: its errors printed and `Exit::SiteErrors`, its
    /// warnings printed with `-v`.
    pub fn load_site(&self, future: bool) -> Result<crate::load::Site, Exit> {
        let opts = crate::load::LoadOptions {
            drafts: false,
            future,
            base_url: None,
        };
        match crate::load::load(&self.root, opts) {
            Ok((site, warnings)) => {
                if self.verbose {
                    self.report(&warnings);
                }
                Ok(site)
            }
            Err(d) => {
                self.report(&d);
                Err(Exit::SiteErrors)
            }
        }
    }

    /// Prints each diagnostic in the human format; with `--quiet`, errors only.
    pub fn print_diagnostics(&self, diags: &[Diagnostic], color: bool) {
        for d in diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprint!("{}", d.render_human(color));
        }
    }
}

/// The plural ending of a count's noun: "1 post", "2 posts".
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A duration for people: milliseconds, or seconds with one decimal from ten
/// seconds on.
pub(crate) fn millis(ms: u128) -> String {
    if ms >= 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site.
    Init(init::Args),
    /// Write a new post or author profile, with every field explained.
    #[command(subcommand)]
    New(new::NewCommand),
    /// Build the site into public/.
    Build(build::Args),
    /// Check the site (everything a build checks, and more) without writing anything.
    Check(check::Args),
    /// Preview the site on a local web server, built in memory; it rebuilds on
    /// every change and updates open pages (--no-watch: it does not).
    Serve(serve::Args),
    /// Print the share snippets of guest posts (new since a git ref or date, or named).
    Share(share::Args),
    /// Move in: import a WordPress export or a Jekyll, Hugo or Zola site, with
    /// every old URL kept as a permalink pattern or an alias.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Fetch the contributors' own blogs (each author's `feed`) into
    /// data/contributors.json, for /contributors/ and the author pages (network).
    Fetch(fetch::Args),
    /// Webmentions: fetch those the site received into data/mentions/, or
    /// send them to the pages the posts link to (network).
    Mentions(mentions::Args),
    /// What a guest's posts reached: views, referrers, share kit and
    /// snippets, and the contributors to meet (from an analytics export).
    Report(report::Args),
}

/// Why a command failed, as an exit code.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// The site has errors (content, templates, config): exit 1.
    SiteErrors,
    /// The command line or environment is wrong: exit 2.
    Usage,
}

impl Cli {
    pub fn run(self) -> Result<(), Exit> {
        let g = self.global;
        // clap checks `conflicts_with` only among the flags given at one level:
        // `gen -v build -q` gets past it.
        if g.quiet && g.verbose {
            eprintln!("error: -q/--quiet and -v/--verbose cannot be used together");
            return Err(Exit::Usage);
        }
        match self.command {
            Command::Init(a) => a.run(&g),
            Command::New(a) => a.run(&g),
            Command::Build(a) => a.run(&g),
            Command::Check(a) => a.run(&g),
            Command::Serve(a) => a.run(&g),
            Command::Share(a) => a.run(&g),
            Command::Import(a) => a.run(&g),
            Command::Fetch(a) => a.run(&g),
            Command::Mentions(a) => a.run(&g),
            Command::Report(a) => a.run(&g),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_setup_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_global_root_after_subcommand() {
        let cli = Cli::try_parse_from(["gen", "build", "-r", "site", "--drafts"]).unwrap();
        assert_eq!(cli.global.root, PathBuf::from("site"));
    }

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    #[test]
    fn short_flags_beside_the_global_ones() {
        let cli = parse(&[
            "gen",
            "-v",
            "-r",
            "s",
            "build",
            "-D",
            "-o",
            "out",
            "-u",
            "https://a.test/",
        ]);
        let Command::Build(b) = cli.command else {
            panic!("not build")
        };
        assert!(b.drafts && cli.global.verbose && !cli.global.quiet);
        assert_eq!(b.output, Some(PathBuf::from("out")));
        assert_eq!(b.base_url.as_deref(), Some("https://a.test/"));
        let Command::Serve(s) = parse(&["gen", "serve", "-p", "8080", "-D"]).command else {
            panic!("not serve")
        };
        assert_eq!((s.port, s.drafts), (8080, true));
        let Command::Check(c) = parse(&["gen", "check", "-D"]).command else {
            panic!("not check")
        };
        assert!(c.drafts);
    }

    #[test]
    fn quiet_and_verbose_conflict_at_any_level() {
        for args in [
            &["gen", "-v", "build", "-q"][..],
            &["gen", "build", "-q", "-v"][..],
        ] {
            if let Ok(cli) = Cli::try_parse_from(args) {
                assert_eq!(cli.run(), Err(Exit::Usage), "{args:?}");
            }
        }
    }

    #[test]
    fn serve_watches_unless_told_not_to() {
        let watching = |args: &[&str]| match parse(args).command {
            Command::Serve(s) => !s.no_watch,
            _ => panic!("not serve"),
        };
        assert!(watching(&["gen", "serve"]));
        assert!(watching(&["gen", "serve", "--watch"]));
        assert!(!watching(&["gen", "serve", "--no-watch"]));
        assert!(watching(&["gen", "serve", "--no-watch", "--watch"]));
        assert!(!watching(&["gen", "serve", "--watch", "--no-watch"]));
    }

    #[test]
    fn new_post_takes_several_authors_and_its_switches() {
        let cli = parse(&[
            "gen", "new", "post", "T", "--author", "a", "--author", "b", "--bundle", "--yaml",
            "--draft",
        ]);
        let Command::New(new::NewCommand::Post(p)) = cli.command else {
            panic!("not new post")
        };
        assert_eq!(p.authors, ["a", "b"]);
        assert!(p.bundle && p.yaml && p.draft);
        assert!(Cli::try_parse_from(["gen", "new", "post", "T"]).is_err());
    }
}
