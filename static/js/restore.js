/* Puts back what someone typed before their login ended (accounts/stash.py keeps it on the server).
   Formset rows that were added are added again with the page's own "add" button
   (data-restore-add="<prefix>"); every value goes back by field name; nothing is sent. */
(function () {
  "use strict";

  function byName(root, name) {
    return root.querySelectorAll('[name="' + CSS.escape(name) + '"]');
  }

  function targetForm(main, names) {
    var best = null, bestCount = 0;
    main.querySelectorAll("form").forEach(function (form) {
      var count = names.filter(function (name) { return byName(form, name).length; }).length;
      if (count > bestCount) { best = form; bestCount = count; }
    });
    return best;
  }

  function addRows(form, values) {
    Object.keys(values).forEach(function (name) {
      var match = /^(.*)-TOTAL_FORMS$/.exec(name);
      if (!match) { return; }
      var total = byName(form, name)[0];
      var button = form.querySelector('[data-restore-add="' + CSS.escape(match[1]) + '"]');
      var wanted = parseInt(values[name][0], 10);
      for (var guard = 0; total && button && parseInt(total.value, 10) < wanted && guard < 100; guard++) {
        var before = total.value;
        button.click();
        if (total.value === before) { break; }
      }
    });
  }

  function changed(control) {
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore() {
    var data = document.getElementById("restored-form-fields");
    var main = document.getElementById("main");
    if (!data || !main) { return; }
    var values = {};
    JSON.parse(data.textContent).forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    var form = targetForm(main, Object.keys(values));
    if (!form) { return; }
    addRows(form, values);
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var checked = (values[box.name] || []).indexOf(box.value) !== -1;
      if (box.checked !== checked) { box.checked = checked; changed(box); }
    });
    Object.keys(values).forEach(function (name) {
      if (/-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)) { return; }
      var controls = byName(form, name);
      var next = 0;
      controls.forEach(function (control) {
        var type = (control.type || "").toLowerCase();
        if (type === "checkbox" || type === "file" || type === "submit" || type === "button") { return; }
        if (type === "radio") {
          control.checked = values[name].indexOf(control.value) !== -1;
        } else if (control.multiple) {
          Array.prototype.forEach.call(control.options, function (option) {
            option.selected = values[name].indexOf(option.value) !== -1;
          });
        } else if (next < values[name].length) {
          control.value = values[name][next++];
        } else {
          return;
        }
        changed(control);
      });
    });
  }

  // After the page's own scripts have wired their "add a row" buttons (they also wait for this event).
  document.addEventListener("DOMContentLoaded", restore);
})();
