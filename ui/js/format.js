// Words and dates as a person reads them: stages by name, moments in the user's own time zone.

const STAGES = {
  me_too: 'Me too',
  foothold: 'Foothold',
  me_first: 'Me first',
  only_me: 'Only me',
};

/** The stage's name as the essays write it. */
export const stageLabel = (stage) => STAGES[stage] ?? stage;

/** "1 day", "3 days". */
export const days = (n) => `${n} ${Math.abs(n) === 1 ? 'day' : 'days'}`;

/** How long ago, in words: "today", "yesterday", "12 days ago". */
export function ago(n) {
  if (n === null || n === undefined) return 'never';
  if (n <= 0) return 'today';
  if (n === 1) return 'yesterday';
  return `${days(n)} ago`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** A stored UTC moment as a local date: "3 Mar 2026". */
export const localDate = (iso) => (iso ? dateFormat.format(new Date(iso)) : '');
