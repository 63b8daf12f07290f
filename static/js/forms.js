/* Form helpers for the resident's pages: move focus to the error summary, and let people add
   rows to a formset without a page load. Everything works without JavaScript too. */
(function () {
  "use strict";

  function focusErrors() {
    var summary = document.getElementById("error-summary") || document.getElementById("problems");
    if (summary) {
      summary.focus();
    }
  }

  // Adds a row from a <template>, renumbering the formset's __prefix__ and TOTAL_FORMS.
  function addRow(container, template, prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return null;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var wrapper = document.createElement("div");
    wrapper.innerHTML = html.trim();
    var row = wrapper.firstElementChild;
    container.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
    return row;
  }

  function wireAddButtons() {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var container = document.getElementById(button.getAttribute("data-add-row"));
      var template = document.getElementById(button.getAttribute("data-template"));
      var prefix = button.getAttribute("data-prefix");
      if (!container || !template) {
        return;
      }
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        var row = addRow(container, template, prefix);
        if (row) {
          button.dispatchEvent(new CustomEvent("row-added", { bubbles: true, detail: { row: row } }));
        }
      });
    });
  }

  window.MaeulForms = { addRow: addRow, focusErrors: focusErrors };
  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    wireAddButtons();
  });
})();
