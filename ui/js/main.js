// Bootstrap: asks where the journal is, then fills the two lists.

import * as api from './api.js';
import { el, fill } from './dom.js';
import { ago, days, localDate, stageLabel } from './format.js';

const $ = (id) => document.getElementById(id);

function needItem(need) {
  if (need.type === 'relationship') {
    const since = need.last_touch_at ? `Last touch ${ago(need.days_since)}` : `Added ${ago(need.days_since)}, never touched`;
    return el('li', { class: 'need', dataset: { clientId: need.client_id } },
      el('span', { class: 'need-mark overdue', 'aria-hidden': 'true' }),
      el('div', { class: 'need-main' },
        el('p', { class: 'need-title' }, need.name,
          need.organisation ? el('span', { class: 'muted' }, ` · ${need.organisation}`) : null),
        el('p', { class: 'need-detail' }, `${since}; usual rhythm every ${days(need.cadence)}`)),
      el('span', { class: 'badge overdue' }, need.days_overdue > 0 ? `${days(need.days_overdue)} over` : 'due today'));
  }
  const f = need.follow_up;
  return el('li', { class: 'need', dataset: { clientId: f.client_id } },
    el('span', { class: 'need-mark follow-up', 'aria-hidden': 'true' }),
    el('div', { class: 'need-main' },
      el('p', { class: 'need-title' }, f.what),
      el('p', { class: 'need-detail' }, `Promised to ${need.name}, due ${localDate(f.due_at)}`)),
    el('span', { class: 'badge follow-up' }, need.days_overdue > 0 ? `${days(need.days_overdue)} late` : 'due'));
}

function clientRow(c) {
  return el('tr', { dataset: { clientId: c.id } },
    el('td', {},
      el('span', { class: 'client-name' }, c.name),
      c.organisation ? el('span', { class: 'client-org' }, c.organisation) : null),
    el('td', {}, el('span', { class: `stage stage-${c.stage}` }, stageLabel(c.stage))),
    el('td', { class: 'num' + (c.overdue ? ' overdue-text' : '') }, ago(c.days_since_touch)));
}

async function render() {
  const status = await api.journalStatus();
  $('journal-path').textContent = status.path;
  if (!status.open) {
    fill($('journal-error'),
      el('h1', {}, 'Rapport could not open your journal'),
      el('p', {}, status.error.message),
      el('p', { class: 'muted' }, 'The file has not been changed.'));
    $('journal-error').hidden = false;
    $('main').hidden = true;
    return;
  }
  const [needs, clients] = await Promise.all([api.whoNeedsMe(50), api.listClients({ sort: 'most_overdue' })]);
  fill($('needs'), needs.items.map(needItem));
  $('needs-empty').hidden = needs.items.length > 0;
  $('today-summary').textContent =
    `${needs.overdue_total} overdue · ${needs.follow_ups_total} ${needs.follow_ups_total === 1 ? 'follow-up' : 'follow-ups'} due`;
  fill($('clients').tBodies[0], clients.rows.map(clientRow));
  $('clients-empty').hidden = clients.rows.length > 0;
  $('clients-summary').textContent = `${clients.total} active`;
}

render()
  .catch((e) => {
    fill($('journal-error'), el('h1', {}, 'Something went wrong'), el('p', {}, e.message));
    $('journal-error').hidden = false;
  })
  // Tests wait for this mark before they read the screen.
  .finally(() => { document.body.dataset.ready = 'true'; });
