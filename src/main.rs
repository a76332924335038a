//! The `gen` binary: parses the command line and runs the command.

use clap::Parser;

use byline::cmd::{Cli, Exit};

// A build allocates millions of small strings and JSON values on every core;
// mimalloc's per-thread heaps do that faster than the system allocator. Its
// version 2 (the `v2` feature), not the crate's default 3: measured in turns
// on the realistic corpus, version 3 held more memory for the same work
// (1,000 posts: 150 MB peak against 96 MB; 10,000 posts: 470 MB against
// 418 MB) and was no faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `arena_eager_commit` option (the same number in its versions 2
/// and 3).
#[cfg(target_os = "linux")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Commits mimalloc's arenas as they are used rather than at once. On Linux
/// mimalloc commits them eagerly by default, and memory committed so is never
/// given back while the program runs: a build's resident memory stayed at its
/// high-water mark of every thread's pages (180 MB for a 1,000-post site, 70
/// MB with the system allocator). Committed on demand, freed pages go back to
/// the system: about 145 MB there, and 40 MB less at 10,000 posts, for the
/// same CPU time. It must be set before the first allocation makes the
/// first arena, so it runs from `.init_array`, before `main` and the
/// standard library's start-up (and allocates nothing). It sets the default:
/// `MIMALLOC_ARENA_EAGER_COMMIT`, read when the option is first used, still
/// wins.
#[cfg(target_os = "linux")]
extern "C" fn commit_arenas_on_demand() {
    // SAFETY: sets the default of one of mimalloc's options, a plain store;
    // nothing runs beside it this early.
    unsafe { libmimalloc_sys::mi_option_set_default(ARENA_EAGER_COMMIT, 0) }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static COMMIT_ARENAS_ON_DEMAND: extern "C" fn() = commit_arenas_on_demand;

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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The option is set before anything allocates (see
    /// [`super::commit_arenas_on_demand`]).
    #[test]
    fn arenas_are_committed_on_demand() {
        if std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_none() {
            // SAFETY: reads an option.
            let value = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_EAGER_COMMIT) };
            assert_eq!(value, 0);
        }
    }
}
