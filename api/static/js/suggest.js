// As-you-type entity suggestions for every <input data-suggest="LISTBOX-ID">.
// Results come from /api/entities?q= (ranked there: exact names first, then actors and
// frameworks, then the better connected) and are inserted as text (never as HTML).
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("data-suggest"));
    if (!list) { return; }
    var timer = null, active = -1, items = [], seq = 0;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    function close() {
      list.hidden = true; list.textContent = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(i) {
      active = i;
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
    }
    function show(results) {
      list.textContent = ""; items = []; active = -1;
      results.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.slug = hit.slug;
        li.appendChild(document.createTextNode(hit.label));
        if (hit.matched && hit.matched !== hit.label) {
          var alt = document.createElement("span");
          alt.className = "type"; alt.textContent = "(" + hit.matched + ")";
          li.appendChild(alt);
        }
        var kind = hit.type || (hit.types && hit.types.length ? hit.types[hit.types.length - 1] : "");
        if (kind) {
          var type = document.createElement("span");
          type.className = "type"; type.textContent = kind;
          li.appendChild(type);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); go(hit.slug); });
        list.appendChild(li); items.push(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function go(slug) { window.location.href = "/id/" + encodeURIComponent(slug); }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/api/entities?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (body) { if (mine === seq) { show(body.results || []); } })
          .catch(function () { close(); });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); go(items[active].dataset.slug); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
