// Building DOM from data. Journal text only ever goes in as text nodes, never as HTML, so a note
// that contains markup is shown literally.

/**
 * Creates an element: `el('p', {class: 'x', dataset: {id: 1}}, 'text', child)`.
 * Attributes starting with `on` are event listeners.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'value') node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `node` with `children`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * Puts a view's new `page` in place of the one it showed. The view hears of it first (a `swap`
 * event), so that a redraw keeping the reader's place reads that place at the last moment.
 */
export function show(view, page) {
  view.dispatchEvent(new Event('swap'));
  return fill(view, page);
}

/** A search snippet: matched words in `<mark>`, everything as text. */
export const snippet = (segments) =>
  el('p', { class: 'snippet' }, segments.map((s) => (s.hit ? el('mark', {}, s.text) : s.text)));

/** A short message in the corner. */
export function toast(message, { error = false, undo = null } = {}) {
  const node = el('div', {
    class: `toast${error ? ' error' : ''}`,
    role: error ? 'alert' : 'status',
  }, message);
  let run = null;
  if (undo) {
    // The latest undo is also Ctrl Z's, for as long as its toast is shown.
    run = async () => {
      node.remove();
      if (lastUndo === run) lastUndo = null;
      await undo();
    };
    node.append(' ', el('button', { type: 'button', class: 'toast-undo', onclick: run }, 'Undo'));
    lastUndo = run;
  }
  document.getElementById('toasts').append(node);
  setTimeout(() => {
    node.remove();
    if (run && lastUndo === run) lastUndo = null;
  }, error ? 7000 : undo ? 8000 : 3500);
}

// The undo of the latest toast that offers one, while that toast is shown.
let lastUndo = null;

/** Runs the undo the latest toast offers; false when there is none to run. */
export function undoLast() {
  if (!lastUndo) return false;
  lastUndo();
  return true;
}

/** Whether a key pressed at `target` belongs to what is being typed or to an open dialog. */
export function typing(target) {
  return target.closest?.('input, textarea, select, [contenteditable]') ||
    document.querySelector('dialog[open]');
}

/**
 * Runs `work` with `button` disabled, so a second press cannot start it twice. A disabled button
 * drops the focus to the page; if it had the focus, it gets it back once the work ends with the
 * button still shown, so a save that failed is tried again with the same key.
 */
export async function busy(button, work) {
  const had = document.activeElement === button;
  button.disabled = true;
  try {
    return await work();
  } finally {
    if (button.isConnected) {
      button.disabled = false;
      const lost = !document.activeElement || document.activeElement === document.body;
      if (had && lost) button.focus();
    }
  }
}

/** Runs `fn` after `ms` of quiet: typing stays smooth while queries wait for a pause. */
export function debounce(fn, ms = 150) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
