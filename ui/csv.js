// The Spreadsheets card (on the Handoff screen): a CSV import with its
// column-to-field table shown before anything is written, and a CSV export
// that says plainly the file is not encrypted. Files are chosen with the
// system's own dialog, dropped on the window, or typed.
//
// Every value from a file is set as text (textContent, option.text), never
// as markup.

import * as api from './api.js';
import { msg } from './i18n.js';
import { $, el, say, errorText, showFieldError, setBusy } from './status.js';

const CSV_FILTER = [{ name: 'CSV', extensions: ['csv', 'txt'] }];

/** The preview shown: {path, kind, map: [[column, field]…]}. */
let shown = null;

export function clearCsv() {
  shown = null;
  $('csv-summary').hidden = true;
  $('csv-done').hidden = true;
  $('csv-export-done').hidden = true;
  for (const id of ['csv-map-rows', 'csv-invalid', 'csv-read-as', 'csv-counts', 'csv-ignored']) {
    $(id).textContent = '';
  }
  for (const id of ['csv-path', 'csv-export-path']) {
    $(id).value = '';
  }
  for (const id of ['csv-error', 'csv-apply-error', 'csv-export-error']) {
    showFieldError($(id), '');
  }
}

function mapping() {
  const map = [];
  for (const sel of $('csv-map-rows').querySelectorAll('select')) {
    map.push([sel.getAttribute('data-column'), sel.value || 'ignore']);
  }
  return map;
}

function render(v) {
  const p = v.preview;
  $('csv-read-as').textContent = v.read_as;
  const body = $('csv-map-rows');
  body.textContent = '';
  p.columns.forEach((c, i) => {
    const tr = el('tr');
    const th = el('th');
    th.scope = 'row';
    th.textContent = c.header;
    const td = el('td');
    const sel = el('select');
    sel.id = `csv-field-${i}`;
    sel.setAttribute('data-column', c.header);
    sel.setAttribute('aria-label', c.header);
    const none = el('option');
    none.value = '';
    none.text = msg('ui-csv-not-kept');
    sel.append(none);
    for (const f of v.fields) {
      const o = el('option');
      o.value = f.field;
      o.text = f.label;
      sel.append(o);
    }
    sel.value = c.field || '';
    sel.addEventListener('change', () => preview(mapping()));
    td.append(sel);
    tr.append(th, td);
    body.append(tr);
  });
  $('csv-ignored').textContent = v.ignored || '';
  $('csv-ignored').hidden = !v.ignored;
  $('csv-counts').textContent = v.counts;
  const bad = p.invalid || [];
  $('csv-invalid-box').hidden = bad.length === 0;
  $('csv-invalid-head').textContent = bad.length ? msg('ui-csv-invalid-head') : '';
  const list = $('csv-invalid');
  list.textContent = '';
  for (const r of bad) {
    const li = el('li');
    li.textContent = r.message;
    list.append(li);
  }
  $('csv-summary').hidden = false;
}

async function preview(map) {
  const error = $('csv-error');
  showFieldError(error, '');
  showFieldError($('csv-apply-error'), '');
  $('csv-done').hidden = true;
  const path = $('csv-path').value;
  const kind = $('csv-kind').value;
  const button = $('csv-preview');
  setBusy([button], true);
  try {
    const v = await api.csvPreview(path, kind, map || []);
    shown = { path, kind, map: map || [] };
    render(v);
    if (!map) {
      $('csv-summary').focus();
    }
  } catch (err) {
    shown = null;
    $('csv-summary').hidden = true;
    showFieldError(error, errorText(err));
    $('csv-path').focus();
  } finally {
    setBusy([button], false);
  }
}

async function apply() {
  if (!shown) {
    return;
  }
  const error = $('csv-apply-error');
  showFieldError(error, '');
  const buttons = [$('csv-apply'), $('csv-cancel'), $('csv-preview')];
  setBusy(buttons, true);
  try {
    const v = await api.csvImport(shown.path, shown.kind, mapping(), $('csv-skip-invalid').checked);
    $('csv-summary').hidden = true;
    $('csv-done').textContent = v.done || '';
    $('csv-done').hidden = false;
    say('ui-csv-imported');
    shown = null;
    $('csv-heading').focus();
  } catch (err) {
    showFieldError(error, errorText(err));
    $('csv-apply').focus();
  } finally {
    setBusy(buttons, false);
  }
}

async function exportCsv() {
  const error = $('csv-export-error');
  showFieldError(error, '');
  $('csv-export-done').hidden = true;
  const button = $('csv-export-go');
  setBusy([button], true);
  try {
    const w = await api.csvExport(
      $('csv-export-kind').value,
      $('csv-export-path').value,
      $('csv-export-sensitive').checked,
    );
    const parts = [w.text];
    if (w.left_out) {
      parts.push(w.left_out);
    }
    parts.push(w.warning);
    $('csv-export-done').textContent = parts.join(' ');
    $('csv-export-done').hidden = false;
  } catch (err) {
    showFieldError(error, errorText(err));
    $('csv-export-path').focus();
  } finally {
    setBusy([button], false);
  }
}

/** Opens a CSV file for import: its path, then the preview. */
export async function openCsv(path) {
  $('csv-path').value = path;
  await preview(null);
}

export function wireCsv() {
  $('csv-import-form').addEventListener('submit', (e) => {
    e.preventDefault();
    preview(null);
  });
  $('csv-apply').addEventListener('click', apply);
  $('csv-cancel').addEventListener('click', () => {
    shown = null;
    $('csv-summary').hidden = true;
    $('csv-preview').focus();
  });
  $('csv-export-form').addEventListener('submit', (e) => {
    e.preventDefault();
    exportCsv();
  });
  $('csv-choose').addEventListener('click', async () => {
    try {
      const path = await api.chooseFile(msg('ui-csv-path'), CSV_FILTER);
      if (path) {
        await openCsv(path);
      }
    } catch (err) {
      showFieldError($('csv-error'), errorText(err));
    }
  });
  $('csv-export-choose').addEventListener('click', async () => {
    try {
      const kind = $('csv-export-kind').value;
      const path = await api.choosePlace(msg('ui-csv-export-path'), `${kind}.csv`, CSV_FILTER);
      if (path) {
        $('csv-export-path').value = path;
      }
    } catch (err) {
      showFieldError($('csv-export-error'), errorText(err));
    }
  });
}

/** "Choose…" beside the handoff screen's typed paths: the system's dialogs. */
export function wireDialogs() {
  const pairs = [
    ['import-choose', 'import-path', 'open', 'ui-import-path', 'import-error'],
    ['export-choose', 'export-path', 'save', 'ui-export-path', 'export-go-error'],
    ['backup-choose', 'backup-path', 'save', 'ui-backup-path', 'backup-error'],
  ];
  for (const [button, input, how, title, error] of pairs) {
    $(button).addEventListener('click', async () => {
      try {
        const path = how === 'open'
          ? await api.chooseFile(msg(title), [])
          : await api.choosePlace(msg(title), $(input).value || undefined, []);
        if (path) {
          $(input).value = path;
          $(input).focus();
        }
      } catch (err) {
        showFieldError($(error), errorText(err));
      }
    });
  }
}
