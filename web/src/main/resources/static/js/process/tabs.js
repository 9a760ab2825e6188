// Tabs of the process details page: one panel visible at a time, the choice kept in the URL hash
// so a shared link opens the same tab. The WAI-ARIA tabs pattern, as the grid's Builder/Typed tabs:
// only the selected tab is a Tab stop (roving tabindex); Left/Right (wrapping), Home and End move
// to another tab and select it.
(function () {
  const buttons = Array.from(document.querySelectorAll('#process-tabs [data-tab]'));
  function show(id) {
    buttons.forEach(b => {
      const on = b.dataset.tab === id;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      document.getElementById(b.dataset.tab).hidden = !on;
    });
  }
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => {
      show(b.dataset.tab);
      history.replaceState(null, '', '#' + b.dataset.tab);
    });
    b.addEventListener('keydown', ev => {
      const last = buttons.length - 1;
      const to = { ArrowLeft: i === 0 ? last : i - 1, ArrowRight: i === last ? 0 : i + 1, Home: 0, End: last }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      buttons[to].focus();
      buttons[to].click();
    });
  });
  const initial = location.hash.substring(1);
  const selected = buttons.find(b => b.getAttribute('aria-selected') === 'true') || buttons[0];
  show(initial && document.getElementById(initial) && document.querySelector('[data-tab="' + initial + '"]')
    ? initial : selected.dataset.tab);
})();
