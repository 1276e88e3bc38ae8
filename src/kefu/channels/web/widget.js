/* kefu chat widget: embed with one tag on any page of the store.
 *
 *   <script src="https://kefu.example/static/widget.js" async
 *           data-customer-token="(optional, signed by the store)" data-lang="zh|en"></script>
 *
 * Plain JavaScript, no build step, no outside requests: it talks to the kefu server the
 * script came from. The conversation (id and key) and the messages not yet answered are
 * kept in localStorage, so a reload or a dropped connection continues the same
 * conversation. Messages go over a WebSocket (/api/v1/chat/ws), or over HTTP with
 * Server-Sent Events where no WebSocket gets through; each carries a random id that its
 * retries reuse, so a message whose answer was lost is never processed twice. Agent replies
 * arrive over a Server-Sent Events stream that the browser reconnects by itself.
 */
(function () {
  "use strict";
  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    return all[all.length - 1];
  })();
  var BASE = (script && script.src) ? new URL(script.src, location.href).origin : location.origin;
  if (script && script.getAttribute("data-kefu-url")) BASE = script.getAttribute("data-kefu-url").replace(/\/$/, "");
  var TOKEN = script && script.getAttribute("data-customer-token") || null;
  // data-transport="sse" keeps to HTTP (a proxy that does not pass WebSockets)
  var TRANSPORT = script && script.getAttribute("data-transport") || "auto";
  var lastTransport = null;
  var STORE_KEY = "kefu.conversation." + BASE;

  var TEXT = {
    en: { title: "Customer service", placeholder: "Type a message…", send: "Send",
          open: "Chat with us", close: "Close", typing: "kefu is typing…",
          reconnecting: "Connection lost, retrying…", agent_joined: "{agent} (a human colleague) joined the chat.",
          agent_left: "You're back with the kefu assistant.", restart: "New chat",
          error: "Sorry, that did not go through: {message}", hello: "Hi! How can I help you today?" },
    zh: { title: "在线客服", placeholder: "请输入消息…", send: "发送",
          open: "联系客服", close: "关闭", typing: "客服正在输入…",
          reconnecting: "网络中断，正在重连…", agent_joined: "人工客服 {agent} 已加入对话。",
          agent_left: "已转回智能客服。", restart: "新对话",
          error: "抱歉，消息未能发送：{message}", hello: "您好！请问有什么可以帮您？" }
  };
  var lang = (script && script.getAttribute("data-lang")) ||
             ((navigator.language || "zh").toLowerCase().indexOf("zh") === 0 ? "zh" : "en");
  function t(key, fields) {
    var s = (TEXT[lang] || TEXT.en)[key];
    if (fields) for (var k in fields) s = s.replace("{" + k + "}", fields[k]);
    return s;
  }

  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(STORE_KEY) || "{}") || {}; } catch (e) { saved = {}; }
  var state = { id: saved.id || null, key: saved.key || null, sending: false,
                queue: Array.isArray(saved.queue) ? saved.queue : [], stream: null, lastIndex: -1 };
  function persist() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ id: state.id, key: state.key, queue: state.queue }));
    } catch (e) { /* private mode */ }
  }
  /* A message id the server can tell retries by: random, 32 hex digits or a UUID. */
  function newMessageId() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var bytes = new Uint8Array(16), out = "";
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    for (var j = 0; j < 16; j++) out += (bytes[j] < 16 ? "0" : "") + bytes[j].toString(16);
    return out;
  }

  var CSS = [
    ":host{all:initial}",
    ".kf{font:14px/1.45 -apple-system,BlinkMacSystemFont,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328}",
    ".kf-launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#d9480f;color:#fff;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".kf-panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:370px;height:560px;max-height:calc(100vh - 40px);display:none;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}",
    ".kf-panel.open{display:flex}",
    ".kf-head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#d9480f;color:#fff}",
    ".kf-head b{flex:1;font-size:15px}",
    ".kf-head button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:3px 8px;cursor:pointer;font-size:12px}",
    ".kf-log{flex:1;overflow-y:auto;padding:12px;background:#f6f7f9;display:flex;flex-direction:column;gap:8px}",
    ".kf-msg{max-width:82%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}",
    ".kf-customer{align-self:flex-end;background:#d9480f;color:#fff;border-bottom-right-radius:4px}",
    ".kf-bot{align-self:flex-start;background:#fff;border:1px solid #e1e4e8;border-bottom-left-radius:4px}",
    ".kf-agent{align-self:flex-start;background:#e7f5ff;border:1px solid #a5d8ff;border-bottom-left-radius:4px}",
    ".kf-who{display:block;font-size:11px;color:#1864ab;margin-bottom:2px}",
    ".kf-system{align-self:center;font-size:12px;color:#6a737d;text-align:center}",
    ".kf-buttons{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:92%}",
    ".kf-buttons button{border:1px solid #d9480f;color:#d9480f;background:#fff;border-radius:16px;padding:5px 12px;cursor:pointer;font-size:13px}",
    ".kf-buttons button:hover{background:#fff4e6}",
    ".kf-typing{align-self:flex-start;color:#6a737d;font-size:12px;display:none}",
    ".kf-typing.on{display:block}",
    ".kf-typing i{display:inline-block;width:6px;height:6px;margin-right:3px;border-radius:3px;background:#adb5bd;animation:kfb 1s infinite}",
    ".kf-typing i:nth-child(2){animation-delay:.15s}.kf-typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes kfb{0%,80%,100%{opacity:.3}40%{opacity:1}}",
    ".kf-status{display:none;padding:4px 12px;background:#fff3bf;color:#5c3c00;font-size:12px}",
    ".kf-status.on{display:block}",
    ".kf-form{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e4e8;background:#fff}",
    ".kf-form textarea{flex:1;resize:none;height:38px;border:1px solid #ced4da;border-radius:8px;padding:8px;font:inherit}",
    ".kf-form button{border:0;border-radius:8px;background:#d9480f;color:#fff;padding:0 14px;font-weight:600;cursor:pointer}",
    "@media (max-width:480px){.kf-panel{right:0;bottom:0;width:100vw;height:100vh;max-height:100vh;border-radius:0}.kf-launch{right:12px;bottom:12px}}"
  ].join("\n");

  var host = document.createElement("div");
  host.id = "kefu-widget";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML = '<style>' + CSS + '</style><div class="kf">' +
    '<button class="kf-launch" part="launcher"></button>' +
    '<div class="kf-panel" role="dialog"><div class="kf-head"><b class="kf-title"></b>' +
    '<button class="kf-restart"></button><button class="kf-close"></button></div>' +
    '<div class="kf-status"></div><div class="kf-log" aria-live="polite"></div>' +
    '<form class="kf-form"><textarea rows="1"></textarea><button type="submit"></button></form></div></div>';
  function $(sel) { return root.querySelector(sel); }
  var log = $(".kf-log"), input = $(".kf-form textarea"), panel = $(".kf-panel");
  var typing = document.createElement("div");
  typing.className = "kf-typing";
  typing.innerHTML = "<i></i><i></i><i></i><span></span>";

  function applyLanguage(next) {
    if (next && TEXT[next]) lang = next;
    host.setAttribute("data-lang", lang);
    $(".kf-launch").textContent = t("open");
    $(".kf-title").textContent = t("title");
    $(".kf-close").textContent = t("close");
    $(".kf-restart").textContent = t("restart");
    $(".kf-form button").textContent = t("send");
    input.placeholder = t("placeholder");
    typing.querySelector("span").textContent = t("typing");
    $(".kf-status").textContent = t("reconnecting");
  }

  function scroll() { log.scrollTop = log.scrollHeight; }
  function add(role, text, who) {
    var el = document.createElement("div");
    el.className = role === "system" ? "kf-system" : "kf-msg kf-" + role;
    el.setAttribute("data-role", role);
    if (who) { var w = document.createElement("span"); w.className = "kf-who"; w.textContent = who; el.appendChild(w); }
    el.appendChild(document.createTextNode(text));
    log.insertBefore(el, typing);
    scroll();
    return el;
  }
  function clearButtons() {
    var old = log.querySelectorAll(".kf-buttons");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
  }
  function addButtons(buttons) {
    if (!buttons || !buttons.length) return;
    var box = document.createElement("div");
    box.className = "kf-buttons";
    buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.setAttribute("data-payload", b.payload);
      btn.addEventListener("click", function () { send(b.payload, b.title); });
      box.appendChild(btn);
    });
    log.insertBefore(box, typing);
    scroll();
  }
  function setTyping(on) { typing.className = "kf-typing" + (on ? " on" : ""); scroll(); }
  function setOffline(on) { $(".kf-status").className = "kf-status" + (on ? " on" : ""); }

  function showLine(line) {
    if (line.role === "agent") add("agent", line.text, line.agent || "");
    else if (line.role === "system" && line.agent) {
      add("system", /joined/.test(line.text) ? t("agent_joined", { agent: line.agent }) : t("agent_left"));
    }
  }

  function openStream() {
    if (!state.id || !window.EventSource) return;
    if (state.stream) state.stream.close();
    var url = BASE + "/api/v1/conversations/" + encodeURIComponent(state.id) +
              "/stream?key=" + encodeURIComponent(state.key) + "&after=" + state.lastIndex;
    var es = new EventSource(url);
    es.addEventListener("line", function (ev) {
      var line = JSON.parse(ev.data);
      if (line.index <= state.lastIndex) return;
      state.lastIndex = line.index;
      showLine(line);
    });
    es.onopen = function () { setOffline(false); };
    state.stream = es;
  }

  /* Messages queued before a reload: those the server answered meanwhile are in the
     transcript already; the others are shown again and sent with their own ids. */
  function resume(answered) {
    state.queue = state.queue.filter(function (item) { return !answered[item.id]; });
    persist();
    state.queue.forEach(function (item) { add("customer", item.shown || item.text); });
    flush();
  }

  function restore() {
    if (!state.id) { add("bot", t("hello")); resume({}); return Promise.resolve(); }
    return fetch(BASE + "/api/v1/conversations/" + encodeURIComponent(state.id), {
      headers: { "X-Conversation-Key": state.key || "" }
    }).then(function (r) {
      if (r.status === 404 || r.status === 401) { state.id = null; state.key = null; persist(); add("bot", t("hello")); resume({}); return; }
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json().then(function (tr) {
        if (tr.language) applyLanguage(tr.language);
        var last = null, answered = {};
        tr.lines.forEach(function (line) {
          if (line.message_id) answered[line.message_id] = true;
          if (line.role === "customer") add("customer", line.text);
          else if (line.role === "bot") { add("bot", line.text); last = line; }
          else showLine(line);
          state.lastIndex = Math.max(state.lastIndex, line.index);
        });
        if (last && tr.lines[tr.lines.length - 1] === last) addButtons(last.buttons);
        openStream();
        resume(answered);
      });
    }).catch(function () { setOffline(true); setTimeout(restore, 2000); });
  }

  /* A message goes over the WebSocket (/api/v1/chat/ws) when one opens, else over the
     Server-Sent Events call. A socket that drops mid-message fails that message like a
     network error: it is sent again, with its id, on a new socket. */
  function post(item) {
    var body = { text: item.text, conversation_id: state.id, message_id: item.id };
    if (TOKEN) body.customer_token = TOKEN;
    if (!socketUsable()) return postStream(body);
    return postSocket(body).catch(function (err) {
      if (err.neverOpened) return postStream(body);  // no WebSocket on the way: use SSE
      throw err;
    });
  }

  var socket = { ws: null, opening: null, pending: null, failedAt: -Infinity };
  var SOCKET_RETRY_MS = 60000;  // after a socket fails to open, SSE for a minute
  function socketUsable() {
    return !!window.WebSocket && TRANSPORT !== "sse" && Date.now() - socket.failedAt > SOCKET_RETRY_MS;
  }
  function openSocket() {
    if (socket.ws && socket.ws.readyState === 1) return Promise.resolve(socket.ws);
    if (socket.opening) return socket.opening;
    socket.opening = new Promise(function (resolve, reject) {
      var ws, opened = false;
      try { ws = new WebSocket(BASE.replace(/^http/, "ws") + "/api/v1/chat/ws"); }
      catch (e) { socket.opening = null; socket.failedAt = Date.now(); e.neverOpened = true; reject(e); return; }
      ws.onopen = function () { opened = true; socket.ws = ws; socket.opening = null; resolve(ws); };
      ws.onmessage = function (ev) { onSocketFrame(ev.data); };
      ws.onclose = function () {
        if (!opened) {
          socket.opening = null; socket.failedAt = Date.now();
          var err = new Error("no WebSocket"); err.neverOpened = true; reject(err); return;
        }
        if (socket.ws === ws) socket.ws = null;
        var waiting = socket.pending;
        socket.pending = null;
        if (waiting) waiting.reject(new Error("the connection dropped"));
      };
    });
    return socket.opening;
  }
  function onSocketFrame(raw) {
    var frame, waiting = socket.pending;
    try { frame = JSON.parse(raw); } catch (e) { return; }
    if (!waiting || frame.message_id !== waiting.id) return;
    if (frame.event === "typing") setTyping(true);
    else if (frame.event === "done") { socket.pending = null; waiting.resolve(frame.data); }
    else if (frame.event === "error") {
      socket.pending = null;
      var err = new Error(frame.data.message); err.status = frame.data.status; waiting.reject(err);
    }
  }
  function postSocket(body) {
    return openSocket().then(function (ws) {
      return new Promise(function (resolve, reject) {
        socket.pending = { id: body.message_id, resolve: resolve, reject: reject };
        lastTransport = "websocket";
        ws.send(JSON.stringify(body));
      });
    });
  }

  /* The streaming chat call: typing, then each reply as it comes, then done. */
  function postStream(body) {
    lastTransport = "sse";
    return fetch(BASE + "/api/v1/chat/stream", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) return r.json().then(function (e) { var err = new Error(e.error ? e.error.message : "HTTP " + r.status); err.status = r.status; throw err; });
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "", done = null;
      function handle(block) {
        var event = "message", data = "";
        block.split("\n").forEach(function (l) {
          if (l.indexOf("event: ") === 0) event = l.slice(7);
          else if (l.indexOf("data: ") === 0) data += l.slice(6);
        });
        if (!data) return;
        var value = JSON.parse(data);
        if (event === "typing") setTyping(true);
        else if (event === "done") done = value;
        else if (event === "error") { var err = new Error(value.message); err.status = value.status; throw err; }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return done;
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split("\n\n");
          buffer = parts.pop();
          parts.forEach(handle);
          return pump();
        });
      }
      return pump();
    });
  }

  function flush() {
    if (state.sending || !state.queue.length) return;
    var item = state.queue[0];
    state.sending = true;
    setTyping(true);
    post(item).then(function (res) {
      state.queue.shift();
      persist();
      state.sending = false;
      setOffline(false);
      setTyping(false);
      if (!res) return;
      var fresh = state.id !== res.conversation_id;
      state.id = res.conversation_id; state.key = res.access_key; persist();
      if (res.language) applyLanguage(res.language);
      res.replies.forEach(function (r) { add("bot", r.text); });
      if (res.replies.length) addButtons(res.replies[res.replies.length - 1].buttons);
      if (fresh || !state.stream) openStream();
      flush();
    }).catch(function (err) {
      state.sending = false;
      setTyping(false);
      if (err.status === 404) {  // the conversation is gone: start a new one with this message
        state.id = null; state.key = null; persist(); flush(); return;
      }
      // 409: another turn of the conversation held it too long; 429: too fast. Both pass,
      // and a retry carries the message's id, so it is never answered twice.
      if (err.status && err.status < 500 && err.status !== 429 && err.status !== 409) {
        state.queue.shift();
        persist();
        add("system", t("error", { message: err.message }));
        flush();
        return;
      }
      setOffline(true);  // network or server trouble: keep the message and retry
      setTimeout(flush, err.status === 429 ? 5000 : 1500);
    });
  }

  function send(text, shown) {
    text = (text || "").trim();
    if (!text) return;
    clearButtons();
    add("customer", shown || text);
    state.queue.push({ text: text, shown: shown || null, id: newMessageId() });
    persist();
    flush();
  }

  $(".kf-form").addEventListener("submit", function (e) { e.preventDefault(); send(input.value); input.value = ""; });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(input.value); input.value = ""; }
  });
  $(".kf-launch").addEventListener("click", function () { panel.className = "kf-panel open"; input.focus(); });
  $(".kf-close").addEventListener("click", function () { panel.className = "kf-panel"; });
  $(".kf-restart").addEventListener("click", function () {
    if (state.stream) state.stream.close();
    state = { id: null, key: null, sending: false, queue: [], stream: null, lastIndex: -1 }; persist();
    var nodes = log.querySelectorAll(".kf-msg,.kf-system,.kf-buttons");
    for (var i = 0; i < nodes.length; i++) nodes[i].parentNode.removeChild(nodes[i]);
    add("bot", t("hello"));
  });
  // The browser knows before a socket times out: show it, and start afresh when back.
  window.addEventListener("offline", function () {
    setOffline(true);
    if (socket.ws) socket.ws.close();
  });
  window.addEventListener("online", function () { setOffline(false); socket.failedAt = -Infinity; flush(); });

  function start() {
    document.body.appendChild(host);
    log.appendChild(typing);
    applyLanguage(lang);
    restore();
    if (script && script.getAttribute("data-open") === "true") panel.className = "kf-panel open";
    window.kefuWidget = { open: function () { panel.className = "kf-panel open"; }, send: send,
                          conversation: function () { return state.id; }, language: function () { return lang; },
                          transport: function () { return lastTransport; } };
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
