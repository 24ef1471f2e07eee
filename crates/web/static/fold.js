// The ticket list's "Search and filters" fold (<details class="list-tools-fold">): style.css
// already shows its content from 48rem up without JavaScript; this also opens the element
// there, so browsers, screen readers and test drivers treat the fields as shown. Below 48rem
// it stays as the person left it.
(function () {
  "use strict";
  var fold = document.querySelector("details.list-tools-fold");
  if (!fold || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function follow() {
    if (wide.matches) fold.open = true;
  }
  follow();
  wide.addEventListener("change", follow);
})();
