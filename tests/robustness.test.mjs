// Nothing a student can click or a link can say breaks a lab: the states that used to
// crash the optimizer lab, hundreds of seeded random links per lab (what runs must be
// what the controls show), a core that crashes anyway, and the page's exports against
// the CLI's output for the same run, as text.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canvasPixels, drawn, openLab, repoRoot, useBrowser } from './support.mjs';

const session = useBrowser();
const cli = process.env.GRADSCAPE_CLI ?? path.join(repoRoot, 'target', 'debug', 'gradscape');

/** Opens `hash` in the page already open, as a changed link does, and waits for it. */
async function follow(page, hash) {
  await page.evaluate((h) => new Promise((resolve) => {
    const before = location.href;
    addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
    location.hash = h;
    if (location.href === before) resolve();
  }), hash);
  // Data the page fetches first (the digits) keeps the lab busy until it opens.
  await page.waitForFunction(() => document.getElementById('lab').getAttribute('aria-busy') === 'false');
  await drawn(page);
}

/** A small seeded generator (mulberry32), so that a failing link can be replayed. */
function generator(seed) {
  let a = seed;
  const next = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(next() * items.length)];
  return { next, pick };
}

/** Values a hostile or careless link might hold for a number. */
const NUMBERS = ['0', '-1', '1', '2.5', '1e309', '-1e309', 'NaN', '', 'x', '1e-300', '4294967296', '0x10', '7', '0.001', '1000000'];

/** A random `key=value` for `key`, from its `good` values or a broken one. */
function value(random, good) {
  const r = random.next();
  if (r < 0.5) return random.pick(good);
  if (r < 0.8) return random.pick(NUMBERS);
  if (r < 0.9) return random.pick(good).replace(/\d/, random.pick(['-', 'e', '.', '%', '']));
  return random.pick(['<b>x</b>', '%E0%A4%A', '\u0000', 'y'.repeat(3000), '|||', ':::', '=,=']);
}

function randomHash(random, rows) {
  const parts = [];
  const count = 1 + Math.floor(random.next() * 6);
  for (let i = 0; i < count; i++) {
    const [key, good] = random.pick(rows);
    parts.push(`${key}=${value(random, good)}`);
  }
  if (random.next() < 0.1) parts.push(`${random.pick(['bogus', 'opt', ''])}`);
  return parts.join('&');
}

const PLANE_ROWS = [
  ['surface', ['banana', 'quadratic:lambda2=50,angle=30', 'rosenbrock:b=5', 'saddle', 'quadratic:lambda1=0', 'nowhere', 'beale:a=1',
    'formula:x%5E2%2B3*y%5E2', 'formula:min(x,%20y)', 'formula:sqrt(x)', 'formula:(x', 'formula:', 'formula:1']],
  ['camera', ['-35,35', '400,3', '0,90', 'NaN,10', '10']],
  ['start', ['0,0', '-1.5,1.5', '1e8,0', '3', 'NaN,1']],
  ['view', ['-2,2,-1,3', '0,1e-300,0,1e-300', '1,0,0,1', '-1e9,1e9,-1,1']],
  ['steps', ['1', '200', '5000', '5001']],
  ['noise', ['0', '0.5', '1000', '1001']],
  ['seed', ['0', '7', '4294967295']],
  ['mode', ['path', 'race', 'fast']],
  ['speed', ['1', '60', '1000']],
  ['play', ['0', '1']],
  ['opt', ['', 'sgd', 'adam:lr=0.01|sgd:lr=0.1', 'adam:beta1=2', 'momentum:lr=0', 'moons', 'nesterov:lr=0.5,momentum=0.99|lion|newton', 'sgd:noise=1']],
  ['controls', ['lr,momentum', 'chart,play', 'nope']],
];

const NETWORK_ROWS = [
  ['data', ['moons', 'moons:n=3', 'spirals:k=3,n=300', 'blobs:k=8', 'curve', 'moons:k=3', 'xor:n=20000', 'circles:noise=5',
    'noisy-curve', 'two-branches:n=50', 'digits', 'digits:n=5']],
  ['distort', ['100,50,1,0', '1,2,3', '0,0,1,0', '-3,1', '1e7,0,1,0']],
  ['norm', ['standard', 'quantile-uniform', 'quantile-normal', 'minmax']],
  ['hidden', ['6,6', 'none', '64,64,64,64,64,64', '0', '65', '1,2,3,4,5,6,7']],
  ['act', ['tanh', 'relu', 'sigmoid', 'identity', 'swish', 'softmax']],
  ['out', ['softmax', 'sigmoid', 'identity', 'auto', 'mdn', 'gaussian', 'mdn:k=8', 'mdn:k=0']],
  ['init', ['glorot-uniform', 'zero', 'normal:5:junk', 'normal:10', 'constant:200', 'he:3']],
  ['l2', ['0', '0.001', '10', '11']],
  ['opt', ['sgd:lr=0.1', 'adam:lr=0.01', 'newton', 'sgd:noise=1', 'momentum:lr=0', 'rmsprop:centered=true']],
  ['batch', ['1', '10', '500', '10000']],
  ['sched', ['constant', 'plateau:patience=3', 'step:every=0', 'exponential:decay=2']],
  ['early', ['0', '10', '1001']],
  ['restore', ['0', '1', '2']],
  ['val', ['0', '0.2', '0.5', '1']],
  ['seed', ['0', '3', '99999999999']],
  ['speed', ['1', '4', '1000', '1001']],
  ['play', ['0', '1']],
  ['controls', ['train,lr', 'chart,network-view', 'nope']],
];

/** What the optimizer lab runs, what its state says and what its controls show. */
const planeSnapshot = (page) => page.evaluate(() => {
  const { lab, state } = window.gradscape;
  const settings = lab.settings();
  const number = (selector) => document.querySelector(selector)?.value;
  return {
    runs: {
      surface: settings.surface.id,
      steps: settings.steps,
      noise: settings.noise,
      start: settings.start,
      optimizers: settings.optimizers.map((o) => ({ id: o.id, enabled: o.enabled, lr: o.params.lr })),
    },
    state: {
      surface: state.surface.id,
      steps: state.steps,
      noise: state.noise,
      start: state.start,
      optimizers: state.optimizers.map((o) => ({ id: o.id, enabled: o.enabled, lr: o.params.lr })),
    },
    controls: {
      surface: number('#surface-id'),
      steps: Number(number('[data-control="steps"] input[type="number"]')),
      noise: Number(number('[data-control="noise"] input[type="number"]')),
      start: [Number(number('#start-x')), Number(number('#start-y'))],
      optimizers: [...document.querySelectorAll('#optimizer-list > li')].map((li) => ({
        id: li.dataset.optimizer,
        enabled: li.querySelector('input[type="checkbox"]')?.checked ?? !li.classList.contains('disabled'),
        lr: li.querySelector('[data-key="lr"] input[type="number"]') ? Number(li.querySelector('[data-key="lr"] input[type="number"]').value) : undefined,
      })),
    },
  };
});

/** The same for the network lab. */
const networkSnapshot = (page) => page.evaluate(() => {
  const { lab, state } = window.gradscape;
  const setup = lab.setup();
  const pick = (s) => ({
    dataset: s.dataset.id,
    hidden: s.hidden,
    activation: s.activation,
    init: s.init.split(':')[0],
    optimizer: s.optimizer.id,
    lr: s.optimizer.params.lr,
    batch: s.batch,
    l2: s.l2,
  });
  const value = (selector) => document.querySelector(selector)?.value;
  return {
    runs: pick(setup),
    state: pick(state),
    controls: {
      dataset: value('#dataset'),
      hidden: [...document.querySelectorAll('.layers input')].map((i) => Number(i.value)),
      activation: value('#activation'),
      init: value('#init'),
      optimizer: value('#optimizer'),
      lr: Number(value('[data-control="optimizer"] [data-key="lr"] input[type="number"]')),
      batch: Number(value('[data-control="optimizer"] [data-key="batch"] input[type="number"]')),
      l2: Number(value('[data-key="l2"] input[type="number"]')),
    },
  };
});

describe('states that used to break the optimizer lab', () => {
  for (const hash of ['#opt=', '#opt=moons', '#surface=1e309&opt', '#opt=&surface=saddle&mode=race&play=1']) {
    test(`${hash} opens with nothing drawn and says what to do`, async () => {
      const { page, problems } = await session.lab(hash);
      assert.equal(await page.isVisible('#empty'), true);
      assert.match(await page.textContent('#empty'), /Tick one/);
      assert.ok((await canvasPixels(page, '#chart-view canvas')).painted > 1000, 'the chart draws its empty axes');
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('unticking every optimizer, then ticking one, never breaks the page', async () => {
    const { page, problems } = await session.lab();
    for (const box of await page.$$('#optimizer-list .head input[type="checkbox"]:checked')) await box.uncheck();
    await drawn(page);
    assert.equal(await page.isVisible('#empty'), true);
    await page.waitForFunction(() => location.hash.includes('opt=&') || location.hash.endsWith('opt='));
    // The saved link opens, and ticking one draws it.
    const { page: reopened, problems: more } = await session.lab(await page.evaluate(() => location.hash));
    assert.equal(await reopened.isVisible('#empty'), true);
    await reopened.check('#optimizer-2');
    await drawn(reopened);
    assert.equal(await reopened.isVisible('#empty'), false);
    assert.ok((await canvasPixels(reopened, '#surface-view .foreground')).painted > 100);
    assert.deepEqual([...problems, ...more], []);
    await reopened.close();
    await page.close();
  });

  test('a refused value stays in its box, marked, and never reaches the link', async () => {
    const { page, problems } = await session.lab('#opt=adam');
    const beta1 = 'li[data-optimizer="adam"] [data-key="beta1"] input[type="number"]';
    await page.fill(beta1, '2');
    await page.press(beta1, 'Enter');
    await drawn(page);
    assert.equal(await page.getAttribute(beta1, 'aria-invalid'), 'true');
    assert.match(await page.textContent('li[data-optimizer="adam"] [data-key="beta1"] .error'), /beta1 = 2/);
    await page.waitForTimeout(400);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /beta1/);
    assert.equal(await page.evaluate(() => window.gradscape.lab.settings().optimizers.find((o) => o.id === 'adam').params.beta1), 0.9);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a lab squeezed to nothing draws again when it has room', async () => {
    const { page, problems } = await session.lab('', { viewport: { width: 1280, height: 900 } });
    await page.setViewportSize({ width: 40, height: 40 });
    await drawn(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await drawn(page);
    assert.ok((await canvasPixels(page, '#surface-view .foreground')).painted > 100);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('links, fuzzed', () => {
  for (const [name, file, rows, snapshot, module, write] of [
    ['optimizer lab', '', PLANE_ROWS, planeSnapshot, '/js/state.js', 'writeHash'],
    ['network lab', 'networks.html', NETWORK_ROWS, networkSnapshot, '/js/network-state.js', 'writeNetworkHash'],
  ]) {
    test(`${name}: 200 random links, and what runs is what the controls show`, async () => {
      const { page, problems } = await openLab(session.browser, `${session.server.url}/${file}`, { viewport: { width: 1280, height: 900 } });
      const random = generator(name.length);
      for (let i = 0; i < 200; i++) {
        const hash = randomHash(random, rows);
        await follow(page, hash);
        const seen = await snapshot(page);
        assert.deepEqual(seen.state, seen.runs, `#${hash}: the state is what runs`);
        assert.deepEqual(seen.controls, seen.runs, `#${hash}: the controls show what runs`);
        const dom = await page.evaluate(() => ({ scripts: document.scripts.length, bold: document.querySelectorAll('main b').length }));
        assert.deepEqual(dom, { scripts: 1, bold: 0 }, `#${hash}: nothing injected`);
        assert.deepEqual(problems, [], `#${hash}`);
        const written = await page.evaluate(async ([m, w]) => (await import(m))[w](window.gradscape.state, window.gradscape.catalogue), [module, write]);
        assert.ok(written.length < 2000, `#${hash}: the link it writes stays short: ${written.slice(0, 100)}`);
      }
      await page.close();
    });
  }
});

describe('a core that crashes', () => {
  test('says so and reloads the last picture that worked', async () => {
    const { page, problems } = await session.lab('#surface=booth&opt=sgd:lr=0.02');
    await page.waitForFunction(() => location.hash.includes('surface=booth'));
    await page.waitForTimeout(300);
    // A panic inside the core surfaces in JS as a RuntimeError; make the next frame hit one.
    await page.evaluate(() => {
      window.gradscape.lab.draw_chart = () => {
        throw new WebAssembly.RuntimeError('unreachable');
      };
      document.getElementById('surface-id').value = 'rosenbrock';
      document.getElementById('surface-id').dispatchEvent(new Event('change'));
    });
    await page.waitForSelector('#crash');
    assert.match(await page.textContent('#crash'), /Something went wrong/);
    assert.deepEqual(problems, ['page error: unreachable']);
    problems.length = 0;
    await Promise.all([page.waitForEvent('load'), page.click('#reload')]);
    await page.waitForFunction(() => document.getElementById('lab')?.getAttribute('aria-busy') === 'false');
    assert.match(await page.evaluate(() => location.hash), /surface=booth/);
    assert.equal(await page.isVisible('#crash'), false);
    assert.ok((await canvasPixels(page, '#surface-view .foreground')).painted > 100);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('the page and the CLI write the same text', () => {
  const download = async (page, button) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return readFile(await file.path(), 'utf8');
  };

  test('a run\'s iterates as CSV, and a run as JSON', async () => {
    const { page, problems } = await session.lab('#surface=rosenbrock:b=5&start=-1.25,1.5&steps=40&opt=adam:lr=0.07');
    const rows = (await download(page, '#export-csv')).trim().split('\n').slice(1).map((r) => r.split(',').slice(2).join(','));
    const args = ['trace', '--surface', 'rosenbrock:b=5', '--optimizer', 'adam:lr=0.07', '--start', '-1.25,1.5', '--steps', '40'];
    const ours = execFileSync(cli, args).toString().trim().split('\n').slice(1);
    assert.deepEqual(rows, ours);
    const json = JSON.parse(await download(page, '#export-json'));
    const theirs = execFileSync(cli, [...args, '--format', 'json']).toString().trim();
    const [run] = json.runs;
    assert.equal(JSON.stringify({ points: run.points, status: run.status, outcome: run.outcome }), theirs);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a trained model, as the page downloads it and as train --save writes it', async () => {
    const { page, problems } = await openLab(session.browser,
      `${session.server.url}/networks.html#data=moons:n=100,seed=2&hidden=5&opt=adam:lr=0.01&batch=7&val=0.25&seed=3`);
    for (const epoch of [1, 2, 3]) {
      await page.click('#step-epoch');
      await page.waitForFunction((e) => window.gradscape.lab.status().epoch === e, epoch);
    }
    const downloaded = await download(page, '#export-model');
    const dir = await mkdtemp(path.join(tmpdir(), 'gradscape-'));
    const saved = path.join(dir, 'model.json');
    execFileSync(cli, ['train', '--dataset', 'moons:n=100,seed=2', '--hidden', '5', '--optimizer', 'adam:lr=0.01',
      '--batch', '7', '--validation', '0.25', '--seed', '3', '--epochs', '3', '--save', saved]);
    assert.equal(downloaded, await readFile(saved, 'utf8'));
    assert.deepEqual(problems, []);
    await page.close();
  });
});
