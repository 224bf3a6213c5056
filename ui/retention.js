// Retention in the app: the rules and the hold in Settings (the passphrase
// typed again), the hold shown at home while it is on, and a due purge
// offered at home after unlock (what will go; proceed or postpone).

import * as api from './api.js';
import { $, el, say, sayText, errorText, setBusy } from './status.js';

/** Home: the hold notice and the purge waiting for a click. */
export async function drawRetentionHome() {
  const [r, due] = await Promise.all([api.retention(), api.purgeDue()]);
  $('home-hold').hidden = !r.hold;
  $('home-hold-text').textContent = r.hold ? r.hold_text : '';
  $('home-purge').hidden = !due;
  $('home-purge-text').textContent = due ? due.text : '';
}

/** Settings: the rules as they are. */
export async function fillRetention() {
  const r = await api.retention();
  const box = $('retention-rules');
  box.textContent = '';
  for (const rule of r.rules) {
    const field = el('div', 'field');
    const label = el('label');
    label.htmlFor = 'retention-' + rule.rule;
    label.textContent = rule.label;
    const input = el('input', 'short');
    input.id = 'retention-' + rule.rule;
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('data-rule', rule.rule);
    input.value = rule.age;
    field.append(label, input);
    box.append(field);
  }
  $('retention-hold').checked = r.hold;
  $('retention-reason').value = r.hold_reason;
  $('retention-hold-text').textContent = r.hold_text;
  $('retention-pass').value = '';
  $('retention-error').hidden = true;
}

export function clearRetention() {
  $('retention-rules').textContent = '';
  $('retention-reason').value = '';
  $('retention-pass').value = '';
  $('home-hold-text').textContent = '';
  $('home-purge-text').textContent = '';
  $('home-hold').hidden = true;
  $('home-purge').hidden = true;
}

export function wireRetention() {
  $('retention-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const rules = [...document.querySelectorAll('#retention-rules input[data-rule]')]
      .map((i) => [i.getAttribute('data-rule'), i.value.trim()]);
    const form = { rules, hold: $('retention-hold').checked, reason: $('retention-reason').value };
    const button = $('retention-save');
    setBusy([button], true);
    try {
      await api.setRetention(form, $('retention-pass').value);
      await fillRetention();
      say('ui-retention-saved');
    } catch (err) {
      const text = errorText(err);
      $('retention-error').textContent = text;
      $('retention-error').hidden = false;
      sayText(text, true);
      $('retention-pass').focus();
    } finally {
      $('retention-pass').value = '';
      setBusy([button], false);
    }
  });
  $('purge-now').addEventListener('click', async () => {
    const buttons = [$('purge-now'), $('purge-later')];
    setBusy(buttons, true);
    try {
      await api.purgeNow();
      $('home-purge').hidden = true;
      say('purge-done');
    } catch (err) {
      sayText(errorText(err), true);
    } finally {
      setBusy(buttons, false);
    }
  });
  $('purge-later').addEventListener('click', async () => {
    await api.purgeLater().catch(() => {});
    $('home-purge').hidden = true;
    say('ui-purge-postponed');
  });
}
