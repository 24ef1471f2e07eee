// campusdesk page text: the helper the page scripts share to put together a sentence the page
// carries (written by the server in the page's language, with {name} placeholders) and what
// only the browser knows. Numbers are written for the page's language (<html lang>), grouped
// from four digits ("5.000") as the server writes them on the same pages. Load it before the
// scripts that use it (count.js, forms.js, hint.js); without it they do nothing.
(function () {
  "use strict";
  var numbers = window.Intl && Intl.NumberFormat
    ? new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "always" })
    : null;

  // `text` with each {name} replaced by values[name] (a number formatted, text as it is); a
  // name without a value stays as it is.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) { return whole; }
      var value = values[name];
      if (typeof value !== "number") { return String(value); }
      return numbers ? numbers.format(value) : String(value);
    });
  }

  window.campusdeskText = { fill: fill };
})();
