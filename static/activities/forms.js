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
      document.querySelectorAll("tr:not([hidden]) select.js-status").forEach(function (select) {
        select.value = "present";
      });
    });
  }
})();

/* The participant picker (templates/includes/participant_picker.html): a searchable list of the
   branch's people with shortcuts for the whole branch's members and each 党小组. On the activity
   form "添加所选人员" fills the formset's rows; on the attendance sheet it puts the chosen people
   on the sheet (their rows shown, marked 出席). Works with the keyboard (checkboxes, buttons)
   and on a phone; without JavaScript the rows below still work one by one. */
(function () {
  "use strict";
  var picker = document.getElementById("participant-picker");
  if (!picker) {
    return;
  }
  var template = document.getElementById("participant-template");
  var sheet = document.getElementById("attendance-sheet");
  var shortcuts = JSON.parse(document.getElementById("participant-shortcuts").textContent);
  var choices = document.getElementById("participant-choices");
  var search = document.getElementById("participant-search");
  var status = document.getElementById("participant-picker-status");

  // The people to choose from: given as JSON by the page, or read from the row template.
  var people = [];
  var given = document.getElementById("participant-people");
  if (given) {
    people = JSON.parse(given.textContent);
  } else if (template) {
    template.content.querySelectorAll("select[name$='-person'] option").forEach(function (option) {
      if (option.value) {
        people.push({ id: option.value, name: option.textContent });
      }
    });
  }

  people.forEach(function (person) {
    var id = "pick-person-" + person.id;
    var wrapper = document.createElement("div");
    wrapper.className = "form-check";
    wrapper.dataset.name = person.name;
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.id = id;
    box.value = String(person.id);
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = id;
    label.textContent = person.name;
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

  // The activity form: each chosen person fills an empty participant row (a new one if none).
  function addToActivity(personId, already) {
    if (already[personId]) {
      return false;
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
    empty.value = personId;
    already[personId] = true;
    return true;
  }

  function chosenInRows() {
    var chosen = {};
    document.querySelectorAll("#participant-rows select[name$='-person']").forEach(function (select) {
      if (select.value) {
        chosen[select.value] = true;
      }
    });
    return chosen;
  }

  // The attendance sheet: a chosen person's row is shown and marked 出席 (rows already on the
  // sheet keep what they say).
  function addToSheet(personId) {
    var row = document.getElementById("attendance-row-" + personId);
    if (!row || !row.hidden) {
      return false;
    }
    row.hidden = false;
    var select = row.querySelector("select.js-status");
    if (select && !select.value) {
      select.value = "present";
    }
    return true;
  }

  document.getElementById("add-chosen-participants").addEventListener("click", function () {
    var already = template ? chosenInRows() : null;
    var added = 0;
    var onSheet = 0;
    choices.querySelectorAll("input:checked").forEach(function (checked) {
      var done = sheet ? addToSheet(checked.value) : addToActivity(checked.value, already);
      if (done) {
        added += 1;
      } else {
        onSheet += 1;
      }
      checked.checked = false;
    });
    var text = "已添加 " + added + " 人。";
    if (sheet && onSheet) {
      text += onSheet + " 人已在名单中。";
    }
    status.textContent = text;
    if (sheet) {
      var count = document.getElementById("attendance-count");
      if (count) {
        count.textContent = String(sheet.querySelectorAll("tr.attendance-row:not([hidden])").length);
      }
    }
  });
})();
