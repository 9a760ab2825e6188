// An endpoint's grid: while a live connection is open on it, says how many events arrived since the page
// loaded ("n new events", a link that reloads the grid). Polls GET /api/v1/live/endpoints/{e}/journal every
// 5 s, which is not analyst activity: it keeps no connection open.
(function () {
  'use strict';
  const badge = document.getElementById('live-new');
  if (!badge) return;
  const url = '/api/v1/live/endpoints/' + encodeURIComponent(badge.dataset.endpoint) + '/journal';
  let atLoad = null;
  async function poll() {
    try {
      const r = await fetch(url, { headers: { 'Accept': 'application/json' } });
      if (!r.ok) return;
      const j = await r.json();
      if (atLoad === null) atLoad = j.events;
      const n = j.events - atLoad;
      badge.hidden = n <= 0;
      badge.textContent = n === 1 ? '1 new event' : n.toLocaleString('en') + ' new events';
      badge.title = 'received live since this page loaded: show them';
      badge.href = window.location.href;
      if (!j.connected && n <= 0) return; // no connection open: nothing more comes
    } catch (e) {
      return;
    }
    setTimeout(poll, 5000);
  }
  poll();
})();
