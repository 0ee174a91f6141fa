// Kith board: what pages do by themselves. Everything works without this file;
// with it, a page part marked data-live="URL" is refreshed whenever the relay's
// view changes (server-sent events from URL) and once a minute, so that "updated 3
// minutes ago" stays true; the ward screen moves on to its next slide; the search
// answers as the person types (the form still submits as before); "Ask about this"
// is sealed to the listing hub's key before it leaves the page; and "Exit this
// page" also answers to Shift pressed three times.
(function () {
  "use strict";
  // The ward screen: move on to the next slide after its time, unless paused.
  var screen = document.querySelector("[data-next]");
  if (screen) {
    window.setTimeout(function () { window.location.assign(screen.getAttribute("data-next")); },
      1000 * Number(screen.getAttribute("data-secs") || 20));
  }
  searchAsYouType();
  sealAsks();
  exitThisPage();
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
      // Marked as made while typing: the board counts a search that found nothing
      // only when the person makes it.
      fetch(url, { headers: { Accept: "text/html", "X-Kith-As-You-Type": "1" }, signal: inFlight ? inFlight.signal : undefined })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-results]");
          if (!fresh) { return; }
          results.innerHTML = fresh.innerHTML;
          if (window.history && history.replaceState) { history.replaceState(null, "", url); }
          // The language switch leads to these results too.
          Array.prototype.forEach.call(document.querySelectorAll("[data-lang-switch] a[data-lang]"), function (a) {
            var params = new URLSearchParams(url.split("?")[1] || "");
            params.set("lang", a.getAttribute("data-lang"));
            a.setAttribute("href", form.getAttribute("action") + "?" + params.toString());
          });
          // How many were found, said in the page's language by the board.
          if (status) { status.textContent = fresh.getAttribute("data-said") || ""; }
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
  // Ask about this: what the person wrote is checked as the hub will check it, then
  // sealed (a libsodium sealed box: the vendored nacl-fast and sealedbox scripts) to
  // the hub's key in data-seal-to, and only the sealed box is posted, from a form
  // of its own: the fields themselves never leave the page. Without those scripts
  // the form posts as it is, and the relay seals it at once.
  function sealAsks() {
    var form = document.querySelector("form[data-seal-to]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (!window.sealedBox || !window.TextEncoder || !window.btoa) { return; }
      event.preventDefault();
      var value = function (name) {
        var field = form.querySelector("[name=" + name + "]");
        return field ? field.value.trim() : "";
      };
      var chosen = form.querySelector("[name=how]:checked");
      var how = chosen ? chosen.value : "";
      var reach = value("reach");
      var problem = null;
      var digits = (reach.match(/[0-9]/g) || []).length;
      // The messages are the board's, in the page's language, on the form.
      var said = function (what) { return form.getAttribute("data-error-" + what) || ""; };
      if (!value("name")) {
        problem = ["name", said("name")];
      } else if (how === "phone" || how === "text") {
        if (!/^[0-9 +()-]+$/.test(reach) || digits < 7 || digits > 15) {
          problem = ["reach", said("phone")];
        }
      } else if (how === "email") {
        if (!/^[^@\s]+@[^@\s]+$/.test(reach)) { problem = ["reach", said("email")]; }
      } else if (how !== "none") {
        problem = ["how", said("how")];
      }
      if (!problem && !form.querySelector("[name=consent]").checked) {
        problem = ["consent-box", said("consent")];
      }
      var shown = form.querySelector(".seal-error");
      if (problem) {
        shown.textContent = problem[1];
        shown.hidden = false;
        var field = document.getElementById("ask-" + problem[0]);
        if (field && field.focus) { field.focus(); }
        return;
      }
      shown.hidden = true;
      var contact = how === "none" ? { how: "none" }
        : how === "email" ? { how: "email", address: reach, when: value("when") }
        : { how: how, number: reach, when: value("when") };
      var content = { v: 1, name: value("name"), contact: contact, words: value("words"), consent: true };
      var hex = form.getAttribute("data-seal-to");
      var key = new Uint8Array(32);
      for (var i = 0; i < 32; i += 1) { key[i] = parseInt(hex.substr(2 * i, 2), 16); }
      var sealed = window.sealedBox.seal(new TextEncoder().encode(JSON.stringify(content)), key);
      var text = "";
      for (var j = 0; j < sealed.length; j += 1) { text += String.fromCharCode(sealed[j]); }
      var out = document.createElement("form");
      out.method = "post";
      out.action = form.getAttribute("action");
      out.hidden = true;
      [["sealed", window.btoa(text)], ["website", value("website")]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        out.appendChild(input);
      });
      document.body.appendChild(out);
      out.submit();
    });
  }

  // Exit this page (GOV.UK's pattern): the link, or Shift three times within five
  // seconds, hides the page at once and replaces it in the history with a neutral
  // one, so that Back does not return to it.
  function exitThisPage() {
    var exit = document.querySelector("[data-exit]");
    if (!exit) { return; }
    var to = exit.getAttribute("href");
    function leave(event) {
      if (event) { event.preventDefault(); }
      document.body.hidden = true;
      window.location.replace(to);
    }
    exit.addEventListener("click", leave);
    var shifts = 0;
    var timer = null;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") { shifts = 0; return; }
      if (event.repeat) { return; }
      shifts += 1;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { shifts = 0; }, 5000);
      if (shifts >= 3) { leave(); }
    });
  }
}());
