// Interface text. The UI has no words of its own: every visible string is a
// Fluent message fetched from the core (`messages()` / `set_lang`), kept here
// as a map from id to text in the current language.
//
// Static text is declared in the HTML with attributes naming a message id:
//   data-msg="id"              -> the element's text
//   data-msg-placeholder="id"  -> its placeholder
//   data-msg-aria-label="id"   -> its aria-label
//   data-msg-title="id"        -> its title (tooltip)
// `fill()` applies them, so switching language relabels the page in place
// without touching anything a person has typed.
//
// Not here: text that comes with data (labels in `details`, choice labels in
// `form_spec`, dates and counts), which the core formats and the screens show.

import * as api from './api.js';

let table = Object.create(null);
let current = 'en';

export function lang() {
  return current;
}

/** Replaces the message map (from `messages()` or `set_lang`). */
export function setMessages(map, language) {
  table = Object.create(null);
  for (const [id, text] of Object.entries(map || {})) {
    table[id] = String(text);
  }
  if (language) {
    current = language;
  }
}

/** Switches language in the backend, which remembers it, and loads its text. */
export async function switchTo(language) {
  const change = await api.setLang(language);
  setMessages(change.messages, change.lang || language);
  return current;
}

/** The text of message `id` (the id itself if it is missing, to be noticed). */
export function msg(id) {
  return id in table ? table[id] : id;
}

/**
 * A whole number as the reader writes it: 12,500 in English and in the
 * Spanish of the US and Mexico alike (the core's `i18n::number`).
 */
export function formatNumber(n) {
  const digits = String(Math.trunc(Math.abs(Number(n) || 0)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (Number(n) < 0 ? '-' : '') + grouped;
}

/**
 * Message `id` for `n` things, from the forms the core sends for counted
 * messages (`id.one` for one, `id` with `{n}` where the number goes).
 */
export function count(id, n) {
  const one = id + '.one';
  if (Number(n) === 1 && one in table) {
    return table[one];
  }
  return msg(id).replace('{n}', formatNumber(n));
}

const ATTRS = [
  ['data-msg-placeholder', 'placeholder'],
  ['data-msg-aria-label', 'aria-label'],
  ['data-msg-title', 'title'],
];

/** Fills every data-msg* element under `root` with the current text. */
export function fill(root) {
  const scope = root || document;
  for (const el of scope.querySelectorAll('[data-msg]')) {
    el.textContent = msg(el.getAttribute('data-msg'));
  }
  for (const [data, attr] of ATTRS) {
    for (const el of scope.querySelectorAll('[' + data + ']')) {
      el.setAttribute(attr, msg(el.getAttribute(data)));
    }
  }
  if (!root) {
    document.documentElement.lang = current;
    // Parts that follow the language's order (date fields) rearrange.
    document.dispatchEvent(new Event('langchange'));
  }
}

/** A new element whose text is message `id`, relabelled by `fill()`. */
export function labelled(tag, id, className) {
  const el = document.createElement(tag);
  el.setAttribute('data-msg', id);
  el.textContent = msg(id);
  if (className) {
    el.className = className;
  }
  return el;
}
