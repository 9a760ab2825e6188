// Histogram above the grid: each bar is a link to its time; dragging across bars (brushing) opens
// the span from the first bar's start to the last one's end. Keyboard users follow the bar links.
(function () {
  const svg = document.getElementById('histogram');
  if (!svg) return;
  const bars = Array.from(svg.querySelectorAll('a.bucket'));
  let start = -1;
  let moved = false;

  function mark(a, b) {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    bars.forEach((bar, i) => bar.classList.toggle('brushed', a >= 0 && i >= lo && i <= hi));
  }

  bars.forEach((bar, i) => {
    bar.addEventListener('mousedown', e => {
      if (e.button !== 0) return;
      e.preventDefault(); // no link drag
      start = i;
      moved = false;
      mark(i, i);
    });
    bar.addEventListener('mouseenter', () => {
      if (start < 0) return;
      moved = moved || i !== start;
      mark(start, i);
    });
    bar.addEventListener('click', e => { if (moved) e.preventDefault(); });
  });

  document.addEventListener('mouseup', e => {
    if (start < 0) return;
    const over = e.target instanceof Element ? e.target.closest('a.bucket') : null;
    const end = over ? bars.indexOf(over) : -1;
    const first = start;
    start = -1;
    if (!moved || end < 0) { mark(-1, -1); return; }
    const lo = Math.min(first, end), hi = Math.max(first, end);
    window.location = svg.dataset.base + '&from=' + encodeURIComponent(bars[lo].dataset.from)
      + '&to=' + encodeURIComponent(bars[hi].dataset.to);
  });
})();
