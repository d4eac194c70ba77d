// The network lab's pictures: the decision map with the data over it, the network with
// its units' maps, and the training curves, each on canvases sized to their boxes, and
// the pointer on the map (a click inspects the nearest point or adds one).

import { el } from './dom.js';
import { fitCanvas } from './surface-view.js';

/**
 * Builds the views; `lab()` gives the current NetworkLab, `zoom` enlarges lines and text
 * (an embed), `onPointer({u, v, ratio})` gets a press on the map in device pixels.
 */
export function networkViews({ lab, zoom, onPointer, onResize }) {
  const scratch = document.createElement('canvas');
  const mapCanvas = el('canvas', { 'aria-hidden': 'true' });
  const pointsCanvas = el('canvas', {
    class: 'points', role: 'img', tabindex: '0',
    'aria-label': 'Decision map with the data. Click a point to inspect it, or add points in add mode.',
  });
  const map = el('div', { class: 'map-view', id: 'map-view' }, mapCanvas, pointsCanvas);
  const curvesCanvas = el('canvas', { role: 'img', 'aria-label': 'Training and validation loss and accuracy per epoch' });
  const curves = el('div', { class: 'curves-view', id: 'curves-view' }, curvesCanvas);
  const networkCanvas = el('canvas', { role: 'img', 'aria-label': 'The network: edges by weight, each unit showing its output over the input plane' });
  const network = el('div', { class: 'network-view', id: 'network-view' }, networkCanvas);

  const ratios = new Map();
  let pointsDirty = true;
  for (const [view, canvases] of [[map, [mapCanvas, pointsCanvas]], [curves, [curvesCanvas]], [network, [networkCanvas]]]) {
    new ResizeObserver(() => {
      for (const canvas of canvases) ratios.set(canvas, fitCanvas(canvas, view.getBoundingClientRect()).ratio);
      pointsDirty = true;
      onResize();
    }).observe(view);
  }

  pointsCanvas.addEventListener('pointerdown', (event) => {
    const box = pointsCanvas.getBoundingClientRect();
    const ratio = ratios.get(pointsCanvas) ?? 1;
    onPointer({ u: (event.clientX - box.left) * ratio, v: (event.clientY - box.top) * ratio, ratio });
  });

  const ratio = (canvas) => (ratios.get(canvas) ?? 1) * zoom;
  return {
    map,
    curves,
    network,
    /** Gives the map keyboard focus, where the keys act. */
    focus: () => pointsCanvas.focus({ preventScroll: true }),
    /** The data must be drawn again: points were added or the selection changed. */
    pointsChanged() {
      pointsDirty = true;
    },
    draw(selected) {
      const current = lab();
      current.draw_map(mapCanvas, scratch, ratio(mapCanvas));
      if (pointsDirty) {
        current.draw_points(pointsCanvas, selected);
        pointsDirty = false;
      }
      if (!network.hidden) current.draw_network(networkCanvas, scratch, ratio(networkCanvas));
      if (!curves.hidden) current.draw_curves(curvesCanvas, ratio(curvesCanvas));
    },
  };
}
