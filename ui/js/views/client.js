// A client's page: who they are (editable in place), where the relationship stands, what is
// promised, who introduced whom, and the whole timeline with endless scrolling and search.

import * as api from '../api.js';
import { confirmDialog } from '../confirm.js';
import { debounce, el, fill, show, snippet, toast, typing } from '../dom.js';
import { ago, ahead, days, kindLabel, localDate, localDateTime, STAGES, stageLabel } from '../format.js';
import { openLog } from '../log-touch.js';
import { snoozeButton } from '../snooze.js';

const PILLARS = [['compatibility', 'Compatibility'], ['knowledge', 'Knowledge'], ['trust', 'Trust']];
// The current page's scroll and key handlers, removed when the page is drawn again.
let onScroll = null;
let onKey = null;

const ICONS = { call: 'C', meeting: 'M', email: '@', message: '✉', event: 'E', value_add: '+', introduction: '↔' };

function entryNode(entry) {
  const at = entry.type === 'follow_up' ? entry.created_at : entry.at;
  let icon, title, meta, body = '';
  if (entry.type === 'touch') {
    icon = ICONS[entry.kind] ?? '•';
    title = entry.summary || kindLabel(entry.kind);
    meta = [kindLabel(entry.kind), entry.gave_value ? 'gave value' : null, entry.asked ? 'asked' : null].filter(Boolean).join(' · ');
    body = entry.body;
  } else if (entry.type === 'note') {
    icon = '✎';
    title = entry.summary || 'Note';
    meta = 'Note';
    body = entry.body;
  } else if (entry.type === 'follow_up') {
    icon = '⚑';
    title = entry.what;
    meta = entry.done_at ? `Follow-up, done ${localDate(entry.done_at)}` : `Follow-up, due ${localDateTime(entry.due_at)}`;
  } else {
    icon = '★';
    title = `Stage: ${stageLabel(entry.stage)}`;
    meta = 'Stage change';
    body = entry.note;
  }
  const id = entry.type === 'touch' || entry.type === 'note' ? entry.id : null;
  return el('li', { class: 'entry', dataset: { type: entry.type, entryId: id ?? '' } },
    el('span', { class: `entry-icon ${entry.type}`, 'aria-hidden': 'true' }, icon),
    el('div', {},
      el('div', { class: 'entry-head' }, el('span', { class: 'entry-title' }, title),
        el('span', { class: 'entry-meta' }, entry.type === 'follow_up' ? `${meta} · promised ${localDate(at)}` : `${meta} · ${localDateTime(at)}`)),
      body ? el('p', { class: 'entry-body' }, body) : null));
}

function profileView(c, edit) {
  const facts = c.facts.length
    ? el('dl', { class: 'facts' }, c.facts.map((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]))
    : null;
  return el('section', { class: 'card', id: 'profile' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Profile'),
      el('button', { type: 'button', class: 'button small', id: 'edit-profile', onclick: edit }, 'Edit')),
    el('div', { class: 'edit-grid' },
      el('dl', { class: 'facts' },
        c.email ? [el('dt', {}, 'Email'), el('dd', {}, c.email)] : null,
        c.phone ? [el('dt', {}, 'Phone'), el('dd', {}, c.phone)] : null),
      c.profile ? el('p', { class: 'profile-text', id: 'profile-text' }, c.profile) : el('p', { class: 'muted' }, 'Nothing written yet: what do they care about?'),
      facts,
      c.tags.length ? el('div', { class: 'tags' }, c.tags.map((t) => el('span', { class: 'tag' }, `#${t}`))) : null));
}

function profileForm(c, done) {
  const field = (id, label, input) => el('div', { class: 'field' }, el('label', { for: id }, label), input, el('p', { class: 'field-error', dataset: { errorFor: id.replace('edit-', '') } }));
  const input = (id, value, attrs = {}) => el('input', { id, value: value ?? '', ...attrs });
  const factsText = c.facts.map((f) => `${f.label}: ${f.value}`).join('\n');
  const pillar = (key) => el('select', { id: `edit-${key}` },
    el('option', { value: '' }, 'Not rated'),
    [1, 2, 3, 4, 5].map((n) => el('option', { value: n, selected: c.pillars[key] === n }, `${n} of 5`)));
  const form = el('form', { class: 'edit-grid', novalidate: true },
    field('edit-name', 'Name', input('edit-name', c.name)),
    el('div', { class: 'field-row' },
      field('edit-organisation', 'Organisation', input('edit-organisation', c.organisation)),
      field('edit-role', 'Role', input('edit-role', c.role))),
    el('div', { class: 'field-row' },
      field('edit-email', 'Email', input('edit-email', c.email, { type: 'email' })),
      field('edit-phone', 'Phone', input('edit-phone', c.phone))),
    field('edit-profile-text', 'What they care about', el('textarea', { id: 'edit-profile-text', rows: 4, value: c.profile })),
    field('edit-facts', 'Facts, one per line as “label: value”', el('textarea', { id: 'edit-facts', rows: 3, value: factsText, placeholder: 'family: two daughters' })),
    field('edit-tags', 'Tags, separated by commas', input('edit-tags', c.tags.join(', '))),
    el('div', { class: 'field-row' },
      field('edit-cadence_days', 'Cadence (days)', input('edit-cadence_days', c.cadence_days ?? '', { type: 'number', min: 1, max: 3650, placeholder: `stage default` })),
      PILLARS.map(([key, label]) => field(`edit-${key}`, label, pillar(key)))),
    el('p', { class: 'form-error', role: 'alert' }),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'button primary', id: 'save-profile' }, 'Save'),
      el('button', { type: 'button', class: 'button', onclick: () => done(false) }, 'Cancel')));
  const value = (id) => form.querySelector(`#${id}`).value;
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); done(false); }
    if (event.key === 'Enter' && event.ctrlKey) { event.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const node of form.querySelectorAll('.field-error, .form-error')) node.textContent = '';
    const facts = value('edit-facts').split('\n').filter((l) => l.trim()).map((line) => {
      const at = line.indexOf(':');
      return at < 0 ? { label: line.trim(), value: '' } : { label: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
    });
    const rating = (key) => (value(`edit-${key}`) ? Number(value(`edit-${key}`)) : null);
    const cadence = value('edit-cadence_days').trim();
    try {
      await api.updateClient(c.id, {
        name: value('edit-name'), organisation: value('edit-organisation'), role: value('edit-role'),
        email: value('edit-email'), phone: value('edit-phone'), profile: value('edit-profile-text'),
        facts, tags: value('edit-tags').split(',').map((t) => t.trim()).filter(Boolean),
        cadence_days: cadence ? Number(cadence) : null,
        pillars: { compatibility: rating('compatibility'), knowledge: rating('knowledge'), trust: rating('trust') },
      });
      toast('Profile saved');
    } catch (e) {
      const key = { profile: 'profile-text', 'facts.label': 'facts', 'facts.value': 'facts' }[e.field] ?? e.field;
      const slot = key && form.querySelector(`[data-error-for="${key}"]`);
      (slot ?? form.querySelector('.form-error')).textContent = e.message;
      form.querySelector(`#edit-${key}`)?.focus();
    }
  });
  return el('section', { class: 'card', id: 'profile' }, el('header', { class: 'card-head' }, el('h2', {}, 'Edit profile')), form);
}

function relationshipCard(o) {
  const c = o.client;
  const due = o.overdue
    ? el('span', { class: 'badge overdue' }, o.days_overdue > 0 ? `${days(o.days_overdue)} overdue` : 'due today')
    : el('span', { class: 'badge ok' }, `next touch ${ahead(-o.days_overdue)}`);
  const stage = el('select', { id: 'stage-select', 'aria-label': 'Stage', onchange: async (e) => { await api.setStage(c.id, e.target.value); toast(`Moved to ${stageLabel(e.target.value)}`); } },
    STAGES.map(([v, t]) => el('option', { value: v, selected: v === c.stage }, t)));
  return el('section', { class: 'card', id: 'relationship' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Relationship'), due),
    el('div', { class: 'card-body' },
    el('div', { class: 'stats' },
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', id: 'days-since' }, o.days_since_touch === null ? '—' : ago(o.days_since_touch)), el('span', { class: 'stat-label' }, 'Last touch')),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value' }, `${c.cadence} d`), el('span', { class: 'stat-label' }, c.cadence_days ? 'Own rhythm' : 'Stage rhythm')),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value' }, `${o.gave} / ${o.asked}`), el('span', { class: 'stat-label' }, 'Gave / asked'))),
    el('div', { class: 'field', style: null }, el('label', { for: 'stage-select' }, 'Stage'), stage),
    el('ul', { class: 'mini-list', id: 'stage-history', 'aria-label': 'Stage history' },
      o.stage_history.slice().reverse().map((s) => el('li', {}, el('span', { class: `stage stage-${s.stage}` }, stageLabel(s.stage)), el('span', { class: 'grow muted' }, s.note), el('span', { class: 'muted nowrap' }, localDate(s.at))))),
    el('div', { class: 'pillars' },
      PILLARS.map(([key, label]) => el('div', { class: 'pillar' }, el('span', {}, label),
        el('span', { class: 'muted' }, c.pillars[key] ? `${'●'.repeat(c.pillars[key])}${'○'.repeat(5 - c.pillars[key])}` : 'not rated'))),
      c.vulnerable ? el('p', { class: 'warning' }, 'Resting on compatibility alone: bring knowledge, earn trust.') : null)));
}

function followUpsCard(o) {
  const what = el('input', { id: 'new-follow-what', placeholder: 'Promise or next step', 'aria-label': 'New follow-up' });
  const when = el('input', { id: 'new-follow-when', placeholder: 'in 2 weeks', 'aria-label': 'Due' });
  const error = el('p', { class: 'field-error' });
  const add = el('form', { class: 'add-follow-up', novalidate: true }, what, when, el('button', { type: 'submit', class: 'button' }, 'Add'));
  add.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const due = await api.parseDue(when.value);
      await api.addFollowUp({ client_id: o.client.id, what: what.value, due_at: due });
      toast('Follow-up added');
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return el('section', { class: 'card', id: 'follow-ups' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Open follow-ups'), el('span', { class: 'muted' }, String(o.open_follow_ups.length))),
    el('ul', { class: 'mini-list' }, o.open_follow_ups.map((f) => el('li', {},
      el('span', { class: 'grow' }, f.what, el('br'), el('span', { class: `muted ${new Date(f.due_at) < new Date() ? 'overdue-text' : ''}` }, `due ${localDateTime(f.due_at)}`)),
      snoozeButton((until) => api.snoozeFollowUp(f.id, until)),
      el('button', { type: 'button', class: 'button small', onclick: () => api.completeFollowUp(f.id) }, 'Done')))),
    add, error);
}

function introductionsCard(o) {
  const { made, received } = o.introductions;
  const link = (id, name) => el('a', { href: `#/client/${id}` }, name);
  // Who: a name typed and matched against the journal, offered in a native list.
  const matches = el('datalist', { id: 'intro-matches' });
  let found = [];
  const who = el('input', {
    id: 'intro-who', list: 'intro-matches', placeholder: 'Client name', 'aria-label': 'Other client', autocomplete: 'off',
    oninput: debounce(async (event) => {
      found = (await api.search(event.target.value, 8)).clients.filter((c) => c.client_id !== o.client.id);
      fill(matches, found.map((c) => el('option', { value: c.name }, c.organisation)));
    }, 100),
  });
  const direction = el('select', { id: 'intro-direction', 'aria-label': 'Direction' },
    el('option', { value: 'made' }, 'Introduced you to'),
    el('option', { value: 'received' }, 'Was introduced by'));
  const error = el('p', { class: 'field-error' });
  const form = el('form', { class: 'add-introduction', novalidate: true }, direction, who, el('button', { type: 'submit', class: 'button' }, 'Add'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const other = found.find((c) => c.name === who.value.trim());
    if (!other) { error.textContent = 'Pick a client from the journal.'; return; }
    try {
      if (direction.value === 'made') await api.addIntroduction(o.client.id, other.client_id);
      else await api.addIntroduction(other.client_id, o.client.id);
      toast('Introduction recorded');
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return el('section', { class: 'card', id: 'introductions' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Introductions'), el('span', { class: 'muted' }, `${made.length} made · ${received.length} received`)),
    made.length || received.length
      ? el('ul', { class: 'mini-list' },
        received.map((i) => el('li', {}, el('span', { class: 'grow' }, 'Introduced by ', link(i.introducer_id, i.introducer_name)), el('span', { class: 'muted' }, localDate(i.at)))),
        made.map((i) => el('li', {}, el('span', { class: 'grow' }, 'Introduced you to ', link(i.introduced_id, i.introduced_name)), el('span', { class: 'muted' }, localDate(i.at)))))
      : el('p', { class: 'muted' }, 'No introductions yet. Referrals are the surest sign of trust.'),
    form, matches, error);
}

export async function render(view, { id, params, redraw }) {
  const o = await api.clientOverview(Number(id));
  const c = o.client;
  const client = { id: c.id, name: c.name };
  let editing = false;
  const side = el('div', { class: 'client-side' });
  const drawSide = () => fill(side,
    editing ? profileForm(c, () => { editing = false; drawSide(); }) : profileView(c, () => { editing = true; drawSide(); side.querySelector('#edit-name').focus(); }),
    relationshipCard(o), followUpsCard(o), introductionsCard(o));
  drawSide();

  // The timeline: a page at a time as the end scrolls into view. Every page loaded is kept as
  // data, but only the pages within a screen and a half of the view are kept as elements: the
  // others stand in as one empty item of the height they had, so the list scrolls as one long
  // list while the web process holds a few hundred entries, not the thousands scrolled through.
  const list = el('ol', { class: 'timeline', id: 'timeline', dataset: { loaded: 0 } });
  const end = el('p', { class: 'timeline-end' });
  // Each page: its entries, its position in the whole list, and either its elements or its gap.
  const pages = [];
  let loaded = 0;
  let total = 0;
  let cursor = null;
  let more = true;
  let loading = false;
  // The entry a search result opened the page at: marked whenever its page is drawn.
  const highlighted = params.get('entry');
  const isEntry = (entry, id) => (entry.type === 'touch' || entry.type === 'note') && String(entry.id) === id;
  const entryAt = (entry, position) => {
    const node = entryNode(entry);
    // The list holds only part of the timeline: where each entry stands in the whole is told.
    node.setAttribute('aria-posinset', position + 1);
    node.setAttribute('aria-setsize', total);
    if (highlighted !== null && isEntry(entry, highlighted)) node.classList.add('highlight');
    return node;
  };
  const draw = (page) => page.entries.map((entry, i) => entryAt(entry, page.first + i));
  const bounds = (page) => (page.gap
    ? page.gap.getBoundingClientRect()
    : { top: page.nodes[0].getBoundingClientRect().top, bottom: page.nodes.at(-1).getBoundingClientRect().bottom });
  const hide = (page, height) => {
    page.gap = el('li', { class: 'timeline-gap', 'aria-hidden': 'true' });
    page.gap.style.height = `${height}px`;
    page.nodes[0].before(page.gap);
    for (const node of page.nodes) node.remove();
    page.nodes = null;
  };
  const showPage = (page) => {
    page.nodes = draw(page);
    page.gap.replaceWith(...page.nodes);
    page.gap = null;
  };
  // Draws the pages near the view and lets the others go. The first page reaching the view's
  // top is held where it is: a page drawn again at another width than it was measured at (the
  // window resized meanwhile) would otherwise move what is being read.
  const keepNear = () => {
    if (list.hidden || !list.isConnected || !pages.length) return;
    const box = view.getBoundingClientRect();
    if (!box.height) return;
    const margin = 1.5 * box.height;
    const rects = pages.map(bounds);
    const anchor = rects.findIndex((r) => r.bottom > box.top);
    const anchorTop = () => (anchor < 0 ? end.getBoundingClientRect().top : bounds(pages[anchor]).top);
    const before = anchorTop();
    let changed = false;
    pages.forEach((page, i) => {
      const near = rects[i].bottom > box.top - margin && rects[i].top < box.bottom + margin;
      if (near && page.gap) { showPage(page); changed = true; }
      if (!near && page.nodes) { hide(page, rects[i].bottom - rects[i].top); changed = true; }
    });
    if (!changed) return;
    const moved = anchorTop() - before;
    if (moved) view.scrollTop += moved;
  };
  // Whether the end of the list is within a screen of coming into view (never while the list is
  // hidden behind a search, when every box measures nothing).
  const nearEnd = () => end.isConnected && !end.hidden && end.getBoundingClientRect().top < view.getBoundingClientRect().bottom + 400;
  const loadMore = async () => {
    if (!more || loading) return;
    loading = true;
    try {
      const page = await api.timeline(c.id, cursor, 50);
      total = page.total;
      if (page.entries.length) {
        const next = { entries: page.entries, first: loaded, nodes: null, gap: null };
        next.nodes = draw(next);
        list.append(...next.nodes);
        pages.push(next);
        loaded += page.entries.length;
        list.dataset.loaded = loaded;
      }
      cursor = page.next;
      more = page.next !== null;
      end.textContent = more ? 'Loading…' : `${page.total} ${page.total === 1 ? 'entry' : 'entries'} in all`;
    } finally {
      loading = false;
    }
    keepNear();
    // If the end is still in view after a page (a fast scroll, a tall window), fetch the next.
    if (more && nearEnd()) await loadMore();
  };
  // The next page loads when the end of the list nears the bottom of the view. A scroll handler
  // rather than an IntersectionObserver: under WebKitGTK the observer was seen to stop reporting
  // after a page or two.
  // A window made taller shows more of the list without a scroll: the same check answers both.
  if (onScroll) {
    view.removeEventListener('scroll', onScroll);
    window.removeEventListener('resize', onScroll);
  }
  onScroll = () => {
    keepNear();
    if (more && !loading && nearEnd()) loadMore();
  };
  view.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('resize', onScroll, { passive: true });
  // Home and End jump at once. WebKit animates them, and keepNear's setting of scrollTop (to hold
  // the view still while a page is drawn at a new width) cancels the animation part way: Home
  // would stop somewhere in the middle of the timeline.
  if (onKey) document.removeEventListener('keydown', onKey);
  onKey = (event) => {
    if (event.key !== 'Home' && event.key !== 'End') return;
    if (event.altKey || event.metaKey || event.shiftKey || !list.isConnected || list.hidden) return;
    if (event.defaultPrevented || typing(event.target)) return;
    event.preventDefault();
    view.scrollTop = event.key === 'Home' ? 0 : view.scrollHeight;
    onScroll();
  };
  document.addEventListener('keydown', onKey);
  const found = el('ul', { class: 'results', hidden: true });
  const within = el('input', {
    type: 'search', id: 'timeline-search', placeholder: `Search ${c.name}'s history`, 'aria-label': 'Search this client',
    oninput: debounce(async (event) => {
      const q = event.target.value.trim();
      list.hidden = !!q;
      end.hidden = !!q;
      found.hidden = !q;
      // While hidden nothing was drawn or let go: what the view now shows is drawn.
      if (!q) { keepNear(); return; }
      const hits = await api.searchClient(c.id, q);
      fill(found, hits.length
        ? hits.map((h) => el('li', { class: 'result', dataset: { entryId: h.entry_id } },
          el('div', { class: 'result-head' }, el('span', { class: 'result-title' }, h.summary || kindLabel(h.kind)), el('span', { class: 'muted' }, `${kindLabel(h.kind)} · ${localDate(h.at)}`)),
          snippet(h.snippet)))
        : el('p', { class: 'empty' }, 'Nothing in this history matches.'));
    }, 120),
  });

  show(view, el('div', { class: 'page', id: 'client-page', dataset: { clientId: c.id } },
    el('header', { class: 'page-head' },
      el('div', {},
        el('h1', { id: 'client-name' }, c.name, ' ', el('span', { class: `stage stage-${c.stage}` }, stageLabel(c.stage)),
          c.sample ? [' ', el('span', { class: 'badge sample' }, 'Sample')] : null,
          c.archived_at ? [' ', el('span', { class: 'badge archived' }, 'Archived')] : null),
        el('p', { class: 'page-sub', id: 'client-org' }, [c.role, c.organisation].filter(Boolean).join(', ') || 'No organisation')),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'button primary', id: 'client-log', onclick: () => openLog({ client }) }, 'Log touch'),
        el('button', { type: 'button', class: 'button', id: 'client-note', onclick: () => openLog({ client, kind: 'note' }) }, 'Add note'),
        c.archived_at
          ? el('button', { type: 'button', class: 'button', onclick: () => api.unarchiveClient(c.id) }, 'Unarchive')
          : el('button', { type: 'button', class: 'button', id: 'client-archive', onclick: async () => { await api.archiveClient(c.id); toast(`${c.name} archived: kept, and never reminding`); } }, 'Archive'),
        el('button', {
          type: 'button', class: 'button danger', id: 'client-delete',
          onclick: async () => {
            if (await confirmDialog(`Delete ${c.name} and their whole history (${o.touches} touches, ${o.notes} notes)? This cannot be undone.`, 'Delete', { danger: true })) {
              await api.deleteClient(c.id);
              toast(`${c.name} deleted`);
              location.hash = '#/clients';
            }
          },
        }, 'Delete'))),
    el('div', { class: 'client-layout' },
      side,
      el('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
        el('header', { class: 'card-head' }, el('h2', { id: 'timeline-title' }, 'Timeline')),
        within, found, list, end))));
  await loadMore();

  // Opened from a search result: page on until the entry is loaded, then draw its page and point
  // at it. Drawn anew after a change, the page is loaded as far, but the reader's own place is
  // kept (by the router).
  if (highlighted !== null) {
    const holding = () => pages.find((page) => page.entries.some((entry) => isEntry(entry, highlighted)));
    for (let n = 0; !holding() && more && n < 200; n++) await loadMore();
    const page = holding();
    if (page?.gap) showPage(page);
    const node = list.querySelector(`[data-entry-id="${highlighted}"]`);
    if (node && !redraw) node.scrollIntoView({ block: 'center' });
  }
}
