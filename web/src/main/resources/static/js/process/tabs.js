// Tabs of the process details page: one panel visible at a time, the choice kept in the URL hash
// so a shared link opens the same tab.
(function () {
  const buttons = document.querySelectorAll('#process-tabs [data-tab]');
  function show(id) {
    buttons.forEach(b => {
      const on = b.dataset.tab === id;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById(b.dataset.tab).hidden = !on;
    });
  }
  buttons.forEach(b => b.addEventListener('click', () => {
    show(b.dataset.tab);
    history.replaceState(null, '', '#' + b.dataset.tab);
  }));
  const initial = location.hash.substring(1);
  if (initial && document.getElementById(initial) && document.querySelector('[data-tab="' + initial + '"]')) {
    show(initial);
  }
})();
