// Events grid: builder/typed tabs kept in sync through the URL, and the builder's row editor.
(function () {
  // The snapshot picker submits on change; a listener here, as the CSP allows no inline handlers.
  const snapshot = document.getElementById('snapshot');
  if (snapshot) snapshot.addEventListener('change', () => snapshot.form.submit());

  const panel = document.getElementById('query-panel');
  if (!panel) return;
  const builderPane = document.getElementById('builder-pane');
  const typedPane = document.getElementById('typed-pane');
  const tabBuilder = document.getElementById('tab-builder');
  const tabTyped = document.getElementById('tab-typed');
  const typed = document.getElementById('typed-query');

  function show(builder) {
    builderPane.hidden = !builder;
    typedPane.hidden = builder;
    tabBuilder.setAttribute('aria-selected', String(builder));
    tabTyped.setAttribute('aria-selected', String(!builder));
  }

  tabTyped.addEventListener('click', () => { show(false); typed.focus(); });

  // "/" anywhere but in a field goes to the typed query, as in most search tools.
  document.addEventListener('keydown', ev => {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    ev.preventDefault();
    show(false);
    typed.focus();
    typed.select();
  });

  // The two tabs move with the arrow keys (the WAI-ARIA tabs pattern).
  [tabBuilder, tabTyped].forEach(tab => tab.addEventListener('keydown', ev => {
    if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
    ev.preventDefault();
    const other = tab === tabBuilder ? tabTyped : tabBuilder;
    other.focus();
    other.click();
  }));
  tabBuilder.addEventListener('click', () => {
    // Typed text not yet searched: reload so the builder rows are parsed from what is in the box.
    if (typed.value !== panel.dataset.originalQuery) {
      const params = new URLSearchParams({ q: typed.value });
      if (panel.dataset.snapshot) params.set('snapshot', panel.dataset.snapshot);
      if (panel.dataset.from) params.set('from', panel.dataset.from);
      if (panel.dataset.to) params.set('to', panel.dataset.to);
      window.location = panel.dataset.eventsUrl + '?' + params.toString() + panel.dataset.gridParams;
      return;
    }
    show(true);
  });

  const parameter = document.getElementById('builder-parameter');
  const operand = document.getElementById('builder-operand');
  function limitOperands() {
    const opt = parameter.selectedOptions[0];
    const allowed = opt && opt.dataset.allowed ? opt.dataset.allowed.split(',') : null;
    let firstAllowed = null;
    for (const o of operand.options) {
      o.hidden = o.disabled = allowed !== null && !allowed.includes(o.value);
      if (!o.disabled && firstAllowed === null) firstAllowed = o;
    }
    if (operand.selectedOptions[0] && operand.selectedOptions[0].disabled && firstAllowed) firstAllowed.selected = true;
  }
  if (parameter) {
    parameter.addEventListener('change', limitOperands);
    limitOperands();
  }

  // The parameter last added stays chosen on the next page (adding several rows of one field is common).
  const form = document.getElementById('builder-form');
  const update = document.getElementById('builder-update');
  if (form && parameter) {
    const last = window.sessionStorage.getItem('trailhound.builder.parameter');
    if (last && [...parameter.options].some(o => o.value === last)) {
      parameter.value = last;
      limitOperands();
    }
    form.addEventListener('submit', () => window.sessionStorage.setItem('trailhound.builder.parameter', parameter.value));
    // Enter while a row is being edited updates that row; before, it added a new one and narrowed the search.
    form.addEventListener('keydown', ev => {
      if (ev.key !== 'Enter' || update.disabled || ev.target.tagName === 'BUTTON') return;
      ev.preventDefault();
      update.click();
    });
  }

  // Click a row (or Enter / Space on it): load it into the editor; Update then replaces that row.
  document.querySelectorAll('.builder-row').forEach(li => {
    li.tabIndex = 0;
    li.addEventListener('keydown', ev => {
      if ((ev.key === 'Enter' || ev.key === ' ') && ev.target === li) {
        ev.preventDefault();
        li.click();
        document.getElementById('builder-value').focus();
      }
    });
    li.addEventListener('click', ev => {
      if (ev.target.classList.contains('remove')) return;
      document.querySelectorAll('.builder-row.selected').forEach(x => x.classList.remove('selected'));
      li.classList.add('selected');
      document.getElementById('builder-row-index').value = li.dataset.index;
      document.getElementById('builder-connector').value = li.dataset.connector;
      parameter.value = li.dataset.parameter;
      limitOperands();
      operand.value = li.dataset.operand;
      document.getElementById('builder-value').value = li.dataset.value;
      document.getElementById('builder-update').disabled = false;
    });
  });
  // Autocomplete in the typed query: field names and operators as one types a word, the field's values
  // (from the index, with event counts) after "field:". Keyboard: arrows move, Enter accepts the one
  // picked (else it runs the search), Tab the picked or first one, Escape closes. Values are shown with
  // textContent only: they come from the telemetry (attackers).
  (function autocomplete() { // its own scope: the names above stay the tabs'
    const suggestUrl = panel.dataset.eventsUrl.replace(/^\/endpoints\//, '/api/v1/endpoints/').replace(/\/events$/, '/suggest');
    const OPERATORS = ['AND', 'OR', 'NOT', 'AND NOT', 'TO'];
    const anchor = document.createElement('div');
    anchor.className = 'suggest-anchor';
    typed.parentNode.insertBefore(anchor, typed);
    anchor.appendChild(typed);
    const list = document.createElement('ul');
    list.id = 'typed-suggestions';
    list.className = 'suggestions';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    anchor.appendChild(list);
    typed.setAttribute('role', 'combobox');
    typed.setAttribute('aria-autocomplete', 'list');
    typed.setAttribute('aria-controls', list.id);
    typed.setAttribute('aria-expanded', 'false');

    let items = [];        // [{kind, insert, label, count, from, to, chain}]
    let active = -1;
    let timer = null;
    let latest = 0;        // answers to older requests are dropped
    let controller = null;

    function closeSuggestions() {
      list.hidden = true;
      list.replaceChildren();
      items = [];
      active = -1;
      typed.setAttribute('aria-expanded', 'false');
      typed.removeAttribute('aria-activedescendant');
    }

    function highlight(i) {
      active = i;
      [...list.children].forEach((li, n) => li.setAttribute('aria-selected', String(n === i)));
      if (i >= 0) {
        typed.setAttribute('aria-activedescendant', list.children[i].id);
        list.children[i].scrollIntoView({ block: 'nearest' });
      } else {
        typed.removeAttribute('aria-activedescendant');
      }
    }

    function showSuggestions(found) {
      items = found;
      list.replaceChildren();
      if (!items.length) { closeSuggestions(); return; }
      items.forEach((item, n) => {
        const li = document.createElement('li');
        li.id = 'typed-suggestion-' + n;
        li.setAttribute('role', 'option');
        const value = document.createElement('span');
        value.className = 'value';
        value.textContent = item.label;
        li.appendChild(value);
        if (item.count != null) {
          const count = document.createElement('span');
          count.className = 'count';
          count.textContent = item.count.toLocaleString('en-US');
          li.appendChild(count);
        }
        li.addEventListener('mousedown', ev => { ev.preventDefault(); accept(n); });
        list.appendChild(li);
      });
      list.hidden = false;
      typed.setAttribute('aria-expanded', 'true');
      highlight(-1); // Enter still runs the search until an arrow key picks a suggestion; Tab takes the first
    }

    // A value as the query language reads it: bare when it is plain, else quoted (only " and \ escaped).
    function quote(value) {
      if (/^[a-z0-9_.@$][a-z0-9_.@$-]*$/.test(value) && !/^(and|or|not|to)$/.test(value)) return value;
      return '"' + value.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
    }

    // What is being typed at the caret: a value after "field:", or a word (field name or operator).
    function context() {
      const before = typed.value.slice(0, typed.selectionStart);
      const value = /([A-Za-z_][A-Za-z0-9_]*):("(?:[^"\\]|\\.)*|[^\s()"]*)$/.exec(before);
      if (value) {
        const raw = value[2];
        if (/^[*?\/\[{<>]/.test(raw) || (!raw.startsWith('"') && /[*?]/.test(raw))) return null; // patterns, ranges
        const prefix = raw.startsWith('"') ? raw.slice(1).replace(/\\(.)/g, '$1') : raw.replace(/\\(.)/g, '$1');
        return { kind: 'value', field: value[1], prefix, from: before.length - value[0].length, to: before.length };
      }
      const word = /[+\-!]?([^\s()"+\-!:]*)$/.exec(before);
      const text = word[1];
      const start = before.length - text.length;
      const previous = before.slice(0, start - (word[0].length - text.length)).trim();
      const afterClause = previous !== '' && !/(\(|\bAND|\bOR|\bNOT|&&|\|\|)$/.test(previous);
      return { kind: 'word', prefix: text, from: start, to: before.length, afterClause };
    }

    async function fetchSuggestions() {
      const c = context();
      if (!c) { closeSuggestions(); return; }
      const request = ++latest;
      if (controller) controller.abort();
      controller = new AbortController();
      const params = new URLSearchParams({ prefix: c.prefix, limit: '12' });
      if (c.kind === 'value') params.set('field', c.field);
      let found = [];
      const ops = c.kind === 'word' && (c.prefix !== '' || c.afterClause)
        ? OPERATORS.filter(o => c.prefix === '' ? o !== 'TO' : o.startsWith(c.prefix) && o !== c.prefix) : [];
      if (c.kind === 'word' && c.afterClause && c.prefix === '') {
        found = ops.map(o => ({ kind: 'word', insert: o + ' ', label: o, from: c.from, to: c.to }));
      } else {
        try {
          const response = await fetch(suggestUrl + '?' + params.toString(),
            { headers: { Accept: 'application/json' }, signal: controller.signal, credentials: 'same-origin' });
          if (!response.ok) { if (request === latest) closeSuggestions(); return; }
          const body = await response.json();
          found = body.suggestions.map(s => c.kind === 'value'
            ? { kind: 'value', insert: c.field + ':' + quote(s.value) + ' ', label: s.value, count: s.count, from: c.from, to: c.to }
            : { kind: 'word', insert: s.value + ':', label: s.value + ':', from: c.from, to: c.to, chain: true });
          if (c.kind === 'word') found = found.concat(ops.map(o => ({ kind: 'word', insert: o + ' ', label: o, from: c.from, to: c.to })));
        } catch (e) {
          if (e.name !== 'AbortError' && request === latest) closeSuggestions();
          return;
        }
      }
      if (request === latest && document.activeElement === typed) showSuggestions(found);
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    }

    // Replaces what is being typed now (more may have been typed since the list came), not what was typed then.
    function accept(i) {
      const item = items[i];
      if (!item) return;
      clearTimeout(timer); // a lookup of what was typed before is no longer wanted
      latest++;
      const now = context();
      const same = now && now.kind === item.kind;
      const from = same ? now.from : item.from;
      const to = same ? now.to : item.to;
      const insert = same && item.kind === 'value' ? now.field + ':' + quote(item.label) + ' ' : item.insert;
      const v = typed.value;
      typed.value = v.slice(0, from) + insert + v.slice(to);
      const caret = from + insert.length;
      typed.setSelectionRange(caret, caret);
      typed.focus();
      closeSuggestions();
      if (item.chain) fetchSuggestions(); // a field was chosen: its values next
    }

    typed.addEventListener('input', () => { latest++; schedule(); }); // answers to what was typed before are stale
    typed.addEventListener('blur', () => { clearTimeout(timer); closeSuggestions(); });
    typed.addEventListener('keydown', ev => {
      const open = !list.hidden && items.length > 0;
      if (ev.key === 'ArrowDown') {
        ev.preventDefault();
        if (open) highlight((active + 1) % items.length); else fetchSuggestions();
      } else if (ev.key === 'ArrowUp' && open) {
        ev.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (ev.key === 'Tab' && open && !ev.shiftKey) {
        ev.preventDefault();
        accept(active >= 0 ? active : 0);
      } else if (ev.key === 'Enter' && open && active >= 0) {
        ev.preventDefault();
        accept(active);
      } else if (ev.key === 'Escape' && open) {
        ev.preventDefault();
        closeSuggestions();
      }
    });
  })();
})();

// The grid: rows expand to every field with copy buttons, long values open with "more", the page
// size applies on change. Values are read from data-value and written as text, never as HTML.
(function () {
  const size = document.getElementById('page-size');
  if (size) size.addEventListener('change', () => size.form.submit());

  // The chooser's ticks go into one cols=a,b,c (the form alone sends cols=a&cols=b, also understood).
  const cols = document.getElementById('col-form');
  if (cols) cols.addEventListener('submit', ev => {
    ev.preventDefault();
    const data = new FormData(cols);
    const params = new URLSearchParams();
    for (const [k, v] of data) if (k !== 'cols') params.append(k, v);
    const chosen = data.getAll('cols');
    if (chosen.length) params.set('cols', chosen.join(','));
    window.location = cols.action + '?' + params.toString();
  });

  const table = document.getElementById('events');
  if (!table) return;

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // plain http to a remote host: the clipboard API is absent there
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }

  table.addEventListener('click', ev => {
    const button = ev.target.closest('button');
    if (!button || !table.contains(button)) return;
    if (button.classList.contains('expand')) {
      const detail = button.closest('tr').nextElementSibling;
      const open = button.getAttribute('aria-expanded') !== 'true';
      detail.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? '▾' : '▸';
    } else if (button.classList.contains('copy')) {
      const value = button.parentElement.querySelector('[data-value]').dataset.value; // a .pv, or the time (no pivot)
      copy(value).then(() => { button.textContent = 'Copied'; },
                       () => { button.textContent = 'Copy failed: select the value'; });
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    }
  });
})();
