// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-print]")) { window.print(); }
  });
  // Facets start folded on narrow screens so results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches) {
    document.querySelectorAll("details.facets").forEach(function (d) { d.removeAttribute("open"); });
  }
})();
