// The entity page's "In other documents" section: the ingested documents whose linked
// mentions name this entity, with their passages (from /api/documents?entity=). Shown only
// when there is one; text is inserted as text, never as HTML.
(function () {
  "use strict";
  var section = document.getElementById("documents");
  if (!section) { return; }
  var slug = section.dataset.entity;
  var SHOWN = 5;  // passages listed per document; the rest are a link away
  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }
  fetch("/api/documents?entity=" + encodeURIComponent(slug), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : { documents: [] }; })
    .then(function (answer) {
      var found = answer.documents || [];
      if (!found.length) { return; }
      var list = section.querySelector("ul");
      found.forEach(function (doc) {
        var li = document.createElement("li");
        li.dataset.document = doc.slug;
        var title = text("a", doc.title);
        title.href = "/documents/" + encodeURIComponent(doc.slug);
        li.appendChild(title);
        li.appendChild(text("span", " · " + doc.language + (doc.date ? " · " + doc.date : ""), "muted"));
        var passages = document.createElement("ul");
        doc.passages.slice(0, SHOWN).forEach(function (p) {
          var item = document.createElement("li");
          var at = text("a", "line " + p.line_start + (p.line_end !== p.line_start ? "–" + p.line_end : ""));
          at.href = "/documents/" + encodeURIComponent(doc.slug) + "#L" + p.line_start;
          item.appendChild(at);
          item.appendChild(text("span", " "));
          var quote = text("q", p.quote);
          quote.lang = doc.language;  // the document's language, not the page's
          item.appendChild(quote);
          passages.appendChild(item);
        });
        if (doc.passages.length > SHOWN) {
          var rest = document.createElement("li");
          var all = text("a", "and " + (doc.passages.length - SHOWN) + " more lines in the document");
          all.href = "/documents/" + encodeURIComponent(doc.slug);
          rest.appendChild(all);
          passages.appendChild(rest);
        }
        li.appendChild(passages);
        list.appendChild(li);
      });
      var together = text("a", "Entities mentioned on the same lines");
      together.href = "/documents/co-mentions?entity=" + encodeURIComponent(slug);
      var more = document.createElement("p");
      more.appendChild(together);
      section.appendChild(more);
      section.querySelector(".badge").textContent = String(found.length);
      section.hidden = false;
    }).catch(function () { /* the section stays hidden */ });
}());
