// Meeting mode: while it is on, contact details (phone, Signal, email) and
// people marked sensitive show as a mask on every screen, for a laptop on a
// projector. The real text is kept in memory only, next to the element, so
// switching meeting mode (or the language) redraws the masks in place without
// rebuilding any screen or losing what someone is typing.
//
// What to mask is data, never guessed from text: a value from the core comes
// as spans ({text, id, sensitive, contact}), and a span is masked by its own
// flags (or when the whole value is). A span that names a record carries its
// id as a data attribute, never as text.

import { msg } from './i18n.js';

const real = new WeakMap();
let on = false;

export function meetingMode() {
  return on;
}

export function setMeetingMode(value) {
  on = Boolean(value);
  document.body.classList.toggle('meeting', on);
  refreshMasks();
}

function render(el) {
  const segments = real.get(el);
  if (!segments) {
    return;
  }
  const plain = el.tagName === 'OPTION';
  el.textContent = '';
  let hid = false;
  for (const seg of segments) {
    if (on && seg.hide) {
      hid = true;
      if (plain) {
        el.append(msg('ui-mask'));
      } else {
        const m = document.createElement('span');
        m.className = 'mask';
        m.setAttribute('aria-hidden', 'true');
        m.textContent = msg('ui-mask');
        const sr = document.createElement('span');
        sr.className = 'sr-only';
        sr.textContent = msg('ui-masked');
        el.append(m, sr);
      }
    } else if (seg.id && !plain) {
      const ref = document.createElement('span');
      ref.className = 'ref';
      ref.setAttribute('data-id', seg.id);
      ref.textContent = seg.text;
      el.append(ref);
    } else {
      el.append(seg.text);
    }
  }
  el.classList.toggle('masked', hid);
}

/** Shows `text` in `el`, masked in meeting mode when `hide` is true. */
export function maskable(el, text, hide) {
  return maskSpans(el, [{ text }], hide);
}

/**
 * Shows a value the core sent as spans in `el`. In meeting mode a span is
 * masked when `hide` is true (the whole value is private) or when its own
 * `sensitive` or `contact` flag is set; a span naming a record shows its
 * title, with the id as `data-id`.
 */
export function maskSpans(el, spans, hide) {
  const segments = (spans || []).map((s) => ({
    text: String(s.text == null ? '' : s.text),
    id: s.id || null,
    hide: Boolean(hide || s.sensitive || s.contact),
  }));
  real.set(el, segments);
  el.classList.add('maskable');
  render(el);
  return el;
}

/** The text of spans, as a person reads it. */
export function spansText(spans) {
  return (spans || []).map((s) => s.text).join('');
}

/** Marks an input whose value is hidden (drawn as dots) in meeting mode. */
export function maskInput(input) {
  input.setAttribute('data-mask-input', '');
  input.classList.toggle('masked-input', on);
}

/** Redraws every mask (after meeting mode or the language changed). */
export function refreshMasks() {
  for (const el of document.querySelectorAll('.maskable')) {
    render(el);
  }
  for (const input of document.querySelectorAll('[data-mask-input]')) {
    input.classList.toggle('masked-input', on);
  }
}
