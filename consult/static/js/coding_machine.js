// Suggestions review: a "select all on this page" box (progressive enhancement; the list works without it).
(function () {
  "use strict";
  var table = document.querySelector("table.suggestions");
  if (!table) { return; }
  var boxes = table.querySelectorAll("input[name=coding_id]");
  var head = table.querySelector("thead th");
  if (!head || !boxes.length) { return; }
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "pick-all";
  all.setAttribute("aria-label", "Select all suggestions on this page");
  head.textContent = "";
  head.appendChild(all);
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
})();
