// Calibration screen: the rater severity chart (Chart.js 4, vendored). Data from the json_script block named by
// the canvas: {labels, values, low, high}; each rater's effect as a bar, its 95 % range as a thin bar behind it.
(function () {
  "use strict";
  function draw() {
    if (typeof Chart === "undefined") return;
    var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
    document.querySelectorAll("canvas[data-calib-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.calibChart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var box = canvas.parentElement;
      box.style.height = Math.max(10, 2.2 * data.labels.length + 4) + "rem";
      var ranges = data.labels.map(function (_, i) {
        return data.low[i] === null ? null : [data.low[i], data.high[i]];
      });
      var colours = data.values.map(function (v) { return v >= 0 ? "#c0392b" : "#2471a3"; });
      var tick = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
      var fmt = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            { label: lang === "en-US" ? "Effect" : "Efek", data: data.values, backgroundColor: colours, barPercentage: 0.6, order: 1 },
            { label: lang === "en-US" ? "95 % range" : "Rentang 95 %", data: ranges, backgroundColor: "rgba(0,0,0,0.12)",
              barPercentage: 0.15, grouped: false, order: 2 }
          ]
        },
        options: {
          locale: lang,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: "y",
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (ctx) {
              var v = ctx.raw;
              if (Array.isArray(v)) return ctx.dataset.label + ": " + fmt.format(v[0]) + " … " + fmt.format(v[1]);
              return ctx.dataset.label + ": " + fmt.format(v);
            } } }
          },
          scales: { x: { ticks: { callback: function (v) { return tick.format(v); } } }, y: { ticks: { autoSkip: false } } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
