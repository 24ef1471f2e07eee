// campusdesk live category hint on the new-ticket form: progressive enhancement.
// While someone types a title or description, it asks the web service (POST /tickets/classify,
// debounced) which category the ticket will probably get and shows it in the form's
// aria-live="polite" region #category-hint. Without this script the form works the same and
// the category appears after sending. Values are inserted with textContent only.
// The sentences around the service's answer come from the page, in its language (the region's
// data-uncertain, with {hint} for the answer's sentence, and data-words, with {words}; text.js
// fills them in).
(function () {
  "use strict";
  var form = document.querySelector("form[data-category-hint]");
  var region = document.getElementById("category-hint");
  var page = window.campusdeskText; // text.js
  if (!form || !region || !page || !("fetch" in window) || !("URLSearchParams" in window)) {
    return;
  }
  var title = form.elements.namedItem("title");
  var description = form.elements.namedItem("description");
  if (!title || !description) { return; }
  var DEBOUNCE_MS = 300;
  var timer = null;
  var asked = 0;
  var lastDraft = null;
  var shown = "";

  function clear() {
    shown = "";
    while (region.firstChild) { region.removeChild(region.firstChild); }
  }

  function show(hint) {
    var wordsText = region.getAttribute("data-words");
    var unsureText = region.getAttribute("data-uncertain");
    var words = hint.terms && hint.terms.length && wordsText
      ? page.fill(wordsText, { words: hint.terms.join(", ") })
      : "";
    var key = hint.message + "|" + words + "|" + hint.uncertain;
    if (key === shown) { return; } // nothing new to announce
    clear();
    shown = key;
    var line = document.createElement("p");
    line.className = "category-hint-line";
    line.textContent = hint.uncertain && unsureText ? page.fill(unsureText, { hint: hint.message }) : hint.message;
    region.appendChild(line);
    if (words) {
      var why = document.createElement("p");
      why.className = "category-hint-words";
      why.textContent = words;
      region.appendChild(why);
    }
  }

  function ask() {
    var draft = title.value + "\n" + description.value;
    if (draft === lastDraft) { return; }
    lastDraft = draft;
    if (!title.value.trim() && !description.value.trim()) { asked += 1; clear(); return; }
    var mine = ++asked;
    var body = new URLSearchParams();
    body.append("title", title.value);
    body.append("description", description.value);
    var token = form.elements.namedItem("csrf"); // the form's CSRF token (see crates/web/src/csrf.rs)
    if (token) { body.append("csrf", token.value); }
    fetch("/tickets/classify", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: body.toString()
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (hint) {
        if (mine !== asked) { return; } // a newer draft was sent meanwhile
        if (hint && hint.category) { show(hint); } else { clear(); }
      })
      .catch(function () { if (mine === asked) { clear(); } });
  }

  function schedule() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { timer = null; ask(); }, DEBOUNCE_MS);
  }

  // From now on the region keeps its room and says it is waiting (style.css: .category-hint-live).
  region.classList.add("category-hint-live");
  title.addEventListener("input", schedule);
  description.addEventListener("input", schedule);
  if (title.value.trim() || description.value.trim()) { schedule(); }
})();
