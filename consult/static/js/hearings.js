// Facilitator console: a per-speaker countdown timer (enhancement only; the console works without it).
(function () {
  "use strict";
  var table = document.querySelector(".speaker-table[data-minutes]");
  if (!table) { return; }
  var seconds = parseInt(table.getAttribute("data-minutes"), 10) * 60;
  var running = null;
  function fmt(s) {
    var sign = s < 0 ? "-" : "";
    s = Math.abs(s);
    var m = Math.floor(s / 60), r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function stop() {
    if (!running) { return; }
    window.clearInterval(running.interval);
    running.row.classList.remove("is-speaking");
    running.button.textContent = "Start timer";
    running = null;
  }
  table.querySelectorAll("tr[id^='speaker-']").forEach(function (row) {
    var button = row.querySelector("[data-timer-start]");
    var display = row.querySelector("[data-timer]");
    if (!button || !display) { return; }
    button.hidden = false;
    display.setAttribute("role", "timer");
    display.setAttribute("aria-live", "off");
    button.addEventListener("click", function () {
      if (running && running.row === row) { stop(); return; }
      stop();
      var left = seconds;
      display.hidden = false;
      display.textContent = fmt(left);
      display.classList.remove("is-over");
      row.classList.add("is-speaking");
      button.textContent = "Stop timer";
      running = { row: row, button: button, interval: window.setInterval(function () {
        left -= 1;
        display.textContent = fmt(left);
        if (left < 0) { display.classList.add("is-over"); }
      }, 1000) };
    });
  });
})();
