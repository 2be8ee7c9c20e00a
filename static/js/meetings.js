// Meetings (Chapter 3): confirmation before destructive buttons; the latest notice date (10 days before) on the
// scheduling form. No inline script: CSP allows scripts from the site only.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  function showDeadline() {
    var input = document.querySelector("input[name=date]");
    var out = document.getElementById("notice-deadline-date");
    var box = document.getElementById("notice-deadline");
    if (!input || !out || !box || !input.value) return;
    var day = new Date(input.value + "T00:00:00");
    day.setDate(day.getDate() - parseInt(box.getAttribute("data-days"), 10));
    out.textContent = day.getFullYear() + "年" + (day.getMonth() + 1) + "月" + day.getDate() + "日";
    var today = new Date();
    today.setHours(0, 0, 0, 0);
    box.classList.toggle("alert-danger", day < today);
    box.classList.toggle("alert-info", day >= today);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[name=date]");
    if (input) {
      input.addEventListener("change", showDeadline);
      showDeadline();
    }
  });
})();
