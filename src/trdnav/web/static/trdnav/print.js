// "Print" buttons: a script file rather than an inline handler, which the content security
// policy forbids.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
