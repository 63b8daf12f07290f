/* Live totals for the budget step: subsidy, self-contribution and its share, checked
   against the round's limits as people type. The server checks the same rules on save. */
(function () {
  "use strict";

  function parseWon(text) {
    var digits = String(text || "").replace(/[\s,원₩]/g, "");
    return /^\d+$/.test(digits) ? parseInt(digits, 10) : 0;
  }

  function formatWon(value) {
    return value.toLocaleString("ko-KR");
  }

  function init() {
    var form = document.getElementById("budget-form");
    if (!form) {
      return;
    }
    var maxSubsidy = parseWon(form.getAttribute("data-max-subsidy"));
    var minSelf = parseInt(form.getAttribute("data-min-self") || "0", 10);

    function recalculate() {
      var subsidy = 0;
      var own = 0;
      form.querySelectorAll("[data-line]").forEach(function (line) {
        var remove = line.querySelector("input[type=checkbox][name$='-DELETE']");
        if (remove && remove.checked) {
          return;
        }
        var amountInput = line.querySelector("input[data-amount]");
        var sourceSelect = line.querySelector("select[data-source]");
        if (!amountInput || !sourceSelect || line.closest("template")) {
          return;
        }
        var amount = parseWon(amountInput.value);
        if (sourceSelect.value === "self") {
          own += amount;
        } else {
          subsidy += amount;
        }
      });
      var total = subsidy + own;
      // Rounded down like the server (grants.models.self_contribution_share): 9.96 % shows 9.9.
      var percent = total ? Math.floor((own * 1000) / total) / 10 : 0;
      form.querySelector("[data-total=subsidy]").textContent = formatWon(subsidy);
      form.querySelector("[data-total=self]").textContent = formatWon(own);
      form.querySelector("[data-total=total]").textContent = formatWon(total);
      form.querySelector("[data-total=percent]").textContent = String(percent);
      form.querySelector("[data-warning=max]").classList.toggle("d-none", !(maxSubsidy && subsidy > maxSubsidy));
      form.querySelector("[data-warning=self]").classList.toggle("d-none", !(total && own * 100 < minSelf * total));
    }

    form.addEventListener("input", recalculate);
    form.addEventListener("change", recalculate);

    var addButton = document.getElementById("add-line");
    var container = document.getElementById("budget-lines");
    var template = document.getElementById("empty-line");
    if (addButton && container && template && window.MaeulForms) {
      addButton.classList.remove("d-none");
      addButton.addEventListener("click", function () {
        window.MaeulForms.addRow(container, template, "lines");
        recalculate();
      });
    }
    recalculate();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
