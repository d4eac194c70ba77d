// Where the two labs meet: the loss landscape of the network being trained, its path,
// the line from θ₀ to θ, weights picked on the network, and the slice opened in the
// optimizer lab, where every optimizer runs on it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasPixels, drawn, openLab, useBrowser } from './support.mjs';

const session = useBrowser('networks.html');
const { lab } = session;

const XOR = '#data=xor:n=100&hidden=4&opt=sgd:lr=0.3&batch=10';

/** Waits until the landscape's grid is complete; returns its status. */
async function complete(page) {
  await page.waitForFunction(() => window.gradscape.lab.landscape_status()?.complete, null, { timeout: 20000 });
  await drawn(page);
  return page.evaluate(() => window.gradscape.lab.landscape_status());
}

/** The landscape's key in the page's link. */
const linked = (page) => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('landscape'));

/** Waits for the link (written a moment after a change) to hold `expected` as its landscape. */
async function expectLinked(page, expected) {
  await page.waitForFunction((v) => new URLSearchParams(location.hash.slice(1)).get('landscape') === v, expected, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await linked(page), expected);
}

/** How many colours a canvas shows: a picture, not a blank or a note. */
const colours = async (page, selector) => (await canvasPixels(page, selector)).distinct;

/** Trains `epochs` epochs with the page's own button. */
async function trainEpochs(page, epochs) {
  for (let i = 0; i < epochs; i++) await page.click('#step-epoch');
  await drawn(page);
}

describe('the landscape view', () => {
  test('opens from its tab on random directions, fills its grid, and writes its link', async () => {
    const { page, problems } = await lab(XOR);
    assert.equal(await linked(page), null);
    await page.click('#tab-landscape');
    assert.equal(await page.getAttribute('#tab-landscape', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('#landscape-dirs'), 'random');
    const status = await complete(page);
    assert.equal(status.filled, status.cells);
    assert.ok(status.side >= 16 && status.side <= 64, `side ${status.side}`);
    assert.match(await page.textContent('#landscape-note'), new RegExp(`${status.side} × ${status.side} points`));
    assert.ok(await colours(page, '.landscape-canvas canvas') > 50, 'a heatmap shows');
    assert.ok(await colours(page, '.interpolation-canvas canvas') > 3, 'the line from θ₀ shows');
    await expectLinked(page, 'random:seed=1;random:seed=2;1');
    // Another tab: the link no longer opens the landscape, and nothing of it is computed
    // while training moves θ (a fill at the new θ would start again from no cell).
    await page.click('#tab-network');
    await expectLinked(page, null);
    await trainEpochs(page, 2);
    const closed = await page.evaluate(() => window.gradscape.lab.landscape_status());
    assert.deepEqual([closed.complete, closed.filled], [false, status.cells]);
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('follows training: the path grows and the picture moves with θ', async () => {
    const { page, problems } = await lab(`${XOR}&landscape=pca:1;pca:2;2`);
    assert.equal(await page.getAttribute('#tab-landscape', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('#landscape-dirs'), 'pca');
    // PCA needs a path first: the note says so, and nothing breaks.
    await drawn(page);
    assert.match(await page.textContent('#landscape-note'), /epoch/);
    await trainEpochs(page, 5);
    await complete(page);
    assert.match(await page.textContent('#landscape-note'), /\d+ × \d+ points/);
    const before = await canvasPixels(page, '.landscape-canvas canvas');
    await trainEpochs(page, 5);
    await complete(page);
    const after = await canvasPixels(page, '.landscape-canvas canvas');
    assert.notEqual(after.digest, before.digest, 'the slice moved with θ');
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('the span slider and the seed change the slice and the link', async () => {
    const { page, problems } = await lab(`${XOR}&landscape=random:seed=1;random:seed=2;1`);
    await complete(page);
    const before = await canvasPixels(page, '.landscape-canvas canvas');
    await page.focus('#landscape-span');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    await complete(page);
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('landscape') !== 'random:seed=1;random:seed=2;1');
    const [, , span] = (await linked(page)).split(';');
    assert.ok(Number(span) > 1.5, `span ${span}`);
    assert.notEqual((await canvasPixels(page, '.landscape-canvas canvas')).digest, before.digest);
    await page.fill('#landscape-seed', '7');
    await page.dispatchEvent('#landscape-seed', 'change');
    await expectLinked(page, `random:seed=7;random:seed=8;${span}`);
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('two weights picked on the network drawing become the directions', async () => {
    const { page, problems } = await lab(`${XOR}&landscape=random:seed=1;random:seed=2;1`);
    await page.selectOption('#landscape-dirs', 'weights');
    await expectLinked(page, 'W0[0,0];W0[0,1];1');
    await page.click('#landscape-pick');
    assert.equal(await page.getAttribute('#tab-network', 'aria-selected'), 'true');
    assert.match(await page.textContent('#notice'), /for d₁/);
    await drawn(page);
    // Two places on the network drawing over two different parameters, found with the
    // core's own hit test, in CSS pixels.
    const spots = await page.evaluate(() => {
      const canvas = document.querySelector('#network-view canvas');
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const found = new Map();
      for (let v = 0; v < canvas.height; v += 3) {
        for (let u = 0; u < canvas.width; u += 3) {
          const name = window.gradscape.lab.parameter_at(u, v);
          if (name && !found.has(name)) found.set(name, [u / ratio, v / ratio]);
        }
      }
      return [...found.entries()];
    });
    const edge = spots.find(([name]) => name.startsWith('W1'));
    const bias = spots.find(([name]) => name.startsWith('b0'));
    assert.ok(edge && bias, `found ${spots.map(([n]) => n).join(' ')}`);
    const box = await page.locator('#network-view canvas').boundingBox();
    await page.mouse.click(box.x + edge[1][0], box.y + edge[1][1]);
    assert.match(await page.textContent('#notice'), /for d₂/);
    await page.mouse.click(box.x + bias[1][0], box.y + bias[1][1]);
    assert.equal(await page.getAttribute('#tab-landscape', 'aria-selected'), 'true');
    await expectLinked(page, `${edge[0]};${bias[0]};1`);
    assert.equal(await page.inputValue('#landscape-d1'), edge[0]);
    await complete(page);
    // A weight that does not exist is named, and the page goes on.
    await page.fill('#landscape-d2', 'W7[0,0]');
    await page.dispatchEvent('#landscape-d2', 'change');
    await drawn(page);
    assert.match(await page.textContent('#landscape-note'), /W7/);
    await page.fill('#landscape-d2', bias[0]);
    await page.dispatchEvent('#landscape-d2', 'change');
    await complete(page);
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('the landscape presets open on their planes', async () => {
    const { page, problems } = await lab();
    const presets = await page.evaluate(async () => JSON.parse((await import('/pkg/network/gradscape.js')).presets()).filter((p) => p.page?.landscape));
    assert.deepEqual(presets.map((p) => p.title), ['The landscape of XOR', 'Zero init sits on a saddle', 'Sharp vs wide: batch 10 vs full batch']);
    for (const preset of presets) {
      await page.click(`#presets a:text-is("${preset.title}")`);
      await page.waitForFunction((t) => document.getElementById('caption').textContent.startsWith(t), preset.title);
      assert.equal(await page.getAttribute('#tab-landscape', 'aria-selected'), 'true', preset.title);
      const { d1, d2, span: [a, b] } = preset.page.landscape;
      await expectLinked(page, `${d1};${d2};${a === b ? a : `${a},${b}`}`);
      await trainEpochs(page, 2);
      await complete(page);
      assert.ok(await colours(page, '.landscape-canvas canvas') > 50, preset.title);
    }
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('a hostile landscape key is named and the rest of the link opens', async () => {
    for (const bad of ['nonsense', 'W0[0,0];W0[0,1];-1', 'W0[0,0];;1', 'W0[0,0];W0[0,1];1,2,3']) {
      const { page, problems } = await lab(`${XOR}&landscape=${encodeURIComponent(bad)}`);
      assert.match(await page.textContent('#notice'), /landscape/, bad);
      assert.equal(await page.getAttribute('#tab-landscape', 'aria-selected'), 'false', bad);
      await page.close();
      assert.deepEqual(problems, []);
    }
    // A direction the core refuses is named in the view.
    const { page, problems } = await lab(`${XOR}&landscape=W0[9,9];b5[0];1`);
    await drawn(page);
    assert.match(await page.textContent('#landscape-note'), /W0\[9,9\]|layer|row/);
    await trainEpochs(page, 1);
    await page.close();
    assert.deepEqual(problems, []);
  });

  test('in an embed named by controls=landscape', async () => {
    const url = `${session.server.url}/network-embed.html${XOR}&landscape=random:seed=1;random:seed=2;1&controls=landscape,train`;
    const { page, problems } = await openLab(session.browser, url, { viewport: { width: 960, height: 540 } });
    assert.ok(await page.isVisible('#landscape-view'));
    await complete(page);
    assert.ok(await colours(page, '.landscape-canvas canvas') > 50);
    await page.close();
    assert.deepEqual(problems, []);
  });
});

describe('the slice in the optimizer lab', () => {
  test('opens from the network lab and runs every optimizer on it', async () => {
    const { page, problems } = await lab(`${XOR}&landscape=random:seed=1;random:seed=2;1`);
    await trainEpochs(page, 3);
    const [opened] = await Promise.all([page.context().waitForEvent('page'), page.click('#landscape-open')]);
    const optimizerProblems = [];
    opened.on('pageerror', (error) => optimizerProblems.push(error.message));
    opened.on('console', (m) => m.type() === 'error' && optimizerProblems.push(m.text()));
    await opened.waitForFunction(() => document.getElementById('lab')?.getAttribute('aria-busy') === 'false', null, { timeout: 20000 });
    await drawn(opened);
    assert.match(opened.url(), /index\.html#surface=slice/);
    // Gradient descent, momentum and Adam at the run's own learning rate, the network's scale.
    assert.ok(opened.url().endsWith('&opt=sgd:lr=0.3|momentum:lr=0.3|adam:lr=0.3'), opened.url());
    assert.equal(await opened.evaluate(() => window.gradscape.state.surface.id), 'slice');
    assert.ok(await opened.isHidden('#notice'), await opened.textContent('#notice'));
    const moved = await opened.evaluate(() => [0, 1, 2].map((i) => {
      const xyf = window.gradscape.lab.iterates(i); // x₀, y₀, f₀, x₁, …
      return Math.hypot(xyf.at(-3) - xyf[0], xyf.at(-2) - xyf[1]);
    }));
    assert.ok(moved.every((d) => d > 1e-3), `every optimizer moves on the slice: ${moved}`);
    await opened.close();
    await page.close();
    assert.deepEqual(problems, []);
    assert.deepEqual(optimizerProblems, []);
  });
});
