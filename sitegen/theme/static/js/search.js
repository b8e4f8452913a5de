/* 站内搜索: the search page's client, on Pagefind's JS API.
   The index holds every Han character as a word of its own (sitegen/searchtext.py), so a
   keyword is searched as Pagefind's exact phrase of its characters: a literal substring
   match, whatever a word segmenter would have made of it. Keywords separated by spaces
   must all occur. A keyword typed without spaces that occurs nowhere as written (天津督战)
   is then split into words by the browser's segmenter, and those words must all occur.
   Results are newest first. Nothing is fetched from outside the site. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var PAGE = 10;
  var HAN = /\p{Script=Han}/u;
  var TOKENS = /\p{Script=Han}|[^\p{Script=Han}]+/gu;
  // Characters between which the index's spaces were added, not written: Han and CJK punctuation.
  var TIGHT = "\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201d\\u2014\\u2026\\u00b7";
  var SPACE_IN_TEXT = new RegExp("([" + TIGHT + "]|</?mark>)[\\s\\u200b]+(?=[" + TIGHT + "]|</?mark>)", "gu");
  // Digits beside Han: the index spaced them (12月 -> 12 月); Chinese typography sets them tight.
  var SPACE_BY_DIGIT = /(\p{Script=Han}|<\/?mark>)\s+(?=\d)|(\d)\s+(?=\p{Script=Han}|<\/?mark>)/gu;
  // Pagefind ends a block that has no closing punctuation with ". ": in Chinese text that is 。
  var BLOCK_END = /(\p{Script=Han}|<\/mark>)\. /gu;
  var form = app.querySelector("form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var here = function (attr) { return new URL(app.getAttribute(attr), document.baseURI).href; };
  var engine = null;
  var shown = [];
  var current = 0;
  var marked = [];  // the words highlighted in the results shown

  function keywords(query) {
    return query.normalize("NFKC").toLowerCase().split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
  }

  function phrase(word) {
    var tokens = word.match(TOKENS) || [];
    return tokens.length > 1 ? "\"" + tokens.join(" ") + "\"" : tokens.join("");
  }

  function words(keyword) {
    if (!HAN.test(keyword) || typeof Intl === "undefined" || !Intl.Segmenter) return [keyword];
    var out = [];
    var segments = new Intl.Segmenter("zh", { granularity: "word" }).segment(keyword);
    for (var it = segments[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) {
      if (s.value.isWordLike) out.push(s.value.segment);
    }
    return out.length ? out : [keyword];
  }

  function load() {
    if (engine) return engine;
    engine = fetch(here("data-state"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { delta: false, replaced: [] }; })
      .then(function (state) {
        if (state.empty) {  // no article yet: nothing to load, nothing to find
          return { pf: { search: function () { return Promise.resolve({ results: [] }); } }, replaced: new Set() };
        }
        return import(here("data-pagefind") + "pagefind.js").then(function (pf) {
          return pf.options({ excerptLength: 48 }).then(function () {
            return state.delta ? pf.mergeIndex(here("data-delta")) : null;
          }).then(function () {
            return { pf: pf, replaced: new Set(state.replaced || []) };
          });
        });
      });
    return engine;
  }

  function find(e, word) {  // results for one keyword, newest first, without the replaced base entries
    return e.pf.search(phrase(word), { sort: { date: "desc" } }).then(function (found) {
      return found.results.filter(function (r) { return !e.replaced.has(r.id); });
    });
  }

  function all(e, keys) {  // results holding every keyword, in the first list's (date) order
    return Promise.all(keys.map(function (k) { return find(e, k); })).then(function (lists) {
      var sets = lists.slice(1).map(function (l) { return new Set(l.map(function (r) { return r.id; })); });
      return lists[0].filter(function (r) { return sets.every(function (s) { return s.has(r.id); }); });
    });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlight(text, keys) {
    var html = escapeHtml(text);
    keys.map(escapeHtml).sort(function (a, b) { return b.length - a.length; }).forEach(function (k) {
      var at = html.toLowerCase().indexOf(k);
      if (k && at !== -1 && html.lastIndexOf("<", at) <= html.lastIndexOf(">", at)) {
        html = html.slice(0, at) + "<mark>" + html.slice(at, at + k.length) + "</mark>" + html.slice(at + k.length);
      }
    });
    return html;
  }

  function tidy(excerpt) {  // the index's spaces out of Chinese text; one <mark> per run of characters
    // A word of the index is a character with the punctuation beside it: mark the character only.
    return excerpt.replace(BLOCK_END, "$1。").replace(SPACE_IN_TEXT, "$1").replace(SPACE_IN_TEXT, "$1")
      .replace(SPACE_BY_DIGIT, "$1$2").replace(/<\/mark><mark>/g, "")
      .replace(/<mark>([^\p{L}\p{N}<]+)/gu, "$1<mark>").replace(/([^\p{L}\p{N}>]+)<\/mark>/gu, "</mark>$1")
      .replace(/<mark><\/mark>/g, "");
  }

  function item(data, keys) {
    var li = document.createElement("li");
    li.className = "search-result";
    var url = data.url;  // Pagefind puts its bundle's folder in front: /dangjian/2020/…, right under any sub-path
    var meta = [data.meta.date, data.meta.category].filter(Boolean).map(escapeHtml).join(" · ");
    li.innerHTML = "<h2><a href=\"" + escapeHtml(url) + "\">" + highlight(data.meta.title || url, keys) + "</a></h2>" +
      "<p class=\"excerpt\">" + tidy(data.excerpt) + "</p>" +
      "<p class=\"list-meta\"><time datetime=\"" + escapeHtml(data.meta.date || "") + "\">" + meta + "</time></p>";
    return li;
  }

  function showMore(keys) {
    var batch = shown.slice(current, current + PAGE);
    current += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      data.forEach(function (d) { list.appendChild(item(d, keys)); });
      more.hidden = current >= shown.length;
    });
  }

  function say(text) { status.textContent = text; }

  function run(query) {
    var keys = keywords(query);
    list.innerHTML = "";
    more.hidden = true;
    shown = [];
    current = 0;
    if (!keys.length) { say(""); return Promise.resolve(); }
    say("正在搜索……");
    document.title = "“" + query + "”的搜索结果 - " + document.title.replace(/^.*的搜索结果 - /, "");
    return load().then(function (e) {
      return all(e, keys).then(function (exact) {
        var split = [].concat.apply([], keys.map(words));
        if (exact.length || split.length === keys.length) return { results: exact, loose: false };
        return all(e, split).then(function (loose) { return { results: loose, loose: true }; });
      }).then(function (found) {
        shown = found.results;
        if (!shown.length) {
          say("没有找到包含“" + query + "”的文章。请检查用字，或换个词语、减少关键词再试。");
          return null;
        }
        say((found.loose ? "没有找到与“" + query + "”完全一致的内容；以下 " + shown.length + " 篇文章包含其中的全部词语"
          : "找到 " + shown.length + " 篇包含“" + query + "”的文章") + "，按发布时间从新到旧排列。");
        marked = found.loose ? [].concat.apply([], keys.map(words)) : keys;
        return showMore(marked);
      });
    }).catch(function () {
      say("搜索暂时无法使用，请稍后再试，或从栏目首页浏览文章。");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url.href);
    run(query);
  });
  more.addEventListener("click", function () { showMore(marked); });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial.trim()) run(initial.trim());
})();
