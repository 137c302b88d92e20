// A calendar in the Buddhist era beside every date field marked data-be-date.
// The field stays a text box (31/01/2568, 31 ม.ค. 2568 and 2568-01-31 are all read by the
// server's one date parser); the calendar only writes dd/mm/yyyy (BE) into it. A native
// <input type=date> would show Christian years in most browsers and send ISO dates, so
// what people type would no longer round-trip. No library: the page works offline.
(function () {
  "use strict";
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
  var DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var WEEKDAYS = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"];
  var BE = 543;
  var open = null;  // the calendar now shown: {input, box, month (Date of its 1st)}
  var pressed = null;  // what a pointer is pressing: a press on the toggle is its click's to decide
  document.addEventListener("pointerdown", function (event) { pressed = event.target; }, true);
  document.addEventListener("keydown", function () { pressed = null; }, true);

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(d.charCodeAt(0) - 0x0E50); });
  }
  function ce(year) { return year > 2400 ? year - BE : year; }
  function valid(y, m, d) {
    var day = new Date(y, m, d);
    return day.getFullYear() === y && day.getMonth() === m && day.getDate() === d ? day : null;
  }

  // Enough of the server's parser to open the calendar at the typed date (the server decides).
  function read(text) {
    var t = arabic(text || "").trim().replace(/\s+/g, " "), m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) { return valid(ce(+m[1]), +m[2] - 1, +m[3]); }
    if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) { return valid(ce(+m[3]), +m[2] - 1, +m[1]); }
    if ((m = /^(\d{1,2}) ?(\S+?) ?(\d{4})$/.exec(t))) {
      var month = ABBR.indexOf(m[2]);
      if (month < 0) { month = MONTHS.indexOf(m[2]); }
      return month < 0 ? null : valid(ce(+m[3]), month, +m[1]);
    }
    return null;
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function write(day) { return two(day.getDate()) + "/" + two(day.getMonth() + 1) + "/" + (day.getFullYear() + BE); }
  function same(a, b) { return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate(); }

  function button(text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", onClick);
    return b;
  }

  function draw(focusDay) {
    var box = open.box, first = open.month, chosen = read(open.input.value), today = new Date();
    box.textContent = "";
    var head = document.createElement("div");
    head.className = "bedate-head";
    var title = document.createElement("strong");
    title.id = open.input.id + "-cal-title";
    title.setAttribute("aria-live", "polite");
    title.textContent = MONTHS[first.getMonth()] + " " + (first.getFullYear() + BE);
    head.appendChild(button("‹", "เดือนก่อน", function () { shift(-1); }));
    head.appendChild(title);
    head.appendChild(button("›", "เดือนถัดไป", function () { shift(1); }));
    box.appendChild(head);
    // A group of day buttons, each named in full ("วันพุธที่ 15 มกราคม 2568"): a role=grid needs rows
    // and cells, which screen readers announced missing (outside review, accessibility A-06); the
    // weekday letters above the columns are for the eye, the names already say the weekday.
    var grid = document.createElement("div");
    grid.className = "bedate-grid";
    grid.setAttribute("role", "group");
    grid.setAttribute("aria-labelledby", title.id);
    DAYS.forEach(function (d) {
      var h = document.createElement("span"); h.textContent = d; h.className = "bedate-dow";
      h.setAttribute("aria-hidden", "true");
      grid.appendChild(h);
    });
    for (var pad = 0; pad < first.getDay(); pad++) { grid.appendChild(document.createElement("span")); }
    var last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
    for (var d = 1; d <= last; d++) {
      var day = new Date(first.getFullYear(), first.getMonth(), d);
      var name = "วัน" + WEEKDAYS[day.getDay()] + "ที่ " + d + " " + MONTHS[day.getMonth()] + " " + (day.getFullYear() + BE);
      var b = button(String(d), name + (same(day, today) ? " (วันนี้)" : ""), pick(day));
      b.setAttribute("data-day", d);
      b.tabIndex = -1;
      if (same(day, chosen)) { b.setAttribute("aria-pressed", "true"); }
      if (same(day, today)) { b.className = "bedate-today"; }
      grid.appendChild(b);
    }
    box.appendChild(grid);
    box.appendChild(button("วันนี้", "", pick(today)));
    var target = grid.querySelector('[data-day="' + Math.min(focusDay || 1, last) + '"]');
    target.tabIndex = 0;
    if (focusDay) { target.focus(); }
  }

  function shift(months, day) {
    open.month = new Date(open.month.getFullYear(), open.month.getMonth() + months, 1);
    draw(day || 1);
  }
  function pick(day) {
    return function () {
      open.input.value = write(day);
      open.input.dispatchEvent(new Event("input", { bubbles: true }));
      close(true);
    };
  }

  function keys(event) {
    if (event.key === "Escape") { event.preventDefault(); close(true); return; }
    var at = document.activeElement && document.activeElement.getAttribute("data-day");
    if (!at) { return; }
    var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
    if (event.key === "Home" || event.key === "End") {  // the first or last day of that week
      var weekday = new Date(open.month.getFullYear(), open.month.getMonth(), +at).getDay();
      step = event.key === "Home" ? -weekday : 6 - weekday;
    }
    if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault(); shift(event.key === "PageUp" ? -1 : 1, +at); return;
    }
    if (!step) { return; }
    event.preventDefault();
    var day = new Date(open.month.getFullYear(), open.month.getMonth(), +at + step);
    if (day.getMonth() !== open.month.getMonth()) {
      open.month = new Date(day.getFullYear(), day.getMonth(), 1);
    }
    draw(day.getDate());
  }

  function close(refocus) {
    if (!open) { return; }
    var input = open.input, toggle = open.toggle;
    open.box.remove();
    toggle.setAttribute("aria-expanded", "false");
    open = null;
    if (refocus) { input.focus(); }
  }

  function show(input, toggle) {
    if (open) { var same = open.input === input; close(false); if (same) { return; } }
    var chosen = read(input.value) || new Date();
    var box = document.createElement("div");
    box.className = "bedate";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "เลือกวันที่ (พ.ศ.)");
    box.addEventListener("keydown", keys);
    box.addEventListener("focusout", function () {  // Tab or a click out of it closes it: left open, it
      setTimeout(function () {                       // covered the next field on a phone
        var now = document.activeElement;  // Shift+Tab lands on the toggle: closed too (V-06)
        if (open && open.box === box && !box.contains(now) && now !== document.body &&
            !(now === open.toggle && pressed === open.toggle)) {
          close(false);
        }
      }, 0);
    });
    toggle.parentNode.insertBefore(box, toggle.nextSibling);
    toggle.setAttribute("aria-expanded", "true");
    open = { input: input, toggle: toggle, box: box, month: new Date(chosen.getFullYear(), chosen.getMonth(), 1) };
    draw(chosen.getDate());
  }

  document.querySelectorAll("input[data-be-date]").forEach(function (input) {
    var wrap = document.createElement("span");
    wrap.className = "bedate-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    // the name starts with the word shown, so "click ปฏิทิน" said to a speech-input program finds it
    var toggle = button("ปฏิทิน", "ปฏิทิน " + (input.labels && input.labels[0] ? input.labels[0].textContent : ""),
                        function () { show(input, toggle); });
    toggle.className = "bedate-toggle";
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    wrap.appendChild(toggle);
  });
  document.addEventListener("click", function (event) {
    if (open && event.target.isConnected && !open.box.contains(event.target) && event.target !== open.toggle) {
      close(false);  // a click elsewhere (buttons redrawn inside the calendar are no longer connected)
    }
  });
})();
