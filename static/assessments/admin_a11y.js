// The admin's inline tables scroll sideways on a phone: a keyboard user must be able to
// reach and scroll them too (WCAG 2.1.1), so each inline group takes the focus.
(function () {
  "use strict";
  // A table heading left empty (the inline rows' first column) still names its column.
  document.querySelectorAll(".inline-group thead th").forEach(function (heading) {
    if (!heading.textContent.trim()) {
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = "Record";
      heading.appendChild(words);
    }
  });
  document.querySelectorAll(".inline-group").forEach(function (group) {
    var heading = group.querySelector("h2");
    group.tabIndex = 0;
    group.setAttribute("role", "region");
    if (heading) {
      heading.id = heading.id || group.id + "-heading";
      group.setAttribute("aria-labelledby", heading.id);
    }
  });
})();
