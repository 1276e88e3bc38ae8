/* Shared by the agent console and the admin view: JSON calls and sign-in. */
window.kefuConsole = (function () {
  "use strict";
  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (data) {
        if (!r.ok) { var e = new Error(data.error ? data.error.message : "HTTP " + r.status); e.status = r.status; throw e; }
        return data;
      });
    });
  }
  function signIn(onReady) {
    var form = document.getElementById("login");
    function ready(me) {
      form.hidden = true;
      document.getElementById("who").textContent = me.name + " (" + me.role + ")";
      document.getElementById("logout").hidden = false;
      onReady(me);
    }
    api("GET", "/api/v1/agent/me").then(ready).catch(function () { form.hidden = false; });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      api("POST", "/api/v1/agent/login", { name: form.name.value, password: form.password.value })
        .then(ready).catch(function (err) { document.getElementById("login-error").textContent = err.message; });
    });
    document.getElementById("logout").addEventListener("click", function () {
      api("POST", "/api/v1/agent/logout").then(function () { location.reload(); });
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  return { api: api, signIn: signIn, el: el };
})();
