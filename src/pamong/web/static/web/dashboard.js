// Dashboard charts (Chart.js 4, vendored). Data comes from json_script blocks; the same numbers are in tables.
(function () {
  "use strict";
  function draw() {
    if (typeof Chart === "undefined") return;
    var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var type = canvas.dataset.type || "bar";
      var horizontal = canvas.dataset.horizontal === "1";
      new Chart(canvas, {
        type: type,
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values }] },
        options: {
          locale: lang,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: type === "doughnut" || type === "pie" } },
          scales: type === "bar" ? { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } : {}
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
