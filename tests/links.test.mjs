// The link machinery and both labs' schema tables, in node without a browser: every
// row read and written, round trips of every preset, and hostile text. The catalogues
// come from the real wasm builds.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './support.mjs';
import {
  defaultParams, entryRow, flagRow, linkProblems, number, numbers, oneOf, paramValue, readLink, spec, specText,
  valueRow, whole, withDefaults, writeLink, LONGEST_VALUE,
} from '../www/js/link.js';
import {
  completeOptimizers, initialState, presetState, readHash, settingsOf, writeHash,
} from '../www/js/state.js';
import {
  controlNames, initialState as initialNetwork, networkPresetState, outputsFor, readNetworkHash, setupOf,
  writeNetworkHash,
} from '../www/js/network-state.js';

/** A lab's build, loaded from its files as the page would. */
async function load(lab) {
  const dir = path.join(repoRoot, 'www', 'pkg', lab);
  const module = await import(path.join(dir, 'gradscape.js'));
  await module.default({ module_or_path: await readFile(path.join(dir, 'gradscape_bg.wasm')) });
  return { catalogue: module.catalogue(), presets: JSON.parse(module.presets()) };
}

let plane;
let network;
before(async () => {
  plane = await load('optimizers');
  network = await load('network');
});

/** Random text for hostile links: seeded, from characters links are made of. */
function* texts(seed, count) {
  let a = seed;
  const next = () => {
    a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x9e3779b9) | 0;
    return (a >>> 0) / 4294967296;
  };
  const alphabet = 'aesnoptbrlm0123456789=&:,|.-%#eE+ _<>\u0000é';
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 60);
    yield Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  }
}

describe('values', () => {
  test('numbers read finite numbers only, and -0 as 0', () => {
    assert.equal(number('2.5'), 2.5);
    assert.equal(number('1e-7'), 1e-7);
    assert.ok(Object.is(number('-0'), 0));
    for (const bad of ['', ' ', 'x', 'NaN', 'Infinity', '1e309', '--1']) assert.throws(() => number(bad), /expected a number/, bad);
  });

  test('whole numbers are integers from 0 to 2³² − 1', () => {
    assert.equal(whole('7'), 7);
    assert.equal(whole('4294967295'), 4294967295);
    for (const bad of ['-1', '2.5', '4294967296', 'x', '']) assert.throws(() => whole(bad), /whole number|a number/, bad);
  });

  test('lists, choices and parameter values', () => {
    assert.deepEqual(numbers('1,2', 2), [1, 2]);
    assert.throws(() => numbers('1,2,3', 2), /2 numbers/);
    assert.equal(oneOf('race', ['path', 'race']), 'race');
    assert.throws(() => oneOf('fast', ['path', 'race']), /one of path, race/);
    assert.deepEqual(['0.5', 'true', 'false', 'x', '', '1e400'].map(paramValue), [0.5, true, false, 'x', '', '1e400']);
  });

  test('specs split into a name and typed parameters, and are written back short', () => {
    assert.deepEqual(spec('adam'), { id: 'adam', params: {} });
    assert.deepEqual(spec('adam:lr=0.01,amsgrad=true,tag=a=b'), { id: 'adam', params: { lr: 0.01, amsgrad: true, tag: 'a=b' } });
    assert.throws(() => spec(':lr=1'), /name/);
    assert.throws(() => spec('sgd:lr'), /key=value/);
    assert.equal(specText('sgd', { lr: 0.1, momentum: 0 }, { lr: 0.01, momentum: 0 }), 'sgd:lr=0.1');
    assert.equal(specText('sgd', { lr: 0.01 }, { lr: 0.01 }), 'sgd');
  });

  test('a catalogue entry gives its defaults and the kinds of its parameters', () => {
    const adam = plane.catalogue.optimizers.find((e) => e.id === 'adam');
    const defaults = defaultParams(adam);
    assert.equal(defaults.lr, 0.001);
    assert.equal(defaults.amsgrad, false);
    assert.deepEqual(withDefaults(adam, { amsgrad: 1, lr: 0.5 }), { ...defaults, amsgrad: true, lr: 0.5 });
    assert.deepEqual(withDefaults(undefined, { x: 1 }), { x: 1 });
  });
});

describe('reading and writing links', () => {
  const schema = [
    valueRow('n', 'n', whole),
    flagRow('on', 'on'),
    entryRow('opt', 'opt', () => plane.catalogue.optimizers),
  ];
  const initial = () => ({ n: 3, on: false, opt: { id: 'sgd', params: defaultParams(plane.catalogue.optimizers[0]) } });

  test('each row reads its key and writes only what differs', () => {
    const { state, problems } = readLink('#n=5&on=1&opt=sgd:lr=0.5', schema, initial);
    assert.deepEqual(problems, []);
    assert.deepEqual(state, { n: 5, on: true, opt: { id: 'sgd', params: { lr: 0.5 } } });
    assert.equal(writeLink(state, schema, initial), 'n=5&on=1&opt=sgd:lr=0.5');
    assert.equal(writeLink(initial(), schema, initial), 'opt=sgd');
  });

  test('a bad key is named and reset alone; unknown, malformed and long keys too', () => {
    const { state, problems } = readLink(`#n=x&on=1&who=1&%E0%A4%A=2&opt=${'a'.repeat(LONGEST_VALUE + 1)}`, schema, initial);
    assert.deepEqual(state, { ...initial(), on: true });
    assert.deepEqual(problems.map((p) => p.key), ['n', 'who', '%E0%A4%A', 'opt']);
    assert.match(problems[1].reason, /not a setting/);
    assert.match(problems[3].reason, /longer than/);
  });

  test('writing escapes only what a fragment cannot hold', () => {
    const state = { ...initial(), opt: { id: 'sgd', params: { lr: 0.5, tag: 'a b&c#' } } };
    assert.equal(writeLink(state, schema, initial), 'opt=sgd:lr=0.5,tag=a%20b%26c%23');
  });

  test("the core's problems are named by the link's keys", () => {
    assert.deepEqual(linkProblems(schema, [{ field: 'opt', message: 'm' }, { field: 'other', message: 'o' }]),
      [{ key: 'opt', reason: 'm' }, { key: 'other', reason: 'o' }]);
  });
});

describe("the optimizer lab's links", () => {
  test('every row round-trips', () => {
    const { catalogue } = plane;
    const hash = 'surface=quadratic:lambda2=50,angle=30&start=-2.5,2&view=-3,3,-2,2&steps=300&noise=0.5&seed=7&tol=0.001&cloud=20'
      + '&mode=race&panel=rates&rates=nesterov:empirical&explain=1&speed=20&play=1&opt=sgd:lr=0.1|sgd:lr=0.2|adam:amsgrad=true&controls=lr,chart';
    const { state, problems } = readHash(`#${hash}`, catalogue);
    assert.deepEqual(problems, []);
    assert.equal(writeHash(state, catalogue), hash);
    assert.deepEqual(state.optimizers.filter((o) => o.enabled).map((o) => o.id), ['sgd', 'sgd', 'adam']);
    assert.equal(state.optimizers.length, 2 + catalogue.optimizers.length - 1, 'every other method, unticked');
    assert.deepEqual(Object.keys(settingsOf(state)), ['surface', 'view', 'start', 'steps', 'noise', 'seed', 'tolerance', 'cloud', 'optimizers']);
  });

  test('a first visit writes a short link, and unticked methods are completed', () => {
    const { catalogue } = plane;
    assert.equal(writeHash(initialState(catalogue), catalogue), 'surface=banana&opt=sgd|momentum|nesterov|adam');
    assert.deepEqual(completeOptimizers(catalogue, []).map((o) => o.enabled), catalogue.optimizers.map(() => false));
  });

  test('every preset round-trips through its link', () => {
    const { catalogue, presets } = plane;
    assert.equal(presets.length, 15);
    for (const preset of presets) {
      const state = presetState(catalogue, preset);
      const hash = writeHash(state, catalogue);
      const read = readHash(`#${hash}`, catalogue);
      assert.deepEqual(read.problems, [], preset.title);
      assert.deepEqual(read.state, state, preset.title);
    }
  });

  test('unknown controls are named and dropped', () => {
    const { state, problems } = readHash('#controls=lr,<b>x</b>,chart', plane.catalogue);
    assert.deepEqual(state.controls, ['lr', 'chart']);
    assert.match(problems[0].reason, /unknown control "<b>x<\/b>"/);
  });

  test('no text at all makes reading or writing throw', () => {
    for (const text of texts(1, 3000)) {
      const { state } = readHash(text, plane.catalogue);
      assert.equal(typeof writeHash(state, plane.catalogue), 'string', text);
    }
  });
});

describe("the network lab's links", () => {
  test('every row round-trips, in the core\'s names', () => {
    const { catalogue } = network;
    const hash = 'data=spirals:n=300,k=4&hidden=16,16&act=relu&out=softmax&init=normal:0.1&l2=0.001'
      + '&opt=adam:lr=0.01&batch=32&sched=plateau:patience=3&early=10&restore=0&val=0.3&seed=5&speed=8&play=1'
      + '&controls=train,lr,chart';
    const { state, problems } = readNetworkHash(`#${hash}`, catalogue);
    assert.deepEqual(problems, []);
    assert.equal(writeNetworkHash(state, catalogue), hash);
    assert.deepEqual(setupOf(state).hidden, [16, 16]);
    assert.deepEqual(Object.keys(setupOf(state)), Object.keys(catalogue.network.defaults));
  });

  test('every preset round-trips through its link', () => {
    const { catalogue, presets } = network;
    assert.equal(presets.length, 20);
    for (const preset of presets) {
      const state = networkPresetState(catalogue, preset);
      const read = readNetworkHash(`#${writeNetworkHash(state, catalogue)}`, catalogue);
      assert.deepEqual(read.problems, [], preset.title);
      assert.deepEqual(read.state, state, preset.title);
    }
  });

  test('the defaults write a short link; outputs follow the data; controls are known names', () => {
    const { catalogue } = network;
    assert.equal(writeNetworkHash(initialNetwork(catalogue), catalogue), 'data=moons&hidden=8,8&opt=adam:lr=0.01');
    assert.deepEqual(outputsFor(catalogue, 'moons').map((o) => o.id), ['softmax', 'sigmoid']);
    assert.deepEqual(outputsFor(catalogue, 'spirals', 3).map((o) => o.id), ['softmax']);
    assert.deepEqual(outputsFor(catalogue, 'two-branches').map((o) => o.id), ['identity', 'gaussian', 'mdn']);
    assert.deepEqual(outputsFor(catalogue, 'curve').map((o) => o.id), ['identity', 'gaussian', 'mdn']);
    const names = controlNames(catalogue);
    for (const name of ['train', 'data', 'chart', 'lr', 'momentum', 'n', 'k', 'batch']) assert.ok(names.has(name), name);
    const { state, problems } = readNetworkHash('#controls=train,nope', catalogue);
    assert.deepEqual([state.controls, problems.map((p) => p.key)], [['train'], ['controls']]);
  });

  test('no text at all makes reading or writing throw', () => {
    for (const text of texts(2, 3000)) {
      const { state } = readNetworkHash(text, network.catalogue);
      assert.equal(typeof writeNetworkHash(state, network.catalogue), 'string', text);
    }
  });
});
