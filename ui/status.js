// Small helpers every screen shares: the status region (#status, a polite
// live region for confirmations and errors), error text from a rejected
// command, field errors, busy buttons and the passphrase strength hint.

import * as api from './api.js';
import { msg } from './i18n.js';

export const $ = (id) => document.getElementById(id);

export function el(tag, className) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  return e;
}

/** The last status message: {id} (redrawn in a new language) or {text}. */
let said = null;

/** Whether an error next to a field already says `text` (then it is not repeated). */
function shownByField(text) {
  for (const node of document.querySelectorAll('.field-error')) {
    if (!node.hidden && node.textContent === text && node.offsetParent !== null) {
      return true;
    }
  }
  return false;
}

function showStatus(text, error) {
  const s = $('status');
  if (error && text && shownByField(text)) {
    // Each error is shown once, next to what it is about.
    said = null;
    text = '';
    error = false;
  }
  s.classList.toggle('error', Boolean(error));
  s.classList.toggle('ok', Boolean(text) && !error);
  s.textContent = text || '';
}

/** Shows message `id` in the status region. */
export function say(id, error) {
  said = { id, error: Boolean(error) };
  showStatus(msg(id), error);
}

/** Shows a text the backend already put in the person's language. */
export function sayText(text, error) {
  said = { text, error: Boolean(error) };
  showStatus(text, error);
}

/** Empties the status region. */
export function quiet() {
  said = null;
  showStatus('', false);
}

/** After a language switch: our own message again, in the new language. */
export function redrawStatus() {
  if (said && said.id) {
    showStatus(msg(said.id), said.error);
  }
}

/** The message of a rejected command, or a general one. */
export function errorText(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string' && err.message) {
    return err.message;
  }
  return msg('ui-error-unknown');
}

/** Shows (or, with no text, hides) an error next to a field. */
export function showFieldError(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
  if (text && $('status').textContent === text) {
    quiet();
  }
}

export function setBusy(buttons, busy) {
  for (const b of buttons) {
    b.disabled = busy;
  }
  document.body.classList.toggle('busy', busy);
}

/**
 * Asks the core how strong the passphrase in `input` is, shows its hint in
 * `out` and tells `onScore` (0 = too short to use).
 */
export async function updateStrength(input, out, onScore) {
  const value = input.value;
  if (!value) {
    out.textContent = '';
    out.removeAttribute('data-score');
    onScore(0);
    return;
  }
  try {
    const s = await api.passphraseStrength(value);
    if (input.value !== value) {
      return;
    }
    out.textContent = s.hint;
    out.setAttribute('data-score', String(s.score));
    onScore(s.score);
  } catch (err) {
    out.textContent = errorText(err);
  }
}
