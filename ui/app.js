// The app: its state, its screens and how a person moves between them.
//
// Screens are sections of index.html shown one at a time; their fixed text is
// filled from messages (i18n.js), their records are drawn here as DOM built
// with createElement and textContent only, never parsed as HTML. Data comes
// from api.js and lives in memory for as long as the screen shows it; locking
// empties every screen. Nothing is stored in the webview.

import * as api from './api.js';
import { msg, fill, setMessages, switchTo, lang, labelled, formatNumber, count as countText } from './i18n.js';
import { maskable, maskSpans, spansText, meetingMode, setMeetingMode, refreshMasks } from './mask.js';
import { buildForm } from './forms.js';
import { $, el, say, sayText, quiet, errorText, setBusy, redrawStatus } from './status.js';
import { wireAccess, showStart, showUnlock, clearPassphrases, relabelAccess } from './access.js';
import {
  wireSettings, fillSettings, clearSettings, relabelSettings, rememberWipeWord, cancelWipe, wipeRunning,
} from './settings.js';
import { wireRetention, drawRetentionHome, fillRetention, clearRetention } from './retention.js';
import {
  wireReports, drawReports, clearReports, openConsent, closeConsent,
} from './reports.js';
import {
  wireHandoff, loadHandoff, renderHandoff, clearHandoff, exportRecord, focusSection,
} from './handoff.js';
import { wireCsv, clearCsv, openCsv, wireDialogs } from './csv.js';
import { wireDoor, openDoor, closeDoor } from './door.js';
import { wireDrive, drawDrive, clearDrive } from './drive.js';
import { wireRestore, closeRestore } from './restore.js';

const KINDS = ['org', 'person', 'demand', 'campaign', 'pledge', 'note'];
const SCREENS = ['start', 'unlock', 'home', 'list', 'results', 'detail', 'form-screen', 'settings', 'handoff', 'reports'];
/** At most one `touch` per this many milliseconds. */
const TOUCH_EVERY = 20000;

const state = {
  status: null,
  /** The screen shown: 'start', 'unlock', 'home', … */
  screen: null,
  /** What the main area shows: {name, kind?, id?, query?, back?}. */
  view: null,
  /** Bumped on every navigation, so a slow answer cannot draw over a newer screen. */
  token: 0,
  detail: null,
  form: null,
  /** The last search, which an export can take as its selection. */
  lastQuery: null,
  lastTouch: 0,
  /** Conflicts waiting, as the badge shows them. */
  conflicts: 0,
};

// ---------------------------------------------------------------- helpers

function rememberStatus(st) {
  state.status = st;
  rememberWipeWord(st);
}

// ---------------------------------------------------------------- screens

function show(screen, focus) {
  for (const s of SCREENS) {
    $(s).hidden = s !== screen;
  }
  state.screen = screen;
  const inside = screen !== 'start' && screen !== 'unlock';
  document.body.classList.toggle('outside', !inside);
  $('nav').hidden = !inside;
  $('skip-nav').hidden = !inside;
  $('search-form').hidden = !inside;
  $('meeting-mode').hidden = !inside;
  $('lock').hidden = !inside;
  const demo = Boolean(inside && state.status && state.status.demo);
  $('demo-badge').hidden = !demo;
  // In the sample chapter the Lock button says what it does there: leave it.
  const lockId = demo ? 'ui-demo-leave' : 'ui-lock';
  $('lock').setAttribute('data-msg', lockId);
  $('lock').textContent = msg(lockId);
  $('lock').setAttribute('data-msg-title', demo ? 'ui-demo-leave-explain' : 'ui-lock-explain');
  $('lock').title = msg(demo ? 'ui-demo-leave-explain' : 'ui-lock-explain');
  $('meeting-badge').hidden = !(inside && meetingMode());
  const current = navKey();
  for (const b of document.querySelectorAll('[data-nav]')) {
    if (b.getAttribute('data-nav') === current) {
      b.setAttribute('aria-current', 'page');
    } else {
      b.removeAttribute('aria-current');
    }
  }
  if (focus === 'heading') {
    const h = $(screen).querySelector('h1');
    if (h) {
      h.focus();
    }
  } else if (focus) {
    focus.focus();
  }
}

function navKey() {
  const v = state.view;
  if (!v || state.screen === 'start' || state.screen === 'unlock') {
    return null;
  }
  if (v.name === 'home' || v.name === 'settings' || v.name === 'handoff' || v.name === 'reports') {
    return v.name;
  }
  if (v.name === 'list' || v.name === 'form') {
    return v.kind;
  }
  if (v.name === 'detail' && state.detail) {
    return state.detail.item.kind;
  }
  return null;
}

/** Goes to `view`, fetching what it shows first. */
async function go(view, focus) {
  if (focus !== null) {
    // A new screen: what was said about the last one ("Saved.") is stale.
    // (A language switch redraws with focus null and keeps it.)
    quiet();
  }
  if (wipeRunning() && view.name !== 'settings') {
    cancelWipe(true);
  }
  const token = ++state.token;
  const focusMode = focus === undefined ? 'heading' : focus;
  try {
    switch (view.name) {
      case 'home':
        await drawHome(token, focusMode);
        break;
      case 'list':
        await drawList(token, view, focusMode);
        break;
      case 'results':
        await drawResults(token, view, focusMode);
        break;
      case 'detail':
        await drawDetail(token, view, focusMode);
        break;
      case 'form':
        await drawForm(token, view);
        break;
      case 'settings':
        await drawSettings(token, view, focusMode);
        break;
      case 'handoff':
        await drawHandoff(token, view, focusMode);
        break;
      case 'reports':
        await drawReports();
        if (token === state.token) {
          state.view = { name: 'reports' };
          show('reports', focusMode);
        }
        break;
      default:
        break;
    }
  } catch (err) {
    if (token === state.token && !(await lockedMeanwhile())) {
      sayText(errorText(err), true);
    }
  }
}

/** After an error: if the vault locked itself meanwhile, go to unlock. */
async function lockedMeanwhile() {
  try {
    const st = await api.appStatus();
    if (!st.unlocked) {
      locked(st, true);
      return true;
    }
  } catch (_) {
    // No answer at all: leave the error on screen.
  }
  return false;
}

/** A record as a line: a button with its title and summary. */
function itemButton(item, back, withKind) {
  const b = el('button', 'item');
  b.type = 'button';
  b.setAttribute('data-id', item.id);
  b.setAttribute('data-kind', item.kind);
  if (withKind) {
    const k = el('span', 'item-kind');
    k.textContent = item.kind_label;
    b.append(k);
  }
  b.append(
    maskable(el('span', 'item-title'), item.title, item.sensitive),
    maskable(el('span', 'item-summary'), item.summary, item.sensitive),
  );
  if (item.sensitive) {
    b.classList.add('sensitive');
  }
  b.addEventListener('click', () => go({ name: 'detail', id: item.id, back }));
  return b;
}

/** Items drawn at a time; "Show more" draws the next page. */
const PAGE = 200;

function fillItems(listNode, emptyNode, items, back, withKind) {
  listNode.textContent = '';
  const moreId = listNode.id + '-more';
  let more = document.getElementById(moreId);
  if (!more) {
    more = el('button', 'more');
    more.type = 'button';
    more.id = moreId;
    more.setAttribute('data-msg', 'ui-show-more');
    listNode.after(more);
  }
  let shown = 0;
  const page = () => {
    const next = items.slice(shown, shown + PAGE);
    for (const item of next) {
      const li = el('li');
      li.append(itemButton(item, back, withKind));
      listNode.append(li);
    }
    shown += next.length;
    more.hidden = shown >= items.length;
    more.textContent = msg('ui-show-more');
    return next.length;
  };
  more.onclick = () => {
    const first = shown;
    page();
    const b = listNode.children[first] && listNode.children[first].querySelector('button');
    if (b) {
      b.focus();
    }
  };
  page();
  emptyNode.hidden = items.length > 0;
}

async function drawHome(token, focus) {
  const [h, toConfirm] = await Promise.all([api.home(), api.consentToConfirm()]);
  if (token !== state.token) {
    return;
  }
  state.view = { name: 'home' };
  setConflictCount(h.conflicts);
  const back = { name: 'home' };
  // People recorded before consent records existed: consent to confirm.
  fillItems($('home-consent-items'), el('p'), toConfirm, back, false);
  $('home-consent').hidden = toConfirm.length === 0;
  await drawRetentionHome();
  if (token !== state.token) {
    return;
  }

  const fus = $('home-follow-ups');
  fus.textContent = '';
  for (const f of h.follow_ups) {
    const li = el('li');
    const b = el('button', 'item');
    b.type = 'button';
    b.setAttribute('data-id', f.note);
    b.setAttribute('data-kind', 'note');
    const title = el('span', 'item-title');
    title.textContent = f.task;
    const sum = el('span', 'item-summary');
    if (f.overdue) {
      b.classList.add('overdue');
      sum.append(el('span', 'tag overdue-tag'));
      sum.lastChild.setAttribute('data-msg', 'ui-overdue');
      sum.lastChild.textContent = msg('ui-overdue');
      sum.append(' ');
    }
    const due = el('span', 'due');
    due.textContent = f.due_text;
    sum.append(due);
    if (f.who) {
      sum.append(' · ');
      sum.append(maskSpans(el('span'), [f.who], false));
    }
    sum.append(' · ');
    const note = el('span');
    note.textContent = f.note_title;
    sum.append(note);
    b.append(title, sum);
    b.addEventListener('click', () => go({ name: 'detail', id: f.note, back }));
    li.append(b);
    fus.append(li);
  }
  $('home-follow-ups-empty').hidden = h.follow_ups.length > 0;

  const drives = $('home-drives');
  drives.textContent = '';
  h.drives.forEach((d, i) => {
    const li = el('li', 'drive');
    const b = el('button', 'item');
    b.type = 'button';
    b.setAttribute('data-id', d.id);
    b.setAttribute('data-kind', 'pledge');
    const title = el('span', 'item-title');
    title.id = 'drive-title-' + i;
    title.textContent = d.title;
    b.append(title);
    b.addEventListener('click', () => go({ name: 'detail', id: d.id, back }));
    const bar = el('progress');
    bar.max = Math.max(Number(d.goal) || 0, 1);
    bar.value = Math.min(Number(d.progress) || 0, bar.max);
    bar.setAttribute('aria-labelledby', title.id);
    bar.setAttribute('aria-describedby', 'drive-text-' + i);
    const text = el('p', 'drive-text');
    text.id = 'drive-text-' + i;
    const p = el('span', 'progress-text');
    p.textContent = d.progress_text;
    const left = el('span', 'days-left');
    left.textContent = d.days_left_text;
    text.append(p, ' · ', left);
    li.append(b, bar, text);
    drives.append(li);
  });
  $('home-drives-empty').hidden = h.drives.length > 0;
  show('home', focus);
}

async function drawList(token, view, focus) {
  const items = await api.list(view.kind);
  if (token !== state.token) {
    return;
  }
  state.view = { name: 'list', kind: view.kind };
  const heading = $('list-heading');
  heading.setAttribute('data-msg', 'ui-nav-' + view.kind);
  heading.textContent = msg('ui-nav-' + view.kind);
  const add = $('add');
  add.setAttribute('data-msg', 'ui-add-' + view.kind);
  add.textContent = msg('ui-add-' + view.kind);
  const empty = $('list-empty');
  empty.setAttribute('data-msg', 'ui-empty-' + view.kind);
  empty.textContent = msg('ui-empty-' + view.kind);
  fillItems($('list-items'), empty, items, { name: 'list', kind: view.kind }, false);
  show('list', focus);
}

async function drawResults(token, view, focus) {
  const items = await api.search(view.query);
  if (token !== state.token) {
    return;
  }
  state.view = { name: 'results', query: view.query };
  state.lastQuery = view.query;
  $('results-query').textContent = view.query;
  fillItems($('results-items'), $('results-empty'), items, state.view, true);
  show('results', focus);
}

async function drawDetail(token, view, focus) {
  const d = await api.details(view.id);
  if (token !== state.token) {
    return;
  }
  state.view = { name: 'detail', id: view.id, back: view.back || { name: 'list', kind: d.item.kind } };
  state.detail = d;
  const whole = Boolean(d.item.sensitive);
  $('detail-kind').textContent = d.item.kind_label;
  maskable($('detail-title'), d.item.title, whole);
  const dl = $('detail-rows');
  dl.textContent = '';
  for (const row of d.rows) {
    const wrap = el('div', 'row');
    wrap.setAttribute('data-field', row.field);
    const dt = el('dt');
    dt.textContent = row.label;
    const dd = el('dd');
    if (typeof row.flag === 'boolean') {
      // Yes / No as a word, not the lowercase value of the command line.
      const word = labelled('span', row.flag ? 'ui-yes' : 'ui-no', 'badge flag ' + (row.flag ? 'flag-yes' : 'flag-no'));
      dd.append(word);
    } else if (row.items && row.items.length) {
      dd.append(followUpList(row.items, whole));
    } else {
      if (spansText(row.value).includes('\n')) {
        dd.classList.add('multiline');
      }
      const spans = row.value.map((s, i) => (i === 0 ? { ...s, text: s.text.replace(/^\n+/, '') } : s));
      maskSpans(dd, spans, whole || row.contact);
    }
    wrap.append(dt, dd);
    dl.append(wrap);
  }
  $('delete-confirm-box').hidden = true;
  $('delete').hidden = false;
  $('consent-open').hidden = d.item.kind !== 'person';
  closeConsent();
  $('door-open').hidden = d.item.kind !== 'note';
  try {
    await drawDrive(d.item.id, d.item.kind);
  } catch (err) {
    clearDrive();
  }
  if (token !== state.token) {
    return;
  }
  show('detail', focus);
}

/** A note's follow-ups as a list of checkboxes (shown, not changed here: Edit changes them). */
function followUpList(items, whole) {
  const ul = el('ul', 'follow-up-list');
  items.forEach((f, i) => {
    const li = el('li');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = Boolean(f.done);
    box.disabled = true;
    box.id = 'detail-fu-' + i;
    const label = el('label');
    label.htmlFor = box.id;
    maskable(label.appendChild(el('span', 'fu-task')), f.task, whole);
    if (f.who) {
      label.append(' · ');
      maskSpans(label.appendChild(el('span')), [f.who], whole);
    }
    if (f.due_text) {
      label.append(' · ');
      label.appendChild(el('span', 'due')).textContent = f.due_text;
    }
    li.append(box, label);
    ul.append(li);
  });
  return ul;
}

async function drawForm(token, view) {
  const spec = await api.formSpec(view.kind);
  const detail = view.id ? await api.details(view.id) : null;
  // Only the records this one already links to are fetched (to name them);
  // the pickers search the rest as the person types.
  const linkFields = new Set(spec.fields
    .filter((f) => ['link', 'links', 'follow_ups'].includes(f.input.type))
    .map((f) => f.name));
  const values = detail ? detail.form : spec.defaults;
  const ids = [];
  for (const [f, v] of values || []) {
    if (!linkFields.has(f) || !v) {
      continue;
    }
    if (f === 'follow-up') {
      const parts = v.split('|');
      if (parts.length >= 4 && parts[parts.length - 2]) {
        ids.push(parts[parts.length - 2]);
      }
    } else {
      ids.push(v);
    }
  }
  const linked = ids.length ? await api.itemsOf(ids) : [];
  if (token !== state.token) {
    return;
  }
  const known = {};
  for (const it of linked) {
    known[it.id] = it;
  }
  const records = { known, pick: (kind, query) => api.pick(kind, query) };
  state.view = { name: 'form', kind: view.kind, id: view.id || null, back: view.back };
  const heading = $('form-heading');
  const headingId = view.id ? 'ui-edit-heading' : 'ui-add-' + view.kind;
  heading.setAttribute('data-msg', headingId);
  heading.textContent = msg(headingId);
  const sensitive = Boolean(detail && detail.item.sensitive);
  maskable($('form-subject'), detail ? detail.item.title : '', sensitive);
  const handle = buildForm($('record-form'), spec, detail ? detail.form : spec.defaults, records, sensitive);
  handle.cancel.addEventListener('click', () => {
    quiet();
    go(view.id ? { name: 'detail', id: view.id, back: view.back } : { name: 'list', kind: view.kind });
  });
  state.form = { handle, kind: view.kind, id: view.id || null, back: view.back };
  $('guard-box').hidden = true;
  show('form-screen', null);
  handle.focusFirst();
}

async function drawSettings(token, view, focus) {
  const st = await api.appStatus();
  if (token !== state.token) {
    return;
  }
  rememberStatus(st);
  state.view = { name: 'settings' };
  fillSettings(st);
  await fillRetention();
  show('settings', focus);
}

/**
 * The Handoff screen. view.record: the record "Export this" came from (kept
 * while the screen is redrawn); view.pick: select it; view.section: the part
 * of the screen to focus.
 */
async function drawHandoff(token, view, focus) {
  const data = await loadHandoff();
  if (token !== state.token) {
    return;
  }
  const record = view.record || null;
  state.view = { name: 'handoff', record };
  await renderHandoff(data, { record });
  if (token !== state.token) {
    return;
  }
  if (view.pick && record) {
    exportRecord(record);
  }
  show('handoff', view.section ? null : focus);
  if (view.section) {
    focusSection(view.section);
  }
}

/** How many conflicts wait: a badge on the navigation and a panel at home. */
function setConflictCount(n) {
  const count = Number(n) || 0;
  state.conflicts = count;
  $('nav-conflicts').hidden = count === 0;
  $('nav-conflicts-n').textContent = formatNumber(count);
  // Screen readers hear the whole phrase ("1 conflict to resolve").
  $('nav-conflicts-sr').textContent = ' ' + countText('ui-conflicts-waiting', count);
  $('home-conflicts').hidden = count === 0;
  $('home-conflicts-count').textContent = formatNumber(count);
}

function route(st) {
  rememberStatus(st);
  if (st.unlocked) {
    go({ name: 'home' });
    // Opened read-only: say what was found, in the person's language.
    if (st.read_only) sayText(st.read_only, true);
  } else if (st.vault_exists) {
    showUnlock();
  } else {
    showStart();
  }
}

/** Empties every screen that showed records, and forgets them. */
function forget() {
  state.token++;
  state.view = null;
  state.detail = null;
  state.form = null;
  state.lastQuery = null;
  clearHandoff();
  clearReports();
  clearRetention();
  clearCsv();
  closeRestore();
  closeDoor();
  clearDrive();
  setConflictCount(0);
  for (const id of ['home-consent-items', 'consent-history', 'consent-contact-line', 'consent-share-line', 'home-follow-ups', 'home-drives', 'list-items', 'results-items', 'detail-rows', 'record-form', 'detail-title', 'detail-kind', 'results-query', 'form-subject']) {
    $(id).textContent = '';
  }
  $('search').value = '';
  clearSettings();
}

/** The vault was locked (by the Lock button or by idle time). */
function locked(st, idle) {
  const wasDemo = Boolean(state.status && state.status.demo);
  cancelWipe(false);
  forget();
  if (st) {
    rememberStatus(st);
  }
  // Back where the person came from: the sample chapter is opened from the
  // Start screen when there is no vault yet, from Unlock when there is one.
  if (st && !st.vault_exists) {
    showStart();
  } else {
    showUnlock();
  }
  if (idle) {
    say('ui-locked-idle');
  } else {
    say(wasDemo ? 'ui-demo-left' : 'ui-locked');
  }
}

function opened(st, messageId) {
  rememberStatus(st);
  clearPassphrases();
  state.lastTouch = Date.now();
  go({ name: 'home' }).then(() => {
    if (messageId) {
      say(messageId);
    }
  });
}

/** The panic wipe destroyed the vault: forget everything, back to the start. */
function wiped(st) {
  forget();
  setMeetingMode(false);
  updateMeetingButton();
  route(st);
}

// ---------------------------------------------------------------- records

async function saveRecord(event) {
  event.preventDefault();
  const f = state.form;
  if (!f) {
    return;
  }
  f.handle.clearErrors();
  const pairs = f.handle.collect();
  const button = $('save');
  setBusy([button], true);
  try {
    // The gentle guard: text that seems to record immigration status is
    // saved only once the person says to keep it.
    if (!f.statusKept && (await api.mentionsStatus(pairs))) {
      $('guard-box').hidden = false;
      $('guard-question').focus();
      return;
    }
    f.statusKept = false;
    $('guard-box').hidden = true;
    const item = await api.save(f.id, f.kind, pairs);
    await go({ name: 'detail', id: item.id, back: f.back || { name: 'list', kind: f.kind } });
    say('ui-saved');
  } catch (err) {
    const text = errorText(err);
    // Shown once: next to the field it is about, else in the status bar.
    const target = err && err.field ? f.handle.showError(err.field, text) : null;
    if (target) {
      quiet();
      target.focus();
    } else if (!(await lockedMeanwhile())) {
      sayText(text, true);
      $('status').focus();
    }
  } finally {
    if (document.body.contains(button)) {
      setBusy([button], false);
    }
  }
}

async function deleteRecord() {
  const d = state.detail;
  if (!d) {
    return;
  }
  try {
    await api.deleteRecord(d.item.id);
    await go({ name: 'list', kind: d.item.kind });
    say('ui-deleted');
  } catch (err) {
    if (!(await lockedMeanwhile())) {
      sayText(errorText(err), true);
    }
  }
}

// ------------------------------------------------------- language, header

function updateLangButtons() {
  $('lang-en').setAttribute('aria-pressed', String(lang() === 'en'));
  $('lang-es').setAttribute('aria-pressed', String(lang() === 'es'));
}

function updateMeetingButton() {
  const on = meetingMode();
  $('meeting-mode').setAttribute('aria-pressed', String(on));
  $('meeting-badge').hidden = !(on && !$('nav').hidden);
}

/**
 * Switches the language: relabels everything in place. Forms keep what was
 * typed; screens that only show records are fetched again in the new language.
 */
async function changeLang(language) {
  try {
    await switchTo(language);
  } catch (err) {
    sayText(errorText(err), true);
    return;
  }
  fill();
  setConflictCount(state.conflicts);
  refreshMasks();
  updateLangButtons();
  redrawStatus();
  try {
    rememberStatus(await api.appStatus());
  } catch (_) {
    // Keep the status we had.
  }
  switch (state.screen) {
    case 'start':
      relabelAccess();
      break;
    case 'settings':
      relabelSettings(state.status);
      break;
    case 'form-screen':
      if (state.form) {
        try {
          state.form.handle.relabel(await api.formSpec(state.form.kind));
        } catch (err) {
          sayText(errorText(err), true);
        }
      }
      break;
    case 'home':
    case 'list':
    case 'results':
    case 'detail':
    case 'handoff':
    case 'reports':
      if (state.view) {
        await go(state.view, null);
      }
      break;
    default:
      break;
  }
}

function onActivity() {
  if (!state.status || !state.status.unlocked) {
    return;
  }
  const now = Date.now();
  if (now - state.lastTouch < TOUCH_EVERY) {
    return;
  }
  state.lastTouch = now;
  api.touch().catch(() => {});
}

// ---------------------------------------------------------------- wiring

function wire() {
  $('lang-en').addEventListener('click', () => changeLang('en'));
  $('lang-es').addEventListener('click', () => changeLang('es'));

  wireAccess({ show, opened, status: () => state.status });
  wireRestore({ opened: (st) => opened(st, 'ui-restore-done') });
  wireSettings({ remember: rememberStatus, wiped });
  wireHandoff({
    lastSearch: () => state.lastQuery,
    conflictsChanged: setConflictCount,
    lockedMeanwhile,
  });
  wireCsv();
  wireDialogs();
  wireDoor({ left: (id) => go({ name: 'detail', id }) });
  wireDrive();
  $('door-open').addEventListener('click', () => {
    const d = state.detail;
    if (d && d.item.kind === 'note') {
      quiet();
      const count = (d.form || []).filter(([f]) => f === 'attendee').length;
      openDoor(d.item.id, count).catch((err) => sayText(errorText(err), true));
    }
  });
  // A file dropped on the window opens for import: a CSV in the spreadsheet
  // card, anything else as a handoff file.
  api.onDrop(async (paths) => {
    if (!paths.length || !state.status || !state.status.unlocked) {
      return;
    }
    const path = paths[0];
    quiet();
    await go({ name: 'handoff', section: /\.(csv|txt)$/i.test(path) ? 'csv-card' : 'handoff-import' });
    if (/\.(csv|txt)$/i.test(path)) {
      await openCsv(path);
    } else {
      $('import-path').value = path;
      $('import-form').requestSubmit();
    }
  }).catch(() => {});
  $('home-conflicts-go').addEventListener('click', () => {
    quiet();
    go({ name: 'handoff', section: 'handoff-conflicts' });
  });
  $('export-this').addEventListener('click', () => {
    const d = state.detail;
    if (d) {
      quiet();
      const record = { id: d.item.id, kind: d.item.kind, title: d.item.title, sensitive: Boolean(d.item.sensitive) };
      go({ name: 'handoff', record, pick: true, section: 'handoff-export' });
    }
  });

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const query = $('search').value.trim();
    if (!query) {
      $('search').focus();
      return;
    }
    go({ name: 'results', query });
  });

  // The second skip link: straight to the menu, at the page's current item.
  $('skip-nav').addEventListener('click', (e) => {
    e.preventDefault();
    const target = document.querySelector('#nav [aria-current="page"]') || document.querySelector('#nav button');
    if (target) {
      target.focus();
    }
  });

  $('meeting-mode').addEventListener('click', () => {
    setMeetingMode(!meetingMode());
    updateMeetingButton();
    say(meetingMode() ? 'ui-meeting-on' : 'ui-meeting-off');
  });

  $('lock').addEventListener('click', async () => {
    let st = null;
    try {
      st = await api.lock();
    } catch (err) {
      sayText(errorText(err), true);
      return;
    }
    locked(st, false);
  });

  for (const b of document.querySelectorAll('[data-nav]')) {
    b.addEventListener('click', () => {
      const key = b.getAttribute('data-nav');
      quiet();
      if (KINDS.includes(key)) {
        go({ name: 'list', kind: key });
      } else {
        go({ name: key });
      }
    });
  }

  $('add').addEventListener('click', () => {
    const v = state.view;
    if (v && v.name === 'list') {
      quiet();
      go({ name: 'form', kind: v.kind, id: null, back: { name: 'list', kind: v.kind } });
    }
  });

  $('detail-back').addEventListener('click', () => {
    const v = state.view;
    if (v && v.name === 'detail') {
      go(v.back || { name: 'home' });
    }
  });
  $('edit').addEventListener('click', () => {
    const d = state.detail;
    if (d) {
      quiet();
      go({ name: 'form', kind: d.item.kind, id: d.item.id, back: state.view && state.view.back });
    }
  });
  $('delete').addEventListener('click', () => {
    $('delete-confirm-box').hidden = false;
    $('delete-cancel').focus();
  });
  $('delete-cancel').addEventListener('click', () => {
    $('delete-confirm-box').hidden = true;
    $('delete').focus();
  });
  $('delete-confirm').addEventListener('click', deleteRecord);

  $('record-form').addEventListener('submit', saveRecord);
  $('guard-keep').addEventListener('click', () => {
    if (state.form) {
      state.form.statusKept = true;
      $('guard-box').hidden = true;
      $('record-form').requestSubmit();
    }
  });
  $('guard-edit').addEventListener('click', () => {
    $('guard-box').hidden = true;
    if (state.form) {
      state.form.handle.focusFirst();
    }
  });

  wireRetention();
  wireReports({
    go,
    detailChanged: async (id) => {
      if (state.view && state.view.name === 'detail' && state.view.id === id) {
        await drawDetail(++state.token, state.view, null);
      }
    },
  });
  $('consent-open').addEventListener('click', () => {
    const d = state.detail;
    if (d && d.item.kind === 'person') {
      openConsent(d.item.id).catch((err) => sayText(errorText(err), true));
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('delete-confirm-box').hidden && state.screen === 'detail') {
      $('delete-confirm-box').hidden = true;
      $('delete').focus();
    }
  });
  for (const type of ['keydown', 'click', 'mousemove', 'wheel']) {
    document.addEventListener(type, onActivity, { capture: true, passive: true });
  }
}

async function boot() {
  wire();
  // The status and the words asked for at once: each is a trip to the backend.
  const [st, words] = await Promise.all([api.appStatus(), api.messages()]);
  rememberStatus(st);
  setMessages(words, st.lang);
  fill();
  updateLangButtons();
  updateMeetingButton();
  document.body.classList.remove('loading');
  route(st);
  // After the first screen is drawn: at start the vault is locked, so there
  // is nothing yet for the idle lock to tell.
  await api.onLocked(() => {
    if (state.screen === 'start' || state.screen === 'unlock') {
      return;
    }
    api.appStatus()
      .then((s) => locked(s, true))
      .catch(() => locked(null, true));
  });
}

boot().catch((err) => {
  document.body.classList.remove('loading');
  sayText(errorText(err), true);
});
