// Live reload for `python -m generator serve`. The preview server adds this script to the HTML
// it sends; it is never written into the built site. It listens on /__livereload (server-sent
// events): "reload" reloads the page after a good rebuild, "build-error" shows the build's
// error over the page (as text, never as markup) while the last good site stays served.
(function () {
  "use strict";
  var overlay = null;

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "digest-build-error";
      overlay.setAttribute("role", "alert");
      var style = overlay.style;  // set through the CSSOM: allowed by a style-src 'self' policy
      style.position = "fixed";
      style.top = style.right = style.bottom = style.left = "0";
      style.zIndex = "2147483647";
      style.overflow = "auto";
      style.padding = "2rem";
      style.background = "rgba(24, 24, 24, 0.94)";
      style.color = "#ffd0d0";
      style.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace";
      style.whiteSpace = "pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed; this page is the last good build.\n\n" + message;
  }

  var events = new EventSource("/__livereload");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("build-error", function (event) {
    showError(JSON.parse(event.data).message);
  });
})();
