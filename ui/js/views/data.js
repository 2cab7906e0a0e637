// Your data, in Settings: backups (taken daily, on demand, restored with the current journal
// kept aside), exports into the Downloads folder, and imports shown in full before anything is
// written.

import * as api from '../api.js';
import { confirmDialog } from '../confirm.js';
import { el, fill, toast } from '../dom.js';
import { localDateTime } from '../format.js';

const FIELDS = [
  ['ignore', 'Leave out'],
  ['name', 'Full name'],
  ['first_name', 'First name'],
  ['middle_name', 'Middle name'],
  ['last_name', 'Last name'],
  ['organisation', 'Organisation'],
  ['role', 'Role'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['notes', 'Notes (into the profile)'],
  ['tags', 'Tags'],
  ['fact', 'A fact, labelled by the column'],
];

const size = (bytes) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The Backups card; `keepInput` is saved with the rest of the settings. */
export async function backupsCard(keepInput) {
  const data = await api.backups();
  keepInput.value = data.keep;
  const list = el('tbody', {});
  const rows = data.backups.map((b) => el('tr', { dataset: { path: b.path } },
    el('td', {}, localDateTime(b.taken_at)),
    el('td', {}, b.counts ? `${plural(b.counts.clients, 'client')}, ${plural(b.counts.touches, 'touch', 'touches')}` : el('span', { class: 'form-error' }, b.problem)),
    el('td', { class: 'muted' }, size(b.size)),
    el('td', { class: 'row-actions' }, b.counts
      ? el('button', { type: 'button', class: 'button small', onclick: () => restore(b) }, 'Restore…')
      : null)));
  fill(list, rows);
  const now = el('button', { type: 'button', class: 'button', id: 'backup-now' }, 'Back up now');
  now.addEventListener('click', async () => {
    now.disabled = true;
    try {
      const info = await api.backUpNow();
      toast(`Backed up and checked: ${plural(info.counts.clients, 'client')}, ${plural(info.counts.touches, 'touch', 'touches')}`);
      window.dispatchEvent(new CustomEvent('journal-changed', { detail: { command: 'back_up_now' } }));
    } catch (e) {
      toast(e.message, { error: true });
      now.disabled = false;
    }
  });
  return el('section', { class: 'card edit-grid', id: 'backups' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Backups'), now),
    el('p', { class: 'muted' }, 'Rapport copies your journal once a day while it runs, checks each copy, and keeps the newest ones. They are in ', el('code', {}, data.dir), '.'),
    el('div', { class: 'field narrow' }, el('label', { for: 'backup-keep' }, 'Daily backups to keep'), keepInput),
    data.backups.length
      ? el('table', { class: 'table', id: 'backup-list' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Taken'), el('th', {}, 'Holds'), el('th', {}, 'Size'), el('th', {}))),
        list)
      : el('p', { class: 'empty' }, 'No backup yet.'));
}

async function restore(backup) {
  const when = localDateTime(backup.taken_at);
  const sure = await confirmDialog(
    `Put the backup of ${when} in place of your journal? Your journal as it is now is kept aside in the same folder, so nothing is lost.`,
    'Restore this backup', { danger: true });
  if (!sure) return;
  try {
    const done = await api.restoreBackup(backup.path);
    toast(`Restored the backup of ${when}.${done.set_aside ? ' The journal it replaced is kept as ' + done.set_aside.split('/').pop() + '.' : ''}`);
  } catch (e) {
    toast(e.message, { error: true });
  }
}

export function exportCard() {
  const result = el('p', { class: 'muted', id: 'export-result', role: 'status' });
  const button = (kind, label) => el('button', {
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
  return el('section', { class: 'card edit-grid', id: 'export' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Export')),
    el('p', { class: 'muted' }, 'Saved into your Downloads folder (your home folder if there is none), readable by you only.'),
    el('div', { class: 'button-row' },
      button('journal', 'Whole journal (JSON)'),
      button('clients_csv', 'Clients (CSV)'),
      button('touches_csv', 'Touches and notes (CSV)'),
      button('follow_ups_ics', 'Open follow-ups (calendar)')),
    result);
}

export function importCard() {
  const input = el('input', { type: 'file', id: 'import-file', accept: '.csv,.vcf,.vcard,.json,text/csv,text/vcard,application/json' });
  const preview = el('div', { id: 'import-preview', class: 'import-preview' });
  let buffer = null;
  let current = null;

  const problemsList = (problems) => el('ul', { class: 'problems', id: 'import-problems' },
    problems.map((p) => el('li', {}, p.line ? `Line ${p.line}: ` : '', p.reason)));

  async function show(mapping = null) {
    try {
      current = await api.previewImport(buffer, mapping);
    } catch (e) {
      fill(preview, el('p', { class: 'form-error', role: 'alert' }, e.message), e.problems.length ? problemsList(e.problems) : null);
      return;
    }
    const p = current;
    const skip = el('input', { type: 'checkbox', id: 'import-skip-duplicates', checked: p.duplicates.length > 0 });
    const go = el('button', { type: 'button', class: 'button primary', id: 'import-go', disabled: p.problems.length > 0 || p.rows === 0 },
      `Import ${plural(p.rows, 'client')}`);
    go.addEventListener('click', async () => {
      go.disabled = true;
      try {
        const done = await api.importFile(buffer, p.format === 'csv' ? p.mapping : null, skip.checked);
        // The view is drawn anew after the import, so the result is told in a toast.
        toast(`Imported ${plural(done.client_ids.length, 'client')}${done.skipped_duplicates ? `; left out ${plural(done.skipped_duplicates, 'likely duplicate')}` : ''}.`);
      } catch (e) {
        fill(preview, el('p', { class: 'form-error', role: 'alert' }, e.message), e.problems.length ? problemsList(e.problems) : null);
      }
    });
    const mappingTable = p.format === 'csv' && p.headers.length
      ? el('table', { class: 'table', id: 'import-mapping' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Column'), el('th', {}, 'First rows'), el('th', {}, 'Goes into'))),
        el('tbody', {}, p.headers.map((header, i) => el('tr', {},
          el('td', {}, header),
          el('td', { class: 'muted' }, p.sample_rows.slice(0, 2).map((r) => r[i] ?? '').filter(Boolean).join(' · ')),
          el('td', {}, el('select', {
            dataset: { column: i },
            onchange: () => show([...preview.querySelectorAll('select[data-column]')].map((s) => s.value)),
          }, FIELDS.map(([value, label]) => {
            const option = el('option', { value }, label);
            option.selected = p.mapping[i] === value;
            return option;
          })))))))
      : null;
    fill(preview,
      el('p', { id: 'import-summary' }, `${p.source}: ${plural(p.rows, 'client')}`, p.encoding !== 'UTF-8' ? ` (read as ${p.encoding})` : '', '.'),
      mappingTable,
      p.problems.length
        ? [el('p', { class: 'form-error', role: 'alert' }, `Nothing will be imported until these ${plural(p.problems.length, 'line')} are fixed in the file:`), problemsList(p.problems)]
        : null,
      p.duplicates.length
        ? [el('p', {}, `${plural(p.duplicates.length, 'row')} look like someone already known:`),
          el('ul', { class: 'duplicates', id: 'import-duplicates' }, p.duplicates.map((d) => el('li', {}, d.line ? `Line ${d.line}, ` : '', `${d.name}: ${d.reason}`))),
          el('label', { class: 'check' }, skip, 'Leave them out')]
        : null,
      el('div', { class: 'button-row' }, go));
    preview.scrollIntoView({ block: 'nearest' });
  }

  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    buffer = await file.arrayBuffer();
    await show();
  });
  return el('section', { class: 'card edit-grid', id: 'import' },
    el('header', { class: 'card-head' }, el('h2', {}, 'Import clients')),
    el('p', { class: 'muted' }, 'From a CSV file (LinkedIn, Google Contacts and Outlook exports are recognised), vCard files from an address book, or a Rapport journal (JSON, into an empty journal). You see what will be imported first; a file with a bad row is not imported at all.'),
    input,
    preview);
}
