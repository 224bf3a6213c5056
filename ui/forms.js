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

/** Choice sets that may be left unset (a person's preferred language). */
/** Fields whose value is masked in meeting mode. */
const CONTACT_FIELDS = ['phone', 'signal', 'email'];

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

/** An <option> for a record; a sensitive person's name is maskable. */
function recordOption(item) {
  const o = document.createElement('option');
  o.value = item.id;
  maskable(o, item.title, item.sensitive);
  return o;
}

/**
 * The records a link can point at, plus any linked id that is not among them
 * (a record deleted since): kept and marked, so saving does not drop the link.
 */
function withDeleted(items, ids) {
  const live = new Set(items.map((i) => i.id));
  const gone = [...new Set(ids)].filter((id) => id && !live.has(id));
  return items.concat(gone.map((id) => ({ id, title: msg('ui-deleted-record') + ' (' + id + ')', sensitive: false })));
}

function linkSelect(id, name, liveItems, value) {
  const items = withDeleted(liveItems, [value]);
  const select = el('select');
  select.id = id;
  if (name) {
    select.name = name;
  }
  const none = option('', msg('ui-none-option'));
  none.setAttribute('data-msg', 'ui-none-option');
  select.append(none);
  for (const item of items) {
    select.append(recordOption(item));
  }
  select.value = items.some((i) => i.id === value) ? value : '';
  return select;
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
    const group = type === 'links' || type === 'follow_ups';
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
        control = linkSelect(inputId, field.name, records[of] || [], firstOf(field.name));
        break;
      }
      case 'links': {
        control = el('div', 'checks');
        const chosen = new Set(valuesOf(field.name));
        const items = withDeleted(records[of] || [], [...chosen]);
        if (items.length === 0) {
          control.append(labelled('p', 'ui-links-empty', 'hint'));
        }
        items.forEach((item, i) => {
          const row = el('div', 'check');
          const box2 = el('input');
          box2.type = 'checkbox';
          box2.name = field.name;
          box2.value = item.id;
          box2.id = inputId + '-' + i;
          box2.checked = chosen.has(item.id);
          const lab = el('label');
          lab.htmlFor = box2.id;
          maskable(lab, item.title, item.sensitive);
          row.append(box2, lab);
          control.append(row);
        });
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
        control = followUps(inputId, valuesOf(field.name), records.person || []);
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
      if (CONTACT_FIELDS.includes(field.name) || (sensitive && ['name', 'alias'].includes(field.name))) {
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
          for (const box2 of control.querySelectorAll('input[type=checkbox]')) {
            if (box2.checked) {
              pairs.push([name, box2.value]);
            }
          }
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
function followUps(baseId, values, people) {
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
    part('who', linkSelect('', '', people, who), 'field-who');
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
