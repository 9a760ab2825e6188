// Distribution bars: toggle between alphabetical order and Sort By Count (largest first).
(function () {
  const svg = document.getElementById('type-bars');
  const button = document.getElementById('sort-by-count');
  if (!svg || !button) return;
  const rowHeight = Number(svg.dataset.rowHeight);
  let byCount = false;
  button.addEventListener('click', () => {
    byCount = !byCount;
    const rows = Array.from(svg.querySelectorAll('g.bar-row'));
    rows.sort(byCount
      ? (a, b) => Number(b.dataset.count) - Number(a.dataset.count) || a.dataset.label.localeCompare(b.dataset.label)
      : (a, b) => a.dataset.label.localeCompare(b.dataset.label));
    rows.forEach((g, i) => { g.setAttribute('transform', 'translate(0,' + i * rowHeight + ')'); svg.appendChild(g); });
    button.textContent = byCount ? 'Sort By Name' : 'Sort By Count';
    button.setAttribute('aria-pressed', String(byCount));
  });
})();
