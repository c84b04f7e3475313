/* Dashboard charts (ECharts, vendored). The figures are also in the tables beside each chart,
   so the page works without script; a click on a bar or slice opens the projects behind it. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  // Tooltips are drawn on the canvas ("richText"): ECharts' HTML tooltips carry inline
  // style attributes, which the site's Content-Security-Policy (style-src 'self') refuses.
  var font = '"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif';
  var colors = ["#1f3a5f", "#1f5fa8", "#5b8fd0", "#9cc0e8", "#d49b00", "#b3261e", "#9aa6b5"];

  function drill(chart, urls) {
    chart.on("click", function (p) { if (urls[p.dataIndex]) { window.location.href = urls[p.dataIndex]; } });
  }
  function make(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  var bands = make("chart-bands");
  if (bands) {
    bands.setOption({
      textStyle: { fontFamily: font }, color: colors, animation: false,
      grid: { left: 40, right: 12, top: 16, bottom: 40 }, tooltip: { trigger: "item", renderMode: "richText" },
      xAxis: { type: "category", data: data.bands.labels, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: data.bands.title, data: data.bands.counts, cursor: "pointer",
                 itemStyle: { color: function (p) { return p.dataIndex >= 5 ? "#b3261e" : (p.dataIndex < 2 ? "#d49b00" : "#1f5fa8"); } },
                 label: { show: true, position: "top" } }]
    });
    drill(bands, data.bands.urls);
  }

  var grades = make("chart-grades");
  if (grades) {
    grades.setOption({
      textStyle: { fontFamily: font }, animation: false, tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      color: ["#1e7b3a", "#1f5fa8", "#d49b00", "#b3261e"],
      series: [{ type: "pie", radius: ["35%", "70%"], cursor: "pointer", name: data.grades.title,
                 label: { formatter: "{b} {c}" },
                 data: data.grades.labels.map(function (l, i) { return { name: l, value: data.grades.counts[i] }; }) }]
    });
    drill(grades, data.grades.urls);
  }

  var depts = make("chart-departments");
  if (depts) {
    depts.setOption({
      textStyle: { fontFamily: font }, animation: false, color: ["#9cc0e8", "#1f3a5f"],
      legend: { data: [data.departments.budget_label, data.departments.actual_label] },
      tooltip: { trigger: "axis", renderMode: "richText" }, grid: { left: 70, right: 12, top: 30, bottom: 60 },
      xAxis: { type: "category", data: data.departments.labels,
               axisLabel: { interval: 0, fontSize: 11, width: 120, overflow: "truncate" } },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: data.departments.budget_label, data: data.departments.budget, cursor: "pointer" },
        { type: "bar", name: data.departments.actual_label, data: data.departments.actual, cursor: "pointer" }
      ]
    });
    drill(depts, data.departments.urls);
  }
})();
