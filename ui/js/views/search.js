// Search across the whole journal: clients and touch and note text, matched words highlighted.
// Down moves from the box into the results, Up and Down through them (the highlighted result is
// the focused one); Enter opens the client at the entry, or, from the box, the first result.

import * as api from '../api.js';
import { debounce, el, fill, show, snippet } from '../dom.js';
import { kindLabel, localDate } from '../format.js';
import { shortcutFor, takeTypedAhead } from '../keys.js';
import { card, count, listKeys, markFocused, pageHead } from '../parts.js';

let lastQuery = '';

function open(node) {
  const { clientId, entryId } = node.dataset;
  location.hash = entryId ? `#/client/${clientId}?entry=${entryId}` : `#/client/${clientId}`;
}

/** A client found: name, organisation, and where the words matched. */
function clientResult(c) {
  return el(
    'li',
    {
      class: 'result',
      tabindex: '-1',
      dataset: { clientId: c.client_id },
      onclick: (e) => open(e.currentTarget),
    },
    el(
      'div',
      { class: 'result-head' },
      el('span', { class: 'result-title' }, c.name),
      c.organisation ? el('span', { class: 'muted' }, c.organisation) : null,
      c.archived ? el('span', { class: 'badge archived' }, 'Archived') : null,
    ),
    snippet(c.snippet),
  );
}

/** A touch or note found: whose, what kind, when, and the words matched. */
function entryResult(e) {
  const what = `${kindLabel(e.kind)} · ${localDate(e.at)}${e.summary ? ` · ${e.summary}` : ''}`;
  return el(
    'li',
    {
      class: 'result',
      tabindex: '-1',
      dataset: { clientId: e.client_id, entryId: e.entry_id },
      onclick: (ev) => open(ev.currentTarget),
    },
    el(
      'div',
      { class: 'result-head' },
      el('span', { class: 'result-title' }, e.client_name),
      el('span', { class: 'muted' }, what),
    ),
    snippet(e.snippet),
  );
}

/** A card of results, or nothing when there are none. */
const group = (title, items) =>
  items.length ? card({}, title, count(items.length), el('ul', { class: 'results' }, items)) : null;

/**
 * The search page, its box holding the last query (selected, so typing replaces it), or the
 * query the address gives (`?q=`, empty when a shortcut asks for a new search).
 */
export async function render(view, { params, redraw }) {
  const fresh = params.has('q') && !redraw;
  if (fresh) lastQuery = params.get('q') + takeTypedAhead();
  // Drawn anew after a change to the journal, the page keeps what is in the box now, typed since
  // the last search ran included.
  const typed = document.getElementById('search-input');
  if (redraw && typed) lastQuery = typed.value;
  const caret = redraw && typed === document.activeElement ? typed.selectionStart : null;
  const results = el('div', { id: 'search-results' });
  const input = el('input', {
    type: 'search',
    class: 'search-box',
    id: 'search-input',
    value: lastQuery,
    placeholder: 'Search names, organisations, profiles, touches and notes',
    'aria-label': 'Search the journal',
  });
  let seq = 0;
  // Which query the results on screen answer (the benchmark waits for the last one typed). A
  // query already answered is not drawn again: the result that has the focus keeps it.
  const answered = (query) => {
    results.dataset.query = query;
  };
  const run = async () => {
    const query = input.value;
    lastQuery = query;
    if (results.dataset.query === query) return;
    const mine = ++seq;
    if (!query.trim()) {
      results.setAttribute('aria-busy', 'false');
      answered(query);
      return fill(
        results,
        el(
          'p',
          { class: 'empty' },
          'Type to search. Every word matches as a prefix; accents and case do not matter.',
        ),
      );
    }
    // Busy while the journal is asked, for assistive technology (and the benchmark, which
    // watches that frames keep coming meanwhile).
    results.setAttribute('aria-busy', 'true');
    let found;
    try {
      found = await api.search(query, 50);
    } finally {
      if (mine === seq) results.setAttribute('aria-busy', 'false');
    }
    if (mine !== seq) return; // a newer query has been typed meanwhile
    const clients = found.clients.map(clientResult);
    const entries = found.entries.map(entryResult);
    answered(query);
    if (!clients.length && !entries.length) {
      return fill(results, el('p', { class: 'empty' }, `Nothing matches “${query}”.`));
    }
    fill(results, group('Clients', clients), group('Touches and notes', entries));
  };
  input.addEventListener('input', debounce(run, 100));
  const found = () => [...results.querySelectorAll('.result')];
  // From the box: Down goes into the results, Enter opens the first. Pressed before the results
  // answer what was typed (a fast typist), the key waits for them, so it acts on what the box says.
  input.addEventListener('keydown', async (event) => {
    const key = shortcutFor(event, 'list');
    if (key !== 'next' && key !== 'open') return;
    event.preventDefault();
    if (results.dataset.query !== input.value) await run();
    const first = found()[0];
    if (!first || document.activeElement !== input) return;
    if (key === 'next') first.focus();
    else open(first);
  });
  // In the results, the focused one is the highlighted one; Up from the first goes back to the box.
  results.addEventListener('keydown', (event) => {
    if (shortcutFor(event, 'list') === 'previous' && event.target === found()[0]) {
      event.preventDefault();
      event.stopImmediatePropagation();
      found()[0].classList.remove('active');
      input.focus();
    }
  });
  results.addEventListener('keydown', listKeys(found, open, { focus: true }));
  markFocused(results, '.result');
  show(
    view,
    el(
      'div',
      { class: 'page' },
      pageHead('Search'),
      input,
      results,
    ),
  );
  // The last query, selected, is replaced by what is typed; a new one goes on as typed; a redraw
  // leaves the focus where it was (main.js puts it back) and the caret where it was.
  if (!redraw) input.focus();
  if (caret !== null) {
    input.focus();
    input.setSelectionRange(caret, caret);
  } else if (!redraw && !fresh) input.select();
  await run();
}
