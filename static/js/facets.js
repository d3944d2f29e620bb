// List pages, progressive enhancement: without it the form and links reload the page at
// #result-count. With it a change fetches the same page, swaps its parts in place,
// updates the address (History API) and lands at the count. On any error: plain navigation.
(function () {
  "use strict";
  var form = document.querySelector("form[data-facets]");
  if (!form || !window.fetch || !window.DOMParser || !history.pushState) return;
  var PARTS = ["search-controls", "filters-count", "facets", "result-count", "results-body"];
  var pages = {};
  var seq = 0;
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 48em)").matches) filters.open = true;

  function bare(url) {
    return url.split("#")[0];
  }
  pages[bare(location.href)] = document.documentElement.outerHTML;
  history.replaceState({ facets: 1 }, "");

  function key(details) {
    if (details.id) return details.id;
    var box = details.parentNode.closest("[id]");
    return box.id + ":" + [].indexOf.call(box.querySelectorAll("details"), details);
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = PARTS.map(function (id) { return doc.getElementById(id); });
    if (fresh.indexOf(null) >= 0) throw new Error("not a list page");
    var open = {};
    form.querySelectorAll("details").forEach(function (d) { open[key(d)] = d.open; });
    PARTS.forEach(function (id, i) { document.getElementById(id).innerHTML = fresh[i].innerHTML; });
    form.querySelectorAll("details").forEach(function (d) {
      var was = open[key(d)];
      if (was !== undefined) d.open = was;
    });
    var langs = document.querySelector(".lang-switch");
    var newLangs = doc.querySelector(".lang-switch");
    if (langs && newLangs) langs.innerHTML = newLangs.innerHTML;
    document.title = doc.title;
  }

  function land() {
    var count = document.getElementById("result-count");
    var top = count.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) count.scrollIntoView({ block: "start" });
    count.focus({ preventScroll: true });
  }

  function go(url, push) {
    var mine = ++seq;
    var cached = pages[bare(url)];
    if (!cached) form.setAttribute("aria-busy", "true");
    var html = cached
      ? Promise.resolve(cached)
      : fetch(bare(url), { headers: { Accept: "text/html" }, credentials: "same-origin" }).then(
          function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.text();
          }
        );
    html
      .then(function (text) {
        if (mine !== seq) return;
        pages[bare(url)] = text;
        swap(text);
        form.removeAttribute("aria-busy");
        if (push) history.pushState({ facets: 1 }, "", url);
        land();
      })
      .catch(function () {
        if (mine !== seq) return;
        if (push) location.href = url;
        else location.reload();
      });
  }

  function submit() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    var query = params.toString();
    go(location.pathname + (query ? "?" + query : "") + "#result-count", true);
  }

  form.addEventListener("change", function (event) {
    var type = event.target.type;
    if (type === "checkbox" || type === "radio" || event.target.name === "sort") submit();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (!link.closest("#facets, .chips, .clear-all, .pagination")) return;
    if (link.origin !== location.origin || link.pathname !== location.pathname) return;
    event.preventDefault();
    go(link.href, true);
  });
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.facets) go(location.href, false);
  });
})();
