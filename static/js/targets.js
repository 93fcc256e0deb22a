// Target pages: the actual-over-time chart, the breakdown bar chart (click to drill down)
// and confirmations for delete buttons. Data come from <script type="application/json">.
(function () {
  "use strict";

  const palette = (window.registryCharts && window.registryCharts.palette) || ["#b3261e", "#1f4e8c"];

  function readData(el) {
    const block = document.getElementById(el.id + "-data");
    return block ? JSON.parse(block.textContent) : null;
  }

  function formatter(percent) {
    return function (value) {
      if (value === null || value === undefined) return "—";
      if (percent) return (value * 100).toFixed(1).replace(/\.0$/, "") + "%";
      return Number(value).toLocaleString();
    };
  }

  function seriesOption(data) {
    const fmt = formatter(data.percent);
    const actual = data.days.map(function (day, i) { return [day, data.actual[i]]; });
    return {
      color: [palette[1], "#8a8a8a", palette[0]],
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 72, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "time" },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: [
        { name: data.labels.actual, type: "line", step: "end", showSymbol: actual.length < 30, data: actual },
        { name: data.labels.pace, type: "line", showSymbol: false, lineStyle: { type: "dashed" }, data: data.pace },
        {
          name: data.labels.value, type: "line", showSymbol: false, data: [],
          markLine: { symbol: "none", label: { formatter: data.labels.value + " " + fmt(data.value) }, data: [{ yAxis: data.value }] },
        },
      ],
    };
  }

  function breakdownOption(data) {
    const fmt = formatter(data.percent);
    return {
      color: [palette[1]],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      grid: { left: 8, right: 48, bottom: 8, top: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: fmt }, max: data.percent ? 1 : null },
      yAxis: { type: "category", data: data.categories.slice().reverse() },
      series: [{
        type: "bar", data: data.values.slice().reverse(), cursor: "pointer",
        label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
      }],
    };
  }

  const builders = { series: seriesOption, breakdown: breakdownOption };

  document.querySelectorAll("[data-target-chart]").forEach(function (el) {
    if (typeof echarts === "undefined") return;
    const data = readData(el);
    const build = builders[el.dataset.targetChart];
    if (!data || !build) return;
    el.style.height = (el.dataset.height || 300) + "px";
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(data));
    if (data.links) {
      const links = data.links.slice().reverse();
      chart.on("click", function (params) {
        const link = links[params.dataIndex];
        if (link) window.location.assign(link);
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "true";
  });

  document.querySelectorAll("form.confirm-submit").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
