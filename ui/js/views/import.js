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
  ['birthday', 'Birthday'],
  ['anniversary', 'Anniversary'],
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

const CHOICES = [
  ['merge', 'Merge into who they look like'],
  ['skip', 'Leave out'],
  ['import', 'Import as new'],
];

/**
 * The likely duplicates, each with what to do with it, and one choice for all of them. Returns
 * the part, and `choices()`: `{all, rows}` as the import takes them.
 */
function duplicatesPart(p) {
  const menu = (attrs, value) =>
    el(
      'select',
      attrs,
      CHOICES.map(([v, text]) => el('option', { value: v, selected: v === value }, text)),
    );
  const all = menu(
    { id: 'import-duplicates-all', 'aria-label': 'For every likely duplicate' },
    'merge',
  );
  const rows = p.duplicates.map((d) => {
    const choice = menu({ 'aria-label': `Line ${d.line}`, dataset: { line: d.line } }, 'merge');
    return [d, choice];
  });
  // Choosing for all sets every row's menu; a row can then be chosen apart.
  all.addEventListener('change', () => {
    for (const [, choice] of rows) choice.value = all.value;
  });
  const part = [
    el(
      'div',
      { class: 'field-row' },
      el('p', {}, `${plural(p.duplicates.length, 'row')} look like someone already known.`),
      el('label', { class: 'inline' }, 'For all of them: ', all),
    ),
    el(
      'ul',
      { class: 'duplicates', id: 'import-duplicates' },
      rows.map(([d, choice]) =>
        el(
          'li',
          {},
          el('span', {}, d.line ? `Line ${d.line}, ` : '', `${d.name}: ${d.reason} `),
          choice,
        )
      ),
    ),
  ];
  const choices = () => ({
    all: all.value,
    rows: Object.fromEntries(
      rows.filter(([, c]) => c.value !== all.value).map(([d, c]) => [d.line, c.value]),
    ),
  });
  return [part, choices];
}

/** The Import button of preview `p` of the file `buffer`; a refusal is shown in `preview`. */
function importButton(buffer, options, p, choices, preview) {
  const go = el('button', {
    type: 'button',
    class: 'button primary',
    id: 'import-go',
    disabled: p.problems.length > 0 || p.accepted === 0,
  }, `Import ${plural(p.accepted, 'client')}`);
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const done = await api.importFile(buffer, options, choices());
      const left = [
        done.skipped_duplicates ? plural(done.skipped_duplicates, 'likely duplicate') : null,
        done.skipped_rows ? plural(done.skipped_rows, 'row') + ' with nothing to go on' : null,
      ].filter(Boolean);
      // The view is drawn anew after the import, so the result is told in a toast.
      const merged = done.merged.length
        ? `; merged ${plural(done.merged.length, 'row')} into clients already known`
        : '';
      toast(
        `Imported ${plural(done.client_ids.length, 'client')}${merged}${
          left.length ? `; left out ${left.join(' and ')}` : ''
        }.`,
      );
    } catch (e) {
      fill(preview, refusal(e));
    }
  });
  return go;
}

/** The encodings offered when the one detected is wrong, by their standard names. */
const ENCODINGS = [
  'UTF-8',
  'UTF-16LE',
  'UTF-16BE',
  'windows-1252',
  'ISO-8859-15',
  'windows-1250',
  'ISO-8859-2',
  'windows-1251',
  'KOI8-R',
  'windows-1253',
  'windows-1254',
  'windows-1257',
  'Shift_JIS',
  'EUC-JP',
  'GBK',
  'gb18030',
  'Big5',
  'EUC-KR',
  'macintosh',
];

const DELIMITERS = [[',', 'commas'], [';', 'semicolons'], ['\t', 'tabs'], ['|', 'bars']];

/** How the text was read, each choice a menu to read it otherwise: `change(key, value)`. */
function readingPart(p, change) {
  const menu = (id, label, value, choices, key) =>
    el(
      'select',
      { id, 'aria-label': label, onchange: (e) => change(key, e.target.value) },
      choices.map(([v, text]) => el('option', { value: v, selected: v === value }, text)),
    );
  const encodings = ENCODINGS.includes(p.encoding) ? ENCODINGS : [p.encoding, ...ENCODINGS];
  return el(
    'p',
    { class: 'import-reading' },
    'Read as ',
    menu('import-encoding', 'Encoding', p.encoding, encodings.map((e) => [e, e]), 'encoding'),
    p.delimiter
      ? [
        ', fields separated by ',
        menu('import-delimiter', 'Delimiter', p.delimiter, DELIMITERS, 'delimiter'),
      ]
      : null,
    '. If names look garbled, choose another.',
  );
}

/** A list of lines (`line`, then `words`), the first 20 shown and the rest behind a button. */
function lineList(id, items, words) {
  const li = (item) => el('li', {}, `Line ${item.line}: `, words(item));
  const list = el('ul', { class: 'problems', id }, items.slice(0, 20).map(li));
  if (items.length > 20) {
    const more = el('button', {
      type: 'button',
      class: 'link-button',
      onclick: () => {
        list.append(...items.slice(20).map(li));
        more.remove();
      },
    }, `Show all ${items.length.toLocaleString()}`);
    return [list, more];
  }
  return list;
}

/** The rows left out, and the button that saves them as a file of their own. */
function skippedPart(buffer, options, p) {
  const save = el('button', {
    type: 'button',
    class: 'button small',
    id: 'import-save-skipped',
    onclick: async () => {
      const path = await api.saveSkippedRows(buffer, options);
      if (path) toast(`The skipped rows are saved in ${path}`);
    },
  }, p.format === 'vcard' ? 'Save the skipped cards' : 'Save the skipped rows');
  return [
    el(
      'p',
      { id: 'import-skipped-title' },
      `${plural(p.skipped.length, 'row')} will be left out, `,
      'each with nothing that says who it is or that can be read: ',
      save,
    ),
    lineList('import-skipped', p.skipped, (s) => s.reason),
  ];
}

/**
 * Previews `buffer` read as `options` say into `preview`. `reading` is how the file was read
 * when the user chose another encoding or delimiter: if the file is refused read that way, the
 * menus stay, so that they can choose again.
 */
async function showPreview(preview, buffer, options = {}, reading = null) {
  // Another encoding or delimiter may make other columns: they are guessed again.
  const reread = (from) => (key, value) =>
    showPreview(preview, buffer, { ...options, mapping: null, [key]: value }, {
      encoding: from.encoding,
      delimiter: from.delimiter,
      [key]: value,
    });
  let p;
  try {
    p = await api.previewImport(buffer, options);
  } catch (e) {
    fill(preview, reading ? readingPart(reading, reread(reading)) : null, refusal(e));
    return;
  }
  const remap = () =>
    showPreview(preview, buffer, {
      ...options,
      mapping: [...preview.querySelectorAll('select[data-column]')].map((s) => s.value),
    });
  const [duplicates, choices] = p.duplicates.length
    ? duplicatesPart(p)
    : [null, () => ({ all: 'import', rows: {} })];
  const ready = `${plural(p.accepted, 'client')} ready to import`;
  fill(
    preview,
    el(
      'p',
      { id: 'import-summary' },
      `${p.source}: ${ready}`,
      p.rows > p.accepted ? ` of ${plural(p.rows, 'row')}` : '',
      '.',
    ),
    p.format === 'json' ? null : readingPart(p, reread(p)),
    p.format === 'csv' && p.headers.length ? mappingTable(p, remap) : null,
    p.problems.length
      ? [
        el('p', { class: 'form-error', role: 'alert' }, 'This file cannot be imported:'),
        problemsList(p.problems),
      ]
      : null,
    p.skipped.length ? skippedPart(buffer, options, p) : null,
    p.warnings.length
      ? [
        el(
          'p',
          { id: 'import-warnings-title' },
          `${plural(p.warnings.length, 'value')} will be left out or changed:`,
        ),
        lineList('import-warnings', p.warnings, (w) => `${w.field}: ${w.message}`),
      ]
      : null,
    duplicates,
    el('div', { class: 'button-row' }, importButton(buffer, options, p, choices, preview)),
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
      'From a CSV file (LinkedIn, Google Contacts and Outlook exports are recognised), vCard files from an address book, or a Rapport journal (JSON, into an empty journal). You see what will be imported first: the rows ready, the rows left out and why, and every value dropped or changed.',
    ),
    input,
    preview,
  );
}
