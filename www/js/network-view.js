// The network lab's pictures, each on canvases sized to their boxes: for data of the
// plane (or one input), the decision map (or the fitted curve) with the data over it
// and the network with its units' maps; for images (the digits), a grid of validation
// images with their predictions, the confusion matrix and the first layer's weights as
// images; and the training curves. A press on the map or the grid goes to
// `onPointer`.

import { el, fitCanvas } from './dom.js';

/**
 * Builds the views; `lab()` gives the current NetworkLab, `zoom` enlarges lines and text
 * (an embed), `onPointer({u, v, ratio, image})` gets a press on the map or on the grid
 * of images in device pixels, `onNetworkPointer({u, v})` one on the network drawing.
 */
export function networkViews({ lab, zoom, onPointer, onNetworkPointer, onResize }) {
  const scratch = document.createElement('canvas');
  const mapCanvas = el('canvas', { 'aria-hidden': 'true' });
  const pointsCanvas = el('canvas', {
    class: 'points', role: 'img', tabindex: '0',
    'aria-label': 'Decision map with the data. Click a point to inspect it, or add points in add mode.',
  });
  const imagesCanvas = el('canvas', {
    class: 'images', role: 'img', tabindex: '0', hidden: true,
    'aria-label': 'Validation images with the predicted class and its probability; errors framed in red. Click one to inspect it.',
  });
  const map = el('div', { class: 'map-view', id: 'map-view' }, mapCanvas, pointsCanvas, imagesCanvas);
  const curvesCanvas = el('canvas', { role: 'img', 'aria-label': 'Training and validation loss and accuracy per epoch, every run' });
  const curvesBox = el('div', { class: 'curves-chart' }, curvesCanvas);
  const ratesCanvas = el('canvas', { role: 'img', 'aria-label': 'The learning rate η per epoch, every run, on a log scale' });
  const ratesBox = el('div', { class: 'rates-chart' }, ratesCanvas);
  const curves = el('div', { class: 'curves-view', id: 'curves-view' }, curvesBox, ratesBox);
  const networkCanvas = el('canvas', { role: 'img', 'aria-label': 'The network: edges by weight, each unit showing its output over the input plane' });
  const networkBox = el('div', { class: 'panel-canvas' }, networkCanvas);
  const network = el('div', { class: 'network-view panel', id: 'network-view' }, networkBox);
  const weightsCanvas = el('canvas', { role: 'img', 'aria-label': "The first layer's weights: one image per hidden unit" });
  const weights = el('div', { class: 'network-view', id: 'weights-view', hidden: true }, weightsCanvas);
  const confusionCanvas = el('canvas', { role: 'img', 'aria-label': 'Confusion matrix on the validation split: true class by row, predicted by column' });
  const confusion = el('div', { class: 'network-view', id: 'confusion-view', hidden: true }, confusionCanvas);

  const ratios = new Map();
  let pointsDirty = true;
  let curvesDirty = true;
  const boxes = [[map, [mapCanvas, pointsCanvas, imagesCanvas]], [curvesBox, [curvesCanvas]], [ratesBox, [ratesCanvas]], [networkBox, [networkCanvas]],
    [weights, [weightsCanvas]], [confusion, [confusionCanvas]]];
  for (const [view, canvases] of boxes) {
    new ResizeObserver(() => {
      for (const canvas of canvases) ratios.set(canvas, fitCanvas(canvas, view.getBoundingClientRect()).ratio);
      pointsDirty = true;
      curvesDirty = true;
      onResize();
    }).observe(view);
  }

  for (const canvas of [pointsCanvas, imagesCanvas]) {
    canvas.addEventListener('pointerdown', (event) => {
      const box = canvas.getBoundingClientRect();
      const ratio = ratios.get(canvas) ?? 1;
      onPointer({ u: (event.clientX - box.left) * ratio, v: (event.clientY - box.top) * ratio, ratio, image: canvas === imagesCanvas });
    });
  }

  networkCanvas.addEventListener('pointerdown', (event) => {
    const box = networkCanvas.getBoundingClientRect();
    const ratio = ratios.get(networkCanvas) ?? 1;
    onNetworkPointer({ u: (event.clientX - box.left) * ratio, v: (event.clientY - box.top) * ratio });
  });

  const ratio = (canvas) => (ratios.get(canvas) ?? 1) * zoom;
  let drawnHistory = null;
  let images = false;
  return {
    map,
    curves,
    network,
    weights,
    confusion,
    /** Images (the digits) or data of the plane: which pictures the map's box holds. */
    showImages(on) {
      images = on;
      imagesCanvas.hidden = !on;
      mapCanvas.hidden = on;
      pointsCanvas.hidden = on;
      pointsDirty = true;
    },
    /** Gives the figure keyboard focus, where the keys act. */
    focus: () => (images ? imagesCanvas : pointsCanvas).focus({ preventScroll: true }),
    /** The data must be drawn again: points were added or the selection changed. */
    pointsChanged() {
      pointsDirty = true;
    },
    /** The curves must be drawn again: the networks were made anew or loaded. */
    curvesChanged() {
      curvesDirty = true;
    },
    /** Draws what shows; `stage` is the backward pass's stage for `selected` (−1: the plain
     * network); the curves and η only when `history` (what they show, as text) changed. */
    draw(selected, stage = -1, history = '') {
      const current = lab();
      if (images) {
        current.draw_digits(imagesCanvas, scratch, ratio(imagesCanvas), selected);
        if (!weights.hidden) current.draw_filters(weightsCanvas, scratch, ratio(weightsCanvas));
        if (!confusion.hidden) current.draw_confusion(confusionCanvas, ratio(confusionCanvas));
      } else {
        current.draw_map(mapCanvas, scratch, ratio(mapCanvas));
        if (pointsDirty) {
          current.draw_points(pointsCanvas, selected);
          pointsDirty = false;
        }
        if (!network.hidden && stage >= 0) current.draw_pass(networkCanvas, ratio(networkCanvas), selected, stage);
        else if (!network.hidden) current.draw_network(networkCanvas, scratch, ratio(networkCanvas));
      }
      if (!curves.hidden && (history !== drawnHistory || curvesDirty)) {
        current.draw_curves(curvesCanvas, ratio(curvesCanvas));
        current.draw_learning_rates(ratesCanvas, ratio(ratesCanvas));
        drawnHistory = history;
        curvesDirty = false;
      }
    },
  };
}
