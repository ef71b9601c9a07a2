// Pamong: small progressive enhancements. Every page works without JavaScript; htmx makes lists live.
(function () {
  "use strict";
  function showError() {
    var box = document.getElementById("htmx-error");
    if (!box) return;
    box.textContent = document.body.dataset.msgError || "Error";
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("htmx-error");
    if (box) box.hidden = true;
  });
})();

// "Pilih semua": a checkbox with data-check-all="NAME" ticks every checkbox named NAME in its form.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.checkAll || !box.form) return;
    box.form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.checkAll + '"]').forEach(function (c) {
      c.checked = box.checked;
    });
  });
})();
