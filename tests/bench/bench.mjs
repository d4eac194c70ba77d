// `cargo xtask bench`: the page's own code in headless Chromium, timed against peers in
// the same run. Prints a Markdown table (median and p95 over the repetitions).

import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { launch, openLab, repoRoot, serve } from '../support.mjs';

const REPEAT = 100;

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (x) => `${x.toFixed(2)} ms`;
const rows = [];
const row = (what, samples, goal, note = '') =>
  rows.push([what, ms(quantile(samples, 0.5)), ms(quantile(samples, 0.95)), goal, note]);

const server = await serve();
const browser = await launch();
const { page } = await openLab(browser, `${server.url}/`, { viewport: { width: 1280, height: 900 } });

// 1. Dragging: six optimizers, 1000 steps each, on Rosenbrock.
const drag = await page.evaluate((repeat) => {
  const { lab, state, draw } = window.gradscape;
  const six = {
    sgd: { lr: 0.001 }, momentum: { lr: 0.001, momentum: 0.9 }, nesterov: { lr: 0.001, momentum: 0.9 },
    rmsprop: { lr: 0.01 }, adam: { lr: 0.02 }, adagrad: { lr: 0.1 },
  };
  document.getElementById('surface-id').value = 'rosenbrock';
  document.getElementById('surface-id').dispatchEvent(new Event('change'));
  for (const o of state.optimizers) {
    o.enabled = o.id in six;
    Object.assign(o.params, six[o.id] ?? {});
  }
  lab.set_optimizers(state.optimizers.map((o) => ({ id: o.id, params: o.params, enabled: o.enabled })));
  lab.set_steps(1000);
  state.steps = 1000;
  const statuses = lab.statuses().filter((_, i) => state.optimizers[i].enabled);
  const start = [], slider = [];
  const input = document.querySelector('li[data-optimizer="momentum"] [data-key="lr"] input[type="range"]');
  for (let i = 0; i < repeat; i++) {
    // The start point dragged: every path recomputed, then drawn.
    let t = performance.now();
    lab.set_start(-1.5 + 0.001 * i, 1.5);
    draw();
    start.push(performance.now() - t);
    // The momentum lr slider dragged, through the page's own input handler.
    input.value = String(300 + (i % 50));
    t = performance.now();
    input.dispatchEvent(new Event('input'));
    draw();
    slider.push(performance.now() - t);
  }
  return { start, slider, iterates: statuses.map((s) => s.iterates) };
}, REPEAT);
row('drag the start: 6 optimizers × 1000 steps recomputed, paths and chart redrawn', drag.start, 'median ≤ 4 ms, p95 ≤ 8 ms',
  `iterates per path: ${drag.iterates.join(', ')}`);
row('drag a slider: 1 optimizer recomputed, paths and chart redrawn', drag.slider, '');

// 2. The background at 800×800 device pixels, and contouring against d3-contour.
for (const file of ['d3-array/dist/d3-array.min.js', 'd3-contour/dist/d3-contour.min.js']) {
  await page.addScriptTag({ path: path.join(repoRoot, 'tests', 'node_modules', file) });
}
const background = await page.evaluate(async (repeat) => {
  const { lab } = window.gradscape;
  const { contour_vertices } = await import('/pkg/gradscape.js');
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 800;
  const full = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    lab.draw_background(canvas, 1);
    full.push(performance.now() - t);
  }
  // The grid the page contours: Rosenbrock on 200 × 200 cell centres, log-scaled, and
  // 15 levels evenly spaced on that scale.
  const n = 200;
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = -2 + ((i + 0.5) / n) * 4, y = -1 + ((j + 0.5) / n) * 4;
      values[j * n + i] = Math.log((1 - x) ** 2 + 100 * (y - x * x) ** 2 + 1e-3);
    }
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const thresholds = Array.from({ length: 15 }, (_, k) => lo + ((k + 1) / 16) * (hi - lo));
  const ours = [], theirs = [];
  const generator = d3.contours().size([n, n]).thresholds(thresholds);
  let vertices = [0, 0];
  for (let i = 0; i < repeat; i++) {
    let t = performance.now();
    vertices[0] = contour_vertices(values, n, n, Float64Array.from(thresholds));
    ours.push(performance.now() - t);
    t = performance.now();
    const shapes = generator(values);
    theirs.push(performance.now() - t);
    vertices[1] = shapes.reduce((a, s) => a + s.coordinates.flat(2).length, 0);
  }
  return { full, ours, theirs, vertices };
}, REPEAT);
row('background at 800×800 device px: heatmap + 15 contour levels + axes', background.full, '≤ 30 ms');
row('contour lines, 15 levels on the 200×200 grid (contour crate, wasm)', background.ours, '',
  `${background.vertices[0]} vertices`);
row('the same with d3-contour (JS, filled contours)', background.theirs, '',
  `${background.vertices[1]} vertices (as polygons); ${(quantile(background.theirs, 0.5) / quantile(background.ours, 0.5)).toFixed(1)}× our median time`);
await page.close();

// 3. What a first visit downloads, and how soon the surface is drawn.
const loads = [];
let bytes = null;
for (let i = 0; i < 20; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const bodies = [];
  page.on('response', (response) => bodies.push(response.body().then((b) => [response.url(), b]).catch(() => null)));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => performance.getEntriesByName('gradscape:first-draw').length > 0);
  loads.push(await page.evaluate(() => performance.getEntriesByName('gradscape:first-draw')[0].startTime));
  if (!bytes) {
    const files = (await Promise.all(bodies)).filter(Boolean);
    bytes = files.reduce((a, [, body]) => a + gzipSync(body, { level: 9 }).length, 0);
    bytes = { total: bytes, files: files.length };
  }
  await page.close();
}
rows.push(['page weight: everything the page loads, gzip -9', `${(bytes.total / 1024).toFixed(1)} KiB`, '', '≤ 250 KB', `${bytes.files} files`]);
row('navigation to the first drawn surface', loads, '');

await browser.close();
await server.close();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${browser.version ? `Chromium ${browser.version()}` : ''}; ${REPEAT} repetitions\n`);
console.log('| measure | median | p95 | goal | notes |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
