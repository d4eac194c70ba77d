// The wasm core as the page sees it: `trace` in Chromium gives PyTorch's numbers,
// reports divergence as a status, and rejects bad input with a readable error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { launch, openPage, repoRoot, serve } from './support.mjs';

// The project's copy of the PyTorch reference trajectories (see crate/tests/golden.rs).
const referencePath = path.join(repoRoot, 'crate', 'tests', 'golden', 'optimizer-trajectories.json');
const reference = JSON.parse(await readFile(referencePath, 'utf8'));

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await serve();
  browser = await launch();
  ({ page, problems } = await openPage(browser, `${server.url}/`));
  // Load the bindings once; each test then calls into the same module instance.
  await page.evaluate(async () => {
    const gradscape = await import('/pkg/optimizer-views/gradscape.js');
    await gradscape.default();
    window.gradscape = gradscape;
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `trace` in the page; the Float64Array comes back as a plain array. */
function trace(surface, optimizer, x, y, steps) {
  return page.evaluate(
    ([surface, optimizer, x, y, steps]) => {
      const { points, status, step } = window.gradscape.trace(surface, optimizer, x, y, steps);
      if (!(points instanceof Float64Array)) throw new Error('points is not a Float64Array');
      return { points: Array.from(points), status, step };
    },
    [surface, optimizer, x, y, steps],
  );
}

const close = (actual, expected) =>
  Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

for (const golden of reference.cases) {
  const [x, y] = golden.start;
  test(`trace matches PyTorch: ${golden.surface}, ${golden.optimizer}`, async () => {
    const result = await trace(golden.surface, golden.optimizer, x, y, golden.steps);
    assert.equal(typeof result.step, 'number');
    assert.equal(result.points.length, 3 * golden.points.length, 'one (x, y, loss) per iterate');
    golden.points.forEach((expected, index) => {
      const actual = result.points.slice(3 * index, 3 * index + 3);
      assert.ok(
        actual.every((value, k) => close(value, expected[k])),
        `iterate ${index}: got [${actual}], PyTorch gives [${expected}]`,
      );
    });
  });
}

test('a step size far too large diverges, and only finite points come back', async () => {
  const result = await trace('rosenbrock', 'sgd:lr=1e6', -1.5, 1.5, 100);
  assert.equal(result.status, 'diverged');
  assert.ok(result.points.length >= 3 && result.points.length % 3 === 0);
  assert.ok(result.points.every(Number.isFinite), 'no NaN or infinity reaches the page');
});

test('an unknown optimizer is an Error that names it', async () => {
  const thrown = await page.evaluate(() => {
    try {
      window.gradscape.trace('rosenbrock', 'bogus', 0, 0, 10);
      return null;
    } catch (error) {
      return { isError: error instanceof Error, message: String(error?.message ?? error) };
    }
  });
  assert.ok(thrown, 'trace should throw');
  assert.ok(thrown.isError, 'the thrown value should be an Error');
  assert.match(thrown.message, /bogus/);
});

test('no console errors, page errors or failed requests', () => {
  assert.deepEqual(problems, []);
});
