// The controls panel, built from the core's catalogue and the state: the optimizers,
// the surface, the run, and (on the full page) sharing and export.
// An embed shows only the controls its link names.

import { el } from './dom.js';
import { formatValue, parameterControl } from './params.js';
import { defaultParams } from './link.js';
import { sharePanel } from './share.js';
import { swatch, verdict } from './run-status.js';
import { CONTROL_NAMES } from './state.js';

/** A network's slice in words: g(a, b) = L_S(θ + a d₁ + b d₂), which network, after how many updates. */
function sliceWords(definition) {
  const plane = 'g(a, b) = L_S(θ + a d₁ + b d₂)';
  try {
    const { runs, run = 0, updates, d1, d2 } = JSON.parse(definition);
    const setup = { ...runs[0], ...runs[run] };
    const data = typeof setup.dataset === 'string' ? setup.dataset.split(':')[0] : setup.dataset?.id ?? 'its data';
    const layers = setup.hidden?.length ? `hidden layers ${setup.hidden.join('-')}` : 'no hidden layer';
    return `${plane}: the training loss of the network lab's network on ${data} (${layers}) after ${updates} updates, on the plane through its weights θ along d₁ = ${d1} and d₂ = ${d2}.`;
  } catch {
    return plane;
  }
}

/** What an embed shows when its link names no controls. */
const EMBED_DEFAULT = ['lr', 'momentum', 'play'];

/**
 * Builds the panel into `form` and wires it to `handlers`. `rebuild()` makes it again
 * from the state (after a link is opened or optimizers are added or removed); the
 * other returned functions update single controls.
 */
export function buildControls(form, { catalogue, state, styles, embed, handlers }) {
  let api = {};
  const shown = (name) => !embed || (state.controls ?? EMBED_DEFAULT).includes(name);

  function surfaceFieldset() {
    const entry = catalogue.surfaces.find((e) => e.id === state.surface.id);
    const typed = entry.parameters.some((p) => p.kind === 'text'); // the field shows f itself
    const select = el('select', {
      id: 'surface-id',
      onchange: () => {
        const next = catalogue.surfaces.find((e) => e.id === select.value);
        handlers.surface({ id: next.id, params: defaultParams(next) });
      },
    }, catalogue.surfaces.map((e) => el('option', { value: e.id, selected: e.id === entry.id }, e.id)));
    // A network's slice is made in the network lab, not typed: it is described instead.
    const sliced = entry.id === 'slice';
    const controls = (sliced ? [] : entry.parameters).map((parameter) =>
      parameterControl(parameter, state.surface.params[parameter.key] ?? defaultParams(entry)[parameter.key], (v) =>
        handlers.surface({ id: entry.id, params: { ...state.surface.params, [parameter.key]: v } })));
    api.surfaceError = (message) => controls.forEach((c) => c.invalid(message));
    // The view box, typed (the wheel, a pinch and Shift-drag set it too).
    const bounds = ['x-min', 'x-max', 'y-min', 'y-max'].map((name) => el('input', {
      id: `view-${name}`, type: 'number', step: 'any', inputmode: 'decimal', 'aria-label': `view ${name.replace('-', ' ')}`,
      oninput: () => {
        const v = bounds.map((b) => Number(b.value));
        if (bounds.every((b) => b.value !== '') && v.every(Number.isFinite)) handlers.view({ x: [v[0], v[1]], y: [v[2], v[3]] });
      },
    }));
    api.showView = ({ x, y }) => [...x, ...y].forEach((v, i) => {
      if (document.activeElement !== bounds[i]) bounds[i].value = formatValue(Number(v.toPrecision(6)));
    });
    return el('fieldset', { class: 'surface', dataset: { control: 'surface' } },
      el('legend', {}, 'Surface'),
      el('label', { class: 'row' }, el('span', {}, 'surface'), select),
      typed ? null : el('p', { class: 'formula', id: 'formula' }, `f(x, y) = ${entry.formula}`),
      sliced ? el('p', { class: 'formula', id: 'formula' }, sliceWords(state.surface.params[entry.parameters[0].key])) : null,
      el('div', { id: 'surface-params' }, controls.map((c) => c.element)),
      el('div', { class: 'row view-box' },
        el('span', {}, 'view'),
        el('label', {}, 'x ', bounds[0], ' to ', bounds[1]),
        el('label', {}, 'y ', bounds[2], ' to ', bounds[3])));
  }

  function runFieldset() {
    const coordinate = (name) => el('input', {
      id: `start-${name}`, type: 'number', step: 'any', inputmode: 'decimal',
      oninput: () => {
        const point = [Number(x.value), Number(y.value)];
        if (x.value !== '' && y.value !== '' && point.every(Number.isFinite)) handlers.start(point);
      },
    });
    const x = coordinate('x');
    const y = coordinate('y');
    api.showStart = ([sx, sy]) => {
      if (document.activeElement !== x) x.value = formatValue(sx);
      if (document.activeElement !== y) y.value = formatValue(sy);
    };
    // The run's own settings, as the catalogue lists them.
    const control = (key, onChange) =>
      parameterControl(catalogue.plane.parameters.find((p) => p.key === key), state[key], onChange).element;
    return el('fieldset', { class: 'run' },
      el('legend', {}, 'Run'),
      el('div', { class: 'row pair', dataset: { control: 'start' } },
        el('label', {}, el('span', {}, 'x₀'), x),
        el('label', {}, el('span', {}, 'y₀'), y)),
      el('div', { dataset: { control: 'steps' } }, control('steps', handlers.steps)),
      el('div', { dataset: { control: 'noise' } },
        control('noise', (sigma) => handlers.noise(sigma, state.seed)),
        control('seed', (seed) => handlers.noise(state.noise, seed)),
        control('cloud', handlers.cloud)),
      el('div', { dataset: { control: 'tolerance' } }, control('tolerance', handlers.tolerance)),
      el('div', { dataset: { control: 'speed' } }, control('speed', handlers.speed)));
  }

  function optimizerItem(optimizer, index) {
    const entry = catalogue.optimizers.find((e) => e.id === optimizer.id);
    const style = styles()[index];
    const twins = state.optimizers.filter((o) => o.id === optimizer.id).length;
    const toggle = el('input', {
      type: 'checkbox', id: `optimizer-${index}`, checked: optimizer.enabled,
      onchange: () => handlers.optimizer(index, { enabled: toggle.checked }),
    });
    const status = el('span', { class: 'status' });
    const remove = twins > 1 && !embed
      ? el('button', { type: 'button', class: 'remove', title: `Remove this ${optimizer.id}`, 'aria-label': `Remove ${optimizer.id} ${index + 1}`, onclick: () => handlers.remove(index) }, '×')
      : null;
    const controls = {};
    const rows = entry.parameters.map((parameter) => {
      const control = parameterControl(parameter, optimizer.params[parameter.key],
        (v) => handlers.optimizer(index, { params: { [parameter.key]: v } }), `${optimizer.id} `);
      controls[parameter.key] = control;
      control.element.hidden = !shown('optimizers') && !shown(parameter.key);
      return control.element;
    });
    const visible = shown('optimizers') || (optimizer.enabled && rows.some((r) => !r.hidden));
    const item = el('li', {
      class: `optimizer${optimizer.enabled ? '' : ' disabled'}`, hidden: !visible,
      dataset: { optimizer: optimizer.id, index: String(index) }, style: { '--colour': style.colour },
    },
    el('div', { class: 'head' },
      shown('optimizers') ? toggle : null,
      el('label', { for: toggle.id }, swatch(style), optimizer.id),
      status, remove),
    el('p', { class: 'update' }, entry.formula),
    el('div', { class: 'params' }, rows));
    return { item, status, controls };
  }

  function optimizersFieldset() {
    const entries = state.optimizers.map(optimizerItem);
    api.entries = entries;
    const choice = el('select', { id: 'add-optimizer', 'aria-label': 'Optimizer to add' },
      catalogue.optimizers.map((e) => el('option', { value: e.id }, e.id)));
    const add = embed ? null : el('div', { class: 'row add' }, choice,
      el('button', { type: 'button', id: 'add', onclick: () => handlers.add(choice.value) }, '+ add'));
    return el('fieldset', { class: 'optimizers' },
      el('legend', {}, 'Optimizers'),
      // An embed whose controls name no optimizer's parameter shows no empty list.
      el('ul', { id: 'optimizer-list', hidden: entries.every((e) => e.item.hidden) }, entries.map((e) => e.item)),
      add);
  }

  function shareFieldset() {
    // An embed offers the run's controls and the parameters of the optimizers shown.
    const share = sharePanel({
      names: () => [...new Set([...CONTROL_NAMES, ...state.optimizers.filter((o) => o.enabled).flatMap((o) => Object.keys(o.params))])],
      chosen: () => state.controls ?? EMBED_DEFAULT,
      onChoose: handlers.controls,
    });
    api.showShare = share.show;
    return share.element;
  }

  function exportFieldset() {
    const button = (format, text, title) =>
      el('button', { type: 'button', id: `export-${format}`, title, onclick: () => handlers.export(format) }, text);
    return el('fieldset', { class: 'export' },
      el('legend', {}, 'Export'),
      el('div', { class: 'row buttons' },
        button('png', 'PNG', 'The view at screen resolution'),
        button('svg', 'SVG', 'A vector figure for slides'),
        button('csv', 'CSV', 'Every iterate of every shown optimizer'),
        button('json', 'JSON', 'The settings and every iterate'),
        button('gif', 'GIF', 'The race as a looping animation, for any slide deck'),
        button('mp4', 'MP4', 'The race as an H.264 video (PowerPoint, Keynote)'),
        button('webm', 'WebM', 'Record the race live as a video')),
      el('div', { class: 'row buttons' }, el('span', {}, 'rate map'),
        button('rates-png', 'PNG', 'The rate map at screen resolution'),
        button('rates-svg', 'SVG', 'The rate map as a vector figure'),
        button('rates-csv', 'CSV', 'Every cell of the rate map: lr,momentum,rate')));
  }

  /** Whether an embed shows the control or view `name` (the full page shows all). */
  api.chosen = shown;

  api.rebuild = () => {
    const fieldsets = [surfaceFieldset(), optimizersFieldset(), runFieldset()];
    if (!embed) fieldsets.push(shareFieldset(), exportFieldset());
    form.replaceChildren(...fieldsets);
    if (embed) {
      for (const node of form.querySelectorAll('[data-control]')) {
        const name = node.dataset.control;
        if (CONTROL_NAMES.includes(name) && name !== 'play') node.hidden = !shown(name);
      }
      for (const fieldset of form.querySelectorAll('fieldset:not([data-control])')) {
        fieldset.hidden = ![...fieldset.children].some((c) => c.tagName !== 'LEGEND' && !c.hidden);
      }
    }
    handlers.rebuilt?.(api);
  };

  api.showOptimizer = (index) => {
    const optimizer = state.optimizers[index];
    const entry = api.entries[index];
    entry.item.classList.toggle('disabled', !optimizer.enabled);
    for (const [key, control] of Object.entries(entry.controls)) control.set(optimizer.params[key]);
  };

  /** Shows each shown optimizer's verdict (diverged, converged, stationary at step k). */
  api.showStatuses = (statuses) => {
    statuses.forEach((s, i) => {
      const { status } = api.entries[i];
      const said = state.optimizers[i].enabled ? verdict(s) : '';
      status.className = `status ${said ? s.kind : ''}`;
      status.textContent = said;
    });
  };

  /** Shows next to its parameter why the core refused optimizer `index`'s last change. */
  api.showError = (index, message) => {
    const { controls } = api.entries[index];
    const bad = message ? Object.keys(controls).find((k) => message.includes(`: ${k} =`)) : null;
    for (const [key, control] of Object.entries(controls)) control.invalid(key === bad ? message : '');
  };

  api.rebuild();
  return api;
}
