// Saved evidence > Files: rows still transferring show their progress, polled from the JSON API.
(function () {
  'use strict';
  var dirty = false;
  document.addEventListener('input', function (ev) {
    if (ev.target.closest && ev.target.closest('form.evidence-describe')) dirty = true;
  });
  function poll() {
    var rows = document.querySelectorAll('tr.evidence-row[data-state="transferring"], tr.evidence-row[data-state="cancelling"]');
    if (rows.length === 0) return;
    var pending = rows.length;
    rows.forEach(function (row) {
      fetch('/api/v1/evidence/' + row.dataset.id, {credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (f) {
          if (!f) return;
          if (f.state !== row.dataset.state) {
            // a reload would drop a note being typed, or typed and not saved yet: then the row only says so
            var editing = dirty || document.activeElement && document.activeElement.closest('form.evidence-describe');
            if (!editing) { window.location.reload(); return; }
            row.dataset.state = f.state;
            row.querySelector('.evidence-state').textContent = f.state + ' (reload the page for its buttons)';
            return;
          }
          var state = row.querySelector('.evidence-state');
          if (f.state === 'cancelling') return;
          // the server's own words (EvidencePages.progressText), as the page has them: queued, waiting for an agent that is
          // away, or how far it is (third try-out: a percentage was shown while the agent was away)
          var p = f.progress;
          var text = !p ? 'transferring' : p.state === 'queued' || p.state === 'waiting' ? p.text : 'transferring ' + p.text;
          state.textContent = text;
        })
        .finally(function () { if (--pending === 0) setTimeout(poll, 1000); });
    });
  }
  setTimeout(poll, 500);
})();
