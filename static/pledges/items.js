// The pledge form: "＋ 再加一项" appends an empty item form (Django formset, no framework).
(function () {
  "use strict";
  var button = document.getElementById("add-item");
  var template = document.getElementById("item-template");
  var list = document.getElementById("item-forms");
  if (!button || !template || !list) {
    return;
  }
  var prefix = button.getAttribute("data-prefix");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var fields = list.lastElementChild.querySelectorAll("input, textarea");
    if (fields.length) {
      fields[0].focus();
    }
  });
})();
