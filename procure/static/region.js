// Procure: the kelurahan list follows the chosen kecamatan (UMKM registration and profile).
// Progressive: without this file the <select> keeps every kelurahan grouped by kecamatan and
// the server refuses a kelurahan of another kecamatan with a message on the field.
// A select marked data-follows="<field name>" keeps only the options whose data-kecamatan is
// that field's value. Groups are removed and put back (not hidden): phones ignore hidden
// <option>s.
(function () {
  "use strict";

  function kecamatanOf(node) {
    if (node.tagName === "OPTGROUP") {
      var first = node.querySelector("option[data-kecamatan]");
      return first ? first.getAttribute("data-kecamatan") : "";
    }
    return node.getAttribute("data-kecamatan") || "";
  }

  function setUp(child) {
    var form = child.form;
    var parent = form && form.elements.namedItem(child.getAttribute("data-follows"));
    if (!parent || parent.tagName !== "SELECT") { return; }
    // Everything but the "— Pilih —" placeholder, in its order, to rebuild the list from.
    var items = Array.prototype.filter.call(child.children, function (node) {
      return !(node.tagName === "OPTION" && node.value === "");
    });

    function narrow() {
      var chosen = parent.value;
      var kept = child.value;
      items.forEach(function (node) {
        if (node.parentNode === child) { child.removeChild(node); }
      });
      items.forEach(function (node) {
        if (!chosen || kecamatanOf(node) === chosen) { child.appendChild(node); }
      });
      var stillThere = Array.prototype.some.call(child.options, function (o) {
        return o.value === kept;
      });
      child.value = stillThere ? kept : "";
    }

    parent.addEventListener("change", narrow);
    // A kelurahan chosen before its kecamatan chooses the kecamatan too.
    child.addEventListener("change", function () {
      var option = child.options[child.selectedIndex];
      var of = option ? option.getAttribute("data-kecamatan") : null;
      if (of && parent.value !== of) {
        parent.value = of;
        narrow();
      }
    });
    narrow();
  }

  function start() {
    document.querySelectorAll("select[data-follows]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
