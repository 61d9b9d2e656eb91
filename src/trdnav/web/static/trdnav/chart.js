// Draws one trend chart per instrument from the page's single JSON block (#chart-data).
// The x axis is linear in milliseconds, so no date adapter is needed.
(function () {
  "use strict";
  var DAY = 86400000;
  var COLOURS = { response: "#1e6b3a", remission: "#2456a6" };

  function when(iso) { return Date.parse(iso + "T00:00:00Z"); }
  function label(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function thresholdLine(line, first, last) {
    return {
      label: line.label + (line.status === "unverified" ? " (unverified)" : ""),
      data: [{ x: first, y: line.value }, { x: last, y: line.value }],
      borderColor: COLOURS[line.kind] || "#5b6478",
      borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false
    };
  }

  function draw(canvas, series) {
    var points = series.points.map(function (p) { return { x: when(p[0]), y: p[1] }; });
    var first = points[0].x, last = Math.max(points[points.length - 1].x, first + DAY);
    var datasets = [{
      label: series.label, data: points, borderColor: "#1d2433", backgroundColor: "#1d2433",
      borderWidth: 2, pointRadius: points.length > 60 ? 0 : 3, tension: 0
    }].concat(series.thresholds.map(function (t) { return thresholdLine(t, first, last); }));
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
        scales: {
          x: { type: "linear", min: first, max: last, ticks: { callback: label, maxTicksLimit: 8 } },
          y: { min: series.min, max: series.max, title: { display: true, text: "total" } }
        },
        plugins: { tooltip: { callbacks: { title: function (items) { return label(items[0].parsed.x); } } } }
      }
    });
  }

  function start() {
    var node = document.getElementById("chart-data");
    if (!node || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      draw(canvas, data[Number(canvas.getAttribute("data-series"))]);
    });
    document.documentElement.setAttribute("data-charts-ready", String(data.length));
  }

  // Printing shows every option's evidence, not only the ones opened on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.option").forEach(function (d) { d.open = true; });
  });
  document.addEventListener("DOMContentLoaded", start);
})();
