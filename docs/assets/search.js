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
      var engine = import(new URL("pagefind.js", bundle).href).then(function (module) {
        // Pagefind searches in a web worker, whose Intl.Segmenter this box cannot reach; a Chinese query is cut
        // here (see indexWords), so Pagefind searches it on the page itself (a few milliseconds a query).
        var instance = module.createInstance({noWorker: CUT_LIKE_INDEX});
        return instance.options({
          baseUrl: new URL("..", bundle).pathname,
          excerptLength: 26,
          // Titles, the hidden identifiers (registry numbers, products) and the names of the terms in the title
          // count most; the names of terms a page only mentions count a little (scripts/hooks/search.py): an
          // index page mentions every term, and at 1 its long list of names put the glossary first for 神经干细胞
          // (measured at 0.2 against 1: Chinese MRR 0.804 against 0.773, English 0.890 against 0.889).
          // A long word that merely begins with a short query word counts much less (内 → 内容; ALS → "al…").
          // pageLength stays Pagefind's 0.75. Lower raised MRR on the real data at the same success@3 (en / zh:
          // 0.75: 0.890 / 0.804; 0.4: 0.914 / 0.834; 0.2: 0.919 / 0.885), but at 5000 studies it ranks the huge
          // list pages (glossary, references, studies: 1–2 MB of text each) into the first ten, whose excerpts then
          // cost 130–180 KB a query against a budget of 100. termSaturation 0.8 (default 1.4): 0.893 / 0.791.
          ranking: {metaWeights: {title: 10, ids: 12, names: 8, aliases: 0.2}, termSimilarity: 10}
        }).then(function () { pagefind = instance; return instance.filters(); }).then(drawFilters);
      });
      loading = Promise.all([engine, CUT_LIKE_INDEX ? loadWords() : null]);
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

  // The words of a query. Pagefind cuts a Chinese page into words with its own dictionary when indexing (jieba) but
  // the reader's query with the browser's Intl.Segmenter, which knows few medical words (小鼠 → 小 / 鼠, 功能评分量表
  // → 功能 / 评 / 分量 / 表), and a page is found only under the words the index holds. So a Chinese query is cut
  // with the index's own words (site/zh/pagefind/atlas-words.zh.json, written by scripts/hooks/search.py; see
  // indexWords) and handed to Pagefind as those words.
  // Measured on benchmarks/search-queries.yml (with the names of a title's list, scripts/hooks/search.py): Chinese
  // success@3 35/39 → 38/39 (benchmarks/README.md).
  var NativeSegmenter = typeof Intl.Segmenter === "function" ? Intl.Segmenter : null;
  var segmenter = NativeSegmenter ? new NativeSegmenter(document.documentElement.lang, {granularity: "word"}) : null;
  var CUT_LIKE_INDEX = document.documentElement.lang === "zh" && !!NativeSegmenter;
  var vocabulary = null, handedOver = new Set();

  function loadWords() {
    return fetch(new URL("atlas-words.zh.json", bundle)).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (list) {
      vocabulary = new Set(list);
      // pagefind.js cuts every Chinese query again with `new Intl.Segmenter(lang, {granularity: "word"})`; a query
      // this box has already cut (and only such a query) is split at its spaces instead, so the words stay whole.
      Intl.Segmenter = function Segmenter(locale, options) {
        var inner = new NativeSegmenter(locale, options);
        if (!options || options.granularity !== "word") return inner;
        return {
          resolvedOptions: function () { return inner.resolvedOptions(); },
          segment: function (text) {
            if (!handedOver.has(text)) return inner.segment(text);
            return text.split(" ").map(function (word) { return {segment: word, index: 0, input: text, isWordLike: true}; });
          }
        };
      };
      Intl.Segmenter.supportedLocalesOf = NativeSegmenter.supportedLocalesOf;
    }).catch(function () { vocabulary = null; });  // without the list, the browser's words (as Pagefind alone)
  }

  function segments(query) {
    if (!segmenter) return query.split(/\s+/).filter(Boolean);
    if (!vocabulary) return nativeWords(query);
    return query.toLocaleLowerCase().split(/\s+/).filter(Boolean).reduce(function (all, chunk) {
      return all.concat(indexWords(chunk));
    }, []);
  }

  function nativeWords(text) {
    return Array.from(segmenter.segment(text)).filter(function (s) { return s.isWordLike; }).map(function (s) { return s.segment; });
  }

  // `chunk` cut into index words (2–8 characters), the browser's word (or one character) only where no index word
  // fits; punctuation and spaces give no word. Of the cuts with the fewest such stopgaps, the one with the most
  // words: the index cuts the same term whole in one place and in parts in another (神经干细胞 in a list of aliases,
  // 神经 / 干细胞 in running text), and Pagefind matches a query word as the start of an index word, so the parts
  // (神经 / 干细胞) find both pages, the whole only the first (measured: 神经干细胞, 功能评分量表 failed when cut whole).
  function indexWords(chunk) {
    var browser = {}, best = [{stopgaps: 0, words: []}];
    Array.from(segmenter.segment(chunk)).forEach(function (s) {
      browser[s.index] = {end: s.index + s.segment.length, word: s.isWordLike};
    });
    for (var i = 0; i < chunk.length; i++) {
      if (!best[i]) continue;
      var steps = [];
      for (var j = i + 2; j <= Math.min(chunk.length, i + 8); j++) {
        if (vocabulary.has(chunk.slice(i, j))) steps.push({end: j, word: true, known: true});
      }
      steps.push(browser[i] || {end: i + 1, word: /[\p{L}\p{N}]/u.test(chunk[i])});
      steps.forEach(function (step) {
        var here = {stopgaps: best[i].stopgaps + (step.word && !step.known ? 1 : 0),
                    words: step.word ? best[i].words.concat(chunk.slice(i, step.end)) : best[i].words};
        var there = best[step.end];
        if (!there || here.stopgaps < there.stopgaps
            || (here.stopgaps === there.stopgaps && here.words.length > there.words.length)) best[step.end] = here;
      });
    }
    return best[chunk.length].words;
  }

  // What Pagefind is given for `text`: Chinese cut into the index's words (and marked so Pagefind keeps them).
  function handOver(text) {
    if (!vocabulary || text === null) return text;
    var cut = segments(text).join(" ");
    handedOver.add(cut);
    return cut;
  }

  function find(query, filters) {
    var terms = query && query.replace(FILLER, " ").trim();
    if (query && /[\p{L}\p{N}]/u.test(terms)) query = terms;
    return pagefind.search(handOver(query), {filters: filters}).then(function (found) {
      var parts = query ? segments(query) : [];
      if (found.results.length >= FEW) return wholeWordsFirst(found.results, parts, filters);
      // Few pages hold the index's words of a Chinese query: the index also cuts a term into parts in some places
      // (鞘内注射 inside a title as 鞘 / 内 / 注射), so the pages found under the browser's cut follow them.
      var browserCut = vocabulary && query ? nativeWords(query).join(" ") : "";
      handedOver.add(browserCut);
      var more = browserCut ? pagefind.search(browserCut, {filters: filters}) : Promise.resolve({results: []});
      return more.then(function (alsoFound) {
        var all = found.results.slice(), seen = new Set(all.map(function (r) { return r.id; }));
        alsoFound.results.forEach(function (r) { if (!seen.has(r.id)) { seen.add(r.id); all.push(r); } });
        return all.length >= FEW || parts.length < 2 ? all : mostWords(all, parts, filters);
      });
    });
  }

  // Few pages have every word (a lay word no page uses, or Chinese cut differently in the page than in the query):
  // after `found`, the pages that have most of the words, by Pagefind's score.
  function mostWords(found, parts, filters) {
    return Promise.all(parts.map(function (word) { return pagefind.search(handOver(word), {filters: filters}); }))
      .then(function (each) {
        var pages = new Map();
        found.forEach(function (r) { pages.set(r.id, {result: r, words: parts.length + 1, score: r.score}); });
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
  }

  // The browser cuts Chinese words it does not know into single characters (脊髓内注射 → 脊髓 / 内 / 注射), and
  // Pagefind then matches each character as the start of any word (内 in 内容, 国内 …), which buries the page that
  // has the whole term. The pages that rank first for the query's words of two or more characters come first, in
  // that order, if they have every character too.
  function wholeWordsFirst(results, parts, filters) {
    var han = /^\p{Script=Han}$/u;
    var longer = parts.filter(function (p) { return !han.test(p); });
    if (longer.length === parts.length || longer.length < 2) return results;
    return pagefind.search(handOver(longer.join(" ")), {filters: filters}).then(function (again) {
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
