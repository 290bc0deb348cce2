// The minutes page: a sentence's source opens on hover as well as on tap (a <details>), and a
// transcript range plays that part of the meeting recording, then pauses at its end.
(function () {
  var hoverable = window.matchMedia && window.matchMedia("(hover: hover)").matches;
  if (hoverable) {
    document.querySelectorAll("details.prov").forEach(function (d) {
      d.addEventListener("mouseenter", function () {
        if (!d.open) { d.open = true; d.dataset.hovered = "1"; }
      });
      d.addEventListener("mouseleave", function () {
        if (d.dataset.hovered) { d.open = false; delete d.dataset.hovered; }
      });
      // A click while hovered keeps it open (pinned) instead of closing it.
      d.querySelector("summary").addEventListener("click", function (evt) {
        if (d.dataset.hovered) { evt.preventDefault(); delete d.dataset.hovered; }
      });
    });
  }
  var stopAt = null;
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest(".min-play") : null;
    if (!button) { return; }
    var audio = document.getElementById("min-audio");
    if (!audio) { return; }
    var start = parseFloat(button.getAttribute("data-start")) || 0;
    var end = parseFloat(button.getAttribute("data-end")) || 0;
    function go() {
      audio.currentTime = start;
      stopAt = end > start ? end : null;
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () {}); }
    }
    if (audio.readyState >= 1) { go(); } else {
      audio.preload = "metadata";
      audio.addEventListener("loadedmetadata", go, { once: true });
      audio.load();
    }
  });
  document.addEventListener("timeupdate", function (evt) {
    if (evt.target.id === "min-audio" && stopAt !== null && evt.target.currentTime >= stopAt) {
      evt.target.pause();
      stopAt = null;
    }
  }, true);
})();
