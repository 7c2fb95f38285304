/* Draws each dashboard figure with Chart.js from the numbers in its json_script block.
   The same numbers are in the table under each chart, so nothing depends on this script. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var palette = ["#611232", "#0b5394", "#1d5b2d", "#8a4b00", "#4a4a4a", "#6a1b9a", "#a4121a", "#00616b"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Chart.defaults.font.family = '"DejaVu Sans", system-ui, sans-serif';
  window.Chart.defaults.color = "#1b1b1b";

  document.querySelectorAll("canvas[data-figure]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var doughnut = figure.type === "doughnut";
    var datasets = figure.series.map(function (series, i) {
      var colour = palette[i % palette.length];
      return {
        label: series.label,
        data: series.values,
        backgroundColor: doughnut ? figure.labels.map(function (_, j) { return palette[j % palette.length]; }) : colour,
        borderColor: doughnut ? "#ffffff" : colour,
        borderWidth: figure.type === "line" ? 3 : 1,
        pointStyle: ["circle", "rect", "triangle", "rectRot", "star", "cross"][i % 6],
        pointRadius: 4,
        fill: false,
        tension: 0.1
      };
    });
    var valueAxis = { stacked: figure.stacked, beginAtZero: true, ticks: { precision: 0 } };
    var labelAxis = { stacked: figure.stacked };
    var scales = doughnut ? {} : (figure.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis });
    new window.Chart(canvas, {
      type: figure.type,
      data: { labels: figure.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: figure.horizontal ? "y" : "x",
        animation: reduceMotion ? false : { duration: 400 },
        plugins: { legend: { display: doughnut || figure.series.length > 1, position: "bottom" } },
        scales: scales
      }
    });
  });
}());
