/* The admin view: figures as cards, two charts drawn as inline SVG, the conversation list. */
(function () {
  "use strict";
  var C = window.kefuConsole, SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pct(x) { return (100 * x).toFixed(1) + "%"; }
  function ms(x) { return x === null ? "–" : Math.round(x) + " ms"; }

  function barChart(target, entries, color) {
    var width = 560, row = 22, left = 170;
    var max = Math.max.apply(null, entries.map(function (e) { return e[1]; }).concat([1]));
    var chart = svg("svg", { width: "100%", viewBox: "0 0 " + width + " " + (entries.length * row + 6), role: "img" });
    entries.forEach(function (e, i) {
      var y = i * row + 3, w = (width - left - 50) * e[1] / max;
      chart.appendChild(svg("text", { x: left - 6, y: y + 14, "text-anchor": "end", "font-size": 12 }, e[0]));
      chart.appendChild(svg("rect", { x: left, y: y + 2, width: Math.max(w, 1), height: row - 6, rx: 3, fill: color }));
      chart.appendChild(svg("text", { x: left + w + 4, y: y + 14, "font-size": 12 }, String(e[1])));
    });
    target.innerHTML = "";
    target.appendChild(chart);
  }

  function load() {
    Promise.all([C.api("GET", "/api/v1/admin/stats"), C.api("GET", "/api/v1/admin/conversations?limit=100")])
      .then(function (res) {
        var s = res[0], rows = res[1];
        var cards = document.getElementById("cards");
        cards.innerHTML = "";
        [["Conversations", s.conversations], ["Customer messages", s.turns],
         ["Containment", pct(s.containment_rate)], ["Hand-off rate", pct(s.handoff_rate)],
         ["Reply latency p50", ms(s.latency_p50_ms)], ["Reply latency p95", ms(s.latency_p95_ms)]]
          .forEach(function (c) {
            var card = C.el("div", "card");
            card.appendChild(C.el("div", "value", String(c[1])));
            card.appendChild(C.el("div", "label", c[0]));
            cards.appendChild(card);
          });
        barChart(document.getElementById("rates"),
                 [["resolved by kefu", s.engaged - s.handoffs], ["handed to a human", s.handoffs]], "#d9480f");
        var intents = Object.keys(s.intents).map(function (k) { return [k, s.intents[k]]; }).slice(0, 15);
        barChart(document.getElementById("intents"), intents, "#1c7ed6");
        var body = document.getElementById("rows");
        body.innerHTML = "";
        rows.forEach(function (r) {
          var tr = document.createElement("tr");
          [r.conversation_id, r.customer_id || "–", r.turns, r.last_intent || "–", r.handed_off ? "yes" : "",
           r.agent || "", r.language || "", new Date(r.updated_at * 1000).toLocaleString()]
            .forEach(function (v) { tr.appendChild(C.el("td", "", String(v))); });
          body.appendChild(tr);
        });
      }).catch(function (err) { document.getElementById("admin-error").textContent = err.message; });
  }

  C.signIn(function () {
    document.getElementById("admin").hidden = false;
    load();
    setInterval(load, 10000);
  });
})();
