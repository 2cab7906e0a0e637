// Importing clients, in Settings: a file is previewed in full (where it comes from, how its text
// was read, how its columns map, every bad line, the likely duplicates) before anything is
// written.

import * as api from '../api.js';
import { el, fill, toast } from '../dom.js';
import { card, muted, plural } from '../parts.js';

/** What a CSV column can go into, as the mapping's menus offer it. */
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

const problemsList = (problems) =>
  el(
    'ul',
    { class: 'problems', id: 'import-problems' },
    problems.map((p) => el('li', {}, p.line ? `Line ${p.line}: ` : '', p.reason)),
  );

/** A refused preview or import: the reason, and each bad line. */
const refusal = (e) => [
  el('p', { class: 'form-error', role: 'alert' }, e.message),
  e.problems.length ? problemsList(e.problems) : null,
];

/** The menu of what column `i` goes into; `onChange` previews again with the new mapping. */
function fieldMenu(p, i, onChange) {
  return el(
    'select',
    { dataset: { column: i }, onchange: onChange },
    FIELDS.map(([value, label]) => {
      const option = el('option', { value }, label);
      option.selected = p.mapping[i] === value;
      return option;
    }),
  );
}

/** A CSV's columns, with their first values and what each goes into. */
function mappingTable(p, onChange) {
  const head = el(
    'tr',
    {},
    el('th', {}, 'Column'),
    el('th', {}, 'First rows'),
    el('th', {}, 'Goes into'),
  );
  const firstValues = (i) => p.sample_rows.slice(0, 2).map((r) => r[i] ?? '').filter(Boolean);
  return el(
    'table',
    { class: 'table', id: 'import-mapping' },
    el('thead', {}, head),
    el(
      'tbody',
      {},
      p.headers.map((header, i) =>
        el(
          'tr',
          {},
          el('td', {}, header),
          el('td', { class: 'muted' }, firstValues(i).join(' · ')),
          el('td', {}, fieldMenu(p, i, onChange)),
        )
      ),
    ),
  );
}

/** The likely duplicates, and the choice to leave them out (`skip`). */
function duplicatesPart(p, skip) {
  return [
    el('p', {}, `${plural(p.duplicates.length, 'row')} look like someone already known:`),
    el(
      'ul',
      { class: 'duplicates', id: 'import-duplicates' },
      p.duplicates.map((d) =>
        el('li', {}, d.line ? `Line ${d.line}, ` : '', `${d.name}: ${d.reason}`)
      ),
    ),
    el('label', { class: 'check' }, skip, 'Leave them out'),
  ];
}

/** The Import button of preview `p` of the file `buffer`; a refusal is shown in `preview`. */
function importButton(buffer, p, skip, preview) {
  const go = el('button', {
    type: 'button',
    class: 'button primary',
    id: 'import-go',
    disabled: p.problems.length > 0 || p.rows === 0,
  }, `Import ${plural(p.rows, 'client')}`);
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const done = await api.importFile(
        buffer,
        p.format === 'csv' ? p.mapping : null,
        skip.checked,
      );
      const left = done.skipped_duplicates
        ? `; left out ${plural(done.skipped_duplicates, 'likely duplicate')}`
        : '';
      // The view is drawn anew after the import, so the result is told in a toast.
      toast(`Imported ${plural(done.client_ids.length, 'client')}${left}.`);
    } catch (e) {
      fill(preview, refusal(e));
    }
  });
  return go;
}

/** Previews `buffer` (with `mapping`, or the guessed one) into `preview`. */
async function showPreview(preview, buffer, mapping = null) {
  let p;
  try {
    p = await api.previewImport(buffer, mapping);
  } catch (e) {
    fill(preview, refusal(e));
    return;
  }
  const remap = () =>
    showPreview(
      preview,
      buffer,
      [...preview.querySelectorAll('select[data-column]')].map((s) => s.value),
    );
  const skip = el('input', {
    type: 'checkbox',
    id: 'import-skip-duplicates',
    checked: p.duplicates.length > 0,
  });
  const readAs = p.encoding !== 'UTF-8' ? ` (read as ${p.encoding})` : '';
  const badLines = `Nothing will be imported until these ${
    plural(p.problems.length, 'line')
  } are fixed in the file:`;
  fill(
    preview,
    el('p', { id: 'import-summary' }, `${p.source}: ${plural(p.rows, 'client')}`, readAs, '.'),
    p.format === 'csv' && p.headers.length ? mappingTable(p, remap) : null,
    p.problems.length
      ? [el('p', { class: 'form-error', role: 'alert' }, badLines), problemsList(p.problems)]
      : null,
    p.duplicates.length ? duplicatesPart(p, skip) : null,
    el('div', { class: 'button-row' }, importButton(buffer, p, skip, preview)),
  );
  preview.scrollIntoView({ block: 'nearest' });
}

export function importCard() {
  const input = el('input', {
    type: 'file',
    id: 'import-file',
    accept: '.csv,.vcf,.vcard,.json,text/csv,text/vcard,application/json',
  });
  const preview = el('div', { id: 'import-preview', class: 'import-preview' });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    await showPreview(preview, await file.arrayBuffer());
  });
  return card(
    { class: 'edit-grid', id: 'import' },
    'Import clients',
    null,
    muted(
      'From a CSV file (LinkedIn, Google Contacts and Outlook exports are recognised), vCard files from an address book, or a Rapport journal (JSON, into an empty journal). You see what will be imported first; a file with a bad row is not imported at all.',
    ),
    input,
    preview,
  );
}
