// The one module that talks to the backend. Every other module calls these functions, so the
// command names and argument shapes live in one place.

const { invoke } = window.__TAURI__.core;

/** A backend error as the UI uses it: `kind` to branch on, `message` to show. */
export class ApiError extends Error {
  constructor({ kind, message, field }) {
    super(message);
    this.kind = kind;
    this.field = field ?? null;
  }
}

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (e) {
    throw new ApiError(typeof e === 'object' && e ? e : { kind: 'unknown', message: String(e) });
  }
}

/** Where the journal file is, and whether it opened. */
export const journalStatus = () => call('journal_status');

/** The client list: `filter` as the core's ClientFilter. */
export const listClients = (filter = {}) => call('list_clients', { filter });

/** Overdue relationships and due follow-ups, most urgent first. */
export const whoNeedsMe = (limit = 100) => call('who_needs_me', { limit });
