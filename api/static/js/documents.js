// The review queue of a document page: the update token (kept in this tab only, sent as
// "Authorization: Bearer"), the decisions (POST, then the page is loaded again to show them)
// and name completion for "Link to" from /api/entities. Text is inserted as text, never HTML.
(function () {
  "use strict";
  var KEY = "policygraph-update-token";
  var form = document.getElementById("token-form");
  var status = document.getElementById("token-status");
  var forget = document.getElementById("token-forget");
  var slug = window.location.pathname.split("/").filter(Boolean).pop();

  function token() { try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; } }
  function setToken(value) {
    try { if (value) { sessionStorage.setItem(KEY, value); } else { sessionStorage.removeItem(KEY); } } catch (e) { /* private mode */ }
    apply();
  }
  function apply() {
    var has = token() !== "";
    document.querySelectorAll("fieldset.decide").forEach(function (f) { f.disabled = !has; });
    document.body.classList.toggle("reviewing", has);
    if (forget) { forget.hidden = !has; }
    var entry = document.querySelector("#token-form .token-entry");
    if (entry) { entry.hidden = has; }
    if (status && form) {
      status.textContent = has
        ? "Reviewing: decisions are written to this document's Turtle and shown at once."
        : "Read-only until you enter this server's update token (kept in this tab only).";
    }
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("update-token");
      setToken(input.value.trim());
      input.value = "";
    });
  }
  if (forget) { forget.addEventListener("click", function () { setToken(""); }); }

  function body(formEl) {
    var action = formEl.dataset.action, data = {};
    if (action === "link") { data.entity = formEl.elements.entity.value.trim(); }
    if (action === "create" && formEl.classList.contains("proposal")) {
      data.titles = {};
      ["ja", "en"].forEach(function (lang) {
        var value = formEl.elements["title-" + lang].value.trim();
        if (value) { data.titles[lang] = value; }
      });
      var asks = formEl.elements.asks.value.trim();
      if (asks) { data.asks = asks; }
      var proposalSlug = formEl.elements.slug.value.trim();
      if (proposalSlug) { data.slug = proposalSlug; }
      return data;
    }
    if (action === "create") {
      data.labels = {};
      ["en", "ja", "ko"].forEach(function (lang) {
        var value = formEl.elements["label-" + lang].value.trim();
        if (value) { data.labels[lang] = value; }
      });
      data["class"] = formEl.elements["class"].value;
      var chosen = formEl.elements.slug.value.trim();
      if (chosen) { data.slug = chosen; }
    }
    return data;
  }

  document.querySelectorAll("form.decision").forEach(function (formEl) {
    formEl.addEventListener("submit", function (event) {
      event.preventDefault();
      var article = formEl.closest("article.item");
      var msg = article.querySelector(".msg");
      var key = article.dataset.key;
      msg.textContent = "Saving…";
      msg.classList.remove("error");
      fetch("/documents/" + encodeURIComponent(slug) + "/items/" + encodeURIComponent(key) + "/" + formEl.dataset.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Authorization": "Bearer " + token() },
        body: JSON.stringify(body(formEl))
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            msg.textContent = key + ": " + answer.status + (answer.entity ? " → " + answer.entity : "");
            window.location.reload();
            return;
          }
          if (response.status === 401 || response.status === 403) { setToken(""); }
          msg.textContent = answer.error || ("The decision failed (HTTP " + response.status + ").");
          msg.classList.add("error");
        });
      }).catch(function () {
        msg.textContent = "The server could not be reached; nothing was decided.";
        msg.classList.add("error");
      });
    });
  });

  // Name completion: the datalist of each "Link to" field, from the entity search.
  document.querySelectorAll("input.name-complete").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, seq = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/api/entities?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (answer) {
            if (mine !== seq) { return; }
            list.textContent = "";
            (answer.results || []).forEach(function (hit) {
              var option = document.createElement("option");
              option.value = hit.slug;
              option.label = hit.label + (hit.type ? " · " + hit.type : "");
              option.textContent = option.label;
              list.appendChild(option);
            });
          }).catch(function () { /* no suggestions */ });
      }, 150);
    });
  });
  apply();
}());
