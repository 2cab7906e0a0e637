// The snooze menu: a day, a week, or a moment typed as a phrase ("monday", "in 3 days").

import * as api from './api.js';
import { debounce, el } from './dom.js';
import { localDateTime } from './format.js';

const DAY = 86400000;

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
  // The menu opens in the page's top layer (a popover), so no row's containment or overflow
  // clips it, and is placed beside its button: below it, or above where the window ends.
  const place = () => {
    if (!list) return;
    const b = button.getBoundingClientRect();
    const m = list.getBoundingClientRect();
    const below = b.bottom + 4 + m.height <= innerHeight - 4;
    list.style.top = `${below ? b.bottom + 4 : Math.max(4, b.top - 4 - m.height)}px`;
    list.style.left = `${Math.max(4, Math.min(b.right - m.width, innerWidth - m.width - 4))}px`;
  };
  const close = () => {
    if (!list) return;
    removeEventListener('scroll', place, true);
    removeEventListener('resize', place);
    list.remove();
    list = null;
    button.setAttribute('aria-expanded', 'false');
  };
  const choose = async (iso) => {
    close();
    await onPick(iso);
  };
  const open = () => {
    const input = el('input', {
      placeholder: 'or type: next monday',
      'aria-label': 'Snooze until',
    });
    const note = el('p', { class: 'field-note' });
    const error = el('p', { class: 'field-error' });
    let moment = null;
    const read = debounce(async () => {
      moment = null;
      note.textContent = '';
      error.textContent = '';
      if (!input.value.trim()) return;
      try {
        moment = await api.parseDue(input.value);
        note.textContent = `→ ${localDateTime(moment)}`;
      } catch (e) {
        error.textContent = e.message.replace(/^due: /, '');
      }
    }, 200);
    input.addEventListener('input', read);
    input.addEventListener('keydown', async (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        try {
          moment = await api.parseDue(input.value);
          choose(moment);
        } catch (e) {
          error.textContent = e.message.replace(/^due: /, '');
        }
      }
    });
    list = el(
      'div',
      { class: 'menu-list', role: 'menu', popover: 'manual' },
      el('button', {
        type: 'button',
        role: 'menuitem',
        onclick: () => choose(new Date(Date.now() + DAY).toISOString()),
      }, 'For a day'),
      el('button', {
        type: 'button',
        role: 'menuitem',
        onclick: () => choose(new Date(Date.now() + 7 * DAY).toISOString()),
      }, 'For a week'),
      el('div', { class: 'menu-custom' }, input),
      note,
      error,
    );
    list.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close();
        button.focus();
      }
    });
    wrap.append(list);
    list.showPopover();
    place();
    addEventListener('scroll', place, true);
    addEventListener('resize', place);
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
