// campusdesk character counter: progressive enhancement for text fields with a length limit.
// A field marks itself with data-max-chars="N" (the limit the ticket service applies). The
// browser's own maxlength is set larger on purpose, so typed text is never cut silently; this
// script shows "37 of 120 characters" under the field while typing, and "125 of 120
// characters: 5 too many" once over. Screen readers hear only crossing the limit (a polite
// live region), not every keystroke. Without this script the hint states the limit and the
// server refuses a longer text with the typed text kept. Text is set with textContent only.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-max-chars], textarea[data-max-chars]");
  Array.prototype.forEach.call(fields, function (field) {
    var max = Number(field.getAttribute("data-max-chars"));
    if (!field.id || !(max > 0)) { return; }
    var count = document.createElement("p");
    count.className = "char-count";
    count.id = field.id + "-count";
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    var hint = document.getElementById(field.id + "-hint");
    var anchor = hint && hint.parentNode === field.parentNode ? hint : field;
    anchor.parentNode.insertBefore(live, anchor.nextSibling);
    anchor.parentNode.insertBefore(count, anchor.nextSibling);
    var wasOver = null;

    function length(text) {
      // Characters as the server counts them (Unicode scalar values), not UTF-16 units.
      return Array.from ? Array.from(text).length : text.length;
    }

    function update() {
      var used = length(field.value);
      var over = used > max;
      count.textContent = used + " of " + max + " characters" + (over ? ": " + (used - max) + " too many" : "");
      count.classList.toggle("char-count-over", over);
      if (wasOver !== null && over !== wasOver) {
        live.textContent = over
          ? "Over the limit of " + max + " characters."
          : "Within the limit of " + max + " characters again.";
      }
      wasOver = over;
    }

    field.addEventListener("input", update);
    update();
  });
})();
