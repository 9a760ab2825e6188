// Live Endpoints page: type-ahead over GET /api/v1/live/endpoints?q=, Connect (POST /api/v1/live/connections),
// the connection list (polled every 2 s; polling is not analyst activity) and Delete. Values from agents are
// set as text, never as HTML.
(function () {
  'use strict';
  const q = document.getElementById('live-q');
  const matches = document.getElementById('live-matches');
  const connectButton = document.getElementById('live-connect');
  const error = document.getElementById('live-error');
  const rows = document.querySelector('#live-connections tbody');
  const none = document.getElementById('live-none');
  const selected = new Set();
  let csrf = '';
  try { csrf = JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'] || ''; } catch (e) { csrf = ''; }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function showError(text) {
    error.textContent = text || '';
    error.hidden = !text;
  }

  async function api(method, url, body) {
    const init = { method: method, headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(url, init);
    if (!r.ok) {
      let message = r.status + ' ' + r.statusText;
      try { const j = await r.json(); message = j.message || j.error || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return r.status === 204 ? null : r.json();
  }

  let typed = 0;
  async function find() {
    const mine = ++typed;
    const text = q.value.trim();
    if (!text) { matches.replaceChildren(); return; }
    try {
      const found = await api('GET', '/api/v1/live/endpoints?q=' + encodeURIComponent(text));
      if (mine !== typed) return; // a newer keystroke's answer follows
      matches.replaceChildren(...found.endpoints.map(e => {
        const li = el('li', null, 'live-match');
        li.dataset.endpoint = e.name;
        const box = el('input');
        box.type = 'checkbox';
        box.checked = selected.has(e.name);
        box.addEventListener('change', () => { box.checked ? selected.add(e.name) : selected.delete(e.name); update(); });
        const dot = el('span', e.online ? '●' : '○', 'live-dot ' + (e.online ? 'online' : 'offline'));
        dot.title = e.online ? 'online' : 'offline' + (e.last_seen ? ' since ' + e.last_seen : ', never seen');
        const label = el('label');
        label.append(box, dot, el('span', e.name, 'live-name'), el('small', [e.hostname, (e.addresses || []).join(', ')]
          .filter(Boolean).join(' · ')));
        li.append(label);
        return li;
      }));
      if (!found.endpoints.length) matches.append(el('li', 'No endpoint matches “' + text + '”.', 'hint'));
    } catch (e) {
      showError(e.message);
    }
  }

  function update() {
    connectButton.disabled = selected.size === 0;
    connectButton.textContent = selected.size > 1 ? 'Connect ' + selected.size : 'Connect';
  }

  async function connect() {
    showError('');
    try {
      await api('POST', '/api/v1/live/connections', { endpoints: Array.from(selected) });
      selected.clear();
      update();
      find();
      refresh();
    } catch (e) {
      showError(e.message);
    }
  }

  function progress(c) {
    if (!c.catchup) return '';
    const k = c.catchup;
    if (k.total === 0) return c.journal_events + ' events received';
    return (k.running ? 'catching up: ' : 'caught up: ') + k.done.toLocaleString('en') + ' of ' + k.total.toLocaleString('en') + ' events';
  }

  async function refresh() {
    try {
      const list = await api('GET', '/api/v1/live/connections');
      none.hidden = list.connections.length > 0;
      rows.replaceChildren(...list.connections.map(c => {
        const tr = el('tr', null, 'live-connection ' + c.state);
        tr.dataset.id = c.id;
        tr.dataset.endpoint = c.endpoint;
        const name = el('td');
        const link = el('a', c.endpoint);
        link.href = '/endpoints/' + encodeURIComponent(c.endpoint) + '/events';
        name.append(link);
        const del = el('button', 'Delete', 'danger live-delete');
        del.type = 'button';
        del.addEventListener('click', async () => {
          try { await api('DELETE', '/api/v1/live/connections/' + encodeURIComponent(c.id)); refresh(); } catch (e) { showError(e.message); }
        });
        const actions = el('td', null, 'nowrap');
        if (c.state === 'connected') {
          const browse = el('a', 'Browse file system', 'live-browse');
          browse.href = '/live/connections/' + encodeURIComponent(c.id) + '/files';
          const capture = el('a', 'Capture snapshot', 'live-capture');
          capture.href = '/live/connections/' + encodeURIComponent(c.id) + '/snapshot';
          actions.append(browse, ' ', capture, ' ');
        }
        actions.append(del);
        tr.append(name, el('td', c.state, 'live-state'), el('td', c.since.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), 'nowrap'),
          el('td', c.reason, 'wrap live-reason'), el('td', progress(c), 'nowrap live-progress'), el('td', c.user), actions);
        return tr;
      }));
    } catch (e) {
      showError(e.message);
    }
  }

  q.addEventListener('input', find);
  connectButton.addEventListener('click', connect);
  refresh();
  setInterval(refresh, 2000);
})();
