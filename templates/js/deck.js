/* Jikim deck runtime: keys, swipe, URL fragment, scaling, presenter view. No framework. */
(function () {
  "use strict";
  var W = 1280, H = 720, PRESENTER = "jikim-presenter";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".stage > .slide"));
  var stage = document.getElementById("stage");
  var wrap = document.querySelector(".stage-wrap");
  var live = document.getElementById("live");
  var counter = document.getElementById("counter");
  var isPresenter = window.name === PRESENTER;
  var peer = isPresenter ? window.opener : null;
  var current = -1, started = Date.now();

  function clamp(i) { return Math.max(0, Math.min(slides.length - 1, i)); }
  function fromHash() { var m = /^#(\d+)$/.exec(location.hash); return m ? clamp(parseInt(m[1], 10) - 1) : 0; }

  function show(i, quiet) {
    i = clamp(i);
    if (i === current) return;
    current = i;
    slides.forEach(function (s, k) { s.hidden = k !== i; });
    if (location.hash !== "#" + (i + 1)) history.replaceState(null, "", "#" + (i + 1));
    var text = (i + 1) + " / " + slides.length;
    counter.textContent = text;
    live.textContent = slides[i].getAttribute("aria-label");
    if (isPresenter) presenterUpdate();
    if (!quiet) { tell(i); document.body.classList.add("quiet"); }  // the key hint only until the lesson starts
  }

  function tell(i) {
    if (peer && !peer.closed) peer.postMessage({ jikim: "goto", index: i }, "*");
  }

  window.addEventListener("message", function (e) {
    if (e.data && e.data.jikim === "goto" && typeof e.data.index === "number") {
      if (!isPresenter && !peer) peer = e.source;
      show(e.data.index, true);
    }
    if (e.data && e.data.jikim === "hello" && !isPresenter) { peer = e.source; tell(current); }
  });

  function fit() {
    var scale = Math.min(wrap.clientWidth / W, wrap.clientHeight / H);
    stage.style.transform = "translate(" + (-W * scale / 2) + "px," + (-H * scale / 2) + "px) scale(" + scale + ")";
    var next = document.getElementById("p-next");
    if (isPresenter && next) next.style.transform = "scale(" + (next.parentNode.clientWidth / W) + ")";
  }

  function openPresenter() {
    if (isPresenter) return;
    var w = window.open(location.href.split("#")[0] + "#" + (current + 1), PRESENTER, "width=1200,height=800");
    if (w) { peer = w; }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }

  function presenterUpdate() {
    var notes = slides[current].querySelectorAll(".notes");
    var box = document.getElementById("p-notes");
    box.innerHTML = "";
    Array.prototype.forEach.call(notes, function (n) {  // notes, then the model answers, then the sources
      var copy = n.cloneNode(true); copy.hidden = false;
      copy.classList.remove("notes"); copy.classList.add("notes-copy"); box.appendChild(copy);
    });
    var next = document.getElementById("p-next");
    next.innerHTML = "";
    if (current + 1 < slides.length) {
      var clone = slides[current + 1].cloneNode(true);
      clone.hidden = false; clone.removeAttribute("id"); clone.setAttribute("aria-hidden", "true");
      next.appendChild(clone);
    }
    document.getElementById("p-counter").textContent = (current + 1) + " / " + slides.length;
  }

  function tick() {
    var s = Math.floor((Date.now() - started) / 1000);
    document.getElementById("p-timer").textContent =
      String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
    document.getElementById("p-clock").textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Spacebar":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "s": case "S": openPresenter(); break;
      case "f": case "F": toggleFullscreen(); break;
      case "?": document.body.classList.toggle("quiet"); break;
      default: return;
    }
    e.preventDefault();
  });

  var touchX = null;
  document.addEventListener("touchstart", function (e) { touchX = e.changedTouches[0].clientX; }, { passive: true });
  document.addEventListener("touchend", function (e) {
    if (touchX === null) return;
    var dx = e.changedTouches[0].clientX - touchX; touchX = null;
    if (Math.abs(dx) > 40) show(current + (dx < 0 ? 1 : -1));
  });

  window.addEventListener("hashchange", function () { show(fromHash()); });
  window.addEventListener("resize", fit);

  if (isPresenter) {
    document.body.classList.add("presenter");
    document.getElementById("presenter-panel").hidden = false;
    setInterval(tick, 1000); tick();
    if (peer) peer.postMessage({ jikim: "hello" }, "*");
  }
  slides.forEach(function (s) { s.setAttribute("role", "region"); s.tabIndex = -1; });
  fit();
  show(fromHash(), true);
})();
