// Alerts: Acknowledge / Close / Reopen with no alert ticked says so here, not on an error page.
(function () {
  'use strict';
  var bulk = document.getElementById('alerts-bulk');
  if (!bulk) return;
  bulk.addEventListener('submit', function (ev) {
    if (document.querySelector('input.alert-pick:checked')) return;
    ev.preventDefault();
    var note = document.getElementById('alerts-bulk-error');
    if (!note) {
      note = document.createElement('p');
      note.id = 'alerts-bulk-error';
      note.className = 'error-message';
      note.setAttribute('role', 'alert');
      bulk.append(note);
    }
    note.textContent = 'Tick at least one alert first (the boxes at the left of the rows).';
  });
})();
