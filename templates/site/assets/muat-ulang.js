/* Cetak Biru — live reload for the development server only (added to the pages by a dev build).
   Every second, fetch <site root>/.versi-build without the cache and reload the page when its
   text changes. The site root is found from this script's own URL (<root>/assets/muat-ulang.js),
   so it works under any sub-path. Silent on every error: a missing file or a server restart
   simply waits for the next tick. */

(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || !window.fetch) {
    return;
  }
  var url;
  try {
    url = new URL("../.versi-build", script.src).href;
  } catch (e) {
    return;
  }
  var known = null;

  function tick() {
    fetch(url, { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        if (text === null) {
          return;
        }
        text = text.trim();
        if (known === null) {
          known = text;
        } else if (text !== known) {
          location.reload();
          return;
        }
      })
      .catch(function () {})
      .then(function () {
        setTimeout(tick, 1000);
      });
  }

  tick();
})();
