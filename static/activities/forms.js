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

/* The participant picker (activity form): a searchable list of the branch's people with
   shortcuts for the whole branch's members and each 党小组; "添加所选人员" fills the formset's rows.
   Works with the keyboard (checkboxes, buttons) and on a phone; without JavaScript the rows
   below still work one by one. */
(function () {
  "use strict";
  var picker = document.getElementById("participant-picker");
  var template = document.getElementById("participant-template");
  if (!picker || !template) {
    return;
  }
  var shortcuts = JSON.parse(document.getElementById("participant-shortcuts").textContent);
  var choices = document.getElementById("participant-choices");
  var search = document.getElementById("participant-search");
  var status = document.getElementById("participant-picker-status");
  var options = template.content.querySelectorAll("select[name$='-person'] option");

  options.forEach(function (option) {
    if (!option.value) {
      return;
    }
    var id = "pick-person-" + option.value;
    var wrapper = document.createElement("div");
    wrapper.className = "form-check";
    wrapper.dataset.name = option.textContent;
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.id = id;
    box.value = option.value;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = id;
    label.textContent = option.textContent;
    wrapper.appendChild(box);
    wrapper.appendChild(label);
    choices.appendChild(wrapper);
  });

  function box(personId) {
    return document.getElementById("pick-person-" + personId);
  }

  var buttons = document.getElementById("participant-shortcut-buttons");
  shortcuts.forEach(function (shortcut) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-sm";
    button.textContent = shortcut.label + "（" + shortcut.people.length + "人）";
    button.addEventListener("click", function () {
      shortcut.people.forEach(function (personId) {
        var found = box(personId);
        if (found) {
          found.checked = true;
        }
      });
      status.textContent = "已勾选" + shortcut.label + "。";
    });
    buttons.appendChild(button);
  });

  search.addEventListener("input", function () {
    var wanted = search.value.trim();
    choices.querySelectorAll(".form-check").forEach(function (row) {
      row.hidden = wanted !== "" && row.dataset.name.indexOf(wanted) === -1;
    });
  });

  function chosenInRows() {
    var chosen = {};
    document.querySelectorAll("#participant-rows select[name$='-person']").forEach(function (select) {
      if (select.value) {
        chosen[select.value] = true;
      }
    });
    return chosen;
  }

  document.getElementById("add-chosen-participants").addEventListener("click", function () {
    var already = chosenInRows();
    var added = 0;
    choices.querySelectorAll("input:checked").forEach(function (checked) {
      if (already[checked.value]) {
        return;
      }
      var empty = Array.prototype.find.call(
        document.querySelectorAll("#participant-rows select[name$='-person']"),
        function (select) { return !select.value; }
      );
      if (!empty) {
        document.getElementById("add-participant").click();
        var selects = document.querySelectorAll("#participant-rows select[name$='-person']");
        empty = selects[selects.length - 1];
      }
      empty.value = checked.value;
      already[checked.value] = true;
      checked.checked = false;
      added += 1;
    });
    status.textContent = "已添加 " + added + " 人。";
  });
})();
