// The Handoff screen: my steward card (the fingerprint in digit groups and a
// QR code drawn on a <canvas> from the core's modules), the stewards, export
// (a summary first, then the file), import (a summary first, then apply),
// conflicts settled field by field, the audit log and the backup.
//
// Every value from data is set as text. An export or import summary carries
// a token: the core writes or applies exactly what it showed, or refuses, and
// any change to the export's choices hides its summary until it is shown
// again. Passphrases live only in their inputs and are emptied after use and
// on lock. Values that name records come as spans, masked in meeting mode by
// their own flags. app.js hands in hooks: lastSearch() → the last query,
// conflictsChanged(n), lockedMeanwhile().

import * as api from './api.js';
import { msg, labelled, formatNumber } from './i18n.js';
import { maskable, maskSpans } from './mask.js';
import { $, el, say, sayText, quiet, errorText, showFieldError, setBusy } from './status.js';

let app = null;
/** Tokens of the summaries on screen, and the record "Export this" came from. */
const shown = { exportToken: null, importToken: null, record: null };
/** The steward whose removal is being confirmed. */
let removing = null;
/** The name on the card as saved, to tell it from one being typed. */
let savedName = '';

const PASS_INPUTS = ['export-pass', 'export-pass-repeat', 'import-pass', 'backup-pass', 'backup-pass-repeat'];

// ------------------------------------------------------------ loading

/** Everything the screen shows, fetched at once. */
export async function loadHandoff() {
  const [identity, stewards, conflicts, log, campaigns, defaults] = await Promise.all([
    api.identity(),
    api.stewards(),
    api.conflicts(),
    api.auditLog(),
    api.list('campaign'),
    api.handoffDefaults(),
  ]);
  return { identity, stewards, conflicts, log, campaigns, defaults };
}

/**
 * Draws the screen from `data` (loadHandoff). opts.record: {id, kind, title,
 * sensitive} when arriving from a record's "Export this". Inputs keep what
 * was typed; summaries on screen are worked out again (in a new language).
 */
export async function renderHandoff(data, opts) {
  if (opts && opts.record !== undefined) {
    shown.record = opts.record;
  }
  drawIdentity(data.identity);
  drawStewards(data.stewards);
  drawCampaigns(data.campaigns);
  drawSelection();
  drawConflicts(data.conflicts);
  drawLog(data.log);
  for (const [input, value] of [['export-path', data.defaults.export], ['backup-path', data.defaults.backup]]) {
    if (!$(input).value) {
      $(input).value = value;
    }
  }
  if (shown.exportToken !== null) {
    await previewExport(null, true);
  }
  if (shown.importToken !== null) {
    await previewImport(null, true);
  }
}

/** Empties the screen and forgets what it showed (on lock). */
export function clearHandoff() {
  for (const id of ['my-fingerprint', 'my-age-key', 'steward-list', 'export-stewards', 'export-campaign-id',
    'export-counts', 'export-recipients', 'export-left-out', 'export-record-title', 'export-search-query',
    'import-from', 'import-rows', 'import-total', 'import-left-out', 'conflicts', 'log-lines',
    'import-held-heading', 'import-held-list', 'import-warning-list', 'export-mention-list']) {
    $(id).textContent = '';
  }
  for (const id of ['own-name', 'my-card', 'steward-name', 'steward-card', 'export-path', 'import-path', 'backup-path', ...PASS_INPUTS]) {
    $(id).value = '';
  }
  for (const id of ['own-name-error', 'steward-error', 'export-error', 'export-go-error', 'import-error',
    'import-apply-error', 'backup-error']) {
    showFieldError($(id), '');
  }
  hideReplace();
  const canvas = $('my-qr');
  canvas.width = 10;
  canvas.height = 10;
  canvas.getContext('2d').clearRect(0, 0, 10, 10);
  hideExportSummary();
  hideImportSummary();
  $('import-pass-box').hidden = true;
  shown.record = null;
  removing = null;
  savedName = '';
}

// ------------------------------------------------------------ my card

/** Shows a fingerprint in big digit groups; a screen reader hears each digit. */
function fingerprint(node, fp) {
  node.textContent = '';
  const groups = String(fp || '').split(' ').filter(Boolean);
  const visual = el('span', 'fp-groups');
  visual.setAttribute('aria-hidden', 'true');
  groups.forEach((g, i) => {
    const span = el('span', 'fp-group');
    span.textContent = g;
    // Spaces between the groups, so the digits copy as they read.
    visual.append(i ? ' ' : '', span);
  });
  const spoken = el('span', 'sr-only');
  spoken.textContent = groups.map((g) => g.split('').join(' ')).join(', ');
  node.append(visual, spoken);
  node.setAttribute('data-fingerprint', groups.join(' '));
}

/** Draws QR modules (rows of dark = true) with a quiet zone, dark on white. */
function drawQr(canvas, qr) {
  const ctx = canvas.getContext('2d');
  if (!qr || !qr.width) {
    canvas.hidden = true;
    return;
  }
  canvas.hidden = false;
  const quietZone = 4;
  const scale = 5;
  const side = (qr.width + 2 * quietZone) * scale;
  canvas.width = side;
  canvas.height = side;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#000000';
  for (let y = 0; y < qr.width; y++) {
    for (let x = 0; x < qr.width; x++) {
      if (qr.modules[y * qr.width + x]) {
        ctx.fillRect((x + quietZone) * scale, (y + quietZone) * scale, scale, scale);
      }
    }
  }
}

function drawIdentity(me) {
  fingerprint($('my-fingerprint'), me.fingerprint);
  drawQr($('my-qr'), me.qr);
  $('my-card').value = me.card;
  $('my-age-key').textContent = me.age;
  // Keep a name being typed (a language switch redraws the screen).
  const input = $('own-name');
  if (input.value === savedName || !input.value) {
    input.value = me.name;
  }
  savedName = me.name;
}

async function saveOwnName(event) {
  event.preventDefault();
  const error = $('own-name-error');
  showFieldError(error, '');
  setBusy([$('own-name-save')], true);
  try {
    drawIdentity(await api.setOwnName($('own-name').value));
    say('ui-own-name-saved');
  } catch (err) {
    await failed(err, error, $('own-name'));
  } finally {
    setBusy([$('own-name-save')], false);
  }
}

async function copyCard() {
  const card = $('my-card');
  try {
    await navigator.clipboard.writeText(card.value);
    say('ui-card-copied');
  } catch (_) {
    card.focus();
    card.select();
    say('ui-card-selected');
  }
}

// ------------------------------------------------------------ stewards

function drawStewards(list) {
  const ul = $('steward-list');
  ul.textContent = '';
  list.forEach((s, i) => {
    const li = el('li', 'steward');
    li.setAttribute('data-steward', s.name);
    const head = el('p', 'steward-head');
    const name = el('strong', 'steward-name');
    name.id = 'steward-name-' + i;
    name.textContent = s.name;
    const state = el('span', 'tag ' + (s.verified ? 'verified-tag' : 'unverified-tag'));
    state.textContent = s.state;
    head.append(name, ' ', state);
    li.append(head);
    if (!s.verified) {
      li.append(labelled('p', 'ui-steward-compare', 'hint'));
    } else {
      li.append(labelled('p', 'ui-fingerprint', 'small-label'));
    }
    const fp = el('p', 'fingerprint small');
    fingerprint(fp, s.fingerprint);
    li.append(fp);
    const actions = el('div', 'actions');
    if (!s.verified) {
      const verify = labelled('button', 'ui-steward-verify', 'primary steward-verify');
      verify.type = 'button';
      verify.id = 'steward-verify-' + i;
      verify.setAttribute('aria-describedby', name.id);
      verify.addEventListener('click', () => verifySteward(s.name));
      actions.append(verify);
    }
    const remove = labelled('button', 'ui-steward-remove', 'danger-outline steward-remove');
    remove.type = 'button';
    remove.setAttribute('aria-describedby', name.id);
    actions.append(remove);
    if (!s.revoked) {
      // Revoke: a reason (optional), then a second, explicit click.
      const revoke = labelled('button', 'ui-steward-revoke', 'danger-outline steward-revoke');
      revoke.type = 'button';
      revoke.setAttribute('aria-describedby', name.id);
      const box = el('div', 'confirm');
      box.hidden = true;
      const ask = el('p');
      ask.textContent = msg('ui-steward-revoke-confirm');
      const why = el('input');
      why.type = 'text';
      why.className = 'steward-revoke-reason';
      why.setAttribute('aria-label', msg('ui-steward-revoke-reason'));
      why.placeholder = msg('ui-steward-revoke-reason');
      const sure = labelled('button', 'ui-steward-revoke', 'danger steward-revoke-confirm');
      sure.type = 'button';
      const back = labelled('button', 'ui-steward-remove-cancel');
      back.type = 'button';
      const row = el('div', 'actions');
      row.append(sure, back);
      box.append(ask, why, row);
      revoke.addEventListener('click', () => {
        box.hidden = false;
        why.focus();
      });
      back.addEventListener('click', () => {
        box.hidden = true;
        revoke.focus();
      });
      sure.addEventListener('click', () => revokeSteward(s.name, why.value));
      actions.append(revoke);
      li.append(actions, box);
    }
    li.append(actions);
    const confirm = el('div', 'confirm');
    confirm.setAttribute('role', 'group');
    confirm.hidden = removing !== s.name;
    const question = labelled('p', 'ui-steward-remove-question');
    question.tabIndex = -1;
    const yes = labelled('button', 'ui-steward-remove-confirm', 'danger');
    yes.type = 'button';
    const no = labelled('button', 'ui-steward-remove-cancel');
    no.type = 'button';
    const row = el('div', 'actions');
    row.append(yes, no);
    confirm.append(question, row);
    li.append(confirm);
    remove.addEventListener('click', () => {
      removing = s.name;
      confirm.hidden = false;
      no.focus();
    });
    no.addEventListener('click', () => {
      removing = null;
      confirm.hidden = true;
      remove.focus();
    });
    yes.addEventListener('click', () => removeSteward(s.name));
    ul.append(li);
  });
  $('stewards-empty').hidden = list.length > 0;
  drawRecipients(list);
}

/** The stewards to tick as recipients, keeping what was ticked by name. */
function drawRecipients(all) {
  // Nothing goes to a revoked steward: they are not offered.
  const list = all.filter((s) => !s.revoked);
  const box = $('export-stewards');
  const ticked = new Set([...box.querySelectorAll('input:checked')].map((b) => b.value));
  const first = box.querySelectorAll('input').length === 0;
  box.textContent = '';
  list.forEach((s, i) => {
    const row = el('div', 'check');
    const input = el('input');
    input.type = 'checkbox';
    input.id = 'export-to-' + i;
    input.name = 'export-steward';
    input.value = s.name;
    // With a single steward, they are the obvious recipient.
    input.checked = ticked.has(s.name) || (first && list.length === 1);
    const label = el('label');
    label.htmlFor = input.id;
    label.textContent = s.name + ' — ' + s.state;
    row.append(input, label);
    box.append(row);
  });
  $('export-no-stewards').hidden = list.length > 0;
  offerStewards(list.length > 0);
}

/** Whether "the stewards I choose" was set aside because there were none. */
let noStewardsYet = false;

/**
 * With no stewards, "The stewards I choose" cannot be chosen: the passphrase
 * is, and the hint offers to add a steward. Once there is one, it comes back.
 */
function offerStewards(some) {
  const stewards = $('export-to-stewards');
  stewards.disabled = !some;
  const pick = (radio) => {
    radio.checked = true;
    radio.dispatchEvent(new Event('change', { bubbles: true }));
  };
  if (!some && stewards.checked) {
    noStewardsYet = true;
    pick($('export-to-passphrase'));
  } else if (some && noStewardsYet) {
    noStewardsYet = false;
    pick(stewards);
  }
}

async function refreshStewards() {
  drawStewards(await api.stewards());
}

/** Hides the "replace their keys" question. */
function hideReplace() {
  $('steward-replace-box').hidden = true;
  $('steward-replace-what').textContent = '';
}

async function addSteward(event, replace) {
  if (event) {
    event.preventDefault();
  }
  const error = $('steward-error');
  showFieldError(error, '');
  hideReplace();
  setBusy([$('steward-add'), $('steward-replace-go')], true);
  try {
    const s = await api.addSteward($('steward-name').value, $('steward-card').value, replace);
    $('steward-name').value = '';
    $('steward-card').value = '';
    await refreshStewards();
    hideExportSummary();
    say('ui-steward-added');
    const li = [...$('steward-list').children].find((n) => n.getAttribute('data-steward') === s.name);
    const target = li && (li.querySelector('.steward-verify') || li.querySelector('button'));
    if (target) {
      target.focus();
    }
  } catch (err) {
    if (!replace && err && err.kind === 'err-steward-exists' && !(await app.lockedMeanwhile())) {
      // The core's first line names both fingerprints; its second is the
      // CLI's advice (--replace): the app asks here instead.
      $('steward-replace-what').textContent = errorText(err).split('\n')[0];
      $('steward-replace-box').hidden = false;
      sayText($('steward-replace-what').textContent, true);
      $('steward-replace-cancel').focus();
    } else {
      await failed(err, error, $('steward-card'));
    }
  } finally {
    setBusy([$('steward-add'), $('steward-replace-go')], false);
  }
}

async function verifySteward(name) {
  try {
    await api.verifySteward(name);
    await refreshStewards();
    say('ui-steward-verified');
    $('stewards-heading').focus();
  } catch (err) {
    await failed(err, null, null);
  }
}

async function removeSteward(name) {
  try {
    await api.removeSteward(name);
    removing = null;
    await refreshStewards();
    hideExportSummary();
    say('ui-steward-removed');
    $('stewards-heading').focus();
  } catch (err) {
    await failed(err, null, null);
  }
}

async function revokeSteward(name, reason) {
  try {
    await api.revokeSteward(name, reason);
    await refreshStewards();
    hideExportSummary();
    $('stewards-heading').focus();
  } catch (err) {
    await failed(err, null, null);
  }
}

// ------------------------------------------------------------ export

function drawCampaigns(items) {
  const select = $('export-campaign-id');
  const before = select.value;
  select.textContent = '';
  for (const c of items) {
    const o = document.createElement('option');
    o.value = c.id;
    o.textContent = c.title;
    select.append(o);
  }
  if (items.some((c) => c.id === before)) {
    select.value = before;
  }
  select.disabled = items.length === 0;
  // No empty menu: with no campaigns only the hint shows.
  select.hidden = items.length === 0;
  $('export-campaign-id-label').hidden = items.length === 0;
  $('export-campaign').disabled = items.length === 0;
  $('export-no-campaigns').hidden = items.length > 0;
}

/** The "last search" and "this record" choices, from what app.js knows. */
function drawSelection() {
  const query = app.lastSearch();
  const radio = $('export-search');
  radio.disabled = !query;
  const label = $('export-search-label');
  const id = query ? 'ui-export-search' : 'ui-export-search-none';
  label.setAttribute('data-msg', id);
  label.textContent = msg(id);
  $('export-search-query').hidden = !query;
  $('export-search-query').textContent = query || '';
  if (!query && radio.checked) {
    $('export-all').checked = true;
  }
  const r = shown.record;
  $('export-record-row').hidden = !r;
  if (r) {
    maskable($('export-record-title'), r.title, r.sensitive);
  } else if ($('export-record').checked) {
    $('export-all').checked = true;
  }
}

/**
 * Chooses what "Export this" points at, and selects it: a campaign goes with
 * everything it links to, any other record alone.
 */
export function exportRecord(record) {
  shown.record = record;
  const select = $('export-campaign-id');
  if (record.kind === 'campaign' && [...select.options].some((o) => o.value === record.id)) {
    select.value = record.id;
    $('export-campaign').checked = true;
  } else {
    $('export-record').checked = true;
  }
  hideExportSummary();
}

function checked(name) {
  const r = document.querySelector('input[name="' + name + '"]:checked');
  return r ? r.value : null;
}

/** What the export form asks for, as the core takes it. */
function exportChoices() {
  let choose;
  switch (checked('export-what')) {
    case 'campaign':
      choose = { by: 'campaign', id: $('export-campaign-id').value };
      break;
    case 'search':
      choose = { by: 'search', query: app.lastSearch() || '' };
      break;
    case 'record':
      choose = { by: 'ids', ids: shown.record ? [shown.record.id] : [] };
      break;
    default:
      choose = { by: 'all' };
  }
  const to = checked('export-to') === 'passphrase'
    ? { by: 'passphrase' }
    : { by: 'stewards', names: [...$('export-stewards').querySelectorAll('input:checked')].map((b) => b.value) };
  return { choose, includeSensitive: $('export-sensitive').checked, to };
}

function hideExportSummary() {
  shown.exportToken = null;
  $('export-summary').hidden = true;
  showFieldError($('export-go-error'), '');
}

function showExportSummary(p) {
  shown.exportToken = p.token;
  const ul = $('export-counts');
  ul.textContent = '';
  const lines = p.empty ? [msg('export-empty')] : p.counts.concat(p.deletions ? [p.deletions] : []);
  for (const line of lines) {
    const li = el('li');
    li.textContent = line;
    ul.append(li);
  }
  $('export-left-out').hidden = !p.left_out;
  $('export-left-out').textContent = p.left_out || '';
  const mentions = $('export-mention-list');
  mentions.textContent = '';
  for (const title of p.mentions || []) {
    const li = el('li');
    li.textContent = title;
    mentions.append(li);
  }
  $('export-mentions').hidden = !(p.mentions && p.mentions.length);
  $('export-sensitive-included').hidden = !p.sensitive_included;
  $('export-recipients').textContent = p.recipients;
  $('export-go').disabled = p.empty;
  $('export-summary').hidden = false;
}

/** Shows what the export will hold. `again`: redraw the one on screen. */
async function previewExport(event, again) {
  if (event) {
    event.preventDefault();
  }
  const error = $('export-error');
  showFieldError(error, '');
  const { choose, includeSensitive, to } = exportChoices();
  setBusy([$('export-preview')], true);
  try {
    const p = await api.exportPreview(choose, includeSensitive, to);
    showExportSummary(p);
    if (!again) {
      quiet();
      $('export-summary').focus();
    }
  } catch (err) {
    hideExportSummary();
    if (!again) {
      await failed(err, error, $('export-preview'));
    }
  } finally {
    setBusy([$('export-preview')], false);
  }
}

/** The passphrase typed twice, or null after showing why not. */
function twice(first, second, error) {
  const pass = $(first).value;
  if (pass !== $(second).value) {
    showFieldError(error, msg('err-pass-mismatch'));
    say('err-pass-mismatch', true);
    $(second).focus();
    return null;
  }
  return pass;
}

async function writeExport() {
  const error = $('export-go-error');
  showFieldError(error, '');
  let pass = null;
  if (checked('export-to') === 'passphrase') {
    pass = twice('export-pass', 'export-pass-repeat', error);
    if (pass === null) {
      return;
    }
  }
  const buttons = [$('export-go'), $('export-preview')];
  setBusy(buttons, true);
  say('ui-exporting');
  try {
    const w = await api.exportFile(shown.exportToken, $('export-path').value, pass);
    $('export-pass').value = '';
    $('export-pass-repeat').value = '';
    hideExportSummary();
    await nextDefaults(w.file);
    drawLog(await api.auditLog());
    sayText(w.message);
    $('export-heading').focus();
  } catch (err) {
    if (err && err.kind === 'err-preview-stale') {
      hideExportSummary();
      await failed(err, $('export-error'), $('export-preview'));
    } else {
      await failed(err, error, $('export-path'));
    }
  } finally {
    setBusy(buttons, false);
  }
}

/** After a file was written: the next default name, where the default was used. */
async function nextDefaults(file) {
  const d = await api.handoffDefaults();
  if ($('export-path').value === file) {
    $('export-path').value = d.export;
  }
  if ($('backup-path').value === file) {
    $('backup-path').value = d.backup;
  }
}

// ------------------------------------------------------------ import

function hideImportSummary() {
  shown.importToken = null;
  $('import-summary').hidden = true;
  showFieldError($('import-apply-error'), '');
}

function showImportSummary(p) {
  shown.importToken = p.token;
  $('import-from').textContent = p.from;
  $('import-unknown').hidden = p.trust !== 'unknown';
  const body = $('import-rows');
  body.textContent = '';
  for (const k of p.kinds) {
    const tr = el('tr');
    tr.setAttribute('data-kind', k.kind);
    const th = el('th');
    th.scope = 'row';
    th.textContent = k.label;
    tr.append(th);
    for (const key of ['new', 'updated', 'deleted', 'unchanged', 'conflict', 'held']) {
      const td = el('td');
      td.setAttribute('data-outcome', key);
      td.textContent = formatNumber(k[key] || 0);
      if ((key === 'conflict' || key === 'held') && k[key] > 0) {
        td.classList.add('attention-cell');
      }
      tr.append(td);
    }
    body.append(tr);
  }
  $('import-total').textContent = p.total;
  $('import-sensitive').hidden = !p.sensitive_included;
  $('import-left-out').hidden = !p.left_out;
  $('import-left-out').textContent = p.left_out || '';
  // Changes held for a decision, each named.
  const held = $('import-held-list');
  held.textContent = '';
  for (const h of p.held || []) {
    const li = el('li');
    li.setAttribute('data-id', h.id);
    maskable(li, h.text, h.sensitive);
    held.append(li);
  }
  $('import-held-heading').textContent = p.held_heading || '';
  $('import-held').hidden = !p.held_heading;
  // Warnings: importing waits until the person says they checked.
  const warnings = $('import-warning-list');
  warnings.textContent = '';
  for (const w of p.warnings || []) {
    const li = el('li');
    li.textContent = w;
    warnings.append(li);
  }
  const warned = Boolean(p.warnings && p.warnings.length);
  $('import-warnings').hidden = !warned;
  $('import-accept').checked = false;
  $('import-apply').disabled = warned;
  $('import-summary').hidden = false;
}

/** Opens the file and shows what it would change. `again`: redraw the one on screen. */
async function previewImport(event, again) {
  if (event) {
    event.preventDefault();
  }
  const error = $('import-error');
  showFieldError(error, '');
  hideImportSummary();
  const passBox = $('import-pass-box');
  const pass = passBox.hidden ? null : $('import-pass').value;
  const button = $('import-preview');
  setBusy([button], true);
  if (!again) {
    say('ui-import-opening');
  }
  try {
    const p = await api.importPreview($('import-path').value, pass);
    showImportSummary(p);
    if (!again) {
      quiet();
      $('import-summary').focus();
    }
  } catch (err) {
    if (again) {
      return;
    }
    const needsPass = err && (err.kind === 'err-needs-passphrase' || err.kind === 'err-export-wrong-passphrase');
    if (needsPass) {
      passBox.hidden = false;
    }
    await failed(err, error, needsPass ? $('import-pass') : $('import-path'));
  } finally {
    setBusy([button], false);
  }
}

async function applyImport() {
  const error = $('import-apply-error');
  showFieldError(error, '');
  const buttons = [$('import-apply'), $('import-cancel'), $('import-preview')];
  setBusy(buttons, true);
  try {
    const done = await api.importApply(shown.importToken, $('import-accept').checked);
    hideImportSummary();
    $('import-pass').value = '';
    $('import-pass-box').hidden = true;
    const [conflicts, log] = await Promise.all([api.conflicts(), api.auditLog()]);
    drawConflicts(conflicts);
    drawLog(log);
    sayText(done.done);
    (done.conflicts > 0 ? $('conflicts-heading') : $('import-heading')).focus();
  } catch (err) {
    if (err && err.kind === 'err-preview-stale') {
      hideImportSummary();
      await failed(err, $('import-error'), $('import-preview'));
    } else {
      await failed(err, error, $('import-apply'));
    }
  } finally {
    setBusy(buttons, false);
  }
}

function cancelImport() {
  hideImportSummary();
  say('ui-import-cancelled');
  $('import-path').focus();
}

// ------------------------------------------------------------ conflicts

/** The choices made so far, per conflict and field, to keep across redraws. */
function currentChoices() {
  const out = new Map();
  for (const input of $('conflicts').querySelectorAll('input[type=radio]:checked')) {
    out.set(input.name, input.value);
  }
  return out;
}

function drawConflicts(list) {
  const keep = currentChoices();
  const box = $('conflicts');
  box.textContent = '';
  list.forEach((c, i) => {
    const form = el('form', 'conflict');
    form.noValidate = true;
    form.setAttribute('data-conflict', c.id);
    const title = el('h3');
    title.id = 'conflict-title-' + i;
    const kind = el('span', 'kind-label');
    kind.textContent = c.kind_label;
    title.append(kind, ' ', maskable(el('span'), c.title, c.sensitive));
    form.setAttribute('aria-labelledby', title.id);
    const from = el('p', 'hint');
    from.append(labelled('span', 'ui-conflict-from'), ' ');
    const who = el('strong');
    who.textContent = c.from;
    from.append(who, ' · ', labelled('span', 'ui-conflict-received'), ' ');
    const when = el('span');
    when.textContent = c.received;
    from.append(when);
    form.append(title, from);
    if (c.held && c.held.length) {
      // Held, not applied: what it would loosen, and that ours stays meanwhile.
      const why = el('p', 'warning conflict-held');
      why.textContent = c.held.join(' · ');
      form.append(why, labelled('p', 'ui-import-held-explain', 'hint'));
    }
    if (c.mine_deleted) {
      form.append(labelled('p', 'conflict-deleted-mine', 'warning'));
    }
    if (c.theirs_deleted) {
      form.append(labelled('p', 'ui-conflict-deleted-theirs', 'warning'));
    }
    c.fields.forEach((f) => {
      const set = el('fieldset', 'conflict-field');
      set.setAttribute('data-field', f.name);
      const legend = el('legend');
      legend.textContent = f.label;
      set.append(legend);
      const group = 'c-' + c.id + '-' + f.name;
      const chosen = keep.get(group) || 'mine';
      for (const side of ['mine', 'theirs']) {
        const row = el('div', 'radio side-' + side);
        const input = el('input');
        input.type = 'radio';
        input.name = group;
        input.value = side;
        input.id = group + '-' + side;
        input.checked = chosen === side;
        const label = el('label');
        label.htmlFor = input.id;
        const spans = f[side].length ? f[side] : [{ text: msg('ui-conflict-empty-value') }];
        label.append(
          labelled('span', side === 'mine' ? 'ui-conflict-mine' : 'ui-conflict-theirs', 'side-name'),
          ' ',
          maskSpans(el('span', 'value'), spans, c.sensitive || f.contact),
        );
        row.append(input, label);
        set.append(row);
      }
      form.append(set);
    });
    const actions = el('div', 'actions');
    if (c.fields.length > 0) {
      const go = labelled('button', 'ui-resolve-go', 'primary resolve-go');
      go.type = 'submit';
      go.id = i === 0 ? 'resolve-go' : 'resolve-go-' + i;
      actions.append(go);
    }
    const mine = labelled('button', 'ui-resolve-mine', 'resolve-mine');
    mine.type = 'button';
    mine.addEventListener('click', () => resolve(c.id, { by: 'whole', side: 'mine' }));
    const theirs = labelled('button', 'ui-resolve-theirs', 'resolve-theirs');
    theirs.type = 'button';
    theirs.addEventListener('click', () => resolve(c.id, { by: 'whole', side: 'theirs' }));
    actions.append(mine, theirs);
    form.append(actions);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const fields = c.fields.map((f) => [f.name, checked('c-' + c.id + '-' + f.name) || 'mine']);
      resolve(c.id, { by: 'fields', fields });
    });
    box.append(form);
  });
  $('conflicts-empty').hidden = list.length > 0;
  $('conflicts-count').hidden = list.length === 0;
  $('conflicts-count').textContent = formatNumber(list.length);
  app.conflictsChanged(list.length);
}

async function resolve(id, choice) {
  try {
    drawConflicts(await api.resolve(id, choice));
    say('ui-resolved');
    $('conflicts-heading').focus();
  } catch (err) {
    await failed(err, null, null);
  }
}

// ------------------------------------------------------------ log, backup

function drawLog(lines) {
  const ul = $('log-lines');
  ul.textContent = '';
  for (const l of lines) {
    const li = el('li');
    li.textContent = l.text;
    ul.append(li);
  }
  $('log-empty').hidden = lines.length > 0;
}

async function writeBackup(event) {
  event.preventDefault();
  const error = $('backup-error');
  showFieldError(error, '');
  let pass = null;
  if (checked('backup-to') === 'passphrase') {
    pass = twice('backup-pass', 'backup-pass-repeat', error);
    if (pass === null) {
      return;
    }
    if (!pass) {
      showFieldError(error, msg('err-file-pass-short'));
      $('backup-pass').focus();
      return;
    }
  }
  setBusy([$('backup-go')], true);
  say('ui-backing-up');
  try {
    const w = await api.backup($('backup-path').value, pass);
    $('backup-pass').value = '';
    $('backup-pass-repeat').value = '';
    await nextDefaults(w.file);
    drawLog(await api.auditLog());
    sayText(w.message);
  } catch (err) {
    await failed(err, error, err && err.kind === 'err-file-pass-short' ? $('backup-pass') : $('backup-path'));
  } finally {
    setBusy([$('backup-go')], false);
  }
}

// ------------------------------------------------------------ wiring

/** Shows an error beside `node` (if any) and in the status region, and focuses `focus`. */
async function failed(err, node, focus) {
  const text = errorText(err);
  if (await app.lockedMeanwhile()) {
    return;
  }
  if (node) {
    showFieldError(node, text);
  }
  sayText(text, true);
  if (focus) {
    focus.focus();
  }
}

/** Focuses a section of the screen (its heading), for the links at the top. */
export function focusSection(id) {
  const section = $(id);
  const h = section && section.querySelector('h2');
  if (h) {
    h.focus();
    section.scrollIntoView({ block: 'start' });
  }
}

export function wireHandoff(hooks) {
  app = hooks;
  for (const a of document.querySelectorAll('#handoff .toc a')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      focusSection(a.getAttribute('href').slice(1));
    });
  }
  $('own-name-form').addEventListener('submit', saveOwnName);
  $('my-card-copy').addEventListener('click', copyCard);
  $('steward-form').addEventListener('submit', (e) => addSteward(e, false));
  $('steward-replace-go').addEventListener('click', () => addSteward(null, true));
  $('steward-replace-cancel').addEventListener('click', () => {
    hideReplace();
    $('steward-card').focus();
  });
  for (const id of ['steward-name', 'steward-card']) {
    $(id).addEventListener('input', hideReplace);
  }

  const form = $('export-form');
  form.addEventListener('submit', (e) => previewExport(e, false));
  // Any change to what or to whom: the summary on screen no longer holds.
  for (const type of ['input', 'change']) {
    form.addEventListener(type, (e) => {
      if (!['export-pass', 'export-pass-repeat'].includes(e.target.id)) {
        hideExportSummary();
      }
      $('export-pass-box').hidden = checked('export-to') !== 'passphrase';
    });
  }
  $('export-campaign-id').addEventListener('change', () => {
    $('export-campaign').checked = true;
  });
  $('export-go').addEventListener('click', writeExport);
  // No stewards yet: straight to adding one.
  $('export-add-steward').addEventListener('click', () => {
    $('handoff-stewards').scrollIntoView({ block: 'start' });
    $('steward-card').focus();
  });

  $('import-form').addEventListener('submit', (e) => previewImport(e, false));
  $('import-path').addEventListener('input', hideImportSummary);
  $('import-apply').addEventListener('click', applyImport);
  $('import-accept').addEventListener('change', () => {
    $('import-apply').disabled = !$('import-accept').checked;
  });
  $('import-cancel').addEventListener('click', cancelImport);

  $('backup-form').addEventListener('change', () => {
    $('backup-pass-box').hidden = checked('backup-to') !== 'passphrase';
  });
  $('backup-form').addEventListener('submit', writeBackup);
}
