// Clients: the list with search-as-you-type, filters and sorts; stage and days since the last
// touch at a glance.

import * as api from '../api.js';
import { asksBeforeDiscarding } from '../confirm.js';
import { debounce, el, fill, show } from '../dom.js';
import { ago, days, stageLabel, STAGES } from '../format.js';
import { shortcutFor } from '../keys.js';
import { button, dueBadge, listKeys, markFocused, pageHead, plural } from '../parts.js';
import { sampleBanner } from './welcome.js';

// The filter survives leaving and coming back, as a user expects of a list they narrowed.
const filter = {
  query: '',
  stage: '',
  tag: '',
  organisation: '',
  archived: 'active',
  sort: 'name',
};

function row(c) {
  const org = [c.role, c.organisation].filter(Boolean).join(', ');
  const status = c.archived
    ? el('span', { class: 'badge archived' }, 'Archived')
    : c.overdue
    ? dueBadge(c.days_overdue)
    : el('span', { class: 'muted' }, `due in ${days(Math.max(1, -c.days_overdue))}`);
  const tr = el(
    'tr',
    {
      dataset: { clientId: c.id },
      onclick: () => {
        location.hash = `#/client/${c.id}`;
      },
    },
    el(
      'td',
      { class: 'name-cell' },
      el('a', { href: `#/client/${c.id}`, class: 'client-name', title: c.name }, c.name),
      org ? el('span', { class: 'client-org', title: org }, org) : null,
    ),
    el(
      'td',
      {},
      el('span', { class: `stage stage-${c.stage}` }, stageLabel(c.stage)),
      c.sample ? ' ' : null,
      c.sample ? el('span', { class: 'badge sample' }, 'Sample') : null,
    ),
    el('td', { class: 'num' }, ago(c.days_since_touch)),
    el('td', { class: 'num muted' }, `every ${days(c.cadence)}`),
    el('td', { class: 'num' }, status),
  );
  return tr;
}

function select(id, label, value, choices, onchange) {
  return el(
    'select',
    { id, 'aria-label': label, onchange },
    choices.map(([v, text]) => el('option', { value: v, selected: v === value }, text)),
  );
}

/** The list's table; its rows are filled in by the caller. */
function clientsTable(body) {
  const col = (label, num = false) => el('th', { scope: 'col', class: num ? 'num' : null }, label);
  const head = el(
    'tr',
    {},
    col('Name'),
    col('Stage'),
    col('Last touch', true),
    col('Rhythm', true),
    col('Status', true),
  );
  const table = el('table', { class: 'table', id: 'clients' }, el('thead', {}, head), body);
  // Up and Down move the focus from name to name; the row holding it is the one highlighted,
  // and Enter opens it (as the focused link would).
  table.addEventListener(
    'keydown',
    listKeys(() => [...body.children], (tr) => {
      location.hash = `#/client/${tr.dataset.clientId}`;
    }, { focus: (tr) => tr.querySelector('a.client-name') }),
  );
  markFocused(body, 'tr');
  return table;
}

/** The filters and sorts, each calling `set(key)` with its new value; the search box first. */
function toolbar(search, tags, orgs, set) {
  const tagChoices = tags.map((t) => [t.value, `#${t.value} (${t.clients})`]);
  const orgChoices = orgs.map((o) => [o.value, `${o.value} (${o.clients})`]);
  const archived = [['active', 'Active'], ['archived', 'Archived'], ['all', 'Active and archived']];
  const sorts = [['name', 'Sort by name'], ['last_touch', 'Sort by last touch'], [
    'most_overdue',
    'Most overdue first',
  ]];
  return el(
    'div',
    { class: 'toolbar' },
    search,
    select('filter-stage', 'Stage', filter.stage, [['', 'Every stage'], ...STAGES], set('stage')),
    select('filter-tag', 'Tag', filter.tag, [['', 'Any tag'], ...tagChoices], set('tag')),
    select('filter-org', 'Organisation', filter.organisation, [
      ['', 'Any organisation'],
      ...orgChoices,
    ], set('organisation')),
    select('filter-archived', 'Archived', filter.archived, archived, set('archived')),
    select('sort', 'Sort', filter.sort, sorts, set('sort')),
  );
}

export async function render(view, { status }) {
  const [orgs, tags] = await Promise.all([api.organisations(), api.tags()]);
  const body = el('tbody');
  const summary = el('p', { class: 'page-sub', id: 'clients-summary' });
  const empty = el('p', { class: 'empty', hidden: true }, 'No client matches.');
  const load = async () => {
    const page = await api.listClients({
      query: filter.query || null,
      stage: filter.stage || null,
      tag: filter.tag || null,
      organisation: filter.organisation || null,
      archived: filter.archived,
      sort: filter.sort,
      limit: 500,
    });
    fill(body, page.rows.map(row));
    empty.hidden = page.rows.length > 0;
    summary.textContent = page.total > page.rows.length
      ? `Showing ${page.rows.length} of ${page.total} clients`
      : plural(page.total, 'client');
  };
  const set = (key) => (event) => {
    filter[key] = event.target.value;
    load();
  };
  const search = el('input', {
    type: 'search',
    id: 'clients-search',
    placeholder: 'Find by name, organisation, profile…',
    'aria-label': 'Find a client',
    value: filter.query,
    oninput: debounce((event) => {
      filter.query = event.target.value;
      load();
    }, 120),
  });
  search.addEventListener('keydown', (event) => {
    if (shortcutFor(event, 'list') === 'next') {
      event.preventDefault();
      body.querySelector('a')?.focus();
    }
  });
  const add = button('New client', () => newClient(), 'primary', { id: 'new-client' });
  show(
    view,
    el(
      'div',
      { class: 'page' },
      pageHead('Clients', summary, add),
      status.sample ? sampleBanner() : null,
      toolbar(search, tags, orgs, set),
      el('section', { class: 'card' }, clientsTable(body), empty),
    ),
  );
  await load();
}

/** A small dialog to add a client; on save, opens their page. */
export function newClient() {
  const error = el('p', { class: 'form-error', role: 'alert' });
  const name = el('input', { id: 'new-client-name', required: true, maxlength: 200 });
  const org = el('input', { id: 'new-client-org', maxlength: 200 });
  const role = el('input', { id: 'new-client-role', maxlength: 200 });
  const stage = el(
    'select',
    { id: 'new-client-stage' },
    STAGES.map(([v, t]) => el('option', { value: v }, t)),
  );
  const form = el(
    'form',
    { method: 'dialog', novalidate: true },
    el('header', { class: 'dialog-head' }, el('h2', {}, 'New client')),
    el('div', { class: 'field' }, el('label', { for: 'new-client-name' }, 'Name'), name),
    el(
      'div',
      { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'new-client-org' }, 'Organisation'), org),
      el('div', { class: 'field' }, el('label', { for: 'new-client-role' }, 'Role'), role),
    ),
    el('div', { class: 'field' }, el('label', { for: 'new-client-stage' }, 'Stage'), stage),
    error,
    el(
      'footer',
      { class: 'dialog-foot' },
      el('button', { type: 'button', class: 'button', onclick: () => leave() }, 'Cancel'),
      el(
        'button',
        { type: 'submit', class: 'button primary', id: 'new-client-save' },
        'Add client',
      ),
    ),
  );
  const dialog = el('dialog', { class: 'dialog', 'aria-label': 'New client' }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const client = await api.createClient({
        name: name.value,
        organisation: org.value,
        role: role.value,
      }, stage.value);
      dialog.close();
      location.hash = `#/client/${client.id}`;
    } catch (e) {
      error.textContent = e.message;
      name.setAttribute('aria-invalid', String(e.field === 'name'));
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  const leave = asksBeforeDiscarding(dialog);
  name.focus();
}
