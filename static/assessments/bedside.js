// Bedside pages. No inline script anywhere (a Content-Security-Policy is planned), so the
// pages carry data- attributes and this file reads them.
(function () {
  "use strict";

  // Same rounding as assessments/board.py: minutes left round up, minutes gone round down,
  // and neither is ever shown as 0.
  function minutesUntil(milliseconds) {
    return Math.max(1, Math.ceil(milliseconds / 60000));
  }
  function minutesSince(milliseconds) {
    return Math.max(1, Math.floor(milliseconds / 60000));
  }

  // The board: the server classifies each injection and names the moments that matter;
  // here we only count down to them, and reload when a status changes or a minute passes.
  var board = document.querySelector("[data-board]");
  if (board) {
    var clockOffset = Date.parse(board.dataset.serverNow) - Date.now();
    var loadedAt = Date.now();
    var reloadAfter = Number(board.dataset.reloadSeconds || 60) * 1000;
    var tick = function () {
      var now = Date.now() + clockOffset;
      var reload = Date.now() - loadedAt >= reloadAfter;
      board.querySelectorAll("[data-countdown]").forEach(function (element) {
        var to = element.dataset.countdownTo;
        var from = element.dataset.countdownFrom;
        var minutes = to ? minutesUntil(Date.parse(to) - now) : minutesSince(now - Date.parse(from));
        element.textContent = element.dataset.countdown.replace("{n}", minutes);
      });
      board.querySelectorAll("[data-changes-at]").forEach(function (element) {
        if (Date.parse(element.dataset.changesAt) <= now) {
          reload = true;
        }
      });
      if (reload) {
        window.location.reload();
      }
    };
    tick();
    window.setInterval(tick, 5000);
  }

  // Quick entry: say how many minutes after the injection the chosen time is.
  document.querySelectorAll("[data-minutes-after]").forEach(function (output) {
    var input = document.getElementById(output.dataset.minutesAfter);
    var performedAt = Date.parse(output.dataset.performedAt);
    var offsetMinutes = Number(output.dataset.utcOffsetMinutes);
    var windowStart = Number(output.dataset.windowStart);
    var windowEnd = Number(output.dataset.windowEnd);
    if (!input) {
      return;
    }
    var update = function () {
      // The input holds clinic local time without a zone; the server gave the offset.
      var local = Date.parse(input.value + "Z");
      if (Number.isNaN(local)) {
        output.textContent = "";
        return;
      }
      var minutes = (local - offsetMinutes * 60000 - performedAt) / 60000;
      var inWindow = minutes >= windowStart && minutes <= windowEnd;
      output.textContent =
        minutes.toFixed(1) + " min after the injection" +
        (inWindow ? " (in the " : " (outside the ") + windowStart + "–" + windowEnd + " min window)";
      output.classList.toggle("text-success", inWindow);
      output.classList.toggle("text-danger", !inWindow);
    };
    input.addEventListener("input", update);
    update();
  });
})();
