// liftplan's own script: small progressive enhancements on top of htmx. Everything works without
// it (forms post normally; a running program's page reloads itself via <noscript> refresh).
(function () {
  "use strict";

  // Send the session's CSRF token with every htmx request, so hx-post needs no hidden field.
  // A token inside <body> (the navigation's sign-out form) is preferred: htmx-boosted
  // navigation swaps the body but not <head>, so <meta> can be stale after signing in.
  function csrfToken() {
    var input = document.querySelector('body input[name="_csrf"]');
    if (input && input.value) return input.value;
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = csrfToken();
    if (token) {
      evt.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // Live status. SSE (htmx-ext-sse, on #program-live) is the normal path while a program runs.
  // Polling of the status fragment covers the rest:
  //  - running, but the stream failed (a proxy that blocks event streams, an old browser): 1 s;
  //  - failed: 4 s, so the page comes alive when someone (an admin) retries it;
  //  - completed: nothing.
  var RUNNING_POLL_MS = 1000;
  var FAILED_POLL_MS = 4000;
  var timer = null;
  var timerMs = 0;
  var sseOpen = false;

  function statusElement() {
    return document.getElementById("program-status");
  }

  function poll() {
    var el = statusElement();
    var url = el && el.getAttribute("data-poll-url");
    if (url) {
      window.htmx.ajax("GET", url, { target: "#program-status", swap: "outerHTML" });
    }
  }

  function setPolling(ms) {
    if (ms === timerMs) return;
    if (timer) window.clearInterval(timer);
    timer = ms ? window.setInterval(poll, ms) : null;
    timerMs = ms;
  }

  function update() {
    var el = statusElement();
    var status = el ? el.getAttribute("data-status") : "";
    if (!el || status === "completed") {
      setPolling(0);
    } else if (status === "failed") {
      setPolling(FAILED_POLL_MS);
    } else {
      setPolling(sseOpen && typeof window.EventSource !== "undefined" ? 0 : RUNNING_POLL_MS);
    }
  }

  document.addEventListener("htmx:sseOpen", function () { sseOpen = true; update(); });
  document.addEventListener("htmx:sseError", function () { sseOpen = false; update(); });
  document.addEventListener("htmx:sseClose", function () { sseOpen = false; update(); });
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("htmx:sseMessage", update);
  document.addEventListener("DOMContentLoaded", function () {
    // Give the SSE extension a moment to connect before deciding that polling is needed.
    window.setTimeout(update, 1500);
  });

  // A rejected form's error summary takes the focus, so keyboard and screen-reader users start
  // at the list of problems (autofocus covers most page loads; htmx swaps and history restores
  // do not always honour it).
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary && document.activeElement !== summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("htmx:afterSettle", focusErrorSummary);

  // Print buttons exist only with JavaScript (hidden otherwise); the browser's print works too.
  function enablePrint() {
    document.querySelectorAll("[data-print]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", enablePrint);
  document.addEventListener("htmx:afterSettle", enablePrint);
  document.addEventListener("click", function (evt) {
    if (evt.target.closest && evt.target.closest("[data-print]")) window.print();
  });

  // Forms that need a second thought (Purge all entries) ask before sending and, when the answer
  // is yes, send confirm=yes, which the server requires; without JavaScript the server's
  // confirmation page asks instead.
  document.addEventListener("submit", function (evt) {
    var btn = evt.submitter;
    var question = btn && btn.getAttribute("data-confirm");
    if (!question) return;
    if (!window.confirm(question)) {
      evt.preventDefault();
      evt.stopPropagation();
      return;
    }
    var form = evt.target;
    if (!form.querySelector('input[name="confirm"]')) {
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      yes.value = "yes";
      form.appendChild(yes);
    }
  }, true);
})();
