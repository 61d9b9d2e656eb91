// Loaded on every page (a file, not inline script: the content security policy forbids that).
// 1. Tables: each data cell is labelled with its column's header (data-label), so that on a
//    phone the stylesheet can show each row as a stacked card ("Score: 12") instead of a table
//    wider than the screen (WCAG 1.4.10). Without this script, tables scroll inside their own
//    box instead (site.css). The table roles are set explicitly because some browsers drop a
//    table's semantics once its cells are displayed as blocks.
// 2. After a form comes back with errors, focus moves to the first field with an error (or to
//    the error message when the error is not about one field), so a keyboard or screen reader
//    user starts where the problem is.
(function () {
  "use strict";

  function headerTexts(table) {
    var texts = [];
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) { return texts; }
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { texts.push(text); }
    });
    return texts;
  }

  function label(table) {
    var texts = headerTexts(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
        } else {
          cell.setAttribute("role", "cell");
          var text = texts[column];
          if (text && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", text);
          }
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("stackable");
  }

  function focusFirstError() {
    var main = document.getElementById("main") || document.body;
    var field = main.querySelector("[aria-invalid='true']");
    if (!field) {
      var box = main.querySelector(".has-error");
      field = box && box.querySelector("input:not([type=hidden]), select, textarea");
    }
    if (!field) {
      field = main.querySelector("form .error-summary, form [role='alert'], .error-summary");
      if (field && !field.hasAttribute("tabindex")) { field.setAttribute("tabindex", "-1"); }
    }
    if (field && typeof field.focus === "function") {
      field.focus();
      document.documentElement.setAttribute("data-focused-error", field.id || field.tagName.toLowerCase());
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), label);
    if (document.querySelector("main [aria-invalid='true'], main .has-error, main form .error-summary, main form .errorlist")) {
      focusFirstError();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
