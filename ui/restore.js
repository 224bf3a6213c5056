// "Restore from a backup" on the first screen and the unlock screen: choose
// the file, say how it opens (its passphrase, or the old vault's folder and
// passphrase), see what it holds, then restore into a new vault with a new
// passphrase. With no vault yet it becomes this app's vault and opens;
// beside an existing vault it goes to a new folder.

import * as api from './api.js';
import { msg } from './i18n.js';
import { $, errorText, showFieldError, setBusy, sayText } from './status.js';

const PASSES = ['restore-key-pass', 'restore-new-pass', 'restore-new-repeat'];
let hooks = null;

function key() {
  const pass = $('restore-key-pass').value;
  if ($('restore-by-vault').checked) {
    return { by: 'old_vault', folder: $('restore-old-folder').value, passphrase: pass };
  }
  return { by: 'passphrase', passphrase: pass };
}

function place() {
  return $('restore-place-box').hidden ? null : $('restore-place').value;
}

export function closeRestore() {
  for (const id of PASSES) {
    $(id).value = '';
  }
  $('restore-summary').hidden = true;
  $('restore-go').disabled = true;
  showFieldError($('restore-error'), '');
  $('restore-card').hidden = true;
}

function openIn(screen, besideVault) {
  closeRestore();
  $(screen).append($('restore-card'));
  $('restore-place-box').hidden = !besideVault;
  $('restore-card').hidden = false;
  $('restore-heading').focus();
}

async function preview() {
  showFieldError($('restore-error'), '');
  const buttons = [$('restore-preview'), $('restore-go')];
  setBusy(buttons, true);
  try {
    const v = await api.restorePreview($('restore-path').value, key(), place());
    // The retention rules and hold it brings back, when it has any.
    const kept = v.retention ? ` · ${v.retention}` : '';
    $('restore-summary').textContent = `${v.counts} → ${v.place}${kept}`;
    $('restore-summary').hidden = false;
    setBusy(buttons, false);
    $('restore-go').disabled = false;
  } catch (err) {
    setBusy(buttons, false);
    $('restore-go').disabled = true;
    showFieldError($('restore-error'), errorText(err));
  }
}

async function restore(e) {
  e.preventDefault();
  showFieldError($('restore-error'), '');
  if ($('restore-new-pass').value !== $('restore-new-repeat').value) {
    showFieldError($('restore-error'), msg('err-pass-mismatch'));
    return;
  }
  const buttons = [$('restore-preview'), $('restore-go')];
  setBusy(buttons, true);
  try {
    const st = await api.restore($('restore-path').value, key(), place(), $('restore-new-pass').value);
    setBusy(buttons, false);
    const where = $('restore-summary').textContent;
    closeRestore();
    if (st.unlocked) {
      hooks.opened(st);
    } else {
      sayText(msg('ui-restore-done-elsewhere') + ' ' + where);
    }
  } catch (err) {
    setBusy(buttons, false);
    showFieldError($('restore-error'), errorText(err));
  }
}

export function wireRestore(h) {
  hooks = h;
  $('start-restore').addEventListener('click', () => openIn('start', false));
  $('unlock-restore').addEventListener('click', () => openIn('unlock', true));
  $('restore-cancel').addEventListener('click', closeRestore);
  $('restore-preview').addEventListener('click', preview);
  $('restore-card').addEventListener('submit', restore);
  for (const r of document.querySelectorAll('input[name=restore-by]')) {
    r.addEventListener('change', () => {
      $('restore-old-box').hidden = !$('restore-by-vault').checked;
      $('restore-go').disabled = true;
    });
  }
  for (const id of ['restore-path', 'restore-old-folder', 'restore-key-pass', 'restore-place']) {
    $(id).addEventListener('input', () => {
      $('restore-go').disabled = true;
    });
  }
  $('restore-choose').addEventListener('click', async () => {
    try {
      const path = await api.chooseFile(msg('ui-restore-path'), []);
      if (path) {
        $('restore-path').value = path;
        $('restore-go').disabled = true;
      }
    } catch (err) {
      showFieldError($('restore-error'), errorText(err));
    }
  });
}
