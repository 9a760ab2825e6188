// Events grid: builder/typed tabs kept in sync through the URL, and the builder's row editor.
(function () {
  // The snapshot picker submits on change; a listener here, as the CSP allows no inline handlers.
  const snapshot = document.getElementById('snapshot');
  if (snapshot) snapshot.addEventListener('change', () => snapshot.form.submit());

  // "Save as evidence" / "Export chosen rows" with no row ticked: say so here rather than on an error page
  const selection = document.getElementById('grid-selection');
  if (selection) selection.addEventListener('submit', ev => {
    if (document.querySelector('input.pick-row:checked')) return;
    ev.preventDefault();
    let note = document.getElementById('grid-selection-error');
    if (!note) {
      note = document.createElement('p');
      note.id = 'grid-selection-error';
      note.className = 'error-message';
      note.setAttribute('role', 'alert');
      selection.append(note);
    }
    note.textContent = 'Tick at least one row first (the boxes at the left of the rows).';
  });

  // the header's box chooses every row of the page; it shows whether all, some or none are chosen
  const pickAll = document.getElementById('pick-all');
  if (pickAll) {
    const rows = () => Array.from(document.querySelectorAll('input.pick-row'));
    pickAll.addEventListener('change', () => rows().forEach(r => { r.checked = pickAll.checked; }));
    document.addEventListener('change', ev => {
      if (!ev.target.classList || !ev.target.classList.contains('pick-row')) return;
      const chosen = rows().filter(r => r.checked).length;
      pickAll.checked = chosen > 0 && chosen === rows().length;
      pickAll.indeterminate = chosen > 0 && chosen < rows().length;
    });
  }

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
  // Autocomplete: js/autocomplete.js, on every box with data-suggest-url (this one and the hunt page's).
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
