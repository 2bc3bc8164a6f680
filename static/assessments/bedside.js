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

// The follow-up week and quick entry by keyboard: a digit picks the score ("1" then "0" quickly is 10),
// Enter saves from any field of the entry, and after a save the next day's time box has
// the focus (the server sends the page to #add-d<day>).
(function () {
  "use strict";
  var forms = document.querySelectorAll(".add-entry-form, .entry-form, #quick-reading");
  forms.forEach(function (form) {
    var lastDigit = { key: "", at: 0 };
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      var inScore = target.type === "radio" && target.closest(".score-buttons");
      // Quick entry: a digit anywhere but a text box picks the score.
      if (!inScore && form.id === "quick-reading" && /^[0-9]$/.test(event.key)) {
        inScore = !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.type === "radio";
      }
      if (inScore && /^[0-9]$/.test(event.key)) {
        var now = Date.now();
        var value = event.key;
        if (value === "0" && lastDigit.key === "1" && now - lastDigit.at < 1000) {
          value = "10";
        }
        lastDigit = { key: event.key, at: now };
        var choice = form.querySelector('.score-buttons input[value="' + value + '"]');
        if (choice) {
          choice.checked = true;
          choice.focus();
          event.preventDefault();
        }
        return;
      }
      if (event.key === "Enter" && (target.type === "radio" || target.tagName === "SELECT")) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  });
  // Quick entry opens on the score: the checked one, else the first (unless an error
  // summary has the focus).
  var quick = document.getElementById("quick-reading");
  if (quick && !document.querySelector("[data-error-summary]")) {
    var score = quick.querySelector(".score-buttons input:checked") ||
      quick.querySelector(".score-buttons input[type=radio]");
    if (score) {
      score.focus();
    }
  }
  // After the browser has scrolled to the #fragment (which can take the focus away).
  window.addEventListener("load", function () {
    if (!/^#add-d[0-9]+$/.test(window.location.hash)) {
      return;
    }
    var form = document.querySelector(window.location.hash);
    var time = form && form.querySelector(".entry-time-input");
    if (time) {
      window.setTimeout(function () {
        time.focus();
        form.scrollIntoView({ block: "center" });
      }, 0);
    }
  });
})();
