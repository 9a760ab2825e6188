// Saved evidence > Snapshot captures: follows the captures under way, writing their state in place, and
// shows the page afresh when one ends (its snapshot's link appears).
(function () {
  'use strict';
  const running = () => Array.from(document.querySelectorAll('.capture-row[data-running]'));
  // the server's own words (LiveSnapshots.progress): one wording for the page and its updates, which says when the
  // capture is queued or waits for an agent that is away (third try-out: "transferring 7 %" while nothing moved)
  function words(c) {
    return c.progress || c.state;
  }
  async function poll() {
    const rows = running();
    if (rows.length === 0) return;
    let ended = false;
    for (const row of rows) {
      try {
        const r = await fetch('/api/v1/snapshots/captures/' + encodeURIComponent(row.dataset.id), {credentials: 'same-origin'});
        if (!r.ok) continue;
        const c = await r.json();
        row.dataset.state = c.state;
        if (!['copying', 'transferring', 'checking', 'ingesting', 'cancelling'].includes(c.state)) ended = true;
        else row.querySelector('.capture-state').textContent = words(c);
      } catch (e) { /* the server is restarting: try again */ }
    }
    if (ended) { location.reload(); return; }
    setTimeout(poll, 500);
  }
  setTimeout(poll, 500);
})();
