// The Settings screen: the automatic lock (re-authenticated with the
// passphrase), changing the passphrase, and the panic wipe with its
// 10-second countdown that can be cancelled (button or Escape).
//
// app.js hands in how to remember a new status and what to do once the
// vault is destroyed; the core checks every value again.

import * as api from './api.js';
import { msg, count } from './i18n.js';
import { $, say, sayText, errorText, showFieldError, setBusy, updateStrength } from './status.js';

const WIPE_SECONDS = 10;
const AUTO_LOCK_MIN = 1;
const AUTO_LOCK_MAX = 240;

let app = null;
let newPassScore = 0;
/** The running countdown: {left, word, timer}, or null. */
let wipe = null;
/** Every wipe word the core has shown (one per language), lowercased. */
const wipeWords = new Set();

/** Remembers the wipe word of a status, so either language's word works. */
export function rememberWipeWord(st) {
  if (st && st.wipe_word) {
    wipeWords.add(st.wipe_word.trim().toLowerCase());
  }
}

/** Fills the Settings screen from `st` and empties its passphrase inputs. */
export function fillSettings(st) {
  rememberWipeWord(st);
  $('auto-lock-minutes').value = String(st.auto_lock_minutes);
  $('wipe-word-shown').textContent = st.wipe_word;
  showWipeFiles(st.wipe_files || []);
  clearSettings();
  for (const id of ['auto-lock-error', 'change-pass-error', 'wipe-error']) {
    showFieldError($(id), '');
  }
}

/** Empties every passphrase (and the wipe word, unless a countdown runs). */
export function clearSettings() {
  for (const id of ['auto-lock-pass', 'current-pass', 'new-pass', 'new-pass-repeat']) {
    $(id).value = '';
  }
  if (!wipe) {
    $('wipe-word').value = '';
  }
  $('new-pass-strength').textContent = '';
  $('new-pass-strength').removeAttribute('data-score');
  newPassScore = 0;
  $('change-pass').disabled = true;
}

/** After a language switch: the wipe word and strength hint in the new language. */
export function relabelSettings(st) {
  rememberWipeWord(st);
  $('wipe-word-shown').textContent = st.wipe_word;
  if ($('new-pass').value) {
    newPassStrength();
  }
}

export function wipeRunning() {
  return wipe !== null;
}

async function saveAutoLock(event) {
  event.preventDefault();
  const error = $('auto-lock-error');
  const raw = $('auto-lock-minutes').value.trim();
  const minutes = Number(raw);
  if (!/^\d+$/.test(raw) || minutes < AUTO_LOCK_MIN || minutes > AUTO_LOCK_MAX) {
    showFieldError(error, msg('ui-auto-lock-range'));
    say('ui-auto-lock-range', true);
    $('auto-lock-minutes').focus();
    return;
  }
  const pass = $('auto-lock-pass').value;
  if (!pass) {
    showFieldError(error, msg('err-pass-empty'));
    say('err-pass-empty', true);
    $('auto-lock-pass').focus();
    return;
  }
  showFieldError(error, '');
  setBusy([$('save-auto-lock')], true);
  try {
    const st = await api.setAutoLock(minutes, pass);
    app.remember(st);
    $('auto-lock-pass').value = '';
    $('auto-lock-minutes').value = String(st.auto_lock_minutes);
    say('ui-auto-lock-saved');
  } catch (err) {
    const text = errorText(err);
    showFieldError(error, text);
    sayText(text, true);
    $(err && err.field === 'minutes' ? 'auto-lock-minutes' : 'auto-lock-pass').focus();
  } finally {
    setBusy([$('save-auto-lock')], false);
  }
}

function newPassStrength() {
  return updateStrength($('new-pass'), $('new-pass-strength'), (score) => {
    newPassScore = score;
    $('change-pass').disabled = score === 0;
  });
}

async function changePassphrase(event) {
  event.preventDefault();
  const error = $('change-pass-error');
  const current = $('current-pass').value;
  const next = $('new-pass').value;
  if (!current) {
    showFieldError(error, msg('err-pass-empty'));
    say('err-pass-empty', true);
    $('current-pass').focus();
    return;
  }
  if (newPassScore === 0) {
    $('new-pass').focus();
    return;
  }
  if (next !== $('new-pass-repeat').value) {
    showFieldError(error, msg('err-pass-mismatch'));
    say('err-pass-mismatch', true);
    $('new-pass-repeat').focus();
    return;
  }
  showFieldError(error, '');
  const button = $('change-pass');
  setBusy([button], true);
  try {
    await api.changePassphrase(current, next);
    clearSettings();
    say('passphrase-changed');
  } catch (err) {
    const text = errorText(err);
    showFieldError(error, text);
    sayText(text, true);
    $('current-pass').focus();
  } finally {
    setBusy([button], false);
    button.disabled = newPassScore === 0;
  }
}

function startWipe(event) {
  event.preventDefault();
  if (wipe) {
    return;
  }
  const typed = $('wipe-word').value.trim();
  if (!typed || !wipeWords.has(typed.toLowerCase())) {
    showFieldError($('wipe-error'), msg('ui-wipe-wrong-word'));
    say('ui-wipe-wrong-word', true);
    $('wipe-word').focus();
    return;
  }
  showFieldError($('wipe-error'), '');
  wipe = { left: WIPE_SECONDS, word: typed, timer: null };
  $('wipe-seconds').textContent = count('ui-wipe-countdown', WIPE_SECONDS);
  $('wipe-countdown').hidden = false;
  $('wipe-start').disabled = true;
  $('wipe-word').disabled = true;
  document.body.classList.add('wiping');
  say('ui-wipe-started', true);
  $('wipe-cancel').focus();
  wipe.timer = setInterval(tickWipe, 1000);
}

/** The handoff and backup files the wipe can also remove, as text; unticked. */
function showWipeFiles(files) {
  const list = $('wipe-files-list');
  list.replaceChildren();
  for (const f of files) {
    const li = document.createElement('li');
    li.textContent = f;
    list.appendChild(li);
  }
  $('wipe-files-some').hidden = files.length === 0;
  $('wipe-files-none').hidden = files.length > 0;
  $('wipe-files-also').checked = false;
}

function tickWipe() {
  if (!wipe) {
    return;
  }
  wipe.left -= 1;
  $('wipe-seconds').textContent = count('ui-wipe-countdown', Math.max(wipe.left, 0));
  if (wipe.left <= 0) {
    clearInterval(wipe.timer);
    doWipe(wipe.word);
  }
}

function endWipe() {
  if (wipe) {
    clearInterval(wipe.timer);
  }
  wipe = null;
  $('wipe-countdown').hidden = true;
  $('wipe-start').disabled = false;
  $('wipe-word').disabled = false;
  document.body.classList.remove('wiping');
}

/** Stops the countdown; with `announce`, says so and returns focus. */
export function cancelWipe(announce) {
  if (!wipe) {
    return;
  }
  endWipe();
  if (announce) {
    say('ui-wipe-cancelled');
    if (!$('settings').hidden) {
      $('wipe-start').focus();
    }
  }
}

async function doWipe(word) {
  try {
    const st = await api.panicWipe(word, $('wipe-files-also').checked);
    endWipe();
    $('wipe-word').value = '';
    app.wiped(st);
    say('ui-wiped');
  } catch (err) {
    endWipe();
    sayText(errorText(err), true);
  }
}

/** Wires the Settings screen. `hooks`: remember(status), wiped(status). */
export function wireSettings(hooks) {
  app = hooks;
  $('auto-lock-form').addEventListener('submit', saveAutoLock);
  $('change-pass-form').addEventListener('submit', changePassphrase);
  $('new-pass').addEventListener('input', newPassStrength);
  $('wipe-form').addEventListener('submit', startWipe);
  $('wipe-cancel').addEventListener('click', () => cancelWipe(true));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && wipe) {
      cancelWipe(true);
    }
  });
}
