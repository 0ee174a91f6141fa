// Kith board: what pages do by themselves. Everything works without this file;
// with it, a page part marked data-live="URL" is refreshed whenever the relay's
// view changes (server-sent events from URL) and once a minute, so that "updated 3
// minutes ago" stays true; and the ward screen moves on to its next slide.
(function () {
  "use strict";
  // The ward screen: move on to the next slide after its time, unless paused.
  var screen = document.querySelector("[data-next]");
  if (screen) {
    window.setTimeout(function () { window.location.assign(screen.getAttribute("data-next")); },
      1000 * Number(screen.getAttribute("data-secs") || 20));
  }
  var live = document.querySelector("[data-live]");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var busy = false;
  function refresh() {
    if (busy) { return; }
    busy = true;
    fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
        if (fresh && fresh.innerHTML !== live.innerHTML) { live.innerHTML = fresh.innerHTML; }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  if (window.EventSource) {
    var source = new EventSource(live.getAttribute("data-live"));
    source.addEventListener("change", refresh);
  }
  window.setInterval(refresh, 60000);
}());
