/* The agent console: the queue of handed-off conversations, take over, reply, hand back. */
(function () {
  "use strict";
  var C = window.kefuConsole, me = null, current = null, stream = null, lastIndex = -1;

  function renderLine(line) {
    var box = document.getElementById("lines");
    var who = line.role === "agent" ? (line.agent || "agent") : line.role;
    var el = C.el("div", "line " + line.role);
    el.setAttribute("data-role", line.role);
    el.title = who + " · " + new Date(line.timestamp * 1000).toLocaleTimeString();
    el.textContent = line.text;
    box.appendChild(el);
    box.scrollTop = box.scrollHeight;
    lastIndex = Math.max(lastIndex, line.index);
  }

  function showControls(transcript) {
    var mine = transcript.agent === me.name;
    document.getElementById("take").hidden = mine;
    document.getElementById("handback").hidden = !mine;
    document.getElementById("reply").hidden = !mine;
  }

  function open(item) {
    current = item;
    document.getElementById("pick").hidden = true;
    document.getElementById("detail").hidden = false;
    document.getElementById("conv-title").textContent = item.conversation_id + (item.customer_id ? " · " + item.customer_id : "");
    document.getElementById("summary").textContent = item.summary;
    document.getElementById("action-error").textContent = "";
    var items = document.querySelectorAll(".queue-item");
    for (var i = 0; i < items.length; i++) items[i].classList.toggle("active", items[i].getAttribute("data-id") === item.conversation_id);
    C.api("GET", "/api/v1/conversations/" + encodeURIComponent(item.conversation_id)).then(function (tr) {
      document.getElementById("lines").innerHTML = "";
      lastIndex = -1;
      tr.lines.forEach(renderLine);
      showControls(tr);
      if (stream) stream.close();
      stream = new EventSource("/api/v1/conversations/" + encodeURIComponent(item.conversation_id) + "/stream?after=" + lastIndex);
      stream.addEventListener("line", function (ev) {
        var line = JSON.parse(ev.data);
        if (line.index > lastIndex) renderLine(line);
      });
    });
  }

  function loadQueue() {
    C.api("GET", "/api/v1/agent/queue").then(function (items) {
      var box = document.getElementById("queue");
      box.innerHTML = "";
      document.getElementById("queue-empty").hidden = items.length > 0;
      items.forEach(function (item) {
        var el = C.el("div", "queue-item");
        el.setAttribute("data-id", item.conversation_id);
        if (current && current.conversation_id === item.conversation_id) el.classList.add("active");
        el.appendChild(C.el("span", "badge " + item.status, item.status + (item.agent ? " · " + item.agent : "")));
        el.appendChild(C.el("div", "", item.summary.slice(0, 140)));
        el.appendChild(C.el("small", "", item.reason + " · " + new Date(item.created_at).toLocaleString()));
        el.addEventListener("click", function () { open(item); });
        box.appendChild(el);
      });
    }).catch(function () {});
  }

  function act(path, body) {
    document.getElementById("action-error").textContent = "";
    return C.api("POST", "/api/v1/agent/conversations/" + encodeURIComponent(current.conversation_id) + path, body)
      .catch(function (err) { document.getElementById("action-error").textContent = err.message; throw err; });
  }

  document.getElementById("take").addEventListener("click", function () {
    act("/take").then(function (tr) { showControls(tr); loadQueue(); });
  });
  document.getElementById("handback").addEventListener("click", function () {
    act("/handback").then(function (tr) { showControls(tr); loadQueue(); });
  });
  document.getElementById("reply").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = this.text.value.trim();
    if (!text) return;
    var form = this;
    act("/reply", { text: text }).then(function () { form.text.value = ""; });
  });

  C.signIn(function (agent) {
    me = agent;
    document.getElementById("console").hidden = false;
    loadQueue();
    setInterval(loadQueue, 3000);
  });
})();
