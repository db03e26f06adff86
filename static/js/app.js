// liftplan's own script: small progressive enhancements on top of htmx. Everything works without it.
(function () {
  "use strict";
  // Send the session's CSRF token with every htmx request, so hx-post needs no hidden field.
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      evt.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });
})();
