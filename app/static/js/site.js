// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // A select chosen with the mouse or a finger shows its choice at once; one walked through with the
  // arrow keys does not reload the page at each key (WCAG 3.2.2): Enter, or the form's button, shows it.
  var keyed = null;
  function autosubmit(el) { return el && el.matches && el.matches("select[data-autosubmit]") && el.form; }
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!autosubmit(el)) { return; }
    if (event.key === "Enter") { event.preventDefault(); el.form.submit(); return; }
    keyed = el;
  });
  document.addEventListener("pointerdown", function () { keyed = null; });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (autosubmit(el) && keyed !== el) { el.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-print]")) { window.print(); }
  });
  // A form sent and not answered yet is not sent again by a second tap: on a slow line the first tap
  // showed nothing for seconds, and events, dissemination records and new assets were saved twice
  // (outside review PW-07). After SENDING_MS, or on coming back to the page, it can be sent again.
  var SENDING_MS = 20000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.target || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    var sentAt = Number(form.getAttribute("data-sent-at") || 0);
    if (sentAt && Date.now() - sentAt < SENDING_MS) { event.preventDefault(); return; }
    form.setAttribute("data-sent-at", String(Date.now()));
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent-at]").forEach(function (form) {
      form.removeAttribute("data-sent-at");
      form.removeAttribute("aria-busy");
    });
  });
  // A message said in place of a form just sent (the vote under an asset) takes the focus, so it is read out.
  var said = document.querySelector("[data-focus]");
  if (said) { said.focus(); }
  // Facets start folded on narrow screens so results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches) {
    document.querySelectorAll("details.facets").forEach(function (d) { d.removeAttribute("open"); });
  }
})();
