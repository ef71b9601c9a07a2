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
