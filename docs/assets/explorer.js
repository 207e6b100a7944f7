/* Study explorer: filters and sorting for the studies table, with the state kept in the page address.
   The table works without this script; the script only adds to it. It reads the facets of each row from the JSON
   that the generator embeds in the page (<script id="atlas-studies">, rows in table order, labels in the page's
   language) and makes no request of its own. Licence: MIT, part of this project. */
(function () {
  "use strict";
  var FACETS = ["cell", "origin", "route", "phase", "label", "status", "country", "year"];
  // Table columns, in order, and what each sorts by.
  var COLUMNS = ["id", "cell", "route", "phase", "label", "enrolled", "status", "year"];

  function start() {
    var source = document.getElementById("atlas-studies");
    if (!source || source.dataset.ready) return;
    source.dataset.ready = "1";
    var data = JSON.parse(source.textContent);
    var table = null;
    document.querySelectorAll("article table").forEach(function (t) {
      if (!table && (source.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) table = t;
    });
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length !== data.rows.length) return; // table and data disagree: leave the table alone
    rows.forEach(function (tr, i) { tr.atlas = data.rows[i]; tr.atlas.order = i; });
    var ui = data.ui;

    var form = document.createElement("form");
    form.className = "atlas-explorer";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", ui.filters);
    var heading = document.createElement("p");
    heading.className = "atlas-explorer__title";
    heading.textContent = ui.filters;
    form.appendChild(heading);
    var selects = {};
    FACETS.forEach(function (facet) {
      var id = "atlas-filter-" + facet;
      var wrap = document.createElement("div");
      wrap.className = "atlas-explorer__field";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = ui[facet];
      var select = document.createElement("select");
      select.id = id;
      select.name = facet;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = ui.all;
      select.appendChild(all);
      var names = data.names[facet];
      var values = Object.keys(names);
      if (facet === "year") values.sort().reverse();
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = names[value];
        select.appendChild(option);
      });
      select.addEventListener("change", function () { apply(true); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      form.appendChild(wrap);
      selects[facet] = select;
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button atlas-explorer__reset";
    reset.textContent = ui.reset;
    reset.addEventListener("click", function () {
      FACETS.forEach(function (f) { selects[f].value = ""; });
      sortKey = "";
      apply(true);
    });
    form.appendChild(reset);
    var count = document.createElement("p");
    count.className = "atlas-explorer__count";
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    var share = document.createElement("p");
    share.className = "atlas-explorer__hint";
    share.textContent = ui.share;
    form.appendChild(share);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    wrapper.parentNode.insertBefore(form, wrapper);

    // Sortable headers: each header becomes a button; aria-sort tells screen readers the order.
    var sortKey = "";
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-sort";
      button.textContent = th.textContent;
      button.setAttribute("aria-label", ui.sort.replace("{column}", th.textContent));
      button.addEventListener("click", function () {
        var key = COLUMNS[i];
        sortKey = sortKey === key ? "-" + key : key;
        apply(true);
      });
      th.textContent = "";
      th.appendChild(button);
    });

    function facetValues(row, facet) {
      var v = row[facet];
      return (Array.isArray(v) ? v : [v]).map(function (x) { return x === null ? "" : String(x); });
    }

    function sortValue(row, key) {
      if (key === "enrolled" || key === "year") return row[key] === null ? -1 : row[key];
      if (key === "id") return row.id;
      if (key === "phase" || key === "label") return Object.keys(data.names[key]).indexOf(row[key]);
      return facetValues(row, key).map(function (v) { return (data.names[key] || {})[v] || v; }).join(", ");
    }

    // Touches only what changes: on a page opened without filters or sorting it changes nothing, so the table is
    // not laid out a second time while the page loads.
    function apply(push) {
      var shown = 0;
      rows.forEach(function (tr) {
        var ok = FACETS.every(function (f) {
          return !selects[f].value || facetValues(tr.atlas, f).indexOf(selects[f].value) !== -1;
        });
        if (tr.hidden === ok) tr.hidden = !ok;
        if (ok) shown++;
      });
      var sorted = rows.slice();
      if (sortKey) {
        var key = sortKey.replace(/^-/, ""), dir = sortKey.charAt(0) === "-" ? -1 : 1;
        sorted.sort(function (a, b) {
          var x = sortValue(a.atlas, key), y = sortValue(b.atlas, key);
          var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
          return (c || a.atlas.order - b.atlas.order) * dir;
        });
      }
      var current = body.rows;
      if (sorted.some(function (tr, i) { return current[i] !== tr; })) {
        var ordered = document.createDocumentFragment();
        sorted.forEach(function (tr) { ordered.appendChild(tr); });
        body.appendChild(ordered);
      }
      headers.forEach(function (th, i) {
        var key = COLUMNS[i];
        if (sortKey === key) th.setAttribute("aria-sort", "ascending");
        else if (sortKey === "-" + key) th.setAttribute("aria-sort", "descending");
        else th.removeAttribute("aria-sort");
      });
      count.textContent = ui.count.replace("{shown}", shown).replace("{total}", rows.length);
      if (push) {
        var params = new URLSearchParams();
        FACETS.forEach(function (f) { if (selects[f].value) params.set(f, selects[f].value); });
        if (sortKey) params.set("sort", sortKey);
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    FACETS.forEach(function (f) {
      var v = params.get(f);
      if (v && data.names[f] && Object.prototype.hasOwnProperty.call(data.names[f], v)) selects[f].value = v;
    });
    var s = params.get("sort");
    if (s && COLUMNS.indexOf(s.replace(/^-/, "")) !== -1) sortKey = s;
    apply(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
