// The journal's encryption as the user meets it: the screen that opens a journal whose key the
// keyring cannot give (choose a passphrase, type it, unlock the keyring, or use the recovery
// key), the passphrase and recovery key in Settings, and the offer to encrypt a journal kept in
// plain text by an earlier Rapport.

import * as api from './api.js';
import { busy, el, fill, toast } from './dom.js';
import { confirmDialog, formDialog } from './confirm.js';
import { button, card, muted, plural } from './parts.js';

const MIN_CHARS = 8;

const LOST_WARNING =
  'Rapport cannot tell you a forgotten passphrase. If the passphrase, the keyring and the recovery key are all lost, nobody can open your journal, you included.';

/** Whether the journal is whole and waits only for its key, from the user. */
export const waitsForKey = (error) =>
  ['choose_passphrase', 'passphrase', 'keyring_locked', 'keyring_failed', 'key_missing'].includes(
    error?.kind,
  );

/** Words for what the backend said about a key, as the person typing it needs them. */
function keyWords(e) {
  switch (e.kind) {
    case 'wrong_passphrase':
      return 'That passphrase does not open your journal. Check Caps Lock, and try again.';
    case 'wrong_key':
      return 'That key does not open this journal: it belongs to another journal.';
    case 'key_file_damaged':
      return 'The file that keeps your key under the passphrase is damaged. Your recovery key still opens the journal.';
    default:
      return e.message.replace(/^[\w.]+: /, '');
  }
}

/**
 * Two password fields, the passphrase and again; `read()` gives the passphrase, or shows what
 * is wrong beside the fields and gives null. `optional`: both left empty gives ''.
 */
export function passphraseFields(prefix, { optional = false, label = 'Passphrase' } = {}) {
  const first = el('input', {
    type: 'password',
    id: `${prefix}-passphrase`,
    autocomplete: 'new-password',
    minlength: MIN_CHARS,
  });
  const again = el('input', {
    type: 'password',
    id: `${prefix}-passphrase-again`,
    autocomplete: 'new-password',
  });
  const error = el('p', { class: 'field-error', id: `${prefix}-passphrase-error`, role: 'alert' });
  const node = el(
    'div',
    { class: 'passphrase-fields' },
    el(
      'div',
      { class: 'field-row' },
      el('div', { class: 'field grow' }, el('label', { for: first.id }, label), first),
      el(
        'div',
        { class: 'field grow' },
        el('label', { for: again.id }, 'Type it again'),
        again,
      ),
    ),
    el(
      'p',
      { class: 'field-note' },
      `At least ${MIN_CHARS} characters. A few unrelated words are easy to remember and hard to guess.`,
    ),
    error,
  );
  const read = () => {
    error.textContent = '';
    if (optional && !first.value && !again.value) return '';
    if ([...first.value].length < MIN_CHARS) {
      error.textContent = `The passphrase needs at least ${MIN_CHARS} characters.`;
      first.focus();
      return null;
    }
    if (first.value !== again.value) {
      error.textContent = 'The two passphrases differ.';
      again.focus();
      return null;
    }
    return first.value;
  };
  return { node, read, first };
}

/** The recovery key shown to keep: printed, copied, or saved as a file. */
export function recoveryPanel(text) {
  const copy = button(
    'Copy',
    async () => {
      try {
        await navigator.clipboard.writeText(text);
        toast('Recovery key copied');
      } catch {
        getSelection().selectAllChildren(document.getElementById('recovery-key'));
        toast('Press Ctrl C to copy the selected key');
      }
    },
    'small',
    { id: 'recovery-copy' },
  );
  const save = button(
    'Save as a file',
    () =>
      busy(save, async () => {
        try {
          toast(`Saved in ${await api.saveRecoveryKey()}. Print it, then delete the file.`);
        } catch (e) {
          toast(e.message, { error: true });
        }
      }),
    'small',
    { id: 'recovery-save' },
  );
  return el(
    'div',
    { class: 'recovery' },
    el(
      'p',
      {},
      'If the passphrase is forgotten and this computer’s keyring lost, this key is the one way back into your journal. Write it down or print it, and keep it away from this computer.',
    ),
    el('pre', { class: 'recovery-key', id: 'recovery-key', tabindex: '0' }, text),
    el('div', { class: 'button-row' }, copy, save),
  );
}

/** A dialog showing the recovery key with a Done button; resolves when closed. */
function recoveryDialog(title, text, ...more) {
  return new Promise((resolve) => {
    const done = button('Done', () => dialog.close(), 'primary', { id: 'recovery-done' });
    const dialog = el(
      'dialog',
      { class: 'dialog recovery-dialog', 'aria-label': title },
      el('header', { class: 'dialog-head' }, el('h2', {}, title)),
      recoveryPanel(text),
      ...more,
      el('footer', { class: 'dialog-foot' }, done),
    );
    const before = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      before?.focus?.({ preventScroll: true });
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    done.focus();
  });
}

/** Asks for a new passphrase (set, or changed) and shows the recovery key after. */
export async function changePassphrase({ first = false } = {}) {
  const fields = passphraseFields('set', { label: first ? 'Passphrase' : 'New passphrase' });
  const saved = await formDialog(
    first ? 'Set a passphrase' : 'Change the passphrase',
    [
      muted(
        first
          ? 'Your journal’s key is in the desktop’s keyring. A passphrase opens the journal too, should that keyring be lost or this journal be moved to another computer.'
          : 'Only the key file beside your journal is written again; the journal and its backups keep their key.',
      ),
      fields.node,
      el('p', { class: 'warning' }, LOST_WARNING),
    ],
    first ? 'Set passphrase' : 'Change passphrase',
    async () => {
      const passphrase = fields.read();
      if (passphrase === null) throw new Error('');
      await api.setPassphrase(passphrase);
    },
  );
  if (!saved) return false;
  toast(first ? 'Passphrase set' : 'Passphrase changed');
  if (first) await recoveryDialog('Keep your recovery key', await api.recoveryKey());
  return true;
}

/** Shows the open journal's recovery key. */
export async function showRecoveryKey() {
  await recoveryDialog('Your recovery key', await api.recoveryKey());
}

/** What to do with backups left in plain text, once the journal is encrypted. */
function oldBackupsChoice(count, afterwards) {
  if (!count) return null;
  const box = el('div', { class: 'old-backups', id: 'old-backups' });
  const act = (work, said) => async () => {
    try {
      const n = await work();
      fill(box, muted(`${plural(n, 'backup')} ${said}.`));
      afterwards?.();
    } catch (e) {
      toast(e.message, { error: true });
    }
  };
  const encrypt = button(
    'Encrypt them',
    () => busy(encrypt, act(api.encryptOldBackups, 'encrypted')),
    'small primary',
    { id: 'encrypt-old-backups' },
  );
  const remove = button(
    'Delete them',
    async () => {
      const sure = await confirmDialog(
        `Delete ${
          plural(count, 'backup')
        } in plain text? Your journal’s encrypted backups are kept.`,
        'Delete',
        { danger: true },
      );
      if (sure) await busy(remove, act(api.deleteOldBackups, 'erased and deleted'));
    },
    'small',
    { id: 'delete-old-backups' },
  );
  return fill(
    box,
    el(
      'p',
      {},
      `${plural(count, 'backup')} from before ${
        count === 1 ? 'is' : 'are'
      } still in plain text: anyone with a copy of them can read them.`,
    ),
    el('div', { class: 'button-row' }, encrypt, remove),
  );
}

/** Asks to encrypt the journal kept in plain text, does it, and shows the recovery key. */
export async function encryptDialog() {
  const privacy = await api.privacy();
  const fields = passphraseFields('encrypt', {
    optional: privacy.keyring,
    label: privacy.keyring ? 'Passphrase (recommended)' : 'Passphrase',
  });
  let recovery = null;
  const saved = await formDialog(
    'Encrypt your journal',
    [
      el(
        'p',
        {},
        'Rapport writes an encrypted copy of your journal, checks that it holds everything, puts it in place and erases the file in plain text. If anything fails, your journal stays as it is.',
      ),
      muted(
        privacy.keyring
          ? 'Its key is kept in the desktop’s keyring, so Rapport opens without asking. A passphrase also opens it, should the keyring be lost.'
          : 'This desktop has no keyring to keep the key in: your passphrase will open the journal each time Rapport starts.',
      ),
      fields.node,
      el('p', { class: 'warning' }, LOST_WARNING),
    ],
    'Encrypt',
    async () => {
      const passphrase = fields.read();
      if (passphrase === null) throw new Error('');
      const save = document.getElementById('form-save');
      recovery = await busy(save, () => api.encryptJournal(passphrase || null));
    },
  );
  if (!saved) return false;
  toast('Your journal is encrypted');
  const after = await api.privacy();
  await recoveryDialog(
    'Your journal is encrypted',
    recovery,
    oldBackupsChoice(after.plaintext_backups),
  );
  return true;
}

const LOCK_CHOICES = [[0, 'Never'], [1, '1 minute'], [5, '5 minutes'], [15, '15 minutes'], [
  30,
  '30 minutes',
], [60, 'an hour']];

/** When a journal opened by its passphrase locks; and locking it now. */
function lockChoice(minutes) {
  const select = el(
    'select',
    {
      id: 'lock-after',
      onchange: async () => {
        await api.setLockAfter(Number(select.value));
        toast(select.value === '0' ? 'Rapport no longer locks when idle' : 'Idle lock saved');
      },
    },
    LOCK_CHOICES.map(([value, label]) =>
      el('option', { value, selected: value === minutes }, label)
    ),
  );
  return el(
    'div',
    { class: 'lock-choice' },
    el(
      'div',
      { class: 'field lock-after' },
      el('label', { for: 'lock-after' }, 'Lock when idle for'),
      select,
    ),
    muted(
      'Rapport also locks when the desktop locks its screen. Reminders still come while it is locked, naming nobody.',
    ),
  );
}

/** Locks the journal, and shows the screen that asks for the passphrase. */
export async function lockNow() {
  await api.lockNow();
  location.reload();
}

/**
 * Locks the journal after `status.lock_after` minutes with no key pressed, no click and no
 * pointer moved in the window (hidden in the tray counts as idle). Called at each render, so a
 * changed setting holds at once.
 */
let idle = null;

export function watchIdle(status) {
  const limit = status.lock_after * status.minute_ms;
  if (!idle) {
    idle = { last: Date.now(), limit, timer: null };
    const active = () => {
      idle.last = Date.now();
    };
    for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel']) {
      document.addEventListener(type, active, { capture: true, passive: true });
    }
  }
  // Drawn again with the same setting (a change, time making someone due): the count goes on.
  if (idle.timer !== null && idle.limit === limit) return;
  idle.limit = limit;
  clearInterval(idle.timer);
  idle.timer = null;
  if (!limit) return;
  idle.last = Date.now();
  idle.timer = setInterval(() => {
    if (Date.now() - idle.last >= idle.limit) {
      clearInterval(idle.timer);
      lockNow().catch(() => {});
    }
  }, Math.min(15000, Math.max(250, limit / 4)));
}

/** The Settings card: how the journal is kept, and what can be done about it. */
export async function privacyCard() {
  const p = await api.privacy();
  const redraw = async () => node.replaceWith(await privacyCard());
  const where = p.keyring && p.passphrase
    ? 'Its key is kept in the desktop’s keyring, and your passphrase opens it too.'
    : p.keyring
    ? 'Its key is kept in the desktop’s keyring.'
    : 'Your passphrase opens it; this desktop has no keyring.';
  const body = p.encrypted
    ? [
      el('p', { id: 'privacy-state' }, `Your journal and its backups are encrypted. ${where}`),
      p.passphrase ? null : el(
        'p',
        { class: 'warning' },
        'Without a passphrase, your journal is lost with this desktop’s keyring: set one, and keep the recovery key.',
      ),
      el(
        'div',
        { class: 'button-row' },
        button(
          p.passphrase ? 'Change the passphrase' : 'Set a passphrase',
          async () => (await changePassphrase({ first: !p.passphrase })) && redraw(),
          p.passphrase ? '' : 'primary',
          { id: 'privacy-passphrase' },
        ),
        button('Show the recovery key', showRecoveryKey, '', { id: 'privacy-recovery' }),
        p.can_lock ? button('Lock now', lockNow, '', { id: 'lock-now' }) : null,
      ),
      p.can_lock ? lockChoice(p.lock_after) : null,
      oldBackupsChoice(p.plaintext_backups, redraw),
    ]
    : [
      el(
        'p',
        { id: 'privacy-state' },
        'Your journal is kept in plain text: anyone with a copy of this disk or of a backup can read it.',
      ),
      el(
        'div',
        { class: 'button-row' },
        button('Encrypt my journal…', async () => (await encryptDialog()) && redraw(), 'primary', {
          id: 'privacy-encrypt',
        }),
      ),
    ];
  const node = card(
    { class: 'privacy', id: 'privacy' },
    'Privacy',
    null,
    el('div', { class: 'privacy-body' }, ...body),
  );
  return node;
}

/** Today's offer to encrypt a journal kept in plain text; "Not now" holds until the next start. */
let offerDeclined = false;

export function encryptOffer(status) {
  if (status.encrypted || offerDeclined) return null;
  const banner = el(
    'div',
    { class: 'banner', id: 'encrypt-banner', role: 'region', 'aria-label': 'Encryption' },
    el(
      'p',
      {},
      'Your journal is kept in plain text: anyone with a copy of this disk can read it. Rapport can encrypt it now.',
    ),
    button('Encrypt it…', encryptDialog, 'small primary', { id: 'encrypt-offer' }),
    button(
      'Not now',
      () => {
        offerDeclined = true;
        banner.remove();
      },
      'small',
      { id: 'encrypt-later' },
    ),
  );
  return banner;
}

/**
 * The screen of a journal waiting for its key, in `root`; `opened()` is called once it is
 * open (or created).
 */
export function showLock(root, error, opened) {
  const message = el('p', { class: 'lock-message' }, error.message);
  const formError = el('p', { class: 'form-error', id: 'lock-error', role: 'alert' });
  const screen = (title, ...body) => {
    fill(root, el('h1', {}, title), message, ...body, formError);
    root.querySelector('input, .button.primary')?.focus();
  };
  const submitting = (form, work) =>
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      formError.textContent = '';
      const submit = form.querySelector('[type=submit]');
      try {
        await busy(submit, work);
      } catch (e) {
        formError.textContent = keyWords(e);
        form.querySelector('input')?.select();
      }
    });

  const passphraseForm = () => {
    const input = el('input', {
      type: 'password',
      id: 'unlock-passphrase',
      autocomplete: 'current-password',
    });
    const form = el(
      'form',
      { id: 'unlock-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: input.id }, 'Passphrase'), input),
      el(
        'div',
        { class: 'button-row' },
        el('button', { type: 'submit', class: 'button primary', id: 'unlock-submit' }, 'Unlock'),
        button('Use the recovery key', recoveryForm, 'link-button', { id: 'use-recovery' }),
      ),
    );
    submitting(form, async () => {
      await api.unlock(input.value);
      opened();
    });
    screen('Unlock your journal', form);
  };

  const recoveryForm = () => {
    const input = el('input', {
      id: 'unlock-recovery',
      class: 'mono',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'ABCDE-FGHIJ-…',
    });
    const form = el(
      'form',
      { id: 'recovery-form', novalidate: true },
      el(
        'div',
        { class: 'field' },
        el('label', { for: input.id }, 'Recovery key'),
        input,
        el(
          'p',
          { class: 'field-note' },
          'As printed: capitals or not, with or without the dashes.',
        ),
      ),
      el(
        'div',
        { class: 'button-row' },
        el('button', { type: 'submit', class: 'button primary', id: 'recovery-submit' }, 'Unlock'),
        error.passphrase
          ? button('Use the passphrase', passphraseForm, 'link-button', { id: 'use-passphrase' })
          : null,
      ),
    );
    submitting(form, async () => {
      await api.unlockWithRecoveryKey(input.value);
      // The passphrase that was forgotten is replaced now, while the journal is open.
      if (error.passphrase || error.kind === 'key_missing') {
        await changePassphrase({ first: error.kind === 'key_missing' });
      }
      opened();
    });
    screen('Open your journal with its recovery key', form);
  };

  const chooseForm = () => {
    const fields = passphraseFields('choose');
    const form = el(
      'form',
      { id: 'choose-form', novalidate: true },
      fields.node,
      el('p', { class: 'warning' }, LOST_WARNING),
      el(
        'div',
        { class: 'button-row' },
        el(
          'button',
          { type: 'submit', class: 'button primary', id: 'choose-submit' },
          'Create my journal',
        ),
      ),
    );
    submitting(form, async () => {
      const passphrase = fields.read();
      if (passphrase === null) return;
      const recovery = await api.choosePassphrase(passphrase);
      const done = button('Open my journal', opened, 'primary', { id: 'recovery-done' });
      fill(
        root,
        el('h1', {}, 'Keep your recovery key'),
        recoveryPanel(recovery),
        el('div', { class: 'button-row' }, done),
      );
      done.focus();
    });
    screen('Choose a passphrase for your journal', form);
  };

  const keyringForm = () => {
    const retry = button(
      'Unlock the keyring',
      () =>
        busy(retry, async () => {
          formError.textContent = '';
          try {
            await api.unlockKeyring();
            opened();
          } catch (e) {
            formError.textContent = keyWords(e);
          }
        }),
      'primary',
      { id: 'unlock-keyring' },
    );
    screen(
      error.kind === 'keyring_locked' ? 'The keyring is locked' : 'The keyring did not answer',
      muted('Your desktop asks for its password to unlock the keyring; Rapport never sees it.'),
      el(
        'div',
        { class: 'button-row' },
        retry,
        error.passphrase
          ? button('Use my passphrase instead', passphraseForm, '', { id: 'use-passphrase' })
          : button('Use the recovery key', recoveryForm, '', { id: 'use-recovery' }),
      ),
    );
  };

  root.hidden = false;
  switch (error.kind) {
    case 'choose_passphrase':
      return chooseForm();
    case 'passphrase':
      return passphraseForm();
    case 'keyring_locked':
    case 'keyring_failed':
      return keyringForm();
    default:
      return recoveryForm();
  }
}
