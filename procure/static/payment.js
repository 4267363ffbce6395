// Procure: the payment form shows the SP2D date only when the method is SP2D-LS.
// Progressive: without this file every field stays visible and the server says which are
// needed (the SP2D date for SP2D-LS) with a message on the field.
(function () {
  "use strict";

  function setUp(form) {
    // A select or radio buttons (a RadioNodeList): either way .value is the chosen method.
    var method = form.elements.namedItem("method");
    if (!method) { return; }
    var parts = form.querySelectorAll("[data-show-for]");

    function follow() {
      Array.prototype.forEach.call(parts, function (part) {
        var shown = !method.value || method.value === part.getAttribute("data-show-for");
        part.hidden = !shown;
      });
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "method") { follow(); }
    });
    follow();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-payment-form]"), setUp);
  });
})();
