// What the runs say beside the figure: the legend of the shown optimizers (and, when
// none is shown, what to do), a badge for each run that diverged, and the read-out of
// the iterate under the pointer.

import { el } from './dom.js';
import { formatValue } from './params.js';
import { labelOf } from './state.js';

const number = (v) => formatValue(Number(v.toPrecision(4)));

/** `legend` and `showEmpty` belong to the surface view; `badges` and `readout` are lists
 * and a paragraph of the page. */
export function runStatus({ lab, state, palette, surface, badges, readout }) {
  const colour = (i) => ({ '--colour': palette[i % palette.length] });
  return {
    /** The legend and the badges, from the core's `statuses()`. */
    show(statuses) {
      badges.replaceChildren(...statuses.flatMap((s, i) => {
        const optimizer = state.optimizers[i];
        if (!optimizer.enabled || s.kind !== 'diverged') return [];
        return [el('li', { class: 'badge diverged', style: colour(i) }, `${labelOf(optimizer)}: diverged at step ${s.step}`)];
      }));
      const shown = state.optimizers.flatMap((o, i) => (o.enabled ? [el('li', { style: colour(i) }, labelOf(o))] : []));
      surface.legend.replaceChildren(...shown);
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
