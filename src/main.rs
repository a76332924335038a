//! The `gen` binary: parses the command line and runs the command.

use clap::Parser;

use byline::cmd::{Cli, Exit};

fn main() {
    let cli = Cli::parse();
    std::process::exit(match cli.run() {
        Ok(()) => 0,
        Err(Exit::SiteErrors) => 1,
        Err(Exit::Usage) => 2,
    });
}
