// Sends the CSRF token with every htmx request, so htmx forms need no hidden field.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) { evt.detail.headers["X-CSRF-Token"] = meta.content; }
});

// Wide screens show the whole menu as one bar; phones keep it folded behind its button.
(function () {
  var more = document.querySelector(".nav-more");
  if (!more || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 601px)");
  function sync() { more.open = wide.matches; }
  document.documentElement.classList.add("js");
  sync();
  wide.addEventListener("change", sync);
})();
