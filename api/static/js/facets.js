// The proposal filters apply as soon as a choice changes (the button stays for keyboards).
(function () {
  "use strict";
  var form = document.getElementById("proposal-filters");
  if (!form) { return; }
  form.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      // Leave empty filters out of the URL.
      form.querySelectorAll("select").forEach(function (s) { s.disabled = !s.value; });
      form.submit();
    });
  });
  form.addEventListener("submit", function () {
    form.querySelectorAll("select").forEach(function (s) { s.disabled = !s.value; });
  });
})();
// Coming back with the browser's Back button: the page may be restored with the empty
// filters still disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("#proposal-filters select").forEach(function (s) { s.disabled = false; });
});
