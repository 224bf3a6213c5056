// Meeting mode: while it is on, contact details (phone, Signal, email) and
// people marked sensitive show as a mask on every screen, for a laptop on a
// projector. The real text is kept in memory only, next to the element, so
// switching meeting mode (or the language) redraws the masks in place without
// rebuilding any screen or losing what someone is typing.

import { msg } from './i18n.js';

const real = new WeakMap();
/** A record id after a name, as the core writes references: " (per_…)". */
const ID_REF = / \((?:org|per|dem|cam|pld|not)_[0-9a-f]{8,}\)/g;
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
    } else {
      el.append(seg.text);
    }
  }
  el.classList.toggle('masked', hid);
}

/**
 * Shows `text` in `el`, masked in meeting mode when `hide` is true. With
 * `names` (sensitive people as [{title, id}]), only the places where one of
 * them is named as "Title (id)" are masked.
 */
export function maskable(el, text, hide, names) {
  const value = String(text == null ? '' : text);
  let segments = [{ text: value, hide: Boolean(hide) }];
  if (!hide && names && names.length) {
    segments = split(value, names);
  }
  // "Name (per_…)" reads as "Name": the id is for the command line, not people.
  segments = segments.map((seg) => ({ text: seg.text.replace(ID_REF, ''), hide: seg.hide }));
  real.set(el, segments);
  el.classList.add('maskable');
  render(el);
  return el;
}

/** Splits `text` around every "Title (id)" or exact "Title" of `names`. */
function split(text, names) {
  const exact = names.find((n) => n.title === text);
  if (exact) {
    return [{ text, hide: true }];
  }
  let segments = [{ text, hide: false }];
  for (const n of names) {
    const needle = n.title + ' (' + n.id + ')';
    const next = [];
    for (const seg of segments) {
      if (seg.hide || !seg.text.includes(needle)) {
        next.push(seg);
        continue;
      }
      const parts = seg.text.split(needle);
      parts.forEach((part, i) => {
        if (i > 0) {
          next.push({ text: needle, hide: true });
        }
        if (part) {
          next.push({ text: part, hide: false });
        }
      });
    }
    segments = next;
  }
  return segments;
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
