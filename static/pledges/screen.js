// The electronic screen (电子屏) of the 公示 page: shows one published pledge at a time, moves on
// every N seconds, and fetches the data again every M seconds (both from data-* attributes).
// Text is set with textContent only, never as HTML. No framework, no controls.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var stage = document.getElementById("screen-stage");
  var counter = document.getElementById("screen-counter");
  var windowText = document.getElementById("screen-window");
  var clock = document.getElementById("screen-clock");
  var bar = document.getElementById("screen-progress-bar");
  var seconds = parseInt(root.getAttribute("data-seconds"), 10) || 15;
  var refresh = parseInt(root.getAttribute("data-refresh"), 10) || 60;
  var url = root.getAttribute("data-url");
  var data = JSON.parse(document.getElementById("screen-data").textContent);
  var index = 0;
  var MIN_FONT = 12;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function pledges() {
    return data.open ? data.pledges : [];
  }

  function showMessage(text) {
    stage.replaceChildren(el("p", "screen-message", text));
    counter.textContent = "";
  }

  function itemNode(item) {
    var li = el("li");
    li.appendChild(el("span", "screen-item-title", item.title));
    if (item.done) {
      li.appendChild(el("span", "screen-badge done", "已完成"));
    } else if (item.overdue) {
      li.appendChild(el("span", "screen-badge overdue", "逾期"));
    } else {
      li.appendChild(el("span", "screen-badge open", "进行中"));
    }
    if (item.fulfilment) { li.appendChild(el("span", "screen-badge rated", item.fulfilment)); }
    var meta = [];
    if (item.target) { meta.push("目标：" + item.target); }
    meta.push("时限：" + (item.deadline || "—"));
    if (item.progress) { meta.push("进展：" + item.progress); }
    li.appendChild(el("span", "screen-item-meta", meta.join("　")));
    return li;
  }

  function pledgeNode(pledge) {
    var card = el("article", "screen-pledge");
    card.setAttribute("data-pledge", String(pledge.id));
    var who = el("div", "screen-who");
    who.appendChild(el("h2", "screen-name", pledge.name));
    who.appendChild(el("span", "screen-meta", [pledge.post, pledge.group].filter(Boolean).join(" · ")));
    who.appendChild(el("span", "screen-standard", "对照“" + pledge.standard + "”"));
    card.appendChild(who);
    if (pledge.summary) { card.appendChild(el("p", "screen-summary", pledge.summary)); }
    var body = el("div", "screen-body");
    var points = el("dl", "screen-points");
    pledge.points.forEach(function (point) {
      var row = el("div", "screen-point");
      row.appendChild(el("dt", null, point.label));
      row.appendChild(el("dd", null, point.text));
      points.appendChild(row);
    });
    body.appendChild(points);
    var items = el("section", "screen-items");
    items.appendChild(el("h3", null, "承诺事项"));
    var list = el("ol");
    pledge.items.forEach(function (item) { list.appendChild(itemNode(item)); });
    items.appendChild(list);
    body.appendChild(items);
    card.appendChild(body);
    card.appendChild(el("div", "screen-signature", "承诺人：" + pledge.signature + "　" + pledge.signed_on));
    return card;
  }

  // The largest type (up to 130 %) at which the pledge fits the screen; long ones shrink.
  function fit() {
    var size = 130;
    stage.style.fontSize = size + "%";
    while (stage.scrollHeight > stage.clientHeight + 1 && size > 55) {
      size -= 5;
      stage.style.fontSize = size + "%";
    }
    if (parseFloat(getComputedStyle(stage).fontSize) < MIN_FONT) {
      stage.style.fontSize = MIN_FONT + "px";
    }
  }

  function restartBar() {
    bar.classList.remove("running");
    bar.style.transitionDuration = "0s";
    void bar.offsetWidth; // start the transition again from zero
    bar.style.transitionDuration = seconds + "s";
    bar.classList.add("running");
  }

  function render() {
    var list = pledges();
    if (data.window && data.window.start) {
      windowText.textContent = "公示期：" + data.window.start + " 至 " + (data.window.end || "长期");
    } else {
      windowText.textContent = "";
    }
    if (!data.open) {
      showMessage("当前不在公示期内");
      return;
    }
    if (!list.length) {
      showMessage("暂无已签署的承诺书");
      return;
    }
    index = index % list.length;
    stage.replaceChildren(pledgeNode(list[index]));
    counter.textContent = (index + 1) + " / " + list.length;
    fit();
    restartBar();
  }

  function next() {
    var list = pledges();
    if (list.length) { index = (index + 1) % list.length; }
    render();
  }

  function load() {
    var current = pledges()[index];
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (fresh) {
        var wasEmpty = pledges().length === 0;
        data = fresh;
        var list = pledges();
        // Stay on the same pledge if it is still there.
        for (var i = 0; current && i < list.length; i++) {
          if (list[i].id === current.id) { index = i; break; }
        }
        if (wasEmpty || !list.length) { render(); }
      })
      .catch(function () { /* keep showing what we have; try again at the next refresh */ });
  }

  function tick() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    clock.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 " +
      two(now.getHours()) + ":" + two(now.getMinutes());
  }

  render();
  tick();
  setInterval(next, seconds * 1000);
  setInterval(load, refresh * 1000);
  setInterval(tick, 10 * 1000);
})();
