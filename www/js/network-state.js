// The network lab's state and its schema table for links (see link.js). Every field is
// plain data; nothing read from a link is ever treated as HTML.

import { defaultParams, entryRow, number, oneOf, readLink, spec, specText, writeLink } from './link.js';

export const DATASETS = ['moons', 'circles', 'xor', 'blobs', 'spirals', 'curve'];
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'identity'];
export const INITS = ['glorot-uniform', 'glorot-normal', 'he', 'orthogonal', 'normal', 'uniform', 'constant', 'zero'];
export const SCHEDULES = ['constant', 'exponential', 'step', 'plateau'];

/** The dataset's parameters (n, noise, k, seed) as the catalogue gives them. */
export const DATASET_PARAMETERS = [
  { key: 'n', kind: 'number', default: '400', about: 'number of points' },
  { key: 'noise', kind: 'number', default: '0.1', about: 'standard deviation of the noise' },
  { key: 'k', kind: 'number', default: '3', about: 'classes (blobs) or arms (spirals)' },
  { key: 'seed', kind: 'whole number', default: '0', about: 'seed of the points' },
];

/** Schedules and their parameters, with defaults as the core has them. */
export const SCHEDULE_PARAMETERS = {
  constant: [],
  exponential: [{ key: 'decay', kind: 'number', default: '0.999', about: 'η ← βη after every update' }],
  step: [
    { key: 'every', kind: 'number', default: '10', about: 'epochs between decays' },
    { key: 'factor', kind: 'number', default: '0.5', about: 'the factor applied' },
  ],
  plateau: [
    { key: 'factor', kind: 'number', default: '0.5', about: 'the factor applied on a plateau' },
    { key: 'patience', kind: 'number', default: '5', about: 'epochs without improvement before η drops' },
  ],
};

export function initialState(catalogue) {
  const sgd = catalogue.optimizers.find((e) => e.id === 'sgd');
  return {
    dataset: { id: 'moons', params: { n: 400, noise: 0.1, k: 3, seed: 0 } },
    hidden: [6, 6],
    activation: 'tanh',
    output: 'softmax',
    init: 'glorot-uniform',
    l2: 0,
    optimizer: { id: 'sgd', params: { ...defaultParams(sgd), lr: 0.1 } },
    batch: 10,
    schedule: { id: 'constant', params: {} },
    early: 0, // patience in epochs; 0: off
    restore: true,
    validation: 0.2,
    seed: 0,
    speed: 4, // updates per frame while playing
    play: false,
    controls: null,
  };
}

/** The plain object NetworkLab takes. */
export function labConfig(state) {
  return {
    dataset: state.dataset,
    hidden: state.hidden,
    activation: state.activation,
    output: state.output,
    init: state.init,
    l2: state.l2,
    optimizer: state.optimizer,
    batch: state.batch,
    schedule: state.schedule,
    early_stopping: state.early > 0 ? { patience: state.early, restore_best: state.restore } : null,
    validation: state.validation,
    seed: state.seed,
  };
}

const datasetEntries = [{ id: 'data', parameters: DATASET_PARAMETERS }];
const scheduleEntries = Object.entries(SCHEDULE_PARAMETERS).map(([id, parameters]) => ({ id, parameters }));

const simple = (key, field, read, isDefault) => ({
  key,
  read(state, text) {
    state[field] = read(text);
  },
  write: (state, _, initial) => (isDefault ? isDefault(state[field], initial[field]) : state[field] === initial[field]) ? null : String(state[field]),
});

const SCHEMA = [
  {
    key: 'data',
    read(state, text) {
      const [id, rest = ''] = text.split(/:(.*)/s);
      oneOf(id, DATASETS);
      const { params } = spec(`data:${rest}`, datasetEntries, 'dataset');
      state.dataset = { id, params: { ...defaultParams(datasetEntries[0]), ...params } };
      if (id === 'curve') state.output = 'identity';
    },
    write: (state) => specText(state.dataset.id, state.dataset.params, defaultParams(datasetEntries[0])),
  },
  {
    key: 'hidden',
    read(state, text) {
      const sizes = text === 'none' ? [] : text.split(',').map((t) => number(t, { min: 1, max: 64, integer: true }));
      if (sizes.length > 6) throw new Error('expected at most 6 hidden layers');
      state.hidden = sizes;
    },
    write: (state) => (state.hidden.length ? state.hidden.join(',') : 'none'),
  },
  simple('act', 'activation', (t) => oneOf(t, ACTIVATIONS)),
  simple('out', 'output', (t) => oneOf(t, ['softmax', 'sigmoid', 'identity'])),
  {
    key: 'init',
    read(state, text) {
      const [id, value] = text.split(':');
      oneOf(id, INITS);
      if (value !== undefined) number(value, { min: 0, max: 100 });
      state.init = text;
    },
    write: (state, _, initial) => (state.init === initial.init ? null : state.init),
  },
  simple('l2', 'l2', (t) => number(t, { min: 0, max: 10 })),
  entryRow('opt', 'optimizer', 'optimizer', (catalogue) => catalogue.optimizers),
  simple('batch', 'batch', (t) => number(t, { min: 1, max: 10000, integer: true })),
  entryRow('sched', 'schedule', 'schedule', () => scheduleEntries, (id) => id === 'constant'),
  simple('early', 'early', (t) => number(t, { min: 0, max: 1000, integer: true })),
  {
    key: 'restore',
    read(state, text) {
      state.restore = oneOf(text, ['0', '1']) === '1';
    },
    write: (state) => (state.restore ? null : '0'),
  },
  simple('val', 'validation', (t) => number(t, { min: 0, max: 0.5 })),
  simple('seed', 'seed', (t) => number(t, { min: 0, max: 2 ** 32 - 1, integer: true })),
  simple('speed', 'speed', (t) => number(t, { min: 1, max: 1000, integer: true })),
  {
    key: 'play',
    read(state, text) {
      state.play = oneOf(text, ['0', '1']) === '1';
    },
    write: (state) => (state.play ? '1' : null),
  },
  {
    key: 'controls',
    read(state, text) {
      state.controls = text.split(',').filter(Boolean).slice(0, 20);
    },
    write: (state) => (state.controls ? state.controls.join(',') : null),
  },
];

export function readNetworkHash(hash, catalogue) {
  return readLink(hash, SCHEMA, () => initialState(catalogue), catalogue);
}

export function writeNetworkHash(state, catalogue) {
  return writeLink(state, SCHEMA, () => initialState(catalogue), catalogue);
}

/** The gallery of the network lab. */
export const NETWORK_PRESETS = [
  {
    title: 'XOR needs a hidden layer',
    caption: 'Without a hidden layer the network is linear in x, and no line separates XOR. Add a hidden layer of 2 to 4 units and train again.',
    hash: 'data=xor:n=200&hidden=none&opt=sgd:lr=0.3',
  },
  {
    title: "Zero init doesn't learn",
    caption: 'With every weight at zero, tanh units output 0, so no gradient reaches any weight: a saddle point. Only the output biases move.',
    hash: 'data=moons&hidden=8&init=zero&opt=sgd:lr=0.3',
  },
  {
    title: 'Constant init collapses by symmetry',
    caption: 'Every hidden unit starts the same and gets the same gradient, so they stay copies of each other: look at the unit maps in the network.',
    hash: 'data=moons&hidden=8&init=constant:0.5&opt=sgd:lr=0.3',
  },
  {
    title: 'Sigmoid saturates with large init',
    caption: 'Weights from N(0, 10²) push sigmoid units to 0 or 1, where sigm\' ≈ 0: gradients vanish and learning crawls.',
    hash: 'data=circles&hidden=8,8&act=sigmoid&init=normal:10&opt=sgd:lr=0.3',
  },
  {
    title: 'Learning rate too high',
    caption: 'η = 20: each update overshoots; the loss jumps instead of falling, and the decision map flickers.',
    hash: 'data=moons&hidden=8&opt=sgd:lr=20',
  },
  {
    title: 'Reduce on plateau',
    caption: 'Each time the validation loss stops improving for 3 epochs, η is halved: watch the loss curve step down after each plateau.',
    hash: 'data=spirals:k=2,noise=0.05&hidden=16,16&opt=sgd:lr=0.3&sched=plateau:patience=3',
  },
  {
    title: 'Early stopping',
    caption: 'A large network on 80 noisy points overfits: the validation loss turns up while the training loss keeps falling. Training stops 10 epochs after the best one and restores it.',
    hash: 'data=moons:n=80,noise=0.35&hidden=32,32&act=relu&init=he&opt=adam:lr=0.01&early=10',
  },
];
