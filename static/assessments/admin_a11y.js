// The admin's inline tables scroll sideways on a phone: a keyboard user must be able to
// reach and scroll them too (WCAG 2.1.1), so each inline group takes the focus.
(function () {
  "use strict";
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
