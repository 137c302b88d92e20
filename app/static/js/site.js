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
  // A message said in place of a form just sent (the vote under an asset) takes the focus, so it is read out.
  var said = document.querySelector("[data-focus]");
  if (said) { said.focus(); }
  // Facets start folded on narrow screens so results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches) {
    document.querySelectorAll("details.facets").forEach(function (d) { d.removeAttribute("open"); });
  }
})();
