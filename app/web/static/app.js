// Sends the CSRF token with every htmx request, so htmx forms need no hidden field.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) { evt.detail.headers["X-CSRF-Token"] = meta.content; }
});
