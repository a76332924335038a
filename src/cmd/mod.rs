//! The command line: one clap-derived argument struct per subcommand, each with a
//! `run()`. `main.rs` only parses and dispatches.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
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
    /// Print more about what happens.
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

    /// Prints diagnostics in the human format (warnings only unless quiet).
    pub fn report(&self, diags: &[Diagnostic]) {
        let color = self.color_stderr();
        for d in diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprint!("{}", d.render_human(color));
        }
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        if errors > 0 {
            eprintln!(
                "{} error{}{}",
                errors,
                if errors == 1 { "" } else { "s" },
                if warnings > 0 {
                    format!(
                        ", {warnings} warning{}",
                        if warnings == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            );
        }
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
    /// Preview the site on a local web server, built in memory; with --watch,
    /// rebuild on every change and update open pages.
    Serve(serve::Args),
    /// Print the share snippets of guest posts (new since a git ref or date, or named).
    Share(share::Args),
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
        match self.command {
            Command::Init(a) => a.run(&g),
            Command::New(a) => a.run(&g),
            Command::Build(a) => a.run(&g),
            Command::Check(a) => a.run(&g),
            Command::Serve(a) => a.run(&g),
            Command::Share(a) => a.run(&g),
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
}
