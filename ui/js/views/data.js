// Your data, in Settings: backups (taken daily, on demand, restored with the current journal
// kept aside) and exports into the Downloads folder. (Imports are in import.js.)

import * as api from '../api.js';
import { confirmDialog, formDialog } from '../confirm.js';
import { busy, el, fill, toast } from '../dom.js';
import { localDateTime } from '../format.js';
import { card, muted, plural } from '../parts.js';

const size = (
  bytes,
) => (bytes >= 1 << 20
  ? `${(bytes / (1 << 20)).toFixed(1)} MB`
  : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The Backups card; `keepInput` is saved with the rest of the settings. */
export async function backupsCard(keepInput) {
  const data = await api.backups();
  keepInput.value = data.keep;
  const list = el('tbody', {});
  const rows = data.backups.map((b) =>
    el(
      'tr',
      { dataset: { path: b.path } },
      el('td', {}, localDateTime(b.taken_at)),
      el(
        'td',
        {},
        b.counts
          ? `${plural(b.counts.clients, 'client')}, ${plural(b.counts.touches, 'touch', 'touches')}`
          : b.other_journal
          ? el('span', { class: 'muted' }, 'Another journal’s backup, with its own key')
          : el('span', { class: 'form-error' }, b.problem),
      ),
      el('td', { class: 'muted' }, size(b.size)),
      el(
        'td',
        { class: 'row-actions' },
        b.counts
          ? el(
            'button',
            { type: 'button', class: 'button small', onclick: () => restore(b) },
            'Restore…',
          )
          : b.other_journal
          ? el(
            'button',
            { type: 'button', class: 'button small', onclick: () => restoreOther(b) },
            'Restore with its key…',
          )
          : null,
      ),
    )
  );
  fill(list, rows);
  const now = el('button', { type: 'button', class: 'button', id: 'backup-now' }, 'Back up now');
  now.addEventListener('click', () =>
    busy(now, async () => {
      try {
        const info = await api.backUpNow();
        toast(
          `Backed up and checked: ${plural(info.counts.clients, 'client')}, ${
            plural(info.counts.touches, 'touch', 'touches')
          }`,
        );
        window.dispatchEvent(
          new CustomEvent('journal-changed', { detail: { command: 'back_up_now' } }),
        );
      } catch (e) {
        toast(e.message, { error: true });
      }
    }));
  return card(
    { class: 'edit-grid', id: 'backups' },
    'Backups',
    now,
    muted(
      'Rapport copies your journal once a day while it runs, checks each copy, and keeps the newest ones. They are in ',
      el('code', {}, data.dir),
      '.',
    ),
    data.problem
      ? el(
        'p',
        { class: 'form-error', role: 'alert', id: 'backup-problem' },
        `The last daily backup failed: ${data.problem}. Rapport tries again every hour.`,
      )
      : null,
    el(
      'div',
      { class: 'field narrow' },
      el('label', { for: 'backup-keep' }, 'Daily backups to keep'),
      keepInput,
    ),
    data.backups.length
      ? el(
        'table',
        { class: 'table', id: 'backup-list' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, 'Taken'),
            el('th', {}, 'Holds'),
            el('th', {}, 'Size'),
            el('th', {}),
          ),
        ),
        list,
      )
      : el('p', { class: 'empty' }, 'No backup yet.'),
  );
}

async function restore(backup) {
  const when = localDateTime(backup.taken_at);
  const sure = await confirmDialog(
    `Put the backup of ${when} in place of your journal? Your journal as it is now is kept aside in the same folder, so nothing is lost.`,
    'Restore this backup',
    { danger: true },
  );
  if (!sure) return;
  try {
    restoredToast(when, await api.restoreBackup(backup.path));
  } catch (e) {
    toast(e.message, { error: true });
  }
}

/** Says what a restore did: the backup now in place, and where the journal it replaced is. */
function restoredToast(when, done) {
  toast(
    `Restored the backup of ${when}.${
      done.set_aside
        ? ' The journal it replaced is kept as ' + done.set_aside.split('/').pop() + '.'
        : ''
    }`,
  );
}

/**
 * A backup made by another journal (another computer's, or one started anew) opens only with
 * that journal's key: its passphrase (with its key file beside the backup) or its recovery key.
 */
async function restoreOther(backup) {
  const when = localDateTime(backup.taken_at);
  const secret = el('input', {
    id: 'other-secret',
    type: 'password',
    autocomplete: 'off',
    spellcheck: false,
  });
  let done = null;
  const saved = await formDialog(
    'Restore another journal’s backup',
    [
      muted(
        `The backup of ${when} was made by another Rapport journal, with a key of its own. Type that journal’s passphrase or its recovery key. Your journal as it is now is kept aside in the same folder, and the restored journal keeps your journal’s key, passphrase and recovery key.`,
      ),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'other-secret' }, 'Its passphrase or recovery key'),
        secret,
      ),
    ],
    'Restore this backup',
    async () => {
      if (!secret.value.trim()) throw new Error('Type its passphrase or its recovery key.');
      done = await api.restoreOtherBackup(backup.path, secret.value);
    },
  );
  if (saved) restoredToast(when, done);
}

export function exportCard() {
  const result = el('p', { class: 'muted', id: 'export-result', role: 'status' });
  const button = (kind, label) =>
    el('button', {
      type: 'button',
      class: 'button',
      dataset: { export: kind },
      onclick: async () => {
        try {
          const path = await api.exportData(kind);
          fill(result, 'Saved ', el('code', {}, path));
          toast('Exported');
        } catch (e) {
          toast(e.message, { error: true });
        }
      },
    }, label);
  return card(
    { class: 'edit-grid', id: 'export' },
    'Export',
    null,
    muted(
      'Saved into your Downloads folder (your home folder if there is none), readable by you only.',
    ),
    el(
      'div',
      { class: 'button-row' },
      button('journal', 'Whole journal (JSON)'),
      button('clients_csv', 'Clients (CSV)'),
      button('touches_csv', 'Touches and notes (CSV)'),
      button('follow_ups_ics', 'Open follow-ups (calendar)'),
    ),
    result,
  );
}
