// A date field in the language of the app, not of the system: three short
// boxes, day / month / year in Spanish and month / day / year in English.
//
// Why not <input type=date>: WebKit draws it in the system's locale, so with
// the app in Spanish on an English system it showed 12/05/2026 for 5 December,
// and each part was a Tab stop with a faint highlight. Here the date is one
// Tab stop; typing moves on from one part to the next (after two digits, a
// digit that cannot start a longer number, or a "/", "-", "." or space), the
// arrow keys move between parts and Backspace in an empty part goes back; the
// whole field has one clear focus ring, and a language switch puts the parts
// in the new order without losing what was typed.
//
// The element's `value` is what the core reads and writes: `YYYY-MM-DD`, ""
// when empty, and what was typed (for the core to refuse, next to the field)
// when it is not a whole date. Nothing here decides whether a date is valid.

import { msg } from './i18n.js';

const ORDER = { es: ['day', 'month', 'year'], en: ['month', 'day', 'year'] };
const SIZE = { day: 2, month: 2, year: 4 };
const LABEL = { day: 'ui-date-day', month: 'ui-date-month', year: 'ui-date-year' };
const SEPARATORS = ['/', '-', '.', ' '];

let serial = 0;

function currentLang() {
  return document.documentElement.lang === 'es' ? 'es' : 'en';
}

class DateField extends HTMLElement {
  constructor() {
    super();
    this.parts = {};
    this.seps = [];
    this.relabelled = () => this.arrange();
    for (const name of ['day', 'month', 'year']) {
      const input = document.createElement('input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.autocomplete = 'off';
      input.spellcheck = false;
      input.maxLength = SIZE[name];
      input.size = SIZE[name] + 1;
      input.className = 'date-part date-' + name;
      input.setAttribute('data-date-part', name);
      input.addEventListener('input', () => this.typed(name));
      input.addEventListener('keydown', (e) => this.key(name, e));
      // One Tab stop: the part with focus is the one Tab comes back to.
      input.addEventListener('focus', () => this.roving(input));
      this.parts[name] = input;
    }
    for (let i = 0; i < 2; i++) {
      const s = document.createElement('span');
      s.className = 'date-sep';
      s.setAttribute('aria-hidden', 'true');
      s.textContent = '/';
      this.seps.push(s);
    }
    // Leaving the date, Tab comes back to its first part.
    this.addEventListener('focusout', (e) => {
      if (!this.contains(e.relatedTarget)) {
        this.roving(this.first);
      }
    });
    // (No attributes or children here: an element made by createElement may
    // not have any while it is constructed. They are added once connected.)
  }

  connectedCallback() {
    this.setAttribute('role', 'group');
    if (!this.id) {
      this.id = 'date-field-' + ++serial;
    }
    this.arrange();
    document.addEventListener('langchange', this.relabelled);
  }

  disconnectedCallback() {
    document.removeEventListener('langchange', this.relabelled);
  }

  /** The parts in the current language's order, with their spoken names. */
  arrange() {
    const order = this.order();
    const nodes = [this.parts[order[0]], this.seps[0], this.parts[order[1]], this.seps[1], this.parts[order[2]]];
    const focused = nodes.includes(document.activeElement) ? document.activeElement : null;
    this.replaceChildren(...nodes);
    this.roving(focused || this.first);
    for (const name of order) {
      this.parts[name].setAttribute('aria-label', msg(LABEL[name]));
    }
    if (focused) {
      focused.focus();
    }
  }

  order() {
    return ORDER[currentLang()];
  }

  /** Makes `part` the date's one Tab stop. */
  roving(part) {
    for (const p of Object.values(this.parts)) {
      p.tabIndex = p === part ? 0 : -1;
    }
  }

  /** The first box, for a <label for> and for focus. */
  get first() {
    return this.parts[this.order()[0]];
  }

  focus() {
    this.first.focus();
  }

  get value() {
    const d = this.parts.day.value.trim();
    const m = this.parts.month.value.trim();
    let y = this.parts.year.value.trim();
    if (!d && !m && !y) {
      return '';
    }
    if (/^\d{2}$/.test(y)) {
      y = '20' + y;
    }
    if (/^\d{1,2}$/.test(d) && /^\d{1,2}$/.test(m) && /^\d{4}$/.test(y)) {
      return y + '-' + m.padStart(2, '0') + '-' + d.padStart(2, '0');
    }
    // Not a whole date: sent as typed, so the core says what is wrong.
    return [y, m, d].join('-');
  }

  set value(v) {
    const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(v || '').trim());
    this.parts.year.value = match ? match[1] : '';
    this.parts.month.value = match ? match[2] : '';
    this.parts.day.value = match ? match[3] : '';
  }

  set required(on) {
    for (const p of Object.values(this.parts)) {
      p.required = Boolean(on);
    }
  }

  /** After typing in `name`: moves on once the part cannot grow any more. */
  typed(name) {
    const input = this.parts[name];
    const digits = input.value.replace(/\D/g, '');
    if (digits !== input.value) {
      input.value = digits;
    }
    const full =
      digits.length >= SIZE[name] ||
      (name === 'month' && digits.length === 1 && digits > '1') ||
      (name === 'day' && digits.length === 1 && digits > '3');
    if (full) {
      this.next(name);
    }
  }

  key(name, e) {
    const input = this.parts[name];
    if (SEPARATORS.includes(e.key)) {
      e.preventDefault();
      if (input.value) {
        this.next(name);
      }
    } else if (e.key === 'Backspace' && !input.value) {
      if (this.previous(name)) {
        e.preventDefault();
      }
    } else if (e.key === 'ArrowRight' && input.selectionStart === input.value.length) {
      if (this.order().indexOf(name) < 2) {
        e.preventDefault();
        this.next(name);
      }
    } else if (e.key === 'ArrowLeft' && input.selectionEnd === 0) {
      if (this.previous(name)) {
        e.preventDefault();
      }
    }
  }

  /** Focuses the part before `name`, caret at its end; whether there was one. */
  previous(name) {
    const order = this.order();
    const i = order.indexOf(name);
    if (i === 0) {
      return false;
    }
    const p = this.parts[order[i - 1]];
    p.focus();
    p.setSelectionRange(p.value.length, p.value.length);
    return true;
  }

  next(name) {
    const order = this.order();
    const i = order.indexOf(name);
    if (i < order.length - 1) {
      const n = this.parts[order[i + 1]];
      n.focus();
      n.select();
    }
  }
}

if (!customElements.get('date-field')) {
  customElements.define('date-field', DateField);
}

/** A new date field named `name` holding `value` (`YYYY-MM-DD` or ""). */
export function dateField(name, value) {
  const f = document.createElement('date-field');
  f.setAttribute('name', name);
  f.value = value || '';
  return f;
}
