// Procure: progressive enhancements only; every page works without this file.
// A submit button marked data-once is disabled after the first submit, so a double click
// sends one request (the server also refuses duplicates where it matters).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[data-once]").forEach(function (b) {
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
  });
});

// A button marked data-download answers with a file: the page stays, so its form may be sent
// again (after the download starts) instead of staying locked by the guard above.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!event.submitter || !event.submitter.hasAttribute("data-download")) { return; }
  window.setTimeout(function () {
    delete form.dataset.submitted;
    form.querySelectorAll("button[data-once]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    });
  }, 1500);
});
