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

  // Live status: SSE (htmx-ext-sse) is the normal path. When the stream fails — a proxy that
  // buffers or blocks event streams, an old browser — poll the status fragment instead until
  // the program is final. The poll answers 286 when it is.
  var POLL_MS = 1000;
  var polling = null;

  function statusFinal() {
    var el = document.getElementById("program-status");
    if (!el) return true;
    var s = el.getAttribute("data-status");
    return s === "completed" || s === "failed";
  }

  function startPolling(live) {
    if (polling || !live || !live.getAttribute("data-poll-url")) return;
    var url = live.getAttribute("data-poll-url");
    polling = window.setInterval(function () {
      if (!document.body.contains(live) || statusFinal()) {
        stopPolling();
        return;
      }
      window.htmx.ajax("GET", url, { target: "#program-status", swap: "outerHTML" });
    }, POLL_MS);
  }

  function stopPolling() {
    if (polling) {
      window.clearInterval(polling);
      polling = null;
    }
  }

  document.addEventListener("htmx:sseError", function (evt) {
    var live = evt.target.closest ? evt.target.closest("#program-live") : null;
    if (live && !statusFinal()) {
      startPolling(live);
    }
  });
  document.addEventListener("htmx:sseOpen", stopPolling);
  document.addEventListener("htmx:beforeHistorySave", stopPolling);
  if (typeof window.EventSource === "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      startPolling(document.getElementById("program-live"));
    });
  }
})();
