// sitegen serve: reload the page after each rebuild; show a failed build's errors over the last good page.
// Added to each page by the preview server only; never part of a built site.
(() => {
  "use strict";
  const loaded = document.currentScript ? document.currentScript.dataset.generation : "";
  let host = null;

  function hide() {
    if (host) {
      host.remove();
      host = null;
    }
  }

  // The site's own CSS cannot reach into a shadow root, nor ours out of it. Text goes in as
  // textContent only: a message quotes the editor's input, which may hold markup.
  function show(problems, built) {
    hide();
    host = document.createElement("div");
    host.id = "sitegen-overlay";
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent =
      ":host{all:initial}" +
      ".box{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#fff;" +
      "color:#222;font:16px/1.6 system-ui,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;" +
      "padding:2em;border-top:6px solid #b00}" +
      "h1{color:#b00;font-size:1.3em;margin:0 0 1em}li{margin:0 0 1em}" +
      "code{font:15px/1.5 ui-monospace,monospace;background:#f3f3f3;padding:0 .3em}.en{color:#555}" +
      "button{font:inherit;padding:.3em 1em;cursor:pointer}";
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "title");
    const title = document.createElement("h1");
    title.id = "title";
    title.textContent = `网站生成失败，共 ${problems.length} 个错误。改好并保存后页面会自动刷新` +
      (built ? "（在那之前显示的仍是上一次成功生成的网站）。" : "。") +
      " (the build failed; fix and save, and this page reloads)";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "暂时关闭 (dismiss)";
    close.addEventListener("click", hide);
    const list = document.createElement("ol");
    for (const p of problems) {
      const item = document.createElement("li");
      const where = document.createElement("code");
      where.textContent = p.where;
      const en = document.createElement("div");
      en.className = "en";
      en.textContent = `(${p.en})`;
      item.append(where, `：${p.zh}`, en);
      list.append(item);
    }
    box.append(title, list, close);
    root.append(style, box);
    document.documentElement.append(host);
  }

  function update(message) {
    const state = JSON.parse(message.data);
    if (state.problems.length) show(state.problems, state.built);
    else if (state.generation !== loaded) location.reload();
    else hide();
  }

  // Only a tab in view listens. A browser opens at most 6 connections to one server over HTTP/1.x,
  // and each listening tab holds one: with more tabs open, pages would stop loading. A tab coming
  // back into view listens again, and the first message tells it whether the site changed meanwhile.
  let events = null;
  function listen() {
    if (document.hidden) {
      if (events) events.close();
      events = null;
    } else if (!events) {
      events = new EventSource("/__sitegen__/events");
      events.onmessage = update;
    }
  }
  document.addEventListener("visibilitychange", listen);
  listen();
})();
