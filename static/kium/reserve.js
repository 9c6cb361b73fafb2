/* 예약하기 step 2 (public/reserve/step_details.html): the two-week calendar.
 *
 *   form[data-reserve-details]   picking a day (input[name=date] with data-open/data-close)
 *                                fills the hours with that day's opening hours, unless the
 *                                guardian typed other hours; the chosen row is marked.
 *
 * Without JavaScript everything still works: blank hours mean "the day's opening hours".
 */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function initCalendar(form) {
    var start = form.querySelector("input[name=start_time]");
    var end = form.querySelector("input[name=end_time]");
    var days = form.querySelectorAll("input[type=radio][name=date]");
    if (!days.length) {
      return;
    }
    // The hours last filled in by this script: typed hours are never overwritten.
    var filled = { start: start ? start.value : "", end: end ? end.value : "" };
    var checked = form.querySelector("input[type=radio][name=date]:checked");
    if (checked && start && end && start.value === checked.getAttribute("data-open") &&
        end.value === checked.getAttribute("data-close")) {
      filled = { start: start.value, end: end.value };
    } else if (start && end && (start.value || end.value)) {
      filled = { start: null, end: null };
    }

    function mark(input) {
      each(days, function (day) {
        var row = day.closest("tr");
        if (row) {
          row.classList.toggle("is-selected", day === input);
        }
      });
    }

    each(days, function (day) {
      day.addEventListener("change", function () {
        if (!day.checked) {
          return;
        }
        mark(day);
        if (!start || !end) {
          return;
        }
        var untouched = (start.value === "" || start.value === filled.start) &&
          (end.value === "" || end.value === filled.end);
        if (untouched) {
          start.value = day.getAttribute("data-open") || "";
          end.value = day.getAttribute("data-close") || "";
          filled = { start: start.value, end: end.value };
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("form[data-reserve-details]"), initCalendar);
  });
})();
