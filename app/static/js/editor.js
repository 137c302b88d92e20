// The asset editor: live preview rendered by the server exactly as the asset page renders it,
// and a warning before leaving the page with unsaved changes. The form works without JavaScript.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  if (!form) { return; }
  var source = form.querySelector("textarea[name=body]");
  var target = document.getElementById("preview");
  var status = document.querySelector("[data-preview-status]");
  var token = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var sent = 0;
  var dirty = false;

  function show(text) { if (status) { status.textContent = text; } }

  function refresh() {
    var number = ++sent;
    var data = new FormData();
    data.append("body", source.value);
    data.append("csrf_token", token ? token.value : "");
    show("กำลังแสดงตัวอย่าง…");
    fetch(target.getAttribute("data-preview-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (number !== sent) { return; }  // a newer preview is on its way
      target.innerHTML = html;  // already sanitised on the server (nh3), like the asset page
      show("");
    }).catch(function () {
      show("แสดงตัวอย่างไม่ได้ชั่วคราว (เนื้อหาที่พิมพ์ยังอยู่ครบ)");
    });
  }

  if (source && target) {
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 350);
    });
  }
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
