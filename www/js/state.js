// The optimizer lab's state, and the one schema table that reads it from a link and
// writes it back. Every field is plain data; nothing read from a link is ever treated
// as HTML.

import { defaultParams, entryRow, number, numbers, oneOf, readLink, spec, specText, writeLink } from './link.js';

/** Learning rates that show each method at work on the default surface (banana). */
const LAB_DEFAULTS = {
  sgd: { lr: 0.002 },
  momentum: { lr: 0.002, momentum: 0.9 },
  nesterov: { lr: 0.002, momentum: 0.9 },
  adagrad: { lr: 0.3 },
  rmsprop: { lr: 0.01 },
  adadelta: { lr: 1 },
  adam: { lr: 0.03 },
  adamw: { lr: 0.03 },
  nadam: { lr: 0.03 },
  lion: { lr: 0.01 },
  newton: { lr: 0.5 },
};

const FIRST_VISIT = ['sgd', 'momentum', 'nesterov', 'adam'];

/** The most optimizers one link may ask for. */
export const MAX_OPTIMIZERS = 24;

/** Controls an embed may show: these, and any hyperparameter's key. */
export const CONTROL_NAMES = ['surface', 'start', 'steps', 'noise', 'mode', 'play', 'optimizers', 'chart'];

/** One optimizer as the lab first offers it: the catalogue's defaults and a lab rate. */
export function defaultOptimizer(catalogue, id, enabled = false) {
  const entry = catalogue.optimizers.find((e) => e.id === id);
  return { id, enabled, params: { ...defaultParams(entry), ...LAB_DEFAULTS[id] } };
}

/** The state a first visit starts from. */
export function initialState(catalogue) {
  return {
    surface: { id: 'banana', params: {} },
    start: null, // null: the surface's own
    view: null, // null: the surface's own
    steps: 200,
    noise: 0,
    seed: 0,
    mode: 'path',
    speed: 60,
    play: false,
    optimizers: catalogue.optimizers.map((e) => defaultOptimizer(catalogue, e.id, FIRST_VISIT.includes(e.id))),
    controls: null, // an embed's chosen controls; null: its default set
  };
}

/** After the listed optimizers, one disabled instance of every method not listed. */
export function completeOptimizers(catalogue, listed) {
  const present = new Set(listed.map((o) => o.id));
  return [
    ...listed,
    ...catalogue.optimizers.filter((e) => !present.has(e.id)).map((e) => defaultOptimizer(catalogue, e.id)),
  ];
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

/**
 * The schema: one row per key of the link, each reading its text into the state and
 * writing it back (null: left out, the default).
 */
const SCHEMA = [
  entryRow('surface', 'surface', 'surface', (catalogue) => catalogue.surfaces),
  {
    key: 'start',
    read(state, text) {
      state.start = numbers(text, 2);
    },
    write: (state) => (state.start ? state.start.join(',') : null),
  },
  {
    key: 'view',
    read(state, text) {
      const [x0, x1, y0, y1] = numbers(text, 4);
      if (!(x0 < x1 && y0 < y1)) throw new Error('expected x_min,x_max,y_min,y_max with min < max');
      state.view = { x: [x0, x1], y: [y0, y1] };
    },
    write: (state) => (state.view ? [...state.view.x, ...state.view.y].join(',') : null),
  },
  {
    key: 'steps',
    read(state, text) {
      state.steps = number(text, { min: 1, max: 5000, integer: true });
    },
    write: (state, _, initial) => (state.steps === initial.steps ? null : String(state.steps)),
  },
  {
    key: 'noise',
    read(state, text) {
      state.noise = number(text, { min: 0, max: 1000 });
    },
    write: (state) => (state.noise ? String(state.noise) : null),
  },
  {
    key: 'seed',
    read(state, text) {
      state.seed = number(text, { min: 0, max: 2 ** 32 - 1, integer: true });
    },
    write: (state) => (state.seed ? String(state.seed) : null),
  },
  {
    key: 'mode',
    read(state, text) {
      state.mode = oneOf(text, ['path', 'race']);
    },
    write: (state) => (state.mode === 'path' ? null : state.mode),
  },
  {
    key: 'speed',
    read(state, text) {
      state.speed = number(text, { min: 1, max: 1000 });
    },
    write: (state, _, initial) => (state.speed === initial.speed ? null : String(state.speed)),
  },
  {
    key: 'play',
    read(state, text) {
      state.play = oneOf(text, ['0', '1']) === '1';
    },
    write: (state) => (state.play ? '1' : null),
  },
  {
    key: 'opt',
    read(state, text, catalogue, problems) {
      const listed = [];
      for (const item of text.split('|').filter(Boolean)) {
        if (listed.length === MAX_OPTIMIZERS) {
          problems.push({ key: 'opt', reason: `at most ${MAX_OPTIMIZERS} optimizers` });
          break;
        }
        try {
          const { id, params } = spec(item, catalogue.optimizers, 'optimizer');
          const optimizer = defaultOptimizer(catalogue, id, true);
          Object.assign(optimizer.params, params);
          listed.push(optimizer);
        } catch (error) {
          problems.push({ key: 'opt', reason: error.message });
        }
      }
      state.optimizers = completeOptimizers(catalogue, listed);
    },
    write(state, catalogue) {
      return state.optimizers
        .filter((o) => o.enabled)
        .map((o) => specText(o.id, o.params, defaultOptimizer(catalogue, o.id).params))
        .join('|');
    },
  },
  {
    key: 'controls',
    read(state, text, catalogue, problems) {
      const keys = new Set(catalogue.optimizers.flatMap((e) => e.parameters.map((p) => p.key)));
      state.controls = text.split(',').filter((name) => {
        const known = CONTROL_NAMES.includes(name) || keys.has(name);
        if (!known) problems.push({ key: 'controls', reason: `unknown control "${name.slice(0, 40)}"` });
        return known;
      });
    },
    write: (state) => (state.controls ? state.controls.join(',') : null),
  },
];

/** The state a link's hash describes, and the problems met (see link.js). */
export function readHash(hash, catalogue) {
  return readLink(hash, SCHEMA, () => initialState(catalogue), catalogue);
}

/** The hash that reproduces `state`. */
export function writeHash(state, catalogue) {
  return writeLink(state, SCHEMA, () => initialState(catalogue), catalogue);
}
