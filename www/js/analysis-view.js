// The panel beside the surface that shows *why*: the rate of convergence over (η, γ)
// (Goh, "Why Momentum Really Works", Distill 2017), the error along the Hessian's
// eigendirections, and each optimizer's final loss against η when tuning. The core draws
// each as a canvas; the rate map fills in coarse to fine within a time budget per frame,
// so the sliders stay live, and a click or a drag on it sets the method's η and γ. The
// page imports this module with the core's build that draws the panels (core.js).

import { el, fitCanvas } from './dom.js';
import { modeSwitch } from './figure-bar.js';
import { spread } from './page.js';
import { formatValue } from './params.js';
import { PANEL_NAMES } from './state.js';

/** Each panel's tab. */
const TABS = { rates: 'rate map', eigen: 'eigendirections', tune: 'tuning' };
/** The tuning grid: η from 1e-5 to 10, 25 points, as the CLI's `tune` defaults. */
const TUNE = [1e-5, 10, 25];

const short = (v) => formatValue(Number(v.toPrecision(3)));

/**
 * Builds the panel in `root`. `state.panel` names what it shows ('' for nothing),
 * `state.rates` is `{method, empirical}`. Handlers: `onPanel(name)`, `onRates(changes)`,
 * `onPick(index, {lr, momentum})` for a click on the map (index: the optimizer it sets),
 * `onTuned(results)` with the core's tuning, `onResize()`.
 */
export function analysisView(root, lab, { zoom = 1, state, onPanel, onRates, onPick, onTuned, onResize }) {
  const tab = (name) => el('button', {
    type: 'button', role: 'tab', id: `panel-${name}`, 'aria-selected': 'false', onclick: () => onPanel(name),
  }, TABS[name]);
  const tabButtons = Object.fromEntries(PANEL_NAMES.map((name) => [name, tab(name)]));
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Why: beside the surface' },
    Object.values(tabButtons),
    el('button', { type: 'button', class: 'close', 'aria-label': 'Close the panel', title: 'Close', onclick: () => onPanel('') }, '×'));
  const method = modeSwitch({
    label: 'Method of the rate map', group: 'rate-method', names: ['momentum', 'nesterov'], current: state.rates.method,
    onPick: (name) => onRates({ method: name }),
  });
  const empirical = el('input', { type: 'checkbox', id: 'rate-empirical', onchange: () => onRates({ empirical: empirical.checked }) });
  const measure = el('p', { class: 'measure', id: 'rate-measure' });
  const optimum = el('p', { class: 'optimum', id: 'rate-optimum' });
  const tuneButton = el('button', { type: 'button', id: 'tune', onclick: () => tune() }, 'tune η for every shown optimizer');
  const tuned = el('p', { class: 'tuned', id: 'tuned', 'aria-live': 'polite' });
  const header = {
    rates: el('div', { class: 'panel-head' }, method, el('label', { class: 'row' }, empirical, ' from runs'), measure, optimum),
    eigen: el('p', { class: 'panel-head measure' }, 'Distance to the minimum along each eigenvector of the Hessian, |uᵢᵀ(θₖ − θ*)|: each shrinks at its own rate.'),
    tune: el('div', { class: 'panel-head' }, tuneButton, tuned),
  };
  // The chart, and above it a layer for the rate map's marker (and the pointer): a
  // slider moves the marker without redrawing the map.
  const canvas = el('canvas', { role: 'img', 'aria-label': '' });
  const layer = el('canvas', { class: 'layer', 'aria-hidden': 'true' });
  const frame = el('div', { class: 'panel-canvas' }, canvas, layer);
  root.append(tabs, ...Object.values(header), frame);

  let ratio = 1;
  let sized = false;
  let started = null; // what the rate map was started for
  let tuneKey = null; // the settings the tuning chart shows
  let mapKey = null; // what the rate map's picture was drawn from
  // The cells computed a frame, counted afresh for each map: a map that was complete
  // made each call quick, and a new one would otherwise be filled in one long frame.
  let refine = null;
  let refined = null; // what the map being refined was started for

  new ResizeObserver(() => {
    const box = frame.getBoundingClientRect();
    const fitted = [canvas, layer].map((c) => fitCanvas(c, box));
    ratio = fitted[0].ratio;
    if (fitted.some((f) => f.changed)) {
      sized = true;
      tuneKey = null;
      mapKey = null;
      onResize();
    }
  }).observe(frame);

  /** The optimizer the rate map reads and sets: the first shown of its method, else the first listed. */
  const followed = () => {
    const shown = state.optimizers.findIndex((o) => o.enabled && o.id === state.rates.method);
    return shown >= 0 ? shown : state.optimizers.findIndex((o) => o.id === state.rates.method);
  };

  /** The (η, γ) the map's marker shows: its method's run's. */
  const marker = () => {
    const { lr, momentum } = state.optimizers[followed()].params;
    return { lr, momentum };
  };

  function pick(event) {
    const box = layer.getBoundingClientRect();
    const at = lab.rate_map_at((event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio);
    if (at.length === 2) onPick(followed(), { lr: Number(at[0].toPrecision(3)), momentum: Number(at[1].toPrecision(3)) });
  }
  layer.addEventListener('pointerdown', (event) => {
    if (state.panel !== 'rates' || event.button !== 0) return;
    event.preventDefault();
    layer.setPointerCapture(event.pointerId);
    pick(event);
  });
  layer.addEventListener('pointermove', (event) => layer.hasPointerCapture(event.pointerId) && pick(event));

  function tune() {
    const results = lab.tune(...TUNE);
    onTuned(results);
    tuned.textContent = results.map((r) => (r.best
      ? `${r.id}: η = ${short(r.best.lr)} (f = ${short(r.best.loss)})`
      : `${r.id}: every η diverged`)).join(' · ');
    tuneKey = null;
  }

  /** Settings the tuning depends on: everything but the learning rates it sets. */
  const tuningKey = () => JSON.stringify([state.surface, state.start, state.steps, state.noise, state.seed,
    state.optimizers.map((o) => [o.id, o.enabled, { ...o.params, lr: undefined }])]);

  return {
    /** The rate map's canvas and the (η, γ) its marker shows, for export. */
    rateMap: () => ({ canvases: [canvas, layer], ...marker() }),
    /** Shows the chosen panel, or hides the whole panel. */
    show() {
      root.hidden = !state.panel;
      for (const name of PANEL_NAMES) {
        tabButtons[name].setAttribute('aria-selected', String(state.panel === name));
        header[name].hidden = state.panel !== name;
      }
      for (const radio of method.querySelectorAll('input')) radio.checked = radio.value === state.rates.method;
      canvas.setAttribute('aria-label', {
        rates: `Rate of convergence of ${state.rates.method} over learning rate and momentum; click to set them`,
        eigen: 'Error along each eigenvector of the Hessian against the iteration',
        tune: 'Final loss against the learning rate, one line per optimizer',
      }[state.panel] ?? '');
      started = null;
      refined = null;
      tuneKey = null;
      mapKey = null;
      const clear = layer.getContext('2d');
      clear.clearRect(0, 0, layer.width, layer.height);
    },
    /** Draws the panel; returns true while the rate map still has cells to compute. */
    draw(upto) {
      if (!state.panel || !sized) return false;
      if (state.panel === 'eigen') {
        lab.draw_eigen_error(canvas, ratio * zoom, upto);
        return false;
      }
      if (state.panel === 'tune') {
        const key = tuningKey();
        if (key !== tuneKey) {
          lab.draw_tune_chart(canvas, ratio * zoom, ...TUNE);
          tuneKey = key;
        }
        return false;
      }
      const wanted = `${state.rates.method} ${state.rates.empirical}`;
      if (started !== wanted) {
        lab.rate_map_start(state.rates.method, state.rates.empirical, 64, 64);
        started = wanted;
      }
      const setup = JSON.stringify([wanted, state.surface, state.start, state.steps, state.noise, state.seed]);
      if (setup !== refined) {
        refine = spread((cells) => lab.rate_map_refine(cells));
        refined = setup;
      }
      const done = refine();
      const info = lab.rate_map_info();
      // The picture again only when the map has grown or was started anew (its settings).
      const key = JSON.stringify([info.computed, info.lr, info.momentum, state.surface, state.start, state.steps, state.noise, state.seed]);
      if (key !== mapKey) {
        lab.draw_rate_map(canvas, ratio * zoom);
        mapKey = key;
      }
      const { lr, momentum } = marker();
      lab.draw_rate_marker(layer, lr, momentum);
      // Off a quadratic there is no closed form: the map is measured from runs.
      empirical.checked = info.empirical;
      empirical.disabled = info.empirical && !state.rates.empirical;
      measure.textContent = info.measure;
      optimum.textContent = info.optimum
        ? `optimum: η* = ${short(info.optimum.lr)}, γ* = ${short(info.optimum.momentum)}, rate ${short(info.optimum.rate)}`
        : '';
      return !done;
    },
  };
}
