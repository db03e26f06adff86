// The Today page's enhancements: one exercise at a time on a phone, and a rest timer after a set
// is saved. Without this script every card is shown and every set form posts normally.
(function () {
  "use strict";

  var PHONE = "(max-width: 40rem)";
  var timer = null;

  function today() {
    return document.getElementById("today");
  }

  // show makes card index (1-based) the visible one when the page is paged.
  function show(index) {
    var root = today();
    if (!root) return;
    var cards = root.querySelectorAll("article.exercise");
    for (var i = 0; i < cards.length; i++) {
      cards[i].classList.toggle("active", cards[i].getAttribute("data-index") === String(index));
    }
  }

  function page() {
    var root = today();
    if (!root) return;
    root.classList.toggle("paged", window.matchMedia(PHONE).matches);
  }

  function formatRest(s) {
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function startRest(seconds) {
    var el = document.getElementById("rest-timer");
    if (!el || !seconds) return;
    if (timer) window.clearInterval(timer);
    var end = Date.now() + seconds * 1000;
    el.hidden = false;
    el.classList.remove("over");
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = left > 0 ? "Rest " + formatRest(left) : "Rest over: next set";
      if (left === 0) {
        window.clearInterval(timer);
        timer = null;
        el.classList.add("over");
      }
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }

  // A saved row comes back from htmx: start the rest, and once every set of the exercise is
  // logged move on to the next exercise.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var row = evt.detail.elt;
    if (!row || !row.classList || !row.classList.contains("set-row")) return;
    if (row.getAttribute("data-logged") !== "true" || evt.detail.xhr.status !== 200) return;
    startRest(parseInt(row.getAttribute("data-rest") || "0", 10));
    var card = row.closest("article.exercise");
    if (!card) return;
    var open = card.querySelectorAll('.set-row[data-logged="false"]');
    if (open.length === 0) {
      card.classList.add("done");
      var next = card.nextElementSibling;
      if (next && next.matches("article.exercise")) {
        show(next.getAttribute("data-index"));
      }
    } else {
      var input = open[0].querySelector('input[name="reps"]');
      if (input) input.focus({ preventScroll: true });
    }
  });

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest ? evt.target.closest("[data-goto]") : null;
    var root = today();
    if (!link || !root || !root.classList.contains("paged")) return;
    var target = link.getAttribute("data-goto");
    if (target === "feedback") return; // an ordinary jump to the form
    evt.preventDefault();
    show(target);
    root.scrollIntoView({ block: "start" });
  });

  document.addEventListener("DOMContentLoaded", page);
  document.addEventListener("htmx:afterSettle", page);
  window.addEventListener("resize", page);
})();
