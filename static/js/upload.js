/* Upload with a progress bar (XMLHttpRequest's upload progress). Without JavaScript, or if
   anything goes wrong before sending, the form posts normally. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("upload-form");
    if (!form || !window.XMLHttpRequest || !window.FormData) {
      return;
    }
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-progress-bar");
    var text = document.getElementById("upload-progress-text");
    var tooBig = document.getElementById("upload-too-big");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes") || "0", 10);

    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      var file = input && input.files && input.files[0];
      if (file && maxBytes && file.size > maxBytes) {
        event.preventDefault();
        tooBig.classList.remove("d-none");
        input.focus();
        return;
      }
      tooBig.classList.add("d-none");
      if (!file) {
        return; // let the server say that a file is needed
      }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      box.classList.remove("d-none");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.value = percent;
          text.textContent = percent + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && type.indexOf("application/json") === 0) {
          window.location.assign(JSON.parse(xhr.responseText).redirect);
          return;
        }
        // Errors come back as the whole page: show its main part, with the error summary.
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = doc.getElementById("main");
        if (main) {
          document.getElementById("main").replaceWith(main);
          init();
          if (window.MaeulForms) {
            window.MaeulForms.focusErrors();
          }
        } else {
          form.submit();
        }
      });
      xhr.addEventListener("error", function () {
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
