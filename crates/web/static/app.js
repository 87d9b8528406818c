// Every htmx request carries the page's CSRF token.
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) { e.detail.headers["X-CSRF-Token"] = m.content; }
});

// Print buttons and confirmations without inline script (the Content-Security-Policy
// allows scripts from this site only).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("submit", function (e) {
  var m = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (m && !window.confirm(m)) { e.preventDefault(); }
}, true);
