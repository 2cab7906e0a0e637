// Words and dates as a person reads them: stages and kinds by name, moments in local time. The
// window's words for the code's terms are kept here: what the code calls the cadence, the window
// calls the rhythm.

export const STAGES = [
  ['me_too', 'Me too'],
  ['foothold', 'Foothold'],
  ['me_first', 'Me first'],
  ['only_me', 'Only me'],
];

const KINDS = {
  call: 'Call',
  meeting: 'Meeting',
  email: 'Email',
  message: 'Message',
  event: 'Event',
  value_add: 'Value-add',
  introduction: 'Introduction',
};

/** The stage's name as the essays write it. */
export const stageLabel = (stage) => Object.fromEntries(STAGES)[stage] ?? stage;

/** The touch kind's name; `null` is a note. */
export const kindLabel = (kind) => (kind ? KINDS[kind] ?? kind : 'Note');

/** "1 day", "3 days". */
export const days = (n) => `${n} ${Math.abs(n) === 1 ? 'day' : 'days'}`;

/** How long ago, in words: "today", "yesterday", "12 days ago". */
export function ago(n) {
  if (n === null || n === undefined) return 'never';
  if (n <= 0) return 'today';
  if (n === 1) return 'yesterday';
  return `${days(n)} ago`;
}

/** How far ahead: "today", "tomorrow", "in 5 days". */
export function ahead(n) {
  if (n <= 0) return 'today';
  if (n === 1) return 'tomorrow';
  return `in ${days(n)}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A stored UTC moment as a local date: "3 Mar 2026". */
export const localDate = (iso) => (iso ? dateFormat.format(new Date(iso)) : '');

/** A stored UTC moment as a local date and time: "Mon, 7 Dec 2026, 09:00". */
export const localDateTime = (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : '');

/** Whole local calendar days from today to `iso` (negative: in the past). */
export function daysFromToday(iso) {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const then = new Date(iso);
  then.setHours(0, 0, 0, 0);
  return Math.round((then - start) / 86400000);
}
