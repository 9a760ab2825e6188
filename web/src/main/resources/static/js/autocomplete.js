// Autocomplete in a typed query box (the events grid's, the hunt page's): every input with
// data-suggest-url. Field names and operators as one types a word, the field's values (from the index,
// with event counts) after "field:", the operators again after a value. Keyboard: arrows move, Enter
// accepts the one picked (else it runs the search), Tab the picked or first one, Escape closes.
// Values are shown with textContent only: they come from the telemetry (attackers).
(function () {
  const OPERATORS = ['AND', 'OR', 'NOT', 'AND NOT', 'TO'];
  // What a backslash escapes outside quotes (QueryLanguage, "Escaping"); before anything else, as in a
  // Windows path typed as is (c:\windows), it is the backslash the analyst meant.
  const ESCAPABLE = '+-!():^[]"{}~*?\\/ ';

  // The text a value stands for, backslashes read as the grammar reads them where they escape something.
  function unescape(raw) {
    if (raw.startsWith('"')) return raw.slice(1).replace(/\\([\\"])/g, '$1'); // in quotes only " and \ need it
    return raw.replace(/\\(.)/g, (all, c) => ESCAPABLE.includes(c) ? c : all);
  }

  // A value as the query language reads it: bare when it is plain, else quoted (only " and \ escaped).
  function quote(value) {
    if (/^[a-z0-9_.@$][a-z0-9_.@$-]*$/.test(value) && !/^(and|or|not|to)$/.test(value)) return value;
    return '"' + value.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  }

  document.querySelectorAll('input[data-suggest-url]').forEach(typed => {
    const suggestUrl = typed.dataset.suggestUrl;
    const name = typed.id.replace(/-query$/, ''); // typed-query: #typed-suggestions, #typed-suggestion-0...
    const anchor = document.createElement('div');
    anchor.className = 'suggest-anchor';
    typed.parentNode.insertBefore(anchor, typed);
    anchor.appendChild(typed);
    const list = document.createElement('ul');
    list.id = name + '-suggestions';
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
        li.id = name + '-suggestion-' + n;
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

    // What is being typed at the caret: a value after "field:", or a word (field name or operator).
    function context() {
      const before = typed.value.slice(0, typed.selectionStart);
      const value = /([A-Za-z_][A-Za-z0-9_]*):("(?:[^"\\]|\\.)*\\?|[^\s()"]*)$/.exec(before);
      if (value) {
        const raw = value[2];
        if (/^[*?\/\[{<>]/.test(raw) || (!raw.startsWith('"') && /[*?]/.test(raw))) return null; // patterns, ranges
        return { kind: 'value', field: value[1], prefix: unescape(raw), from: before.length - value[0].length, to: before.length };
      }
      const word = /[+\-!]?([^\s()"+\-!:]*)$/.exec(before);
      const text = word[1];
      const start = before.length - text.length;
      const previous = before.slice(0, start - (word[0].length - text.length)).trim();
      const afterClause = previous !== '' && !/(\(|\bAND|\bOR|\bNOT|&&|\|\|)$/.test(previous);
      return { kind: 'word', prefix: text, from: start, to: before.length, afterClause };
    }

    // Operators for a word being typed, in any case ("an" offers AND); after a clause, all of them.
    function operators(c) {
      if (c.kind !== 'word' || (c.prefix === '' && !c.afterClause)) return [];
      const upper = c.prefix.toUpperCase();
      return OPERATORS.filter(o => c.prefix === '' ? o !== 'TO' : o.startsWith(upper) && o !== c.prefix)
        .map(o => ({ kind: 'word', insert: o + ' ', label: o, from: c.from, to: c.to }));
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
      const ops = operators(c);
      if (c.kind === 'word' && c.afterClause && c.prefix === '') {
        found = ops;
      } else {
        try {
          const response = await fetch(suggestUrl + '?' + params.toString(),
            { headers: { Accept: 'application/json' }, signal: controller.signal, credentials: 'same-origin' });
          if (!response.ok) { if (request === latest) closeSuggestions(); return; }
          const body = await response.json();
          found = body.suggestions.map(s => c.kind === 'value'
            ? { kind: 'value', insert: c.field + ':' + quote(s.value) + ' ', label: s.value, count: s.count, from: c.from, to: c.to,
                chain: true }
            : { kind: 'word', insert: s.value + ':', label: s.value + ':', from: c.from, to: c.to, chain: true });
          if (c.kind === 'word') found = found.concat(ops);
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
      if (item.chain) fetchSuggestions(); // a field was chosen: its values next; a value: the operators
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
  });
})();
