// The network lab's state and its schema table for links (see link.js). The setup —
// data, its distortion and normalization, layers, activation, output, init, λ,
// optimizer, batch, schedule, early stopping, validation, seed — is what the core's `NetworkLab.open` takes and gives
// back, with the core's names; speed, play and controls are the page's own. Every
// choice and default comes from the core's catalogue.

import {
  controlsRow, entryRow, flagRow, linkTable, number, spec, valueRow, whole, withDefaults,
} from './link.js';

/** The setup's fields, as the core names them. */
const SETUP_FIELDS = [
  'dataset', 'distort', 'normalize', 'hidden', 'activation', 'output', 'init', 'l2', 'optimizer', 'batch', 'schedule',
  'early_stopping', 'restore_best', 'validation', 'seed',
];

/** What an embed shows when its link names no controls. */
export const EMBED_DEFAULT = ['train', 'lr'];

/** Whole panels and views an embed may name in `controls=`. */
export const PANELS = ['train', 'data', 'network', 'optimizer', 'export'];
export const VIEWS = ['chart', 'network-view', 'weights', 'confusion'];

const entries = (catalogue) => ({
  datasets: catalogue.network.datasets,
  optimizers: catalogue.optimizers.filter((e) => catalogue.network.optimizers.includes(e.id)),
  schedules: catalogue.network.schedules,
});

/** A spec `{id, params}` of the core's as the page holds it: every parameter, typed. */
const filled = (list, { id, params }) => ({ id, params: withDefaults(list.find((e) => e.id === id), params) });

/** Takes the core's setup (what runs) into the state. */
export function adoptSetup(state, setup, catalogue) {
  const lists = entries(catalogue);
  Object.assign(state, setup, {
    dataset: filled(lists.datasets, setup.dataset),
    optimizer: filled(lists.optimizers, setup.optimizer),
    schedule: filled(lists.schedules, setup.schedule),
  });
}

export function initialState(catalogue) {
  const speed = Number(catalogue.network.parameters.find((p) => p.key === 'speed').default);
  const state = { speed, play: false, controls: null };
  adoptSetup(state, catalogue.network.defaults, catalogue);
  return state;
}

/** The setup object `NetworkLab.open` takes. */
export function setupOf(state) {
  return Object.fromEntries(SETUP_FIELDS.map((field) => [field, state[field]]));
}

/** The setup's own numbers an embed may show alone (a hidden layer's units are not one control). */
export const setupControls = (catalogue) => catalogue.network.parameters.map((p) => p.key).filter((key) => key !== 'units');

/** Every name `controls=` may hold: panels, views and parameters' keys. */
export function controlNames(catalogue) {
  const { datasets, optimizers, schedules } = entries(catalogue);
  const keys = [...datasets, ...optimizers, ...schedules].flatMap((e) => e.parameters.map((p) => p.key));
  return new Set([...PANELS, ...VIEWS, ...keys, ...setupControls(catalogue)]);
}

/** Names `controls=` once used for a control, read as today's. */
const RENAMED_CONTROLS = { patience: 'early_stopping' };

function schema(catalogue) {
  const lists = entries(catalogue);
  const names = controlNames(catalogue);
  const text = (t) => t;
  return [
    entryRow('data', 'dataset', () => lists.datasets),
    {
      // `distort=100,50,1,0`: each input's scale and shift, x₁ × 100 + 50, x₂ × 1 + 0.
      key: 'distort',
      field: 'distort',
      read(state, value) {
        const all = value.split(',').map(number);
        if (all.length % 2 || all.length > 128) throw new Error('expected a scale and a shift per input, such as 100,50,1,0');
        state.distort = Array.from({ length: all.length / 2 }, (_, j) => all.slice(2 * j, 2 * j + 2));
      },
      write: (state) => (state.distort.length ? state.distort.flat().join(',') : null),
    },
    valueRow('norm', 'normalize', text),
    {
      key: 'hidden',
      field: 'hidden',
      read(state, value) {
        state.hidden = value === 'none' || value === '' ? [] : value.split(',').map(whole);
        if (state.hidden.length > 64) throw new Error('expected at most 64 sizes');
      },
      write: (state) => (state.hidden.length ? state.hidden.join(',') : 'none'),
    },
    valueRow('act', 'activation', text),
    valueRow('out', 'output', text),
    valueRow('init', 'init', text),
    valueRow('l2', 'l2', number),
    entryRow('opt', 'optimizer', () => lists.optimizers),
    valueRow('batch', 'batch', whole),
    entryRow('sched', 'schedule', () => lists.schedules, (state) => state.schedule.id === 'constant'),
    valueRow('early', 'early_stopping', whole),
    flagRow('restore', 'restore_best'),
    valueRow('val', 'validation', number),
    valueRow('seed', 'seed', whole),
    valueRow('speed', 'speed', (value) => {
      const speed = whole(value);
      const most = catalogue.network.most_speed;
      if (speed < 1 || speed > most) throw new Error(`expected a whole number from 1 to ${most}`);
      return speed;
    }),
    flagRow('play', 'play'),
    controlsRow((name) => names.has(name), RENAMED_CONTROLS),
  ];
}

const links = linkTable(schema, initialState);

export const readNetworkHash = links.read;
export const writeNetworkHash = links.write;

/** The core's problems (`{field, message}`) under the link's keys. */
export const networkProblems = links.problems;

/** A preset's state (see the core's presets.json): the default setup with the
 * preset's choices, whose specs may be written as text. */
export function networkPresetState(catalogue, preset) {
  const setup = { ...catalogue.network.defaults, ...preset.setup };
  for (const field of ['dataset', 'optimizer', 'schedule']) {
    if (typeof setup[field] === 'string') setup[field] = spec(setup[field]);
  }
  const state = initialState(catalogue);
  adoptSetup(state, setup, catalogue);
  return Object.assign(state, preset.page ?? {});
}

/** The outputs (catalogue entries) a dataset's targets fit: class labels, two classes, or numbers. */
export function outputsFor(catalogue, datasetId, k) {
  const entry = catalogue.network.datasets.find((d) => d.id === datasetId);
  const classes = entry?.counted ? k : entry?.classes ?? 2;
  const task = classes === 0 ? 'regression' : 'classes';
  return catalogue.network.outputs.filter((o) => o.tasks.includes(task) || (classes === 2 && o.tasks.includes('binary')));
}

/** How many inputs a dataset's points have: its catalogue entry says. */
export const inputsOf = (catalogue, datasetId) => catalogue.network.datasets.find((d) => d.id === datasetId)?.inputs ?? 2;
