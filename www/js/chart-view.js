// The loss chart: one line per enabled optimizer; hovering picks an iteration.

import { el, fitCanvas } from './dom.js';

export function chartView(root, lab, { zoom = 1, onHover, onResize }) {
  const canvas = el('canvas', { role: 'img', 'aria-label': 'Loss against iteration, one line per optimizer' });
  root.append(canvas);
  let ratio = 1;

  new ResizeObserver(() => {
    const fitted = fitCanvas(canvas, root.getBoundingClientRect());
    ratio = fitted.ratio;
    if (fitted.changed) onResize();
  }).observe(root);

  canvas.addEventListener('pointermove', (event) => {
    const box = canvas.getBoundingClientRect();
    const step = lab.chart_step_at((event.clientX - box.left) * ratio);
    onHover(step >= 0 ? { step, path: -1 } : null);
  });
  canvas.addEventListener('pointerleave', () => onHover(null));

  return {
    draw(upto, highlight) {
      lab.draw_chart(canvas, ratio * zoom, upto, highlight?.step ?? -1);
    },
  };
}
