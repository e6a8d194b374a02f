// Coding page: turn a text selection into start/end offsets (code points in the passage's plain
// text), fill the apply form's hidden fields, and add keyboard shortcuts. The page works without
// this file: coders then tick whole sentences.
(function () {
  "use strict";
  var text = document.getElementById("passage-text");
  var form = document.getElementById("apply-form");
  if (!text || !form) { return; }
  var startField = document.getElementById("sel-start");
  var endField = document.getElementById("sel-end");
  var status = document.getElementById("selection-status");
  var clear = document.getElementById("clear-selection");
  var length = parseInt(text.getAttribute("data-length"), 10) || 0;
  var current = null;

  // Length in code points (Python string indices), not UTF-16 units.
  function cpLength(s) { return Array.from(s).length; }

  // Offset of a DOM point inside the passage text, ignoring the [n] labels.
  function offsetOf(node, off) {
    var range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, off);
    var frag = range.cloneContents();
    frag.querySelectorAll("[data-nooffset]").forEach(function (el) { el.remove(); });
    return cpLength(frag.textContent);
  }

  function plainText() {
    var copy = text.cloneNode(true);
    copy.querySelectorAll("[data-nooffset]").forEach(function (el) { el.remove(); });
    return Array.from(copy.textContent);
  }

  function readSelection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var r = sel.getRangeAt(0);
    if (!r.intersectsNode(text)) { return null; }
    // a drag that runs past either edge of the passage is clamped to the passage
    var s = text.contains(r.startContainer) ? offsetOf(r.startContainer, r.startOffset) : 0;
    var e = text.contains(r.endContainer) ? offsetOf(r.endContainer, r.endOffset) : length;
    var chars = plainText();
    while (s < e && /\s/.test(chars[s])) { s++; }
    while (e > s && /\s/.test(chars[e - 1])) { e--; }
    if (e <= s || e > length) { return null; }
    return { start: s, end: e, snippet: chars.slice(s, e).join("") };
  }

  function show(sel) {
    current = sel;
    if (sel) {
      startField.value = sel.start;
      endField.value = sel.end;
      var preview = sel.snippet.length > 120 ? sel.snippet.slice(0, 117) + "…" : sel.snippet;
      status.textContent = "Selected “" + preview + "” (characters " + sel.start + "–" + sel.end +
        "). Tick one or more themes and press Apply.";
      clear.hidden = false;
    } else {
      startField.value = "";
      endField.value = "";
      status.textContent = "Nothing selected: ticked sentences will be coded.";
      clear.hidden = true;
    }
    document.querySelectorAll("[data-use-selection]").forEach(function (b) { b.hidden = !sel; });
  }

  function update() {
    var sel = readSelection();
    if (sel) { show(sel); }
  }
  text.addEventListener("mouseup", update);
  text.addEventListener("keyup", update);
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (sel && sel.rangeCount && sel.getRangeAt(0).intersectsNode(text)) { update(); }
  });
  clear.addEventListener("click", function () {
    window.getSelection().removeAllRanges();
    show(null);
  });

  // "Use current selection" in an adjust form copies the offsets into its start/end boxes.
  document.querySelectorAll("[data-use-selection]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!current) { return; }
      var f = button.closest("form");
      f.querySelector("[name=start]").value = current.start;
      f.querySelector("[name=end]").value = current.end;
    });
  });

  form.addEventListener("submit", function (ev) {
    var ticked = form.querySelectorAll("input[name=theme_id]:checked").length;
    if (!ticked) {
      ev.preventDefault();
      status.textContent = "Tick at least one theme to apply.";
      var first = form.querySelector("input[name=theme_id]");
      if (first) { first.focus(); }
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" && t.type !== "checkbox" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var key = ev.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      var box = form.querySelector("input[data-shortcut='" + key + "']");
      if (box) { box.checked = !box.checked; ev.preventDefault(); }
    } else if (key === "a") {
      ev.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    } else if (key === "d") {
      var done = document.getElementById("done-form");
      if (done) { ev.preventDefault(); done.submit(); }
    } else if (key === "n") {
      var next = document.getElementById("next-link");
      if (next) { ev.preventDefault(); window.location.href = next.href; }
    } else if (key === "t") {
      ev.preventDefault();
      text.focus();
    } else if (key === "escape") {
      window.getSelection().removeAllRanges();
      show(null);
    }
  });
})();
