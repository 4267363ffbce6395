// Procure: the payment form shows the SP2D date only when the method is SP2D-LS.
// Progressive: without this file every field stays visible and the server says which are
// needed (the SP2D date for SP2D-LS) with a message on the field.
(function () {
  "use strict";

  function setUp(form) {
    var method = form.elements.namedItem("method");
    if (!method) { return; }
    var parts = form.querySelectorAll("[data-show-for]");

    function follow() {
      Array.prototype.forEach.call(parts, function (part) {
        var shown = !method.value || method.value === part.getAttribute("data-show-for");
        part.hidden = !shown;
      });
    }

    method.addEventListener("change", follow);
    follow();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-payment-form]"), setUp);
  });
})();
