//! What the commands that go to the network share (`gen fetch`, `gen
//! mentions fetch`, `gen mentions send`): one way to make the bounded HTTP
//! client (timeouts, a redirect limit, statuses as answers, a User-Agent that
//! names gen), one way to say why a request failed, and one way to write a
//! data file of the site: atomically, never through a `data/` that is a link
//! leading out of the site folder. Kept in one place so the limits and the
//! safety of the writes cannot drift apart between the commands.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Exit;
use crate::diag::Diagnostic;
use crate::text::html::{cut_words, one_line};

/// How many redirects a request may take.
pub const MAX_REDIRECTS: u32 = 5;

/// A `--timeout` argument, checked: a positive number of seconds.
pub fn timeout(seconds: f64) -> Result<Duration, Exit> {
    if seconds.is_finite() && seconds > 0.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        eprintln!("error: --timeout must be a positive number of seconds");
        Err(Exit::Usage)
    }
}

/// The HTTP client: timeouts (`timeout` in all, connecting at most 10 s),
/// the redirect limit, statuses as responses, and a User-Agent that names
/// gen and the command (`command`, e.g. "gen fetch").
pub fn agent(timeout: Duration, command: &str) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(format!(
            "gen/{} (Byline static-site generator; {command})",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .into()
}

/// A failure in words; `what` names the body read ("the feed", "the page").
pub fn reason(e: &ureq::Error, timeout: Duration, what: &str) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f64()),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::RedirectFailed => "a redirect that cannot be followed".into(),
        ureq::Error::HostNotFound => "the host was not found (DNS)".into(),
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::BodyExceedsLimit(n) => {
            format!("{what} is larger than {} MB", n / (1024 * 1024))
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("no answer within {} s", timeout.as_secs_f64())
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused".into()
        }
        other => cut_words(&one_line(&other.to_string()), 200),
    }
}

/// An HTTP status in words: "404 Not Found".
pub fn status_words(status: ureq::http::StatusCode) -> String {
    format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .trim_end()
    .to_string()
}

/// The site folder, canonical; a usage error when it cannot be opened.
pub fn canonical(root: &Path) -> Result<PathBuf, Exit> {
    root.canonicalize().map_err(|e| {
        eprintln!("error: cannot open the site folder {}: {e}", root.display());
        Exit::Usage
    })
}

/// A JSON data file of the site through the gate: `None` when there is
/// none, else its bytes and value; one that cannot be read or does not parse
/// is an error naming it (`what` says what it should be, with its line and
/// column).
pub fn read_json<T: serde::de::DeserializeOwned>(
    gate: &crate::sitefs::SiteFs,
    rel: &Path,
    what: &str,
) -> Result<Option<(Vec<u8>, T)>, Diagnostic> {
    match gate.read_bytes(rel) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(|v| Some((bytes, v)))
            .map_err(|e| crate::text::syntax::json_error(rel, &format!("not {what}"), &e)),
        Err(crate::sitefs::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(e) => Err(Diagnostic::error(format!("cannot read the file: {e}")).in_file(rel)),
    }
}

/// A value as the JSON text of a data file: pretty, keys sorted (through a
/// JSON value, whose maps keep them sorted), a final newline.
pub fn json_text<T: serde::Serialize>(data: &T) -> Result<String, String> {
    let value = serde_json::to_value(data).map_err(|e| e.to_string())?;
    Ok(serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n")
}

/// Writes `text` to the file `rel` of the site atomically (a temporary file
/// beside it, then a rename), never outside the site: its folder may not be
/// a link that leads out.
pub fn write_atomic(root: &Path, rel: &Path, text: &str) -> Result<(), String> {
    let root_canonical = root.canonicalize().map_err(|e| e.to_string())?;
    let dir = rel.parent().unwrap_or(Path::new("data"));
    let check = || -> Result<(), String> {
        // Each folder on the way: `data/` itself may be the link.
        for d in dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
            crate::sitefs::check_real(root, &root_canonical, d)?;
        }
        Ok(())
    };
    check()?;
    std::fs::create_dir_all(root.join(dir)).map_err(|e| e.to_string())?;
    check()?;
    let name = rel
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("data.json");
    let target = root.join(rel);
    let tmp = root
        .join(dir)
        .join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create_new(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(|e| e.to_string())
}
