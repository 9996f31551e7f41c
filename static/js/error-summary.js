// The error summary at the top of a form page (templates/includes/error_summary.html): the focus
// goes to its first error, so a failed submit is seen at once; a link moves to its field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  var first = summary.querySelector("a[data-error-field]");
  (first || summary).focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-error-field]");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("data-error-field"));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });
})();
