// Settings: when reminders stay quiet, the usual rhythm of each stage, start at login, how many
// backups to keep (one form with one Save, so nothing typed in one part is lost when another is
// saved); and your data: backups, export, import, which act at once.

import * as api from '../api.js';
import { el, show, toast } from '../dom.js';
import { STAGES } from '../format.js';
import { card, muted, pageHead } from '../parts.js';
import { backupsCard, exportCard } from './data.js';
import { importCard } from './import.js';
import { privacyCard } from '../privacy.js';

const hhmm = (time) => time.slice(0, 5);

/** A card of the settings form. */
const section = (title, ...children) => card({ class: 'edit-grid' }, title, null, ...children);

function quietHoursCard(start, end) {
  return section(
    'Quiet hours',
    el(
      'div',
      { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'quiet-start' }, 'Quiet from'), start),
      el('div', { class: 'field' }, el('label', { for: 'quiet-end' }, 'Until'), end),
    ),
    muted(
      'No notification is shown in these hours; what falls due waits for the morning. The same time twice turns quiet hours off.',
    ),
  );
}

function rhythmsCard(stageCadences) {
  const cadences = Object.fromEntries(stageCadences);
  const rhythms = STAGES.map(([stage, label]) =>
    el(
      'div',
      { class: 'field' },
      el('label', { for: `cadence-${stage}` }, label),
      el('input', {
        type: 'number',
        min: 1,
        max: 3650,
        id: `cadence-${stage}`,
        value: cadences[stage],
        dataset: { stage },
      }),
    )
  );
  return section(
    'Usual rhythm by stage',
    el('div', { class: 'field-row' }, rhythms),
    muted(
      'Days between touches before a relationship is overdue. A client with their own rhythm keeps it.',
    ),
  );
}

function loginCard(login, atLogin) {
  return section(
    'Start at login',
    el(
      'label',
      { class: 'check' },
      login,
      'Start Rapport when I log in, so reminders reach me even before I open it',
    ),
    atLogin === null ? muted('This desktop does not let Rapport read its login items.') : null,
  );
}

export async function render(view) {
  const [s, atLogin] = await Promise.all([api.settings(), api.startAtLogin().catch(() => null)]);
  const login = el('input', {
    type: 'checkbox',
    id: 'start-at-login',
    checked: atLogin === true,
    disabled: atLogin === null,
  });
  const start = el('input', { type: 'time', id: 'quiet-start', value: hhmm(s.quiet_hours.start) });
  const end = el('input', { type: 'time', id: 'quiet-end', value: hhmm(s.quiet_hours.end) });
  const error = el('p', { class: 'form-error', role: 'alert' });
  const keep = el('input', { type: 'number', min: 2, max: 365, id: 'backup-keep' });
  const save = el(
    'button',
    { type: 'submit', class: 'button primary', id: 'settings-save' },
    'Save settings',
  );
  const form = el(
    'form',
    { class: 'page', id: 'settings-form', novalidate: true },
    pageHead('Settings', null, save),
    error,
    quietHoursCard(start, end),
    rhythmsCard(s.stage_cadences),
    loginCard(login, atLogin),
    // Your data: its buttons act at once (type=button); only the number kept is saved with it.
    await privacyCard(),
    await backupsCard(keep),
    exportCard(),
    importCard(),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      for (const input of form.querySelectorAll('input[data-stage]')) {
        await api.setStageCadence(input.dataset.stage, Number(input.value));
      }
      await api.setQuietHours(start.value, end.value);
      await api.setBackupKeep(Number(keep.value));
      if (atLogin !== null && login.checked !== atLogin) await api.setStartAtLogin(login.checked);
      toast('Settings saved');
    } catch (e) {
      error.textContent = e.message;
    }
  });
  show(view, form);
}
