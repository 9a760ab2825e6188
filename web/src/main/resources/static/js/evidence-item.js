// A saved evidence item's copy: each event one line, its every field on a click of ▸ (as the grid).
(function () {
  'use strict';
  var table = document.getElementById('evidence-events');
  if (!table) return;
  table.addEventListener('click', function (ev) {
    var button = ev.target.closest('button.expand');
    if (!button || !table.contains(button)) return;
    var detail = button.closest('tr').nextElementSibling;
    var open = button.getAttribute('aria-expanded') !== 'true';
    detail.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? '▾' : '▸';
  });
})();
