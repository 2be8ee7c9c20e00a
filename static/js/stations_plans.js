// Liaison stations (plans, operating rules): print buttons and confirmation before consequential buttons.
// No inline script: CSP allows scripts from the site only.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
