// Names for the SPARQL workbench: the labels of result IRIs (POST /api/labels, in the
// language picked), entity names for completion (/api/entities?q=), and the history of
// queries run, kept in this browser (localStorage). Used by workbench.js as window.pgNames.
(function () {
  "use strict";
  var HISTORY_KEY = "policygraph.workbench.history";
  var LANG_KEY = "policygraph.workbench.lang";
  var HISTORY_SIZE = 30;

  function store() {
    try { return window.localStorage; } catch (e) { return null; }  // storage may be off
  }

  // IRI → label, for the IRIs given; an empty map when the server cannot answer.
  function labels(iris, lang) {
    var unique = Array.from(new Set(iris));
    if (!unique.length) { return Promise.resolve({}); }
    return fetch("/api/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ iris: unique.slice(0, 2000), lang: lang })
    }).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
  }

  // Entities whose names match text, best first: [{slug, label, matched, types}].
  function entities(text, limit) {
    if (!text) { return Promise.resolve([]); }
    return fetch("/api/entities?limit=" + (limit || 12) + "&q=" + encodeURIComponent(text), {
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) { return body.results || []; })
      .catch(function () { return []; });
  }

  function readHistory() {
    var s = store();
    if (!s) { return []; }
    try {
      var list = JSON.parse(s.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (h) { return h && typeof h.query === "string"; }) : [];
    } catch (e) { return []; }
  }
  // Remember a query run (newest first, no repeats), with when and how many results.
  function remember(query, rows) {
    var s = store();
    if (!s || !query.trim()) { return; }
    var list = readHistory().filter(function (h) { return h.query !== query; });
    list.unshift({ query: query, at: new Date().toISOString(), rows: rows });
    try { s.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, HISTORY_SIZE))); } catch (e) { /* full */ }
  }
  function forget() { var s = store(); if (s) { s.removeItem(HISTORY_KEY); } }

  // What a history entry is called: its first comment line, else its first words.
  function title(query) {
    var comment = /^\s*#\s*(?:question:\s*)?(.+)$/m.exec(query);
    var text = comment ? comment[1] : query.replace(/\s+/g, " ").trim();
    return text.length > 90 ? text.slice(0, 89) + "…" : text;
  }

  function language() {
    var s = store(), lang = s && s.getItem(LANG_KEY);
    return lang === "ja" || lang === "ko" ? lang : "en";
  }
  function setLanguage(lang) { var s = store(); if (s) { s.setItem(LANG_KEY, lang); } }

  window.pgNames = {
    labels: labels, entities: entities,
    history: readHistory, remember: remember, forget: forget, title: title,
    language: language, setLanguage: setLanguage
  };
})();
