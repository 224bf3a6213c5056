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
    say('err-pass-mismatch', true);
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

/** The sample chapter from the Start screen, with the same passphrase fields. */
async function startDemo() {
  const pass = $('new-vault-pass').value;
  const exists = Boolean(app.status() && app.status().demo_exists);
  // A new sample vault is made with this passphrase, so it must be long
  // enough; the repeat is checked when it was typed (the data is fictional).
  if (!pass || (!exists && createScore === 0)) {
    say('ui-demo-needs-pass', true);
    $('new-vault-pass').focus();
    return;
  }
  if (!exists && createMismatch(false)) {
    say('err-pass-mismatch', true);
    $('new-vault-repeat').focus();
    return;
  }
  const buttons = [$('create'), $('start-demo')];
  setBusy(buttons, true);
  say(exists ? 'ui-opening' : 'ui-creating-demo');
  try {
    app.opened(await api.openDemo(pass), 'ui-demo-opened');
  } catch (err) {
    sayText(errorText(err), true);
  } finally {
    setBusy(buttons, false);
    $('create').disabled = createScore === 0;
  }
}

async function unlock(demo) {
  const input = $('unlock-pass');
  const pass = input.value;
  const error = $('unlock-error');
  if (!pass) {
    showFieldError(error, msg('err-pass-empty'));
    say('err-pass-empty', true);
    input.focus();
    return;
  }
  showFieldError(error, '');
  const buttons = [$('unlock-go'), $('unlock-demo')];
  setBusy(buttons, true);
  say('ui-opening');
  try {
    let st;
    if (demo) {
      const exists = Boolean(app.status() && app.status().demo_exists);
      st = exists ? await api.unlock(pass, true) : await api.openDemo(pass);
    } else {
      st = await api.unlock(pass, false);
    }
    if (!demo) {
      quiet();
    }
    app.opened(st, demo ? 'ui-demo-opened' : null);
  } catch (err) {
    const text = errorText(err);
    showFieldError(error, text);
    sayText(text, true);
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
  $('start-demo').addEventListener('click', startDemo);
  $('unlock-form').addEventListener('submit', (e) => {
    e.preventDefault();
    unlock(false);
  });
  $('unlock-demo').addEventListener('click', () => unlock(true));
}
