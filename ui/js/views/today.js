// Today: who needs you now, most urgent first, with one keystroke or click each to log a touch,
// snooze, or mark a follow-up done. A first run shows the welcome instead.

import * as api from '../api.js';
import { el, show, toast } from '../dom.js';
import { ago, days, localDate } from '../format.js';
import { shortcutFor } from '../keys.js';
import { openLog } from '../log-touch.js';
import { card, dueBadge, listKeys, markFocused, pageHead, plural } from '../parts.js';
import { snoozeButton } from '../snooze.js';
import { encryptOffer } from '../privacy.js';
import { sampleBanner, welcome } from './welcome.js';

// Where the focus goes once Today is drawn again after an action on a row: the same row after a
// touch is logged, the row that took its place after done or snooze. Never the page body.
let resume = null;

/** Remembers where the focus goes after acting on `row`, `stay`ing on it or moving on. */
function after(row, stay) {
  const index = [...row.parentElement.children].indexOf(row);
  resume = { index, clientId: stay ? row.dataset.clientId : null, kind: row.dataset.kind };
}

/**
 * Puts the focus back as [`resume`] says, in the freshly drawn `list`: on the same row if it
 * is still there, else on the row now where it was.
 */
function refocus(list) {
  if (!resume) return;
  const rows = [...list.children];
  const same = rows.find((r) =>
    r.dataset.clientId === resume.clientId && r.dataset.kind === resume.kind
  );
  const row = same ?? rows[Math.min(resume.index, rows.length - 1)];
  resume = null;
  (row ?? document.getElementById('view')).focus({ preventScroll: true });
}

function needRow(need) {
  const isFollowUp = need.type === 'follow_up';
  const clientId = isFollowUp ? need.follow_up.client_id : need.client_id;
  const client = { id: clientId, name: need.name };
  const log = () => {
    after(row, true);
    openLog({ client });
  };
  const snooze = snoozeButton(async (until) => {
    after(row, false);
    if (isFollowUp) await api.snoozeFollowUp(need.follow_up.id, until);
    else await api.snoozeClient(clientId, until);
    toast(`Snoozed until ${localDate(until)}`);
  });
  const done = isFollowUp
    ? el('button', {
      type: 'button',
      class: 'button small',
      onclick: async () => {
        after(row, false);
        await api.completeFollowUp(need.follow_up.id);
        toast('Follow-up done', { undo: () => api.restoreFollowUp(need.follow_up) });
      },
    }, 'Done')
    : null;
  const title = isFollowUp ? [need.follow_up.what] : [
    el('a', { href: `#/client/${clientId}` }, need.name),
    need.organisation ? el('span', { class: 'muted' }, ` · ${need.organisation}`) : null,
  ];
  const detail = isFollowUp
    ? [
      'Promised to ',
      el('a', { href: `#/client/${clientId}` }, need.name),
      `, due ${localDate(need.follow_up.due_at)}`,
    ]
    : `${
      need.last_touch_at
        ? `Last touch ${ago(need.days_since)}`
        : `Added ${ago(need.days_since)}, never touched`
    } · usual rhythm every ${days(need.cadence)}`;
  const badge = dueBadge(need.days_overdue, { followUp: isFollowUp });
  const row = el(
    'li',
    { class: 'need', tabindex: '0', dataset: { clientId, kind: need.type } },
    el('span', {
      class: `need-mark ${isFollowUp ? 'follow-up' : 'overdue'}`,
      'aria-hidden': 'true',
    }),
    el(
      'div',
      { class: 'need-main' },
      el('p', { class: 'need-title' }, title),
      el('p', { class: 'need-detail' }, detail),
    ),
    el(
      'div',
      { class: 'need-side' },
      badge,
      el('button', {
        type: 'button',
        class: 'button small primary',
        onclick: log,
        title: 'Log a touch (L)',
      }, 'Log touch'),
      snooze,
      done,
    ),
  );
  // One keystroke each on the focused row: L logs, S snoozes, D marks done, Enter opens.
  row.addEventListener('keydown', (event) => {
    if (event.target !== row) return;
    const key = shortcutFor(event, 'row') ?? shortcutFor(event, 'list');
    if (key === 'row-log') {
      event.preventDefault();
      event.stopPropagation();
      log();
    } else if (key === 'row-snooze') {
      event.preventDefault();
      snooze.open();
    } else if (key === 'row-done' && done) {
      event.preventDefault();
      done.click();
    } else if (key === 'open') {
      event.preventDefault();
      location.hash = `#/client/${clientId}`;
    }
  });
  return row;
}

export async function render(view, { status }) {
  if (status.empty) return show(view, welcome());
  const needs = await api.whoNeedsMe(200);
  const today = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date());
  const list = el('ol', { class: 'needs', id: 'needs' }, needs.items.map(needRow));
  const summary = `${plural(needs.overdue_total, 'relationship')} overdue · ${
    plural(needs.follow_ups_total, 'follow-up')
  } due`;
  list.addEventListener(
    'keydown',
    listKeys(() => [...list.children], (row) => row.focus(), { focus: true }),
  );
  // The highlighted row is the focused row, however the focus got there.
  markFocused(list, '.need');
  // Drawn anew while a row has the focus (time made someone due, another change landed): the
  // focus stays on that row.
  const held = document.activeElement?.closest?.('#needs .need');
  if (!resume && held) after(held, true);
  show(
    view,
    el(
      'div',
      { class: 'page' },
      pageHead('Today', today),
      encryptOffer(status),
      status.sample ? sampleBanner() : null,
      card(
        { heading: { id: 'needs-title' } },
        'Who needs you',
        el('p', { class: 'muted', id: 'today-summary' }, summary),
        needs.items.length ? list : el(
          'p',
          { class: 'empty', id: 'needs-empty' },
          'Nobody is waiting on you. A good day to give before you ask.',
        ),
      ),
    ),
  );
  refocus(list);
}
