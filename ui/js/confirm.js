// Confirmations and small forms asked in the app's own dialog, so they look like the rest of Rapport.

import { debounce, el } from './dom.js';
import { localDateTime } from './format.js';

/**
 * A button that asks `question` first and runs `act` only if the user confirms with
 * `confirmLabel`; `attrs` are the button's (`id`, `class`).
 */
export function askingButton(attrs, label, question, confirmLabel, act, { danger = false } = {}) {
  const ask = async () => {
    if (await confirmDialog(question, confirmLabel, { danger })) await act();
  };
  return el('button', { type: 'button', class: 'button', ...attrs, onclick: ask }, label);
}

/**
 * Asks `message` with a one-line note the user may add (`label` says what it is for); resolves
 * to the note (perhaps empty) when confirmed with `confirmLabel`, or null when cancelled.
 */
export async function askForNote(message, confirmLabel, label) {
  const note = el('input', {
    id: 'confirm-note',
    'aria-label': label,
    placeholder: label,
    maxlength: 200,
  });
  note.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      document.getElementById('confirm-yes').click();
    }
  });
  const ok = await confirmDialog(message, confirmLabel, { extra: note });
  return ok ? note.value : null;
}

/** Resolves true when the user confirms; `extra` goes between the question and the buttons. */
export function confirmDialog(message, confirmLabel, { danger = false, extra = null } = {}) {
  return new Promise((resolve) => {
    const dialog = el(
      'dialog',
      { class: 'dialog', role: 'alertdialog' },
      el('p', { class: 'confirm-text' }, message),
      extra,
      el(
        'footer',
        { class: 'dialog-foot' },
        el('button', {
          type: 'button',
          class: 'button',
          onclick: () => dialog.close('no'),
        }, 'Cancel'),
        el('button', {
          type: 'button',
          class: `button ${danger ? 'danger' : 'primary'}`,
          id: 'confirm-yes',
          onclick: () => dialog.close('yes'),
        }, confirmLabel),
      ),
    );
    const before = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      before?.focus?.({ preventScroll: true });
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
    extra?.focus?.();
  });
}

/**
 * A small form in the app's dialog: `title`, labelled `fields` (elements), and `saveLabel`.
 * Enter or the button runs `save()`; while it throws, its message is shown and the dialog stays
 * open with what was typed. Resolves true once saved, false when cancelled (Esc or Cancel).
 */
export function formDialog(title, fields, saveLabel, save) {
  return new Promise((resolve) => {
    const error = el('p', { class: 'form-error', role: 'alert' });
    const form = el(
      'form',
      { method: 'dialog', novalidate: true },
      el('header', { class: 'dialog-head' }, el('h2', {}, title)),
      fields,
      error,
      el(
        'footer',
        { class: 'dialog-foot' },
        el('button', { type: 'button', class: 'button', onclick: () => leave() }, 'Cancel'),
        el('button', { type: 'submit', class: 'button primary', id: 'form-save' }, saveLabel),
      ),
    );
    const dialog = el('dialog', { class: 'dialog form-dialog', 'aria-label': title }, form);
    const before = document.activeElement;
    let saved = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      try {
        await save();
        saved = true;
        dialog.close();
      } catch (e) {
        error.textContent = e.message.replace(/^[\w.]+: /, '');
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      before?.focus?.({ preventScroll: true });
      resolve(saved);
    });
    document.body.append(dialog);
    dialog.showModal();
    const leave = asksBeforeDiscarding(dialog);
    form.querySelector('input, select, textarea')?.focus();
  });
}

/**
 * Esc on `dialog` (open), or the leave it returns (for a Cancel button), asks before throwing
 * away what was typed or chosen in it since it opened; with nothing changed it closes at once.
 */
export function asksBeforeDiscarding(dialog) {
  const values = () =>
    [...dialog.querySelectorAll('input, select, textarea')].map((f) => f.value).join('\u0000');
  const opened = values();
  const leave = async () => {
    if (
      values() === opened ||
      (await confirmDialog('Throw away what you changed?', 'Throw away', { danger: true }))
    ) {
      dialog.close();
    }
  };
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    leave();
  });
  return leave;
}

/** A labelled one-line text field of a form dialog; `attrs` are the input's (`id`, `value`). */
export function textField(label, attrs) {
  const input = el('input', { autocomplete: 'off', maxlength: 200, ...attrs });
  return el('div', { class: 'field' }, el('label', { for: attrs.id }, label), input);
}

/**
 * A labelled field for a moment typed as a phrase, read back as a date while it is typed:
 * `parse` reads it (ahead for a due date, back for when something happened). Its `read()`
 * resolves to the moment typed, or to `unchanged` when the field is left empty (shown as its
 * placeholder).
 */
export function momentField({ id, label, parse, unchanged, placeholder }) {
  const input = el('input', { id, placeholder, autocomplete: 'off' });
  const note = el('p', { class: 'field-note', 'aria-live': 'polite' });
  const error = el('p', { class: 'field-error' });
  const words = (e) => e.message.replace(/^[\w.]+: /, '');
  input.addEventListener(
    'input',
    debounce(async () => {
      note.textContent = '';
      error.textContent = '';
      if (!input.value.trim()) return;
      try {
        note.textContent = `→ ${localDateTime(await parse(input.value))}`;
      } catch (e) {
        error.textContent = words(e);
      }
    }, 200),
  );
  const node = el('div', { class: 'field' }, el('label', { for: id }, label), input, note, error);
  const read = async () => {
    if (!input.value.trim()) return unchanged;
    try {
      return await parse(input.value);
    } catch (e) {
      error.textContent = words(e);
      input.focus();
      throw e;
    }
  };
  return { node, read };
}
