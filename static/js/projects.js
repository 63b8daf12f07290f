/* Live checks for a project's plan and ledger, as people type. The server checks the same
   rules again on save (projects/rules.py and projects/services.py). */
(function () {
  "use strict";

  function parseWon(text) {
    var digits = String(text || "").replace(/[\s,원₩]/g, "");
    return /^\d+$/.test(digits) ? parseInt(digits, 10) : 0;
  }

  function formatWon(value) {
    return value.toLocaleString("ko-KR");
  }

  function toggle(form, name, on) {
    var node = form.querySelector("[data-warning=" + name + "]");
    if (node) {
      node.classList.toggle("d-none", !on);
    }
  }

  function initPlan() {
    var form = document.getElementById("plan-form");
    if (!form) {
      return;
    }
    var award = parseWon(form.getAttribute("data-award"));
    var minSelf = parseInt(form.getAttribute("data-min-self") || "0", 10);

    function recalculate() {
      var subsidy = 0;
      var own = 0;
      form.querySelectorAll("[data-line]").forEach(function (line) {
        var remove = line.querySelector("input[type=checkbox][name$='-DELETE']");
        var amount = line.querySelector("input[data-amount]");
        var source = line.querySelector("select[data-source]");
        if ((remove && remove.checked) || !amount || !source || line.closest("template")) {
          return;
        }
        if (source.value === "self") {
          own += parseWon(amount.value);
        } else {
          subsidy += parseWon(amount.value);
        }
      });
      var total = subsidy + own;
      form.querySelector("[data-total=subsidy]").textContent = formatWon(subsidy);
      form.querySelector("[data-total=self]").textContent = formatWon(own);
      form.querySelector("[data-total=percent]").textContent = String(total ? Math.round((own * 1000) / total) / 10 : 0);
      toggle(form, "award", subsidy !== award);
      toggle(form, "self", total > 0 && own * 100 < minSelf * total);
    }

    form.addEventListener("input", recalculate);
    form.addEventListener("change", recalculate);
    var addButton = document.getElementById("add-line");
    var container = document.getElementById("plan-lines");
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

  function initExpense() {
    var form = document.getElementById("expense-form");
    var flagsNode = document.getElementById("category-flags");
    if (!form || !flagsNode) {
      return;
    }
    var flags = {};
    JSON.parse(flagsNode.textContent).forEach(function (c) {
      flags[String(c.id)] = c;
    });
    var start = form.getAttribute("data-period-start");
    var end = form.getAttribute("data-period-end");
    var instructorCap = parseWon(form.getAttribute("data-instructor-cap"));
    var mealCap = parseWon(form.getAttribute("data-meal-cap"));

    function value(name) {
      var checked = form.querySelector("[name=" + name + "]:checked");
      if (checked) {
        return checked.value;
      }
      var field = form.querySelector("[name=" + name + "]");
      return field && field.type !== "radio" ? field.value : "";
    }

    function recalculate() {
      var category = flags[value("category")] || {};
      var amount = parseWon(value("amount"));
      var source = value("source");
      var date = value("spent_on");
      var hours = parseInt(value("hours") || "0", 10);
      var people = parseInt(value("headcount") || "0", 10);
      form.querySelectorAll("[data-only]").forEach(function (node) {
        node.classList.toggle("d-none", !category[node.getAttribute("data-only")]);
      });
      toggle(form, "period", Boolean(date) && ((start && date < start) || (end && date > end)));
      toggle(form, "subsidy", source === "subsidy" && category.subsidy === false);
      toggle(form, "instructor", Boolean(category.instructor && instructorCap && hours && amount > instructorCap * hours));
      toggle(form, "meal", Boolean(category.meal && mealCap && people && amount > mealCap * people));
      // The totals above show what this expense would make of its category.
      document.querySelectorAll("[data-category-row]").forEach(function (row) {
        ["subsidy", "self"].forEach(function (kind) {
          var base = parseInt(row.getAttribute("data-spent-" + kind) || "0", 10);
          var mine = row.getAttribute("data-category-row") === value("category") && source === kind ? amount : 0;
          var node = row.querySelector("[data-live=" + kind + "]");
          if (node) {
            node.textContent = formatWon(base + mine);
            node.classList.toggle("fw-bold", mine > 0);
          }
        });
      });
    }

    form.addEventListener("input", recalculate);
    form.addEventListener("change", recalculate);
    recalculate();
  }

  document.addEventListener("DOMContentLoaded", function () {
    initPlan();
    initExpense();
  });
})();
