// The "Log a touch" dialog: keyboard-first from anywhere. Client type-ahead (a new client can be
// created inline), kind, notes, give/ask, and an optional follow-up; its due date and when the
// touch happened are typed as phrases and shown back as real dates before saving.

import * as api from './api.js';
import { confirmDialog } from './confirm.js';
import { busy, debounce, el, fill, toast } from './dom.js';
import { shortcutFor } from './keys.js';
import { localDateTime } from './format.js';

const $ = (id) => document.getElementById(id);

// Who it was with, once chosen: `{id, name}` of a client of the journal, or `{id: null, name}`
// when the user chose to add a new client. Never guessed: typing a name chooses no one.
let chosen = null;
// The name the options on show were found for.
let shownFor = null;
// The touch or note being rewritten, or null when a new one is logged.
let editing = null;
// The text fields as they were on opening.
let openedFields = '';
let returnFocus = null;
let dueMoment = null; // the follow-up's due moment as read back, ISO UTC

function options() {
  return [...$('log-client-options').querySelectorAll('li')];
}

function closeOptions() {
  $('log-client-options').hidden = true;
  $('log-client').setAttribute('aria-expanded', 'false');
}

function pick(li) {
  if (li.dataset.id) {
    chosen = { id: Number(li.dataset.id), name: li.dataset.name };
    $('log-client').value = li.dataset.name;
  } else {
    chosen = { id: null, name: $('log-client').value.trim() };
  }
  closeOptions();
  showClosing();
  $('log-summary').focus();
}

/**
 * The chosen client's open follow-ups, each with a tick to mark it done with this touch: the
 * call that answered a promise closes it in the same save.
 */
async function showClosing() {
  const box = $('log-closing');
  box.hidden = true;
  box.replaceChildren();
  if (!chosen?.id || editing) return;
  const forClient = chosen.id;
  const { open_follow_ups: open } = await api.clientOverview(forClient);
  if (chosen?.id !== forClient || !open.length) return;
  fill(
    box,
    el('p', { class: 'label-hint' }, 'This touch answers:'),
    open.map((f) =>
      el(
        'label',
        { class: 'check' },
        el('input', { type: 'checkbox', dataset: { followUp: f.id } }),
        ` ${f.what} `,
        el('span', { class: 'muted' }, `(due ${localDateTime(f.due_at)})`),
      )
    ),
  );
  box.hidden = false;
}

/** The option highlighted: the best match, or adding a new client when nobody matches. */
const selectedOption = () => options().find((li) => li.getAttribute('aria-selected') === 'true');

/** Finds the clients matching what is typed and shows them, best first, at once. */
async function suggestNow() {
  const typed = $('log-client').value.trim();
  if (!typed) return closeOptions();
  const { clients } = await api.search(typed, 8);
  // Typed on meanwhile, or chosen meanwhile: these options answer nothing now.
  if ($('log-client').value.trim() !== typed || chosen?.name === typed) return;
  shownFor = typed;
  const exact = clients.some((c) => c.name.toLowerCase() === typed.toLowerCase());
  const items = clients.map((c) =>
    el(
      'li',
      {
        role: 'option',
        dataset: { id: c.client_id, name: c.name },
        onmousedown: (e) => {
          e.preventDefault();
          pick(e.currentTarget);
        },
      },
      el('span', {}, c.name),
      el('span', { class: 'option-org' }, c.organisation),
      c.archived ? el('span', { class: 'badge archived' }, 'Archived') : null,
    )
  );
  if (!exact) {
    items.push(el('li', {
      role: 'option',
      class: 'option-new',
      onmousedown: (e) => {
        e.preventDefault();
        pick(e.currentTarget);
      },
    }, `Add “${typed}” as a new client`));
  }
  fill($('log-client-options'), items);
  items[0]?.setAttribute('aria-selected', 'true');
  $('log-client-options').hidden = false;
  $('log-client').setAttribute('aria-expanded', 'true');
}

const suggest = debounce(suggestNow, 80);

/**
 * Enter in the client field picks the highlighted option, looking the name up first when the
 * options on show are not yet for what is typed: a name typed and entered at once picks the
 * client it names, never a new one beside them.
 */
async function enterClient() {
  const typed = $('log-client').value.trim();
  if (chosen?.name === typed) return $('log-summary').focus();
  // What is typed while the name is looked up belongs to the fields that come next: the
  // summary, then (after Tab) the follow-up, and an Enter saves, as if the lookup were instant.
  typedAhead = [];
  try {
    if ($('log-client-options').hidden || shownFor !== typed) await suggestNow();
    const option = selectedOption();
    if (option && $('log-client').value.trim() === typed) pick(option);
  } finally {
    const keys = typedAhead;
    typedAhead = null;
    if (keys.length && document.activeElement === $('log-summary')) replay(keys);
  }
}

// Keys typed into the client field while Enter's lookup is under way, or null when none is.
let typedAhead = null;

/** Types `keys` (characters, Tab, Enter) into the dialog from where the focus is. */
function replay(keys) {
  const fields = () =>
    [...$('log-form').elements].filter((f) =>
      f.tagName !== 'FIELDSET' && !f.disabled && f.tabIndex >= 0 && f.offsetParent !== null
    );
  for (const key of keys) {
    const at = document.activeElement;
    if (key === 'Enter') {
      $('log-form').requestSubmit();
      return;
    }
    if (key === 'Tab') {
      const list = fields();
      list[list.indexOf(at) + 1]?.focus();
    } else if (at && 'value' in at && at.tagName !== 'SELECT') {
      at.value += key;
      at.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
}

const readDue = debounce(async () => {
  const phrase = $('log-follow-when').value.trim();
  dueMoment = null;
  $('log-follow-date').textContent = '';
  setError('due', '');
  if (!phrase) return;
  try {
    dueMoment = await api.parseDue(phrase);
    $('log-follow-date').textContent = `→ ${localDateTime(dueMoment)}`;
  } catch (e) {
    setError('due', e.message.replace(/^due: /, ''));
  }
}, 200);

// When it happened, read back as it is typed; left empty it is now (or, for an edit, unchanged).
const readWhen = debounce(async () => {
  const phrase = $('log-when').value.trim();
  $('log-when-date').textContent = '';
  setError('at', '');
  if (!phrase) return;
  try {
    $('log-when-date').textContent = `→ ${localDateTime(await api.parseWhen(phrase))}`;
  } catch (e) {
    setError('at', e.message.replace(/^at: /, ''));
  }
}, 200);

function setError(field, message) {
  for (const node of document.querySelectorAll('#log-form [data-error-for]')) {
    if (node.dataset.errorFor.split(' ').includes(field)) node.textContent = message;
  }
}

function clearErrors() {
  for (const node of document.querySelectorAll('#log-form .field-error')) node.textContent = '';
  $('log-error').textContent = '';
}

function syncKind() {
  const note = $('log-kind').value === 'note';
  $('log-give-ask').hidden = note;
  $('log-follow-up').hidden = note;
  $('log-title').textContent = note ? 'Add a note' : 'Log a touch';
}

/**
 * Opens the dialog; `client` ({id, name}) preselects who it was with, `kind` may be 'note'.
 * With `edit` (a touch or note of the timeline) it rewrites that entry instead: its client and
 * whether it is a note stay as they are, and a follow-up is added on its own, not here.
 */
export function openLog({ client = null, kind = 'call', edit = null } = {}) {
  const dialog = $('log-dialog');
  if (dialog.open) return;
  returnFocus = document.activeElement;
  $('log-form').reset();
  clearErrors();
  closeOptions();
  chosen = client;
  editing = edit;
  dueMoment = null;
  $('log-follow-date').textContent = '';
  $('log-client').value = client ? client.name : '';
  $('log-client').readOnly = edit !== null;
  $('log-kind').value = edit ? (edit.type === 'note' ? 'note' : edit.kind) : kind;
  for (const option of $('log-kind').options) {
    option.disabled = edit !== null && (option.value === 'note') !== (edit.type === 'note');
  }
  $('log-when').value = '';
  $('log-when').placeholder = edit ? localDateTime(edit.at) : 'now';
  $('log-when-date').textContent = '';
  if (edit) {
    $('log-summary').value = edit.summary;
    $('log-body').value = edit.body;
    $('log-gave').checked = !!edit.gave_value;
    $('log-asked').checked = !!edit.asked;
  }
  syncKind();
  showClosing();
  if (edit) {
    $('log-follow-up').hidden = true;
    $('log-title').textContent = edit.type === 'note' ? 'Edit the note' : 'Edit the touch';
  }
  openedFields = fields();
  dialog.showModal();
  (client ? $('log-summary') : $('log-client')).focus();
}

async function save() {
  clearErrors();
  const name = $('log-client').value.trim();
  if (!name) return setError('client', 'Who was it with? Type a name.');
  if (chosen && chosen.name !== name) chosen = null;
  if (!chosen) {
    await suggestNow();
    $('log-client').focus();
    return setError('client', `Choose who it was with, or “Add ${name} as a new client”.`);
  }
  const kind = $('log-kind').value;
  let when = editing?.at ?? null;
  if ($('log-when').value.trim()) {
    try {
      when = await api.parseWhen($('log-when').value);
    } catch (e) {
      $('log-when').focus();
      return setError('at', e.message.replace(/^at: /, ''));
    }
  }
  const summary = $('log-summary').value;
  const body = $('log-body').value;
  const followUpTyped = kind !== 'note' &&
    ($('log-follow-what').value.trim() || $('log-follow-when').value.trim());
  if (!summary.trim() && !body.trim() && !followUpTyped) {
    $('log-summary').focus();
    return setError('summary', 'What was it about? Write a summary or notes.');
  }
  let entry;
  if (kind === 'note') {
    entry = { type: 'note', client_id: chosen.id ?? 0, at: when, summary, body };
  } else {
    const what = $('log-follow-what').value.trim();
    const phrase = $('log-follow-when').value.trim();
    let followUp = null;
    if (what || phrase) {
      // A due date alone promises what the touch was about.
      const promise = what || summary.trim();
      if (!promise) return setError('follow_up.what', 'What was promised?');
      if (!phrase) return setError('due', 'When is it due? Try “in 2 weeks”.');
      try {
        dueMoment = await api.parseDue(phrase);
      } catch (e) {
        return setError('due', e.message.replace(/^due: /, ''));
      }
      followUp = { what: promise, due_at: dueMoment };
    }
    entry = {
      type: 'touch',
      client_id: chosen.id ?? 0,
      kind,
      at: when,
      summary,
      body,
      gave_value: $('log-gave').checked,
      asked: $('log-asked').checked,
      follow_up: followUp,
    };
  }
  await busy($('log-save'), async () => {
    try {
      const { type, ...input } = entry;
      let added = null;
      if (editing) {
        delete input.follow_up;
        if (type === 'note') await api.updateNote(editing.id, input);
        else await api.updateTouch(editing.id, input);
        $('log-dialog').close();
        toast(type === 'note' ? 'Note saved' : 'Touch saved');
        return;
      }
      if (chosen.id === null) {
        added = await api.addClientWithEntry({ name }, entry);
      } else if (type === 'note') {
        await api.addNote(input);
      } else {
        await api.logTouch(input);
        const answered = [...$('log-closing').querySelectorAll('input:checked')];
        for (const tick of answered) await api.completeFollowUp(Number(tick.dataset.followUp));
      }
      $('log-dialog').close();
      const done = type === 'note' ? `Note added for ${name}` : `Touch logged with ${name}`;
      toast(
        added === null ? done : [
          `${done}, a new client: `,
          el('a', { href: `#/client/${added}` }, 'complete their profile'),
        ],
      );
    } catch (e) {
      if (e.field) setError(e.field, e.message.replace(/^[\w.]+: /, ''));
      else $('log-error').textContent = e.message;
      if (e.field && !document.querySelector(`#log-form [data-error-for~="${e.field}"]`)) {
        $('log-error').textContent = e.message;
      }
    }
  });
}

/** Whether anything has been written in the dialog since it opened, that closing would lose. */
function written() {
  return fields() !== openedFields;
}

/** What is written in the dialog's text fields, to tell whether it has changed since opening. */
const fields = () =>
  ['log-client', 'log-summary', 'log-body', 'log-follow-what', 'log-follow-when', 'log-when']
    .map((id) => $(id).value.trim()).join('\u0000');

/** Closes the dialog, asking first when that would throw away what was written. */
async function leave() {
  if (
    written() &&
    !(await confirmDialog('Throw away what you wrote?', 'Throw away', { danger: true }))
  ) {
    return;
  }
  $('log-dialog').close();
}

/** Wires the dialog's behaviour once, at start. */
export function setupLog() {
  const dialog = $('log-dialog');
  $('log-client').addEventListener('input', () => {
    chosen = null;
    suggest();
  });
  // Closed a moment after the field loses the focus, so a click on an option still lands; not
  // if the focus is back by then (a quick Tab away and back, or the field cleared by a script):
  // the options shown meanwhile answer what is typed now.
  $('log-client').addEventListener('blur', () =>
    setTimeout(() => {
      if (document.activeElement !== $('log-client')) closeOptions();
    }, 100));
  $('log-client').addEventListener('keydown', (event) => {
    const held = event.key.length === 1 || event.key === 'Tab' || event.key === 'Enter';
    if (typedAhead !== null && held && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      typedAhead.push(event.key);
      return;
    }
    if (event.key === 'Enter' && $('log-client').value.trim()) {
      event.preventDefault();
      enterClient();
      return;
    }
    const list = options();
    if ($('log-client-options').hidden || !list.length) return;
    let index = list.findIndex((li) => li.getAttribute('aria-selected') === 'true');
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      index = event.key === 'ArrowDown'
        ? Math.min(list.length - 1, index + 1)
        : Math.max(0, index - 1);
      list.forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeOptions();
    }
  });
  $('log-kind').addEventListener('change', syncKind);
  $('log-follow-when').addEventListener('input', readDue);
  $('log-when').addEventListener('input', readWhen);
  $('log-body').addEventListener('keydown', (event) => {
    if (shortcutFor(event, 'dialog') === 'save-notes') {
      event.preventDefault();
      save();
    }
  });
  $('log-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('log-cancel').addEventListener('click', () => leave());
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (!$('log-client-options').hidden) closeOptions();
    else leave();
  });
  dialog.addEventListener('close', () => returnFocus?.focus?.());
}
