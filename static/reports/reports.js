/* Reports: the print button, and the narrative editor's live preview and placeholder list.
   The preview is rendered (and escaped) by the server; this only posts the text and shows it. */
(function () {
  "use strict";

  document.querySelectorAll("[data-report-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var box = document.getElementById("narrative-preview");
  var text = document.querySelector("textarea.narrative-text");
  if (!box || !text) { return; }
  var form = text.form;
  var timer = null;

  function refresh() {
    var data = new FormData();
    data.append("text", text.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(box.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* keep the last preview */ });
  }

  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });

  document.querySelectorAll("[data-placeholder]").forEach(function (button) {
    button.addEventListener("click", function () {
      var insert = "【" + button.dataset.placeholder + "】";
      var start = text.selectionStart, end = text.selectionEnd;
      text.value = text.value.slice(0, start) + insert + text.value.slice(end);
      text.focus();
      text.selectionStart = text.selectionEnd = start + insert.length;
      refresh();
    });
  });
})();
