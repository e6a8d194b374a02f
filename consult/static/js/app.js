// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // Ask before destructive actions.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
    // Prevent accidental double submission; the server is idempotent anyway.
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent) { ev.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
  // Quick exit: replace this page and its history entry.
  document.querySelectorAll("[data-quick-exit]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      ev.preventDefault();
      try { document.body.innerHTML = ""; } catch (e) { /* ignore */ }
      window.location.replace(el.getAttribute("href"));
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.shiftKey) {
      var q = document.querySelector("[data-quick-exit]");
      if (q) { window.location.replace(q.getAttribute("href")); }
    }
  });
  // Job progress: poll a JSON endpoint and update a progress bar, then follow the result link.
  document.querySelectorAll("[data-job-status]:not([data-done])").forEach(function (box) {
    var url = box.getAttribute("data-job-status");
    var bar = box.querySelector("progress");
    var msg = box.querySelector("[data-job-message]");
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (bar) { bar.value = j.progress; bar.textContent = j.progress + "%"; }
          if (msg && j.message) { msg.textContent = j.message + " (" + j.progress + "%)"; }
          if (j.status === "done" || j.status === "failed") { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 800);
  });
})();
