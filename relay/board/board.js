// Kith board: what pages do by themselves. Everything works without this file;
// with it, a page part marked data-live="URL" is refreshed whenever the relay's
// view changes (server-sent events from URL) and once a minute, so that "updated 3
// minutes ago" stays true; the ward screen moves on to its next slide; and the search
// answers as the person types (the form still submits as before).
(function () {
  "use strict";
  // The ward screen: move on to the next slide after its time, unless paused.
  var screen = document.querySelector("[data-next]");
  if (screen) {
    window.setTimeout(function () { window.location.assign(screen.getAttribute("data-next")); },
      1000 * Number(screen.getAttribute("data-secs") || 20));
  }
  searchAsYouType();
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

  // Search as you type: after a pause in typing, or when a filter changes, fetch the
  // results for the form as it stands and put them in place, without moving focus.
  // A newer search cancels the one in flight; the address bar follows, so the page
  // can be bookmarked or reloaded; the number found is said to screen readers.
  function searchAsYouType() {
    var form = document.querySelector("form[role=search]");
    var results = document.querySelector("[data-results]");
    var status = document.getElementById("results-status");
    if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) { return; }
    var timer = null;
    var inFlight = null;
    function run() {
      var q = form.querySelector("[name=q]");
      if (q && q.value.trim().length === 1) { return; }
      var url = form.getAttribute("action") + "?" + new URLSearchParams(new FormData(form)).toString();
      if (inFlight && window.AbortController) { inFlight.abort(); }
      inFlight = window.AbortController ? new AbortController() : null;
      fetch(url, { headers: { Accept: "text/html" }, signal: inFlight ? inFlight.signal : undefined })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-results]");
          if (!fresh) { return; }
          results.innerHTML = fresh.innerHTML;
          if (window.history && history.replaceState) { history.replaceState(null, "", url); }
          if (status) {
            var n = results.querySelectorAll("ol.results > li").length;
            status.textContent = n === 1 ? "1 result" : n + " results";
          }
        })
        .catch(function () {});
    }
    function soon(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, delay);
    }
    form.addEventListener("input", function (event) {
      soon(event.target.type === "checkbox" || event.target.tagName === "SELECT" ? 0 : 300);
    });
  }
}());
