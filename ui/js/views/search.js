// Search across the whole journal: clients and touch and note text, matched words highlighted.
// Up and Down move through the results; Enter opens the client at the entry.

import * as api from '../api.js';
import { debounce, el, fill, show, snippet } from '../dom.js';
import { kindLabel, localDate } from '../format.js';
import { takeTypedAhead } from '../keys.js';
import { card, count, listKeys, pageHead } from '../parts.js';

let lastQuery = '';

function open(node) {
  const { clientId, entryId } = node.dataset;
  location.hash = entryId ? `#/client/${clientId}?entry=${entryId}` : `#/client/${clientId}`;
}

/** A client found: name, organisation, and where the words matched. */
function clientResult(c) {
  return el(
    'li',
    { class: 'result', dataset: { clientId: c.client_id }, onclick: (e) => open(e.currentTarget) },
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
export async function render(view, { params }) {
  const fresh = params.has('q');
  if (fresh) lastQuery = params.get('q') + takeTypedAhead();
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
  const run = async () => {
    const query = input.value;
    lastQuery = query;
    const mine = ++seq;
    if (!query.trim()) {
      results.setAttribute('aria-busy', 'false');
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
    if (!clients.length && !entries.length) {
      return fill(results, el('p', { class: 'empty' }, `Nothing matches “${query}”.`));
    }
    fill(results, group('Clients', clients), group('Touches and notes', entries));
    results.querySelector('.result')?.classList.add('active');
    // Which query the results on screen answer (the benchmark waits for the last one typed).
    results.dataset.query = query;
  };
  input.addEventListener('input', debounce(run, 100));
  input.addEventListener('keydown', listKeys(() => [...results.querySelectorAll('.result')], open));
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
  input.focus();
  // The last query, selected, is replaced by what is typed; a new one goes on as typed.
  if (!fresh) input.select();
  await run();
}
