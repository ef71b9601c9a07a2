// The check-in button: ask the browser for the position, fill the hidden fields, then send the form. Without a
// position (refused, unavailable, no answer in 15 s) the form is sent without one: the server decides.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("checkin-form");
    if (!form || !navigator.geolocation) return;
    var status = document.getElementById("checkin-status");
    var button = document.getElementById("checkin-button");
    var sent = false;
    form.addEventListener("submit", function (ev) {
      if (sent) return;
      ev.preventDefault();
      button.disabled = true;
      status.textContent = form.dataset.locating;
      var send = function () { sent = true; form.submit(); };
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("checkin-lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("checkin-lon").value = pos.coords.longitude.toFixed(6);
        send();
      }, function () {
        status.textContent = form.dataset.denied;
        send();
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
