// The network lab's state and its schema table for links (see link.js). The setup —
// data, its distortion and normalization, layers, activation, output, init, λ,
// optimizer, batch, schedule, early stopping, validation, seed — is what the core's `NetworkLab.open` takes and gives
// back, with the core's names; speed, play and controls are the page's own. Every
// choice and default comes from the core's catalogue.
//
// Runs side by side share the data (dataset, distortion, normalization, validation
// split); each has its own other fields. The state's fields are the current run's, and
// `state.runs` holds every run's own fields (the current one's brought up to date by
// `syncRun`). A link writes the first run's keys as they are, `runs=N`, `run=K` for the
// current one, and each other run's keys that differ from the first's as `K.key`
// (`2.opt=sgd:lr=0.1`).

import {
  controlsRow, entryRow, escape, flagRow, linkTable, number, readLink, spec, valueRow, whole, withDefaults,
} from './link.js';

/** The setup's fields, as the core names them. */
const SETUP_FIELDS = [
  'dataset', 'distort', 'normalize', 'hidden', 'activation', 'output', 'init', 'l2', 'optimizer', 'batch', 'schedule',
  'early_stopping', 'restore_best', 'validation', 'seed',
];

/** The fields the runs share: the data and its split. */
const SHARED_FIELDS = ['dataset', 'distort', 'normalize', 'validation'];

/** The fields each run has its own. */
const RUN_FIELDS = SETUP_FIELDS.filter((field) => !SHARED_FIELDS.includes(field));

/** The current run's own fields, as `state.runs` holds them. */
const runOf = (state) => Object.fromEntries(RUN_FIELDS.map((field) => [field, structuredClone(state[field])]));

/** Brings the current run's entry in `state.runs` up to date with the state's fields. */
export function syncRun(state) {
  state.runs[state.current] = runOf(state);
}

/** Makes run `index` the current one: the state's fields become its own. */
export function showRun(state, index) {
  syncRun(state);
  state.current = index;
  Object.assign(state, structuredClone(state.runs[index]));
}

/** Every run's setup object, in order, as `NetworkLab.open_runs` takes them. */
export function setupsOf(state) {
  syncRun(state);
  const shared = Object.fromEntries(SHARED_FIELDS.map((field) => [field, state[field]]));
  return state.runs.map((run) => ({ ...shared, ...run }));
}

/** What an embed shows when its link names no controls. */
export const EMBED_DEFAULT = ['train', 'lr'];

/** Whole panels and views an embed may name in `controls=`. */
export const PANELS = ['train', 'data', 'network', 'optimizer', 'export'];
export const VIEWS = ['chart', 'network-view', 'weights', 'confusion', 'activation', 'softmax', 'inside', 'range', 'landscape', 'runs'];

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

/** Takes every run's setup from the core (what runs, in order) into the state. */
export function adoptRuns(state, setups, catalogue) {
  state.runs = setups.map((setup) => {
    const run = {};
    adoptSetup(run, setup, catalogue);
    return runOf(run);
  });
  state.current = Math.min(state.current, setups.length - 1);
  adoptSetup(state, setups[state.current], catalogue);
}

export function initialState(catalogue) {
  const speed = Number(catalogue.network.parameters.find((p) => p.key === 'speed').default);
  const state = { speed, play: false, controls: null, current: 0, landscape: null };
  adoptSetup(state, catalogue.network.defaults, catalogue);
  state.runs = [runOf(state)];
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
    // `landscape=d1;d2;A[,B]`: the landscape view shows, with these directions and span.
    {
      key: 'landscape',
      field: 'landscape',
      read(state, value) {
        state.landscape = readLandscape(value);
      },
      write: (state) => (state.landscape ? landscapeText(state.landscape) : null),
    },
    controlsRow((name) => names.has(name), RENAMED_CONTROLS),
  ];
}

/** A landscape's link text, `d1;d2;A` or `d1;d2;A,B`, and back. */
function landscapeText({ d1, d2, span: [a, b] }) {
  return `${d1};${d2};${a === b ? a : `${a},${b}`}`;
}
function readLandscape(text) {
  const parts = text.split(';');
  if (parts.length !== 3 || !parts[0] || !parts[1]) throw new Error('expected two directions and a span: d1;d2;A or d1;d2;A,B');
  const span = parts[2].split(',').map(Number);
  if (span.length === 1) span.push(span[0]);
  if (span.length !== 2 || !span.every((v) => Number.isFinite(v) && v > 0)) throw new Error('expected a span A or A,B of positive numbers');
  return { d1: parts[0], d2: parts[1], span };
}

const links = linkTable(schema, initialState);

/** The most runs side by side (the core's `runs::MOST_RUNS`). */
export const mostRuns = (catalogue) => catalogue.network.most_runs;

/** A run's number in a link and on the page: 1 to the number of runs. */
const runNumber = (text, most) => {
  const n = whole(text);
  if (n < 1 || n > most) throw new Error(`expected a run from 1 to ${most}`);
  return n;
};

/** The state a network link describes, with every run, and the problems met. */
export function readNetworkHash(hash, catalogue) {
  const most = mostRuns(catalogue);
  const plain = [];
  const own = new Map(); // run number → its `key=value` parts
  const problems = [];
  let count = 1;
  let current = 1;
  for (const part of hash.replace(/^#/, '').split('&').filter(Boolean)) {
    const [key, value = ''] = part.split(/=(.*)/s);
    const prefixed = /^(\d+)\.(.+)$/.exec(key);
    try {
      if (key === 'runs') count = runNumber(decodeURIComponent(value), most);
      else if (key === 'run') current = runNumber(decodeURIComponent(value), most);
      else if (!prefixed) plain.push(part);
      else {
        const n = runNumber(prefixed[1], most);
        if (n === 1) throw new Error('run 1 is written without a number');
        own.set(n, [...(own.get(n) ?? []), `${prefixed[2]}=${value}`]);
      }
    } catch (error) {
      problems.push({ key: key.slice(0, 40), reason: error.message });
    }
  }
  const read = links.read(`#${plain.join('&')}`, catalogue);
  const { state } = read;
  problems.unshift(...read.problems);
  const rows = links.rows(catalogue).filter((row) => RUN_FIELDS.includes(row.field));
  const first = runOf(state);
  state.runs = [first];
  for (const [n, parts] of own) {
    if (n <= count) continue;
    for (const part of parts) problems.push({ key: `${n}.${part.split('=')[0]}`.slice(0, 40), reason: `the link has ${count} run${count > 1 ? 's' : ''}` });
  }
  for (let n = 2; n <= count; n++) {
    const run = readLink(`#${(own.get(n) ?? []).join('&')}`, rows, () => ({ ...structuredClone(state), ...structuredClone(first) }), catalogue);
    problems.push(...run.problems.map(({ key, reason }) => ({ key: `${n}.${key}`, reason })));
    state.runs.push(runOf(run.state));
  }
  state.current = Math.min(current, count) - 1;
  if (state.current > 0) Object.assign(state, structuredClone(state.runs[state.current]));
  return { state, problems };
}

/** The link of `state`: the first run's keys, then each other run's that differ. */
export function writeNetworkHash(state, catalogue) {
  syncRun(state);
  const first = { ...state, ...state.runs[0] };
  const parts = [links.write(first, catalogue)].filter(Boolean);
  if (state.runs.length > 1) parts.push(`runs=${state.runs.length}`);
  if (state.current > 0) parts.push(`run=${state.current + 1}`);
  const rows = links.rows(catalogue).filter((row) => RUN_FIELDS.includes(row.field));
  state.runs.slice(1).forEach((own, i) => {
    const run = { ...first, ...own };
    for (const row of rows) {
      if (JSON.stringify(run[row.field]) === JSON.stringify(first[row.field])) continue;
      // Against an empty initial state a value row always writes; a schedule left out as constant is named.
      const text = row.write(run, catalogue, {}) ?? run[row.field].id;
      parts.push(`${i + 2}.${row.key}=${escape(text)}`);
    }
  });
  return parts.join('&');
}

/** The core's problems (`{run, field, message}`, runs counted from 0) under the link's keys. */
export const networkProblems = (catalogue, problems) => problems.map(({ run = 0, field, message }) => {
  const [problem] = links.problems(catalogue, [{ field, message }]);
  return run > 0 ? { key: `${run + 1}.${problem.key}`, reason: problem.reason } : problem;
});

/** A preset's state (see the core's presets.json): the default setup with the
 * preset's choices, whose specs may be written as text; its other runs, if any, each the
 * preset's setup with the run's own choices. */
export function networkPresetState(catalogue, preset) {
  const setupOf = (choices) => {
    const setup = { ...catalogue.network.defaults, ...choices };
    for (const field of ['dataset', 'optimizer', 'schedule']) {
      if (typeof setup[field] === 'string') setup[field] = spec(setup[field]);
    }
    return setup;
  };
  const state = initialState(catalogue);
  adoptRuns(state, [preset.setup, ...(preset.runs ?? []).map((run) => ({ ...preset.setup, ...run }))].map(setupOf), catalogue);
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
