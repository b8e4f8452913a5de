/* 关怀模式 toggle, font-size switcher (字体: 大 中 小) and the optional view counter.
   The page is complete without this script; it only adds these three features. */
(function () {
  "use strict";
  var KEY = "sitegen-font";
  var SIZES = ["large", "medium", "small"];
  var root = document.documentElement;

  function apply(size) {
    root.setAttribute("data-font", size);
    var buttons = document.querySelectorAll(".font-switch button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-font") === size));
    }
  }

  function setupFontSwitch() {
    var group = document.querySelector(".font-switch");
    if (!group) return;
    group.hidden = false;
    var stored = null;
    try { stored = localStorage.getItem(KEY); } catch (e) { /* storage disabled: no memory */ }
    apply(SIZES.indexOf(stored) === -1 ? "medium" : stored);
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-font]");
      if (!button) return;
      var size = button.getAttribute("data-font");
      apply(size);
      try { localStorage.setItem(KEY, size); } catch (e) { /* ignore */ }
    });
  }

  /* 关怀模式: base.html's inline script has already set data-care from storage before the first paint;
     this only wires up the button and remembers the choice. */
  var CARE_KEY = "sitegen-care";

  function setupCareToggle() {
    var button = document.querySelector(".care-toggle");
    if (!button) return;
    function show(on) {
      if (on) root.setAttribute("data-care", "on"); else root.removeAttribute("data-care");
      button.setAttribute("aria-pressed", String(on));
    }
    show(root.getAttribute("data-care") === "on");
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = root.getAttribute("data-care") !== "on";
      show(on);
      try {
        if (on) localStorage.setItem(CARE_KEY, "on"); else localStorage.removeItem(CARE_KEY);
      } catch (e) { /* storage disabled: the mode lasts for this page only */ }
    });
  }

  function setupCounter() {
    var box = document.querySelector(".views[data-counter]");
    if (!box || !window.fetch) return;
    var url = box.getAttribute("data-counter");
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    fetch(url + sep + "id=" + encodeURIComponent(box.getAttribute("data-id")), { credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var n = Number(data && data.count);
        if (!isFinite(n) || n < 0) return;
        box.querySelector(".views-count").textContent = String(Math.floor(n));
        box.hidden = false;
      })
      .catch(function () { /* counter down: the count stays hidden */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCareToggle();
    setupFontSwitch();
    setupCounter();
  });
})();
