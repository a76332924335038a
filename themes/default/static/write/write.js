// The "Write for us" page: builds a post file (and a new author profile)
// from the form, checks it as `gen check` would, with gen's own wording, keeps
// the draft in this browser, and opens the host's new-file page with it.
// Nothing is sent anywhere but to the host, and only on "Propose this post".
(function () {
  "use strict";
  var form = document.getElementById("write-form");
  if (!form) return;
  var DRAFT_KEY = "byline-write-draft:" + location.pathname;
  var data = null;
  var status = document.getElementById("write-status");
  var next = document.getElementById("w-next");
  var $ = function (id) { return document.getElementById(id); };
  var val = function (id) { return $(id).value.trim(); };

  // gen's slugify: letters and digits lowercased, runs of anything else one dash.
  function slugify(s) {
    var out = "", dash = false;
    for (var c of s) {
      if (/[\p{L}\p{N}]/u.test(c)) { out += c.toLowerCase(); dash = false; }
      else if (out && !dash) { out += "-"; dash = true; }
    }
    return out.replace(/-+$/, "");
  }
  // A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too).
  function q(s) { return JSON.stringify(s).replace(/\u007f/g, "\\u007f"); }

  function tags() { return val("w-tags").split(",").map(function (t) { return t.trim(); }).filter(Boolean); }
  function categories() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=categories]"), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }
  function today() {
    var d = new Date();
    var p = function (n) { return String(n).padStart(2, "0"); };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  function authorSlug() { return val("w-author") || slugify(val("w-name")); }

  // The post file, its front matter laid out as `gen new post` writes it.
  function postFile() {
    var m = "+++\n";
    m += "title = " + q(val("w-title")) + "\n";
    m += "date = " + today() + "  # publication date: YYYY-MM-DD, or with a time as here\n";
    m += "authors = [" + q(authorSlug()) + "]           # author slugs (files in authors/); add co-authors here\n";
    if (val("w-description")) m += "description = " + q(val("w-description")) + "\n";
    if (tags().length) m += "tags = [" + tags().map(q).join(", ") + "]\n";
    if (categories().length) m += "categories = [" + categories().map(q).join(", ") + "]\n";
    if (val("w-image")) {
      m += "image = " + q(val("w-image")) + "\n";
      m += "image_alt = " + q(val("w-image-alt")) + "\n";
      if (val("w-image-credit")) m += "image_credit = " + q(val("w-image-credit")) + "\n";
    }
    m += "+++\n\n" + $("w-body").value.replace(/\r\n/g, "\n").replace(/\s*$/, "") + "\n";
    return m;
  }
  // The new author's profile, authors/<slug>.toml.
  function profileFile() {
    var m = "name = " + q(val("w-name")) + "\n";
    if (val("w-bio")) m += "bio = " + q(val("w-bio")) + "\n";
    m += "guest = true\n";
    if (val("w-website")) m += "website = " + q(val("w-website")) + "\n";
    if (val("w-feed")) m += "feed = " + q(val("w-feed")) + "\n";
    var social = HANDLES.map(function (h) { return [h[0], val(h[1])]; }).filter(function (h) { return h[1]; });
    if (social.length) {
      m += "\n[social]\n";
      social.forEach(function (h) { m += h[0] + " = " + q(h[1]) + "\n"; });
    }
    return m;
  }
  function postName() { return "content/posts/" + today() + "-" + slugify(val("w-title")) + ".md"; }

  // Damerau–Levenshtein distance, capped: only "one edit" matters here.
  function distance(a, b) {
    a = Array.from(a); b = Array.from(b);
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }
  // gen check's typo rule (src/check/mod.rs looks_like_typo).
  function looksLikeTypo(s, e) {
    if (Array.from(s).length < 4 || s === e || distance(s, e) > 1) return false;
    var strip = function (x) { return x.replace(/[0-9]/g, ""); };
    if (strip(s) === strip(e)) return false;
    var wordOf = function (whole, part) { return whole.split(/[^\p{L}\p{N}]/u).indexOf(part) >= 0; };
    return !(wordOf(s, e) || wordOf(e, s));
  }
  function typo(value, terms, what) {
    var lower = value.toLowerCase();
    var known = terms.filter(function (t) { return t.name.toLowerCase() === lower; });
    if (known.length) return null;
    var best = null;
    terms.forEach(function (t) {
      var k = t.name.toLowerCase();
      // This post would be the term's only one: gen warns when another has two or more.
      if (t.posts > 1 && looksLikeTypo(lower, k)) {
        var d = distance(lower, k);
        if (!best || d < best.d || (d === best.d && t.posts > best.posts)) best = { d: d, name: k, posts: t.posts };
      }
    });
    return best && ("the " + what + " \"" + value + "\" is used by this post only; did you mean \"" + best.name + "\" (" + best.posts + " posts)?");
  }

  // Every check, as field id → [kind, message], in gen's words.
  // Handle checks, ported from gen's platforms/handles.rs with its wording
  // (gen check says "malformed <platform> handle: <reason>").
  function stripAt(h) { h = h.trim(); return h.charAt(0) === "@" ? h.slice(1) : h; }
  function badChar(s, ok) { return Array.from(s).find(function (c) { return !ok(c); }); }
  var alnum = function (c) { return /^[A-Za-z0-9]$/.test(c); };
  function xHandle(h) {
    var name = stripAt(h);
    if (!name) return "an X handle needs a name after the @";
    if (name.indexOf("@") >= 0) return "`" + h + "` looks like a fediverse handle; X names have no second @ (fediverse handles are plain text on X)";
    var c = badChar(name, function (c) { return alnum(c) || c === "_"; });
    if (c !== undefined) return "`" + h + "`: X names hold only letters A–Z, digits and _, not `" + c + "`";
    if (name.length > 15) return "`" + h + "`: X names have at most 15 characters, this one has " + name.length;
    return null;
  }
  function domain(d, unicode) {
    if (!d) return "the domain is empty";
    if (d.length > 253) return "`" + d + "` is longer than 253 characters";
    var labels = d.split(".");
    if (labels.length < 2) return "`" + d + "` needs at least two labels, such as `example.social`";
    for (var i = 0; i < labels.length; i++) {
      var l = labels[i];
      if (!l) return "`" + d + "` has an empty label (two dots in a row, or a dot at an end)";
      if (Array.from(l).length > 63) return "`" + d + "`: the label `" + l + "` is longer than 63 characters";
      if (l.charAt(0) === "-" || l.charAt(l.length - 1) === "-") return "`" + d + "`: the label `" + l + "` starts or ends with a hyphen";
      var c = badChar(l, function (c) { return c === "-" || alnum(c) || (unicode && /[^\x00-\x7f]/.test(c) && /[\p{L}\p{N}]/u.test(c)); });
      if (c !== undefined) return "`" + d + "`: `" + c + "` is not allowed in a domain name";
    }
    if (!/^\p{L}/u.test(labels[labels.length - 1])) return "`" + d + "`: the last label must start with a letter";
    return null;
  }
  function mastodonHandle(h) {
    var rest = stripAt(h), at = rest.indexOf("@");
    if (at < 0) return "`" + h + "` lacks its server: a Mastodon handle is `@user@instance`, such as `@holly@mastodon.social`";
    var user = rest.slice(0, at), server = rest.slice(at + 1);
    if (!user) return "`" + h + "` has no user name before the server";
    var word = function (c) { return alnum(c) || c === "_"; };
    var c = badChar(user, function (c) { return word(c) || c === "." || c === "-"; });
    if (c !== undefined) return "`" + h + "`: Mastodon user names hold letters A–Z, digits, _, . and -, not `" + c + "`";
    if (!word(user.charAt(0)) || !word(user.charAt(user.length - 1))) return "`" + h + "`: a Mastodon user name starts and ends with a letter, digit or _";
    if (server.indexOf("@") >= 0) return "`" + h + "` has more than two @";
    var e = domain(server, true);
    return e && "`" + h + "`: the server is not a domain name: " + e;
  }
  function blueskyHandle(h) {
    var e = domain(stripAt(h), false);
    return e && "`" + h + "` is not a Bluesky handle (a domain name): " + e;
  }
  function githubHandle(h) {
    var name = stripAt(h);
    if (!name || name.length > 39) return "`" + h + "`: GitHub names have 1 to 39 characters";
    var c = badChar(name, function (c) { return alnum(c) || c === "-"; });
    if (c !== undefined) return "`" + h + "`: GitHub names hold letters, digits and -, not `" + c + "`";
    if (/^-|-$|--/.test(name)) return "`" + h + "`: GitHub names have no hyphen at an end or two in a row";
    return null;
  }
  function linkedinHandle(h) {
    var p = h.trim().replace(/^https:\/\//, "").replace(/^www\./, "").replace(/^linkedin\.com\//, "").replace(/^\/+|\/+$/g, "");
    if (p.indexOf("/") < 0) p = "in/" + p;
    var slash = p.indexOf("/"), kind = p.slice(0, slash), name = p.slice(slash + 1);
    if (["in", "company", "school"].indexOf(kind) < 0) return "`" + h + "`: a LinkedIn handle is `in/name`, `company/name` or `school/name`";
    var n = Array.from(name).length;
    if (n < 3 || n > 100) return "`" + h + "`: LinkedIn names have 3 to 100 characters";
    var c = badChar(name, function (c) { return /[\p{L}\p{N}_-]/u.test(c); });
    if (c !== undefined) return "`" + h + "`: `" + c + "` is not allowed in a LinkedIn name";
    return null;
  }
  var HANDLES = [
    ["x", "w-x", xHandle],
    ["mastodon", "w-mastodon", mastodonHandle],
    ["bluesky", "w-bluesky", blueskyHandle],
    ["linkedin", "w-linkedin", linkedinHandle],
    ["github", "w-github", githubHandle],
  ];

  // The share-snippet fit check for X: the site's X snippets (rendered by
  // the build with marks for the draft's parts, /write/site.json's `x`)
  // filled in and counted by twitter-text 3.1.0, as gen counts them
  // (src/platforms/fit.rs: the description goes first, then the hashtags,
  // then the title is cut at a word; the snippet does not fit when even the
  // shortest cut is too long).
  var SEPARATORS = /[\s,;:\-\u2013\u2014(\[{\/]+$/u;
  // Where a cut may not fall: X's links, mentions and hashtags, and
  // Mastodon's @user@domain (gen's protected ranges), in UTF-16 units.
  function protectedRanges(text) {
    var out = window.twttr.extractEntitiesWithIndices(text)
      .filter(function (e) { return !e.cashtag; })
      .map(function (e) { return { start: e.indices[0], end: e.indices[1], url: !!e.url }; });
    var re = /@[\p{L}\p{N}_][\p{L}\p{N}_.-]*@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, m;
    while ((m = re.exec(text))) out.push({ start: m.index, end: m.index + m[0].length, url: false });
    return out;
  }
  // gen's shortest cut of a title (fit.rs `Cuts`): the first word boundary
  // outside an entity, trailing separators dropped, then "…" (" …" after a
  // link); the title itself when it has none.
  function shortestCut(text) {
    var prot = protectedRanges(text);
    var inside = function (b) { return prot.some(function (e) { return e.start < b && b < e.end; }); };
    var full = text.replace(/\s+$/u, "").length;
    var best = null;
    for (var seg of new Intl.Segmenter("und", { granularity: "word" }).segment(text)) {
      var b = seg.index;
      if (b === 0 || inside(b)) continue;
      var prefix = text.slice(0, b);
      var end = prefix.replace(SEPARATORS, "").length;
      if (end > 0 && inside(end)) end = prefix.replace(/\s+$/u, "").length;
      if (end === 0 || inside(end) || end >= full) continue;
      var spaced = prot.some(function (e) { return e.url && e.end === end; }) ? 1 : 0;
      if (end + spaced >= text.length) continue;
      if (!best || end + spaced < best[0] + best[1] || (end + spaced === best[0] + best[1] && end < best[0])) best = [end, spaced];
    }
    return best ? text.slice(0, best[0]) + (best[1] ? " " : "") + "\u2026" : text;
  }
  // Who the snippets name: the guest's X handle as a mention, else their
  // name; null when the post gets no share kit (a staff author's post).
  function xGuest() {
    var slug = val("w-author");
    if (slug) {
      var a = data.authors.filter(function (a) { return a.slug === slug; })[0];
      return a && a.guest ? a.x || a.name : null;
    }
    var h = val("w-x").replace(/^@+/, "");
    return h ? "@" + h : val("w-name") || null;
  }
  // Each audience's X snippet for the draft: its length as written (with
  // the description given) and, when it does not fit even shortened, gen
  // check's warning.
  function xSnippets() {
    if (!data || !data.x || !window.twttr || !val("w-title")) return [];
    var x = data.x, who = xGuest();
    if (!who) return [];
    var slug = encodeURIComponent(slugify(val("w-title")));
    var slugMark = encodeURIComponent(x.marks.slug);
    var tags = Math.max.apply(null, x.snippets.map(function (s) { return s.hashtags; }));
    var fill = function (audience, title, description, hashtags) {
      var s = x.snippets.filter(function (s) {
        return s.audience === audience && s.description === !!description && s.hashtags === hashtags;
      })[0];
      return s.text.split(x.marks.title).join(title).split(x.marks.description).join(description)
        .split(x.marks.guest).join(who).split(slugMark).join(slug);
    };
    return ["owner", "guest"].map(function (audience) {
      var title = val("w-title"), text = fill(audience, title, val("w-description"), tags);
      var parsed = window.twttr.parseTweet(text);
      var out = { audience: audience, length: parsed.weightedLength, fits: parsed.valid, warning: null };
      if (!parsed.valid) {
        var shortest = window.twttr.parseTweet(fill(audience, shortestCut(title), "", 0));
        if (!shortest.valid) {
          out.warning = "the x snippet does not fit: even with the description and hashtags dropped and the title shortened it counts " +
            shortest.weightedLength + " where X allows " + x.limit +
            (shortest.weightedLength <= x.limit ? " (the text is empty or holds U+FEFF, U+FFFE or U+FFFF)" : "");
        }
      }
      return out;
    });
  }

  function problems() {
    var out = {};
    var add = function (id, kind, msg) { if (!out[id]) out[id] = [kind, msg]; };
    if (!val("w-title")) add("w-title", "error", "missing `title`");
    else if (!slugify(val("w-title"))) add("w-title", "error", "the title gives no slug: use some letters or digits");
    if (!val("w-body")) add("w-body", "error", "the post is empty: write it in the box above");
    var desc = val("w-description");
    var max = data ? data.limits.description_max : 300;
    var n = Array.from(desc).length;
    if (n > max) add("w-description", "warning", "`description` is " + n + " characters; previews cut it after about " + max);
    if (val("w-image") && !val("w-image-alt")) add("w-image-alt", "error", "`image_alt` is required when `image` is set");
    if (val("w-image") && !/^https:\/\//.test(val("w-image"))) add("w-image", "error", "the cover picture must be an https:// address");
    if (!val("w-author")) {
      if (!val("w-name")) add("w-name", "error", "missing `name`: choose yourself above, or give your name for a new profile");
      else if (data && data.authors.some(function (a) { return a.slug === slugify(val("w-name")); })) {
        add("w-name", "error", "an author \"" + slugify(val("w-name")) + "\" exists: choose yourself in the list above");
      }
      ["w-website", "w-feed"].forEach(function (id) {
        if (val(id) && !/^https?:\/\//.test(val(id))) add(id, "error", "write the whole address, starting with https://");
      });
      HANDLES.forEach(function (h) {
        var e = val(h[1]) && h[2](val(h[1]));
        if (e) add(h[1], "error", "malformed " + h[0] + " handle: " + e);
      });
    }
    if (data) {
      var msgs = tags().map(function (t) { return typo(t, data.tags, "tag"); }).filter(Boolean);
      if (msgs.length) add("w-tags", "warning", msgs.join(" "));
    }
    // The fix is a shorter title (or name): the warning goes with the title.
    var xWarning = xSnippets().map(function (s) { return s.warning; }).filter(Boolean)[0];
    if (xWarning) add("w-title", "warning", xWarning);
    return out;
  }

  function show() {
    var found = problems();
    form.querySelectorAll(".field-msg").forEach(function (el) {
      var id = el.id.replace(/-msg$/, "");
      var input = $(id);
      var p = found[id];
      el.textContent = p ? p[1] : "";
      el.className = "field-msg" + (p ? " " + p[0] : "");
      if (input) {
        if (p && p[0] === "error") input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
    $("w-profile").hidden = !!val("w-author");
    return found;
  }
  function errors(found) {
    return Object.keys(found).filter(function (k) { return found[k][0] === "error"; });
  }

  function save() {
    var d = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === "checkbox") { (d.categories = d.categories || []); if (el.checked) d.categories.push(el.value); }
      else d[el.name] = el.value;
    });
    try { localStorage.setItem(DRAFT_KEY, JSON.stringify(d)); } catch (e) { /* private mode: no drafts */ }
  }
  function restore() {
    var d;
    try { d = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { d = null; }
    if (!d) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === "checkbox") el.checked = (d.categories || []).indexOf(el.value) >= 0;
      else if (typeof d[el.name] === "string") el.value = d[el.name];
    });
  }

  function download(name, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/markdown" }));
    a.download = name.split("/").pop();
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function say(text) { status.textContent = text; }

  // The host's new-file page for a file; `null` when the URL would be too long.
  function newFileUrl(name, text, withText) {
    var r = data.repository;
    var u = r.new_file_url + "?" + r.file_param + "=" + encodeURIComponent(name);
    if (withText) u += "&" + r.content_param + "=" + encodeURIComponent(text);
    return u;
  }
  function propose(name, text) {
    if (!data) { say("The page is still loading the site's data: try again in a moment."); return "waiting"; }
    var u = newFileUrl(name, text, true);
    if (u.length <= data.limits.url_max) {
      // GitLab's editor may leave `content` out (gitlab-org/gitlab#594214):
      // the file is on the clipboard as well, to paste if the box is empty.
      if (data.repository.host === "gitlab" && navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
      window.open(u, "_blank", "noopener");
      return data.repository.host === "gitlab" ? "gitlab" : "opened";
    }
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
    window.open(newFileUrl(name, text, false), "_blank", "noopener");
    return "copied";
  }

  // The live preview: Markdown rendered as the build renders it (CommonMark
  // with tables, footnotes, strikethrough and task lists, as gen's
  // pulldown-cmark options), raw HTML shown as text (the build sanitizes a
  // guest's HTML; the preview does not run any). What pulldown-cmark writes
  // differently is written its way below, so that the preview reads as the
  // built post (tests/browser/write-page.test.mjs compares the two).
  var smart = form.hasAttribute("data-smart-punctuation");
  var md = window.markdownit
    ? window.markdownit({ html: false, linkify: false, typographer: smart })
    : null;
  if (md && window.markdownitFootnote) md.use(window.markdownitFootnote);
  if (md) {
    // Smart punctuation as pulldown-cmark's (`[markdown] smart_punctuation`,
    // on by default): quotes (markdown-it's smartquotes), `...` and runs of
    // hyphens; not markdown-it's other replacements ((c), +-, `..`).
    md.disable("replacements");
    md.core.ruler.before("smartquotes", "byline_dashes", function (state) {
      if (!state.md.options.typographer) return;
      state.tokens.forEach(function (t) {
        if (t.type !== "inline" || !t.children) return;
        var auto = 0;
        t.children.forEach(function (c) {
          if (c.type === "link_open" && c.info === "auto") auto++;
          else if (c.type === "link_close" && c.info === "auto") auto--;
          else if (c.type === "text" && !auto) c.content = c.content.replace(/\.\.\./g, "\u2026").replace(/-{2,}/g, dashes);
        });
      });
    });
    // Heading attributes (`## Title {#custom-id .class}`), as the build
    // reads them: the braces leave the text, the id and classes go on the heading.
    md.core.ruler.after("inline", "byline_heading_attrs", function (state) {
      state.tokens.forEach(function (t, i) {
        if (t.type !== "inline" || i === 0 || state.tokens[i - 1].type !== "heading_open" || !t.children) return;
        var last = t.children[t.children.length - 1];
        var m = last && last.type === "text" && /\s*\{([^{}]*)\}\s*$/.exec(last.content);
        if (!m) return;
        last.content = last.content.slice(0, m.index);
        var open = state.tokens[i - 1];
        m[1].split(/\s+/).forEach(function (a) {
          if (a.charAt(0) === "#" && a.length > 1) open.attrSet("id", a.slice(1));
          else if (a.charAt(0) === "." && a.length > 1) open.attrJoin("class", a.slice(1));
        });
      });
    });
    // Strikethrough is <del>, as the build writes it.
    md.renderer.rules.s_open = function () { return "<del>"; };
    md.renderer.rules.s_close = function () { return "</del>"; };
    // Footnotes as pulldown-cmark writes them: the reference a bare number,
    // each note a numbered block with the label as its id, no back link and no
    // rule above (the theme's styles draw the line).
    if (md.renderer.rules.footnote_ref) {
      var r = md.renderer.rules;
      r.footnote_ref = function (tokens, idx) {
        var m = tokens[idx].meta;
        return '<sup class="footnote-reference"><a href="#' + md.utils.escapeHtml(m.label || String(m.id + 1)) + '">' + (m.id + 1) + "</a></sup>";
      };
      r.footnote_block_open = r.footnote_block_close = r.footnote_anchor = function () { return ""; };
      r.footnote_open = function (tokens, idx) {
        var m = tokens[idx].meta;
        return '<div class="footnote-definition" id="' + md.utils.escapeHtml(m.label || String(m.id + 1)) + '"><sup class="footnote-definition-label">' + (m.id + 1) + "</sup>\n";
      };
      r.footnote_close = function () { return "</div>\n"; };
    }
  }
  // A run of hyphens as pulldown-cmark (and commonmark.js) splits it: em
  // dashes and en dashes, em dashes first, none left over.
  function dashes(run) {
    var n = run.length, em, en;
    if (n % 3 === 0) { em = n / 3; en = 0; }
    else if (n % 2 === 0) { em = 0; en = n / 2; }
    else if (n % 3 === 2) { em = (n - 2) / 3; en = 1; }
    else { em = (n - 4) / 3; en = 2; }
    return "\u2014".repeat(em) + "\u2013".repeat(en);
  }
  // Task list items, as the build writes them: a disabled checkbox named
  // "Task" (a form field needs a name, WCAG 4.1.2).
  function taskLists(html) {
    return html.replace(/<li>(<p>)?\[([ xX])\] /g, function (_, p, mark) {
      return "<li>" + (p || "") + '<input disabled="" type="checkbox"' + (mark === " " ? "" : ' checked=""') + ' aria-label="Task"> ';
    });
  }
  // How the X snippets count, under the preview, when the draft has a
  // description (without one the build takes it from the first paragraph).
  function xCount() {
    var line = $("w-x-count");
    var found = val("w-description") ? xSnippets() : [];
    line.hidden = !found.length;
    if (!found.length) return;
    var x = data.x.limit;
    var said = function (s) {
      return s.length + " of " + x + (s.fits ? "" : " (the build shortens it to fit)");
    };
    line.textContent = "On X, the site's post about yours counts " + said(found[0]) +
      " weighted characters, and your own " + said(found[1]) + ".";
    line.setAttribute("data-lengths", found.map(function (s) { return s.length; }).join(" "));
  }
  var previewTimer = null;
  function preview() {
    if (!md) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      $("w-preview-title").textContent = val("w-title");
      $("w-preview-description").textContent = val("w-description");
      $("w-preview-content").innerHTML = taskLists(md.render($("w-body").value));
      xCount();
    }, 120);
  }
  if (md) form.querySelector(".write-preview").hidden = false;

  form.addEventListener("input", function () { show(); save(); preview(); });
  form.addEventListener("change", function () { show(); save(); preview(); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var bad = errors(show());
    if (bad.length) {
      say("Fix " + bad.length + (bad.length === 1 ? " problem" : " problems") + " first: " + bad.map(function (id) { return problems()[id][1]; }).join("; "));
      $(bad[0]).focus();
      return;
    }
    var how = propose(postName(), postFile());
    if (how === "waiting") return;
    var steps = how === "copied"
      ? "Your post is too long for an address: it is copied. Paste it into the new file's box, then propose the change."
      : how === "gitlab"
        ? "A new tab shows your file (it is also copied: paste it if the box is empty): press “Commit changes” to send it."
        : "A new tab shows your file: press “Commit changes…” (or “Propose changes”) to send it.";
    if (!val("w-author")) {
      steps += " Then add your profile the same way: ";
      next.hidden = false;
      next.textContent = "";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "Propose my author profile";
      b.addEventListener("click", function () { propose("authors/" + authorSlug() + ".toml", profileFile()); });
      next.appendChild(b);
    }
    say(steps);
  });
  $("w-download").addEventListener("click", function () {
    download(postName(), postFile());
    if (!val("w-author") && val("w-name")) download("authors/" + authorSlug() + ".toml", profileFile());
  });

  restore();
  form.hidden = false;
  show();
  preview();
  fetch(form.getAttribute("data-site")).then(function (r) { return r.json(); }).then(function (d) {
    data = d;
    show();
    preview();
  }).catch(function () { say("The site's list of authors and tags could not be loaded; checks of tags are off."); });
})();
