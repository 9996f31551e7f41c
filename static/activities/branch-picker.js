/* The branch picker submits itself when a branch is chosen (the button stays for no-script use). */
(function () {
  "use strict";
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    var button = select.form.querySelector(".js-autosubmit-button");
    if (button) {
      button.classList.add("d-none");
    }
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
