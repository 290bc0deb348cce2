// The transcript page: a segment's play button seeks the player to the segment's start.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest ? evt.target.closest(".seg-play") : null;
  if (!button) { return; }
  var audio = document.getElementById("rec-audio");
  if (!audio) { return; }
  var start = parseFloat(button.getAttribute("data-start")) || 0;
  function go() {
    audio.currentTime = start;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }
  // Seeking before the metadata is known is ignored by some browsers: wait for it then.
  if (audio.readyState >= 1) { go(); } else {
    audio.addEventListener("loadedmetadata", go, { once: true });
    audio.load();
  }
});
