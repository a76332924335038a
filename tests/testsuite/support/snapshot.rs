//! Reviewed snapshots: a long expected message lives in its own file,
//! `tests/testsuite/snapshots/NAME.txt`, where it reads as the user sees it
//! (no escaped quotes, no string continuation) and a change to it shows as a
//! diff in review. The comparison is exact. `BYLINE_BLESS=1` writes what the
//! program printed into the file instead of comparing, for a message that was
//! changed on purpose; the diff of the snapshot file is then what to review.

use std::fs;
use std::path::PathBuf;

/// The environment variable that rewrites snapshots instead of comparing.
pub const BLESS: &str = "BYLINE_BLESS";

/// The file of snapshot `name`.
pub fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testsuite/snapshots")
        .join(format!("{name}.txt"))
}

/// Asserts that `actual` is exactly the snapshot `name`, or (with
/// `BYLINE_BLESS=1`) makes it so.
#[track_caller]
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    let bless = std::env::var_os(BLESS).is_some_and(|v| v == "1");
    let expected = fs::read_to_string(&path).ok();
    if expected.as_deref() == Some(actual) {
        return;
    }
    if bless {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        eprintln!("blessed snapshot {}", path.display());
        return;
    }
    // The test harness names each test's thread after the test.
    let test = std::thread::current().name().unwrap_or("").to_string();
    let how = format!(
        "If the new text is right, write it with\n    {BLESS}=1 cargo test --test testsuite {test}\n\
         and review the diff of the snapshot file."
    );
    match expected {
        None => panic!(
            "no snapshot {} yet; the output was:\n{actual}\n{how}",
            path.display()
        ),
        Some(expected) => panic!(
            "output differs from snapshot {} (- snapshot, + output):\n{}{how}",
            path.display(),
            diff(&expected, actual)
        ),
    }
}

/// A line diff of `old` and `new`: unchanged lines with two spaces, removed
/// ones with `- `, added ones with `+ `; a last line without a newline is
/// marked, since that alone can be the difference.
pub fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // Longest common subsequence table; the messages are short.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let show = |l: &str| match l.strip_suffix('\n') {
        Some(l) => format!("{l}\n"),
        None => format!("{l}⏎ (no newline at the end)\n"),
    };
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}", show(a[i])));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}", show(a[i])));
            i += 1;
        } else {
            out.push_str(&format!("+ {}", show(b[j])));
            j += 1;
        }
    }
    out
}

#[test]
fn the_diff_marks_removed_and_added_lines() {
    assert_eq!(
        diff("a\nb\nc\n", "a\nx\nc"),
        "  a\n- b\n- c\n+ x\n+ c⏎ (no newline at the end)\n"
    );
}
