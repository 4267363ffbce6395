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

// A refused form opens with its error summary focused: the summary's autofocus does it without
// this file, and so does an address whose #fragment names the summary (the allocation
// decision). A browser that skips autofocus or clears the focus after scrolling to a fragment
// gets it here, once the page has loaded, unless the user has already moved on.
function focusErrorSummary() {
  var summary = document.querySelector(".form-error-summary");
  var active = document.activeElement;
  if (!summary || (active && active !== document.body && active !== summary)) { return; }
  var closed = summary.closest("details:not([open])");
  if (closed) { closed.open = true; }
  if (active !== summary) { summary.focus(); }
}
document.addEventListener("DOMContentLoaded", focusErrorSummary);
window.addEventListener("load", function () { window.setTimeout(focusErrorSummary, 0); });

// A link of the summary takes the focus to its field, its label in view above it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".form-error-summary a[href^='#']");
  if (!link) { return; }
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) { return; }
  event.preventDefault();
  var label = document.querySelector("label[for='" + CSS.escape(field.id) + "']");
  (label || field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
});

// A table wider than the screen scrolls sideways in its .table-responsive box: the box becomes
// focusable, so a keyboard user can reach it with Tab and scroll it with the arrow keys.
function focusableScrollBoxes() {
  document.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth + 1) { return; }
    var caption = box.querySelector("caption");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabel (geser ke samping)");
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
