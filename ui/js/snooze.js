// The snooze menu: a day, a week, or a moment typed as a phrase ("monday", "in 3 days").

import * as api from './api.js';
import { debounce, el } from './dom.js';
import { localDateTime } from './format.js';

const DAY = 86400000;

/** The moment `days` from now, as the backend takes it. */
const inDays = (days) => new Date(Date.now() + days * DAY).toISOString();

/**
 * The field for a moment typed as a phrase, read back as a date while typed; Enter calls
 * `choose` with the moment.
 */
function phraseField(choose) {
  const input = el('input', { placeholder: 'or type: next monday', 'aria-label': 'Snooze until' });
  const note = el('p', { class: 'field-note' });
  const error = el('p', { class: 'field-error' });
  const show = (e) => {
    error.textContent = e.message.replace(/^due: /, '');
  };
  input.addEventListener(
    'input',
    debounce(async () => {
      note.textContent = '';
      error.textContent = '';
      if (!input.value.trim()) return;
      try {
        note.textContent = `→ ${localDateTime(await api.parseDue(input.value))}`;
      } catch (e) {
        show(e);
      }
    }, 200),
  );
  input.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    event.stopPropagation();
    try {
      choose(await api.parseDue(input.value));
    } catch (e) {
      show(e);
    }
  });
  return [el('div', { class: 'menu-custom' }, input), note, error];
}

/**
 * Places the open menu `list` beside `button`: below it, or above where the window ends. The
 * menu is a popover in the page's top layer, so no row's containment or overflow clips it.
 */
function place(list, button) {
  const b = button.getBoundingClientRect();
  const m = list.getBoundingClientRect();
  const below = b.bottom + 4 + m.height <= innerHeight - 4;
  list.style.top = `${below ? b.bottom + 4 : Math.max(4, b.top - 4 - m.height)}px`;
  list.style.left = `${Math.max(4, Math.min(b.right - m.width, innerWidth - m.width - 4))}px`;
}

/** A "Snooze" button whose menu calls `onPick(isoMoment)`. */
export function snoozeButton(onPick, label = 'Snooze') {
  const wrap = el('div', { class: 'menu' });
  const button = el('button', {
    type: 'button',
    class: 'button small',
    'aria-haspopup': 'true',
    'aria-expanded': 'false',
  }, label);
  let list = null;
  const follow = () => list && place(list, button);
  const close = () => {
    if (!list) return;
    removeEventListener('scroll', follow, true);
    removeEventListener('resize', follow);
    list.remove();
    list = null;
    button.setAttribute('aria-expanded', 'false');
  };
  const choose = async (iso) => {
    close();
    await onPick(iso);
  };
  const item = (text, days) =>
    el('button', { type: 'button', role: 'menuitem', onclick: () => choose(inDays(days)) }, text);
  const open = () => {
    list = el(
      'div',
      { class: 'menu-list', role: 'menu', popover: 'manual' },
      item('For a day', 1),
      item('For a week', 7),
      phraseField(choose),
    );
    // Up and Down move through the choices (the typed moment last) and stay in the menu, never
    // reaching the list the menu's row is in.
    list.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close();
        button.focus();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        event.stopPropagation();
        const stops = [...list.querySelectorAll('[role=menuitem], input')];
        const at = stops.indexOf(document.activeElement);
        const next = event.key === 'ArrowDown'
          ? Math.min(stops.length - 1, at + 1)
          : Math.max(0, at - 1);
        stops[next].focus();
      }
    });
    wrap.append(list);
    list.showPopover();
    follow();
    addEventListener('scroll', follow, true);
    addEventListener('resize', follow);
    button.setAttribute('aria-expanded', 'true');
    list.querySelector('button').focus();
  };
  button.addEventListener('click', () => (list ? close() : open()));
  wrap.addEventListener('focusout', (event) => {
    if (list && !wrap.contains(event.relatedTarget)) {
      setTimeout(() => {
        if (!wrap.contains(document.activeElement)) close();
      }, 0);
    }
  });
  wrap.append(button);
  wrap.open = open;
  return wrap;
}
