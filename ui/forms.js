// The record form: built from the core's `form_spec`, filled with a record's
// current values, read back as `[field, value]` pairs for `save`.
//
// Responsible for: one control per field (with a bound <label>, the required
// mark and a `.field-error` beside it), relabelling in place when the language
// changes, and showing the errors `save` returns. Not responsible for fetching
// (app.js passes the spec, the values and the records a link may point to)
// nor for any rule about values: the core validates everything it is sent.

import { msg, labelled, fill } from './i18n.js';
import { maskable, maskInput } from './mask.js';
import { dateField } from './datefield.js';

let serial = 0;

function el(tag, className) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  return e;
}

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

/**
 * A search-as-you-type picker for a reference field: the records already
 * linked as removable chips, and a search box whose offers come from the
 * core's search a few at a time (`records.pick(kind, query)`), so no list of
 * everyone is ever sent to the page. `records.known`: {id: Item} for the
 * ids already linked. `many`: a list field; else at most one.
 * The element answers `chosenIds()` and, for one, `value`.
 */
export function picker(id, name, kind, records, ids, many) {
  const wrap = el('div', 'picker');
  if (name) {
    wrap.setAttribute('data-name', name);
  }
  wrap.setAttribute('data-kind', kind);
  const uid = 'pk' + (++serial);
  const chosen = el('ul', 'picker-chosen');
  const input = el('input');
  input.type = 'search';
  input.className = 'picker-search';
  input.id = (id || uid) + '-search';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.placeholder = msg('ui-picker-placeholder');
  input.setAttribute('data-msg-placeholder', 'ui-picker-placeholder');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  const list = el('ul', 'picker-offers');
  list.id = uid + '-offers';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  input.setAttribute('aria-controls', list.id);
  const known = (records && records.known) || {};
  const picked = [];

  function chip(item) {
    const li = el('li', 'picker-chip');
    li.setAttribute('data-id', item.id);
    const label = el('span');
    maskable(label, item.title, item.sensitive);
    const remove = el('button', 'small picker-remove');
    remove.type = 'button';
    remove.textContent = '×';
    remove.setAttribute('aria-label', msg('ui-picker-remove') + ' ' + (item.sensitive ? '' : item.title));
    remove.addEventListener('click', () => {
      const k = picked.indexOf(item.id);
      if (k >= 0) {
        picked.splice(k, 1);
      }
      li.remove();
      input.focus();
    });
    li.append(label, ' ', remove);
    return li;
  }

  function choose(item) {
    if (picked.includes(item.id)) {
      return;
    }
    if (!many) {
      picked.length = 0;
      chosen.textContent = '';
    }
    picked.push(item.id);
    chosen.append(chip(item));
  }

  for (const [item] of ids.map((x) => [known[x] || { id: x, title: msg('ui-deleted-record'), sensitive: false }])) {
    choose(item);
  }

  let asked = 0;
  let active = -1;
  let timer = null;
  function close() {
    list.hidden = true;
    list.textContent = '';
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function mark(k) {
    const opts = [...list.querySelectorAll('[role=option]')];
    opts.forEach((o, n) => o.setAttribute('aria-selected', String(n === k)));
    active = k;
    if (opts[k]) {
      input.setAttribute('aria-activedescendant', opts[k].id);
      opts[k].scrollIntoView({ block: 'nearest' });
    }
  }
  async function offer() {
    const q = input.value;
    const n = ++asked;
    let items = [];
    try {
      items = await records.pick(kind, q);
    } catch (err) {
      items = [];
    }
    if (n !== asked) {
      return;
    }
    list.textContent = '';
    const fresh = items.filter((it) => !picked.includes(it.id));
    if (fresh.length === 0) {
      const li = el('li', 'picker-none');
      li.textContent = msg('ui-picker-none');
      list.append(li);
    }
    fresh.forEach((it, k) => {
      const li = el('li', 'picker-offer');
      li.id = uid + '-o' + k;
      li.setAttribute('role', 'option');
      li.setAttribute('data-id', it.id);
      maskable(li, it.title, it.sensitive);
      li.addEventListener('mousedown', (e) => e.preventDefault());
      li.addEventListener('click', () => {
        // A search still on its way (typed before the choice) must not open
        // the list again over the form: it would cover the Save button.
        clearTimeout(timer);
        asked++;
        choose(it);
        input.value = '';
        close();
        input.focus();
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(offer, 120);
  });
  input.addEventListener('focus', () => {
    if (list.hidden) {
      offer();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('keydown', (e) => {
    const opts = [...list.querySelectorAll('[role=option]')];
    if (e.key === 'ArrowDown' && opts.length) {
      e.preventDefault();
      mark(Math.min(active + 1, opts.length - 1));
    } else if (e.key === 'ArrowUp' && opts.length) {
      e.preventDefault();
      mark(Math.max(active - 1, 0));
    } else if (e.key === 'Enter' && active >= 0 && opts[active]) {
      e.preventDefault();
      opts[active].click();
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });

  wrap.append(chosen, input, list);
  wrap.chosenIds = () => picked.slice();
  Object.defineProperty(wrap, 'value', { get: () => picked[0] || '' });
  return wrap;
}

/**
 * Builds the controls for `spec` inside `form`.
 * values: [[field, value], …] of the record (empty for a new one).
 * records: {kind: [Item]} for link, links and follow-up fields.
 * sensitive: whether the record is a person marked sensitive (its name is
 * then masked in meeting mode too).
 * Returns a handle: {collect, relabel, showError, clearErrors, focusFirst}.
 */
export function buildForm(form, spec, values, records, sensitive) {
  form.textContent = '';
  const prefix = 'f' + (++serial) + '-';
  const isNew = !values || values.length === 0;
  const valuesOf = (name) => (values || []).filter(([f]) => f === name).map(([, v]) => v);
  const firstOf = (name) => valuesOf(name)[0] || '';
  const controls = new Map();
  const labels = [];
  const choiceSelects = [];

  const note = labelled('p', 'ui-required-note', 'hint');
  form.append(note);

  for (const field of spec.fields) {
    const type = field.input.type;
    const of = field.input.of;
    const inputId = prefix + field.name;
    const errorId = prefix + 'err-' + field.name;
    const group = type === 'links' || type === 'link' || type === 'follow_ups';
    const box = el(group ? 'fieldset' : 'div', 'field');
    box.setAttribute('data-field', field.name);

    const caption = el(group ? 'legend' : 'label');
    if (!group) {
      caption.htmlFor = inputId;
    }
    const text = el('span', 'label-text');
    text.textContent = field.label;
    labels.push({ span: text, name: field.name });
    caption.append(text);
    if (field.required) {
      caption.append(' ', labelled('span', 'ui-required', 'req'));
    }
    box.append(caption);

    const error = el('p', 'field-error');
    error.id = errorId;
    error.setAttribute('data-field', field.name);
    error.hidden = true;

    let control;
    const describe = [errorId];
    switch (type) {
      case 'long_text': {
        control = el('textarea');
        control.rows = 6;
        control.value = firstOf(field.name);
        break;
      }
      case 'yes_no': {
        control = el('select');
        for (const v of ['yes', 'no']) {
          const o = option(v, msg(v));
          o.setAttribute('data-msg', v);
          control.append(o);
        }
        control.value = firstOf(field.name) === 'yes' ? 'yes' : 'no';
        break;
      }
      case 'choice': {
        control = el('select');
        const choices = (spec.choices && spec.choices[of]) || [];
        if (field.blank) {
          const none = option('', msg('ui-none-option'));
          none.setAttribute('data-msg', 'ui-none-option');
          control.append(none);
        }
        for (const c of choices) {
          const o = option(c.value, c.label);
          o.setAttribute('data-choice', c.value);
          control.append(o);
        }
        choiceSelects.push({ select: control, of });
        const v = firstOf(field.name);
        if (v && choices.some((c) => c.value === v)) {
          control.value = v;
        }
        break;
      }
      case 'link': {
        control = picker(inputId, field.name, of, records, [firstOf(field.name)].filter(Boolean), false);
        break;
      }
      case 'links': {
        control = picker(inputId, field.name, of, records, valuesOf(field.name), true);
        break;
      }
      case 'texts': {
        control = el('input');
        control.type = 'text';
        control.value = valuesOf(field.name).join(', ');
        const hint = labelled('p', 'ui-texts-hint', 'hint');
        hint.id = prefix + 'hint-' + field.name;
        describe.push(hint.id);
        box.append(hint);
        break;
      }
      case 'follow_ups': {
          control = followUps(inputId, valuesOf(field.name), records);
        break;
      }
      case 'date': {
        // In the app's language (datefield.js): a group of three boxes,
        // named by its label; the label's click goes to the first box.
        control = dateField(field.name, firstOf(field.name));
        caption.id = prefix + 'label-' + field.name;
        caption.removeAttribute('for');
        caption.addEventListener('click', () => control.focus());
        control.setAttribute('aria-labelledby', caption.id);
        break;
      }
      default: {
        control = el('input');
        control.type = { phone: 'tel', email: 'email', date: 'date', number: 'number' }[type] || 'text';
        if (type === 'number') {
          control.min = '0';
          control.step = '1';
          control.inputMode = 'numeric';
        }
        let v = firstOf(field.name);
        if (isNew && type === 'number' && !field.required) {
          v = '0';
        }
        control.value = v;
      }
    }
    if (!group) {
      control.id = inputId;
      control.name = field.name;
      if (field.required) {
        control.required = true;
        if (type !== 'date') {
          control.setAttribute('aria-required', 'true');
        }
      }
      control.setAttribute('aria-describedby', describe.join(' '));
      if (control.tagName === 'INPUT' && control.type !== 'date') {
        control.autocomplete = 'off';
        control.spellcheck = false;
      }
      // The core's field table says which fields are contact data (always
      // masked in meeting mode) and which name a person (masked for someone
      // marked sensitive).
      if (field.contact || (sensitive && field.identifying)) {
        maskInput(control);
      }
    } else {
      box.setAttribute('aria-describedby', errorId);
    }
    // Put the control right after its label (a texts hint may sit between).
    caption.after(control);
    box.append(error);
    form.append(box);
    controls.set(field.name, { field, control, box, error });
  }

  const actions = el('div', 'actions');
  const saveButton = labelled('button', 'ui-save', 'primary');
  saveButton.type = 'submit';
  saveButton.id = 'save';
  const cancel = labelled('button', 'ui-cancel');
  cancel.type = 'button';
  cancel.id = 'cancel';
  actions.append(saveButton, cancel);
  form.append(actions);

  function collect() {
    const pairs = [];
    for (const { field, control } of controls.values()) {
      const name = field.name;
      switch (field.input.type) {
        case 'links':
          for (const id of control.chosenIds()) {
            pairs.push([name, id]);
          }
          break;
        case 'link':
          pairs.push([name, control.chosenIds()[0] || '']);
          break;
        case 'texts':
          for (const part of control.value.split(',')) {
            if (part.trim()) {
              pairs.push([name, part.trim()]);
            }
          }
          break;
        case 'follow_ups':
          for (const row of control.querySelectorAll('.fu-row')) {
            const part = (p) => row.querySelector('[data-part=' + p + ']');
            const task = part('task').value.trim();
            const due = part('due').value;
            const who = part('who').value;
            const done = part('done').checked ? 'done' : '';
            if (task || due || who || done) {
              pairs.push([name, [task, due, who, done].join('|')]);
            }
          }
          break;
        default:
          pairs.push([name, control.value]);
      }
    }
    return pairs;
  }

  /** New labels and choice texts from a spec in another language. */
  function relabel(newSpec) {
    fill(form);
    const byName = new Map(newSpec.fields.map((f) => [f.name, f]));
    for (const { span, name } of labels) {
      if (byName.has(name)) {
        span.textContent = byName.get(name).label;
      }
    }
    for (const { select, of } of choiceSelects) {
      const choices = (newSpec.choices && newSpec.choices[of]) || [];
      for (const o of select.querySelectorAll('option[data-choice]')) {
        const c = choices.find((x) => x.value === o.value);
        if (c) {
          o.textContent = c.label;
        }
      }
    }
  }

  function clearErrors() {
    for (const { error, box } of controls.values()) {
      error.textContent = '';
      error.hidden = true;
      box.classList.remove('has-error');
    }
  }

  /** Shows `message` beside `field` (a follow-up's due/who go to follow-ups). */
  function showError(field, message) {
    let entry = controls.get(field);
    if (!entry && (field === 'due' || field === 'who' || field === 'done')) {
      entry = controls.get('follow-up');
    }
    if (!entry) {
      return null;
    }
    entry.error.textContent = message;
    entry.error.hidden = false;
    entry.box.classList.add('has-error');
    const target = entry.box.querySelector('input, select, textarea');
    if (target) {
      target.setAttribute('aria-invalid', 'true');
    }
    return target;
  }

  function focusFirst() {
    const first = form.querySelector('input, select, textarea');
    if (first) {
      first.focus();
    }
  }

  return { collect, relabel, clearErrors, showError, focusFirst, cancel };
}

/** The follow-ups of a note: rows of task, due date, who, done. */
function followUps(baseId, values, records) {
  const wrap = el('div', 'follow-ups');
  const rows = el('div', 'fu-rows');
  let n = 0;
  function addRow(value) {
    // The core writes `TASK|DUE|WHO|done` (FollowUp::to_text): the last three
    // parts are fixed, so a task may itself contain '|'.
    const parts = value ? value.split('|') : [];
    const [due = '', who = '', done = ''] = parts.length >= 4 ? parts.splice(-3) : [];
    const task = parts.join('|');
    const i = n++;
    const row = el('div', 'fu-row');
    const part = (name, input, msgId) => {
      const cell = el('div', 'fu-cell fu-' + name);
      input.id = baseId + '-' + name + '-' + i;
      input.setAttribute('data-part', name);
      input.name = 'follow-up-' + name;
      const lab = labelled('label', msgId);
      if (input.tagName === 'DATE-FIELD') {
        input.setAttribute('name', input.name);
        lab.id = input.id + '-label';
        input.setAttribute('aria-labelledby', lab.id);
        lab.addEventListener('click', () => input.focus());
      } else {
        lab.htmlFor = input.id;
      }
      if (name === 'done') {
        cell.append(input, lab);
      } else {
        cell.append(lab, input);
      }
      row.append(cell);
      return input;
    };
    const t = el('input');
    t.type = 'text';
    t.value = task;
    t.autocomplete = 'off';
    part('task', t, 'ui-task');
    const d = dateField('', due);
    part('due', d, 'field-due');
    part('who', picker('', '', 'person', records, [who].filter(Boolean), false), 'field-who');
    const c = el('input');
    c.type = 'checkbox';
    c.checked = done.trim() === 'done';
    part('done', c, 'ui-done');
    const remove = labelled('button', 'ui-remove-follow-up', 'small fu-remove');
    remove.type = 'button';
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      (next ? next.querySelector('input') : add).focus();
    });
    row.append(remove);
    rows.append(row);
    return t;
  }
  for (const v of values) {
    addRow(v);
  }
  const add = labelled('button', 'ui-add-follow-up', 'small fu-add');
  add.type = 'button';
  add.addEventListener('click', () => addRow('').focus());
  wrap.append(rows, add);
  return wrap;
}
