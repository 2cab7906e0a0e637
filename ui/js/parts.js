// Rendering pieces several views share, so that a badge, a count or a card's head reads the same
// everywhere, and lists move the same way under the keys.

import { el } from './dom.js';
import { days } from './format.js';
import { shortcutFor } from './keys.js';

/** "1 client", "1,600 clients"; `many` for a plural that is not `one` + "s". */
export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The badge of something due: "3 days overdue" (or "late", for a follow-up), "due today". */
export function dueBadge(daysOverdue, { followUp = false } = {}) {
  const late = followUp ? 'late' : 'overdue';
  return el(
    'span',
    { class: `badge ${followUp ? 'follow-up' : 'overdue'}` },
    daysOverdue > 0 ? `${days(daysOverdue)} ${late}` : 'due today',
  );
}

/** A card's head: its title (with `attrs` for the heading, such as an id) and what sits beside. */
export function cardHead(title, beside = null, attrs = {}) {
  return el('header', { class: 'card-head' }, el('h2', attrs, title), beside);
}

/**
 * A card: its head (`title`, with what sits `beside` it) above `body`. `attrs` are the card's,
 * with `class` added to `card`; a card labelled by its title gives the heading its `id`.
 */
export function card({ class: more = '', heading = {}, ...attrs }, title, beside, ...body) {
  const labelled = heading.id ? { 'aria-labelledby': heading.id } : {};
  return el(
    'section',
    { class: more ? `card ${more}` : 'card', ...labelled, ...attrs },
    cardHead(title, beside, heading),
    ...body,
  );
}

/** A button that does `onclick`; `more` adds to its class (`primary`, `small`), `attrs` its id. */
export function button(label, onclick, more = '', attrs = {}) {
  const type = 'button';
  return el(
    'button',
    { type, class: more ? `button ${more}` : 'button', onclick, ...attrs },
    label,
  );
}

/** A quiet paragraph: what a card is for, a hint. */
export const muted = (...text) => el('p', { class: 'muted' }, ...text);

/** A page's head: its title, the line beneath (`sub`: text or an element), what can be done. */
export function pageHead(title, sub = null, ...actions) {
  const below = typeof sub === 'string' ? el('p', { class: 'page-sub' }, sub) : sub;
  return el(
    'header',
    { class: 'page-head' },
    el('div', {}, el('h1', {}, title), below),
    actions.length ? el('div', { class: 'actions' }, ...actions) : null,
  );
}

/** Keeps the `.active` mark of `list`'s rows (`rows` matches them) on the one holding the focus. */
export function markFocused(list, rows) {
  list.addEventListener('focusin', (event) => {
    const row = event.target.closest(rows);
    for (const r of list.querySelectorAll(rows)) r.classList.toggle('active', r === row);
  });
}

/** A quiet count beside a card's title. */
export const count = (n) => el('span', { class: 'muted' }, String(n));

/**
 * Moves an `.active` mark through `items()` with Up and Down, and opens one with Enter.
 * With `focus`, the mark is the focus: the row moved to takes it (or, when `focus` is a
 * function, the element of the row it names), so the row keys act on the row that is
 * highlighted. Returns a keydown handler for the element that owns the list.
 */
export function listKeys(items, open, { focus = false } = {}) {
  return (event) => {
    const list = items();
    if (!list.length) return;
    let index = list.findIndex((n) => n.classList.contains('active'));
    const key = shortcutFor(event, 'list');
    if (key === 'next' || key === 'previous') {
      event.preventDefault();
      index = key === 'next' ? Math.min(list.length - 1, index + 1) : Math.max(0, index - 1);
      list.forEach((n, i) => n.classList.toggle('active', i === index));
      list[index].scrollIntoView({ block: 'nearest' });
      const target = typeof focus === 'function' ? focus(list[index]) : focus && list[index];
      target?.focus({ preventScroll: true });
    } else if (key === 'open' && index >= 0 && event.target.tagName !== 'BUTTON') {
      event.preventDefault();
      open(list[index]);
    }
  };
}

/**
 * Up or Down on a focused row of a list moves the focus to the row above or below that
 * matches `rows` (skipping what does not, such as a timeline's gaps). True if the key was one.
 */
export function stepFocus(event, rows) {
  const key = shortcutFor(event, 'list');
  if (key !== 'next' && key !== 'previous') return false;
  const step = key === 'next' ? 'nextElementSibling' : 'previousElementSibling';
  let node = event.currentTarget[step];
  while (node && !node.matches(rows)) node = node[step];
  node?.focus();
  return true;
}
