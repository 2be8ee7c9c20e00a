// Ballot pages (no inline script: CSP). Confirmation before irreversible steps, the running count of
// approvals on an approval ballot, and the slip code carried in the QR code's #fragment (never sent to the server).
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  function countApprovals() {
    var form = document.getElementById("ballot-form");
    var out = document.getElementById("approvals");
    if (!form || !out || !form.dataset.places) {
      return;
    }
    var places = parseInt(form.dataset.places, 10);
    var approvals = form.querySelectorAll('input[type="radio"][value="yes"]:checked').length;
    out.textContent = String(approvals);
    var line = document.getElementById("approval-count");
    line.classList.toggle("text-danger", approvals > places);
  }

  document.addEventListener("change", function (event) {
    if (event.target.closest("#ballot-form")) {
      countApprovals();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    countApprovals();
    var slipForm = document.getElementById("slip-form");
    if (slipForm && window.location.hash.length > 1) {
      slipForm.querySelector('input[name="code"]').value = decodeURIComponent(window.location.hash.slice(1));
      window.history.replaceState(null, "", window.location.pathname);
    }
  });
})();
