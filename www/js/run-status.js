// What the runs say beside the figure: a legend of the shown optimizers, each with its
// colour and marker and how its run ended (diverged, converged, or where it got to);
// when none is shown, what to do; and the read-out of the iterate under the pointer.

import { el } from './dom.js';
import { formatValue } from './params.js';
import { labelOf } from './state.js';

const number = (v) => formatValue(Number(v.toPrecision(4)));
const short = (v) => formatValue(Number(v.toPrecision(2)));
const SVG = 'http://www.w3.org/2000/svg';

/** A swatch: the path's colour as a line, through its marker (the core's `styles()`:
 * `{colour, path}`, the marker's outline in the box from −1 to 1). */
export function swatch({ colour, path }) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '-2.2 -1.1 4.4 2.2');
  svg.setAttribute('class', 'swatch');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: -2.2, y1: 0, x2: 2.2, y2: 0, stroke: colour, 'stroke-width': 0.4 })) line.setAttribute(k, v);
  const mark = document.createElementNS(SVG, 'path');
  for (const [k, v] of Object.entries({ d: path, fill: colour, stroke: '#fff', 'stroke-width': 0.18, transform: 'scale(0.85)' })) mark.setAttribute(k, v);
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

/** The (x, y) of iterate `step` of path `path`. */
export const iterateAt = (lab, { path, step }) => lab.iterates(path).slice(3 * step, 3 * step + 2);

/** The local Hessian at a hovered iterate: its eigenvalues and condition number κ. */
function curvature(lab, hover) {
  const g = lab.geometry_at(...iterateAt(lab, hover));
  const kappa = g.condition == null ? '' : ` · κ = ${short(g.condition)}`;
  return ` — Hessian there: λ = ${g.eigenvalues.map(short).join(', ')}${kappa}${g.definite === 'positive' ? '' : ` (${g.definite})`}`;
}

/** `legend` and `readout` are elements beside the figure; `styles()` gives each slot's
 * `{colour, shape}`; `surface.showEmpty` says what to do when nothing is shown. */
export function runStatus({ lab, state, styles, surface, legend, readout }) {
  let swatches = null; // the runs and styles the legend's items were made for
  return {
    /** The legend, from the core's `statuses()`. */
    show(statuses) {
      const style = styles();
      const shown = statuses.flatMap((s, i) => (state.optimizers[i].enabled ? [i] : []));
      // The same runs in the same styles (a slider dragged): only their words change.
      const key = shown.map((i) => `${i} ${style[i].colour} ${style[i].shape}`).join();
      if (key !== swatches) {
        swatches = key;
        legend.replaceChildren(...shown.map((i) => el('li', { dataset: { index: String(i), optimizer: state.optimizers[i].id } },
          swatch(style[i]), el('span', { class: 'label' }), el('span', { class: 'outcome' }))));
      }
      shown.forEach((i, n) => {
        const item = legend.children[n];
        item.className = `run ${statuses[i].kind}`;
        item.children[1].textContent = labelOf(state.optimizers[i]);
        item.children[2].replaceChildren(...outcome(statuses[i]).flatMap(([part, text], k) => {
          const said = el('span', { class: part }, text);
          return k ? [el('span', { class: `sep ${part}` }, ' · '), said] : [said];
        }));
      });
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
      readout.textContent = `iteration ${hover.step} — ${parts.join(' · ')}${hover.path >= 0 ? curvature(lab, hover) : ''}`;
    },
  };
}
