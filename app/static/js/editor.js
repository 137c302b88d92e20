// The asset editor: a Markdown toolbar, pictures pasted or dropped into the body (stored as
// attachments of the asset), a live preview rendered by the server exactly as the asset page
// renders it, and a warning before leaving with unsaved changes. The form works without JavaScript.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  if (!form) { return; }
  var source = form.querySelector("textarea[name=body]");
  var target = document.getElementById("preview");
  var status = document.querySelector("[data-preview-status]");
  var token = form.querySelector("input[name=csrf_token]");
  var toolbar = form.querySelector("[data-md-toolbar]");
  var note = form.querySelector("[data-md-status]");
  var timer = null;
  var sent = 0;
  var dirty = false;

  // The sign-in ended while the page stood open: what is typed stays, and unsaved.js offers it back.
  var SIGNED_OUT = "การเข้าสู่ระบบหมดอายุแล้ว จึงแสดงตัวอย่างไม่ได้ ข้อความที่พิมพ์ยังอยู่: กดบันทึกแล้วเข้าสู่ระบบใหม่ " +
                   "หน้านี้จะเสนอข้อความที่พิมพ์ไว้ให้ใช้ต่อ";
  function show(text) { if (status) { status.textContent = text; } }
  function say(text) { if (note) { note.textContent = text; } }
  function csrf() { return token ? token.value : ""; }

  // -- live preview ----------------------------------------------------------------------
  function refresh() {
    var number = ++sent;
    var data = new FormData();
    data.append("body", source.value);
    data.append("slug", form.getAttribute("data-slug") || "");
    data.append("csrf_token", csrf());
    show("กำลังแสดงตัวอย่าง…");
    fetch(target.getAttribute("data-preview-url"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (number !== sent) { return; }  // a newer preview is on its way
      target.innerHTML = html;  // already sanitised on the server (nh3), like the asset page
      show("");
    }).catch(function (error) {
      if (number !== sent) { return; }
      // 401: the sign-in ended; 400: the form's token went with a sign-out in another tab (V-04)
      show(error.message === "401" || error.message === "400" ? SIGNED_OUT
        : "แสดงตัวอย่างไม่ได้ชั่วคราว (เนื้อหาที่พิมพ์ยังอยู่ครบ)");
    });
  }
  function changed() { dirty = true; clearTimeout(timer); timer = setTimeout(refresh, 350); }

  // -- editing the selection ---------------------------------------------------------------
  // execCommand keeps the browser's undo history; setRangeText is the fallback.
  function replace(start, end, text, selectFrom, selectTo) {
    source.focus();
    source.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done || source.value.substring(start, start + text.length) !== text) {
      source.setRangeText(text, start, end, "end");
      source.dispatchEvent(new Event("input", { bubbles: true }));
    }
    source.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function wrap(before, after, placeholder) {
    var s = source.selectionStart, e = source.selectionEnd;
    var inner = source.value.substring(s, e) || placeholder;
    replace(s, e, before + inner + after, before.length, before.length + inner.length);
  }

  // Prefix every line of the selection ("## ", "- ", "1. ", "- [ ] "); all prefixed already: remove it.
  function prefixLines(prefixOf, pattern) {
    var value = source.value, end = source.selectionEnd;
    if (end > source.selectionStart && value[end - 1] === "\n") { end -= 1; }  // whole lines selected
    var s = value.lastIndexOf("\n", source.selectionStart - 1) + 1;
    var e = value.indexOf("\n", end);
    if (e < 0) { e = value.length; }
    var lines = value.substring(s, e).split("\n");
    var all = lines.every(function (line) { return pattern.test(line); });
    var text = lines.map(function (line, i) {
      return all ? line.replace(pattern, "") : prefixOf(i) + line.replace(LINE_MARK, "");
    }).join("\n");
    replace(s, e, text, text.length, text.length);
  }
  var LINE_MARK = /^(#{1,6} |[-*+] \[[ xX]\] |[-*+] |\d+[.)] )/;

  function insertBlock(text, selectFrom, selectTo) {
    var s = source.selectionStart, e = source.selectionEnd, value = source.value;
    var lead = s === 0 || value[s - 1] === "\n" ? (s > 1 && value[s - 2] !== "\n" ? "\n" : "") : "\n\n";
    replace(s, e, lead + text + "\n", lead.length + selectFrom, lead.length + selectTo);
  }

  var ACTIONS = {
    heading: function () { prefixLines(function () { return "## "; }, /^#{1,6} /); },
    bold: function () { wrap("**", "**", "ข้อความตัวหนา"); },
    list: function () { prefixLines(function () { return "- "; }, /^[-*+] (?!\[)/); },
    steps: function () { prefixLines(function (i) { return (i + 1) + ". "; }, /^\d+[.)] /); },
    checklist: function () { prefixLines(function () { return "- [ ] "; }, /^[-*+] \[[ xX]\] /); },
    table: function () {
      var head = "| หัวข้อ | รายละเอียด | หมายเหตุ |";
      insertBlock(head + "\n| --- | --- | --- |\n|  |  |  |", 2, 8);
    },
    link: function () {
      var s = source.selectionStart, e = source.selectionEnd;
      var label = source.value.substring(s, e) || "ข้อความลิงก์";
      var text = "[" + label + "](https://)";
      replace(s, e, text, label.length + 3, text.length - 1);  // select "https://" to type over
    },
    image: function () {
      var picker = form.querySelector("[data-md-file]");
      if (uploadUrl() && picker) { picker.click(); } else { say(NEED_SAVE); }
    }
  };
  var SHORTCUTS = { "b": "bold", "k": "link", "alt+2": "heading", "shift+8": "list", "shift+7": "steps",
                    "shift+9": "checklist" };

  function shortcut(event) {
    if (!(event.ctrlKey || event.metaKey)) { return; }
    var key = (event.altKey ? "alt+" : "") + (event.shiftKey ? "shift+" : "") +
      (event.code && event.code.indexOf("Digit") === 0 ? event.code.slice(5) : event.key.toLowerCase());
    var action = SHORTCUTS[key];
    if (action) { event.preventDefault(); ACTIONS[action](); }
  }

  // Arrow keys move along the toolbar (one tab stop for the whole toolbar, as ARIA advises).
  function roving(event) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) { return; }
    var next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) { return; }
    event.preventDefault();
    next = (next + buttons.length) % buttons.length;
    buttons.forEach(function (b, i) { b.tabIndex = i === next ? 0 : -1; });
    buttons[next].focus();
  }

  // -- pictures pasted, dropped or chosen ----------------------------------------------------
  var NEED_SAVE = "บันทึกขุมความรู้นี้ครั้งแรกก่อน จึงจะใส่รูปภาพได้ (รูปเก็บเป็นไฟล์แนบของเรื่อง)";
  function uploadUrl() { return form.getAttribute("data-image-url") || ""; }
  function images(list) {
    return Array.prototype.filter.call(list || [], function (f) { return /^image\//.test(f.type); });
  }

  function upload(file) {
    var data = new FormData();
    var kind = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" }[file.type];
    var generic = !file.name || /^image\.\w+$/.test(file.name);  // what a clipboard calls every picture
    data.append("file", file, generic ? "รูปที่วาง." + (kind || "png") : file.name);
    say("กำลังอัปโหลดรูป " + (file.name || "") + "…");
    return fetch(uploadUrl(), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { reason: "อัปโหลดไม่สำเร็จ (รหัส " + response.status + ")" }; })
        .then(function (reply) {
          if (!response.ok) { throw new Error(reply.reason || "อัปโหลดไม่สำเร็จ"); }
          return reply;
        });
    }).then(function (reply) {
      insertBlock(reply.markdown, 2, 2 + "รูปประกอบ".length);  // alt text selected: type what the picture shows
      say("ใส่รูป " + reply.name + " แล้ว (เก็บเป็นไฟล์แนบ" + (reply.shrunk ? ": " + reply.shrunk : "") +
          ") พิมพ์คำอธิบายรูปแทนคำว่า “รูปประกอบ”");
    }).catch(function (error) {
      say(error.message === "Failed to fetch" ? "อัปโหลดไม่ได้ ตรวจการเชื่อมต่อแล้วลองอีกครั้ง" : error.message);
    });
  }

  function uploadAll(files) {
    if (!uploadUrl()) { say(NEED_SAVE); return; }
    files.reduce(function (chain, file) { return chain.then(function () { return upload(file); }); },
                 Promise.resolve());
  }

  // -- text pasted from a word processor -------------------------------------------------------
  // Word, LibreOffice and Google Docs put HTML on the clipboard: the server turns its headings,
  // lists and tables into Markdown (app/publish/pasted.py). Plain text with tab-separated rows or
  // bullet characters is tidied the same way; anything else is pasted as the browser pastes it.
  var FORMATTED = /<(h[1-6]|li|table)\b|urn:schemas-microsoft-com:office|docs-internal-guid|mso-list/i;
  var TIDY_TEXT = /\t|^[ \t]*[·•▪◦]/m;
  function pasteFormatted(event, html, text) {
    var url = form.getAttribute("data-paste-url");
    var formatted = FORMATTED.test(html);
    if (!url || (!formatted && !TIDY_TEXT.test(text))) { return; }
    event.preventDefault();
    var start = source.selectionStart, end = source.selectionEnd;
    say("กำลังแปลงรูปแบบข้อความที่วาง…");
    fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify({ html: formatted ? html : "", text: text }),
      headers: { "X-CSRFToken": csrf(), "Content-Type": "application/json", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (reply) {
      replace(start, end, reply.markdown, reply.markdown.length, reply.markdown.length);
      say("แปลงหัวข้อ รายการ และตารางจากเอกสารที่วางแล้ว ตรวจดูในตัวอย่าง (ถ้าไม่ต้องการ กด Ctrl+Z)");
    }).catch(function () {
      replace(start, end, text, text.length, text.length);
      say("แปลงรูปแบบของข้อความที่วางไม่ได้ จึงวางเป็นข้อความล้วน");
    });
  }

  function onPaste(event) {
    var data = event.clipboardData;
    var text = data ? data.getData("text/plain") : "";
    if (text.trim()) {  // Word and Excel put a picture of the text on the clipboard too: the text wins
      pasteFormatted(event, data.getData("text/html") || "", text);
      return;
    }
    var files = images(data && data.files);
    if (!files.length) { return; }
    event.preventDefault();
    uploadAll(files);
  }

  function onDrop(event) {
    var all = event.dataTransfer ? event.dataTransfer.files : [];
    if (!all || !all.length) { return; }
    event.preventDefault();
    var files = images(all);
    if (files.length < all.length) {
      say("วางในเนื้อหาได้เฉพาะรูปภาพ PNG, JPG, GIF และ WEBP (ไฟล์อื่นแนบได้ที่หน้าไฟล์แนบ)");
    }
    if (files.length) { uploadAll(files); }  // inserted at the caret the text area already has
  }

  // -- wiring ----------------------------------------------------------------------------
  if (source && target) { source.addEventListener("input", changed); }
  if (source && toolbar) {
    toolbar.hidden = false;
    toolbar.querySelectorAll("button").forEach(function (button, i) {
      button.tabIndex = i === 0 ? 0 : -1;
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
      button.addEventListener("click", function () { ACTIONS[button.getAttribute("data-md")](); });
    });
    toolbar.addEventListener("keydown", roving);
    source.addEventListener("keydown", shortcut);
    source.addEventListener("paste", onPaste);
    source.addEventListener("dragover", function (event) { event.preventDefault(); });
    source.addEventListener("drop", onDrop);
    var picker = form.querySelector("[data-md-file]");
    if (picker) {
      picker.addEventListener("change", function () { uploadAll(images(picker.files)); picker.value = ""; });
    }
  }
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
