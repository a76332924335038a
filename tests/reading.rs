//! Posts read the way their authors wrote them (issue: real posts from other
//! generators), and the clock a build can be given (`SOURCE_DATE_EPOCH`).

mod common;

use common::*;

/// Runs `gen -r <root> ARGS…` with extra environment variables.
fn run_env(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut full: Vec<&str> = vec!["-r", site.root.to_str().unwrap()];
    full.extend_from_slice(args);
    gen_in_env(site.tmp.path(), &full, env)
}

#[test]
fn source_date_epoch_is_the_builds_now() {
    let site = fixture("basic");
    // 2100-01-01T00:00:00Z: the fixture's 2099 post is no longer in the future.
    run_env(&site, &["build"], &[("SOURCE_DATE_EPOCH", "4102444800")]).assert_code(0);
    assert!(
        site.public()
            .join("posts/from-the-future/index.html")
            .is_file()
    );
    // 2024-03-01T00:00:00Z: posts dated after it are left out.
    run_env(&site, &["build"], &[("SOURCE_DATE_EPOCH", "1709251200")]).assert_code(0);
    assert!(site.public().join("posts/staff-intro/index.html").is_file());
    assert!(!site.public().join("posts/yaml-post/index.html").exists());
    assert!(
        !site
            .public()
            .join("posts/from-the-future/index.html")
            .exists()
    );
}

#[test]
fn invalid_source_date_epoch_is_an_error() {
    let site = fixture("basic");
    for value in ["yesterday", "-5", "1.5"] {
        let run = run_env(&site, &["check"], &[("SOURCE_DATE_EPOCH", value)]);
        run.assert_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, got \"{value}\"\n  = help: set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it to use the clock\n1 error\n"
            )
        );
    }
    // Empty is unset.
    run_env(&site, &["check"], &[("SOURCE_DATE_EPOCH", "")]).assert_code(0);
}
