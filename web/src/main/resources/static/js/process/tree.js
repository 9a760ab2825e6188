// The process tree (process/node.jte): a toggle opens or closes a process's children, loading
// them from the server the first time (htmx); "+N more" (an htmx link) replaces itself with the
// next page of them, and the focus moves to the first process it brought, so the keyboard user
// carries on where the list grew.
(function () {
  const tree = document.getElementById('process-tree');
  if (!tree) return;

  // Fit to view: when the tab is shown, scroll the tree (not the page) so the process sits in its upper third.
  function showSelf() {
    const self = tree.querySelector('li.role-self > .tree-row');
    if (!self || tree.offsetParent === null) return;
    tree.scrollTop += self.getBoundingClientRect().top - tree.getBoundingClientRect().top - tree.clientHeight / 3;
  }
  document.querySelector('[data-tab="tab-tree"]')?.addEventListener('click', () => requestAnimationFrame(showSelf));
  showSelf();

  tree.addEventListener('click', event => {
    const toggle = event.target.closest('.tree-toggle');
    if (!toggle) return;
    const group = toggle.closest('li').querySelector(':scope > ul.tree-group');
    if (!group) return;
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', (open ? 'Collapse ' : 'Expand ') + toggle.dataset.name);
    group.hidden = !open;
    if (open && group.children.length === 0 && !group.dataset.loading && typeof htmx !== 'undefined') {
      group.dataset.loading = 'true';
      htmx.ajax('GET', group.dataset.src, {target: group, swap: 'innerHTML'})
        .finally(() => delete group.dataset.loading);
    }
  });

  // Remember the item before a "+N more" so the first item after it can take the focus.
  let before = null;
  tree.addEventListener('htmx:beforeRequest', event => {
    const li = event.target.closest && event.target.closest('li.tree-more');
    before = li ? {list: li.parentElement, previous: li.previousElementSibling} : null;
  });
  tree.addEventListener('htmx:afterSettle', () => {
    if (!before) return;
    const first = before.previous ? before.previous.nextElementSibling : before.list.firstElementChild;
    before = null;
    const target = first && first.querySelector('.tree-row a, .tree-row button');
    if (target) target.focus();
  });
})();
