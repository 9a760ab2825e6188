// Saved evidence > Snapshot captures: follows the captures under way, writing their state in place, and
// shows the page afresh when one ends (its snapshot's link appears).
(function () {
  'use strict';
  const running = () => Array.from(document.querySelectorAll('.capture-row[data-running]'));
  function words(c) {
    if (c.state === 'transferring') {
      if (!c.size) return 'transferring';
      const mib = n => (n / 1048576).toFixed(1) + ' MiB';
      return 'transferring ' + Math.floor(c.received * 100 / c.size) + ' % (' + mib(c.received) + ' of ' + mib(c.size) + ')'
        + (c.resumes > 0 ? ', resumed ' + c.resumes + (c.resumes === 1 ? ' time' : ' times') : '');
    }
    if (c.state === 'cancelling') return 'cancelling: waiting for the endpoint to stop';
    return c.state === 'copying' ? 'copying on the endpoint' : c.state;
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
