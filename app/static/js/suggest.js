// Search as you type: a list of suggestions under every search box marked data-suggest="<api url>".
// The ARIA 1.2 combobox pattern (input role=combobox + listbox, aria-activedescendant), keys
// ↑ ↓ Enter Esc, touch. Without JavaScript the box is a plain form that submits a search.
(function () {
  "use strict";
  var KIND_LABELS = { asset: "เรื่อง", person: "ผู้รู้", tag: "แท็ก", word: "คำค้น" };
  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var MAX_CHARS = 200;

  function setUp(input) {
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var listId = input.id + "-suggestions";
    var timer = null;
    var latest = 0;
    var active = -1;
    var items = [];

    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "คำแนะนำการค้นหา");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-suggest");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      if (active >= 0 && options[active]) { options[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      close();
      if (item.kind === "word" || item.kind === "tag") { input.value = item.text; }
      window.location.assign(item.url);
    }

    function option(item, index) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      var text = document.createElement("span");
      li.id = listId + "-" + index;
      li.className = "suggest-option suggest-" + item.kind;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      kind.className = "suggest-kind";
      kind.textContent = KIND_LABELS[item.kind] || "";
      text.className = "suggest-text";
      text.textContent = item.text;  // text, never HTML
      li.appendChild(kind);
      li.appendChild(text);
      // keep the focus in the box (a blur would close the list before the click lands)
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { choose(index); });
      return li;
    }

    function show(found) {
      items = found;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!found.length || document.activeElement !== input) {
        close();
        status.textContent = "";
        return;
      }
      found.forEach(function (item, index) { list.appendChild(option(item, index)); });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = "มีคำแนะนำ " + found.length + " รายการ ใช้ลูกศรขึ้นลงเพื่อเลือก";
    }

    // On a slow line every key sent a request whose answer came after the next key, so no list ever
    // showed while typing (outside review PW-09): the request in flight is dropped when the next goes,
    // answers are kept for the text typed (Backspace, or typing it again, asks nothing), and the
    // pause before asking grows with how long answers take.
    var answers = Object.create(null), kept = [], inFlight = null, wait = DELAY_MS;
    var MAX_KEPT = 40, MAX_WAIT_MS = 600;

    function remember(typed, found) {
      if (!(typed in answers)) { kept.push(typed); }
      answers[typed] = found;
      if (kept.length > MAX_KEPT) { delete answers[kept.shift()]; }
    }

    function fetchSuggestions() {
      var typed = input.value;
      var ticket = ++latest;
      if (inFlight) { inFlight.abort(); inFlight = null; }
      if (typed.trim().length < MIN_CHARS || typed.length > MAX_CHARS) { show([]); return; }
      if (typed in answers) { show(answers[typed]); return; }
      var started = Date.now();
      inFlight = window.AbortController ? new AbortController() : null;
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
        signal: inFlight ? inFlight.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        var found = data.suggestions || [];
        wait = Math.min(MAX_WAIT_MS, Math.max(DELAY_MS, (Date.now() - started) / 2));
        remember(typed, found);
        if (ticket === latest) { inFlight = null; show(found); }  // an older answer is dropped
      }).catch(function () {
        if (ticket === latest) { inFlight = null; show([]); }  // offline, failing or dropped: the box still searches
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (input.value in answers) { fetchSuggestions(); return; }  // known: shown at once
      timer = window.setTimeout(fetchSuggestions, wait);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (!open) { if (items.length) { show(items); } else { fetchSuggestions(); } event.preventDefault(); return; }
        highlight(active + 1 < items.length ? active + 1 : 0);
        event.preventDefault();
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!open) { return; }
        highlight(active > 0 ? active - 1 : items.length - 1);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (open) { close(); event.preventDefault(); } else if (input.value) { input.value = ""; items = []; }
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () { if (items.length && input.value.trim().length >= MIN_CHARS) { show(items); } });
  }

  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    if (input.id && input.form && window.fetch) { setUp(input); }
  });
})();
