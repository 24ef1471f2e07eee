// campusdesk form checks: progressive enhancement for forms marked data-checked-form.
// Each text field carrying its sentences (data-error-empty and data-error-too-long, the
// server's own in the page's language; with `required` and/or data-max-chars="N", the limits
// the server renders from the same constants it checks with) is checked again as it is typed
// in and when it is left: a fixed field loses its error at once (the message under it, its
// aria-invalid, and its line in the error summary at the top); a field left blank or too long
// gets the same sentence the server would give, its {len} and {max} filled in (with text.js)
// with numbers written the page's way. The server checks everything again on submit, so
// without this script every error still shows, all at once, after sending.
// Text is set with textContent only.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-checked-form]");
  var page = window.campusdeskText; // text.js
  if (!page) { return; }

  function length(text) {
    // Characters as the server counts them (Unicode scalar values), not UTF-16 units.
    return Array.from ? Array.from(text).length : text.length;
  }

  // The sentence the server would give for this value, or "" when it is fine (or when the
  // page gave no sentence for it: the server still checks).
  function problem(field) {
    var text = field.value.trim();
    if (field.hasAttribute("required") && text === "") {
      return field.getAttribute("data-error-empty") || "";
    }
    var max = Number(field.getAttribute("data-max-chars"));
    var used = length(text);
    var tooLong = field.getAttribute("data-error-too-long");
    if (max > 0 && used > max && tooLong) {
      return page.fill(tooLong, { len: used, max: max });
    }
    return "";
  }

  function describedBy(field, id, present) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (present) { ids.unshift(id); }
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); }
    else { field.removeAttribute("aria-describedby"); }
  }

  function dropFromSummary(form, fieldId) {
    var summary = form.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var item = summary.querySelector('li[data-error-for="' + fieldId + '"]');
    if (item) { item.parentNode.removeChild(item); }
    if (!summary.querySelector("li")) { summary.parentNode.removeChild(summary); }
  }

  function show(form, field, message) {
    var errorId = field.id + "-error";
    var error = document.getElementById(errorId);
    if (message === "") {
      if (error) { error.parentNode.removeChild(error); }
      field.removeAttribute("aria-invalid");
      describedBy(field, errorId, false);
      dropFromSummary(form, field.id);
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      error.id = errorId;
      field.parentNode.appendChild(error);
    }
    if (error.textContent !== message) { error.textContent = message; }
    field.setAttribute("aria-invalid", "true");
    describedBy(field, errorId, true);
  }

  Array.prototype.forEach.call(forms, function (form) {
    var fields = form.querySelectorAll("input[data-error-empty], textarea[data-error-empty]");
    Array.prototype.forEach.call(fields, function (field) {
      if (!field.id) { return; }
      var touched = false;
      field.addEventListener("input", function () {
        touched = true;
        // While typing, only take away or update an error already shown: no scolding mid-word.
        if (field.getAttribute("aria-invalid") === "true") { show(form, field, problem(field)); }
      });
      field.addEventListener("blur", function () {
        if (touched || field.getAttribute("aria-invalid") === "true") { show(form, field, problem(field)); }
      });
    });
  });
})();
