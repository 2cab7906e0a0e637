// The one module that talks to the backend. Every other module calls these functions, so the
// command names and argument shapes live in one place.

const { invoke } = window.__TAURI__.core;

/** A backend error as the UI uses it: `kind` to branch on, `field` to point at, `message` to show. */
export class ApiError extends Error {
  constructor({ kind, message, field, problems }) {
    super(message);
    this.kind = kind;
    this.field = field ?? null;
    /** A refused import's bad lines: `[{line, reason}]`. */
    this.problems = problems ?? [];
  }
}

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (e) {
    const error = new ApiError(
      typeof e === 'object' && e ? e : { kind: 'unknown', message: String(e) },
    );
    // The journal's file was replaced under Rapport: the window shows why, not a toast.
    if (error.kind === 'replaced') window.dispatchEvent(new CustomEvent('journal-lost'));
    throw error;
  }
}

// Every change to the journal goes through `change`, which tells the open views to refresh.
async function change(command, args) {
  const result = await call(command, args);
  window.dispatchEvent(new CustomEvent('journal-changed', { detail: { command } }));
  return result;
}

export const journalStatus = () => call('journal_status');

/** Names the window after what it shows, as the taskbar and window switcher list it. */
export const setWindowTitle = (title) => window.__TAURI__.window.getCurrentWindow().setTitle(title);

export const listClients = (filter = {}) => call('list_clients', { filter });
export const clientOverview = (id) => call('client_overview', { id });
export const organisations = () => call('organisations');
export const tags = () => call('tags');
export const createClient = (input, stage = 'me_too') => change('create_client', { input, stage });
export const updateClient = (id, input) => change('update_client', { id, input });
export const archiveClient = (id) => change('archive_client', { id });
export const unarchiveClient = (id) => change('unarchive_client', { id });
export const deleteClient = (id) => change('delete_client', { id });
export const setStage = (id, stage, note = '') => change('set_stage', { id, stage, note });
/** Rewrites a stage move entered wrong: its stage, date (ISO) or note. */
export const updateStageChange = (id, stage, at, note) =>
  change('update_stage_change', { id, stage, at, note });
/** Deletes a stage move (the undo of one); the stage is again the latest move left. */
export const deleteStageChange = (id) => change('delete_stage_change', { id });
export const snoozeClient = (id, until) => change('snooze_client', { id, until });
/** Merges client `otherId` into `keepId`; returns what moved, with what undoing it needs. */
export const mergeClients = (keepId, otherId) => change('merge_clients', { keepId, otherId });
/** Undoes a merge, from what `mergeClients` returned. */
export const unmergeClients = (merged) => change('unmerge_clients', { merged });

export const logTouch = (input) => change('log_touch', { input });
export const updateTouch = (id, input) => change('update_touch', { id, input });
export const deleteTouch = (id) => change('delete_touch', { id });
export const addNote = (input) => change('add_note', { input });
export const updateNote = (id, input) => change('update_note', { id, input });
export const deleteNote = (id) => change('delete_note', { id });

export const addFollowUp = (input) => change('add_follow_up', { input });
export const completeFollowUp = (id, done = true) => change('complete_follow_up', { id, done });
export const snoozeFollowUp = (id, until) => change('snooze_follow_up', { id, until });
/** Puts a follow-up's done and snooze moments back to `before`'s: the undo of done or reopen. */
export const restoreFollowUp = (before) => change('restore_follow_up', { before });
export const deleteFollowUp = (id) => change('delete_follow_up', { id });
export const updateFollowUp = (id, what, dueAt) => change('update_follow_up', { id, what, dueAt });

/** Rewrites an introduction's date (ISO) and note; who introduced whom stays. */
export const updateIntroduction = (id, at, note) => change('update_introduction', { id, at, note });
export const deleteIntroduction = (id) => change('delete_introduction', { id });
/** Puts back what a delete returned (every delete returns it): the undo of a delete. */
export const restore = (deleted) => change('restore', { deleted });

export const addIntroduction = (introducerId, introducedId, note = '') =>
  change('add_introduction', { introducerId, introducedId, note });

export const timeline = (clientId, cursor = null, limit = 50) =>
  call('timeline', { clientId, cursor, limit });
export const search = (query, limit = 50) => call('search', { query, limit });
export const searchClient = (clientId, query, limit = 100) =>
  call('search_client', { clientId, query, limit });
export const whoNeedsMe = (limit = 200) => call('who_needs_me', { limit });

/** Day/month order of numeric dates, from the locale. */
const dateOrder = () => (navigator.language === 'en-US' ? 'month_day' : 'day_month');

/** Reads a due-date phrase ("in 2 weeks") in local time, looking ahead. */
export const parseDue = (phrase) => call('parse_due', { phrase, order: dateOrder() });

/** Reads when a touch happened ("yesterday 3pm"; empty is now) in local time, looking back. */
export const parseWhen = (phrase) => call('parse_when', { phrase, order: dateOrder() });

export const loadSample = () => change('load_sample');
export const removeSample = () => change('remove_sample');

/** Adds a client and their first touch or note together; `entry` is `{type: 'touch'|'note', ...}`. */
export const addClientWithEntry = (client, entry) =>
  change('add_client_with_entry', { client, entry });

/** Quiet hours and the default rhythm (the cadence) of each stage. */
export const settings = () => call('settings');
export const setQuietHours = (start, end) =>
  change('set_quiet_hours', { quietHours: { start, end } });
export const setStageCadence = (stage, days) => change('set_stage_cadence', { stage, days });

/** Calls `handler` when the tray menu asks for the log-a-touch dialog. */
export const onTrayLog = (handler) => window.__TAURI__.event.listen('tray-log-touch', handler);

/** Calls `handler` with the new count when, with time, someone comes to need the user. */
export const onNeedsChanged = (handler) => window.__TAURI__.event.listen('needs-changed', handler);

/** Calls `handler` when the background check finds the journal damaged. */
export const onJournalDamaged = (handler) =>
  window.__TAURI__.event.listen('journal-damaged', handler);

/** Whether Rapport starts at login; and turning it on or off. */
export const startAtLogin = () => call('start_at_login');
export const setStartAtLogin = (enabled) => call('set_start_at_login', { enabled });

/** Backups: the list (newest first) with the folder and how many are kept; taking one; restoring one. */
export const backups = () => call('backups');
export const backUpNow = () => call('back_up_now');
export const setBackupKeep = (keep) => call('set_backup_keep', { keep });
export const restoreBackup = (path) => change('restore_backup', { path });
/** Restores a backup of another journal with that journal's passphrase or recovery key. */
export const restoreOtherBackup = (path, secret) =>
  change('restore_other_backup', { path, secret });

/** Saves an export (`journal`, `clients_csv`, `touches_csv`, `follow_ups_ics`) into Downloads; returns its path. */
export const exportData = (kind) => call('export', { kind });

/** Reads a file's bytes as the backend takes them. */
const byteArray = (buffer) => Array.from(new Uint8Array(buffer));

/**
 * What importing a file would do, read as `options` say: `{mapping, encoding, delimiter}`, each
 * null for Rapport's guess (`mapping`: one field per CSV column).
 */
export const previewImport = (buffer, options = {}) =>
  call('preview_import', { bytes: byteArray(buffer), options });
/** Imports the rows the preview accepted, read with the same `options`. */
/** `duplicates`: `{all, rows}`, each `import`, `skip` or `merge` (`rows` by line). */
export const importFile = (buffer, options, duplicates) =>
  change('import_file', { bytes: byteArray(buffer), options, duplicates });
/** Saves the rows an import leaves out into Downloads; returns the path, or null if none. */
export const saveSkippedRows = (buffer, options) =>
  call('save_skipped_rows', { bytes: byteArray(buffer), options });

/** How the journal is kept: `{encrypted, keyring, passphrase, plaintext_backups, created}`. */
export const privacy = () => call('privacy');
/** Creates the new journal, opened by `passphrase` (no keyring); returns its recovery key. */
export const choosePassphrase = (passphrase) => call('choose_passphrase', { passphrase });
/** Opens the journal waiting for its key with the passphrase. */
export const unlock = (passphrase) => call('unlock', { passphrase });
/** Opens the journal waiting for its key with the recovery key, typed as printed. */
export const unlockWithRecoveryKey = (recoveryKey) =>
  call('unlock_with_recovery_key', { recoveryKey });
/** Asks the desktop to unlock its keyring (its own prompt), then opens the journal. */
export const unlockKeyring = () => call('unlock_keyring');
/** Sets or changes the passphrase; the journal keeps its key. */
export const setPassphrase = (passphrase) => call('set_passphrase', { passphrase });
/** The open journal's recovery key, as text to print. */
export const recoveryKey = () => call('recovery_key');
/** Saves the recovery key as a text file in Downloads; returns its path. */
export const saveRecoveryKey = () => call('save_recovery_key');
/** Encrypts a journal kept in plain text; `passphrase` may be null with a keyring. Returns the recovery key. */
export const encryptJournal = (passphrase) => change('encrypt_journal', { passphrase });
/** Encrypts, or erases, the backups left in plain text; returns how many. */
export const encryptOldBackups = () => call('encrypt_old_backups');
export const deleteOldBackups = () => call('delete_old_backups');
/** Locks the journal now (one opened by its passphrase): the window asks for it again. */
export const lockNow = () => call('lock_now');
/** After how many idle minutes the window locks the journal (0: never). */
export const setLockAfter = (minutes) => change('set_lock_after', { minutes });
/** Calls `handler` when the journal was locked (the desktop locked its screen). */
export const onJournalLocked = (handler) =>
  window.__TAURI__.event.listen('journal-locked', handler);
