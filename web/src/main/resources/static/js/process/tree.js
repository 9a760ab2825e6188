// The process tree: parent -> (this process, its peers), this process -> its children.
// Click a node to open that process; right-click isolates it with its direct relations
// (its parent and children); scroll zooms, drag pans.
(function () {
  const host = document.getElementById('process-tree');
  if (!host || typeof d3 === 'undefined') return;
  const data = JSON.parse(host.dataset.tree);
  const root = d3.hierarchy(data.root);
  const dx = 34, dy = 260;
  d3.tree().nodeSize([dx, dy])(root);

  let x0 = Infinity, x1 = -Infinity;
  root.each(d => { x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x); });
  const self = root.descendants().find(n => n.data.role === 'self');
  // A busy parent has many peers: show a window around this process (the server puts it in the
  // middle of its peers, level with the parent) and let zoom and drag reach the rest.
  const width = 1000;
  const height = Math.min(440, Math.max(220, x1 - x0 + dx * 2));
  const top = x1 - x0 + dx * 2 <= height ? x0 - dx : self.x - height / 2;

  const svg = d3.select(host).append('svg').attr('class', 'tree-svg')
    .attr('viewBox', [-80, top, width, height]);
  const g = svg.append('g');

  const link = g.append('g').attr('class', 'tree-links').selectAll('path').data(root.links()).join('path')
    .attr('class', 'tree-link')
    .attr('d', d3.linkHorizontal().x(d => d.y).y(d => d.x));

  const node = g.append('g').selectAll('g').data(root.descendants()).join('g')
    .attr('class', d => 'tree-node role-' + d.data.role + (d.data.url && d.data.role !== 'self' ? ' openable' : ''))
    .attr('data-key', d => d.data.key || '')
    .attr('transform', d => `translate(${d.y},${d.x})`)
    .on('click', (event, d) => {
      if (event.defaultPrevented) return; // the end of a drag, not a click
      if (d.data.url && d.data.role !== 'self') window.location.href = d.data.url;
    })
    .on('contextmenu', (event, d) => { event.preventDefault(); isolate(d); });
  node.append('circle').attr('r', 7);
  node.append('text').attr('x', 12).attr('dy', '0.35em')
    .text(d => d.data.name + (d.data.pid != null ? ' (' + d.data.pid + ')' : ''));
  node.append('title').text(d => [
    d.data.role, d.data.path || d.data.name, d.data.pid != null ? 'PID ' + d.data.pid : null, d.data.hint
  ].filter(Boolean).join('\n'));

  const more = [];
  if (data.more.peers > 0) more.push(`${data.more.peers} more peers not drawn`);
  if (data.more.children > 0) more.push(`${data.more.children} more children not drawn`);
  if (more.length) d3.select(host).append('p').attr('class', 'note').text(more.join(', ') + '.');

  svg.call(d3.zoom().scaleExtent([0.2, 8]).on('zoom', event => g.attr('transform', event.transform)));

  function isolate(d) {
    const keep = new Set([d, d.parent, ...(d.children || [])].filter(Boolean));
    node.classed('isolated-out', n => !keep.has(n));
    link.classed('isolated-out', l => !(keep.has(l.source) && keep.has(l.target)));
    host.dataset.isolated = d.data.key || '';
  }
  function showAll() {
    node.classed('isolated-out', false);
    link.classed('isolated-out', false);
    delete host.dataset.isolated;
  }
  document.getElementById('tree-isolate-self')
    ?.addEventListener('click', () => isolate(self));
  document.getElementById('tree-show-all')?.addEventListener('click', showAll);
})();
