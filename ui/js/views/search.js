// Search across the whole journal: clients and touch and note text, matched words highlighted.
// Up and Down move through the results; Enter opens the client at the entry.

import * as api from '../api.js';
import { debounce, el, fill, listKeys, show, snippet } from '../dom.js';
import { kindLabel, localDate } from '../format.js';

let lastQuery = '';

function open(node) {
  const { clientId, entryId } = node.dataset;
  location.hash = entryId ? `#/client/${clientId}?entry=${entryId}` : `#/client/${clientId}`;
}

export async function render(view) {
  const results = el('div', { id: 'search-results' });
  const input = el('input', {
    type: 'search', class: 'search-box', id: 'search-input', value: lastQuery,
    placeholder: 'Search names, organisations, profiles, touches and notes', 'aria-label': 'Search the journal',
  });
  let seq = 0;
  const run = async () => {
    const query = input.value;
    lastQuery = query;
    const mine = ++seq;
    if (!query.trim()) {
      results.setAttribute('aria-busy', 'false');
      return fill(results, el('p', { class: 'empty' }, 'Type to search. Every word matches as a prefix; accents and case do not matter.'));
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
    const clients = found.clients.map((c) => el('li', { class: 'result', dataset: { clientId: c.client_id }, onclick: (e) => open(e.currentTarget) },
      el('div', { class: 'result-head' }, el('span', { class: 'result-title' }, c.name),
        c.organisation ? el('span', { class: 'muted' }, c.organisation) : null,
        c.archived ? el('span', { class: 'badge archived' }, 'Archived') : null),
      snippet(c.snippet)));
    const entries = found.entries.map((e) => el('li', { class: 'result', dataset: { clientId: e.client_id, entryId: e.entry_id }, onclick: (ev) => open(ev.currentTarget) },
      el('div', { class: 'result-head' }, el('span', { class: 'result-title' }, e.client_name),
        el('span', { class: 'muted' }, `${kindLabel(e.kind)} · ${localDate(e.at)}${e.summary ? ` · ${e.summary}` : ''}`)),
      snippet(e.snippet)));
    if (!clients.length && !entries.length) return fill(results, el('p', { class: 'empty' }, `Nothing matches “${query}”.`));
    fill(results,
      clients.length ? el('section', { class: 'card' }, el('header', { class: 'card-head' }, el('h2', {}, 'Clients'), el('span', { class: 'muted' }, String(clients.length))), el('ul', { class: 'results' }, clients)) : null,
      entries.length ? el('section', { class: 'card' }, el('header', { class: 'card-head' }, el('h2', {}, 'Touches and notes'), el('span', { class: 'muted' }, String(entries.length))), el('ul', { class: 'results' }, entries)) : null);
    results.querySelector('.result')?.classList.add('active');
    // Which query the results on screen answer (the benchmark waits for the last one typed).
    results.dataset.query = query;
  };
  input.addEventListener('input', debounce(run, 100));
  input.addEventListener('keydown', listKeys(() => [...results.querySelectorAll('.result')], open));
  show(view, el('div', { class: 'page' },
    el('header', { class: 'page-head' }, el('div', {}, el('h1', {}, 'Search'))),
    input, results));
  input.focus();
  input.select();
  await run();
}
