// Every keyboard shortcut, in one table: the handlers ask it which shortcut a key press is, and
// the shortcuts overlay is drawn from it, so the two cannot drift apart.

import { el, fill, typing } from './dom.js';

/**
 * The shortcuts, by where they work. `keys` are as `KeyboardEvent.key` names them, `Ctrl+`
 * for Ctrl (or ⌘); a shortcut without Ctrl does not apply while the user types in a field or a
 * dialog is open. Shortcuts of one `group` share a line of the overlay.
 */
const ROWS = 'Move up and down the rows (Down from the page: to its first row)';
const ENDS = 'The newest entry, the oldest';

export const SHORTCUTS = [
  { scope: 'global', id: 'log', keys: ['Ctrl+l', 'l'], help: 'Log a touch' },
  { scope: 'global', id: 'search', keys: ['/', 'Ctrl+k'], help: 'Search the whole journal' },
  { scope: 'global', id: 'today', keys: ['1'], help: 'Today', group: 'views' },
  { scope: 'global', id: 'clients', keys: ['2'], help: 'Clients', group: 'views' },
  { scope: 'global', id: 'search-view', keys: ['3'], help: 'Search', group: 'views' },
  { scope: 'global', id: 'settings', keys: ['4'], help: 'Settings', group: 'views' },
  { scope: 'global', id: 'help', keys: ['?'], help: 'These shortcuts' },
  { scope: 'global', id: 'undo', keys: ['Ctrl+z'], help: 'Undo what was just done' },
  { scope: 'list', id: 'previous', keys: ['ArrowUp'], help: ROWS, group: 'move' },
  { scope: 'list', id: 'next', keys: ['ArrowDown'], help: ROWS, group: 'move' },
  { scope: 'list', id: 'open', keys: ['Enter'], help: 'Open the client, or the entry found' },
  { scope: 'row', id: 'row-log', keys: ['l'], help: 'Log a touch with them' },
  { scope: 'row', id: 'row-snooze', keys: ['s'], help: 'Snooze' },
  { scope: 'row', id: 'row-done', keys: ['d'], help: 'Mark a follow-up done' },
  { scope: 'entry', id: 'edit', keys: ['e'], help: 'Edit it' },
  { scope: 'entry', id: 'delete', keys: ['Delete'], help: 'Delete it (Undo brings it back)' },
  { scope: 'entry', id: 'toggle-done', keys: ['d'], help: 'Mark a follow-up done, or open again' },
  { scope: 'timeline', id: 'newest', keys: ['Home'], help: ENDS, group: 'ends' },
  { scope: 'timeline', id: 'oldest', keys: ['End'], help: ENDS, group: 'ends' },
  { scope: 'dialog', id: 'save', keys: ['Enter'], help: 'Save' },
  { scope: 'dialog', id: 'save-notes', keys: ['Ctrl+Enter'], help: 'Save, from inside the notes' },
  { scope: 'dialog', id: 'cancel', keys: ['Escape'], help: 'Cancel, close' },
];

const SCOPES = [
  ['global', 'Anywhere'],
  ['list', 'In a list (Today, Clients, Search, a timeline, follow-ups)'],
  ['row', 'On a row of Today or a follow-up'],
  ['timeline', "In a client's timeline"],
  ['entry', 'On an entry of a timeline, a follow-up, an introduction'],
  ['dialog', 'In a form or a dialog'],
];

function parse(spec) {
  const ctrl = spec.startsWith('Ctrl+');
  return { ctrl, key: ctrl ? spec.slice(5) : spec };
}

function matches(spec, event) {
  const { ctrl, key } = parse(spec);
  const control = event.ctrlKey || event.metaKey;
  if (ctrl !== control || event.altKey) return false;
  return key.length === 1 ? event.key.toLowerCase() === key : event.key === key;
}

/**
 * The id of the shortcut of `scope` that `event` is, or `null`. Plain keys of the global scope
 * are left to what is being typed.
 */
export function shortcutFor(event, scope) {
  for (const s of SHORTCUTS) {
    if (s.scope !== scope) continue;
    for (const spec of s.keys) {
      if (!matches(spec, event)) continue;
      if (scope === 'global' && !parse(spec).ctrl && typing(event.target)) return null;
      return s.id;
    }
  }
  return null;
}

// What the user typed after asking for a new search, before its box was there to take it.
let typedAhead = null;

/** From now until the search box takes them, the letters typed are kept for it. */
export function startTypingAhead() {
  typedAhead = '';
}

/** Keeps a key typed ahead of the search box; true if it was one. */
export function typeAhead(event) {
  if (
    typedAhead === null || typing(event.target) || event.ctrlKey || event.altKey || event.metaKey
  ) {
    return false;
  }
  if (event.key.length === 1) typedAhead += event.key;
  else if (event.key === 'Backspace') typedAhead = typedAhead.slice(0, -1);
  else return false;
  event.preventDefault();
  return true;
}

/** What was typed ahead, for the box that now takes the cursor; from now on keys go to it. */
export function takeTypedAhead() {
  const typed = typedAhead ?? '';
  typedAhead = null;
  return typed;
}

const NAMES = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  Escape: 'Esc',
};

/** A key as the overlay and the buttons show it: "Ctrl L", "↓", "Esc". */
export function keyLabel(spec) {
  const { ctrl, key } = parse(spec);
  const name = NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key);
  return ctrl ? `Ctrl ${name}` : name;
}

/** The overlay's lines of `scope`: a group's shortcuts on one line, their keys side by side. */
function lines(scope) {
  const out = [];
  for (const s of SHORTCUTS.filter((s) => s.scope === scope)) {
    const line = s.group && out.find((l) => l.group === s.group);
    if (!line) out.push({ group: s.group, keys: [s.keys], helps: [s.help] });
    else {
      line.keys.push(s.keys);
      if (!line.helps.includes(s.help)) line.helps.push(s.help);
    }
  }
  return out;
}

/** One shortcut's keys: "Ctrl L or L". */
const alternatives = (keys) => keys.map((k, i) => [i ? ' or ' : null, el('kbd', {}, keyLabel(k))]);

/** Fills the shortcuts overlay from the table: a heading and a list for each place they work. */
export function drawShortcuts(node) {
  fill(
    node,
    SCOPES.map(([scope, title]) =>
      el(
        'section',
        { class: 'shortcuts-group' },
        el('h3', { class: 'shortcuts-scope' }, title),
        el(
          'dl',
          { class: 'shortcuts' },
          lines(scope).map((line) => [
            el('dt', {}, line.keys.map((keys, i) => [i ? ' ' : null, alternatives(keys)])),
            el('dd', {}, line.helps.join(', ')),
          ]),
        ),
      )
    ),
  );
}
