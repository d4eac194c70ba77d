// The optimizer lab's *why*, as a student uses it: the rate map beside the surface
// (clicked to set η and γ, following the sliders, filling in without blocking them), a
// step explained with its numbers, the error along the eigendirections, tuning, and a
// cloud of noisy runs. Each preset that opens them is followed from its chip.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { canvasPixels, drawn, repoRoot, useBrowser } from './support.mjs';

const FOREGROUND = '#surface-view .foreground';
const PANEL = '#analysis canvas:not(.layer)';
const MARKER = '#analysis canvas.layer';
const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const session = useBrowser();
before(() => mkdir(artifacts, { recursive: true }));

const LAPTOP = { viewport: { width: 1366, height: 768 } };
const cli = process.env.GRADSCAPE_CLI ?? path.join(repoRoot, 'target', 'debug', 'gradscape');
const number = (optimizer, key) => `li[data-optimizer="${optimizer}"] [data-key="${key}"] input[type="number"]`;

/** The core's build with the panels loaded (the page fetches it when one is first shown), then a frame drawn. */
async function withViews(page) {
  await page.evaluate(() => window.gradscape.views());
  await drawn(page);
}

/** The lab at a laptop's size, on the preset titled `title`, followed from its chip. */
async function preset(title) {
  const opened = await session.lab('', LAPTOP);
  await opened.page.click(`#presets a:text-is("${title}")`);
  await opened.page.waitForFunction((t) => document.getElementById('caption').textContent.startsWith(`${t}:`), title);
  await withViews(opened.page);
  return opened;
}

/**
 * Waits until the rate map has every cell: the panels' build of the core loaded, the map
 * started on the frame after, then filled in.
 */
const mapDone = (page) => page.waitForFunction(() => {
  try {
    return window.gradscape.lab.rate_map_info().done;
  } catch {
    return false; // not started yet
  }
});

describe('the rate map', () => {
  test("Distill's rate map: the optimum, a click that sets η and γ, a marker that follows the sliders", async () => {
    const { page, problems } = await preset("Distill's rate map");
    assert.equal(await page.isVisible('#analysis'), true);
    assert.equal(await page.getAttribute('#panel-rates', 'aria-selected'), 'true');
    await mapDone(page);
    await drawn(page);
    assert.equal(await page.textContent('#rate-optimum'), 'optimum: η* = 0.0614, γ* = 0.566, rate 0.752');
    assert.equal(await page.isChecked('#rate-empirical'), false, 'a quadratic has the closed form');
    await page.screenshot({ path: path.join(artifacts, 'rate-map-1366x768.png') });
    // A click on the map sets momentum's η and γ to the cell under the pointer.
    const box = await page.locator(PANEL).boundingBox();
    const ratio = await page.evaluate(() => devicePixelRatio);
    const [u, v] = [box.x + box.width * 0.3, box.y + box.height * 0.4];
    const expected = await page.evaluate(([x, y, r, left, top]) => window.gradscape.lab.rate_map_at((x - left) * r, (y - top) * r),
      [u, v, ratio, box.x, box.y]);
    const before = await canvasPixels(page, FOREGROUND);
    await page.mouse.click(u, v);
    await drawn(page);
    const momentum = await page.evaluate(() => window.gradscape.state.optimizers.find((o) => o.id === 'momentum').params);
    assert.equal(momentum.lr, Number(expected[0].toPrecision(3)));
    assert.equal(momentum.momentum, Number(expected[1].toPrecision(3)));
    assert.equal(Number(await page.inputValue(number('momentum', 'lr'))), momentum.lr, 'the slider followed');
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, before.digest, 'the path followed');
    await page.waitForFunction((text) => location.hash.includes(text), `,momentum=${momentum.momentum}`); // the link keeps it
    // A slider moves the marker.
    const [map, marker] = [await canvasPixels(page, PANEL), await canvasPixels(page, MARKER)];
    await page.fill(number('momentum', 'momentum'), '0.2');
    await drawn(page);
    assert.notEqual((await canvasPixels(page, MARKER)).digest, marker.digest, 'the marker moved');
    assert.equal((await canvasPixels(page, PANEL)).digest, map.digest, 'the map stayed as it was');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the rate map downloads as the CLI writes it, and as SVG and PNG', async () => {
    const { page, problems } = await preset("Distill's rate map");
    await mapDone(page);
    const download = async (button) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      return [file.suggestedFilename(), await readFile(await file.path(), 'utf8')];
    };
    const [name, csv] = await download('#export-rates-csv');
    assert.equal(name, 'gradscape-rates.csv');
    const theirs = execFileSync(cli, ['rates', '--surface', 'quadratic:lambda2=50,angle=30', '--optimizer', 'momentum',
      '--start', '-2.5,2', '--steps', '150', '--grid', '64']).toString();
    assert.equal(csv, theirs, 'the same numbers as gradscape rates');
    const [, svg] = await download('#export-rates-svg');
    assert.match(svg, /^<svg[^>]*>/);
    assert.match(svg, /learning rate η/);
    assert.equal((await download('#export-rates-png'))[0], 'gradscape-rates.png');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("from a first visit, the rate map's SVG opens the panel, loads it and exports the map so far", async () => {
    const { page, problems } = await session.lab('#surface=quadratic&steps=50&opt=momentum', LAPTOP);
    assert.equal(await page.isVisible('#analysis'), false);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-rates-svg')]);
    assert.equal(file.suggestedFilename(), 'gradscape-rates.svg');
    assert.match(await readFile(await file.path(), 'utf8'), /learning rate η/);
    assert.equal(await page.isVisible('#analysis'), true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('off a quadratic the map is measured from runs, coarse first, and the sliders stay live while it fills in', async () => {
    const { page, problems } = await session.lab('#surface=rosenbrock&steps=500&opt=momentum:lr=0.001&panel=rates', LAPTOP);
    await mapDone(page);
    const info = await page.evaluate(() => window.gradscape.lab.rate_map_info());
    assert.equal(info.empirical, true);
    assert.equal(await page.isChecked('#rate-empirical'), true);
    assert.equal(await page.isDisabled('#rate-empirical'), true, 'no closed form to switch back to');
    // New steps start the map again; it fills in over frames while a slider stays live.
    await page.fill('[data-control="steps"] input[type="number"]', '400');
    await drawn(page);
    const filling = await page.evaluate(() => window.gradscape.lab.rate_map_info());
    assert.ok(filling.computed > 0 && !filling.done, `a first, coarse picture: ${filling.computed} of ${filling.columns * filling.rows} cells`);
    const before = await canvasPixels(page, FOREGROUND);
    await page.fill(number('momentum', 'lr'), '0.0005');
    await drawn(page);
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, before.digest, 'the path follows at once');
    await mapDone(page);
    // Nesterov, from the switch; the link says so.
    await page.click('label:has(input[name="rate-method"][value="nesterov"])');
    await drawn(page);
    assert.equal((await page.evaluate(() => window.gradscape.lab.rate_map_info())).method, 'nesterov');
    await page.waitForFunction(() => /rates=nesterov(&|$)/.test(location.hash)); // from runs by force, not by choice
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('a step explained', () => {
  test("Nesterov's look-ahead: → steps, the narration gives the numbers, the overlay is drawn", async () => {
    const { page, problems } = await preset("Nesterov's look-ahead, step by step");
    assert.equal(await page.getAttribute('#explain', 'aria-pressed'), 'true');
    assert.equal(await page.inputValue('#explain-which'), '1');
    assert.match(await page.textContent('#narration'), /^Step 0 → 1: θ − γm = \(.+\); m ← γm \+ η∇L\(θ − γm\) = /);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await drawn(page);
    const narration = await page.textContent('#narration');
    assert.match(narration, /^Step 2 → 3: /);
    const anatomy = await page.evaluate(() => window.gradscape.lab.anatomy(1, 2));
    assert.ok(narration.endsWith(anatomy.narration));
    assert.deepEqual(anatomy.look_ahead.length, 2);
    const on = await canvasPixels(page, FOREGROUND);
    await page.click('#explain');
    await drawn(page);
    assert.equal(await page.isHidden('#narration'), true);
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, on.digest, 'the overlay went with it');
    await page.waitForFunction(() => !location.hash.includes('explain='));
    await page.screenshot({ path: path.join(artifacts, 'explain-1366x768.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('hovering an iterate reads out the Hessian there', async () => {
    const { page, problems } = await session.lab('#surface=quadratic:lambda2=10&start=-2.5,2&opt=sgd:lr=0.05', LAPTOP);
    // Iterate 5's pixel, from the view's affine map (point_at, inverted).
    const [u, v] = await page.evaluate(() => {
      const { lab } = window.gradscape;
      const box = document.querySelector('#surface-view .foreground').getBoundingClientRect();
      const [x0, y0] = lab.point_at(0, 0);
      const [x1, y1] = lab.point_at(100, 100);
      const [x, y] = lab.iterates(0).slice(15, 17);
      const ratio = devicePixelRatio;
      return [box.left + ((x - x0) / (x1 - x0)) * 100 / ratio, box.top + ((y - y0) / (y1 - y0)) * 100 / ratio];
    });
    await page.mouse.move(u, v);
    await drawn(page);
    assert.match(await page.textContent('#readout'), /^iteration 5 — sgd: .* — Hessian there: λ = 1, 10 · κ = 10$/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('eigendirections, tuning and the cloud', () => {
  test('the error along each eigenvector is charted beside the surface', async () => {
    const { page, problems } = await session.lab('#surface=quadratic:lambda2=10,angle=30&start=-2.5,2&steps=60&opt=sgd:lr=0.05|momentum:lr=0.05&panel=eigen', LAPTOP);
    await withViews(page);
    const colours = await page.evaluate(() => window.gradscape.lab.styles().slice(0, 2).map((s) => s.colour));
    const { counts } = await canvasPixels(page, PANEL, colours);
    assert.ok(counts[1] > 50, `momentum's lines: ${counts}`);
    assert.match(await page.evaluate(() => window.gradscape.lab.eigen_error_csv()), /^optimizer,step,u1,u2\nsgd,0,/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('tune sets each shown optimizer to its best η, and the chart shows the curves', async () => {
    const { page, problems } = await session.lab('#surface=rosenbrock&steps=500&opt=sgd|momentum|adam&panel=tune', LAPTOP);
    await withViews(page);
    await page.click('#tune');
    await drawn(page);
    const tuned = await page.evaluate(() => window.gradscape.lab.tune(1e-5, 10, 25));
    const lrs = await page.evaluate(() => window.gradscape.state.optimizers.filter((o) => o.enabled).map((o) => o.params.lr));
    assert.deepEqual(lrs, tuned.map((t) => Number(t.best.lr.toPrecision(3))));
    assert.match(await page.textContent('#tuned'), /^sgd: η = 0\.00316 \(f = .+\) · momentum: η = 0\.00178 .* · adam: η = 1\.78 /);
    assert.ok((await canvasPixels(page, PANEL)).painted > 1000);
    await page.screenshot({ path: path.join(artifacts, 'tune-1366x768.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('Noisy SGD: the cloud fills in run by run and the link reproduces it', async () => {
    const { page, problems } = await preset('Noisy SGD: the cloud');
    await page.waitForFunction(() => window.gradscape.lab.cloud_info().done);
    await drawn(page);
    const csv = await page.evaluate(() => window.gradscape.lab.cloud_csv());
    assert.equal(csv.trim().split('\n').length - 1, 2 * 50 * 151);
    const { page: again } = await session.lab(`#${page.url().split('#')[1]}`, LAPTOP);
    await withViews(again); // which has the CSV export, and starts the cloud again
    await again.waitForFunction(() => window.gradscape.lab.cloud_info().done);
    assert.equal(await again.evaluate(() => window.gradscape.lab.cloud_csv()), csv, 'the same cloud from the link');
    await page.screenshot({ path: path.join(artifacts, 'cloud-1366x768.png') });
    assert.deepEqual(problems, []);
    await again.close();
    await page.close();
  });
});
