// Text typed into a long form (the asset editor, a whole file, an event, an activity's progress) is
// copied into this tab's sessionStorage as it is typed. When the save does not go through (the sign-in
// ended while the page stood open, the form's token with it, the network dropped), the form offers the
// copy back the next time it opens in this tab; nothing is put back without the writer's click.
// The copy is forgotten when the server accepted the form (it names the form in data-unsaved-done),
// at sign-out, and when the tab closes: it never outlives the tab, and another account never sees it.
(function () {
  "use strict";
  var PREFIX = "km-unsaved:";
  var store = null;
  try { store = window.sessionStorage; store.getItem(PREFIX); } catch (e) { return; }  // storage off: nothing kept
  var body = document.body;
  var account = body.getAttribute("data-account") || "";

  function forget(path) {
    if (path !== "*") { store.removeItem(PREFIX + path); return; }
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) { store.removeItem(name); }
    }
  }
  var done = body.getAttribute("data-unsaved-done");
  if (done) { forget(done); }
  if (!account) { return; }  // signed out: a sign-in that ended keeps its copies for the same account's return
  for (var i = store.length - 1; i >= 0; i--) {  // another account's copies go: the next user of a shared
    var name = store.key(i);                     // computer never holds them (verification review V-01)
    if (!name || name.indexOf(PREFIX) !== 0) { continue; }
    var owner = null;
    try { owner = JSON.parse(store.getItem(name)).account; } catch (e) { owner = null; }
    if (owner !== account) { store.removeItem(name); }
  }

  var form = document.querySelector("form[data-keep-unsaved]");
  if (!form) { return; }
  // "replace": the page holds the writer's own text already (the merge page): it is kept as it
  // stands, never offered against (verification review V-02)
  var replacing = form.getAttribute("data-keep-unsaved") === "replace";
  var path = location.pathname;
  try { path = decodeURIComponent(path); } catch (e) { /* kept as sent */ }  // as the server names it
  var key = PREFIX + path;
  var KEPT = "input:not([type=password]):not([type=file]):not([type=submit]):not([type=button])" +
             ":not([name=csrf_token]), textarea, select";

  function snapshot() {  // [name, value] pairs, in the form's order; a checkbox counts when ticked
    var pairs = [];
    form.querySelectorAll(KEPT).forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { pairs.push([el.name, el.value]); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { pairs.push([el.name, o.value]); });
      } else {
        pairs.push([el.name, el.value.replace(/\r\n/g, "\n")]);
      }
    });
    return pairs;
  }
  function typed(pairs) {  // what the writer typed: the version the form was opened from is not text
    return JSON.stringify(pairs.filter(function (p) { return p[0] !== "base_sha" && p[0] !== "merged"; }));
  }
  function restore(pairs) {
    var values = {};
    pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    form.querySelectorAll(KEPT).forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      var given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = given.indexOf(o.value) >= 0; });
      } else if (given.length) {
        el.value = given.shift();
        values[el.name] = given;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));  // the preview and "unsaved changes" follow
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  function ago(ms) {
    var minutes = Math.max(0, Math.round((Date.now() - ms) / 60000));
    if (minutes < 1) { return "เมื่อครู่นี้"; }
    if (minutes < 60) { return "เมื่อ " + minutes + " นาทีที่แล้ว"; }
    var hours = Math.floor(minutes / 60);
    return hours < 24 ? "เมื่อ " + hours + " ชั่วโมงที่แล้ว" : "เมื่อ " + Math.floor(hours / 24) + " วันที่แล้ว";
  }

  var paused = false;  // while the writer has not chosen, the kept copy is not overwritten
  var timer = null;
  function keep() {
    if (paused) { return; }
    try {
      store.setItem(key, JSON.stringify({ account: account, at: Date.now(), pairs: snapshot() }));
    } catch (e) { /* storage full: the form still posts as usual */ }
  }
  function soon() { clearTimeout(timer); timer = setTimeout(keep, 400); }

  var kept = null;
  try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && (kept.account !== account || !Array.isArray(kept.pairs))) { kept = null; }
  var now = snapshot();
  if (replacing) {
    keep();
  } else if (kept && typed(kept.pairs) !== typed(now)) {
    paused = true;
    var base = form.querySelector("input[name=base_sha]");
    var was = kept.pairs.filter(function (p) { return p[0] === "base_sha"; })[0];
    var moved = base && was && was[1] !== base.value;
    var offer = document.createElement("div");
    offer.className = "flash flash-warning unsaved-offer";
    offer.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = "มีข้อความที่พิมพ์ไว้ในแบบฟอร์มนี้" + ago(kept.at) + " แต่ยังไม่ได้บันทึก" +
      (moved ? " (เรื่องนี้มีการบันทึกหลังจากนั้น เมื่อกดบันทึก ระบบจะให้รวมกับฉบับล่าสุดก่อน)" : "");
    var use = document.createElement("button");
    use.type = "button";
    use.className = "button";
    use.textContent = "ใช้ข้อความที่พิมพ์ไว้";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button-secondary";
    drop.textContent = "ทิ้งข้อความนั้น";
    var actions = document.createElement("p");
    actions.appendChild(use);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(drop);
    form.parentNode.insertBefore(offer, form);
    setTimeout(function () {  // filled once it is in the page, so a screen reader says it (V-07)
      offer.appendChild(text);
      offer.appendChild(actions);
    }, 150);
    var settle = function (message) {
      offer.textContent = "";
      var said = document.createElement("p");
      said.textContent = message;
      offer.appendChild(said);
      paused = false;
    };
    var toForm = function () {  // the button pressed is gone: the focus goes on to the form, not the page
      var first = form.querySelector("textarea, input:not([type=hidden]), select");
      if (first) { first.focus(); }
    };
    use.addEventListener("click", function () {
      restore(kept.pairs);  // the version it was typed on comes back too: a save made since is merged, not lost
      settle("ใส่ข้อความที่พิมพ์ไว้กลับในแบบฟอร์มแล้ว ตรวจดูแล้วกดบันทึก");
      keep();
      toForm();
    });
    drop.addEventListener("click", function () {
      store.removeItem(key);
      settle("ทิ้งข้อความที่พิมพ์ไว้แล้ว");
      toForm();
    });
  }
  // A copy the form already shows is kept as it is: a save refused (422) shows the text sent, and the
  // copy must outlive it (V-03); only the site's acceptance (data-unsaved-done) or a sign-out ends it.
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  form.addEventListener("submit", function () { clearTimeout(timer); keep(); });
})();
