/* The dashboard's three charts, drawn with the vendored Chart.js from the data in #dashboard-charts. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#b5121b", "#e0812b", "#d4a017", "#2f7d4f", "#2d6aa3", "#7a4fa0", "#6c757d"];
  Chart.defaults.font.family =
    'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  }

  var months = data.activities_by_month;
  draw("chart-activities", {
    type: "bar",
    data: {
      labels: months.labels,
      datasets: months.datasets.map(function (set, i) {
        return { label: set.label, data: set.data, backgroundColor: palette[i % palette.length] };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });

  var pledges = data.pledge_status;
  draw("chart-pledges", {
    type: "bar",
    data: {
      labels: pledges.labels,
      datasets: [{ label: "承诺书", data: pledges.data, backgroundColor: palette.slice(0, pledges.data.length) }],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });

  var attendance = data.attendance_by_kind;
  draw("chart-attendance", {
    type: "bar",
    data: {
      labels: attendance.labels,
      datasets: [{ label: "出席率（%）", data: attendance.data, backgroundColor: "#b5121b" }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (context) {
              return "出席率 " + context.parsed.y + "%（" + attendance.meetings[context.dataIndex] + " 次会议）";
            },
          },
        },
      },
      scales: { y: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
    },
  });
})();
