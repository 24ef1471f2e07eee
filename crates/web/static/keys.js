// Keyboard shortcuts, as progressive enhancement (every action also has its button or link):
//   /  search the list        j / k  next / previous ticket in the list
//   o  (or Enter) open it     a  start work       c  close (opens the confirmation only)
//   r  write a message        ?  this list, in a dialog (Esc or its button closes it)
// Shortcuts never fire while typing in a field, or with Ctrl, Alt or Meta held.
// The help dialog is the page's own, in its language: <template id="keys-help-text"> holds it
// (base.html); this script only shows it, and wires its [data-close] button.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) return false;
    return target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])") !== null;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#ticket-list tbody tr"));
  }

  function rowLink(row) {
    return row.querySelector(".cell-title a");
  }

  function select(step) {
    var list = rows();
    if (list.length === 0) return;
    var current = list.findIndex(function (row) { return row.classList.contains("key-selected"); });
    var next = current < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, current + step));
    list.forEach(function (row) { row.classList.remove("key-selected"); });
    var row = list[next];
    row.classList.add("key-selected");
    var link = rowLink(row);
    if (link) link.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function open() {
    var row = document.querySelector("#ticket-list tbody tr.key-selected");
    var link = row && rowLink(row);
    if (link) link.click();
  }

  function focusSearch() {
    var field = document.getElementById("filter-q");
    if (!field) return false;
    var fold = field.closest("details");
    if (fold) fold.open = true;
    field.focus();
    return true;
  }

  function startWork() {
    var to = document.querySelector('form[action$="/status"] input[name="to"][value="active"]');
    if (!to) return false;
    to.form.requestSubmit();
    return true;
  }

  function askToClose() {
    var confirm = document.querySelector("details.confirm-close");
    if (!confirm) return false;
    confirm.open = true;
    var summary = confirm.querySelector("summary");
    if (summary) summary.focus();
    confirm.scrollIntoView({ block: "nearest" });
    return true;
  }

  function reply() {
    var box = document.getElementById("body");
    if (!box) return false;
    box.focus();
    box.scrollIntoView({ block: "center" });
    return true;
  }

  var dialog = null;

  function help() {
    if (!dialog) {
      var template = document.getElementById("keys-help-text");
      var shape = template && template.content && template.content.querySelector("dialog");
      if (!shape) return false;
      dialog = document.importNode(shape, true);
      var close = dialog.querySelector("button[data-close]");
      if (close) close.addEventListener("click", function () { dialog.close(); });
      document.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    var done = false;
    switch (event.key) {
      case "/": done = focusSearch(); break;
      case "j": select(1); done = true; break;
      case "k": select(-1); done = true; break;
      case "o": open(); done = true; break;
      case "a": done = startWork(); break;
      case "c": done = askToClose(); break;
      case "r": done = reply(); break;
      case "?": done = help(); break;
      default: return;
    }
    if (done) event.preventDefault();
  });
})();
