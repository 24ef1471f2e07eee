// campusdesk character counter: progressive enhancement for text fields with a length limit.
// A field marks itself with data-max-chars="N" (the limit the ticket service applies). The
// browser's own maxlength is set larger on purpose, so typed text is never cut silently; this
// script shows "37 of 120 characters" under the field while typing, and "125 of 120
// characters: 5 too many" once over. Screen readers hear only crossing the limit (a polite
// live region), not every keystroke. Without this script the hint states the limit and the
// server refuses a longer text with the typed text kept. Text is set with textContent only.
// The sentences come from the page, in its language (the field's data-count, data-count-over,
// data-count-now-over and data-count-back); this script only fills in {used}, {max} and
// {over} (with text.js), numbers written the page's way. A field without them gets no counter.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-max-chars], textarea[data-max-chars]");
  var page = window.campusdeskText; // text.js
  if (!page) { return; }

  Array.prototype.forEach.call(fields, function (field) {
    var max = Number(field.getAttribute("data-max-chars"));
    var text = {
      within: field.getAttribute("data-count"),
      over: field.getAttribute("data-count-over"),
      nowOver: field.getAttribute("data-count-now-over"),
      back: field.getAttribute("data-count-back")
    };
    if (!field.id || !(max > 0) || !text.within || !text.over || !text.nowOver || !text.back) { return; }
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
      var values = { used: used, max: max, over: used - max };
      count.textContent = page.fill(over ? text.over : text.within, values);
      count.classList.toggle("char-count-over", over);
      if (wasOver !== null && over !== wasOver) {
        live.textContent = page.fill(over ? text.nowOver : text.back, values);
      }
      wasOver = over;
    }

    field.addEventListener("input", update);
    update();
  });
})();
