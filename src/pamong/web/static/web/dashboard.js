// Dashboard charts (Chart.js 4, vendored). Data comes from json_script blocks; the same numbers are in tables.
// Long category labels (OPD names, employment statuses) are wrapped to two lines and shortened with "…" to fit
// the axis (measured in the tick font); the tooltip still shows the full name (Chart.js takes it from the data,
// not from the tick).
(function () {
  "use strict";
  var measure = null;

  function width(text) {
    return measure ? measure.measureText(text).width : text.length * 7;
  }

  // Wrap to at most two lines no wider than maxPx (measured in the tick font), shortening the last with "…".
  function fit(label, maxPx) {
    var words = String(label).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (width(next) > maxPx && line) { lines.push(line); line = w; } else { line = next; }
    });
    if (line) lines.push(line);
    var cut = lines.length > 2;
    lines = lines.slice(0, 2);
    lines = lines.map(function (l, i) {
      var last = i === lines.length - 1;
      if (width(l) <= maxPx && !(last && cut)) return l;
      while (l.length > 1 && width(l + "…") > maxPx) l = l.slice(0, -1);
      return l.replace(/[\s,]+$/, "") + "…";
    });
    return lines.length === 1 ? lines[0] : lines;
  }
  window.pamongFitLabel = fit; // for the browser test

  function draw() {
    if (typeof Chart === "undefined") return;
    measure = document.createElement("canvas").getContext("2d");
    measure.font = Chart.helpers.toFont(Chart.defaults.font).string;
    var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var type = canvas.dataset.type || "bar";
      var horizontal = canvas.dataset.horizontal === "1";
      var box = canvas.parentElement.clientWidth || 300;
      // a horizontal bar's names get up to 40 % of the width; a vertical bar's labels one column (plus a bit,
      // as Chart.js may tilt them)
      var max = horizontal ? Math.max(60, box * 0.4) : Math.max(50, (box / Math.max(1, data.labels.length)) * 1.4);
      var category = {
        ticks: {
          autoSkip: false,
          callback: function (value) { return fit(this.getLabelForValue(value), max); }
        }
      };
      var count = { beginAtZero: true, ticks: { precision: 0 } };
      new Chart(canvas, {
        type: type,
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values }] },
        options: {
          locale: lang,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: type === "doughnut" || type === "pie" } },
          scales: type === "bar" ? (horizontal ? { x: count, y: category } : { x: category, y: count }) : {}
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
