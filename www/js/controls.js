// The controls panel, built from the core's catalogue: the surface and its parameters,
// the run (start, steps, noise, seed), the mode, and one entry per optimizer.

import { formatValue, parameterControl } from './params.js';
import { defaultParams } from './state.js';

const byId = (id) => document.getElementById(id);

/**
 * Builds every control and wires it to `handlers`: `surface(spec)`, `start([x, y])`,
 * `steps(n)`, `noise(sigma, seed)`, `mode(name)`, `speed(n)`, `optimizer(i, changes)`.
 * Returns setters the page calls when the state changes from elsewhere.
 */
export function buildControls(catalogue, state, palette, handlers) {
  // Surface.
  const select = byId('surface-id');
  for (const entry of catalogue.surfaces) select.add(new Option(entry.id, entry.id));
  const surfaceParams = byId('surface-params');
  const formula = byId('formula');
  let surfaceControls = {};
  function showSurface() {
    const entry = catalogue.surfaces.find((e) => e.id === state.surface.id);
    select.value = entry.id;
    formula.textContent = `f(x, y) = ${entry.formula}`;
    surfaceParams.replaceChildren();
    surfaceControls = {};
    for (const parameter of entry.parameters) {
      const value = state.surface.params[parameter.key] ?? Number(parameter.default);
      const control = parameterControl(parameter, value, (v) => {
        handlers.surface({ id: entry.id, params: { ...state.surface.params, [parameter.key]: v } });
      });
      surfaceControls[parameter.key] = control;
      surfaceParams.append(control.element);
    }
  }
  select.addEventListener('change', () => {
    const entry = catalogue.surfaces.find((e) => e.id === select.value);
    handlers.surface({ id: entry.id, params: defaultParams(entry) });
  });

  // Run.
  const startX = byId('start-x');
  const startY = byId('start-y');
  const typedStart = () => {
    const point = [Number(startX.value), Number(startY.value)];
    if (point.every(Number.isFinite) && startX.value !== '' && startY.value !== '') {
      handlers.start(point);
    }
  };
  startX.addEventListener('input', typedStart);
  startY.addEventListener('input', typedStart);
  const steps = parameterControl({ key: 'steps', kind: 'number', about: 'number of updates' },
    state.steps, (n) => handlers.steps(n));
  byId('steps-row').append(steps.element);
  const noise = parameterControl(
    { key: 'noise', kind: 'number', about: 'σ of Gaussian noise added to every gradient component' },
    state.noise, (sigma) => handlers.noise(sigma, state.seed));
  byId('noise-row').append(noise.element);
  const seed = byId('seed');
  seed.value = String(state.seed);
  seed.addEventListener('input', () => {
    const s = Number(seed.value);
    if (Number.isInteger(s) && s >= 0) handlers.noise(state.noise, s);
  });

  // Mode.
  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.checked = radio.value === state.mode;
    radio.addEventListener('change', () => radio.checked && handlers.mode(radio.value));
  }
  const speed = parameterControl({ key: 'speed', kind: 'number', about: 'iterates per second' },
    state.speed, (n) => handlers.speed(n));
  byId('speed-row').append(speed.element);

  // Optimizers.
  const list = byId('optimizer-list');
  const entries = state.optimizers.map((optimizer, index) => {
    const entry = catalogue.optimizers.find((e) => e.id === optimizer.id);
    const item = document.createElement('li');
    item.className = 'optimizer';
    item.dataset.optimizer = optimizer.id;
    item.style.setProperty('--colour', palette[index % palette.length]);
    const head = document.createElement('div');
    head.className = 'head';
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.id = `optimizer-${optimizer.id}`;
    const name = document.createElement('label');
    name.htmlFor = toggle.id;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.setAttribute('aria-hidden', 'true');
    name.append(swatch, optimizer.id);
    const status = document.createElement('span');
    status.className = 'status';
    head.append(toggle, name, status);
    const update = document.createElement('p');
    update.className = 'update';
    update.textContent = entry.formula;
    const params = document.createElement('div');
    params.className = 'params';
    const controls = {};
    for (const parameter of entry.parameters) {
      const control = parameterControl(parameter, optimizer.params[parameter.key], (v) => {
        handlers.optimizer(index, { params: { [parameter.key]: v } });
      });
      controls[parameter.key] = control;
      params.append(control.element);
    }
    toggle.addEventListener('change', () => handlers.optimizer(index, { enabled: toggle.checked }));
    item.append(head, update, params);
    list.append(item);
    return { item, toggle, status, controls };
  });

  function showOptimizer(index) {
    const optimizer = state.optimizers[index];
    const entry = entries[index];
    entry.toggle.checked = optimizer.enabled;
    entry.item.classList.toggle('disabled', !optimizer.enabled);
    for (const [key, control] of Object.entries(entry.controls)) control.set(optimizer.params[key]);
  }

  return {
    showSurface,
    showStart([x, y]) {
      if (document.activeElement !== startX) startX.value = formatValue(Number(x.toPrecision(4)));
      if (document.activeElement !== startY) startY.value = formatValue(Number(y.toPrecision(4)));
    },
    showAll() {
      showSurface();
      steps.set(state.steps);
      noise.set(state.noise);
      seed.value = String(state.seed);
      speed.set(state.speed);
      state.optimizers.forEach((_, i) => showOptimizer(i));
    },
    showOptimizer,
    surfaceError(message) {
      for (const control of Object.values(surfaceControls)) control.invalid(message);
    },
    /** Shows each optimizer's status: diverged, converged, or its spec's error. */
    showStatuses(statuses) {
      statuses.forEach((s, i) => {
        const { status, controls } = entries[i];
        status.className = `status ${s.kind}`;
        status.textContent =
          s.kind === 'diverged' ? `diverged at step ${s.step}`
            : s.kind === 'converged' ? `converged at step ${s.step}`
              : s.kind === 'error' ? 'invalid' : '';
        const bad = s.error ? Object.keys(controls).find((k) => s.error.includes(`: ${k} =`)) : null;
        for (const [key, control] of Object.entries(controls)) {
          control.invalid(key === bad ? s.error : '');
        }
      });
    },
  };
}
