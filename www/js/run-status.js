// What the runs say beside the figure: a legend of the shown optimizers, each with its
// colour and marker and how its run ended (diverged, converged, or where it got to);
// when none is shown, what to do; and the read-out of the iterate under the pointer.

import { el } from './dom.js';
import { formatValue } from './params.js';
import { labelOf } from './state.js';

const number = (v) => formatValue(Number(v.toPrecision(4)));
const short = (v) => formatValue(Number(v.toPrecision(2)));
const SVG = 'http://www.w3.org/2000/svg';

/** The marker shapes the core draws at each run's head, as a small SVG. */
const SHAPES = {
  circle: ['circle', { cx: 6, cy: 6, r: 4.5 }],
  square: ['rect', { x: 2, y: 2, width: 8, height: 8 }],
  triangle: ['polygon', { points: '6,1.5 10.5,10 1.5,10' }],
  diamond: ['polygon', { points: '6,1 11,6 6,11 1,6' }],
  'triangle-down': ['polygon', { points: '1.5,2 10.5,2 6,10.5' }],
  pentagon: ['polygon', { points: '6,1.2 10.8,4.7 9,10.5 3,10.5 1.2,4.7' }],
  hexagon: ['polygon', { points: '3,1.5 9,1.5 11.2,6 9,10.5 3,10.5 0.8,6' }],
  star: ['polygon', { points: '6,0.8 7.4,4.3 11.2,4.5 8.2,6.9 9.2,10.6 6,8.5 2.8,10.6 3.8,6.9 0.8,4.5 4.6,4.3' }],
  cross: ['polygon', { points: '4,1 8,1 8,4 11,4 11,8 8,8 8,11 4,11 4,8 1,8 1,4 4,4' }],
};

/** A swatch: the path's colour as a line, through its marker. */
export function swatch(colour, shape) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '-4 0 20 12');
  svg.setAttribute('class', 'swatch');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: -4, y1: 6, x2: 16, y2: 6, stroke: colour, 'stroke-width': 2.5 })) line.setAttribute(k, v);
  const [tag, attributes] = SHAPES[shape] ?? SHAPES.circle;
  const mark = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries({ ...attributes, fill: colour, stroke: '#fff', 'stroke-width': 1 })) mark.setAttribute(k, v);
  svg.append(line, mark);
  return svg;
}

/** How a run ended, in the core's terms (see `statuses()`): diverged at the update that
 * failed; converged or stationary from the first step of the stretch that stays within
 * the tolerance; '' while it is still running. */
export function verdict(status) {
  const at = { diverged: 'diverged at step', converged: 'converged at step', stationary: 'stationary from step' }[status.kind];
  return at ? `${at} ${status.step}` : '';
}

/** The verdict, then (unless it diverged) the final loss and the distance to the
 * nearest minimum, each as `[part, text]`. */
export function outcome(status) {
  const parts = [['verdict', verdict(status)]];
  if (status.kind !== 'diverged') {
    parts.push(['loss', `f = ${short(status.loss)}`]);
    if (status.minimum != null) parts.push(['distance', `${short(status.distance)} from (${status.minimum.map(short).join(', ')})`]);
  }
  return parts.filter(([, text]) => text);
}

/** `legend` and `readout` are elements beside the figure; `styles()` gives each slot's
 * `{colour, shape}`; `surface.showEmpty` says what to do when nothing is shown. */
export function runStatus({ lab, state, styles, surface, legend, readout }) {
  return {
    /** The legend, from the core's `statuses()`. */
    show(statuses) {
      const style = styles();
      const shown = statuses.flatMap((s, i) => {
        const optimizer = state.optimizers[i];
        if (!optimizer.enabled) return [];
        return [el('li', { class: `run ${s.kind}`, dataset: { index: String(i), optimizer: optimizer.id } },
          swatch(style[i].colour, style[i].shape),
          el('span', { class: 'label' }, labelOf(optimizer)),
          el('span', { class: 'outcome' }, outcome(s).flatMap(([part, text], k) =>
            [k ? el('span', { class: `sep ${part}` }, ' · ') : null, el('span', { class: part }, text)])))];
      });
      legend.replaceChildren(...shown);
      surface.showEmpty(shown.length === 0);
    },
    /** Iteration `hover.step` of path `hover.path` (every path if negative), or nothing. */
    showHover(hover) {
      if (!hover) {
        readout.textContent = '';
        return;
      }
      const parts = state.optimizers.flatMap((o, i) => {
        if (!o.enabled || (hover.path >= 0 && hover.path !== i)) return [];
        const points = lab.iterates(i);
        const k = 3 * hover.step;
        if (k + 2 >= points.length) return [];
        return [`${o.id}: f = ${number(points[k + 2])} at (${number(points[k])}, ${number(points[k + 1])})`];
      });
      readout.textContent = `iteration ${hover.step} — ${parts.join(' · ')}`;
    },
  };
}
