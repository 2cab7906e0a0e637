// A client's page: who they are (editable in place), where the relationship stands, what is
// promised, who introduced whom, and the whole timeline with endless scrolling and search.

import * as api from '../api.js';
import { askForNote, askingButton, formDialog, momentField, textField } from '../confirm.js';
import { debounce, el, fill, show, toast } from '../dom.js';
import { ago, ahead, localDate, localDateTime, stageLabel, STAGES } from '../format.js';
import { shortcutFor } from '../keys.js';
import { openLog } from '../log-touch.js';
import { button, card, cardHead, count, dueBadge, muted, plural, stepFocus } from '../parts.js';
import { snoozeButton } from '../snooze.js';
import { editFollowUp, timelineCard } from '../timeline.js';

const PILLARS = [['compatibility', 'Compatibility'], ['knowledge', 'Knowledge'], [
  'trust',
  'Trust',
]];

function profileView(c, edit) {
  const facts = c.facts.length
    ? el(
      'dl',
      { class: 'facts' },
      c.facts.map((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]),
    )
    : null;
  return card(
    { id: 'profile' },
    'Profile',
    el(
      'button',
      { type: 'button', class: 'button small', id: 'edit-profile', onclick: edit },
      'Edit',
    ),
    el(
      'div',
      { class: 'edit-grid' },
      el(
        'dl',
        { class: 'facts' },
        c.email ? [el('dt', {}, 'Email'), el('dd', {}, c.email)] : null,
        c.phone ? [el('dt', {}, 'Phone'), el('dd', {}, c.phone)] : null,
      ),
      c.profile
        ? el('p', { class: 'profile-text', id: 'profile-text' }, c.profile)
        : muted('Nothing written yet: what do they care about?'),
      facts,
      c.tags.length
        ? el('div', { class: 'tags' }, c.tags.map((t) => el('span', { class: 'tag' }, `#${t}`)))
        : null,
    ),
  );
}

/** A labelled field of the profile form, with the place its error is shown. */
function field(id, label, input) {
  const error = el('p', { class: 'field-error', dataset: { errorFor: id.replace('edit-', '') } });
  return el('div', { class: 'field' }, el('label', { for: id }, label), input, error);
}

/** The profile form's fields, filled with `c`'s. */
function profileFields(c) {
  const input = (id, value, attrs = {}) => el('input', { id, value: value ?? '', ...attrs });
  const factsText = c.facts.map((f) => `${f.label}: ${f.value}`).join('\n');
  const ratings = [1, 2, 3, 4, 5].map((n) => [n, `${n} of 5`]);
  const pillar = (key) =>
    el(
      'select',
      { id: `edit-${key}` },
      el('option', { value: '' }, 'Not rated'),
      ratings.map(([n, label]) =>
        el('option', { value: n, selected: c.pillars[key] === n }, label)
      ),
    );
  const cadence = { type: 'number', min: 1, max: 3650, placeholder: 'stage default' };
  const facts = {
    id: 'edit-facts',
    rows: 3,
    value: factsText,
    placeholder: 'family: two daughters',
  };
  return [
    field('edit-name', 'Name', input('edit-name', c.name)),
    el(
      'div',
      { class: 'field-row' },
      field('edit-organisation', 'Organisation', input('edit-organisation', c.organisation)),
      field('edit-role', 'Role', input('edit-role', c.role)),
    ),
    el(
      'div',
      { class: 'field-row' },
      field('edit-email', 'Email', input('edit-email', c.email, { type: 'email' })),
      field('edit-phone', 'Phone', input('edit-phone', c.phone)),
    ),
    field(
      'edit-profile-text',
      'What they care about',
      el('textarea', { id: 'edit-profile-text', rows: 4, value: c.profile }),
    ),
    field('edit-facts', 'Facts, one per line as “label: value”', el('textarea', facts)),
    field('edit-tags', 'Tags, separated by commas', input('edit-tags', c.tags.join(', '))),
    el(
      'div',
      { class: 'field-row' },
      field(
        'edit-cadence_days',
        'Rhythm (days)',
        input('edit-cadence_days', c.cadence_days ?? '', cadence),
      ),
      PILLARS.map(([key, label]) => field(`edit-${key}`, label, pillar(key))),
    ),
  ];
}

/** The client as the profile form now holds them. */
function profileInput(form) {
  const value = (id) => form.querySelector(`#${id}`).value;
  const facts = value('edit-facts').split('\n').filter((l) => l.trim()).map((line) => {
    const at = line.indexOf(':');
    return at < 0
      ? { label: line.trim(), value: '' }
      : { label: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
  });
  const rating = (key) => (value(`edit-${key}`) ? Number(value(`edit-${key}`)) : null);
  const cadence = value('edit-cadence_days').trim();
  return {
    name: value('edit-name'),
    organisation: value('edit-organisation'),
    role: value('edit-role'),
    email: value('edit-email'),
    phone: value('edit-phone'),
    profile: value('edit-profile-text'),
    facts,
    tags: value('edit-tags').split(',').map((t) => t.trim()).filter(Boolean),
    cadence_days: cadence ? Number(cadence) : null,
    pillars: {
      compatibility: rating('compatibility'),
      knowledge: rating('knowledge'),
      trust: rating('trust'),
    },
  };
}

function profileForm(c, done) {
  // Once saved, the profile is shown again and the focus goes to its Edit button.
  const form = el(
    'form',
    { class: 'edit-grid', novalidate: true, dataset: { then: 'edit-profile' } },
    profileFields(c),
    el('p', { class: 'form-error', role: 'alert' }),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', class: 'button primary', id: 'save-profile' }, 'Save'),
      el('button', { type: 'button', class: 'button', onclick: () => done(false) }, 'Cancel'),
    ),
  );
  form.addEventListener('keydown', (event) => {
    const key = shortcutFor(event, 'dialog');
    if (key === 'cancel') {
      event.preventDefault();
      done(false);
    } else if (key === 'save-notes') {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const node of form.querySelectorAll('.field-error, .form-error')) node.textContent = '';
    try {
      await api.updateClient(c.id, profileInput(form));
      toast('Profile saved');
    } catch (e) {
      const slots = { profile: 'profile-text', 'facts.label': 'facts', 'facts.value': 'facts' };
      const key = slots[e.field] ?? e.field;
      const slot = key && form.querySelector(`[data-error-for="${key}"]`);
      (slot ?? form.querySelector('.form-error')).textContent = e.message;
      form.querySelector(`#edit-${key}`)?.focus();
    }
  });
  return el('section', { class: 'card', id: 'profile' }, cardHead('Edit profile'), form);
}

// The pillar whose rating was just changed, so that its dots keep the focus when the card is
// drawn again.
let ratedPillar = null;

/** The client's fields as an edit of them sends them, with `pillars` changed. */
const withPillars = (c, pillars) => ({
  name: c.name,
  organisation: c.organisation,
  role: c.role,
  email: c.email,
  phone: c.phone,
  profile: c.profile,
  facts: c.facts,
  tags: c.tags,
  cadence_days: c.cadence_days,
  pillars,
});

/**
 * A pillar's rating as five dots to click, or to move along with the arrow keys (one tab stop
 * for the five, Delete to clear), each change saved at once with an Undo.
 */
function pillarDots(c, key, label) {
  const rating = c.pillars[key];
  const rate = async (n) => {
    if (n === rating) return;
    ratedPillar = key;
    await api.updateClient(c.id, withPillars(c, { ...c.pillars, [key]: n }));
    toast(n ? `${label} rated ${n} of 5` : `${label} not rated`, {
      undo: () => api.updateClient(c.id, withPillars(c, c.pillars)),
    });
  };
  const dots = [1, 2, 3, 4, 5].map((n) =>
    el('button', {
      type: 'button',
      role: 'radio',
      class: `dot${rating && n <= rating ? ' on' : ''}`,
      'aria-checked': String(rating === n),
      'aria-label': `${n} of 5`,
      tabindex: (rating ?? 1) === n ? '0' : '-1',
      onclick: () => rate(n),
    })
  );
  const group = el(
    'div',
    {
      class: 'dots',
      role: 'radiogroup',
      'aria-labelledby': `pillar-${key}`,
      dataset: { pillar: key },
      onkeydown: (event) => {
        const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[event.key];
        if (step) {
          event.preventDefault();
          rate(Math.min(5, Math.max(1, (rating ?? 0) + step)));
        } else if (event.key === 'Delete' || event.key === 'Backspace') {
          event.preventDefault();
          rate(null);
        }
      },
    },
    dots,
    el('span', { class: 'muted dots-note' }, rating ? `${rating} of 5` : 'not rated'),
  );
  return group;
}

/** Gives the focus back to the pillar just rated, once the card is drawn again. */
function refocusPillar(side) {
  if (!ratedPillar) return;
  side.querySelector(`[data-pillar="${ratedPillar}"] [tabindex="0"]`)?.focus({
    preventScroll: true,
  });
  ratedPillar = null;
}

function relationshipCard(o) {
  const c = o.client;
  const due = o.overdue
    ? dueBadge(o.days_overdue)
    : el('span', { class: 'badge ok' }, `next touch ${ahead(-o.days_overdue)}`);
  const stage = el('select', {
    id: 'stage-select',
    'aria-label': 'Stage',
    // A move is dated and kept in the history, so it is confirmed first (an arrow key alone
    // changes the choice), with a note of why if the user has one, and can be undone.
    onchange: async (e) => {
      const to = e.target.value;
      const why = await askForNote(
        `Move ${c.name} to ${stageLabel(to)}, as of today?`,
        'Move',
        'Why, if you like',
      );
      if (why === null) {
        e.target.value = c.stage;
        return;
      }
      const move = await api.setStage(c.id, to, why);
      toast(`Moved to ${stageLabel(to)}`, { undo: () => api.deleteStageChange(move.id) });
    },
  }, STAGES.map(([v, t]) => el('option', { value: v, selected: v === c.stage }, t)));
  return card(
    { id: 'relationship' },
    'Relationship',
    due,
    el(
      'div',
      { class: 'card-body' },
      el(
        'div',
        { class: 'stats' },
        el(
          'div',
          { class: 'stat' },
          el(
            'span',
            { class: 'stat-value', id: 'days-since' },
            o.days_since_touch === null ? '—' : ago(o.days_since_touch),
          ),
          el('span', { class: 'stat-label' }, 'Last touch'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, `${c.cadence} d`),
          el('span', { class: 'stat-label' }, c.cadence_days ? 'Own rhythm' : 'Stage rhythm'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, `${o.gave} / ${o.asked}`),
          el('span', { class: 'stat-label' }, 'Gave / asked'),
        ),
      ),
      el(
        'div',
        { class: 'field', style: null },
        el('label', { for: 'stage-select' }, 'Stage'),
        stage,
      ),
      el(
        'ul',
        { class: 'mini-list', id: 'stage-history', 'aria-label': 'Stage history' },
        o.stage_history.slice().reverse().map((s) =>
          el(
            'li',
            {},
            el('span', { class: `stage stage-${s.stage}` }, stageLabel(s.stage)),
            el('span', { class: 'grow muted' }, s.note),
            el('span', { class: 'muted nowrap' }, localDate(s.at)),
          )
        ),
      ),
      el(
        'div',
        { class: 'pillars' },
        PILLARS.map(([key, label]) =>
          el(
            'div',
            { class: 'pillar' },
            el('span', { id: `pillar-${key}` }, label),
            pillarDots(c, key, label),
          )
        ),
        c.vulnerable
          ? el(
            'p',
            { class: 'warning' },
            'Resting on compatibility alone: bring knowledge, earn trust.',
          )
          : null,
      ),
    ),
  );
}

/**
 * A one-line form of `fields` and an Add button that runs `add`; what it throws is shown in the
 * error line returned beside the form.
 */
function addForm(className, fields, add) {
  const error = el('p', { class: 'field-error' });
  const form = el(
    'form',
    { class: className, novalidate: true },
    fields,
    el('button', { type: 'submit', class: 'button' }, 'Add'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await add();
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return [form, error];
}

function followUpsCard(o) {
  const what = el('input', {
    id: 'new-follow-what',
    placeholder: 'Promise or next step',
    'aria-label': 'New follow-up',
  });
  const when = el('input', {
    id: 'new-follow-when',
    placeholder: 'in 2 weeks',
    'aria-label': 'Due',
  });
  const [add, error] = addForm('add-follow-up', [what, when], async () => {
    const due = await api.parseDue(when.value);
    await api.addFollowUp({ client_id: o.client.id, what: what.value, due_at: due });
    toast('Follow-up added');
  });
  return card(
    { id: 'follow-ups' },
    'Open follow-ups',
    count(o.open_follow_ups.length),
    el(
      'ul',
      { class: 'mini-list rows', id: 'client-follow-ups', 'aria-label': 'Open follow-ups' },
      o.open_follow_ups.map(followUpRow),
    ),
    add,
    error,
  );
}

/**
 * The keys of a focused row of the side cards: `acts` maps a shortcut's id (of the `row` and
 * `entry` scopes) to what it does; Up and Down move to the next row.
 */
function rowKeys(acts) {
  return (event) => {
    if (event.target !== event.currentTarget) return;
    const act = acts[shortcutFor(event, 'row') ?? shortcutFor(event, 'entry')];
    if (act) {
      event.preventDefault();
      act();
    } else if (stepFocus(event, '[data-key]')) event.preventDefault();
  };
}

/**
 * An open follow-up: snoozed, done, edited or deleted from the row, by its buttons or, with the
 * focus on it, by S, D, E and Delete.
 */
function followUpRow(f) {
  const snooze = snoozeButton((until) => api.snoozeFollowUp(f.id, until));
  const complete = async () => {
    await api.completeFollowUp(f.id);
    toast('Follow-up done', { undo: () => api.restoreFollowUp(f) });
  };
  const remove = async () => {
    const deleted = await api.deleteFollowUp(f.id);
    toast('Follow-up deleted', { undo: () => api.restore(deleted) });
  };
  const edit = () => editFollowUp(f);
  const late = new Date(f.due_at) < new Date();
  return el(
    'li',
    {
      tabindex: '0',
      dataset: { key: `open-follow-up-${f.id}` },
      onkeydown: rowKeys({
        'row-snooze': snooze.open,
        'row-done': complete,
        edit,
        delete: remove,
      }),
    },
    el(
      'span',
      { class: 'grow' },
      f.what,
      el('br'),
      el(
        'span',
        { class: `muted ${late ? 'overdue-text' : ''}` },
        `due ${localDateTime(f.due_at)}`,
      ),
      rowLinks(edit, remove, `the follow-up “${f.what}”`),
    ),
    snooze,
    button('Done', complete, 'small', { 'data-action': 'done' }),
  );
}

/** A side row's quiet Edit and Delete, after its words; `what` names the row for their labels. */
const rowLinks = (edit, remove, what) =>
  el(
    'span',
    { class: 'row-links' },
    el('button', {
      type: 'button',
      class: 'link-button',
      'data-action': 'edit',
      'aria-label': `Edit ${what}`,
      onclick: edit,
    }, 'Edit'),
    el('button', {
      type: 'button',
      class: 'link-button',
      'data-action': 'delete',
      'aria-label': `Delete ${what}`,
      onclick: remove,
    }, 'Delete'),
  );

/** Asks for an introduction's date (typed as a phrase) and note, and saves them. */
async function editIntroduction(i) {
  const when = momentField({
    id: 'edit-intro-when',
    label: 'When',
    parse: api.parseWhen,
    unchanged: i.at,
    placeholder: localDate(i.at),
  });
  const note = textField('Note', { id: 'edit-intro-note', value: i.note });
  const save = async () =>
    api.updateIntroduction(
      i.id,
      await when.read(),
      document.getElementById('edit-intro-note').value,
    );
  if (await formDialog('Change the introduction', [when.node, note], 'Save', save)) {
    toast('Introduction saved');
  }
}

/**
 * One introduction in a client's list: who, when and its note; edited, or deleted with an Undo,
 * by its buttons or, with the focus on it, by E and Delete.
 */
function introduction(words, who, i) {
  const edit = () => editIntroduction(i);
  const remove = async () => {
    const deleted = await api.deleteIntroduction(i.id);
    toast('Introduction deleted', { undo: () => api.restore(deleted) });
  };
  return el(
    'li',
    {
      tabindex: '0',
      dataset: { key: `introduction-${i.id}` },
      onkeydown: rowKeys({ edit, delete: remove }),
    },
    el(
      'span',
      { class: 'grow' },
      words,
      who,
      el('br'),
      el('span', { class: 'muted' }, [localDate(i.at), i.note].filter(Boolean).join(' · ')),
      rowLinks(edit, remove, `the introduction of ${localDate(i.at)}`),
    ),
  );
}

function introductionsCard(o) {
  const { made, received } = o.introductions;
  const link = (id, name) => el('a', { href: `#/client/${id}` }, name);
  // Who: a name typed and matched against the journal, offered in a native list.
  const matches = el('datalist', { id: 'intro-matches' });
  let found = [];
  const who = el('input', {
    id: 'intro-who',
    list: 'intro-matches',
    placeholder: 'Client name',
    'aria-label': 'Other client',
    autocomplete: 'off',
    oninput: debounce(async (event) => {
      found = (await api.search(event.target.value, 8)).clients.filter((c) =>
        c.client_id !== o.client.id
      );
      fill(matches, found.map((c) => el('option', { value: c.name }, c.organisation)));
    }, 100),
  });
  const direction = el(
    'select',
    { id: 'intro-direction', 'aria-label': 'Direction' },
    el('option', { value: 'made' }, 'Introduced you to'),
    el('option', { value: 'received' }, 'Was introduced by'),
  );
  const [form, error] = addForm('add-introduction', [direction, who], async () => {
    const other = found.find((c) => c.name === who.value.trim());
    if (!other) throw new Error('Pick a client from the journal.');
    if (direction.value === 'made') await api.addIntroduction(o.client.id, other.client_id);
    else await api.addIntroduction(other.client_id, o.client.id);
    toast('Introduction recorded');
  });
  return card(
    { id: 'introductions' },
    'Introductions',
    el('span', { class: 'muted' }, `${made.length} made · ${received.length} received`),
    made.length || received.length
      ? el(
        'ul',
        { class: 'mini-list rows', id: 'client-introductions', 'aria-label': 'Introductions' },
        received.map((i) =>
          introduction('Introduced by ', link(i.introducer_id, i.introducer_name), i)
        ),
        made.map((i) =>
          introduction('Introduced you to ', link(i.introduced_id, i.introduced_name), i)
        ),
      )
      : muted('No introductions yet. Referrals are the surest sign of trust.'),
    form,
    matches,
    error,
  );
}

// The merges made while Rapport runs, by the client kept: each can be undone until it closes.
const merges = new Map();

/** Asks which client to merge into `c`, and merges them, with an Undo. */
async function mergeInto(c) {
  const matches = el('datalist', { id: 'merge-matches' });
  let found = [];
  const who = el('input', {
    id: 'merge-who',
    list: 'merge-matches',
    autocomplete: 'off',
    placeholder: 'Their name',
    oninput: debounce(async (event) => {
      found = (await api.search(event.target.value, 8)).clients.filter((x) => x.client_id !== c.id);
      fill(matches, found.map((x) => el('option', { value: x.name }, x.organisation)));
    }, 100),
  });
  const fields = [
    el(
      'p',
      { class: 'muted' },
      `Their touches, notes, follow-ups, stage moves and introductions become ${c.name}'s; what ${c.name} lacks is filled from theirs, and what differs is kept as facts. You can undo it until Rapport closes.`,
    ),
    el('div', { class: 'field' }, el('label', { for: 'merge-who' }, 'Merge in'), who, matches),
  ];
  const save = async () => {
    const other = found.find((x) => x.name === who.value.trim());
    if (!other) throw new Error('Choose a client of the journal from the list.');
    const merged = await api.mergeClients(c.id, other.client_id);
    merges.set(c.id, [...(merges.get(c.id) ?? []), merged]);
    const moved = merged.entries + merged.follow_ups + merged.stage_changes + merged.introductions;
    toast(`Merged ${merged.merged_name} into ${c.name}: ${moved} entries moved`, {
      undo: () => unmerge(c.id, merged),
    });
  };
  await formDialog(`Merge a client into ${c.name}`, fields, 'Merge', save);
}

/** Undoes `merged`, one of the merges into client `id`. */
async function unmerge(id, merged) {
  await api.unmergeClients(merged);
  merges.set(id, (merges.get(id) ?? []).filter((m) => m !== merged));
  toast(`${merged.merged_name} is a client of their own again`);
}

/** What a merge moved, in words: "1 touch or note, 2 stage moves". */
function movedWords(m) {
  const parts = [
    m.entries ? plural(m.entries, 'touch or note', 'touches and notes') : null,
    m.follow_ups ? plural(m.follow_ups, 'follow-up') : null,
    m.stage_changes ? plural(m.stage_changes, 'stage move') : null,
    m.introductions ? plural(m.introductions, 'introduction') : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')} moved` : 'their profile only';
}

/** The merges into `c` made since Rapport started, each with its Undo. */
function mergesCard(c) {
  const made = merges.get(c.id) ?? [];
  if (!made.length) return null;
  return card(
    { id: 'merges' },
    'Merged today',
    null,
    el(
      'ul',
      { class: 'mini-list' },
      made.map((m) =>
        el(
          'li',
          {},
          el(
            'span',
            { class: 'grow' },
            `${m.merged_name}, merged in: ${movedWords(m)}`,
          ),
          button('Undo', () => unmerge(c.id, m), 'small', { 'data-action': 'unmerge' }),
        )
      ),
    ),
  );
}

export async function render(view, { id, params, redraw, signal }) {
  const o = await api.clientOverview(Number(id));
  const c = o.client;
  const client = { id: c.id, name: c.name };
  let editing = false;
  const side = el('div', { class: 'client-side' });
  const drawSide = () =>
    fill(
      side,
      editing
        ? profileForm(c, () => {
          editing = false;
          drawSide();
          side.querySelector('#edit-profile').focus();
        })
        : profileView(c, () => {
          editing = true;
          drawSide();
          side.querySelector('#edit-name').focus();
        }),
      relationshipCard(o),
      followUpsCard(o),
      introductionsCard(o),
    );
  drawSide();
  const timeline = timelineCard({ view, client, highlighted: params.get('entry'), redraw, signal });
  show(
    view,
    el(
      'div',
      { class: 'page', id: 'client-page', dataset: { clientId: c.id } },
      pageHead(o),
      mergesCard(c),
      el('div', { class: 'client-layout' }, side, timeline.card),
    ),
  );
  refocusPillar(side);
  await timeline.start();
}

/** The client's name, stage and marks, and what can be done with them. */
function pageHead(o) {
  const c = o.client;
  const client = { id: c.id, name: c.name };
  return el(
    'header',
    { class: 'page-head' },
    el(
      'div',
      {},
      el(
        'h1',
        { id: 'client-name' },
        c.name,
        ' ',
        el('span', { class: `stage stage-${c.stage}` }, stageLabel(c.stage)),
        c.sample ? [' ', el('span', { class: 'badge sample' }, 'Sample')] : null,
        c.archived_at ? [' ', el('span', { class: 'badge archived' }, 'Archived')] : null,
      ),
      el(
        'p',
        { class: 'page-sub', id: 'client-org' },
        [c.role, c.organisation].filter(Boolean).join(', ') || 'No organisation',
      ),
    ),
    el(
      'div',
      { class: 'actions' },
      button('Log touch', () => openLog({ client }), 'primary', { id: 'client-log' }),
      button('Add note', () => openLog({ client, kind: 'note' }), '', { id: 'client-note' }),
      // Archive and Unarchive are one control that changes its words: the focus stays on it.
      c.archived_at
        ? button('Unarchive', () => api.unarchiveClient(c.id), '', { id: 'client-archive' })
        : el('button', {
          type: 'button',
          class: 'button',
          id: 'client-archive',
          onclick: async () => {
            await api.archiveClient(c.id);
            toast(`${c.name} archived: kept, and never reminding`, {
              undo: () => api.unarchiveClient(c.id),
            });
          },
        }, 'Archive'),
      button('Merge…', () => mergeInto(c), '', { id: 'client-merge' }),
      askingButton(
        { class: 'button danger', id: 'client-delete' },
        'Delete',
        `Delete ${c.name} and their whole history (${o.touches} touches, ${o.notes} notes)? This cannot be undone.`,
        'Delete',
        async () => {
          await api.deleteClient(c.id);
          toast(`${c.name} deleted`);
          location.hash = '#/clients';
        },
        { danger: true },
      ),
    ),
  );
}
