// The proposal finder: a changed choice applies at once (the button stays for keyboards);
// empty fields and default modes stay out of the URL, so it is a short permalink; a long
// list of values narrows as one types.
(function () {
  "use strict";
  var form = document.getElementById("proposal-filters");
  if (!form) { return; }
  // On a phone the filters fold away under their summary, so the answer comes first.
  var panel = document.getElementById("finder-panel");
  if (panel && window.matchMedia("(max-width: 760px)").matches) { panel.open = false; }

  function prune() {
    form.querySelectorAll("select, input[type=date], input[data-default]").forEach(function (field) {
      field.disabled = field.hasAttribute("data-default") ? field.checked : !field.value;
    });
    form.querySelectorAll("input.facet-filter").forEach(function (field) { field.disabled = true; });
  }

  form.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { prune(); form.submit(); });
  });
  form.addEventListener("submit", prune);

  form.querySelectorAll("input.facet-filter").forEach(function (filter) {
    var list = document.getElementById(filter.getAttribute("aria-controls"));
    filter.addEventListener("input", function () {
      var typed = filter.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (item) {
        item.hidden = typed !== "" && item.textContent.toLowerCase().indexOf(typed) < 0;
      });
    });
  });
})();
// Coming back with the browser's Back button: the page may be restored with fields still
// disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("#proposal-filters select, #proposal-filters input").forEach(function (field) {
    field.disabled = false;
  });
});
