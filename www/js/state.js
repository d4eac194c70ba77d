// The optimizer lab's state, and the one schema table that reads it from a link and
// writes it back. The settings of the plane (surface, view, start, steps, noise,
// tolerance, optimizers) are what the core's `set_state` takes and gives back; mode, speed, play
// and controls are the page's own. Every field is plain data; nothing read from a link
// is ever treated as HTML.

import {
  controlsRow, defaultParams, entryRow, flagRow, linkTable, number, numbers, oneOf, spec, specText, valueRow, whole,
  withDefaults,
} from './link.js';

/** Controls an embed may show: these, and any hyperparameter's key. */
export const CONTROL_NAMES = [
  'surface', 'start', 'steps', 'noise', 'tolerance', 'speed', 'mode', '3d', 'play', 'optimizers', 'chart', 'analysis', 'explain',
];

/** What the panel beside the surface can show (see analysis-view.js). */
export const PANEL_NAMES = ['rates', 'eigen', 'tune'];
/** The methods a rate map is drawn for. */
const RATE_METHODS = ['momentum', 'nesterov'];

const entryOf = (catalogue, id) => catalogue.optimizers.find((e) => e.id === id);

/** Method `id` as the lab starts it: its defaults, then the lab's starting values. */
export function defaultOptimizer(catalogue, id, enabled = false) {
  const starting = catalogue.plane.defaults.optimizers.find((o) => o.id === id);
  return { id, enabled, params: withDefaults(entryOf(catalogue, id), starting?.params ?? {}) };
}

/** The state a first visit starts from. */
export function initialState(catalogue) {
  const plane = catalogue.plane.defaults;
  return {
    surface: { id: plane.surface.id, params: withDefaults(catalogue.surfaces.find((e) => e.id === plane.surface.id), plane.surface.params) },
    start: null, // null: the surface's own
    view: null, // null: the surface's own
    camera: null, // [yaw, pitch] in degrees: the surface in 3-D; null: the map
    steps: plane.steps,
    noise: plane.noise,
    seed: plane.seed,
    tolerance: plane.tolerance,
    cloud: plane.cloud,
    optimizers: plane.optimizers.map((o) => defaultOptimizer(catalogue, o.id, o.enabled)),
    mode: 'path',
    panel: '', // beside the surface: '' or one of PANEL_NAMES
    rates: { method: 'momentum', empirical: false },
    explain: -1, // the optimizer whose step is explained, or −1
    speed: Number(catalogue.plane.parameters.find((p) => p.key === 'speed').default),
    play: false,
    controls: null, // an embed's chosen controls; null: its default set
  };
}

/** After the listed optimizers, one unticked instance of every method not listed. */
export function completeOptimizers(catalogue, listed) {
  const present = new Set(listed.map((o) => o.id));
  return [
    ...listed,
    ...catalogue.optimizers.filter((e) => !present.has(e.id)).map((e) => defaultOptimizer(catalogue, e.id)),
  ];
}

/** The settings the core's `set_state` takes. */
export function settingsOf(state) {
  const { surface, view, start, steps, noise, seed, tolerance, cloud, optimizers } = state;
  return { surface, view, start, steps, noise, seed, tolerance, cloud, optimizers };
}

/** Takes the core's settings (what runs) into the state. */
export function adoptSettings(state, settings, catalogue) {
  const surface = catalogue.surfaces.find((e) => e.id === settings.surface.id);
  Object.assign(state, {
    surface: { id: surface.id, params: withDefaults(surface, settings.surface.params) },
    view: settings.view,
    start: settings.start,
    steps: settings.steps,
    noise: settings.noise,
    seed: settings.seed,
    tolerance: settings.tolerance,
    cloud: settings.cloud,
    optimizers: settings.optimizers.map((o) => ({ id: o.id, enabled: o.enabled, params: withDefaults(entryOf(catalogue, o.id), o.params) })),
  });
}

const SHORT = { lr: 'η', momentum: 'γ', beta1: 'β₁' };

/** `adam η=0.03`: a legend's label, naming the parameters students drag most. */
export function labelOf(optimizer) {
  const parts = Object.entries(SHORT)
    .filter(([key]) => key in optimizer.params)
    .map(([key, symbol]) => `${symbol}=${optimizer.params[key]}`);
  if (optimizer.id === 'adam' || optimizer.id === 'adamw') {
    if (optimizer.params.bias_correction === false) parts.push('no bias correction');
  }
  return [optimizer.id, ...parts].join(' ');
}

/** A verbatim kind's spec from its text, its one parameter kept whole, or null. */
function verbatimSpec(catalogue, text) {
  const [id, key] = catalogue.plane.verbatim.find(([kind]) => text.startsWith(`${kind}:`)) ?? [];
  return id ? { id, params: { [key]: text.slice(id.length + 1) } } : null;
}

/**
 * The surface's row: an entry of the catalogue, `name:key=value,…`, or a kind whose text
 * after the `:` is one parameter kept whole (commas, `=` and all), as the core and the
 * command line read it: a typed `formula:EXPR`, or a network's `slice:{…}`. The core's
 * catalogue names those kinds and their parameter.
 */
function surfaceRow(catalogue) {
  const row = entryRow('surface', 'surface', () => catalogue.surfaces);
  const verbatim = Object.fromEntries(catalogue.plane.verbatim);
  return {
    ...row,
    read(state, text, context) {
      const whole = verbatimSpec(catalogue, text);
      if (whole) state.surface = whole;
      else row.read(state, text, context);
    },
    write(state, context) {
      const { id, params } = state.surface;
      return verbatim[id] ? `${id}:${params[verbatim[id]]}` : row.write(state, context);
    },
  };
}

/**
 * The schema: one row per key of the link, each reading its text into the state and
 * writing it back (null: left out, the default). `field` names the core's setting a
 * row holds, so that the core's problems are reported under the link's key.
 */
function schema(catalogue) {
  const limits = catalogue.plane.limits;
  const upTo = (max) => (text) => {
    const value = number(text);
    if (value < 1 || value > max) throw new Error(`expected a number from 1 to ${max}`);
    return value;
  };
  return [
    surfaceRow(catalogue),
    {
      key: 'start',
      field: 'start',
      read(state, text) {
        state.start = numbers(text, 2);
      },
      write: (state) => (state.start ? state.start.join(',') : null),
    },
    {
      key: 'view',
      field: 'view',
      read(state, text) {
        const [x0, x1, y0, y1] = numbers(text, 4);
        state.view = { x: [x0, x1], y: [y0, y1] };
      },
      write: (state) => (state.view ? [...state.view.x, ...state.view.y].join(',') : null),
    },
    {
      // `camera=-35,35`: the surface in 3-D seen from yaw, pitch degrees.
      key: 'camera',
      field: 'camera',
      read(state, text) {
        const [yaw, pitch] = numbers(text, 2);
        const [low, high] = catalogue.plane.camera.pitch_range;
        if (pitch < low || pitch > high) throw new Error(`expected a pitch from ${low} to ${high} degrees`);
        state.camera = [yaw, pitch];
      },
      write: (state) => (state.camera ? state.camera.join(',') : null),
    },
    valueRow('steps', 'steps', whole),
    valueRow('noise', 'noise', number),
    valueRow('seed', 'seed', whole),
    valueRow('tol', 'tolerance', number),
    valueRow('cloud', 'cloud', whole),
    valueRow('mode', 'mode', (text) => oneOf(text, ['path', 'race'])),
    valueRow('panel', 'panel', (text) => oneOf(text, PANEL_NAMES)),
    {
      // `rates=nesterov`, `rates=momentum:empirical`: the rate map's method and mode.
      key: 'rates',
      field: 'rates',
      read(state, text) {
        const [method, mode, ...rest] = text.split(':');
        if (rest.length || (mode !== undefined && mode !== 'empirical')) throw new Error('expected momentum or nesterov, then optionally :empirical');
        state.rates = { method: oneOf(method, RATE_METHODS), empirical: mode === 'empirical' };
      },
      write: (state) => (state.rates.method === 'momentum' && !state.rates.empirical
        ? null : `${state.rates.method}${state.rates.empirical ? ':empirical' : ''}`),
    },
    valueRow('explain', 'explain', whole),
    valueRow('speed', 'speed', upTo(limits.speed)),
    flagRow('play', 'play'),
    {
      key: 'opt',
      field: 'optimizers',
      read(state, text, _, problems) {
        const listed = text.split('|').filter(Boolean).map((item) => {
          const { id, params } = spec(item);
          return { id, enabled: true, params: withDefaults(entryOf(catalogue, id), { ...defaultOptimizer(catalogue, id).params, ...params }) };
        });
        state.optimizers = completeOptimizers(catalogue, listed);
        if (listed.length > limits.optimizers) problems.push({ key: 'opt', reason: `at most ${limits.optimizers} optimizers` });
      },
      write(state) {
        return state.optimizers
          .filter((o) => o.enabled)
          .map((o) => specText(o.id, o.params, defaultOptimizer(catalogue, o.id).params))
          .join('|');
      },
    },
    controlsRow((name) => CONTROL_NAMES.includes(name)
      || catalogue.optimizers.some((e) => e.parameters.some((p) => p.key === name))),
  ];
}

const links = linkTable(schema, initialState);

/** The state a link's hash describes, and the problems of its form (see link.js). */
export const readHash = links.read;

/** The hash that reproduces `state`. */
export const writeHash = links.write;

/** The core's problems (`{field, message}`) under the link's keys. */
export const problemsOf = links.problems;

/** A spec as presets.json writes it: its text, or `{id, params}`. */
const specOf = (value) => (typeof value === 'string' ? spec(value) : value);

/** A preset's state (see the core's presets.json): its settings over the method's and
 * surface's own defaults, and how the page shows them. */
export function presetState(catalogue, preset) {
  const state = initialState(catalogue);
  const { surface = state.surface, optimizers = [], ...rest } = preset.settings;
  const { id, params } = (typeof surface === 'string' && verbatimSpec(catalogue, surface)) || specOf(surface);
  Object.assign(state, rest, {
    surface: { id, params: withDefaults(catalogue.surfaces.find((e) => e.id === id), params) },
    optimizers: completeOptimizers(catalogue, optimizers.map((o) => {
      const { id: method, params: own } = specOf(o);
      return { id: method, enabled: o.enabled ?? true, params: withDefaults(entryOf(catalogue, method), own) };
    })),
  }, preset.page ?? {});
  return state;
}

export { defaultParams };
