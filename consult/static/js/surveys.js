// Live show/hide of questions whose condition depends on answers on the same page.
// Progressive enhancement only: without it every question shows and the server decides.
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) { return; }
  var earlier = {};
  try { earlier = JSON.parse(form.getAttribute("data-answers") || "{}"); } catch (e) { earlier = {}; }

  function valueOf(ref) {
    var code = ref.split(".")[0];
    var row = ref.indexOf(".") > -1 ? ref.slice(code.length + 1) : null;
    var wrap = form.querySelector('[data-code="' + code + '"]');
    if (!wrap || wrap.hidden) {
      var known = earlier[code];
      if (row && known && typeof known === "object") { return known[row]; }
      return wrap && wrap.hidden ? null : known;
    }
    var name = row ? code + "." + row : code;
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox")) { if (el.checked) { values.push(el.value); } }
      else if (el.value.trim() !== "") { values.push(el.value.trim()); }
    });
    if (inputs.length && inputs[0].type === "checkbox") { return values; }
    return values.length ? values[0] : null;
  }

  function empty(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0); }
  function asList(v) { return Array.isArray(v) ? v.map(String) : [String(v)]; }

  function ruleMet(rule) {
    var actual = valueOf(rule.question);
    var expected = rule.value;
    if (empty(actual)) { return false; }
    switch (rule.op) {
      case "equals": return Array.isArray(actual) ? asList(actual).sort().join("\u0000") === asList(expected).sort().join("\u0000") : String(actual) === String(expected);
      case "not_equals": return !(Array.isArray(actual) ? asList(actual).sort().join("\u0000") === asList(expected).sort().join("\u0000") : String(actual) === String(expected));
      case "any_of": return asList(actual).some(function (v) { return asList(expected).indexOf(v) > -1; });
      case "contains": return Array.isArray(actual) ? asList(actual).indexOf(String(expected)) > -1 : String(actual).toLowerCase().indexOf(String(expected).toLowerCase()) > -1;
      case "gt": return parseFloat(actual) > parseFloat(expected);
      case "lt": return parseFloat(actual) < parseFloat(expected);
    }
    return false;
  }

  function update() {
    form.querySelectorAll("[data-condition]").forEach(function (wrap) {
      var cond;
      try { cond = JSON.parse(wrap.getAttribute("data-condition")); } catch (e) { return; }
      var results = (cond.rules || []).map(ruleMet);
      var show = cond.combine === "any" ? results.some(Boolean) : results.every(Boolean);
      wrap.hidden = !show;
    });
  }
  // The plain-words hints are for browsers without this script: here the question hides itself.
  form.querySelectorAll("[data-condition-hint]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
