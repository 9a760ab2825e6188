// The process timeline: one lane per event type (coloured by its evt-<type> class), one mark per event on a UTC time axis.
// Scroll or double-click zooms (d3.zoom), drag pans, hovering a mark shows its details.
(function () {
  const host = document.getElementById('timeline');
  if (!host || typeof d3 === 'undefined') return;
  const events = JSON.parse(host.dataset.events || '[]');
  if (events.length === 0) return;

  const types = Array.from(new Set(events.map(e => e.type))).sort();
  const counts = d3.rollup(events, v => v.length, e => e.type);
  // Each type's colour is its CSS class (evt-<type>, app.css), shared with the tree and the distribution page.
  const css = new Map(events.map(e => [e.type, e.css]));
  const margin = {top: 10, right: 20, bottom: 30, left: 90};
  const width = 1000;
  const height = margin.top + margin.bottom + Math.max(2, types.length) * 32;

  let [t0, t1] = d3.extent(events, e => e.t);
  if (t0 === t1) { t0 -= 60000; t1 += 60000; }
  const pad = (t1 - t0) * 0.02;
  const x = d3.scaleUtc().domain([new Date(t0 - pad), new Date(t1 + pad)]).range([margin.left, width - margin.right]);
  const y = d3.scaleBand().domain(types).range([margin.top, height - margin.bottom]).padding(0.25);

  const svg = d3.select(host).append('svg')
    .attr('viewBox', [0, 0, width, height]).attr('class', 'timeline-svg').attr('role', 'img')
    .attr('aria-label', 'Timeline of ' + events.length + ' events');
  const clipId = 'timeline-clip';
  svg.append('clipPath').attr('id', clipId).append('rect')
    .attr('x', margin.left).attr('y', 0).attr('width', width - margin.left - margin.right).attr('height', height);

  svg.append('g').attr('class', 'lanes').selectAll('text').data(types).join('text')
    .attr('x', margin.left - 8).attr('y', t => y(t) + y.bandwidth() / 2).attr('dy', '0.35em')
    .attr('text-anchor', 'end').text(t => t);
  svg.append('g').selectAll('line').data(types).join('line').attr('class', 'lane-line')
    .attr('x1', margin.left).attr('x2', width - margin.right)
    .attr('y1', t => y(t) + y.bandwidth() / 2).attr('y2', t => y(t) + y.bandwidth() / 2);

  // Tick labels in UTC at the precision the zoom level needs: a day, a minute, a second or a millisecond.
  const utcTick = d => (d3.utcSecond(d) < d ? d3.utcFormat('%H:%M:%S.%L')
    : d3.utcMinute(d) < d ? d3.utcFormat('%H:%M:%S')
    : d3.utcDay(d) < d ? d3.utcFormat('%H:%M')
    : d3.utcFormat('%Y-%m-%d'))(d);
  const axis = d3.axisBottom(x).ticks(8).tickFormat(utcTick);
  const gx = svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - margin.bottom})`).call(axis);
  svg.append('text').attr('class', 'axis-unit').attr('x', margin.left - 8).attr('y', height - margin.bottom + 18)
    .attr('text-anchor', 'end').text('UTC');

  const tooltip = d3.select('body').append('div').attr('class', 'chart-tooltip').attr('id', 'timeline-tooltip')
    .style('display', 'none');

  const marks = svg.append('g').attr('clip-path', `url(#${clipId})`).selectAll('circle').data(events).join('circle')
    .attr('class', e => 'timeline-mark ' + e.css)
    .attr('cx', e => x(e.t)).attr('cy', e => y(e.type) + y.bandwidth() / 2).attr('r', 5)
    .on('mouseover', (event, e) => {
      tooltip.style('display', 'block').html('');
      tooltip.append('div').attr('class', 'tt-time').text(e.time);
      tooltip.append('div').attr('class', 'tt-kind').text(e.type + ' / ' + (e.operation || '?'));
      if (e.operand) tooltip.append('div').attr('class', 'tt-operand').text(e.operand);
    })
    .on('mousemove', event => tooltip.style('left', (event.pageX + 12) + 'px').style('top', (event.pageY + 12) + 'px'))
    .on('mouseout', () => tooltip.style('display', 'none'));

  const zoom = d3.zoom()
    .scaleExtent([1, 1e6])
    .extent([[margin.left, 0], [width - margin.right, height]])
    .translateExtent([[margin.left, 0], [width - margin.right, height]])
    .on('zoom', event => {
      const zx = event.transform.rescaleX(x);
      marks.attr('cx', e => zx(e.t));
      gx.call(axis.scale(zx));
    });
  svg.call(zoom);
  document.getElementById('timeline-reset')
    ?.addEventListener('click', () => svg.transition().duration(300).call(zoom.transform, d3.zoomIdentity));

  const legend = d3.select('#timeline-legend').selectAll('span').data(types).join('span').attr('class', 'legend-item');
  legend.append('span').attr('class', t => 'swatch ' + css.get(t));
  legend.append('span').text(t => `${t} (${counts.get(t)})`);
})();
