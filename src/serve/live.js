// Live reload for `gen serve` (which watches unless given --no-watch): listens to the server's event stream,
// reloads the page when it changed, swaps stylesheets without a reload, and
// shows build errors over the page until a good build clears them.
(() => {
  "use strict";
  const me = document.currentScript;
  const keys = ((me && me.dataset.keys) || "").split(" ").filter(Boolean);
  const build = Number((me && me.dataset.build) || 0);
  let server = null;
  let overlay = null;

  // A page reloads for a changed picture, font or script it may use, not for
  // pages, feeds or the search index (made again after the pages, it would
  // reload every open page a second time).
  const reloadable = (path) =>
    !/\.(html|css|xml|json|txt)$/.test(path) && !/^\/?pagefind\//.test(path);

  function affects(paths) {
    return paths.some((p) => keys.includes(p) || reloadable(p));
  }

  function swapCss(paths) {
    const links = Array.from(document.querySelectorAll('link[rel~="stylesheet"]'));
    const matching = links.filter((l) => {
      try {
        const path = new URL(l.href, location.href).pathname.replace(/^\//, "");
        return paths.includes(decodeURIComponent(path));
      } catch (_) {
        return false;
      }
    });
    for (const link of matching.length ? matching : links) {
      const url = new URL(link.href, location.href);
      url.searchParams.set("gen-reload", Date.now().toString());
      const next = link.cloneNode();
      next.href = url.toString();
      next.addEventListener("load", () => link.remove());
      next.addEventListener("error", () => link.remove());
      link.after(next);
    }
  }

  function showErrors(data) {
    hideErrors();
    overlay = document.createElement("div");
    overlay.id = "gen-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("div");
    title.style.cssText = "font-weight:bold;color:#ff7b72;margin-bottom:1rem;font-size:16px";
    title.textContent = data.title || "The build failed";
    const pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = (data.messages || []).join("\n");
    const note = document.createElement("div");
    note.style.cssText = "margin-top:1rem;color:#aaa";
    note.textContent =
      "The last good build is still served. Fix the file and save: this goes away by itself.";
    const close = document.createElement("button");
    close.textContent = "Dismiss";
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font:inherit";
    close.addEventListener("click", hideErrors);
    overlay.append(title, pre, note, close);
    (document.body || document.documentElement).append(overlay);
  }

  function hideErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // The server answers with the build to compare with: the current one, or
  // this page's own when no build since changed what it shows.
  const events = new EventSource(
    "/__gen/events?build=" + build + "&keys=" + encodeURIComponent(keys.join(" ")),
  );
  events.addEventListener("hello", (e) => {
    const d = JSON.parse(e.data);
    // A restarted server, or builds missed while disconnected.
    if ((server && d.server !== server) || d.build > build) {
      location.reload();
      return;
    }
    server = d.server;
  });
  events.addEventListener("reload", (e) => {
    const d = JSON.parse(e.data);
    if (!d.paths || affects(d.paths)) {
      location.reload();
    } else {
      hideErrors();
    }
  });
  events.addEventListener("css", (e) => {
    hideErrors();
    swapCss(JSON.parse(e.data).paths || []);
  });
  events.addEventListener("build-error", (e) => showErrors(JSON.parse(e.data)));
  events.addEventListener("build-ok", hideErrors);
})();
