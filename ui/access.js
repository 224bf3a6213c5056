// The two screens before the vault is open: Start (no vault yet: create one,
// or try the fictional sample chapter) and Unlock. Passphrases live only in
// their inputs, which are emptied as soon as the vault opens.
//
// app.js tells this module how to read the current status and what to do
// once a vault is open; this module never draws records.

import * as api from './api.js';
import { msg } from './i18n.js';
import { $, say, sayText, quiet, errorText, showFieldError, setBusy, updateStrength } from './status.js';

let createScore = 0;
let app = null;

/** Empties and shows the Start screen. `show(screen, focus)` is app.js's. */
export function showStart() {
  for (const id of ['new-vault-pass', 'new-vault-repeat']) {
    $(id).value = '';
  }
  $('strength').textContent = '';
  $('strength').removeAttribute('data-score');
  $('create-mismatch').hidden = true;
  createScore = 0;
  $('create').disabled = true;
  app.show('start', 'heading');
}

export function showUnlock() {
  $('unlock-pass').value = '';
  showFieldError($('unlock-error'), '');
  app.show('unlock', $('unlock-pass'));
}

/** Empties every passphrase input of these screens. */
export function clearPassphrases() {
  for (const id of ['new-vault-pass', 'new-vault-repeat', 'unlock-pass']) {
    $(id).value = '';
  }
}

/** After a language switch: the strength hint in the new language. */
export function relabelAccess() {
  if (!$('start').hidden) {
    createStrength();
  }
}

function createStrength() {
  return updateStrength($('new-vault-pass'), $('strength'), (score) => {
    createScore = score;
    $('create').disabled = score === 0;
  });
}

/** Shows (and returns) the mismatch when the repeat differs: once typed, or `always`. */
function createMismatch(always) {
  const repeat = $('new-vault-repeat').value;
  const shown = repeat !== $('new-vault-pass').value && (always || repeat !== '');
  $('create-mismatch').hidden = !shown;
  return shown;
}

async function createVault(event) {
  event.preventDefault();
  const pass = $('new-vault-pass').value;
  if (createScore === 0) {
    $('new-vault-pass').focus();
    return;
  }
  if (createMismatch(true)) {
    // Shown once, next to the field (#create-mismatch).
    quiet();
    $('new-vault-repeat').focus();
    return;
  }
  const buttons = [$('create'), $('start-demo')];
  setBusy(buttons, true);
  say('ui-creating');
  try {
    app.opened(await api.createVault(pass), 'ui-vault-created');
  } catch (err) {
    sayText(errorText(err), true);
  } finally {
    setBusy(buttons, false);
    $('create').disabled = createScore === 0;
  }
}

/**
 * Opens the sample chapter, from the Start or the Unlock screen. It asks for
 * no passphrase: its vault has a fixed one, shown on screen, as it holds only
 * fictional records. Leaving it returns to the screen it was opened from.
 */
async function openDemo(from) {
  const exists = Boolean(app.status() && app.status().demo_exists);
  const buttons = [$('create'), $('start-demo'), $('unlock-go'), $('unlock-demo')];
  const error = $('unlock-error');
  showFieldError(error, '');
  setBusy(buttons, true);
  say(exists ? 'ui-opening' : 'ui-creating-demo');
  try {
    let st;
    try {
      st = await api.openDemo();
    } catch (err) {
      // A sample chapter made earlier with a passphrase of its own opens
      // with the passphrase typed on the Unlock screen.
      const typed = from === 'unlock' ? $('unlock-pass').value : '';
      if (!(err && err.kind === 'err-demo-own-pass' && typed)) {
        throw err;
      }
      st = await api.unlock(typed, true);
    }
    app.opened(st, 'ui-demo-opened');
  } catch (err) {
    const text = errorText(err);
    if (from === 'unlock') {
      quiet();
      showFieldError(error, text);
    } else {
      sayText(text, true);
    }
  } finally {
    setBusy(buttons, false);
    $('create').disabled = createScore === 0;
  }
}

async function unlock() {
  const input = $('unlock-pass');
  const pass = input.value;
  const error = $('unlock-error');
  if (!pass) {
    quiet();
    showFieldError(error, msg('err-pass-empty'));
    input.focus();
    return;
  }
  showFieldError(error, '');
  const buttons = [$('unlock-go'), $('unlock-demo')];
  setBusy(buttons, true);
  say('ui-opening');
  try {
    const st = await api.unlock(pass, false);
    quiet();
    app.opened(st, null);
  } catch (err) {
    // Shown once, next to the passphrase it is about.
    quiet();
    showFieldError(error, errorText(err));
    input.focus();
    input.select();
  } finally {
    setBusy(buttons, false);
  }
}

/**
 * Wires the Start and Unlock screens. `hooks`: show(screen, focus),
 * status() → the last app status, opened(status, messageId).
 */
export function wireAccess(hooks) {
  app = hooks;
  $('create-form').addEventListener('submit', createVault);
  $('new-vault-pass').addEventListener('input', () => {
    createStrength();
    createMismatch(false);
  });
  $('new-vault-repeat').addEventListener('input', () => createMismatch(false));
  $('start-demo').addEventListener('click', () => openDemo('start'));
  $('unlock-form').addEventListener('submit', (e) => {
    e.preventDefault();
    unlock();
  });
  $('unlock-demo').addEventListener('click', () => openDemo('unlock'));
}
