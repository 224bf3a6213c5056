// Sign-in at the door: a full-screen form over a meeting note. Each attendee
// types their own name (and, if they like, a phone, their language and their
// consent); the screen shows nobody else's data, clears after each entry,
// and only counts. Existing people are matched by the core, never listed
// here. Leaving needs the vault's passphrase.
//
// Texts are in English and Spanish together, whatever the app is set to.

import * as api from './api.js';
import { $, errorText, showFieldError } from './status.js';

/** The note being signed in to, while the door screen is up. */
let note = null;

function clearEntry() {
  $('door-name').value = '';
  $('door-phone').value = '';
  $('door-consent-contact').checked = false;
  $('door-consent-share').checked = false;
  showFieldError($('door-error'), '');
}

/** Opens the door screen for the note `id`, whose attendees number `count`. */
export async function openDoor(id, count) {
  const texts = await api.doorTexts();
  for (const e of document.querySelectorAll('[data-door]')) {
    e.textContent = texts[e.getAttribute('data-door')] || '';
  }
  note = id;
  clearEntry();
  $('door-thanks').textContent = '';
  $('door-count').textContent = String(count || 0);
  $('door-leave-pass').value = '';
  $('door-leave-box').open = false;
  showFieldError($('door-leave-error'), '');
  document.body.classList.add('at-door');
  $('door').hidden = false;
  $('door-name').focus();
}

/** Closes it (after the passphrase, or when the vault locks). */
export function closeDoor() {
  note = null;
  clearEntry();
  $('door-leave-pass').value = '';
  $('door-thanks').textContent = '';
  $('door').hidden = true;
  document.body.classList.remove('at-door');
}

export function doorOpen() {
  return note !== null;
}

let onLeave = () => {};

async function submit(e) {
  e.preventDefault();
  if (!note) {
    return;
  }
  const entry = {
    name: $('door-name').value,
    phone: $('door-phone').value,
    lang: $('door-lang').value,
    consent_contact: $('door-consent-contact').checked,
    consent_share: $('door-consent-share').checked,
  };
  $('door-submit').disabled = true;
  try {
    const r = await api.signIn(note, entry);
    clearEntry();
    $('door-thanks').textContent = r.thanks;
    $('door-count').textContent = String(r.headcount);
    $('door-name').focus();
  } catch (err) {
    showFieldError($('door-error'), errorText(err));
    $('door-name').focus();
  } finally {
    $('door-submit').disabled = false;
  }
}

async function leave(e) {
  e.preventDefault();
  const pass = $('door-leave-pass').value;
  try {
    await api.leaveDoor(pass);
  } catch (err) {
    $('door-leave-pass').value = '';
    showFieldError($('door-leave-error'), errorText(err));
    $('door-leave-pass').focus();
    return;
  }
  const id = note;
  closeDoor();
  onLeave(id);
}

export function wireDoor(hooks) {
  onLeave = hooks.left;
  $('door-form').addEventListener('submit', submit);
  $('door-leave-form').addEventListener('submit', leave);
  // Escape does not leave; only the passphrase does.
  $('door').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
    }
  });
}
