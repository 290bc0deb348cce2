// The bulletin player: one large play button, ±15 s, three speeds, a seek bar, and the
// transcript section being read marked and kept in view.
(function () {
  function init() {
    var audio = document.getElementById("bulletin-audio");
    if (!audio) { return; }
    var player = audio.closest(".player");
    var chapters = [];
    try { chapters = JSON.parse(player.getAttribute("data-chapters") || "[]"); } catch (e) { chapters = []; }
    var play = document.getElementById("play");
    var seek = document.getElementById("seek");
    var pos = document.getElementById("pos");
    var parts = document.querySelectorAll(".transcript-text .chapter");
    var current = -1;

    function clock(t) {
      t = Math.max(0, Math.floor(t || 0));
      var m = Math.floor(t / 60), s = t % 60;
      return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }
    function chapterAt(t) {
      var idx = 0;
      for (var i = 0; i < chapters.length; i++) { if (chapters[i].start <= t + 0.05) { idx = i; } }
      return idx;
    }
    function mark() {
      var idx = chapterAt(audio.currentTime);
      if (idx === current) { return; }
      current = idx;
      var first = null;
      parts.forEach(function (el) {
        var on = parseInt(el.getAttribute("data-chapter"), 10) === idx;
        el.classList.toggle("now-playing", on);
        if (on) { el.setAttribute("aria-current", "true"); if (!first) { first = el; } }
        else { el.removeAttribute("aria-current"); }
      });
      if (first && !audio.paused) { first.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    }
    function label() {
      var playing = !audio.paused;
      var text = play.getAttribute(playing ? "data-pause" : "data-play");
      play.querySelector(".label").textContent = text;
      play.querySelector(".icon").textContent = playing ? "❚❚" : "▶";
      play.setAttribute("aria-label", text);
      play.classList.toggle("playing", playing);
    }
    function start() {
      var p = audio.play();
      if (p && p.catch) { p.catch(function () {}); }
    }
    function jump(t) {
      function go() { audio.currentTime = Math.max(0, Math.min(t, audio.duration || t)); mark(); }
      if (audio.readyState >= 1) { go(); } else { audio.addEventListener("loadedmetadata", go, { once: true }); audio.load(); }
    }
    play.addEventListener("click", function () { if (audio.paused) { start(); } else { audio.pause(); } });
    audio.addEventListener("play", label);
    audio.addEventListener("pause", label);
    audio.addEventListener("ended", label);
    audio.addEventListener("timeupdate", function () {
      pos.textContent = clock(audio.currentTime);
      if (document.activeElement !== seek) { seek.value = Math.floor(audio.currentTime); }
      mark();
    });
    seek.addEventListener("input", function () { jump(parseFloat(seek.value) || 0); });
    document.getElementById("back15").addEventListener("click", function () { jump(audio.currentTime - 15); });
    document.getElementById("fwd15").addEventListener("click", function () { jump(audio.currentTime + 15); });
    document.querySelectorAll(".speed").forEach(function (b) {
      b.addEventListener("click", function () {
        audio.playbackRate = parseFloat(b.getAttribute("data-rate")) || 1;
        document.querySelectorAll(".speed").forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
      });
    });
    document.querySelectorAll(".chapter-go").forEach(function (b) {
      b.addEventListener("click", function () { jump(parseFloat(b.getAttribute("data-start")) || 0); start(); });
    });
    mark();
    // Arriving from the home page's play button (?play=1): start at once, one tap to sound.
    if (/[?&]play=1/.test(window.location.search)) { start(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
