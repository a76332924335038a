//! The five platforms' own rules, as pure functions of text: how each counts
//! a post ([`count`]), fitting a snippet into its limit ([`fit`]), the links
//! that open its composer ([`intent`]), and what a handle looks like and where
//! its profile is ([`handles`], [`profiles`]).
//!
//! Nothing here knows the site, templates or diagnostics: it depends on no
//! other module of the crate, so the share kits (`share/`), loading
//! (handle checks) and rendering (profile links) can all use it. The private
//! modules hold the ports of the platforms' own counting code (twitter-text
//! 3.1.0 for X, Mastodon 4.5's length rules) and their data.

pub mod count;
pub mod fit;
pub mod handles;
pub mod intent;
pub mod profiles;

mod jsre;
mod mastodon;
mod stringprep;
mod tlds;
mod twitter;
mod twitter_data;
