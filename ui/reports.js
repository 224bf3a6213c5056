// The Reports screen (a bulletin or annual report for a period: shown, saved,
// printed) and the consent dialog on a person's page (the words to read in
// both languages, the answer, withdrawal, the history, the paper form).
//
// A report and the paper form are whole pages made by the core, with every
// piece of data escaped there; they are shown in a sandboxed frame (no
// script may run in it, and the app's content policy applies to it too),
// never inserted into this page. Everything else here is built with
// createElement and textContent.

import * as api from './api.js';
import { maskSpans } from './mask.js';
import { msg } from './i18n.js';
import { $, el, say, sayText, errorText, setBusy } from './status.js';

let shown = null; // {kind: 'report'|'form', period?}
let consentFor = null; // the person whose consent dialog is open

/** Fills the Reports screen; the first time, with this quarter. */
export async function drawReports() {
  if (!$('report-period').value) {
    $('report-period').value = await api.reportPeriod();
  }
  if (shown && shown.kind === 'report') {
    await showReport(shown.period, false);
  }
}

export function clearReports() {
  shown = null;
  $('report-frame').srcdoc = '';
  $('report-doc').hidden = true;
  $('report-period').value = '';
  $('report-path').value = '';
  closeConsent();
}

async function showReport(period, focus) {
  const r = await api.reportView(period);
  shown = { kind: 'report', period };
  $('report-doc-title').textContent = r.title + ' · ' + r.period;
  $('report-frame').srcdoc = r.html;
  saveLabel('ui-report-save');
  $('report-doc').hidden = false;
  if (focus) {
    $('report-doc-title').focus();
  }
}

/** The save button says what it saves: the report or the paper form. */
function saveLabel(id) {
  const button = $('report-save');
  button.dataset.msg = id;
  button.textContent = msg(id);
  $('report-save-form').hidden = false;
}

/** Shows the printable bilingual paper consent form. */
export async function showPaperForm() {
  const html = await api.consentForm();
  shown = { kind: 'form' };
  $('report-doc-title').textContent = msg('consent-form-title');
  $('report-frame').srcdoc = html;
  saveLabel('ui-consent-form-save');
  $('report-doc').hidden = false;
  $('report-doc-title').focus();
}

// ---------------------------------------------------------------- consent

function options(select, choices, blankId) {
  const keep = select.value;
  select.textContent = '';
  if (blankId) {
    const o = el('option');
    o.value = '';
    o.textContent = msg(blankId);
    select.append(o);
  }
  for (const c of choices) {
    const o = el('option');
    o.value = c.value;
    o.textContent = c.label;
    select.append(o);
  }
  select.value = keep;
}

function drawConsent(c) {
  $('consent-contact-line').textContent = c.contact_line;
  $('consent-share-line').textContent = c.share_line;
  $('consent-old').hidden = !c.before_records;
  $('consent-script-en').textContent = c.script_en;
  $('consent-script-es').textContent = c.script_es;
  const list = $('consent-history');
  list.textContent = '';
  for (const e of c.history) {
    const li = el('li');
    li.textContent = [e.date, e.topic + ': ' + e.state, e.how, e.lang].filter(Boolean).join(' · ');
    if (e.recorder) {
      li.append(' · ', maskSpans(el('span'), [e.recorder], false));
    }
    list.append(li);
  }
  $('consent-history-empty').hidden = c.history.length > 0;
}

/** Opens the consent dialog for person `id`. */
export async function openConsent(id) {
  const [c, spec, people] = await Promise.all([api.consent(id), api.formSpec('person'), api.list('person')]);
  consentFor = id;
  const states = (spec.choices.consent_state || []).filter((s) => s.value !== 'not_asked');
  options($('consent-contact'), states, 'ui-consent-leave');
  options($('consent-share'), states, 'ui-consent-leave');
  options($('consent-how'), spec.choices.consent_how || [], 'ui-consent-how-blank');
  options($('consent-lang'), spec.choices.lang || [], 'ui-consent-how-blank');
  // Who recorded it (optional): anyone but the person, never a sensitive one by name.
  const recorders = people
    .filter((p) => p.id !== id && !p.sensitive)
    .map((p) => ({ value: p.id, label: p.title }));
  options($('consent-recorder'), recorders, 'ui-consent-how-blank');
  $('consent-date').value = new Date().toISOString().slice(0, 10);
  drawConsent(c);
  $('consent-box').hidden = false;
  $('consent-heading').focus();
}

export function closeConsent() {
  consentFor = null;
  $('consent-box').hidden = true;
}

async function saveConsent(withdraw) {
  if (!consentFor) {
    return;
  }
  const form = withdraw
    ? { withdraw: true, date: $('consent-date').value }
    : {
      contact: $('consent-contact').value,
      share: $('consent-share').value,
      how: $('consent-how').value,
      date: $('consent-date').value,
      lang: $('consent-lang').value,
      recorder: $('consent-recorder').value,
    };
  const buttons = [$('consent-save'), $('consent-withdraw')];
  setBusy(buttons, true);
  try {
    const c = await api.recordConsent(consentFor, form);
    return c;
  } finally {
    setBusy(buttons, false);
  }
}

/**
 * Wires the screen. `ctx.go(view)` navigates; `ctx.detailChanged(id)` redraws
 * the person's page after their consent changed (keeping the dialog open).
 */
export function wireReports(ctx) {
  $('report-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('report-show');
    setBusy([button], true);
    try {
      await showReport($('report-period').value, true);
    } catch (err) {
      sayText(errorText(err), true);
      $('report-period').focus();
    } finally {
      setBusy([button], false);
    }
  });
  $('consent-form-show').addEventListener('click', () => {
    showPaperForm().catch((err) => sayText(errorText(err), true));
  });
  $('report-print').addEventListener('click', () => {
    const w = $('report-frame').contentWindow;
    if (w) {
      w.focus();
      w.print();
    }
  });
  $('report-save-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!shown) {
      return;
    }
    const button = $('report-save');
    setBusy([button], true);
    try {
      if (shown.kind === 'form') {
        const path = await api.saveConsentForm($('report-path').value);
        sayText(msg('ui-consent-form-saved') + ' ' + path, false);
      } else {
        const path = await api.saveReport(shown.period, $('report-path').value);
        sayText(msg('ui-report-saved') + ' ' + path, false);
      }
    } catch (err) {
      sayText(errorText(err), true);
      $('report-path').focus();
    } finally {
      setBusy([button], false);
    }
  });

  $('consent-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = consentFor;
    try {
      const c = await saveConsent(false);
      if (c) {
        await ctx.detailChanged(id);
        drawConsent(c);
        $('consent-box').hidden = false;
        consentFor = id;
        say('ui-consent-saved');
      }
    } catch (err) {
      sayText(errorText(err), true);
    }
  });
  $('consent-withdraw').addEventListener('click', async () => {
    const id = consentFor;
    try {
      const c = await saveConsent(true);
      if (c) {
        await ctx.detailChanged(id);
        drawConsent(c);
        $('consent-box').hidden = false;
        consentFor = id;
        say('ui-consent-withdrawn');
      }
    } catch (err) {
      sayText(errorText(err), true);
    }
  });
  $('consent-close').addEventListener('click', () => {
    closeConsent();
    $('consent-open').focus();
  });
  $('consent-paper').addEventListener('click', async () => {
    await ctx.go({ name: 'reports' });
    showPaperForm().catch((err) => sayText(errorText(err), true));
  });
}
