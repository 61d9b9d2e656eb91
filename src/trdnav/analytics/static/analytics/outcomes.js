// Draws the outcome report's three charts from the page's JSON block (#outcomes-data).
// Every chart has a table with the same numbers on the page.
(function () {
  "use strict";
  var PALETTE = ["#1e6b3a", "#2456a6", "#8a4b08", "#6b2c91", "#1d2433", "#a12a2a", "#0f6e6e", "#5b6478"];

  function rates(canvas, data) {
    var labels = data.rates.map(function (r) { return r.label; });
    function values(kind) { return data.rates.map(function (r) { return r[kind] ? 100 * r[kind][0] : null; }); }
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [
        { label: "Response %", data: values("response"), backgroundColor: PALETTE[0] },
        { label: "Remission %", data: values("remission"), backgroundColor: PALETTE[1] }
      ] },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } }
    });
  }

  function curves(canvas, data) {
    function points(kind) { return data.curves[kind].map(function (p) { return { x: p[0], y: 100 * p[1] }; }); }
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: [
        { label: "Responded %", data: points("response"), borderColor: PALETTE[0], stepped: true, pointRadius: 0 },
        { label: "Remitted %", data: points("remission"), borderColor: PALETTE[1], stepped: true, pointRadius: 0 }
      ] },
      options: { animation: false, maintainAspectRatio: false, parsing: false,
        scales: { x: { type: "linear", title: { display: true, text: "days" } }, y: { min: 0, max: 100 } } }
    });
  }

  function weekly(canvas, data) {
    var names = Object.keys(data.weekly);
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: names.map(function (name, i) {
        return { label: name, borderColor: PALETTE[i % PALETTE.length], pointRadius: 2,
          data: data.weekly[name].map(function (p) { return { x: p[0], y: p[1] }; }) };
      }) },
      options: { animation: false, maintainAspectRatio: false, parsing: false,
        scales: { x: { type: "linear", title: { display: true, text: "week" } },
          y: { title: { display: true, text: "mean change" } } } }
    });
  }

  function start() {
    var block = document.getElementById("outcomes-data");
    if (!block || !window.Chart) { return; }
    var data = JSON.parse(block.textContent);
    var draw = { "chart-rates": rates, "chart-curves": curves, "chart-weekly": weekly };
    Object.keys(draw).forEach(function (id) {
      var canvas = document.getElementById(id);
      if (canvas) { draw[id](canvas, data); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
