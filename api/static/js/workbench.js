// The SPARQL workbench: CodeMirror editor with completion of prefixes, pg: terms and entity
// names; results as a sortable table, a network (CONSTRUCT or ?s ?p ?o) or a bar chart (a
// label and a number), each IRI shown by its label in the language picked (raw values on
// request); a history of the queries run. Names and history come from workbench-names.js.
// Everything from the results is inserted as text, never as HTML.
(function () {
  "use strict";
  var textarea = document.getElementById("query-text");
  if (!textarea) { return; }
  var data = document.getElementById("workbench-data");
  var prefixes = JSON.parse(data.getAttribute("data-prefixes") || "{}");
  var terms = JSON.parse(data.getAttribute("data-terms") || "[]");
  var entityBase = data.getAttribute("data-entity-base");
  var form = document.getElementById("query-form");
  var statusEl = document.getElementById("result-status");
  var errorEl = document.getElementById("query-error");
  var modesEl = document.getElementById("result-modes");
  var tableEl = document.getElementById("result-table");
  var graphEl = document.getElementById("result-graph");
  var chartEl = document.getElementById("result-chart");
  var editor = null, errorMark = null, network = null;
  var names = window.pgNames;
  var langSelect = document.getElementById("label-lang");
  var rawBox = document.getElementById("raw-values");
  // IRI → label in the language picked; raw: show IRIs and language tags instead.
  var labelOf = {}, raw = false, lang = names ? names.language() : "en";
  langSelect.value = lang;
  window.pgWorkbench = { rows: 0, mode: null, done: false };
  // <body data-done="1"> once the results (or the error) are shown: tests wait for it.
  function finish() { window.pgWorkbench.done = true; document.body.setAttribute("data-done", "1"); }

  // ---- editor -------------------------------------------------------------------------
  // Entity names matching text, as completions that insert id:slug.
  function entityHints(text, from, to, list) {
    return names.entities(text, 15).then(function (found) {
      found.forEach(function (e) {
        var shown = e.label + (e.matched && e.matched !== e.label ? " (" + e.matched + ")" : "");
        list.push({ text: "id:" + e.slug, displayText: shown + " — id:" + e.slug });
      });
      return { list: list, from: from, to: to };
    });
  }
  function hint(cm) {
    var cur = cm.getCursor(), line = cm.getLine(cur.line);
    var start = cur.ch;
    // Letters of any script: a name may be typed in Japanese or Korean.
    while (start > 0 && /[\w:\-\u00C0-\uFFFF]/.test(line.charAt(start - 1))) { start--; }
    var word = line.slice(start, cur.ch), list = [];
    var colon = word.indexOf(":");
    var from = CodeMirror.Pos(cur.line, start), to = CodeMirror.Pos(cur.line, cur.ch);
    if (colon === 2 && word.slice(0, 2) === "id" && names) {
      return entityHints(word.slice(3), from, to, list);
    }
    if (colon < 0) {
      Object.keys(prefixes).forEach(function (name) {
        if (name.indexOf(word.toLowerCase()) === 0) { list.push({ text: name + ":", displayText: name + ":  <" + prefixes[name] + ">" }); }
      });
      if ("prefix".indexOf(word.toLowerCase()) === 0 && word) {
        Object.keys(prefixes).forEach(function (name) {
          list.push({ text: "PREFIX " + name + ": <" + prefixes[name] + ">\n", displayText: "PREFIX " + name + ": <" + prefixes[name] + ">" });
        });
      }
      // A word of two or more letters may be the start of an entity's name too.
      if (names && word.length >= 2) { return entityHints(word, from, to, list); }
    } else if (word.slice(0, colon) === "pg") {
      var rest = word.slice(colon + 1).toLowerCase();
      terms.forEach(function (t) { if (t.toLowerCase().indexOf(rest) === 0) { list.push("pg:" + t); } });
    }
    return { list: list, from: from, to: to };
  }
  if (window.CodeMirror) {
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query",
      lineNumbers: true,
      matchBrackets: true,
      indentUnit: 2,
      viewportMargin: Infinity,
      screenReaderLabel: "SPARQL query",
      extraKeys: {
        "Ctrl-Space": function (cm) { cm.showHint({ hint: hint, completeSingle: false }); },
        "Ctrl-Enter": function () { submit(); },
        "Cmd-Enter": function () { submit(); },
        // Tab leaves the editor, so keyboard users are never trapped in it.
        "Tab": false,
        "Shift-Tab": false
      }
    });
    editor.on("inputRead", function (cm, change) {
      if (change.text.length === 1 && change.text[0] === ":") {
        var cur = cm.getCursor(), before = cm.getLine(cur.line).slice(0, cur.ch);
        if (/(^|[^\w])pg:$/.test(before)) { cm.showHint({ hint: hint, completeSingle: false }); }
      } else if (change.text.length === 1 && !cm.state.completionActive) {
        // After id: and a letter, offer the entities whose names start so.
        var here = cm.getCursor(), typed = cm.getLine(here.line).slice(0, here.ch);
        if (/(^|[^\w])id:[^\s:]$/.test(typed)) { cm.showHint({ hint: hint, completeSingle: false }); }
      }
    });
    editor.on("change", function () { clearErrorMark(); });
  }
  function queryText() { return editor ? editor.getValue() : textarea.value; }
  function submit() {
    if (editor) { editor.save(); }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
  form.addEventListener("submit", function () {
    if (editor) { editor.save(); }
    // A query typed by hand is no longer the example.
    var example = form.querySelector("input[name=example]");
    if (example && example.dataset.original !== undefined && example.dataset.original !== textarea.value) { example.disabled = true; }
  });
  var exampleInput = form.querySelector("input[name=example]");
  if (exampleInput) { exampleInput.dataset.original = textarea.value; }

  function clearErrorMark() { if (errorMark) { errorMark.clear(); errorMark = null; } }

  // ---- running --------------------------------------------------------------------------
  function kindOf(text) {
    var stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, "<>").replace(/"(?:[^"\\]|\\.)*"/g, '""');
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
    return m ? m[1].toUpperCase() : "SELECT";
  }
  function showError(message) {
    modesEl.hidden = true; tableEl.textContent = ""; graphEl.hidden = true; chartEl.hidden = true;
    errorEl.hidden = false;
    errorEl.textContent = "";
    var m = /(\d+):(\d+)/.exec(message);
    var head = document.createElement("strong");
    head.textContent = m ? "Error at line " + m[1] + ", column " + m[2] + ": " : "Error: ";
    errorEl.appendChild(head);
    errorEl.appendChild(document.createTextNode(message));
    if (m && editor) {
      var line = Math.max(0, parseInt(m[1], 10) - 1), ch = Math.max(0, parseInt(m[2], 10) - 1);
      clearErrorMark();
      var from = CodeMirror.Pos(line, ch), to = CodeMirror.Pos(line, ch + 1);
      if (editor.getLine(line) !== undefined && ch >= editor.getLine(line).length) { from = CodeMirror.Pos(line, Math.max(0, ch - 1)); to = CodeMirror.Pos(line, ch); }
      errorMark = editor.markText(from, to, { className: "cm-error-mark", attributes: { title: message } });
      editor.setCursor(from);
    }
    statusEl.textContent = "The query failed.";
  }
  function run() {
    var text = queryText(), kind = kindOf(text);
    var graphResult = kind === "CONSTRUCT" || kind === "DESCRIBE";
    statusEl.textContent = "Running…";
    errorEl.hidden = true;
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": graphResult ? "application/n-triples" : "application/sparql-results+json"
      },
      body: "query=" + encodeURIComponent(text)
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (body) {
          var message = body;
          try { message = JSON.parse(body).error || body; } catch (e) { /* plain text */ }
          showError(response.status + " — " + message);
          remember(text, null);
          finish();
        });
      }
      var type = response.headers.get("content-type") || "";
      // The server cuts results past its row limit and says so in these headers.
      var cutAt = response.headers.get("Policygraph-Truncated") === "true"
        ? response.headers.get("Policygraph-Row-Limit") : null;
      if (type.indexOf("n-triples") >= 0) {
        return response.text().then(function (body) {
          var triples = parseNTriples(body);
          return named(triples.map(function (t) { return [t.s, t.p, t.o]; })).then(function () {
            showTriples(triples, started); noteTruncation(cutAt); remember(text, triples.length);
          });
        });
      }
      return response.json().then(function (body) {
        var rows = body.results ? body.results.bindings : [];
        return named(rows.map(function (r) { return Object.keys(r).map(function (k) { return r[k]; }); })).then(function () {
          showSolutions(body, started); noteTruncation(cutAt); remember(text, body.results ? rows.length : null);
        });
      });
    }).catch(function (error) {
      showError(String(error));
      finish();
    });
  }

  function noteTruncation(limit) {
    if (!limit) { return; }
    var note = document.createElement("strong");
    note.className = "truncated";
    note.textContent = " Truncated: only the first " + limit +
      " results are shown (the server's limit); add LIMIT and OFFSET to page through the rest.";
    statusEl.appendChild(note);
  }

  // ---- terms -----------------------------------------------------------------------------
  function compact(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (name) {
      var ns = prefixes[name];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > prefixes[best].length)) { best = name; }
    });
    return best ? best + ":" + iri.slice(prefixes[best].length) : iri;
  }
  // Fetch the labels of the IRIs among rows of terms (before drawing them).
  var lastTerms = [];
  function named(rows) {
    var iris = [];
    lastTerms = rows;
    rows.forEach(function (terms) { terms.forEach(function (t) { if (t && t.type === "uri") { iris.push(t.value); } }); });
    if (!names) { return Promise.resolve(); }
    return names.labels(iris, lang).then(function (found) { labelOf = found || {}; });
  }
  function termText(term) {
    if (!term) { return ""; }
    if (term.type === "uri") { return !raw && labelOf[term.value] ? labelOf[term.value] : compact(term.value); }
    if (term.type === "bnode") { return "_:" + term.value; }
    return term.value;
  }
  function termNode(term) {
    var span;
    if (!term) { return document.createTextNode(""); }
    if (term.type === "uri") {
      var label = raw ? null : labelOf[term.value], el;
      if (term.value.indexOf(entityBase) === 0) {
        el = document.createElement("a");
        el.href = "/id/" + encodeURIComponent(term.value.slice(entityBase.length));
      } else {
        el = document.createElement(label ? "span" : "code");
      }
      el.textContent = label || compact(term.value);
      // The IRI on hover; data-iri lets a test find every IRI cell.
      el.title = term.value;
      el.setAttribute("data-iri", term.value);
      if (label) { el.className = "named"; }
      return el;
    }
    span = document.createElement("span");
    span.textContent = termText(term);
    var tagLang = term["xml:lang"];
    if (tagLang) {
      span.lang = tagLang;
      // The language tag only among raw values: the lang attribute carries it otherwise.
      if (!raw) { return span; }
      var tag = document.createElement("span");
      tag.className = "lang"; tag.textContent = " @" + tagLang;
      var wrap = document.createElement("span");
      wrap.appendChild(span); wrap.appendChild(tag);
      return wrap;
    }
    return span;
  }
  function numberOf(term) {
    if (!term || term.type !== "literal" && term.type !== "typed-literal") { return null; }
    var dt = term.datatype || "";
    if (!/#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/.test(dt)) { return null; }
    var n = Number(term.value);
    return isFinite(n) ? n : null;
  }

  // ---- N-Triples -------------------------------------------------------------------------
  function unescapeNT(s) {
    return s.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, function (m, u4, u8, c) {
      if (u4) { return String.fromCharCode(parseInt(u4, 16)); }
      if (u8) { return String.fromCodePoint(parseInt(u8, 16)); }
      return { t: "\t", n: "\n", r: "\r", '"': '"', "\\": "\\", b: "\b", f: "\f", "'": "'" }[c] || c;
    });
  }
  var TERM = /\s*(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;
  function parseTerm(line, state) {
    TERM.lastIndex = state.i;
    var m = TERM.exec(line);
    if (!m) { return null; }
    state.i = TERM.lastIndex;
    var t = m[1];
    if (t.charAt(0) === "<") { return { type: "uri", value: unescapeNT(t.slice(1, -1)) }; }
    if (t.charAt(0) === "_") { return { type: "bnode", value: t.slice(2) }; }
    var end = t.lastIndexOf('"');
    var term = { type: "literal", value: unescapeNT(t.slice(1, end)) };
    var rest = t.slice(end + 1);
    if (rest.charAt(0) === "@") { term["xml:lang"] = rest.slice(1); }
    if (rest.indexOf("^^") === 0) { term.datatype = rest.slice(3, -1); }
    return term;
  }
  function parseNTriples(text) {
    var triples = [];
    text.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim().charAt(0) === "#") { return; }
      var state = { i: 0 };
      var s = parseTerm(line, state), p = parseTerm(line, state), o = parseTerm(line, state);
      if (s && p && o) { triples.push({ s: s, p: p, o: o }); }
    });
    return triples;
  }

  // ---- table -----------------------------------------------------------------------------
  function drawTable(vars, rows) {
    tableEl.textContent = "";
    var table = document.createElement("table");
    table.id = "results";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = "Query results (sortable by column)";
    table.appendChild(caption);
    var thead = document.createElement("thead"), tr = document.createElement("tr");
    vars.forEach(function (name, index) {
      var th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("aria-sort", "none");
      var b = document.createElement("button");
      b.type = "button"; b.className = "sort"; b.textContent = name;
      b.setAttribute("aria-label", "Sort by " + name);
      b.addEventListener("click", function () { sortBy(index, th); });
      th.appendChild(b); tr.appendChild(th);
    });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    var order = rows.map(function (row, i) { return i; });
    function fill() {
      tbody.textContent = "";
      order.forEach(function (i) {
        var r = document.createElement("tr");
        vars.forEach(function (name) {
          var td = document.createElement("td");
          if (numberOf(rows[i][name]) !== null) { td.className = "num"; }
          td.appendChild(termNode(rows[i][name]));
          r.appendChild(td);
        });
        tbody.appendChild(r);
      });
    }
    function sortBy(index, th) {
      var name = vars[index];
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      order.sort(function (a, b) {
        var x = rows[a][name], y = rows[b][name];
        var nx = numberOf(x), ny = numberOf(y), c;
        if (nx !== null && ny !== null) { c = nx - ny; }
        else { c = termText(x).localeCompare(termText(y), undefined, { numeric: true }); }
        return ascending ? c : -c;
      });
      fill();
    }
    fill();
    table.appendChild(tbody);
    tableEl.appendChild(table);
  }

  // ---- graph -----------------------------------------------------------------------------
  function drawGraph(triples) {
    if (!window.vis) { graphEl.textContent = "The network library did not load."; return; }
    var nodes = {}, edges = [], limit = 600;
    function node(term) {
      var id = (term.type === "literal" ? "L:" : "") + term.value + (term["xml:lang"] ? "@" + term["xml:lang"] : "");
      if (!nodes[id]) {
        var label = termText(term);
        if (label.length > 40) { label = label.slice(0, 39) + "…"; }
        nodes[id] = { id: id, label: label, title: termText(term),
          shape: term.type === "literal" ? "box" : "dot", size: 10,
          color: term.type === "literal" ? { background: "#f4f5f7", border: "#767676" } : (term.value.indexOf(entityBase) === 0 ? "#3f84cc" : "#c2410c") };
      }
      return id;
    }
    triples.slice(0, limit).forEach(function (t) {
      edges.push({ from: node(t.s), to: node(t.o), label: compact(t.p.value), arrows: "to", font: { size: 10, align: "middle" } });
    });
    graphEl.textContent = "";
    var data = { nodes: new vis.DataSet(Object.keys(nodes).map(function (k) { return nodes[k]; })), edges: new vis.DataSet(edges) };
    network = new vis.Network(graphEl, data, {
      physics: { stabilization: { iterations: 200 }, barnesHut: { springLength: 140 } },
      interaction: { hover: true, keyboard: { enabled: true, bindToWindow: false }, navigationButtons: false },
      nodes: { font: { size: 13 } }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length && params.nodes[0].indexOf(entityBase) === 0) {
        window.location.href = "/id/" + encodeURIComponent(params.nodes[0].slice(entityBase.length));
      }
    });
    window.pgWorkbench.graphNodes = Object.keys(nodes).length;
  }

  // ---- chart -----------------------------------------------------------------------------
  function chartColumns(vars, rows) {
    if (!rows.length || vars.length < 2) { return null; }
    var numeric = vars.filter(function (v) { return rows.every(function (r) { return numberOf(r[v]) !== null; }); });
    var labels = vars.filter(function (v) { return numeric.indexOf(v) < 0 && rows.every(function (r) { return r[v]; }); });
    if (!numeric.length || !labels.length) { return null; }
    // Prefer a literal label column (a name) over an IRI column.
    var label = labels.filter(function (v) { return rows[0][v].type !== "uri"; })[0] || labels[0];
    return { label: label, value: numeric[0] };
  }
  function drawChart(rows, columns) {
    var ns = "http://www.w3.org/2000/svg", shown = rows.slice(0, 60);
    var max = Math.max.apply(null, shown.map(function (r) { return numberOf(r[columns.value]); }).concat([0]));
    var labelWidth = 260, barArea = 420, rowHeight = 22, width = labelWidth + barArea + 60;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (shown.length * rowHeight + 30));
    svg.setAttribute("width", width);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Bar chart of " + columns.value + " by " + columns.label);
    shown.forEach(function (r, i) {
      var value = numberOf(r[columns.value]), y = i * rowHeight + 4;
      var text = document.createElementNS(ns, "text");
      var name = termText(r[columns.label]);
      text.textContent = name.length > 38 ? name.slice(0, 37) + "…" : name;
      text.setAttribute("x", labelWidth - 6); text.setAttribute("y", y + 14); text.setAttribute("text-anchor", "end");
      var title = document.createElementNS(ns, "title"); title.textContent = name + ": " + value;
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", labelWidth); rect.setAttribute("y", y);
      rect.setAttribute("height", rowHeight - 6);
      rect.setAttribute("width", max > 0 ? Math.max(1, value / max * barArea) : 1);
      rect.appendChild(title);
      var num = document.createElementNS(ns, "text");
      num.textContent = String(value);
      num.setAttribute("x", labelWidth + (max > 0 ? value / max * barArea : 0) + 4); num.setAttribute("y", y + 14);
      svg.appendChild(text); svg.appendChild(rect); svg.appendChild(num);
    });
    chartEl.textContent = "";
    var heading = document.createElement("p");
    heading.className = "status";
    heading.textContent = columns.value + " by " + columns.label + (rows.length > shown.length ? " (first " + shown.length + " rows)" : "");
    chartEl.appendChild(heading);
    chartEl.appendChild(svg);
  }

  // ---- modes -----------------------------------------------------------------------------
  var available = {}, drawers = {};
  function setMode(mode) {
    window.pgWorkbench.mode = mode;
    modesEl.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.mode === mode ? "true" : "false"); });
    tableEl.hidden = mode !== "table"; graphEl.hidden = mode !== "graph"; chartEl.hidden = mode !== "chart";
    if (drawers[mode]) { drawers[mode](); drawers[mode] = null; }
  }
  modesEl.querySelectorAll("button").forEach(function (b) {
    b.addEventListener("click", function () { if (available[b.dataset.mode]) { setMode(b.dataset.mode); } });
  });
  function offer(modes, preferred) {
    available = modes;
    modesEl.hidden = false;
    modesEl.querySelectorAll("button").forEach(function (b) {
      b.hidden = !modes[b.dataset.mode];
    });
    // A redraw keeps the mode the reader chose.
    var current = window.pgWorkbench.mode;
    setMode(current && modes[current] ? current : preferred);
  }
  function status(count, noun, started) {
    statusEl.textContent = count + " " + noun + (count === 1 ? "" : "s") + " in " + Math.round(performance.now() - started) + " ms.";
  }
  // The last results, redrawn when the label language or the raw toggle changes.
  var redraw = null;
  function showSolutions(body, started) {
    redraw = function () { showSolutions(body, started); };
    if (typeof body.boolean === "boolean") {
      modesEl.hidden = true; tableEl.hidden = false; graphEl.hidden = true; chartEl.hidden = true;
      tableEl.textContent = "";
      var p = document.createElement("p"); p.id = "ask-answer";
      p.textContent = "Answer: " + (body.boolean ? "yes (true)" : "no (false)");
      tableEl.appendChild(p);
      statusEl.textContent = "ASK query answered.";
      finish();
      return;
    }
    var vars = body.head.vars, rows = body.results.bindings;
    window.pgWorkbench.rows = rows.length;
    drawers.table = function () { drawTable(vars, rows); };
    var modes = { table: true };
    var spo = ["s", "p", "o"].every(function (v) { return vars.indexOf(v) >= 0; });
    if (spo && rows.length) {
      modes.graph = true;
      drawers.graph = function () {
        drawGraph(rows.filter(function (r) { return r.s && r.p && r.o; }).map(function (r) { return { s: r.s, p: r.p, o: r.o }; }));
      };
    }
    var columns = chartColumns(vars, rows);
    if (columns) { modes.chart = true; drawers.chart = function () { drawChart(rows, columns); }; }
    status(rows.length, "row", started);
    offer(modes, "table");
    finish();
  }
  function showTriples(triples, started) {
    redraw = function () { showTriples(triples, started); };
    window.pgWorkbench.rows = triples.length;
    var rows = triples.map(function (t) { return { subject: t.s, predicate: t.p, object: t.o }; });
    drawers.table = function () { drawTable(["subject", "predicate", "object"], rows); };
    drawers.graph = function () { drawGraph(triples); };
    status(triples.length, "triple", started);
    offer({ table: true, graph: triples.length > 0 }, triples.length ? "graph" : "table");
    finish();
  }

  // ---- downloads follow the editor -------------------------------------------------------
  function refreshLinks() {
    var q = encodeURIComponent(queryText()), kind = kindOf(queryText());
    var graphResult = kind === "CONSTRUCT" || kind === "DESCRIBE";
    var csv = document.getElementById("download-csv"), json = document.getElementById("download-json");
    csv.textContent = graphResult ? "Download Turtle" : "Download CSV";
    // CSV for spreadsheets: cells that would run as formulas are defused (/query/results.csv).
    csv.href = graphResult ? "/sparql?format=turtle&query=" + q : "/query/results.csv?query=" + q;
    json.textContent = graphResult ? "Download JSON-LD" : "Download JSON";
    json.href = "/sparql?format=" + (graphResult ? "jsonld" : "json") + "&query=" + q;
    document.getElementById("permalink").href = "/query?query=" + q;
  }
  if (editor) { editor.on("change", refreshLinks); } else { textarea.addEventListener("input", refreshLinks); }
  refreshLinks();

  // ---- names and history -----------------------------------------------------------------
  function relabel() {
    if (!redraw) { return; }
    var again = redraw;
    statusEl.setAttribute("aria-busy", "true");
    named(lastTerms).then(function () { statusEl.removeAttribute("aria-busy"); again(); });
  }
  langSelect.addEventListener("change", function () {
    lang = langSelect.value;
    if (names) { names.setLanguage(lang); }
    relabel();
  });
  rawBox.addEventListener("change", function () { raw = rawBox.checked; if (redraw) { redraw(); } });

  var historyEl = document.getElementById("history");
  var historyList = document.getElementById("history-list");
  function showHistory() {
    if (!names || !historyEl) { return; }
    var entries = names.history();
    historyList.textContent = "";
    entries.forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "/query?query=" + encodeURIComponent(h.query);
      a.textContent = names.title(h.query);
      a.title = h.query;
      var when = document.createElement("span");
      when.className = "muted";
      var count = typeof h.rows === "number" ? h.rows + (h.rows === 1 ? " result" : " results") : "failed";
      when.textContent = " — " + count + ", " + String(h.at).slice(0, 16).replace("T", " ");
      li.appendChild(a); li.appendChild(when);
      historyList.appendChild(li);
    });
    historyEl.hidden = entries.length === 0;
  }
  function remember(text, rows) { if (names) { names.remember(text, rows); showHistory(); } }
  if (historyEl) {
    document.getElementById("history-clear").addEventListener("click", function () { names.forget(); showHistory(); });
    showHistory();
  }

  // Entity parameters of a named query: the datalist offers the entities the text names.
  var options = document.getElementById("entity-options");
  document.querySelectorAll("#params-form input[data-entity]").forEach(function (input) {
    input.addEventListener("input", function () {
      if (!names || input.value.length < 2) { return; }
      names.entities(input.value, 10).then(function (found) {
        options.textContent = "";
        found.forEach(function (e) {
          var o = document.createElement("option");
          o.value = e.slug; o.label = e.label;
          options.appendChild(o);
        });
      });
    });
  });

  if (textarea.getAttribute("data-autorun") === "1") { run(); } else { finish(); }
  document.body.setAttribute("data-ready", "1");
})();
