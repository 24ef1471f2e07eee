// campusdesk live updates: progressive enhancement, no framework.
// Pages mark themselves with <body data-live="list|ticket" data-live-ticket="ID"> and their
// refreshable parts with [data-live-section] and an id. On a change the server reports for a
// relevant ticket, the current page is fetched again and those parts are swapped in place.
// The dashboard (data-live="dashboard") follows every change: a burst of changes is gathered
// (debounced) into one re-fetch of the page with ?seq= the last change's number; the page marks
// its figures data-caught-up="false" while the analytics service has not read that far yet, and
// then it is fetched again, a little later each time, until the figures include the change. Its
// "Updated at" line is a refreshed part too, so it moves on each refresh.
// Without this script (or without EventSource) the pages work exactly the same.
// When a ticket page's re-fetch answers 404 (staff closed the ticket, so a campus user may no
// longer see it, or it is gone), the page shows the notice it carries in
// <template id="live-gone"> inside the #live-notice alert region, and stops following changes.
(function () {
  "use strict";
  var body = document.body;
  var mode = body && body.getAttribute("data-live");
  if (!mode || !("EventSource" in window) || !("fetch" in window) || !("DOMParser" in window)) {
    return;
  }
  var ticketId = Number(body.getAttribute("data-live-ticket") || "0");
  var lastSeq = 0;
  var debounce = null;
  var behind = 0;
  var pending = false;
  var again = false;
  var gone = false;
  var source = null;

  function relevant(change) {
    if (mode === "list" || mode === "dashboard") { return true; }
    return mode === "ticket" && change.ticket === ticketId;
  }

  // The ticket is no longer visible: say so once, with the page's own (server-written) notice,
  // and keep people from sending forms that can only fail now.
  function showGone() {
    if (gone) { return; }
    gone = true;
    if (source) { source.close(); }
    var region = document.getElementById("live-notice");
    var template = document.getElementById("live-gone");
    if (!region || !template || !template.content) { return; }
    region.appendChild(document.importNode(template.content, true));
    var forms = document.querySelectorAll("form[data-ticket-form] button[type=submit]");
    Array.prototype.forEach.call(forms, function (button) { button.disabled = true; });
    // The "Close ticket…" opener is a <summary>, not a button: close it and mark it disabled too.
    var openers = document.querySelectorAll("details.confirm-close");
    Array.prototype.forEach.call(openers, function (details) {
      details.open = false;
      var summary = details.querySelector("summary");
      if (!summary) { return; }
      summary.setAttribute("aria-disabled", "true");
      summary.addEventListener("click", function (event) { event.preventDefault(); });
    });
  }

  function refresh() {
    if (gone) { return; }
    if (pending) { again = true; return; }
    pending = true;
    var address = window.location.href;
    if (mode === "dashboard" && lastSeq > 0 && window.URL) {
      var url = new URL(address);
      url.searchParams.set("seq", String(lastSeq));
      address = url.toString();
    }
    fetch(address, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 404 && mode === "ticket") { showGone(); return null; }
        if (!response.ok) { return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var figures = fresh.getElementById("dashboard-figures");
        if (mode === "dashboard" && figures && figures.getAttribute("data-caught-up") === "false") {
          // The analytics service is still reading the change: ask again shortly.
          behind += 1;
          if (behind <= 20) { window.setTimeout(refresh, Math.min(250 * behind, 2000)); }
        } else {
          behind = 0;
        }
        var sections = document.querySelectorAll("[data-live-section][id]");
        Array.prototype.forEach.call(sections, function (old) {
          var replacement = fresh.getElementById(old.id);
          if (!replacement || replacement.innerHTML === old.innerHTML) { return; }
          // Never clobber what someone is typing inside a swapped part.
          if (old.contains(document.activeElement) && document.activeElement !== old) { return; }
          old.innerHTML = replacement.innerHTML;
          old.classList.remove("live-updated");
          void old.offsetWidth;
          old.classList.add("live-updated");
        });
      })
      .catch(function () { /* offline for a moment: the next change tries again */ })
      .then(function () {
        pending = false;
        if (again) { again = false; refresh(); }
      });
  }

  source = new EventSource("/live");
  source.addEventListener("change", function (event) {
    var change;
    try { change = JSON.parse(event.data); } catch (e) { return; }
    if (!relevant(change)) { return; }
    if (mode !== "dashboard") { refresh(); return; }
    if (typeof change.seq === "number" && change.seq > lastSeq) { lastSeq = change.seq; }
    behind = 0;
    if (debounce) { window.clearTimeout(debounce); }
    debounce = window.setTimeout(function () { debounce = null; refresh(); }, 300);
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
