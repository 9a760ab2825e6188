// Intel > Add > Evidence Based IOC: the picker's rows a page at a time (ticks on other pages stay in the form).
(function () {
  'use strict';
  var table = document.getElementById('candidates');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr.candidate-row'));
  var size = parseInt(table.dataset.pageSize, 10) || 50;
  if (rows.length <= size) return;
  var pager = document.getElementById('candidates-pager');
  var prev = document.getElementById('candidates-prev');
  var next = document.getElementById('candidates-next');
  var position = document.getElementById('candidates-position');
  var page = 0;
  var pages = Math.ceil(rows.length / size);
  function show() {
    rows.forEach(function (row, i) { row.hidden = Math.floor(i / size) !== page; });
    position.textContent = 'indicators ' + (page * size + 1) + '-' + Math.min(rows.length, (page + 1) * size) + ' of ' + rows.length;
    prev.disabled = page === 0;
    next.disabled = page === pages - 1;
  }
  prev.addEventListener('click', function () { if (page > 0) { page--; show(); } });
  next.addEventListener('click', function () { if (page < pages - 1) { page++; show(); } });
  pager.hidden = false;
  show();
})();
