// A confirmation asked in the app's own dialog, so it looks like the rest of Rapport.

import { el } from './dom.js';

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
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    extra?.focus?.();
  });
}
