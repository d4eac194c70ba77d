/** The range test in words: where the loss is lowest and from where runs diverge. */
function summary(report) {
  const fmt = (v) => Number(v.toPrecision(2)).toString();
  const diverged = report.computed.find((p) => p.diverged);
  if (!report.best || report.best.diverged) return 'every run diverged';
  return `lowest loss ${fmt(report.best.loss)} at η = ${fmt(report.best.lr)}${diverged ? `; diverged from η = ${fmt(diverged.lr)}` : ''}`;
}

// Panels beside the map that look inside training, each drawn by the core on a canvas
// sized to its box, and only while it shows: the slide's activation g and g′ over the
// chosen layer's pre-activations; the softmax of the inspected point with its
// Jacobian; per layer ‖∇W‖/‖W‖ and the saturated or dead units per epoch; and the
// learning-rate range test, computed a few learning rates per frame.

import { el, fitCanvas } from './dom.js';

/** A canvas in a box that keeps its backing store sized to the box. */
function canvasBox(id, label, onResize) {
  const canvas = el('canvas', { role: 'img', 'aria-label': label });
  const box = el('div', { class: 'panel-canvas' }, canvas);
  let ratio = 1;
  new ResizeObserver(() => {
    ratio = fitCanvas(canvas, box.getBoundingClientRect()).ratio;
    onResize();
  }).observe(box);
  return { canvas, box, ratio: () => ratio };
}

/**
 * The panels. `lab()` gives the NetworkLab, `zoom` enlarges text (an embed), `range`
 * is the range test's `{from, to, points, updates}` (the catalogue's defaults),
 * `hiddenLayers()` how many hidden layers the current run has, and `onResize()` asks
 * for a redraw.
 */
export function networkPanels({ lab, zoom, range: RANGE, hiddenLayers, onResize }) {
  // The activation: a layer to show the pre-activations of.
  const activationCanvas = canvasBox('activation', "The activation g (blue) and its derivative g′ (green) over a histogram of the layer's pre-activations z", onResize);
  const layer = el('select', { id: 'activation-layer', 'aria-label': 'Hidden layer whose pre-activations are shown', onchange: () => onResize() });
  const activation = el('div', { class: 'network-view panel', id: 'activation-view', hidden: true },
    el('label', { class: 'panel-bar' }, 'layer ', layer), activationCanvas.box);

  const softmaxCanvas = canvasBox('softmax', 'The inspected point: the logits, the output f(x) and its Jacobian ∂f/∂z', onResize);
  const softmaxHint = el('p', { class: 'hint' }, 'Click a point on the map: its logits, f(x) and the Jacobian ∂f/∂z show here.');
  const softmax = el('div', { class: 'network-view panel', id: 'softmax-view', hidden: true }, softmaxHint, softmaxCanvas.box);

  const insideCanvas = canvasBox('inside', 'Per layer and epoch: the gradient norm relative to the weights, and the saturated or dead units', onResize);
  const inside = el('div', { class: 'network-view panel', id: 'inside-view', hidden: true }, insideCanvas.box);

  // The range test: run on demand, filled in across frames.
  const rangeCanvas = canvasBox('range', 'Learning-rate range test: the loss after a short run at each learning rate', onResize);
  const rangeButton = el('button', { type: 'button', id: 'run-range', title: `Train a short run of ${RANGE.updates} updates at each of ${RANGE.points} learning rates from ${RANGE.from} to ${RANGE.to}, from the same start, and plot the loss each ends at` }, '▶ range test');
  const rangeNote = el('span', { class: 'panel-note', id: 'range-note', 'aria-live': 'polite' }, `${RANGE.points} short runs, η from ${RANGE.from} to ${RANGE.to}`);
  const range = el('div', { class: 'network-view panel', id: 'range-view', hidden: true },
    el('div', { class: 'panel-bar' }, rangeButton, rangeNote), rangeCanvas.box);

  /** Sets the layer choices to the current run's hidden layers. */
  function showLayers() {
    const count = hiddenLayers();
    const chosen = Math.min(Number(layer.value || 1), Math.max(count, 1));
    layer.replaceChildren(...Array.from({ length: count }, (_, i) => el('option', { value: String(i + 1), selected: i + 1 === chosen }, `h(${i + 1})`)));
    layer.disabled = count === 0;
  }

  // The range test runs a few learning rates a frame, on the network it started on.
  const FRAME_BUDGET = 12;
  let ranging = 0;
  function runRange() {
    const tested = lab();
    try {
      tested.start_lr_range(RANGE.from, RANGE.to, RANGE.points, RANGE.updates);
    } catch (error) {
      rangeNote.textContent = error.message;
      return;
    }
    rangeButton.disabled = true;
    cancelAnimationFrame(ranging);
    const frame = () => {
      if (lab() !== tested) {
        rangeButton.disabled = false;
        return;
      }
      const end = performance.now() + FRAME_BUDGET;
      let done = false;
      while (!done && performance.now() < end) done = tested.lr_range_step(1);
      const report = tested.lr_range();
      rangeNote.textContent = done ? summary(report) : `${report.computed.length} of ${RANGE.points} learning rates…`;
      onResize();
      if (done) rangeButton.disabled = false;
      else ranging = requestAnimationFrame(frame);
    };
    ranging = requestAnimationFrame(frame);
  }
  rangeButton.addEventListener('click', runRange);

  const ratio = (box) => box.ratio() * zoom;
  return {
    activation,
    softmax,
    inside,
    range,
    rangeButton,
    rangeNote,
    showLayers,
    /** Says what the current network's range test holds, when it changes networks. */
    showRange() {
      const report = lab().lr_range();
      rangeButton.disabled = false;
      rangeNote.textContent = report?.done ? summary(report) : `${RANGE.points} short runs, η from ${RANGE.from} to ${RANGE.to}`;
    },
    /** Draws the panels that show; `selected` is the inspected point (−1 for none). */
    draw(selected) {
      const current = lab();
      if (!activation.hidden) current.draw_activation(activationCanvas.canvas, ratio(activationCanvas), Number(layer.value || 1));
      if (!softmax.hidden) {
        softmaxHint.hidden = selected >= 0;
        softmaxCanvas.box.hidden = selected < 0;
        if (selected >= 0) current.draw_softmax(softmaxCanvas.canvas, ratio(softmaxCanvas), selected);
      }
      if (!inside.hidden) current.draw_inside(insideCanvas.canvas, ratio(insideCanvas));
      if (!range.hidden) current.draw_lr_range(rangeCanvas.canvas, ratio(rangeCanvas));
    },
  };
}
