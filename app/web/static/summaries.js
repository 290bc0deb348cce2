// A summary's citation jumps to its clause (#c-<chunk key>): the clause also takes the focus,
// so a keyboard or screen-reader user goes on reading from there, not from the link.
(function () {
  function focusClause() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id.indexOf("c-") !== 0) { return; }
    var el = document.getElementById(id);
    if (el) { el.focus(); }
  }
  window.addEventListener("hashchange", focusClause);
  focusClause();
})();
