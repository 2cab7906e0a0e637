// A confirmation asked in the app's own dialog, so it looks like the rest of Rapport.

import { el } from './dom.js';

/**
 * A button that asks `question` first and runs `act` only if the user confirms with
 * `confirmLabel`; `attrs` are the button's (`id`, `class`).
 */
export function askingButton(attrs, label, question, confirmLabel, act, { danger = false } = {}) {
  const ask = async () => {
    if (
      await confirmDialog(typeof question === 'function' ? question() : question, confirmLabel, {
        danger,
      })
    ) {
      await act();
    }
  };
  return el('button', { type: 'button', class: 'button', ...attrs, onclick: ask }, label);
}

/** Resolves true when the user confirms. */
export function confirmDialog(message, confirmLabel, { danger = false } = {}) {
  return new Promise((resolve) => {
    const dialog = el(
      'dialog',
      { class: 'dialog', role: 'alertdialog' },
      el('p', { class: 'confirm-text' }, message),
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
  });
}
