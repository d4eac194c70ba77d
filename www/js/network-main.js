// Wires the network lab: the wasm core's NetworkLab, the state and its link, the
// controls, the map, the network, the curves, the inspector, training and export.

import init, { NetworkLab, catalogue as readCatalogue, class_colours as readClassColours } from '../pkg/gradscape.js';
import { el } from './dom.js';
import { download } from './export.js';
import { captionFor, frameScheduler, linkKeeper, showProblems } from './page.js';
import { formatValue, parameterControl } from './params.js';
import {
  ACTIVATIONS, DATASETS, DATASET_PARAMETERS, INITS, NETWORK_PRESETS, SCHEDULES, SCHEDULE_PARAMETERS,
  initialState, labConfig, readNetworkHash, writeNetworkHash,
} from './network-state.js';
import { defaultParams } from './link.js';
import { kerasSnippet, torchSnippet } from './snippets.js';
import { fitCanvas } from './surface-view.js';

const embed = document.body.classList.contains('embed');
/** What an embed shows when its link names no controls. */
const EMBED_DEFAULT = ['train', 'lr'];
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const round = (v) => formatValue(Number(Number(v).toPrecision(3)));

async function main() {
  await init();
  const catalogue = readCatalogue();
  const classColours = readClassColours();
  const state = initialState(catalogue);
  let lab = null;
  let status = null;
  let playing = false;
  let selected = -1; // the inspected point
  let clickMode = 'inspect';
  const scratch = document.createElement('canvas');

  // Skeleton.
  const app = document.getElementById('lab');
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const caption = el('p', { class: 'caption', id: 'caption', hidden: true });
  const statusLine = el('p', { class: 'status-line', id: 'status', 'aria-live': 'polite' });
  const badges = el('ul', { class: 'badges', id: 'badges' });
  const mapCanvas = el('canvas', { 'aria-hidden': 'true' });
  const pointsCanvas = el('canvas', { class: 'points', role: 'img', tabindex: '0', 'aria-label': 'Decision map with the data. Click a point to inspect it, or add points in add mode.' });
  const mapView = el('div', { class: 'map-view', id: 'map-view' }, mapCanvas, pointsCanvas);
  const curvesCanvas = el('canvas', { role: 'img', 'aria-label': 'Training and validation loss and accuracy per epoch' });
  const curvesView = el('div', { class: 'curves-view', id: 'curves-view' }, curvesCanvas);
  const networkCanvas = el('canvas', { role: 'img', 'aria-label': 'The network: edges by weight, each unit showing its output over the input plane' });
  const networkView = el('div', { class: 'network-view', id: 'network-view' }, networkCanvas);
  const inspector = el('section', { class: 'inspector', id: 'inspector', 'aria-label': 'Backprop inspector' });
  const form = el('form', { class: 'controls', id: 'controls', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  const openFull = embed ? el('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in gradscape ↗') : null;
  app.append(
    el('section', { class: 'views', 'aria-label': 'Data, network and training' },
      notice, caption, statusLine, badges, mapView, networkView, curvesView, inspector, openFull),
    form,
  );

  const ratios = new Map();
  let pointsDirty = true;
  for (const [view, canvases] of [[mapView, [mapCanvas, pointsCanvas]], [curvesView, [curvesCanvas]], [networkView, [networkCanvas]]]) {
    new ResizeObserver(() => {
      for (const canvas of canvases) ratios.set(canvas, fitCanvas(canvas, view.getBoundingClientRect()).ratio);
      pointsDirty = true;
      requestDraw();
    }).observe(view);
  }
  const pointsChanged = () => {
    pointsDirty = true;
    requestDraw();
  };

  // Type and lines scaled for a lecture hall in an embed.
  const zoom = embed ? Math.min(2.5, Math.max(1, innerHeight / 360)) : 1;
  function draw() {
    if (!lab) return;
    const ratio = (canvas) => (ratios.get(canvas) ?? 1) * zoom;
    lab.draw_map(mapCanvas, scratch, ratio(mapCanvas));
    if (pointsDirty) {
      lab.draw_points(pointsCanvas, selected);
      pointsDirty = false;
    }
    lab.draw_network(networkCanvas, scratch, ratio(networkCanvas));
    lab.draw_curves(curvesCanvas, ratio(curvesCanvas));
  }
  const requestDraw = frameScheduler(draw);

  function showStatus() {
    status = lab.status();
    const last = status.last;
    const parts = [`epoch ${status.epoch}`, `${status.updates} updates`, `η = ${round(status.learning_rate)}`, `${status.parameters} parameters`];
    if (last) {
      const t = last.train;
      parts.push(`loss ${round(t.data_loss + t.regularization)} (data ${round(t.data_loss)} + L2 ${round(t.regularization)})`);
      if (t.accuracy !== null) parts.push(`accuracy ${(100 * t.accuracy).toFixed(1)}%`);
      if (last.validation) {
        parts.push(`validation loss ${round(last.validation.data_loss)}`);
        if (last.validation.accuracy !== null) parts.push(`validation accuracy ${(100 * last.validation.accuracy).toFixed(1)}%`);
      }
    }
    statusLine.textContent = parts.join(' · ');
    const stop = status.stopped;
    badges.replaceChildren(...(stop ? [el('li', { class: `badge ${stop.kind === 'diverged' ? 'diverged' : 'stopped'}` },
      stop.kind === 'diverged' ? `diverged at update ${stop.update}` : `stopped early at epoch ${stop.epoch}; restored epoch ${stop.best_epoch}`)] : []));
    if (stop && playing) setPlaying(false);
  }

  // Training.
  /** Up to `speed` updates per frame, but never more than ~12 ms of them. */
  function tick() {
    if (!playing) return;
    const end = performance.now() + 12;
    for (let done = 0; done < state.speed && performance.now() < end; done++) lab.train(1);
    showStatus();
    if (selected >= 0) showInspection();
    draw();
    if (playing) requestAnimationFrame(tick);
  }
  function setPlaying(on) {
    playing = on && !status?.stopped;
    const button = document.getElementById('play');
    if (button) {
      button.textContent = playing ? '❚❚ pause' : '▶ train';
      button.setAttribute('aria-pressed', String(playing));
    }
    if (playing) requestAnimationFrame(tick);
  }

  /** A new network from the state: training starts again. */
  function rebuild(problems = []) {
    setPlaying(false);
    try {
      const next = new NetworkLab(labConfig(state));
      lab?.free();
      lab = next;
    } catch (error) {
      problems.push({ key: 'settings', reason: error.message });
      if (!lab) {
        Object.assign(state, initialState(catalogue));
        lab = new NetworkLab(labConfig(state));
      }
    }
    selected = -1;
    pointsDirty = true;
    inspector.replaceChildren();
    showNotice(problems);
    showStatus();
    remember();
    requestDraw();
  }

  const showNotice = (problems) => showProblems(notice, problems);

  // The link.
  const link = linkKeeper(() => writeNetworkHash(state, catalogue), () => {
    showShare();
    showCaption(link.written);
  });
  const remember = () => link.remember();
  const showCaption = captionFor(caption, NETWORK_PRESETS,
    (hash) => writeNetworkHash(readNetworkHash(hash, catalogue).state, catalogue));
  function load(hash) {
    const { state: next, problems } = readNetworkHash(hash, catalogue);
    Object.assign(state, next);
    buildControls();
    rebuild(problems);
    link.written = writeNetworkHash(state, catalogue);
    showCaption(link.written);
    if (state.play && !reducedMotion) setPlaying(true);
  }

  // The inspector: every quantity of the lecture's derivation for the selected point.
  function showInspection() {
    if (selected < 0) return;
    const i = lab.inspect(selected);
    const last = i.layers.length - 1;
    const name = (l) => (l === last ? 'o' : i.layers.length > 2 ? `h${l + 1}` : 'h');
    const vector = (v) => `[${v.map(round).join(', ')}]`;
    const rows = [['x', vector(i.x)]];
    i.layers.forEach((layer, l) => {
      rows.push([`z${name(l)} = W${name(l)} ${l ? name(l - 1) : 'x'} + b${name(l)}`, vector(layer.pre)]);
      rows.push([l === last ? `f(x) = ${layer.activation}(zᵒ)` : `${name(l)} = ${layer.activation}(z${name(l)})`, vector(layer.post)]);
    });
    if (i.one_hot) rows.push(['e(y)', vector(i.one_hot)]);
    for (let l = last; l >= 0; l--) {
      const n = name(l);
      rows.push([l === last ? '∇zᵒ l = f(x) − e(y)' : `∇z${n} l = ∇${n} l ⊙ g'(z${n})`, vector(i.layers[l].grad_pre)]);
      rows.push([`∇W${n} l = ∇z${n} l · ${l ? name(l - 1) : 'x'}ᵀ`, i.layers[l].grad_weights.map(vector).join(' ')]);
      rows.push([`∇b${n} l = ∇z${n} l`, vector(i.layers[l].grad_biases)]);
      if (l > 0) rows.push([`∇${name(l - 1)} l = W${n}ᵀ ∇z${n} l`, vector(i.layers[l].grad_input)]);
    }
    rows.push(['l before → after one step', `${round(i.loss_before)} → ${round(i.loss_after)} (η = ${round(i.learning_rate)})`]);
    inspector.replaceChildren(
      el('h2', {}, `Backprop for point ${selected}`),
      el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v))))));
  }

  pointsCanvas.addEventListener('pointerdown', (event) => {
    const box = pointsCanvas.getBoundingClientRect();
    const ratio = ratios.get(pointsCanvas) ?? 1;
    const [u, v] = [(event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio];
    if (clickMode === 'inspect') {
      selected = lab.nearest_point(u, v, 14 * ratio);
      if (selected >= 0) showInspection();
      else inspector.replaceChildren();
    } else {
      const [x, y] = lab.point_at(u, v);
      try {
        lab.add_point(x, y, Number(clickMode));
      } catch (error) {
        showNotice([{ key: 'point', reason: error.message }]);
      }
      showStatus();
    }
    pointsChanged();
  });

  // Controls.
  const choice = (id, label, options, value, onChange) =>
    el('label', { class: 'row' }, el('span', {}, label),
      el('select', { id, onchange: (e) => onChange(e.target.value) },
        options.map((o) => el('option', { value: o, selected: o === value }, o))));
  const change = (mutate, controlsToo = false) => {
    mutate();
    if (controlsToo) buildControls();
    rebuild();
  };

  function buildControls() {
    const classes = state.dataset.id === 'curve' ? 0 : ['blobs', 'spirals'].includes(state.dataset.id) ? state.dataset.params.k : 2;
    const outputs = classes === 0 ? ['identity'] : classes === 2 ? ['softmax', 'sigmoid'] : ['softmax'];
    if (!outputs.includes(state.output)) state.output = outputs[0];
    const run = el('fieldset', { class: 'run', dataset: { control: 'train' } }, el('legend', {}, 'Train'),
      el('div', { class: 'player' },
        el('button', { type: 'button', id: 'play', 'aria-pressed': 'false', onclick: () => setPlaying(!playing) }, '▶ train'),
        el('button', { type: 'button', id: 'step-update', onclick: () => { setPlaying(false); lab.train(1); showStatus(); showInspection(); requestDraw(); } }, 'update ›'),
        el('button', { type: 'button', id: 'step-epoch', onclick: () => { setPlaying(false); lab.train_epoch(); showStatus(); showInspection(); requestDraw(); } }, 'epoch »'),
        el('button', { type: 'button', id: 'reset', onclick: () => rebuild() }, '↺ reset')),
      parameterControl({ key: 'speed', kind: 'whole number', about: 'updates per frame while training', scale: { min: 1, max: 200, log: true, integer: true } },
        state.speed, (v) => { state.speed = v; remember(); }).element);
    const data = el('fieldset', { class: 'data', dataset: { control: 'data' } }, el('legend', {}, 'Data'),
      choice('dataset', 'dataset', DATASETS, state.dataset.id, (id) => change(() => {
        state.dataset = { id, params: { ...state.dataset.params } };
        if (id === 'curve') state.output = 'identity';
        else if (state.output === 'identity') state.output = 'softmax';
      }, true)),
      DATASET_PARAMETERS.filter((p) => p.key !== 'k' || ['blobs', 'spirals'].includes(state.dataset.id)).map((p) =>
        parameterControl({ ...p, scale: { n: { min: 20, max: 2000, log: true, integer: true }, noise: { min: 0, max: 1 }, k: { min: 2, max: 8, integer: true }, seed: { min: 0, max: 100, integer: true } }[p.key] },
          state.dataset.params[p.key], (v) => change(() => (state.dataset.params[p.key] = v), p.key === 'k'), 'data ').element),
      parameterControl({ key: 'validation', kind: 'number', about: 'fraction held out for validation', scale: { min: 0, max: 0.5 } },
        state.validation, (v) => change(() => (state.validation = v))).element,
      el('div', { class: 'row radios', role: 'radiogroup', 'aria-label': 'Clicking the map' },
        el('label', {}, el('input', { type: 'radio', name: 'click', value: 'inspect', checked: clickMode === 'inspect', onchange: () => (clickMode = 'inspect') }), ' inspect'),
        Array.from({ length: classes }, (_, c) => el('label', { style: { '--colour': classColours[c] } },
          el('input', { type: 'radio', name: 'click', value: String(c), checked: clickMode === String(c), onchange: () => (clickMode = String(c)) }), ` add class ${c}`))));
    const [initId, initValue] = state.init.split(':');
    const model = el('fieldset', { class: 'model', dataset: { control: 'network' } }, el('legend', {}, 'Network'),
      el('div', { class: 'row layers' }, el('span', {}, 'hidden'),
        state.hidden.map((units, i) => el('span', { class: 'layer' },
          el('input', { type: 'number', min: '1', max: '64', step: '1', value: String(units), 'aria-label': `units in hidden layer ${i + 1}`,
            onchange: (e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 64) change(() => (state.hidden[i] = n)); } }),
          el('button', { type: 'button', class: 'remove', 'aria-label': `remove hidden layer ${i + 1}`, onclick: () => change(() => state.hidden.splice(i, 1), true) }, '×'))),
        state.hidden.length < 6 ? el('button', { type: 'button', id: 'add-layer', onclick: () => change(() => state.hidden.push(4), true) }, '+ layer') : null),
      choice('activation', 'activation', ACTIVATIONS, state.activation, (v) => change(() => (state.activation = v))),
      choice('output', 'output', outputs, state.output, (v) => change(() => (state.output = v))),
      choice('init', 'init', INITS, initId, (v) => change(() => (state.init = v), true)),
      ['normal', 'uniform', 'constant'].includes(initId)
        ? parameterControl({ key: initId === 'normal' ? 'σ' : initId === 'uniform' ? 'a' : 'c', kind: 'number', about: 'the initialization\'s scale', scale: { min: 0.001, max: 20, log: true } },
          Number(initValue ?? { normal: 0.01, uniform: 0.05, constant: 0.5 }[initId]), (v) => change(() => (state.init = `${initId}:${v}`))).element
        : null,
      parameterControl({ key: 'l2', kind: 'number', about: 'λ of the L2 term λ Σ‖W‖² (biases excluded)', scale: { min: 0, max: 0.1 } },
        state.l2, (v) => change(() => (state.l2 = v))).element);
    const entry = catalogue.optimizers.find((e) => e.id === state.optimizer.id);
    const training = el('fieldset', { class: 'training', dataset: { control: 'optimizer' } }, el('legend', {}, 'Optimizer'),
      choice('optimizer', 'method', catalogue.optimizers.map((e) => e.id).filter((id) => id !== 'newton'), state.optimizer.id, (id) => change(() => {
        const next = catalogue.optimizers.find((e) => e.id === id);
        state.optimizer = { id, params: { ...defaultParams(next), lr: state.optimizer.params.lr } };
      }, true)),
      entry.parameters.map((p) => parameterControl(p, state.optimizer.params[p.key], (v) => change(() => (state.optimizer.params[p.key] = v)), 'optimizer ').element),
      parameterControl({ key: 'batch', kind: 'whole number', about: 'minibatch size', scale: { min: 1, max: 500, log: true, integer: true } },
        state.batch, (v) => change(() => (state.batch = v))).element,
      choice('schedule', 'schedule', SCHEDULES, state.schedule.id, (id) => change(() => {
        state.schedule = { id, params: Object.fromEntries(SCHEDULE_PARAMETERS[id].map((p) => [p.key, Number(p.default)])) };
      }, true)),
      SCHEDULE_PARAMETERS[state.schedule.id].map((p) => parameterControl({ ...p, scale: { decay: { min: 0.9, max: 1 }, every: { min: 1, max: 100, integer: true }, factor: { min: 0.05, max: 0.95 }, patience: { min: 0, max: 50, integer: true } }[p.key] },
        state.schedule.params[p.key], (v) => change(() => (state.schedule.params[p.key] = v)), 'schedule ').element),
      parameterControl({ key: 'patience', kind: 'whole number', about: 'early stopping: epochs without a better validation loss (0: off)', scale: { min: 0, max: 50, integer: true } },
        state.early, (v) => change(() => (state.early = v)), 'early stopping ').element,
      el('label', { class: 'row' }, el('input', { type: 'checkbox', id: 'restore', checked: state.restore, onchange: (e) => change(() => (state.restore = e.target.checked)) }), ' restore the best weights'),
      parameterControl({ key: 'seed', kind: 'whole number', about: 'seeds the initialization, the split and the minibatches', scale: { min: 0, max: 100, integer: true } },
        state.seed, (v) => change(() => (state.seed = v)), 'training ').element);
    const snippet = el('pre', { class: 'snippet', id: 'snippet', hidden: true });
    const check = el('p', { id: 'check', role: 'status' });
    const file = el('input', { type: 'file', accept: '.json,application/json', id: 'load-model', 'aria-label': 'Load a model (JSON)',
      onchange: async (e) => {
        const [chosen] = e.target.files;
        if (!chosen) return;
        try {
          lab.load_model(JSON.parse(await chosen.text()));
          notice.hidden = true;
        } catch (error) {
          showNotice([{ key: 'model', reason: error.message }]);
        }
        showStatus();
        requestDraw();
      } });
    const inputs = state.dataset.id === 'curve' ? 1 : 2;
    const exports = el('fieldset', { class: 'export', dataset: { control: 'export' } }, el('legend', {}, 'Check, export, share'),
      el('div', { class: 'row buttons' },
        el('button', { type: 'button', id: 'gradient-check', onclick: () => {
          const r = lab.gradient_check();
          const which = r.checked === r.parameters ? `all ${r.parameters} parameters` : `${r.checked} of ${r.parameters} parameters`;
          check.textContent = `Backprop against central differences, ${which}: largest relative error ${r.max_relative_error.toExponential(2)} (per layer: ${r.per_layer.map((e) => e.toExponential(1)).join(', ')}).`;
        } }, 'gradient check')),
      check,
      el('div', { class: 'row buttons' },
        el('button', { type: 'button', id: 'export-model', onclick: () => download('model.json', new Blob([JSON.stringify(lab.model(), null, 1)], { type: 'application/json' })) }, 'model JSON'),
        el('button', { type: 'button', id: 'export-data', onclick: () => download('data.csv', new Blob([lab.data_csv()], { type: 'text/csv' })) }, 'data CSV'),
        el('button', { type: 'button', id: 'show-keras', onclick: () => { snippet.hidden = false; snippet.textContent = kerasSnippet(state, inputs, classes); } }, 'Keras'),
        el('button', { type: 'button', id: 'show-pytorch', onclick: () => { snippet.hidden = false; snippet.textContent = torchSnippet(state, inputs, classes); } }, 'PyTorch')),
      el('label', { class: 'row' }, el('span', {}, 'load model'), file),
      snippet,
      el('label', { class: 'row' }, el('span', {}, 'link'), el('input', { id: 'link', readonly: true, value: location.href })),
      el('label', { class: 'row' }, el('span', {}, 'embed'), el('input', { id: 'embed-code', readonly: true })));
    form.replaceChildren(run, data, model, training, exports);
    if (embed) {
      // Whole fieldsets by name; single parameters by key, with their fieldset's legend.
      const chosen = state.controls ?? EMBED_DEFAULT;
      for (const fieldset of form.querySelectorAll('fieldset')) {
        if (chosen.includes(fieldset.dataset.control)) continue;
        const rows = [...fieldset.querySelectorAll('.param')];
        const keep = rows.filter((row) => chosen.includes(row.dataset.key));
        for (const child of fieldset.children) {
          if (child.tagName !== 'LEGEND' && !keep.includes(child)) child.hidden = true;
        }
        fieldset.hidden = keep.length === 0;
      }
      curvesView.hidden = !chosen.includes('chart');
      networkView.hidden = !chosen.includes('network-view');
    }
    showShare();
  }

  function showShare() {
    const hash = link.written ?? writeNetworkHash(state, catalogue);
    const base = new URL('.', location.href);
    const linkInput = document.getElementById('link');
    const code = document.getElementById('embed-code');
    if (linkInput) linkInput.value = new URL(`networks.html#${hash}`, base).href;
    if (code) {
      code.value = `<iframe src="${new URL(`network-embed.html#${hash}`, base).href}" width="960" height="540" style="border:0" title="gradscape: a network on ${state.dataset.id}" loading="lazy"></iframe>`;
    }
    if (openFull) openFull.href = new URL(`networks.html#${hash}`, base).href;
  }

  // A presenter's clicker: space trains or pauses, → one update, PageDown one epoch, r resets.
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.matches?.('input:not([type="checkbox"]):not([type="radio"]), select, textarea')) return;
    if (target.matches?.('button, a, input') && (event.key === ' ' || event.key === 'Enter')) return;
    const actions = {
      ' ': () => setPlaying(!playing),
      ArrowRight: () => document.getElementById('step-update').click(),
      PageDown: () => document.getElementById('step-epoch').click(),
      r: () => rebuild(),
    };
    if (!actions[event.key]) return;
    event.preventDefault();
    actions[event.key]();
  });

  document.getElementById('presets')?.append(...NETWORK_PRESETS.map((p) => el('li', {}, el('a', { href: `#${p.hash}`, title: p.caption }, p.title))));
  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== link.written) load(location.hash);
  });
  load(location.hash);
  app.setAttribute('aria-busy', 'false');
  window.gradscape = { get lab() { return lab; }, state, draw, catalogue };
}

main().catch((error) => {
  const fatal = document.getElementById('fatal');
  fatal.textContent = `gradscape could not start: ${error.message}`;
  fatal.hidden = false;
  console.error(error);
});
