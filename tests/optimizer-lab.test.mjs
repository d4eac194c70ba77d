// The optimizer lab as a student uses it: sliders by keyboard and mouse, dragging the
// start point, race mode, divergence, the chart's series, phone and projector sizes.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { canvasPixels, drawn, repoRoot, useBrowser } from './support.mjs';

const FOREGROUND = '#surface-view .foreground';
const BACKGROUND = '#surface-view .background';
const CHART = '#chart-view canvas';
const artifacts = path.join(repoRoot, 'tests', 'artifacts');

const session = useBrowser();
before(() => mkdir(artifacts, { recursive: true }));

/** A fresh lab at a laptop's size; every test checks its page stayed error-free. */
const lab = (options = {}) => session.lab('', options);

const slider = (optimizer, key) => `li[data-optimizer="${optimizer}"] [data-key="${key}"] input[type="range"]`;
const number = (optimizer, key) => `li[data-optimizer="${optimizer}"] [data-key="${key}"] input[type="number"]`;

describe('the optimizer lab', () => {
  test('draws the surface, the paths and the chart', async () => {
    const { page, problems } = await lab();
    const background = await canvasPixels(page, BACKGROUND);
    const foreground = await canvasPixels(page, FOREGROUND);
    assert.equal(background.painted, background.width * background.height, 'opaque background');
    assert.ok(foreground.painted > 1000, 'paths are drawn');
    assert.ok(foreground.painted < foreground.width * foreground.height / 2, 'foreground is mostly clear');
    await page.screenshot({ path: path.join(artifacts, 'optimizer-lab.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the learning-rate slider moves by keyboard and every step redraws the paths', async () => {
    const { page, problems } = await lab();
    const before = await canvasPixels(page, FOREGROUND);
    await page.focus(slider('sgd', 'lr'));
    const seen = new Set([before.digest]);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowRight');
      await drawn(page);
      seen.add((await canvasPixels(page, FOREGROUND)).digest);
    }
    assert.equal(seen.size, 6, 'each key press gives a new picture');
    const lr = Number(await page.inputValue(number('sgd', 'lr')));
    assert.ok(lr > 0.002, `lr went up: ${lr}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the learning-rate slider follows the mouse while it is dragged', async () => {
    const { page, problems } = await lab();
    const box = await page.locator(slider('momentum', 'lr')).boundingBox();
    const y = box.y + box.height / 2;
    const before = await canvasPixels(page, FOREGROUND);
    await page.mouse.move(box.x + box.width * 0.43, y);
    await page.mouse.down();
    const digests = new Set();
    for (const fraction of [0.3, 0.2, 0.1]) {
      await page.mouse.move(box.x + box.width * fraction, y, { steps: 3 });
      await drawn(page);
      digests.add((await canvasPixels(page, FOREGROUND)).digest);
    }
    await page.mouse.up();
    assert.ok(!digests.has(before.digest) && digests.size === 3, 'the paths change during the drag');
    const lr = Number(await page.inputValue(number('momentum', 'lr')));
    assert.ok(lr < 1e-3, `dragging left lowers lr: ${lr}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('dragging the start point moves every path', async () => {
    const { page, problems } = await lab();
    const start = await page.evaluate(() => window.gradscape.state.start);
    const canvas = await page.locator(FOREGROUND).boundingBox();
    const before = await canvasPixels(page, FOREGROUND);
    // From the middle of the plot towards its lower left.
    await page.mouse.move(canvas.x + canvas.width * 0.55, canvas.y + canvas.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.3, canvas.y + canvas.height * 0.7, { steps: 5 });
    await page.mouse.up();
    await drawn(page);
    const moved = await page.evaluate(() => window.gradscape.state.start);
    assert.notDeepEqual(moved, start);
    assert.ok(moved[0] < 0 && moved[1] < 0.5, `the start followed the pointer: ${moved}`);
    assert.equal(Number(await page.inputValue('#start-x')).toFixed(2), moved[0].toFixed(2));
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, before.digest);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('race mode advances while playing and stops when paused', async () => {
    const { page, problems } = await lab();
    await page.check('input[name="mode"][value="race"]');
    assert.equal(await page.isVisible('#play'), true);
    const frame = () => page.evaluate(() => document.getElementById('frame').textContent);
    assert.match(await frame(), /^iterate 0 \//);
    const still = await canvasPixels(page, FOREGROUND);
    await page.click('#play');
    await page.waitForTimeout(700);
    const playing = await frame();
    assert.doesNotMatch(playing, /^iterate 0 \//, 'the race has moved on');
    await page.click('#play'); // pause
    const paused = await frame();
    await page.waitForTimeout(400);
    assert.equal(await frame(), paused, 'nothing moves while paused');
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, still.digest);
    await page.click('#step');
    const [, k] = (await frame()).match(/^iterate (\d+)/);
    assert.equal(Number(k), Number(paused.match(/^iterate (\d+)/)[1]) + 1);
    await page.click('#reset');
    assert.match(await frame(), /^iterate 0 \//);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an enormous learning rate says it diverged, beside the figure, and nothing breaks', async () => {
    const { page, problems } = await lab();
    await page.fill(number('sgd', 'lr'), '1e6');
    await drawn(page);
    const run = page.locator('#legend li.diverged[data-optimizer="sgd"]');
    assert.match(await run.textContent(), /^sgd η=1000000diverged at step \d+$/);
    assert.match(await page.textContent('li[data-optimizer="sgd"] .status'), /diverged at step/);
    // A value the core rejects is named next to its control, and the page keeps working.
    await page.fill(number('adam', 'beta1'), '1.5');
    assert.match(await page.textContent('li[data-optimizer="adam"] [data-key="beta1"] .error'),
      /beta1 = 1.5 is out of range; it must be in \[0, 1\)/);
    await page.fill(number('adam', 'beta1'), '0.8');
    assert.equal(await page.textContent('li[data-optimizer="adam"] [data-key="beta1"] .error'), '');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the chart has one series per enabled optimizer', async () => {
    const { page, problems } = await lab();
    const palette = await page.evaluate(() => window.gradscape.lab.styles().map((s) => s.colour));
    const ids = await page.evaluate(() => window.gradscape.state.optimizers.map((o) => o.id));
    // SGD's black is also the axes' colour: its series is what leaves with it.
    const black = ids.indexOf('sgd');
    assert.equal(palette[black], '#000000');
    const counts = async () => (await canvasPixels(page, CHART, palette.slice(0, ids.length))).counts;
    const series = (counts) => ids.filter((_, i) => i !== black && counts[i] > 20);
    const before = await counts();
    assert.deepEqual(series(before), ['momentum', 'nesterov', 'adam']);
    await page.check('li[data-optimizer="rmsprop"] input[type="checkbox"]');
    await page.uncheck('li[data-optimizer="sgd"] input[type="checkbox"]');
    await drawn(page);
    const after = await counts();
    assert.deepEqual(series(after), ['momentum', 'nesterov', 'rmsprop', 'adam']);
    assert.ok(before[black] - after[black] > 20, `SGD's series went: ${before[black]} → ${after[black]} black pixels`);
    const legend = await page.$$eval('#legend li', (items) => items.map((li) => li.textContent));
    assert.deepEqual(legend.map((text) => text.split(' ')[0]), ['momentum', 'nesterov', 'rmsprop', 'adam']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('every surface draws, with its own parameters', async () => {
    const { page, problems } = await lab();
    const ids = await page.$$eval('#surface-id option', (options) => options.map((o) => o.value));
    assert.deepEqual(ids, await page.evaluate(() => window.gradscape.catalogue.surfaces.map((e) => e.id)));
    assert.ok(ids.includes('formula') && ids.includes('slice') && ids.length === 12, ids.join());
    const digests = new Set();
    for (const id of ids) {
      await page.selectOption('#surface-id', id);
      // A typed formula and a network's slice are made by the views' build of the core, which the page fetches first.
      if (id === 'formula' || id === 'slice') await page.waitForFunction((wanted) => window.gradscape.state.surface.id === wanted, id);
      await drawn(page);
      digests.add((await canvasPixels(page, BACKGROUND)).digest);
    }
    assert.equal(digests.size, ids.length, 'each surface looks different');
    await page.selectOption('#surface-id', 'quadratic');
    await page.fill('#surface-params [data-key="angle"] input[type="number"]', '45');
    await drawn(page);
    assert.deepEqual(await page.evaluate(() => window.gradscape.state.surface.params.angle), 45);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('hovering an iterate on the chart or the surface highlights it in both', async () => {
    const { page, problems } = await lab();
    await page.locator(CHART).scrollIntoViewIfNeeded();
    const chart = await page.locator(CHART).boundingBox();
    const before = await canvasPixels(page, FOREGROUND);
    await page.mouse.move(chart.x + chart.width * 0.5, chart.y + chart.height * 0.5);
    await drawn(page);
    const readout = await page.textContent('#readout');
    assert.match(readout, /^iteration \d+ — sgd: f = .* · momentum: f = .* · nesterov: f = .* · adam: f = /);
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, before.digest, 'marked on the paths');
    // On the surface: the start point, iterate 0 of every path.
    const start = await page.evaluate(() => {
      const { lab, state } = window.gradscape;
      return Array.from(lab.iterates(state.optimizers.findIndex((o) => o.id === 'adam')).slice(0, 2));
    });
    const plot = await page.evaluate(([x, y]) => {
      const canvas = document.querySelector('#surface-view .foreground');
      const box = canvas.getBoundingClientRect();
      // Find the pixel of the start by asking the core where pixels are.
      const ratio = canvas.width / box.width;
      let best = null;
      for (let u = 0; u < box.width; u += 2) {
        for (let v = 0; v < box.height; v += 2) {
          const [px, py] = window.gradscape.lab.point_at(u * ratio, v * ratio);
          const d = Math.hypot(px - x, py - y);
          if (!best || d < best.d) best = { d, u: box.left + u, v: box.top + v };
        }
      }
      return best;
    }, start);
    const chartBefore = await canvasPixels(page, CHART);
    await page.mouse.move(plot.u, plot.v);
    await drawn(page);
    assert.match(await page.textContent('#readout'), /^iteration 0 — /);
    assert.notEqual((await canvasPixels(page, CHART)).digest, chartBefore.digest, 'marked on the chart');
    await page.mouse.move(5, 5);
    await drawn(page);
    assert.equal(await page.textContent('#readout'), '');
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const [width, height] of [[375, 667], [1920, 1080]]) {
    test(`works at ${width}×${height}`, async () => {
      const { page, problems } = await lab({ viewport: { width, height }, deviceScaleFactor: 2 });
      const layout = await page.evaluate(() => {
        const canvas = document.querySelector('#surface-view .foreground');
        const box = canvas.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          box: { width: box.width, height: box.height },
          backing: { width: canvas.width, height: canvas.height },
        };
      });
      assert.ok(layout.scrollWidth <= layout.innerWidth, 'no sideways scrolling');
      assert.ok(layout.box.width >= Math.min(width, 1920) * 0.3 && layout.box.height > 200);
      assert.equal(layout.backing.width, Math.round(layout.box.width * 2), 'sharp on a 2× screen');
      // Every control can be reached: the last optimizer's, far down on a phone.
      await page.check('li[data-optimizer="newton"] input[type="checkbox"]');
      assert.equal(await page.isVisible(number('newton', 'lr')), true);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
