// A pledge drive's progress on its detail screen: the bar, a line of the
// signatures over time against the goal and the deadline (SVG built node by
// node, never from markup), its paper batches, a form to add one, and the
// printable signature sheet.

import * as api from './api.js';
import { msg } from './i18n.js';
import { maskable } from './mask.js';
import { picker } from './forms.js';
import { $, el, say, sayText, errorText, showFieldError } from './status.js';

const SVG = 'http://www.w3.org/2000/svg';
let shown = null;
let collector = null;

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, String(v));
  }
  return e;
}

function day(s) {
  const t = Date.parse(s + 'T00:00:00Z');
  return Number.isNaN(t) ? null : t / 86400000;
}

function chart(d) {
  const box = $('drive-chart');
  box.textContent = '';
  const W = 600;
  const H = 200;
  const pad = 30;
  const today = Math.floor(Date.now() / 86400000);
  const dates = d.points.map(([s]) => day(s)).filter((x) => x !== null);
  const deadline = day(d.deadline) ?? today;
  const x0 = Math.min(today, deadline, ...dates) - 1;
  const x1 = Math.max(today, deadline, ...dates) + 1;
  const top = Math.max(d.goal, d.progress, 1);
  const X = (t) => pad + ((t - x0) / (x1 - x0)) * (W - 2 * pad);
  const Y = (n) => H - pad - (n / top) * (H - 2 * pad);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart' });
  const title = svg('title');
  title.textContent = msg('ui-drive-chart') + '. ' + d.text;
  root.append(title);
  root.append(svg('line', { x1: pad, y1: Y(d.goal), x2: W - pad, y2: Y(d.goal), class: 'goal' }));
  const goal = svg('text', { x: pad + 2, y: Y(d.goal) - 4, class: 'label' });
  goal.textContent = `${msg('ui-drive-goal')} ${d.goal}`;
  root.append(goal);
  root.append(svg('line', { x1: X(deadline), y1: pad / 2, x2: X(deadline), y2: H - pad, class: 'deadline' }));
  const dl = svg('text', { x: X(deadline) - 4, y: pad / 2 + 10, 'text-anchor': 'end', class: 'label' });
  dl.textContent = `${msg('ui-drive-deadline')} ${d.deadline}`;
  root.append(dl);
  const pts = [[x0, d.start]];
  for (const [s, n] of d.points) {
    const t = day(s);
    if (t !== null) {
      pts.push([t, n]);
    }
  }
  pts.push([Math.max(today, pts[pts.length - 1][0]), d.progress]);
  root.append(svg('polyline', {
    points: pts.map(([t, n]) => `${X(t).toFixed(1)},${Y(n).toFixed(1)}`).join(' '),
    class: 'progress-line',
  }));
  root.append(svg('line', { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: 'axis' }));
  box.append(root);
}

function render(d) {
  const bar = $('drive-bar');
  bar.max = Math.max(d.goal, 1);
  bar.value = Math.min(d.progress, bar.max);
  $('drive-text').textContent = d.text;
  chart(d);
  const body = $('drive-batches');
  body.textContent = '';
  for (const b of d.batches) {
    const tr = el('tr');
    const date = el('td');
    date.textContent = b.date || msg('ui-batch-undated');
    const count = el('td');
    count.textContent = String(b.count);
    const by = el('td');
    maskable(by, b.by, b.by_sensitive);
    tr.append(date, count, by);
    body.append(tr);
  }
}

export function clearDrive() {
  shown = null;
  $('drive-box').hidden = true;
  for (const id of ['drive-text', 'drive-chart', 'drive-batches']) {
    $(id).textContent = '';
  }
}

/** Shows the drive `id` under its details (or hides the box for other kinds). */
export async function drawDrive(id, kind) {
  if (kind !== 'pledge') {
    clearDrive();
    return;
  }
  const d = await api.drive(id);
  shown = id;
  render(d);
  $('batch-count').value = '';
  $('batch-date').value = new Date().toISOString().slice(0, 10);
  showFieldError($('batch-error'), '');
  showFieldError($('sheet-error'), '');
  const box = $('batch-by-box');
  if (collector) {
    collector.remove();
  }
  collector = picker('batch-by', 'batch-by', 'person', { known: {}, pick: api.pick }, [], false);
  box.append(collector);
  $('drive-box').hidden = false;
}

export function wireDrive() {
  $('batch-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!shown) {
      return;
    }
    try {
      const d = await api.addBatch(shown, $('batch-count').value, $('batch-date').value, collector ? collector.value : '');
      render(d);
      $('batch-count').value = '';
      showFieldError($('batch-error'), '');
      say('ui-batch-added');
    } catch (err) {
      showFieldError($('batch-error'), errorText(err));
      $('batch-count').focus();
    }
  });
  $('sheet-print').addEventListener('click', async () => {
    if (!shown) {
      return;
    }
    try {
      const path = await api.choosePlace(msg('ui-sheet-print'), 'signatures.html', [{ name: 'HTML', extensions: ['html'] }]);
      if (path) {
        sayText(await api.signatureSheet(shown, path));
      }
    } catch (err) {
      showFieldError($('sheet-error'), errorText(err));
    }
  });
}
