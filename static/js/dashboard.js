// The trend chart of the per-street dashboard: data comes from a json_script element (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("trend-chart");
  const data = document.getElementById("trend-data");
  if (!element || !data || !window.echarts) return;
  const trend = JSON.parse(data.textContent);
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 32, right: 16, top: 40, bottom: 40 },
    xAxis: { type: "category", data: trend.quarters },
    yAxis: { type: "value", minInterval: 1, name: element.dataset.label },
    series: trend.series.map((s) => ({ name: s.name, type: "line", data: s.data, smooth: false })),
  });
  window.addEventListener("resize", () => chart.resize());
});
