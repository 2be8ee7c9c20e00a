// Forms on every page (no inline script: the CSP allows scripts from the site only).
// 1. A form that came back with errors: scroll to the first one (a field's, or the form's own at its top) and
//    focus it, so a phone user three screens down sees what to fix. A form marked data-scroll-here (shown again
//    to be edited) is scrolled to the same way.
// 2. <select data-searchable>: a searchable picker (vendored Tom Select) where the page loads it; without
//    JavaScript, or without the library, it stays a plain select.
(function () {
  "use strict";

  function focusTarget(element) {
    if (element.matches("input, select, textarea")) return element;
    var field = element.querySelector("input:not([type=hidden]), select, textarea");
    if (field) return field;
    element.setAttribute("tabindex", "-1");
    return element;
  }

  function showFirstError() {
    var first = document.querySelector("form .is-invalid, form .alert-danger, form .invalid-feedback");
    var block = "center";
    if (first && first.matches(".invalid-feedback")) first = first.parentElement;
    if (!first) {
      first = document.querySelector("form[data-scroll-here]");
      block = "start";
    }
    if (!first) return;
    first.scrollIntoView({ block: block, behavior: "instant" }); // not Bootstrap's smooth scrolling: the page opens there
    if (block === "start") return; // shown again to be edited: nothing to fix, no keyboard to open
    var target = focusTarget(first);
    if (target.tomselect) target = target.tomselect.control_input;
    target.focus({ preventScroll: true });
  }

  function searchablePickers() {
    if (typeof window.TomSelect !== "function") return;
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      new window.TomSelect(select, {
        plugins: { remove_button: { title: select.getAttribute("data-remove-label") || "" } },
        maxOptions: null,
        clearAfterSelect: true,
        hidePlaceholder: true,
        placeholder: select.getAttribute("data-placeholder") || "",
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = select.getAttribute("data-no-results") || "";
            return div;
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    searchablePickers();
    showFirstError();
  });
})();
