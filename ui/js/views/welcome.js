// The first run: what to do first, and a sample journal to explore (clearly marked, removable).

import * as api from '../api.js';
import { el, toast } from '../dom.js';
import { openLog } from '../log-touch.js';
import { askingButton } from '../confirm.js';
import { button, muted } from '../parts.js';

export function welcome() {
  return el(
    'section',
    { class: 'welcome', id: 'welcome' },
    el('h1', {}, 'Welcome to Rapport'),
    el(
      'p',
      { class: 'lead' },
      'A private journal for the relationships your work runs on. It remembers who you spoke to, what you promised, and tells you who has gone too long without a touch.',
    ),
    el(
      'ol',
      {},
      el(
        'li',
        {},
        'Right after your next call, log the touch: who, what was said, what you promised.',
      ),
      el('li', {}, 'Add a follow-up with a date as you would say it: “in 2 weeks”, “next friday”.'),
      el('li', {}, 'Come back to Today each morning: it lists who needs you, most urgent first.'),
    ),
    el(
      'div',
      { class: 'actions' },
      button('Log your first touch', () => openLog(), 'primary', { id: 'welcome-log' }),
      el('button', {
        type: 'button',
        class: 'button',
        id: 'welcome-sample',
        onclick: async () => {
          await api.loadSample();
          toast('Sample journal loaded');
        },
      }, 'Explore a sample journal'),
    ),
    muted('Your journal stays on this computer. Nothing is sent anywhere.'),
  );
}

export function sampleBanner() {
  return el(
    'div',
    { class: 'banner', id: 'sample-banner' },
    el('span', { class: 'badge sample' }, 'Sample'),
    el(
      'p',
      {},
      'You are looking at a sample journal. Your own clients are kept when you remove it.',
    ),
    askingButton(
      { class: 'button small', id: 'remove-sample' },
      'Remove sample',
      'Remove the sample clients and everything logged about them?',
      'Remove sample',
      async () => {
        await api.removeSample();
        toast('Sample journal removed');
      },
    ),
  );
}
