// Progressive enhancement only: the form and links work without it.
// Submits the search form as soon as a facet checkbox or the sort order changes.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" || target.name === "sort") {
        form.submit();
      }
    });
  });
})();
