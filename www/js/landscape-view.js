// The loss landscape of the network being trained: the training loss on a plane through
// the current weights, g(a, b) = L_S(θ + a d₁ + b d₂) (Li et al. 2018), with the path
// training took projected onto it, and the loss along the straight line from θ₀ to θ
// (Goodfellow et al. 2015). The directions are the trajectory's two principal
// components, two filter-normalized random directions, or two weights picked on the
// network drawing. The core fills the grid coarse to fine, a few milliseconds a frame,
// and starts again from the new θ while training moves it.

import { el, fitCanvas } from './dom.js';
import { escape } from './link.js';

/** The directions a student picks, as the core spells them. */
const LANDSCAPE_DEFAULT = { d1: 'random:seed=1', d2: 'random:seed=2', span: [1, 1] };

/** Which kind of directions a landscape uses. */
const kindOf = ({ d1 }) => (d1.startsWith('pca') ? 'pca' : d1.startsWith('random') ? 'random' : 'weights');
const seedOf = ({ d1 }) => Number(/seed=(\d+)/.exec(d1)?.[1] ?? 1);

// The span slider moves on a log scale from 0.01 to 100.
const SPAN = { from: -2, to: 2, steps: 400 };
const toSlider = (span) => Math.round(((Math.log10(span) - SPAN.from) / (SPAN.to - SPAN.from)) * SPAN.steps);
const fromSlider = (v) => Number((10 ** (SPAN.from + (v / SPAN.steps) * (SPAN.to - SPAN.from))).toPrecision(3));

// A frame gives the landscape this many milliseconds, and a full grid should take about
// a quarter of a second: the grid's side follows the measured cost of one point.
const FRAME_MS = 3;
const FULL_MS = 250;
const SIDES = [16, 24, 32, 48, 64];

/**
 * The view. `lab()` gives the NetworkLab, `zoom` enlarges text (an embed), `run()`
 * the current run, `onChange(landscape)` records new settings (the link),
 * `onPick(on)` asks the page to show the network for picking weights (or to come back),
 * `optimizerLab(spec)` opens a surface spec in the optimizer lab, `onResize()` asks for a
 * redraw.
 */
export function landscapeView({ lab, zoom, run, onChange, onPick, optimizerLab, onResize }) {
  const canvas = el('canvas', { role: 'img', 'aria-label': 'The training loss on a plane through the current weights, with the path of training projected onto it' });
  const box = el('div', { class: 'panel-canvas landscape-canvas' }, canvas);
  const lineCanvas = el('canvas', { role: 'img', 'aria-label': 'The training loss and accuracy along the line from the initial weights (t = 0) to the current ones (t = 1)' });
  const lineBox = el('div', { class: 'panel-canvas interpolation-canvas' }, lineCanvas);
  const ratios = [1, 1];
  let dirty = true;
  for (const [i, [b, c]] of [[box, canvas], [lineBox, lineCanvas]].entries()) {
    new ResizeObserver(() => {
      ratios[i] = fitCanvas(c, b.getBoundingClientRect()).ratio;
      dirty = true;
      onResize();
    }).observe(b);
  }

  const kind = el('select', { id: 'landscape-dirs', 'aria-label': 'Directions of the plane', onchange: () => pickKind(kind.value) },
    el('option', { value: 'random' }, 'random, filter-normalized'),
    el('option', { value: 'pca' }, 'PCA of the path'),
    el('option', { value: 'weights' }, 'two weights'));
  const seed = el('input', { type: 'number', id: 'landscape-seed', min: '0', step: '1', value: '1', 'aria-label': 'Seed of the random directions', onchange: () => pickKind('random') });
  const seedLabel = el('label', { class: 'landscape-seed' }, 'seed ', seed);
  const d1 = el('input', { type: 'text', id: 'landscape-d1', size: 8, spellcheck: false, 'aria-label': 'First direction: a weight W<l>[i,j] or a bias b<l>[i]', onchange: () => pickWeights() });
  const d2 = el('input', { type: 'text', id: 'landscape-d2', size: 8, spellcheck: false, 'aria-label': 'Second direction: a weight W<l>[i,j] or a bias b<l>[i]', onchange: () => pickWeights() });
  const pick = el('button', { type: 'button', id: 'landscape-pick', title: 'Pick them on the network: click two edges (weights) or units (biases)' }, 'pick ✎');
  const weights = el('span', { class: 'landscape-weights', hidden: true }, 'd₁ ', d1, ' d₂ ', d2, pick);
  const span = el('input', {
    type: 'range', id: 'landscape-span', min: '0', max: String(SPAN.steps), step: '1', 'aria-label': 'Span: a and b from −span to span',
    oninput: () => change({ ...settings, span: [fromSlider(Number(span.value)), fromSlider(Number(span.value))] }),
  });
  const spanValue = el('output', { id: 'landscape-span-value', for: 'landscape-span' });
  const open = el('button', { type: 'button', id: 'landscape-open', title: 'Run every optimizer on this slice in the optimizer lab' }, 'optimizers on it ↗');
  const note = el('span', { class: 'panel-note', id: 'landscape-note', 'aria-live': 'polite' });
  const view = el('div', { class: 'network-view panel', id: 'landscape-view', hidden: true },
    el('div', { class: 'panel-bar' }, kind, seedLabel, weights),
    el('div', { class: 'panel-bar' }, el('label', {}, '± ', span, spanValue), open, note),
    el('div', { class: 'landscape-pictures' }, box, lineBox));

  let settings = { ...LANDSCAPE_DEFAULT };
  let applied = null; // what the core holds: settings, side, lab and run
  let side = 32;
  let cost = null; // milliseconds per point, measured
  let fitted = null; // the network and settings the side was fitted for
  let failure = '';
  let picking = 0; // 1 or 2: the direction a click on the network picks

  function change(next) {
    settings = next;
    onChange(settings);
    show();
  }

  function pickKind(value) {
    if (value === 'pca') change({ ...settings, d1: 'pca:1', d2: 'pca:2' });
    else if (value === 'random') {
      const s = Math.max(0, Math.floor(Number(seed.value) || 0));
      change({ ...settings, d1: `random:seed=${s}`, d2: `random:seed=${s + 1}` });
    } else change({ ...settings, d1: 'W0[0,0]', d2: 'W0[0,1]' });
  }
  const pickWeights = () => change({ ...settings, d1: d1.value.trim(), d2: d2.value.trim() });

  pick.addEventListener('click', () => {
    picking = 1;
    onPick(true);
  });

  open.addEventListener('click', () => {
    try {
      optimizerLab(lab().slice_surface(settings.d1, settings.d2, settings.span[0], settings.span[1]));
    } catch (error) {
      note.textContent = error.message;
    }
  });

  /** The controls show `settings`. */
  function show() {
    kind.value = kindOf(settings);
    seedLabel.hidden = kind.value !== 'random';
    weights.hidden = kind.value !== 'weights';
    if (kind.value === 'random') seed.value = String(seedOf(settings));
    if (kind.value === 'weights') {
      d1.value = settings.d1;
      d2.value = settings.d2;
    }
    if (document.activeElement !== span) span.value = String(toSlider(settings.span[0]));
    spanValue.textContent = settings.span[0] === settings.span[1] ? String(settings.span[0]) : settings.span.join(', ');
  }

  /** The core holds the settings for this lab and run, at a side fitting the measured cost;
   * settings it refused are tried again once the run has trained further (PCA needs a path). */
  function apply() {
    const key = JSON.stringify([settings, side, run()]);
    const same = applied?.lab === lab() && applied.key === key;
    if (same && (!failure || applied.updates === lab().status().updates)) return !failure;
    applied = { lab: lab(), key, updates: lab().status().updates };
    dirty = true;
    try {
      lab().set_landscape(settings.d1, settings.d2, settings.span[0], settings.span[1], side);
      failure = '';
    } catch (error) {
      failure = error.message;
    }
    return !failure;
  }

  /** The grid's side for the measured cost: the largest whose full grid takes about FULL_MS. */
  function sideFor(ms) {
    return SIDES.filter((s) => s * s * ms <= FULL_MS).pop() ?? SIDES[0];
  }

  /** The note under the bar: how far the grid has filled. The axes name the directions
   * (with the principal components' shares of the path's variance). */
  const describe = (status) => (status.complete ? `${status.side} × ${status.side} points` : `${status.filled} of ${status.cells} points…`);

  return {
    view,
    /** Takes the link's settings (null: the default). */
    set(next) {
      settings = next ? structuredClone(next) : { ...LANDSCAPE_DEFAULT };
      applied = null;
      show();
    },
    get settings() {
      return settings;
    },
    /** A click on the network while picking: the parameter there becomes d₁, then d₂. */
    picked(parameter) {
      if (!picking || !parameter) return false;
      if (picking === 1) {
        settings = { ...settings, d1: parameter };
        picking = 2;
      } else {
        picking = 0;
        change({ ...settings, d2: parameter });
        onPick(false);
      }
      return true;
    },
    /** What the network's bar says while picking, or '' when not picking. */
    get picking() {
      return picking ? `Click an edge (a weight) or a unit (its bias) for d${picking === 1 ? '₁' : '₂'}` : '';
    },
    cancelPick() {
      picking = 0;
    },
    /** Refines the grid for a few milliseconds and draws it when it has changed; says
     * whether it has more to do in the next frame. */
    draw() {
      if (view.hidden) return false;
      const net = lab();
      if (!apply()) {
        note.textContent = failure;
        if (dirty) net.draw_landscape(canvas, ratios[0] * zoom);
        dirty = false;
        return false;
      }
      const before = net.landscape_status();
      if (before.complete && !dirty) return false; // nothing new: θ has not moved
      const started = performance.now();
      net.landscape_refine(Math.max(1, Math.floor(FRAME_MS / (cost ?? 0.25))));
      const spent = performance.now() - started;
      const status = net.landscape_status();
      // A fill started at the new θ counts from zero.
      const done = status.filled >= before.filled ? status.filled - before.filled : status.filled;
      if (done > 0) cost = cost === null ? spent / done : 0.7 * cost + 0.3 * (spent / done);
      // The grid's side is fitted to the cost once per network and settings.
      if (done >= 8 && (fitted?.lab !== net || fitted.key !== JSON.stringify([settings, run()]))) {
        fitted = { lab: net, key: JSON.stringify([settings, run()]) };
        if (sideFor(cost) !== side) {
          side = sideFor(cost);
          apply();
          return true;
        }
      }
      net.draw_landscape(canvas, ratios[0] * zoom);
      net.draw_interpolation(lineCanvas, ratios[1] * zoom);
      dirty = false;
      note.textContent = status.problem ?? describe(status);
      return !status.complete && !status.problem;
    },
  };
}

/**
 * The optimizer lab's link of a slice surface, with gradient descent, momentum and Adam at
 * learning rate `lr` (the run's own): the slice's scale is the network's, not that of
 * the optimizer lab's default surface.
 */
export const optimizerLink = (spec, lr) =>
  `index.html#surface=${escape(spec)}&opt=${['sgd', 'momentum', 'adam'].map((id) => `${id}:lr=${lr}`).join('|')}`;
