// A client's timeline: every touch, note, follow-up and stage move, newest first, loaded a page
// at a time as its end scrolls into view, with a search within the client's history.
//
// Every page loaded is kept as data, but only the pages within a screen and a half of the view
// are kept as elements: the others stand in as one empty item of the height they had, so the
// list scrolls as one long list while the web process holds a few hundred entries, not the
// thousands scrolled through.

import * as api from './api.js';
import { debounce, el, fill, snippet, toast, typing } from './dom.js';
import { kindLabel, localDate, localDateTime, stageLabel, STAGES } from './format.js';
import { shortcutFor } from './keys.js';
import { formDialog, momentField, textField } from './confirm.js';
import { openLog } from './log-touch.js';
import { button, card, stepFocus } from './parts.js';

const ICONS = {
  call: 'C',
  meeting: 'M',
  email: '@',
  message: '✉',
  event: 'E',
  value_add: '+',
  introduction: '↔',
};
/** Entries asked for at a time. */
const PAGE = 50;

function entryNode(entry, client) {
  const at = entry.type === 'follow_up' ? entry.created_at : entry.at;
  let icon, title, meta, body = '';
  if (entry.type === 'touch') {
    icon = ICONS[entry.kind] ?? '•';
    title = entry.summary || kindLabel(entry.kind);
    meta = [
      kindLabel(entry.kind),
      entry.gave_value ? 'gave value' : null,
      entry.asked ? 'asked' : null,
    ]
      .filter(Boolean).join(' · ');
    body = entry.body;
  } else if (entry.type === 'note') {
    icon = '✎';
    title = entry.summary || 'Note';
    meta = 'Note';
    body = entry.body;
  } else if (entry.type === 'follow_up') {
    icon = '⚑';
    title = entry.what;
    meta = entry.done_at
      ? `Follow-up, done ${localDate(entry.done_at)}`
      : `Follow-up, due ${localDateTime(entry.due_at)}`;
  } else {
    icon = '★';
    title = `Stage: ${stageLabel(entry.stage)}`;
    meta = 'Stage change';
    body = entry.note;
  }
  const id = entry.type === 'touch' || entry.type === 'note' ? entry.id : null;
  const actions = entryActions(entry, client);
  const when = entry.type === 'follow_up'
    ? `${meta} · promised ${localDate(at)}`
    : `${meta} · ${localDateTime(at)}`;
  return el(
    'li',
    {
      class: 'entry',
      tabindex: '0',
      dataset: { type: entry.type, entryId: id ?? '', key: `${entry.type}-${entry.id}` },
      onkeydown: (event) => {
        if (event.target !== event.currentTarget) return;
        const key = shortcutFor(event, 'entry');
        const act =
          { edit: actions.edit, delete: actions.remove, 'toggle-done': actions.toggle }[key];
        if (act) {
          event.preventDefault();
          act();
        } else if (stepFocus(event, '.entry')) event.preventDefault();
      },
    },
    el('span', { class: `entry-icon ${entry.type}`, 'aria-hidden': 'true' }, icon),
    el(
      'div',
      {},
      el(
        'div',
        { class: 'entry-head' },
        el('span', { class: 'entry-title' }, title),
        el('span', { class: 'entry-meta' }, when),
      ),
      body ? el('p', { class: 'entry-body' }, body) : null,
      el(
        'div',
        { class: 'entry-actions' },
        entry.type === 'follow_up' && entry.done_at ? reopenButton(entry) : null,
        actions.edit
          ? button('Edit', actions.edit, 'small quiet', { 'data-action': 'edit' })
          : null,
        button('Delete', actions.remove, 'small quiet', { 'data-action': 'delete' }),
      ),
    ),
  );
}

// After an entry is edited or deleted the timeline is drawn anew: the focus goes back to the
// entry edited, or to the one that took the deleted one's place.
let resume = null;

/** Remembers where the focus goes once `entry`'s timeline is drawn again. */
function resumeAt(entry) {
  const node = document.querySelector(`#timeline [data-key="${entry.type}-${entry.id}"]`);
  const nodes = [...document.querySelectorAll('#timeline .entry')];
  resume = { key: `${entry.type}-${entry.id}`, index: Math.max(0, nodes.indexOf(node)) };
}

/** What can be done with `entry`: edit it, and delete it with Undo. */
function entryActions(entry, client) {
  const remove = async () => {
    resumeAt(entry);
    const deleted = await {
      touch: api.deleteTouch,
      note: api.deleteNote,
      follow_up: api.deleteFollowUp,
      stage_change: api.deleteStageChange,
    }[entry.type](entry.id);
    const what = {
      touch: 'Touch',
      note: 'Note',
      follow_up: 'Follow-up',
      stage_change: 'Stage move',
    };
    toast(`${what[entry.type]} deleted`, { undo: () => api.restore(deleted) });
  };
  let edit = null;
  if (entry.type === 'touch' || entry.type === 'note') {
    edit = () => {
      resumeAt(entry);
      openLog({ client, edit: entry });
    };
  } else if (entry.type === 'follow_up') {
    edit = () => {
      resumeAt(entry);
      editFollowUp(entry);
    };
  } else if (entry.type === 'stage_change') {
    edit = () => {
      resumeAt(entry);
      editStageMove(entry);
    };
  }
  // D on a follow-up marks it done, or opens a done one again.
  const toggle = entry.type === 'follow_up'
    ? async () => {
      resumeAt(entry);
      await api.completeFollowUp(entry.id, !entry.done_at);
      toast(entry.done_at ? 'Follow-up open again' : 'Follow-up done', {
        undo: () => api.restoreFollowUp(entry),
      });
    }
    : null;
  return { edit, remove, toggle };
}

/** Asks for a follow-up's new promise and due date (typed as a phrase), and saves them. */
export async function editFollowUp(f) {
  const due = momentField({
    id: 'edit-follow-when',
    label: 'Due',
    parse: api.parseDue,
    unchanged: f.due_at,
    placeholder: localDateTime(f.due_at),
  });
  const what = textField('Promise or next step', { id: 'edit-follow-what', value: f.what });
  const save = async () =>
    api.updateFollowUp(f.id, document.getElementById('edit-follow-what').value, await due.read());
  if (await formDialog('Change the follow-up', [what, due.node], 'Save', save)) {
    toast('Follow-up saved');
  }
}

/** Asks for a stage move's stage, date (typed as a phrase) and note, and saves them. */
async function editStageMove(s) {
  const stage = el(
    'select',
    { id: 'edit-stage' },
    STAGES.map(([v, t]) => el('option', { value: v, selected: v === s.stage }, t)),
  );
  const when = momentField({
    id: 'edit-stage-when',
    label: 'As of',
    parse: api.parseWhen,
    unchanged: s.at,
    placeholder: localDateTime(s.at),
  });
  const note = textField('Why', { id: 'edit-stage-note', value: s.note });
  const fields = [
    el(
      'div',
      { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'edit-stage' }, 'Stage'), stage),
      when.node,
    ),
    note,
  ];
  const save = async () =>
    api.updateStageChange(
      s.id,
      stage.value,
      await when.read(),
      document.getElementById('edit-stage-note').value,
    );
  if (await formDialog('Change the stage move', fields, 'Save', save)) toast('Stage move saved');
}

/** Puts the focus where [`resume`] says, once the timeline's first page is drawn again. */
function refocus(list) {
  if (!resume) return;
  const nodes = [...list.querySelectorAll('.entry')];
  const node = list.querySelector(`[data-key="${resume.key}"]`) ??
    nodes[Math.min(resume.index, nodes.length - 1)];
  resume = null;
  node?.focus({ preventScroll: true });
}

/** Opens a done follow-up again, with the undo that marks it done as it was. */
function reopenButton(followUp) {
  return button('Reopen', async () => {
    await api.completeFollowUp(followUp.id, false);
    toast('Follow-up open again', { undo: () => api.restoreFollowUp(followUp) });
  }, 'small entry-action');
}

const isEntry = (entry, id) =>
  (entry.type === 'touch' || entry.type === 'note') && String(entry.id) === id;

/** The timeline's list, loaded a page at a time and drawn only near the view. */
class PagedList {
  constructor(view, client, highlighted) {
    this.view = view;
    this.client = client;
    this.highlighted = highlighted;
    this.list = el('ol', { class: 'timeline', id: 'timeline', dataset: { loaded: 0 } });
    this.end = el('p', { class: 'timeline-end' });
    // Each page: its entries, its position in the whole list, and either its elements or its gap.
    this.pages = [];
    this.loaded = 0;
    this.total = 0;
    this.cursor = null;
    this.more = true;
    this.loading = false;
    this.stopped = false;
  }

  entryAt(entry, position) {
    const node = entryNode(entry, this.client);
    // The list holds only part of the timeline: where each entry stands in the whole is told.
    node.setAttribute('aria-posinset', position + 1);
    node.setAttribute('aria-setsize', this.total);
    if (this.highlighted !== null && isEntry(entry, this.highlighted)) {
      node.classList.add('highlight');
    }
    return node;
  }

  draw(page) {
    return page.entries.map((entry, i) => this.entryAt(entry, page.first + i));
  }

  static bounds(page) {
    if (page.gap) return page.gap.getBoundingClientRect();
    return {
      top: page.nodes[0].getBoundingClientRect().top,
      bottom: page.nodes.at(-1).getBoundingClientRect().bottom,
    };
  }

  static hide(page, height) {
    page.gap = el('li', { class: 'timeline-gap', 'aria-hidden': 'true' });
    page.gap.style.height = `${height}px`;
    page.nodes[0].before(page.gap);
    for (const node of page.nodes) node.remove();
    page.nodes = null;
  }

  show(page) {
    page.nodes = this.draw(page);
    page.gap.replaceWith(...page.nodes);
    page.gap = null;
  }

  // Draws the pages near the view and lets the others go. The first page reaching the view's
  // top is held where it is: a page drawn again at another width than it was measured at (the
  // window resized meanwhile) would otherwise move what is being read.
  keepNear() {
    const { list, pages, view, end } = this;
    if (list.hidden || !list.isConnected || !pages.length) return;
    const box = view.getBoundingClientRect();
    if (!box.height) return;
    const margin = 1.5 * box.height;
    const rects = pages.map(PagedList.bounds);
    const anchor = rects.findIndex((r) => r.bottom > box.top);
    const anchorTop =
      () => (anchor < 0 ? end.getBoundingClientRect().top : PagedList.bounds(pages[anchor]).top);
    const before = anchorTop();
    let changed = false;
    pages.forEach((page, i) => {
      const near = rects[i].bottom > box.top - margin && rects[i].top < box.bottom + margin;
      if (near && page.gap) {
        this.show(page);
        changed = true;
      }
      if (!near && page.nodes) {
        PagedList.hide(page, rects[i].bottom - rects[i].top);
        changed = true;
      }
    });
    if (!changed) return;
    const moved = anchorTop() - before;
    if (moved) view.scrollTop += moved;
  }

  // Whether the end of the list is within a screen of coming into view (never while the list is
  // hidden behind a search, when every box measures nothing).
  nearEnd() {
    const { end, view } = this;
    return end.isConnected && !end.hidden &&
      end.getBoundingClientRect().top < view.getBoundingClientRect().bottom + 400;
  }

  async loadMore() {
    if (!this.more || this.loading || this.stopped) return;
    this.loading = true;
    try {
      const page = await api.timeline(this.client.id, this.cursor, PAGE);
      this.total = page.total;
      if (page.entries.length) {
        const next = { entries: page.entries, first: this.loaded, nodes: null, gap: null };
        next.nodes = this.draw(next);
        this.list.append(...next.nodes);
        this.pages.push(next);
        this.loaded += page.entries.length;
        this.list.dataset.loaded = this.loaded;
      }
      this.cursor = page.next;
      this.more = page.next !== null;
      this.end.textContent = this.more
        ? 'Loading…'
        : `${page.total} ${page.total === 1 ? 'entry' : 'entries'} in all`;
    } finally {
      this.loading = false;
    }
    this.keepNear();
    // If the end is still in view after a page (a fast scroll, a tall window), fetch the next.
    if (this.more && this.nearEnd()) await this.loadMore();
  }

  // The next page loads when the end of the list nears the bottom of the view. A scroll handler
  // rather than an IntersectionObserver: under WebKitGTK the observer was seen to stop reporting
  // after a page or two. A window made taller shows more of the list without a scroll: the same
  // check answers both.
  onScroll() {
    this.keepNear();
    if (this.more && !this.loading && this.nearEnd()) this.loadMore();
  }

  /** Pages on until the highlighted entry is loaded, draws its page, and returns its element. */
  async pageToHighlighted() {
    const holding = () =>
      this.pages.find((page) => page.entries.some((e) => isEntry(e, this.highlighted)));
    for (let n = 0; !holding() && this.more && n < 200 && !this.stopped; n++) await this.loadMore();
    const page = holding();
    if (page?.gap) this.show(page);
    return this.list.querySelector(`[data-entry-id="${this.highlighted}"]`);
  }
}

/** The search box within a client's history, and its results, shown instead of the list. */
function searchWithin(timeline) {
  const { client, list, end } = timeline;
  const found = el('ul', { class: 'results', hidden: true });
  const result = (h) =>
    el(
      'li',
      { class: 'result', dataset: { entryId: h.entry_id } },
      el(
        'div',
        { class: 'result-head' },
        el('span', { class: 'result-title' }, h.summary || kindLabel(h.kind)),
        el('span', { class: 'muted' }, `${kindLabel(h.kind)} · ${localDate(h.at)}`),
      ),
      snippet(h.snippet),
    );
  const input = el('input', {
    type: 'search',
    id: 'timeline-search',
    placeholder: `Search ${client.name}'s history`,
    'aria-label': 'Search this client',
    oninput: debounce(async (event) => {
      const q = event.target.value.trim();
      list.hidden = !!q;
      end.hidden = !!q;
      found.hidden = !q;
      // While hidden nothing was drawn or let go: what the view now shows is drawn.
      if (!q) return timeline.keepNear();
      const hits = await api.searchClient(client.id, q);
      const none = el('p', { class: 'empty' }, 'Nothing in this history matches.');
      fill(found, hits.length ? hits.map(result) : none);
    }, 120),
  });
  return [input, found];
}

/**
 * The timeline card of `client` ({id, name}) in the scrolling `view`. `highlighted` is the id
 * of an entry a search result opened the page at (or `null`); `redraw` says the page is drawn
 * anew after a change, when the reader's own place is kept rather than the entry's. Its
 * listeners outside the card go when `signal` is aborted. Call `start()` once the card is in
 * the page.
 */
export function timelineCard({ view, client, highlighted, redraw, signal }) {
  const timeline = new PagedList(view, client, highlighted);
  signal.addEventListener('abort', () => {
    timeline.stopped = true;
  });
  const onScroll = () => timeline.onScroll();
  view.addEventListener('scroll', onScroll, { passive: true, signal });
  window.addEventListener('resize', onScroll, { passive: true, signal });
  // Home and End jump at once. WebKit animates them, and keepNear's setting of scrollTop (to hold
  // the view still while a page is drawn at a new width) cancels the animation part way: Home
  // would stop somewhere in the middle of the timeline.
  document.addEventListener('keydown', (event) => {
    const key = shortcutFor(event, 'timeline');
    if (!key || event.shiftKey || !timeline.list.isConnected || timeline.list.hidden) return;
    if (event.defaultPrevented || typing(event.target)) return;
    event.preventDefault();
    view.scrollTop = key === 'newest' ? 0 : view.scrollHeight;
    onScroll();
  }, { signal });

  const section = card(
    { heading: { id: 'timeline-title' } },
    'Timeline',
    null,
    searchWithin(timeline),
    timeline.list,
    timeline.end,
  );
  // The first page; and, opened from a search result, the entry's page, pointed at. Drawn anew
  // after a change, the page is loaded as far, but the reader's own place is kept (by the
  // router).
  const start = async () => {
    await timeline.loadMore();
    refocus(timeline.list);
    if (highlighted === null) return;
    const node = await timeline.pageToHighlighted();
    if (node && !redraw) node.scrollIntoView({ block: 'center' });
  };
  return { card: section, start };
}
