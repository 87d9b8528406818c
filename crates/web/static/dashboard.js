// Bảng điều hành: draws the charts from the JSON the page carries (no inline script:
// the Content-Security-Policy allows scripts from this server only). The tables under
// each chart hold the same numbers, for print and screen readers.
(function () {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var src = document.getElementById(canvas.getAttribute("data-chart"));
    if (!src) return;
    var spec;
    try { spec = JSON.parse(src.textContent); } catch (e) { return; }
    var fmt = function (v) {
      return v === null || v === undefined ? "–" : Number(v).toLocaleString("vi-VN", { maximumFractionDigits: 2 });
    };
    new Chart(canvas, {
      type: spec.type || "line",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          var colours = ["#0b4a8b", "#c8102e", "#2e7d32", "#ef6c00"];
          return {
            label: s.label, data: s.data, yAxisID: s.axis || "y",
            borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length],
            spanGaps: true, tension: 0.2
          };
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + fmt(c.parsed.y); } } } },
        scales: spec.scales || {}
      }
    });
  });
})();
