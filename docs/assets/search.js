// The search box (docs/overrides/partials/atlas-search.html) on Pagefind's search API. Pagefind's own files
// (site/pagefind/ and site/zh/pagefind/, one per language, written by scripts/hooks/search.py) load only when the reader opens the box, and then only the
// index pieces a query needs, in the page's language (Pagefind reads <html lang>). No request leaves the site.
(function () {
  "use strict";
  var box = document.querySelector("[data-atlas-search]");
  if (!box || typeof HTMLDialogElement !== "function") return;  // without <dialog> the section pages remain

  var opener = box.querySelector(".atlas-search__open");
  var dialog = box.querySelector(".atlas-search__dialog");
  var form = box.querySelector(".atlas-search__form");
  var input = box.querySelector(".atlas-search__input");
  var status = box.querySelector(".atlas-search__status");
  var list = box.querySelector(".atlas-search__results");
  var more = box.querySelector(".atlas-search__more");
  var filterList = box.querySelector(".atlas-search__filter-list");
  var words = JSON.parse(box.querySelector(".atlas-search__strings").textContent);
  // This language's own Pagefind bundle (pagefind/, zh/pagefind/); the addresses in it are relative to its folder.
  var bundle = new URL(box.getAttribute("data-bundle"), location.href);
  var FILTERS = ["kind", "cell", "route", "phase", "status", "label", "country"];
  var PAGE = 10, MAX_QUERY = 200, FEW = 5;
  // Pagefind lists only pages that contain every word of a query; the words a question adds ("what is", "如何",
  // "吗") are left out, unless nothing else is left.
  var FILLER = document.documentElement.lang === "zh"
    ? /什么是|是什么|是否|有没有|如何|怎么样|怎样|怎么|哪些|[吗呢]/g
    : /\b(?:what|which|who|how|why|when|where|is|are|was|do|does|did|can|could|should|the|a|an|of|for|to|in|on|into|with|about|there|any|my|i)\b/gi;
  var pagefind = null, loading = null, results = [], shown = 0, generation = 0, timer = 0;

  function say(key, values) {
    return (words[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind.js", bundle).href).then(function (module) {
        return module.options({
          baseUrl: new URL("..", bundle).pathname,
          excerptLength: 26,
          // Titles, the hidden identifiers (registry numbers, products) and the names of the terms in the title
          // count most; the names of terms a page only mentions count a little (scripts/hooks/search.py).
          // A long word that merely begins with a short query word counts much less (内 → 内容; ALS → "al…").
          ranking: {metaWeights: {title: 10, ids: 12, names: 8, aliases: 1}, termSimilarity: 10}
        }).then(function () { pagefind = module; return module.filters(); }).then(drawFilters);
      });
      loading.catch(function () { status.textContent = words.error; });
    }
    return loading;
  }

  function drawFilters(available) {
    FILTERS.forEach(function (key) {
      var values = Object.keys((available && available[key]) || {}).sort(function (a, b) {
        return a.localeCompare(b, document.documentElement.lang);
      });
      if (!values.length) return;
      var label = document.createElement("label");
      var name = document.createElement("span");
      var select = document.createElement("select");
      name.textContent = words["filter." + key];
      select.name = key;
      select.appendChild(new Option(words.any, ""));
      values.forEach(function (value) { select.appendChild(new Option(value + " (" + available[key][value] + ")", value)); });
      select.addEventListener("change", schedule);
      label.append(name, select);
      filterList.appendChild(label);
    });
  }

  function chosenFilters() {
    var chosen = {};
    filterList.querySelectorAll("select").forEach(function (select) {
      if (select.value) chosen[select.name] = select.value;
    });
    return chosen;
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    opener.setAttribute("aria-expanded", "true");
    input.focus();
    input.select();
    load();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 80);
  }

  function run() {
    var query = input.value.slice(0, MAX_QUERY).trim();
    var filters = chosenFilters();
    var mine = ++generation;
    var searchable = /[\p{L}\p{N}]/u.test(query);
    if (!searchable && !Object.keys(filters).length) {
      results = [];
      list.replaceChildren();
      more.hidden = true;
      status.replaceChildren();
      if (query) noResults(query);
      box.dispatchEvent(new CustomEvent("atlas-search:shown", {detail: {query: query}}));
      return;
    }
    status.textContent = words.loading;
    load().then(function () {
      return find(searchable ? query : null, filters);
    }).then(function (found) {
      if (mine !== generation) return;  // a later keystroke has started another search
      results = found;
      shown = 0;
      list.replaceChildren();
      if (!results.length) return noResults(query);
      status.textContent = results.length === 1 ? words.results_one : say("results_other", {count: results.length});
      return showMore();
    }).then(function () {
      // For the browser tests and the benchmark: the results of `query` are on screen.
      if (mine === generation) box.dispatchEvent(new CustomEvent("atlas-search:shown", {detail: {query: query}}));
    }).catch(function () { status.textContent = words.error; });
  }

  // The words of a query as Pagefind cuts them (Chinese has no spaces: the browser's word segmenter).
  var segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(document.documentElement.lang, {granularity: "word"}) : null;
  function segments(query) {
    if (!segmenter) return query.split(/\s+/).filter(Boolean);
    return Array.from(segmenter.segment(query)).filter(function (s) { return s.isWordLike; }).map(function (s) { return s.segment; });
  }

  function find(query, filters) {
    var terms = query && query.replace(FILLER, " ").trim();
    if (query && /[\p{L}\p{N}]/u.test(terms)) query = terms;
    return pagefind.search(query, {filters: filters}).then(function (found) {
      var parts = query ? segments(query) : [];
      if (found.results.length >= FEW) return wholeWordsFirst(found.results, parts, filters);
      if (parts.length < 2) return found.results;
      // Few pages have every word (a lay word no page uses, or Chinese cut differently in the page than in the
      // query): after them, the pages that have most of the words, by Pagefind's score.
      return Promise.all(parts.map(function (word) { return pagefind.search(word, {filters: filters}); }))
        .then(function (each) {
          var pages = new Map();
          found.results.forEach(function (r) { pages.set(r.id, {result: r, words: parts.length + 1, score: r.score}); });
          each.forEach(function (one) {
            one.results.forEach(function (r) {
              var seen = pages.get(r.id) || {result: r, words: 0, score: 0};
              if (seen.words > parts.length) return;
              seen.words += 1;
              seen.score += r.score;
              pages.set(r.id, seen);
            });
          });
          return Array.from(pages.values()).sort(function (a, b) {
            return b.words - a.words || b.score - a.score;
          }).map(function (seen) { return seen.result; });
        });
    });
  }

  // The browser cuts Chinese words it does not know into single characters (脊髓内注射 → 脊髓 / 内 / 注射), and
  // Pagefind then matches each character as the start of any word (内 in 内容, 国内 …), which buries the page that
  // has the whole term. The pages that rank first for the query's words of two or more characters come first, in
  // that order, if they have every character too.
  function wholeWordsFirst(results, parts, filters) {
    var han = /^\p{Script=Han}$/u;
    var longer = parts.filter(function (p) { return !han.test(p); });
    if (longer.length === parts.length || longer.length < 2) return results;
    return pagefind.search(longer.join(" "), {filters: filters}).then(function (again) {
      var all = new Map(results.map(function (r) { return [r.id, r]; }));
      var first = again.results.slice(0, PAGE).filter(function (r) { return all.has(r.id); });
      var top = new Set(first.map(function (r) { return r.id; }));
      return first.map(function (r) { return all.get(r.id); })
        .concat(results.filter(function (r) { return !top.has(r.id); }));
    });
  }

  function noResults(query) {
    var line = document.createElement("span");
    var hint = document.createElement("span");
    line.textContent = say("none", {query: query.length > 60 ? query.slice(0, 60) + "…" : query});
    hint.textContent = " " + words.hint;
    status.replaceChildren(line, hint);
    more.hidden = true;
  }

  function showMore() {
    var mine = generation, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (mine !== generation) return;
      pages.forEach(function (page) { list.appendChild(item(page)); });
    });
  }

  // The part of the page that matched best (Pagefind splits a page at its headings), for the excerpt and section.
  function bestPart(page) {
    var best = null, bestScore = -1;
    (page.sub_results || []).forEach(function (sub) {
      var score = (sub.weighted_locations || []).reduce(function (sum, loc) { return sum + loc.weight; }, 0);
      if (score > bestScore) { best = sub; bestScore = score; }
    });
    return best;
  }

  function item(page) {
    var part = bestPart(page);
    var li = document.createElement("li");
    var link = document.createElement("a");
    var where = document.createElement("span");
    var title = document.createElement("span");
    var excerpt = document.createElement("span");
    var kind = (page.filters && page.filters.kind && page.filters.kind[0]) || "";
    var section = part && part.title && part.title !== page.meta.title ? part.title : "";
    link.href = part && section ? part.url : page.url;
    link.className = "atlas-search__link";
    where.className = "atlas-search__where";
    where.textContent = section ? kind + " › " + section : kind;
    title.className = "atlas-search__title";
    title.textContent = page.meta.title || page.url;  // metadata is raw text: never parsed as HTML
    excerpt.className = "atlas-search__excerpt";
    // Pagefind escapes the page text before adding <mark>, so its excerpt is safe as HTML.
    excerpt.innerHTML = (part && part.excerpt) || page.excerpt;
    link.append(where, title, excerpt);
    li.appendChild(link);
    return li;
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function move(step) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (!all.length) return;
    var next = at + step;
    if (next < 0) return input.focus();
    all[Math.min(next, all.length - 1)].focus();
  }

  opener.hidden = false;
  opener.setAttribute("aria-expanded", "false");
  opener.addEventListener("click", open);
  opener.addEventListener("pointerenter", load, {once: true});  // fetch the small start-up files a moment early
  dialog.addEventListener("close", function () {
    opener.setAttribute("aria-expanded", "false");
    opener.focus();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) close();  // a click on the backdrop
  });
  box.querySelector(".atlas-search__close").addEventListener("click", close);
  more.addEventListener("click", showMore);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  input.addEventListener("input", schedule);
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    // Esc closes at once (a search field's own Esc would only empty it first).
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    open();
  });
})();
