//! The `gen` binary: parses the command line and runs the command.

use clap::Parser;

use byline::cmd::{Cli, Exit};

// A build allocates millions of small strings and JSON values on every core;
// mimalloc's per-thread heaps do that faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let result = cli.run();
    byline::images::remove_scratch();
    std::process::exit(match result {
        Ok(()) => 0,
        Err(Exit::SiteErrors) => 1,
        Err(Exit::Usage) => 2,
    });
}
