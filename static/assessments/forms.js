// Every page with a form: the error summary takes the focus when the page comes back with
// errors (a screen reader reads it, a phone scrolls to it), and each of its links moves the
// focus to its field's first input rather than only scrolling there.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.querySelectorAll("a[data-error-field]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.querySelector(link.getAttribute("href"));
      var fields = "input:not([type=hidden]), select, textarea";
      var input = target && (target.matches(fields) ? target : target.querySelector(fields));
      if (input) {
        event.preventDefault();
        input.focus();
        input.scrollIntoView({ block: "center" });
      }
    });
  });
})();

// A "Copy link" button copies the text of the element it names, and says so.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyFrom);
    var status = button.parentElement.querySelector("[data-copy-status]");
    button.addEventListener("click", function () {
      var say = function (words) {
        if (status) {
          status.textContent = words;
        }
      };
      if (!source || !navigator.clipboard) {
        say("Select the link and copy it.");
        return;
      }
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { say("Copied."); },
        function () { say("Select the link and copy it."); }
      );
    });
  });
})();
