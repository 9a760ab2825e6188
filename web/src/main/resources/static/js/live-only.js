// Links that act on a connected endpoint (the folder icon beside a process path, Kill process) show only
// while the endpoint has an open live connection: asked once per endpoint on the page.
(function () {
  'use strict';
  const links = document.querySelectorAll('.live-only[data-endpoint]');
  const endpoints = new Set(Array.from(links, a => a.dataset.endpoint));
  endpoints.forEach(function (e) {
    fetch('/api/v1/live/endpoints/' + encodeURIComponent(e) + '/journal', {credentials: 'same-origin'})
      .then(r => r.ok ? r.json() : null)
      .then(function (j) {
        if (!j || !j.connected) return;
        links.forEach(function (a) { if (a.dataset.endpoint === e) a.hidden = false; });
      })
      .catch(function () { /* offline or signed out: the links stay hidden */ });
  });
})();
