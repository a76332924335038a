//! `gen import wordpress|jekyll|hugo|zola SOURCE`: reads another platform's
//! export or site folder (`crate::import`) and writes a Byline site: into a
//! new folder (a complete site, as `gen init` makes it) or into an existing
//! site, whose `gen.toml` is kept. No file is overwritten without `--force`;
//! `--dry-run` writes nothing. Each file is written to a temporary name and
//! renamed, so an interrupted import leaves no half-written file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::import::{self, OutFile, Plan, Report, shown};
use crate::sitefs::SiteFs;

/// What to import.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (WXR: Tools → Export → All content).
    Wordpress {
        /// The export file (.xml).
        export: PathBuf,
        /// The uploads folder (wp-content/uploads), to copy featured images and
        /// pictures from.
        #[arg(long, value_name = "DIR")]
        media: Option<PathBuf>,
        /// Logins of the staff authors, comma-separated; every other author is a
        /// guest (the export does not say).
        #[arg(long, value_name = "LOGIN,...", value_delimiter = ',')]
        staff: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// A Jekyll site folder.
    Jekyll {
        /// The site folder (with _config.yml and _posts/).
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// A Hugo site folder.
    Hugo {
        /// The site folder (with hugo.toml or config.toml and content/).
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// A Zola site folder.
    Zola {
        /// The site folder (with config.toml and content/).
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
    },
}

/// The options every source takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// The site to write into: a new or empty folder becomes a complete site;
    /// an existing site keeps its gen.toml (default: the --root folder).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files that exist already.
    #[arg(long)]
    pub force: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub report: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

impl ImportCommand {
    fn common(&self) -> &Common {
        match self {
            ImportCommand::Wordpress { common, .. }
            | ImportCommand::Jekyll { common, .. }
            | ImportCommand::Hugo { common, .. }
            | ImportCommand::Zola { common, .. } => common,
        }
    }

    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let common = self.common().clone();
        let into = common.into.clone().unwrap_or_else(|| g.root.clone());
        let (plan, source) = match self.read() {
            Ok(p) => p,
            Err(d) => {
                g.report(&[d]);
                return Err(Exit::SiteErrors);
            }
        };
        import_plan(g, plan, source, &into, &common)
    }

    /// Reads the source into a plan; `Err` when it cannot be read.
    fn read(&self) -> Result<(Plan, String), Diagnostic> {
        match self {
            ImportCommand::Wordpress {
                export,
                media,
                staff,
                ..
            } => {
                let text = read_file(export)?;
                let media_fs = match media {
                    Some(m) => Some(open_dir(m)?),
                    None => None,
                };
                let opts = import::wordpress::Options {
                    media: media_fs.as_ref(),
                    staff,
                };
                let plan = import::wordpress::read(&text, export, &opts)?;
                Ok((plan, format!("WordPress export {}", shown(export))))
            }
            ImportCommand::Jekyll { dir, .. } => Ok((
                import::jekyll::read(&open_dir(dir)?)?,
                format!("Jekyll site {}", shown(dir)),
            )),
            ImportCommand::Hugo { dir, .. } => Ok((
                import::hugo::read(&open_dir(dir)?)?,
                format!("Hugo site {}", shown(dir)),
            )),
            ImportCommand::Zola { dir, .. } => Ok((
                import::zola::read(&open_dir(dir)?)?,
                format!("Zola site {}", shown(dir)),
            )),
        }
    }
}

fn open_dir(dir: &Path) -> Result<SiteFs, Diagnostic> {
    if !dir.is_dir() {
        return Err(Diagnostic::error("not a folder")
            .in_file(dir)
            .hint("give the folder of the site to import"));
    }
    SiteFs::open(dir)
        .map_err(|e| Diagnostic::error(format!("cannot open the folder: {e}")).in_file(dir))
}

/// The text of a file named on the command line, read through the gate of
/// its folder.
fn read_file(path: &Path) -> Result<String, Diagnostic> {
    crate::sitefs::read_named_text(
        path,
        "check the path of the export",
        "WordPress exports are UTF-8: export again, or convert the file with iconv",
    )
}

/// The site in `into`, when it is one: its `[permalinks] post` and its
/// `base_url`.
struct Existing {
    pattern: Option<String>,
    base_url: Option<String>,
}

fn existing_site(into: &Path) -> Option<Existing> {
    let fs = SiteFs::open(into).ok()?;
    let bytes = fs.read_bytes(Path::new(crate::config::CONFIG_FILE)).ok()?;
    let table: toml::Table = toml::from_str(&String::from_utf8_lossy(&bytes)).ok()?;
    Some(Existing {
        pattern: table
            .get("permalinks")
            .and_then(|p| p.get("post"))
            .and_then(|p| p.as_str())
            .map(str::to_string)
            .or_else(|| Some(crate::routes::DEFAULT_POST_PATTERN.to_string())),
        base_url: table
            .get("base_url")
            .and_then(|b| b.as_str())
            .map(str::to_string),
    })
}

fn import_plan(
    g: &Global,
    mut plan: Plan,
    source: String,
    into: &Path,
    common: &Common,
) -> Result<(), Exit> {
    let existing = into.join(crate::config::CONFIG_FILE).is_file();
    // Missing files stay linked on the old site only while it keeps its
    // address: when the site written has another one.
    let site = existing.then(|| existing_site(into)).flatten();
    let new_base = match &site {
        Some(s) => s.base_url.clone(),
        None => plan.base_url.clone(),
    };
    plan.resolve_files(new_base.as_deref());
    plan.finish(site.and_then(|s| s.pattern));
    let (mut files, items) = plan.files();
    if existing && !plan.redirects.is_empty() {
        // The site's gen.toml is never rewritten: say what to add to it.
        let entries: Vec<String> = plan
            .redirects
            .iter()
            .map(|(k, v)| {
                let key = if k.starts_with('/') {
                    toml::Value::String(k.clone()).to_string()
                } else {
                    k.clone()
                };
                format!("{key} = {}", toml::Value::String(v.clone()))
            })
            .collect();
        plan.notes.push(format!(
            "the site's gen.toml is kept: to keep the old author, category and tag URLs working, add to its [redirects]: {}",
            entries.join("; ")
        ));
    }
    if !existing {
        let held = super::init::held(into);
        if !held.is_empty() && !common.force && !common.dry_run {
            g.report(&[Diagnostic::error(format!(
                "refusing to import into {}: the folder is not empty and holds no site (it holds {})",
                into.display(),
                crate::write::owner::list(&held)
            ))
            .hint("import into a new folder (--into my-blog), into a site (a folder with gen.toml), or pass --force to add the files beside them")]);
            return Err(Exit::SiteErrors);
        }
        let title = plan.title.clone().unwrap_or_else(|| "Imported blog".into());
        let base = plan.base_url.clone().filter(|u| url::Url::parse(u).is_ok());
        let mut site = super::init::site_files(&title, base.as_deref());
        if let Some((_, config)) = site.iter_mut().find(|(p, _)| p == Path::new("gen.toml")) {
            if let Some(p) = &plan.permalink {
                *config = config.replacen(
                    "post = \"/posts/:slug/\"",
                    &format!("post = {}", toml::Value::String(p.clone())),
                    1,
                );
            }
            if !plan.redirects.is_empty() {
                config.push_str(
                    "\n[redirects]                 # the old site's URLs, kept working\n",
                );
                for (k, v) in &plan.redirects {
                    let key = if k.starts_with('/') {
                        toml::Value::String(k.clone()).to_string()
                    } else {
                        k.clone()
                    };
                    config.push_str(&format!("{key} = {}\n", toml::Value::String(v.clone())));
                }
            }
            if let Some(d) = plan.description.as_ref().filter(|d| !d.trim().is_empty()) {
                *config = config.replacen(
                    "description = \"Notes from our team and guest authors.\"",
                    &format!(
                        "description = {}",
                        toml::Value::String(d.trim().to_string())
                    ),
                    1,
                );
            }
        }
        let mut all: Vec<OutFile> = site
            .into_iter()
            .map(|(p, t)| (import::rel_str(Path::new(""), &p), t.into_bytes()))
            .collect();
        all.append(&mut files);
        files = all;
    }
    let report = Report::new(
        &plan,
        items,
        source,
        into.display().to_string(),
        common.dry_run,
    );
    // Never overwrite without --force.
    let taken: Vec<&str> = files
        .iter()
        .filter(|(rel, _)| std::fs::symlink_metadata(into.join(rel)).is_ok())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !taken.is_empty() && !common.force && !common.dry_run {
        let shown: Vec<&str> = taken.iter().take(5).copied().collect();
        let more = if taken.len() > 5 {
            format!(" and {} more", taken.len() - 5)
        } else {
            String::new()
        };
        g.report(&[Diagnostic::error(format!(
            "refusing to overwrite {} existing file{} in {}: {}{more}",
            taken.len(),
            if taken.len() == 1 { "" } else { "s" },
            into.display(),
            shown.join(", ")
        ))
        .hint("import into a new folder (--into DIR), see the plan with --dry-run, or pass --force to overwrite them")]);
        return Err(Exit::SiteErrors);
    }
    if !common.dry_run {
        // Each folder once, then the files.
        let dirs: std::collections::BTreeSet<PathBuf> = files
            .iter()
            .filter_map(|(rel, _)| into.join(rel).parent().map(Path::to_path_buf))
            .collect();
        for d in dirs {
            if let Err(e) = std::fs::create_dir_all(&d) {
                g.report(&[Diagnostic::error(format!("cannot create the folder: {e}")).in_file(d)]);
                return Err(Exit::SiteErrors);
            }
        }
        for (rel, bytes) in &files {
            if let Err(e) = write_atomic(&into.join(rel), bytes) {
                g.report(
                    &[Diagnostic::error(format!("cannot write: {e}")).in_file(into.join(rel))],
                );
                return Err(Exit::SiteErrors);
            }
        }
    }
    match common.report {
        ReportFormat::Text => {
            let mut text = report.text();
            if common.dry_run {
                text.push_str(&format!(
                    "dry run: nothing written ({} file{} would be written{})\n",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    if taken.is_empty() {
                        String::new()
                    } else {
                        format!(", {} of them over existing files", taken.len())
                    }
                ));
            } else if !existing {
                text.push_str(&format!(
                    "next: cd {} && gen check && gen serve\n",
                    crate::text::shell::shell_quote(&into.display().to_string())
                ));
            }
            print!("{text}");
        }
        ReportFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.import-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
