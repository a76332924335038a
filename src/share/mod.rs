//! Share kits for guest posts: the snippets of a post for each platform,
//! rendered from the site's `share/<platform>.txt` templates and fitted into
//! the platform's limit ([`kit`]).
//!
//! This is the site's side of sharing (posts, authors, templates); the
//! platforms' own rules (counting, fitting, intent links, handles) are in
//! [`crate::platforms`], which knows nothing of the site.

pub mod kit;
