/* Small helpers for the activities forms: add a participant row; mark everyone present. */
(function () {
  "use strict";
  var addButton = document.getElementById("add-participant");
  if (addButton) {
    addButton.addEventListener("click", function () {
      var total = document.getElementById("id_people-TOTAL_FORMS");
      var template = document.getElementById("participant-template");
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      document.getElementById("participant-rows").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  }

  var allPresent = document.getElementById("mark-all-present");
  if (allPresent) {
    allPresent.addEventListener("click", function () {
      document.querySelectorAll("select.js-status").forEach(function (select) {
        select.value = "present";
      });
    });
  }
})();
