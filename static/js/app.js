// Registry page behaviour: filter forms submit on change, charts render from JSON blocks.
(function () {
  "use strict";

  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () {
      const form = select.form;
      const page = form.querySelector("input[name=page]");
      if (page) page.remove();
      form.submit();
    });
  });

  function readData(el) {
    const block = document.getElementById(el.id + "-data");
    return block ? JSON.parse(block.textContent) : null;
  }

  const palette = ["#b3261e", "#1f4e8c", "#3d8bd9", "#8fa3bf", "#2e7d32", "#f9a825"];

  const builders = {
    "stacked-bar": function (data) {
      return {
        color: data.colors || palette,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, width: 90, overflow: "break" } },
        yAxis: { type: "value" },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "total", data: s.data, emphasis: { focus: "series" } };
        }),
      };
    },
    "stacked-hbar": function (data) {
      return {
        color: data.colors || palette,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.categories.slice().reverse() },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "total", data: s.data.slice().reverse(), emphasis: { focus: "series" } };
        }),
      };
    },
    "hbar": function (data) {
      return {
        color: [palette[1]],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 24, bottom: 8, top: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.categories.slice().reverse() },
        series: [{ type: "bar", data: data.values.slice().reverse(), label: { show: true, position: "right" } }],
      };
    },
  };

  window.registryCharts = window.registryCharts || {};
  window.registryCharts.builders = builders;
  window.registryCharts.palette = palette;

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    if (typeof echarts === "undefined") return;
    const build = builders[el.dataset.chart];
    const data = readData(el);
    if (!build || !data) return;
    el.style.height = (el.dataset.height || 320) + "px";
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(data));
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "true";
  });

  // Forms that close something for good ask first (data-confirm holds the question).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
