// The network lab's controls, built from the core's catalogue: the data, the network,
// the training, and checking, export and sharing. Each change goes to
// `change(mutate)`, which applies `mutate` to a copy of the state and, if the core
// accepts the result, rebuilds the network (else it returns why, which the control
// shows); an embed shows only the panels and parameters its link names.

import { el } from './dom.js';
import { parameterControl } from './params.js';
import { defaultParams, spec, specText, withDefaults } from './link.js';
import { EMBED_DEFAULT, PANELS, VIEWS, inputsOf, outputsFor, setupControls } from './network-state.js';
import { sharePanel } from './share.js';

/**
 * Builds the panel into `form` from the state; `api.rebuild()` makes it again. The
 * handlers: `change(mutate)`, `speed(v)`, `gradientCheck()`, `exportModel()`,
 * `exportData()`, `snippet(kind)`, `loadModel(file)`, `loadPoints(file)`, `clearPoints()`.
 */
export function buildNetworkControls(form, { catalogue, state, embed, handlers }) {
  const network = catalogue.network;
  /** The setup's own numbers, as the catalogue lists them (label, symbol, slider). */
  const listed = (key) => network.parameters.find((p) => p.key === key);
  const api = {};

  const choice = (id, label, options, value, onChange) =>
    el('label', { class: 'row' }, el('span', {}, label),
      el('select', { id, onchange: (e) => onChange(e.target.value) },
        options.map(([option, text]) => el('option', { value: option, selected: option === value }, text))));
  const param = (parameter, value, onChange, prefix = '') =>
    parameterControl(parameter, value, onChange, prefix).element;
  const { change } = handlers;

  function dataFieldset() {
    const entry = network.datasets.find((d) => d.id === state.dataset.id);
    return el('fieldset', { class: 'data', dataset: { control: 'data' } }, el('legend', {}, 'Data'),
      choice('dataset', 'dataset', network.datasets.map((d) => [d.id, d.id]), state.dataset.id, (id) => change((s) => {
        const next = network.datasets.find((d) => d.id === id);
        const kept = Object.fromEntries(Object.entries(s.dataset.params).filter(([key]) => next.parameters.some((p) => p.key === key)));
        s.dataset = { id, params: { ...defaultParams(next), ...kept } };
        if (!outputsFor(catalogue, id, s.dataset.params.k).some((o) => o.id === s.output.split(':')[0])) s.output = 'auto';
        if (s.distort.length !== inputsOf(catalogue, id)) s.distort = [];
      })),
      entry.parameters.map((p) => param(p, state.dataset.params[p.key],
        (v) => change((s) => (s.dataset.params[p.key] = v)), 'data ')),
      param(listed('validation'), state.validation, (v) => change((s) => (s.validation = v))),
      inputsOf(catalogue, state.dataset.id) <= 2 ? distortRow() : null,
      choice('normalize', 'normalize', network.normalizations.map((n) => [n.id, n.id]), state.normalize, (v) => change((s) => (s.normalize = v))),
      el('p', { class: 'hint' }, network.normalizations.find((n) => n.id === state.normalize)?.about ?? ''),
      ownData());
  }

  /** Points of one's own: a CSV file in, or every point out (then click to add some). */
  function ownData() {
    const file = el('input', { type: 'file', accept: '.csv,text/csv,text/plain', id: 'load-points', 'aria-label': 'Load points from a CSV file',
      onchange: (e) => e.target.files[0] && handlers.loadPoints(e.target.files[0]) });
    return el('div', { class: 'own-data' },
      el('label', { class: 'row' }, el('span', {}, 'load CSV'), file),
      el('p', { class: 'hint' }, 'Rows x₁,x₂,label (or x,y for regression), a header line allowed; the lab\'s own data CSV loads with its split. A link does not carry loaded points.'),
      el('div', { class: 'row buttons' }, el('button', { type: 'button', id: 'clear-points', onclick: handlers.clearPoints, title: 'Remove every point, then click the map to add some' }, 'clear all points')));
  }

  /** Each input's scale and shift, x₁ × a + c: the data in other units, drawn where it was. */
  function distortRow() {
    const inputs = inputsOf(catalogue, state.dataset.id);
    const pairs = state.distort.length ? state.distort : Array.from({ length: inputs }, () => [1, 0]);
    const field = (j, k, label) => el('input', {
      type: 'number', step: 'any', value: String(pairs[j][k]), class: 'distort', 'aria-label': label,
      onchange: (e) => {
        const v = Number(e.target.value);
        if (e.target.value.trim() === '' || !Number.isFinite(v)) return;
        const problem = change((s) => {
          const next = pairs.map((pair) => [...pair]);
          next[j][k] = v;
          s.distort = next.every(([a, c]) => a === 1 && c === 0) ? [] : next;
        });
        e.target.setCustomValidity(problem ?? '');
        e.target.reportValidity();
      },
    });
    const name = (j) => (inputs === 1 ? 'x' : `x${'₁₂'[j]}`);
    return el('div', { class: 'row distort', id: 'distort', title: 'Distort: each input in other units. The map keeps the original ones.' },
      el('span', {}, 'distort'),
      pairs.map((_, j) => el('span', { class: 'pair' }, `${name(j)} ×`, field(j, 0, `scale of ${name(j)}`), '+', field(j, 1, `shift of ${name(j)}`))));
  }

  function networkFieldset(status) {
    const [initId, initValue] = state.init.split(':');
    const init = network.inits.find((i) => i.id === initId);
    const running = status?.output ?? state.output.split(':')[0];
    const outputs = outputsFor(catalogue, state.dataset.id, state.dataset.params.k);
    const output = outputs.find((o) => o.id === running);
    const outputParams = output ? withDefaults(output, spec(state.output).params) : {};
    const limits = network.limits;
    return el('fieldset', { class: 'model', dataset: { control: 'network' } }, el('legend', {}, 'Network'),
      el('div', { class: 'row layers' }, el('span', {}, 'hidden'),
        state.hidden.map((units, i) => el('span', { class: 'layer' },
          el('input', { type: 'number', min: '1', max: String(limits.units), step: '1', value: String(units), 'aria-label': `units in hidden layer ${i + 1}`,
            onchange: (e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= limits.units) change((s) => (s.hidden[i] = n));
            } }),
          el('button', { type: 'button', class: 'remove', 'aria-label': `remove hidden layer ${i + 1}`, onclick: () => change((s) => s.hidden.splice(i, 1)) }, '×'))),
        state.hidden.length < limits.hidden_layers ? el('button', { type: 'button', id: 'add-layer', onclick: () => change((s) => s.hidden.push(4)) }, '+ layer') : null),
      choice('activation', 'activation', network.activations.map((a) => [a.id, a.id]), state.activation, (v) => change((s) => (s.activation = v))),
      choice('output', 'output', outputs.map((o) => [o.id, o.id]), running, (v) => change((s) => (s.output = v))),
      (output?.parameters ?? []).map((p) => param(p, outputParams[p.key],
        (v) => change((s) => (s.output = specText(running, { ...outputParams, [p.key]: v }))), 'output ')),
      choice('init', 'init', network.inits.map((i) => [i.id, i.id]), initId, (v) => change((s) => (s.init = v))),
      init.parameters.map((p) => param(p, Number(initValue ?? p.default), (v) => change((s) => (s.init = `${initId}:${v}`)))),
      param(listed('l2'), state.l2, (v) => change((s) => (s.l2 = v))));
  }

  function trainingFieldset() {
    const optimizers = catalogue.optimizers.filter((e) => network.optimizers.includes(e.id));
    const entry = optimizers.find((e) => e.id === state.optimizer.id);
    const schedule = network.schedules.find((s) => s.id === state.schedule.id);
    return el('fieldset', { class: 'training', dataset: { control: 'optimizer' } }, el('legend', {}, 'Training'),
      param(listed('speed'), state.speed, handlers.speed),
      choice('optimizer', 'optimizer', optimizers.map((e) => [e.id, e.id]), state.optimizer.id, (id) => change((s) => {
        const next = optimizers.find((e) => e.id === id);
        s.optimizer = { id, params: { ...defaultParams(next), lr: s.optimizer.params.lr } };
      })),
      el('p', { class: 'update' }, entry.formula),
      entry.parameters.map((p) => param(p, state.optimizer.params[p.key], (v) => change((s) => (s.optimizer.params[p.key] = v)), 'optimizer ')),
      param(listed('batch'), state.batch, (v) => change((s) => (s.batch = v))),
      choice('schedule', 'schedule', network.schedules.map((s) => [s.id, s.id]), state.schedule.id, (id) => change((s) => {
        s.schedule = { id, params: defaultParams(network.schedules.find((e) => e.id === id)) };
      })),
      schedule.parameters.map((p) => param(p, state.schedule.params[p.key],
        (v) => change((s) => (s.schedule.params[p.key] = v)), 'schedule ')),
      // Early stopping, said in words where it is set: what patience counts.
      el('div', { class: 'early-stopping' },
        param(listed('early_stopping'), state.early_stopping, (v) => change((s) => (s.early_stopping = v)), 'early stopping '),
        el('p', { class: 'hint' }, `Early stopping: ${listed('early_stopping').about.replace(/^early stopping: /, '')}.`),
        el('label', { class: 'row' }, el('input', { type: 'checkbox', id: 'restore', checked: state.restore_best, onchange: (e) => change((s) => (s.restore_best = e.target.checked)) }), ' restore the best weights')),
      param(listed('seed'), state.seed, (v) => change((s) => (s.seed = v))));
  }

  function exportFieldset() {
    const file = el('input', { type: 'file', accept: '.json,application/json', id: 'load-model', 'aria-label': 'Load a model (JSON)',
      onchange: (e) => e.target.files[0] && handlers.loadModel(e.target.files[0]) });
    return el('fieldset', { class: 'export', dataset: { control: 'export' } }, el('legend', {}, 'Check and export'),
      el('div', { class: 'row buttons' }, el('button', { type: 'button', id: 'gradient-check', onclick: handlers.gradientCheck }, 'gradient check')),
      el('p', { id: 'check', role: 'status' }),
      el('div', { class: 'row buttons' },
        el('button', { type: 'button', id: 'export-model', onclick: handlers.exportModel }, 'model JSON'),
        el('button', { type: 'button', id: 'export-data', onclick: handlers.exportData }, 'data CSV'),
        el('button', { type: 'button', id: 'show-keras', onclick: () => handlers.snippet('keras') }, 'Keras'),
        el('button', { type: 'button', id: 'show-pytorch', onclick: () => handlers.snippet('pytorch') }, 'PyTorch')),
      el('label', { class: 'row' }, el('span', {}, 'load model'), file),
      el('pre', { class: 'snippet', id: 'snippet', hidden: true }));
  }

  function shareFieldset() {
    const share = sharePanel({
      // The panels and views, and the parameters of what is chosen now.
      names: () => {
        const current = [network.datasets.find((d) => d.id === state.dataset.id), catalogue.optimizers.find((e) => e.id === state.optimizer.id),
          network.schedules.find((e) => e.id === state.schedule.id)];
        const keys = current.flatMap((e) => e.parameters.map((p) => p.key));
        return [...new Set([...PANELS, ...VIEWS, ...keys, ...setupControls(catalogue)])];
      },
      chosen: () => state.controls ?? EMBED_DEFAULT,
      onChoose: handlers.controls,
    });
    api.showShare = share.show;
    return share.element;
  }

  /** An embed keeps whole fieldsets by name and single parameters by key. */
  function keepChosen(chosen) {
    for (const fieldset of form.querySelectorAll('fieldset')) {
      if (chosen.includes(fieldset.dataset.control)) continue;
      const keep = [...fieldset.querySelectorAll('.param')].filter((row) => chosen.includes(row.dataset.key));
      for (const child of fieldset.children) {
        if (child.tagName !== 'LEGEND' && !keep.some((row) => child.contains(row))) child.hidden = true;
      }
      fieldset.hidden = keep.length === 0;
    }
  }

  /** Makes the panel again from the state and the running network's `status`. */
  api.rebuild = (status) => {
    const fieldsets = [dataFieldset(), networkFieldset(status), trainingFieldset(), exportFieldset()];
    form.replaceChildren(...fieldsets, ...(embed ? [] : [shareFieldset()]));
    if (embed) keepChosen(state.controls ?? EMBED_DEFAULT);
  };

  /** The views an embed shows. */
  api.chosen = (view) => !embed || (state.controls ?? EMBED_DEFAULT).includes(view);

  return api;
}
