// The visit form: "add another follow-up" from the <template>, and focus on the error summary.
// A static file, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  var total = document.getElementById("id_followups-TOTAL_FORMS");
  var template = document.getElementById("follow-up-template");
  var button = document.getElementById("add-follow-up");
  if (total && template && button) {
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, index);
      document.getElementById("follow-up-more").insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      document.getElementById("id_followups-" + index + "-description").focus();
    });
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
