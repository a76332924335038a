//! Archives: every post by year and month at `/archive/` ([`Job::Archive`]),
//! and, when the `[permalinks] post` pattern is dated (`/:year/:month/:slug/`),
//! a listing at each year's and month's own path (`/2026/`, `/2026/11/`:
//! [`Job::Year`], [`Job::Month`]), so a reader who trims a post's URL finds
//! the posts of that time. Years and months are those of each post's date as
//! written, like its permalink. One template, `archive.html`, renders them all
//! from an [`ArchiveValue`].

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;
use serde_json::Value;

use super::Job;
use crate::load::Site;
use crate::routes::{Route, date_listing_path};

/// The year and month of post `i`'s date, as written.
pub fn year_month(site: &Site, i: usize) -> (i32, u32) {
    let d = site.posts[i].date;
    (d.year(), d.month())
}

/// The archive jobs: `/archive/`, and each year and month with posts at its
/// own path when the permalink pattern has one.
pub fn archive_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Archive];
    let pattern = &site.config.permalink_post;
    let years = date_listing_path(pattern, "0", None).is_some();
    let months = date_listing_path(pattern, "0", Some("0")).is_some();
    if !years {
        return jobs;
    }
    let mut seen: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for i in 0..site.posts.len() {
        let (y, m) = year_month(site, i);
        let ms = seen.entry(y).or_default();
        if !ms.contains(&m) {
            ms.push(m);
        }
    }
    // Newest first, as the archive lists them.
    for (y, mut ms) in seen.into_iter().rev() {
        jobs.push(Job::Year(y));
        if months {
            ms.sort_unstable_by(|a, b| b.cmp(a));
            jobs.extend(ms.into_iter().map(|m| Job::Month(y, m)));
        }
    }
    jobs
}

/// The route of a year's (`month` `None`) or month's listing.
pub fn dated_route(site: &Site, year: i32, month: Option<u32>) -> Route {
    Route::Dated(
        site.config.permalink_post.clone(),
        format!("{year:04}"),
        month.map(|m| format!("{m:02}")),
    )
}

/// The posts (newest first) that an archive job lists.
pub fn archive_posts(site: &Site, job: &Job) -> Vec<usize> {
    let all = 0..site.posts.len();
    match job {
        Job::Year(y) => all.filter(|&i| year_month(site, i).0 == *y).collect(),
        Job::Month(y, m) => all.filter(|&i| year_month(site, i) == (*y, *m)).collect(),
        _ => all.collect(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The `archive` value of `archive.html`.
#[derive(Debug, Serialize)]
pub struct ArchiveValue<'v> {
    /// "Archive", "2026" or "November 2026".
    pub title: String,
    /// The absolute URL of `/archive/`.
    pub url: String,
    /// Years, newest first.
    pub years: Vec<ArchiveYear<'v>>,
}

/// One year of an archive.
#[derive(Debug, Serialize)]
pub struct ArchiveYear<'v> {
    pub year: String,
    /// Its own listing's absolute URL (dated permalinks), or null.
    pub url: Option<String>,
    pub post_count: usize,
    /// Months, newest first.
    pub months: Vec<ArchiveMonth<'v>>,
}

/// One month of an archive.
#[derive(Debug, Serialize)]
pub struct ArchiveMonth<'v> {
    /// `01`–`12`.
    pub month: String,
    /// `January`…
    pub name: &'static str,
    /// Its own listing's absolute URL (dated permalinks with `:month`), or null.
    pub url: Option<String>,
    /// The posts, newest first, as in lists.
    pub posts: Vec<&'v Value>,
}

/// The archive of `posts` (newest first), with `values` the posts' list values.
pub fn archive_value<'v>(
    site: &Site,
    job: &Job,
    posts: &[usize],
    values: &'v [Value],
) -> ArchiveValue<'v> {
    let config = &site.config;
    let pattern = &config.permalink_post;
    // The values are borrowed: `/archive/` lists every post, and its value
    // is serialized once, into the page's context.
    let mut by: BTreeMap<i32, BTreeMap<u32, Vec<&Value>>> = BTreeMap::new();
    for &i in posts {
        let (y, m) = year_month(site, i);
        by.entry(y)
            .or_default()
            .entry(m)
            .or_default()
            .push(&values[i]);
    }
    let url = |y: i32, m: Option<u32>| {
        date_listing_path(
            pattern,
            &format!("{y:04}"),
            m.map(|m| format!("{m:02}")).as_deref(),
        )
        .map(|p| config.url(&p))
    };
    let years = by
        .into_iter()
        .rev()
        .map(|(y, months)| ArchiveYear {
            year: format!("{y:04}"),
            url: url(y, None),
            post_count: months.values().map(Vec::len).sum(),
            months: months
                .into_iter()
                .rev()
                .map(|(m, posts)| ArchiveMonth {
                    month: format!("{m:02}"),
                    name: MONTHS[(m as usize).saturating_sub(1) % 12],
                    url: url(y, Some(m)),
                    posts,
                })
                .collect(),
        })
        .collect();
    ArchiveValue {
        title: archive_title(job),
        url: config.url(&Route::Archive.path()),
        years,
    }
}

/// The title of an archive page.
pub fn archive_title(job: &Job) -> String {
    match job {
        Job::Year(y) => format!("{y:04}"),
        Job::Month(y, m) => format!("{} {y:04}", MONTHS[(*m as usize).saturating_sub(1) % 12]),
        _ => "Archive".into(),
    }
}
