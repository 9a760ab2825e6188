// Pivot menu. Contract: any element with class="pv" data-field="<canonical field>" data-value="<raw value>"
// gets a menu: Filter for, Filter out (a builder row ANDed to the current search, which reruns), Copy,
// Search all endpoints (hashes, users, addresses, domains, paths: the hunt) and Open on <endpoint> when
// the value names another endpoint the user may see. The search comes from the nearest element with
// data-events-url (else #query-panel, else #pivot-context): data-original-query, data-snapshot,
// data-from, data-to; the event's time from the nearest data-ts (epoch ms). Values are only ever put in
// URLs (URLSearchParams) and textContent: the server writes the query text, so quoting lives in one place.
// Keyboard: each grid of values is one Tab stop; arrow keys, Home and End move between its values.
(function () {
  'use strict';
  const HUNTABLE = new Set(['hash_md5', 'hash_sha1', 'hash_sha256', 'user', 'target_user', 'local_ip', 'remote_ip',
    'logon_source_ip', 'dns_query', 'process_path', 'parent_path', 'file_path', 'file_new_path', 'image_path',
    'target_process_path', 'cwd']);
  const ADDRESSES = new Set(['remote_ip', 'logon_source_ip', 'dns_query']);
  let menu = null;
  let trigger = null;

  // Roving tabindex: a grid of values (a table, or a list of fields) is one Tab stop, its values
  // reached with the arrow keys, so a page of 100 rows is not a thousand Tab presses to get past.
  function group(el) {
    return el.closest('table, [data-pv-grid]') || el.closest('dl');
  }

  function rowOf(v) {
    return v.closest('tr') || v.closest('details') || v;
  }

  function values(g) {
    return [...g.querySelectorAll('.pv')].filter(v => v.getClientRects().length > 0); // shown ones only
  }

  function rove(g, to) {
    for (const v of g.querySelectorAll('.pv[tabindex="0"]')) if (v !== to) v.tabIndex = -1;
    to.tabIndex = 0;
  }

  // Left/Right: the previous/next value; Up/Down: the previous/next row's value in the same column
  // (else its first); Home/End: the first/last value of the grid.
  function step(el, key) {
    const g = group(el);
    if (!g) return null;
    const list = values(g);
    const i = list.indexOf(el);
    if (key === 'Home') return list[0];
    if (key === 'End') return list[list.length - 1];
    if (key === 'ArrowRight') return list[i + 1] || null;
    if (key === 'ArrowLeft') return i > 0 ? list[i - 1] : null;
    const row = rowOf(el);
    const rows = [];
    for (const v of list) {
      const r = rowOf(v);
      if (rows[rows.length - 1] !== r) rows.push(r);
    }
    const next = rows[rows.indexOf(row) + (key === 'ArrowDown' ? 1 : -1)];
    if (!next) return null;
    const cell = el.closest('td, dd');
    const column = cell && cell.parentElement ? [...cell.parentElement.children].indexOf(cell) : -1;
    const inNext = list.filter(v => rowOf(v) === next);
    return inNext.find(v => {
      const c = v.closest('td, dd');
      return c && c.parentElement && [...c.parentElement.children].indexOf(c) === column;
    }) || inNext[0];
  }

  function enhance(root) {
    const found = root.matches && root.matches('.pv') ? [root] : [];
    if (root.querySelectorAll) found.push(...root.querySelectorAll('.pv'));
    for (const el of found) {
      if (el.dataset.pvReady) continue;
      el.dataset.pvReady = '1';
      const g = group(el);
      el.tabIndex = !g || !g.querySelector('.pv[tabindex="0"]') ? 0 : -1;
      el.setAttribute('role', 'button');
      el.setAttribute('aria-haspopup', 'menu');
      el.setAttribute('aria-expanded', 'false');
      if (!el.title) el.title = 'Pivot on this ' + el.dataset.field;
    }
  }

  function context(el) {
    const c = el.closest('[data-events-url]') || document.getElementById('query-panel') || document.getElementById('pivot-context');
    if (!c || !c.dataset.eventsUrl) return null;
    return { eventsUrl: c.dataset.eventsUrl, q: c.dataset.originalQuery || '', snapshot: c.dataset.snapshot || '',
      from: c.dataset.from || '', to: c.dataset.to || '' };
  }

  function filterUrl(ctx, field, value, operand) {
    const p = new URLSearchParams({ q: ctx.q });
    if (ctx.snapshot) p.set('snapshot', ctx.snapshot);
    if (ctx.from) p.set('from', ctx.from);
    if (ctx.to) p.set('to', ctx.to);
    p.set('action', 'narrow'); // the builder joins the row to the whole search (see QueryBuilder)
    p.set('parameter', field);
    p.set('operand', operand);
    p.set('value', value);
    return ctx.eventsUrl + '/builder?' + p.toString();
  }

  function huntUrl(ctx, field, value) {
    const p = new URLSearchParams({ field: field, value: value });
    if (ctx && ctx.from) p.set('from', ctx.from);
    if (ctx && ctx.to) p.set('to', ctx.to);
    return '/hunt/pivot?' + p.toString();
  }

  function item(tag, label, id) {
    const el = document.createElement(tag);
    el.setAttribute('role', 'menuitem');
    el.className = 'pv-item';
    el.dataset.action = id;
    el.tabIndex = -1;
    el.textContent = label;
    if (tag === 'button') el.type = 'button';
    return el;
  }

  function link(label, id, href) {
    const a = item('a', label, id);
    a.href = href;
    return a;
  }

  function items() {
    return menu ? [...menu.querySelectorAll('.pv-item')] : [];
  }

  function close(refocus) {
    if (!menu) return;
    menu.remove();
    menu = null;
    if (trigger) {
      trigger.setAttribute('aria-expanded', 'false');
      if (refocus) trigger.focus();
    }
    trigger = null;
  }

  function open(el) {
    close(false);
    trigger = el;
    const field = el.dataset.field;
    const value = el.dataset.value;
    const ctx = context(el);
    menu = document.createElement('div');
    menu.className = 'pv-menu';
    menu.id = 'pv-menu';
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', 'Pivot on ' + field);
    const head = document.createElement('div');
    head.className = 'pv-head';
    head.textContent = field + ' = ' + (value.length > 120 ? value.slice(0, 120) + '…' : value);
    menu.appendChild(head);
    if (ctx) {
      menu.appendChild(link('Filter for', 'filter-for', filterUrl(ctx, field, value, 'EQUALS')));
      menu.appendChild(link('Filter out', 'filter-out', filterUrl(ctx, field, value, 'NOT_EQUALS')));
    }
    const copy = item('button', 'Copy', 'copy');
    copy.addEventListener('click', () => copyText(value));
    menu.appendChild(copy);
    if (HUNTABLE.has(field)) menu.appendChild(link('Search all endpoints', 'hunt', huntUrl(ctx, field, value)));
    const status = document.createElement('div');
    status.className = 'pv-status';
    status.setAttribute('role', 'status');
    menu.appendChild(status);
    el.setAttribute('aria-expanded', 'true');
    el.setAttribute('aria-controls', 'pv-menu');
    document.body.appendChild(menu);
    place(el);
    items()[0].focus();
    if (ctx) links(el, ctx, field, value);
  }

  function place(el) {
    const r = el.getBoundingClientRect();
    menu.style.left = Math.max(0, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - menu.offsetWidth - 8)) + 'px';
    menu.style.top = (r.bottom + window.scrollY + 2) + 'px';
  }

  // "Open on <endpoint>": asked of the server, which knows the endpoints the user may see.
  function links(el, ctx, field, value) {
    const at = el.closest('[data-ts]');
    menu.dataset.links = 'none'; // "done" once the server answered: pages and tests know the menu is complete
    if (!at || !/^\d+$/.test(at.dataset.ts)) return;
    if (!ADDRESSES.has(field) && value.indexOf('\\\\') < 0) return;
    menu.dataset.links = 'asked';
    const api = ctx.eventsUrl.replace(/^\/endpoints\//, '/api/v1/endpoints/').replace(/\/events$/, '/links');
    const p = new URLSearchParams({ field: field, value: value, ts: at.dataset.ts });
    const asked = menu;
    fetch(api + '?' + p.toString(), { headers: { Accept: 'application/json' } })
      .then(r => (r.ok ? r.json() : null))
      .then(body => {
        if (!body || menu !== asked) return;
        const status = menu.querySelector('.pv-status');
        for (const l of body.links) {
          const a = link('Open on ' + l.endpoint, 'open-on', l.url);
          a.dataset.endpoint = l.endpoint;
          a.title = l.endpoint + "'s events from " + l.from + ' to ' + l.to;
          menu.insertBefore(a, status);
        }
      })
      .catch(() => { /* no links: the rest of the menu works */ })
      .finally(() => { asked.dataset.links = 'done'; });
  }

  function say(text) {
    if (menu) menu.querySelector('.pv-status').textContent = text;
  }

  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        say('Copied');
        return;
      }
    } catch (e) {
      // denied or unavailable: the older way below
    }
    // A selected textarea and execCommand: plain-HTTP origins and browsers without the async clipboard.
    const buffer = document.createElement('textarea');
    buffer.value = text;
    buffer.readOnly = true;
    buffer.className = 'pv-buffer';
    document.body.appendChild(buffer);
    buffer.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    buffer.remove();
    if (ok) {
      say('Copied');
      return;
    }
    // Neither worked: show the value selected, so Ctrl+C copies it.
    const field = document.createElement('input');
    field.readOnly = true;
    field.value = text;
    field.className = 'pv-manual';
    menu.insertBefore(field, menu.querySelector('.pv-status'));
    field.select();
    field.focus();
    say('Press Ctrl+C to copy');
  }

  // As the server's LiveFiles.shownText: a control character as its symbol, an invisible or text-reversing one
  // (U+202E shows "exe.txt" as "txt.exe") as <U+202E>, so the whole value cannot hide what it is
  function shown(text) {
    return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]|[\p{Cf}\p{Zs}\u034f\u115f\u1160\u2800\u3164\uffa0]/gu, c => {
      const code = c.codePointAt(0);
      if (c === ' ') return c;
      if (code < 0x20) return String.fromCodePoint(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      if (code === 0x85 || code === 0x2028 || code === 0x2029) return '\u2424';
      return '<U+' + code.toString(16).toUpperCase().padStart(4, '0') + '>';
    });
  }

  // Text with a break opportunity after each separator, as the server renders it (CellValue).
  function fill(span, text) {
    span.textContent = '';
    for (const part of shown(text).split(/(?<=[\\/ ,;&=?|:])/)) {
      span.appendChild(document.createTextNode(part));
      span.appendChild(document.createElement('wbr'));
    }
  }

  // "more" after a value cut by the server (search/value.jte) shows it whole; "less" cuts it again.
  function toggleMore(button) {
    const span = button.previousElementSibling;
    const open = button.getAttribute('aria-expanded') !== 'true';
    if (open) {
      span.short = span.short || [...span.childNodes];
      fill(span, span.dataset.value);
    } else {
      span.replaceChildren(...span.short);
    }
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'less' : 'more';
  }

  document.addEventListener('click', ev => {
    const more = ev.target.closest && ev.target.closest('button.more');
    if (more && more.previousElementSibling && more.previousElementSibling.dataset.value !== undefined) {
      toggleMore(more);
    }
    const pv = ev.target.closest && ev.target.closest('.pv');
    if (pv && !(menu && menu.contains(pv))) {
      // a drag that selected part of the value is for copying by hand, not for the menu
      const selected = window.getSelection();
      if (selected && !selected.isCollapsed && pv.contains(selected.anchorNode)) return;
      ev.preventDefault();
      if (trigger === pv) close(true); else open(pv);
      return;
    }
    if (menu && !menu.contains(ev.target)) close(false);
  });

  document.addEventListener('keydown', ev => {
    const t = ev.target;
    if (menu && menu.contains(t)) {
      const list = items();
      const i = list.indexOf(t);
      if (ev.key === 'Escape') {
        ev.preventDefault();
        close(true);
      } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        const step = ev.key === 'ArrowDown' ? 1 : -1;
        list[(i + step + list.length) % list.length].focus();
      } else if (ev.key === 'Home' || ev.key === 'End') {
        ev.preventDefault();
        list[ev.key === 'Home' ? 0 : list.length - 1].focus();
      } else if (ev.key === 'Tab') {
        close(false);
      } else if (ev.key === ' ' && t.tagName === 'A') {
        ev.preventDefault();
        t.click();
      }
      return;
    }
    if (t.classList && t.classList.contains('pv') && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      open(t);
    } else if (t.classList && t.classList.contains('pv') && /^(Arrow(Left|Right|Up|Down)|Home|End)$/.test(ev.key)
        && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      const to = step(t, ev.key);
      ev.preventDefault();
      if (to) to.focus(); // focusin makes it the grid's Tab stop
    } else if (ev.key === 'Escape' && menu) {
      close(true);
    }
  });

  // The value last focused (arrows, click, a menu closed) is where Tab comes back into its grid.
  document.addEventListener('focusin', ev => {
    const t = ev.target;
    if (t.classList && t.classList.contains('pv')) {
      const g = group(t);
      if (g) rove(g, t);
    }
  });

  enhance(document);
  // Rows added later (the process page's Event History, expanded grid rows) get the menu too.
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) enhance(n);
  }).observe(document.body, { childList: true, subtree: true });
})();
