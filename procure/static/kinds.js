// Procure: the kind picker's search box and the catalog's kind select that follows the
// category. Progressive: without this file the plain <select> with its <optgroup>s works.
// Options are removed and put back (not hidden): phones ignore hidden <option>s.
(function () {
  "use strict";

  function words(text) {
    return (text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^0-9a-z]+/).filter(Boolean);
  }

  // A copy of the select's groups and options, to rebuild it from.
  function snapshot(select) {
    return Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return {
        label: group.label,
        category: group.dataset.category || "",
        options: Array.prototype.map.call(group.querySelectorAll("option"), function (o) {
          return { value: o.value, text: o.textContent };
        })
      };
    });
  }

  // Rebuild the select with the options `keep` accepts; the chosen one stays if kept.
  function rebuild(select, groups, keep) {
    var chosen = select.value;
    var shown = 0;
    select.querySelectorAll("optgroup").forEach(function (g) { g.remove(); });
    groups.forEach(function (group) {
      var options = group.options.filter(function (o) { return keep(group, o); });
      if (!options.length) { return; }
      var element = document.createElement("optgroup");
      element.label = group.label;
      element.dataset.category = group.category;
      options.forEach(function (o) {
        var option = new Option(o.text, o.value, false, o.value === chosen);
        element.appendChild(option);
        shown += 1;
      });
      select.appendChild(element);
    });
    if (select.value !== chosen) { select.value = ""; }
    return shown;
  }

  document.querySelectorAll("[data-kind-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-kind-filter]");
    var select = picker.querySelector("select");
    var empty = picker.querySelector("[data-kind-empty]");
    if (!input || !select) { return; }
    var groups = snapshot(select);
    input.hidden = false;
    input.addEventListener("input", function () {
      var wanted = words(input.value);
      var shown = rebuild(select, groups, function (group, option) {
        var have = words(group.label + " " + option.text).join(" ");
        return wanted.every(function (w) { return have.indexOf(w) !== -1; });
      });
      if (empty) { empty.hidden = shown > 0; }
    });
  });

  // <select data-follows="ID">: only the kinds of the category chosen in select#ID.
  document.querySelectorAll("select[data-follows]").forEach(function (select) {
    var category = document.getElementById(select.dataset.follows);
    if (!category) { return; }
    var groups = snapshot(select);
    function follow() {
      var wanted = category.value;  // the optgroups' data-category holds the same values
      rebuild(select, groups, function (group) { return !wanted || group.category === wanted; });
    }
    category.addEventListener("change", follow);
    follow();
  });
})();
