// Bootstrap: opens the journal's status, routes between the views by the address's hash, acts on
// the global shortcuts, and re-renders what is on screen whenever the journal changes. Each
// render of a view gets a signal that is aborted when the view is drawn again or left, which
// removes the listeners it put outside its own page.

import * as api from './api.js';
import { busy, el, fill, toast, typing, undoLast } from './dom.js';
import { localDateTime } from './format.js';
import { plural } from './parts.js';
import { drawShortcuts, shortcutFor, startTypingAhead, takeTypedAhead, typeAhead } from './keys.js';
import { openLog, setupLog } from './log-touch.js';
import { changePassphrase, showLock, waitsForKey, watchIdle } from './privacy.js';
import * as clientView from './views/client.js';
import * as clients from './views/clients.js';
import * as search from './views/search.js';
import * as settings from './views/settings.js';
import * as today from './views/today.js';

const $ = (id) => document.getElementById(id);
const view = $('view');

function route() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  if (parts[0] === 'client' && parts[1]) {
    return { name: 'client', module: clientView, id: parts[1], params };
  }
  if (parts[0] === 'clients') return { name: 'clients', module: clients, params };
  if (parts[0] === 'search') return { name: 'search', module: search, params };
  if (parts[0] === 'settings') return { name: 'settings', module: settings, params };
  return { name: 'today', module: today, params };
}

let rendering = Promise.resolve();
// The current render's lifetime: aborted when the next one starts.
let lifetime = new AbortController();

// Today is behind the journal: time made someone due while the user was busy there.
let staleToday = false;

async function refreshCount() {
  const needs = await api.whoNeedsMe(1);
  const count = needs.overdue_total + needs.follow_ups_total;
  $('nav-today-count').textContent = String(count);
  $('nav-today-count').hidden = count === 0;
}

// A redraw after a change keeps the reader's place. It is read as the new page takes the old
// one's place, not when the redraw starts (they may scroll while the journal is asked), and put
// back once the new page is whole (its first entries loaded, say), unless the new page has been
// scrolled meanwhile: by the reader, or by a click that brought a button into view.
function keepPlace() {
  let place = view.scrollTop;
  let swapped = null;
  const swap = () => {
    place = view.scrollTop;
    // Where the new page stands just after the swap, before anything else can move it.
    queueMicrotask(() => {
      swapped = view.scrollTop;
    });
  };
  view.addEventListener('swap', swap, { once: true });
  return {
    putBack() {
      if (swapped === null || view.scrollTop === swapped) view.scrollTop = place;
    },
    forget() {
      view.removeEventListener('swap', swap);
    },
  };
}

/**
 * Where the focus is in the view, to be found again once the page is drawn anew: its element's
 * id, what it names as its successor (`data-then`, on it or around it), or its row (`data-key`)
 * and the row's place in its list.
 */
function focusMark() {
  const node = document.activeElement;
  if (!node || !view.contains(node) || node === view) return null;
  const row = node.closest('[data-key]');
  return {
    id: node.id || null,
    then: node.closest('[data-then]')?.dataset.then ?? null,
    key: row?.dataset.key ?? null,
    list: row?.parentElement.id || null,
    index: row ? [...row.parentElement.children].indexOf(row) : -1,
  };
}

/**
 * After a redraw that took away the focused element (the view's own code had nowhere better to
 * put it), the focus goes to its namesake in the new page, its successor, its row, or the row
 * that took its row's place; failing all of them, to the view: never to the page body.
 */
function refocus(mark) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (!mark || !lost || document.querySelector('dialog[open]')) return;
  const byId = (id) => (id ? document.getElementById(id) : null);
  let next = byId(mark.id) ?? byId(mark.then);
  if (!next && mark.key) {
    next = view.querySelector(`[data-key="${CSS.escape(mark.key)}"]`);
    const rows = [...(byId(mark.list)?.querySelectorAll(':scope > [data-key]') ?? [])];
    next ??= rows[Math.min(mark.index, rows.length - 1)];
  }
  (next && view.contains(next) ? next : view).focus({ preventScroll: true });
}

async function render({ keepScroll = false } = {}) {
  const current = route();
  // Whatever made Today out of date, this drawing of it is the fresh one.
  if (current.name === 'today') staleToday = false;
  const place = keepScroll ? keepPlace() : null;
  // Where the focus is just before the new page replaces the old (a dialog closed meanwhile has
  // given it back by then).
  let mark = null;
  const markFocus = () => {
    mark = focusMark();
  };
  if (keepScroll) view.addEventListener('swap', markFocus, { once: true });
  for (const a of document.querySelectorAll('[data-nav]')) {
    const here = a.dataset.nav === current.name ||
      (current.name === 'client' && a.dataset.nav === 'clients');
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.body.dataset.view = current.name;
  lifetime.abort();
  lifetime = new AbortController();
  const { signal } = lifetime;
  try {
    const status = await api.journalStatus();
    watchIdle(status);
    await current.module.render(view, {
      status,
      id: current.id,
      params: current.params,
      redraw: keepScroll,
      signal,
    });
    await refreshCount();
    place?.putBack();
    refocus(mark);
    document.title = `${
      document.querySelector('.page-head h1, .welcome h1')?.firstChild?.textContent ?? 'Today'
    } · Rapport`;
    await api.setWindowTitle(document.title);
  } catch (e) {
    fill(
      view,
      el(
        'div',
        { class: 'page' },
        el(
          'p',
          { class: 'empty' },
          e.kind === 'not_found' ? 'That client no longer exists.' : e.message,
        ),
      ),
    );
  } finally {
    place?.forget();
    view.removeEventListener('swap', markFocus);
  }
  document.body.dataset.ready = 'true';
}

function queueRender(options) {
  rendering = rendering.then(() => render(options));
  return rendering;
}

function currentClient() {
  const page = document.getElementById('client-page');
  return page
    ? {
      id: Number(page.dataset.clientId),
      name: document.getElementById('client-name').firstChild.textContent,
    }
    : null;
}

/**
 * After going to a view: a view that put the cursor where the user will type (the search box)
 * keeps it; else the view takes the focus, so the keys that follow act on it.
 */
function arrived() {
  if (!view.contains(document.activeElement)) view.focus({ preventScroll: true });
  // Whatever the search box did not take (the view was left meanwhile) is not kept for later.
  takeTypedAhead();
}

/** Goes to `hash`, or draws the view again when it is already there. */
function go(hash) {
  if (location.hash === hash) queueRender().then(arrived);
  location.hash = hash;
}

const GLOBAL = {
  log: () => openLog({ client: currentClient() }),
  // A new search: the box empty, the cursor in it, and what is typed before it is drawn kept.
  search: () => {
    startTypingAhead();
    go('#/search?q=');
  },
  today: () => go('#/today'),
  clients: () => go('#/clients'),
  'search-view': () => go('#/search'),
  settings: () => go('#/settings'),
  help: () => $('shortcuts-dialog').showModal(),
  // In a text field, Ctrl Z is the field's own; elsewhere (a select included) it undoes what the
  // latest toast offers to.
  undo: (event) =>
    !event.target.closest?.('input, textarea, [contenteditable]') &&
    !document.querySelector('dialog[open]') && undoLast(),
};

// Down from the view itself (where the focus is when a page opens) goes to the first row of the
// page's list: Today's most urgent need, the first client, the newest entry of a timeline.
const FIRST_ROWS =
  '#needs .need, #clients tbody a.client-name, #search-results .result, #timeline .entry';

function keys(event) {
  if (typeAhead(event)) return;
  if (event.target === view && shortcutFor(event, 'list') === 'next') {
    const first = view.querySelector(FIRST_ROWS);
    if (first) {
      event.preventDefault();
      first.focus();
      return;
    }
  }
  const id = shortcutFor(event, 'global');
  if (!id || GLOBAL[id](event) === false) return;
  event.preventDefault();
}

// The journal opens on its own thread. Normally it is open before the page asks; an upgrade of
// a large journal takes longer, and the window says what is happening until it is done.
async function opened() {
  let status = await api.journalStatus();
  if (!status.opening) return status;
  fill(
    $('journal-opening'),
    el('h1', {}, status.upgrading ? 'Updating your journal' : 'Opening your journal'),
    status.upgrading
      ? el(
        'p',
        {},
        'This version of Rapport reorganises your journal once, so it stays quick as it grows. A large journal can take a minute or two. Nothing you wrote is changed.',
      )
      : null,
    el('div', { class: 'opening-bar', 'aria-hidden': 'true' }, el('span')),
  );
  $('journal-opening').hidden = false;
  $('app').hidden = true;
  document.body.dataset.ready = 'true';
  // Each answer waits for the journal to open, a quarter of a second at most.
  while (status.opening) status = await api.journalStatus();
  $('journal-opening').hidden = true;
  $('app').hidden = false;
  return status;
}

/**
 * The side bar collapses to a rail of icons with its toggle. Until the user chooses, it follows
 * the window: collapsed at 900 px wide or less, where the page needs the room. The choice is
 * not kept between runs: the webview's storage is not the journal, and tests must not share it.
 */
function setupSidebar() {
  const narrow = matchMedia('(max-width: 900px)');
  let chosen = false;
  const collapse = (collapsed) => {
    $('app').classList.toggle('collapsed', collapsed);
    const words = collapsed ? 'Expand the side bar' : 'Collapse the side bar';
    $('sidebar-toggle').setAttribute('aria-expanded', String(!collapsed));
    $('sidebar-toggle').setAttribute('aria-label', words);
    $('sidebar-toggle').title = words;
  };
  collapse(narrow.matches);
  narrow.addEventListener('change', () => chosen || collapse(narrow.matches));
  $('sidebar-toggle').addEventListener('click', () => {
    chosen = true;
    collapse(!$('app').classList.contains('collapsed'));
  });
}

/**
 * The journal is not open: why, and what to do. A damaged journal is offered the newest good
 * backup, put in place (the damaged file kept aside) with one button.
 */
async function showFailure(status) {
  const error = status.error ?? { kind: 'unknown', message: 'The journal is not open.' };
  // Damaged, or replaced by another program while open: either way the newest good backup is
  // what the user can go back to.
  const damaged = error.kind === 'corrupt' || error.kind === 'replaced';
  const headings = {
    corrupt: 'Rapport could not open your journal: it is damaged',
    replaced: 'Rapport stopped writing to your journal: another program replaced it',
  };
  const parts = [
    el('h1', {}, headings[error.kind] ?? 'Rapport could not open your journal'),
    el('p', {}, error.message),
    // The message names the file already (and, for a replaced one, that nothing more is
    // written to it).
    error.kind === 'corrupt' ? el('p', {}, 'The file has not been changed.') : null,
    damaged ? null : el('p', {}, 'File: ', el('code', {}, status.path)),
  ];
  if (damaged) {
    const listed = await api.backups().catch(() => null);
    const good = listed?.backups.find((b) => !b.problem);
    if (good) {
      const restore = el('button', {
        type: 'button',
        class: 'button primary',
        id: 'restore-newest',
        onclick: () =>
          busy(restore, async () => {
            try {
              await api.restoreBackup(good.path);
              location.reload();
            } catch (e) {
              toast(e.message, { error: true });
            }
          }),
      }, 'Put this backup in place');
      parts.push(
        el(
          'p',
          { id: 'newest-good-backup' },
          `The newest good backup is of ${localDateTime(good.taken_at)}: ${
            plural(good.counts.clients, 'client')
          }, ${plural(good.counts.touches, 'touch', 'touches')}. `,
          `Putting it in place keeps ${
            error.kind === 'corrupt' ? 'the damaged journal' : 'the file now in its place'
          } aside in the same folder; what was written since the backup is in that file only.`,
        ),
        el('div', { class: 'button-row' }, restore),
      );
      setTimeout(() => restore.focus());
    } else {
      parts.push(
        el(
          'p',
          { class: 'muted' },
          'There is no good backup to put in its place. Copy the file somewhere safe before anything else touches it.',
        ),
      );
    }
  } else {
    parts.push(
      el(
        'p',
        { class: 'muted' },
        'The file has not been changed. Close the program using it, or move the file aside, then start Rapport again.',
      ),
    );
  }
  fill($('journal-error'), ...parts);
  $('journal-error').hidden = false;
  $('app').hidden = true;
  document.body.dataset.ready = 'true';
}

async function start() {
  const status = await opened();
  $('journal-path').textContent = status.path;
  // Found damaged by the check that reads every page after start: the views would be wrong.
  api.onJournalDamaged(async () => showFailure(await api.journalStatus()));
  window.addEventListener('journal-lost', async () => showFailure(await api.journalStatus()));
  // Locked by the desktop's screen lock: the window forgets what it showed.
  api.onJournalLocked(() => location.reload());
  if (!status.open && waitsForKey(status.error)) {
    $('app').hidden = true;
    showLock($('journal-lock'), status.error, () => location.reload());
    document.body.dataset.ready = 'true';
    return;
  }
  if (!status.open) {
    await showFailure(status);
    return;
  }
  setupLog();
  setupSidebar();
  $('log-touch-button').addEventListener('click', () => openLog({ client: currentClient() }));
  drawShortcuts($('shortcuts-list'));
  $('shortcuts-button').addEventListener('click', () => $('shortcuts-dialog').showModal());
  $('shortcuts-close').addEventListener('click', () => $('shortcuts-dialog').close());
  document.addEventListener('keydown', keys);
  api.onTrayLog(() => openLog({ client: currentClient() }));
  // Today drawn anew by time alone waits while the user is in the middle of something there:
  // typing, a dialog, or a menu open on a row (a redraw would take the menu away under them).
  const occupied = () => {
    const at = document.activeElement ?? document.body;
    return typing(at) || at.closest?.('[role=menu]');
  };
  const redrawToday = () => queueRender({ keepScroll: true });
  window.addEventListener('hashchange', () => queueRender().then(arrived));
  // Every list on screen follows the journal: after any change, the current view is drawn anew.
  window.addEventListener('journal-changed', () => queueRender({ keepScroll: true }));
  // Time alone makes someone due. The count follows at once; Today is drawn anew at once, or as
  // soon as the user is done with what they were in the middle of.
  api.onNeedsChanged(() => {
    if (route().name !== 'today') refreshCount();
    else if (occupied()) {
      staleToday = true;
      refreshCount();
    } else redrawToday();
  });
  document.addEventListener('focusin', () => {
    if (staleToday && route().name === 'today' && !occupied()) redrawToday();
  });
  window.addEventListener(
    'unhandledrejection',
    (event) => toast(event.reason?.message ?? String(event.reason), { error: true }),
  );
  await queueRender().then(arrived);
  // A journal this run made with its key in the keyring is offered a passphrase, once.
  if (status.created && status.encrypted) {
    const privacy = await api.privacy();
    if (!privacy.passphrase) await changePassphrase({ first: true });
  }
}

start().catch((e) => {
  fill($('journal-error'), el('h1', {}, 'Something went wrong'), el('p', {}, e.message));
  $('journal-error').hidden = false;
  document.body.dataset.ready = 'true';
});
