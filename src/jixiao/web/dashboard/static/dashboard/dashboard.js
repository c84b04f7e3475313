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

  // Below this width (a phone; the charts are one column) the labels are laid out for the
  // space: the bands' labels on two lines, the departments as horizontal bars with the names
  // on the left, so that no two labels overlap (tests/web/test_browser_dashboard_labels.py).
  var NARROW = 600;

  function drill(chart, urls) {
    chart.on("click", function (p) { if (urls[p.dataIndex]) { window.location.href = urls[p.dataIndex]; } });
  }
  // ``build(width)`` gives the chart's option for its width; it is applied again (replacing
  // the previous one) when a resize crosses NARROW.
  function make(id, build, urls) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var narrow = el.clientWidth < NARROW;
    chart.setOption(build(el.clientWidth));
    chart.resize();  // the option may have changed the element's height
    drill(chart, urls);
    window.addEventListener("resize", function () {
      if ((el.clientWidth < NARROW) !== narrow) {
        narrow = !narrow;
        chart.setOption(build(el.clientWidth), { notMerge: true });
      }
      chart.resize();
    });
    return chart;
  }
  // Two lines: a range after its dash ("95%-" / "100%"), words at their spaces ("Below" /
  // "60%"), a word before its number, else a long word in halves (four characters: two each).
  function twoLines(label) {
    if (label.indexOf("–") > 0) { return label.replace("–", "–\n"); }
    if (/\s/.test(label)) { return label.replace(/\s+/g, "\n"); }
    var m = /^(\D+?)(\d.*)$/.exec(label);
    if (m) { return m[1] + "\n" + m[2]; }
    var half = Math.ceil(label.length / 2);
    return label.length >= 4 ? label.slice(0, half) + "\n" + label.slice(half) : label;
  }

  make("chart-bands", function (width) {
    var narrow = width < NARROW;
    return {
      textStyle: { fontFamily: font }, color: colors, animation: false,
      grid: { left: 40, right: 12, top: 16, bottom: narrow ? 48 : 40 }, tooltip: { trigger: "item", renderMode: "richText" },
      xAxis: { type: "category", data: data.bands.labels,
               axisLabel: { interval: 0, fontSize: narrow ? 10 : 11, lineHeight: 13, formatter: narrow ? twoLines : null } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: data.bands.title, data: data.bands.counts, cursor: "pointer",
                 itemStyle: { color: function (p) { return p.dataIndex >= 5 ? "#b3261e" : (p.dataIndex < 2 ? "#d49b00" : "#1f5fa8"); } },
                 label: { show: true, position: "top" } }]
    };
  }, data.bands.urls);

  make("chart-grades", function () {
    return {
      textStyle: { fontFamily: font }, animation: false, tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      color: ["#1e7b3a", "#1f5fa8", "#d49b00", "#b3261e"],
      series: [{ type: "pie", radius: ["35%", "70%"], cursor: "pointer", name: data.grades.title,
                 label: { formatter: "{b} {c}" },
                 data: data.grades.labels.map(function (l, i) { return { name: l, value: data.grades.counts[i] }; }) }]
    };
  }, data.grades.urls);

  var deptEl = document.getElementById("chart-departments");
  var deptCount = data.departments.labels.length;
  make("chart-departments", function (width) {
    var series = [
      { type: "bar", name: data.departments.budget_label, data: data.departments.budget, cursor: "pointer" },
      { type: "bar", name: data.departments.actual_label, data: data.departments.actual, cursor: "pointer" }
    ];
    var base = { textStyle: { fontFamily: font }, animation: false, color: ["#9cc0e8", "#1f3a5f"],
                 legend: { top: 0, data: [data.departments.budget_label, data.departments.actual_label] },
                 tooltip: { trigger: "axis", renderMode: "richText" }, series: series };
    if (width < NARROW) {
      // Horizontal bars, one row of 40 px per department (the largest on top), the names in
      // the left 40 % of the width, cut with an ellipsis (the table below has them in full).
      deptEl.style.height = Math.max(220, 70 + deptCount * 40) + "px";
      var names = Math.round(width * 0.4);
      base.grid = { left: names + 8, right: 16, top: 30, bottom: 28 };
      base.yAxis = { type: "category", data: data.departments.labels, inverse: true,
                     axisLabel: { interval: 0, fontSize: 11, width: names, overflow: "truncate" } };
      base.xAxis = { type: "value", splitNumber: 3, axisLabel: { hideOverlap: true } };
      return base;
    }
    deptEl.style.height = "";
    // Vertical bars: each name at most as wide as its bar group.
    var slot = Math.max(24, Math.floor((width - 82) / Math.max(1, deptCount)) - 8);
    base.grid = { left: 70, right: 12, top: 30, bottom: 60 };
    base.xAxis = { type: "category", data: data.departments.labels,
                   axisLabel: { interval: 0, fontSize: 11, width: Math.min(120, slot), overflow: "truncate" } };
    base.yAxis = { type: "value" };
    return base;
  }, data.departments.urls);
})();
