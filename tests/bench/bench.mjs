// `cargo xtask bench`: the page's own code in headless Chromium, timed against peers in
// the same run. Prints a Markdown table (median and p95 over the repetitions).

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

// 1b. The same slider with the rate map beside the surface, filled in: the paths, the
// chart and the map's marker redrawn on every input event.
const withMap = await page.evaluate(async (repeat) => {
  const { lab, draw } = window.gradscape;
  document.getElementById('why').click();
  // The map starts once the panel has a size, and fills in over the next frames.
  const filled = () => {
    try {
      return lab.rate_map_info().done;
    } catch {
      return false;
    }
  };
  while (!filled()) await new Promise((r) => requestAnimationFrame(r));
  const input = document.querySelector('li[data-optimizer="momentum"] [data-key="lr"] input[type="range"]');
  const times = [];
  for (let i = 0; i < repeat; i++) {
    input.value = String(300 + (i % 50));
    const t = performance.now();
    input.dispatchEvent(new Event('input'));
    draw();
    times.push(performance.now() - t);
  }
  document.getElementById('why').click();
  return times;
}, REPEAT);
row('the same with the rate map (64×64, from runs) beside the surface: paths, chart and map redrawn', withMap, 'median ≤ 4 ms');

// 2. The background at 800×800 device pixels, and contouring against d3-contour.
for (const file of ['d3-array/dist/d3-array.min.js', 'd3-contour/dist/d3-contour.min.js']) {
  await page.addScriptTag({ path: path.join(repoRoot, 'tests', 'node_modules', file) });
}
const background = await page.evaluate(async (repeat) => {
  const { lab } = window.gradscape;
  const { contour_vertices } = await import('/pkg/optimizers/gradscape.js');
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
row('contour polygons, 15 levels on the 200×200 grid (contour crate, wasm)', background.ours, '',
  `${background.vertices[0]} vertices`);
row('the same polygons with d3-contour (JS)', background.theirs, '',
  `${background.vertices[1]} vertices; ${(quantile(background.theirs, 0.5) / quantile(background.ours, 0.5)).toFixed(1)}× our median time`);

// 2a. A typed formula's background against the built-in surface it spells: Rastrigin at
// 800×800 device pixels, both in Rastrigin's view, each in a lab of its own, drawn in
// turns through the wasm boundary.
const typed = await page.evaluate(async (repeat) => {
  const { OptimizerLab } = await import('/pkg/optimizer-views/gradscape.js'); // the build that parses formulas
  const view = { x: [-5.12, 5.12], y: [-5.12, 5.12] };
  const open = (surface) => {
    const lab = new OptimizerLab();
    const { problems } = lab.set_state({ surface, view, optimizers: [] });
    if (problems.length > 0) throw new Error(JSON.stringify(problems));
    return lab;
  };
  const labs = {
    builtIn: open('rastrigin'),
    formula: open({ id: 'formula', params: { f: '20+x^2-10*cos(2*pi*x)+y^2-10*cos(2*pi*y)' } }),
  };
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 800;
  const times = { builtIn: [], formula: [] };
  for (let i = 0; i < repeat; i++) {
    for (const name of ['builtIn', 'formula']) {
      const t = performance.now();
      labs[name].draw_background(canvas, 1);
      times[name].push(performance.now() - t);
    }
  }
  const minima = labs.formula.surface_info().critical_points.filter((c) => c.kind === 'minimum').length;
  Object.values(labs).forEach((lab) => lab.free());
  return { ...times, minima };
}, REPEAT);
row('background of the built-in rastrigin at 800×800 device px', typed.builtIn, '');
row('the same for the typed formula 20+x^2-10*cos(2*pi*x)+y^2-10*cos(2*pi*y)', typed.formula, '≤ 2× the built-in',
  `${(quantile(typed.formula, 0.5) / quantile(typed.builtIn, 0.5)).toFixed(2)}× the built-in's median time; ${typed.minima} minima found`);

// 2b. The rate map over (η, γ), through the wasm boundary: in closed form on a quadratic,
// and from runs on Rosenbrock, refined 256 cells a call as the page does across frames;
// against the same heavy-ball runs in plain JavaScript, as Distill's page computes them.
const rates = await page.evaluate(async (repeat) => {
  const { lab } = window.gradscape;
  await window.gradscape.views(); // the rate map is in the views' build of the core
  lab.set_surface({ id: 'quadratic', params: {} });
  const closed = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    lab.rate_map_start('momentum', false, 256, 256);
    lab.rate_map_refine(256 * 256);
    closed.push(performance.now() - t);
  }
  lab.set_surface({ id: 'rosenbrock', params: {} });
  lab.set_steps(500);
  const STEPS = 500, N = 64, CHUNK = 256;
  const coarse = [], full = [], slowest = [];
  const times = Math.max(3, Math.floor(repeat / 10));
  for (let i = 0; i < times; i++) {
    lab.rate_map_start('momentum', true, N, N);
    let total = 0, worst = 0, done = false;
    while (!done) {
      const t = performance.now();
      done = lab.rate_map_refine(CHUNK);
      const dt = performance.now() - t;
      if (total === 0) coarse.push(dt);
      total += dt;
      worst = Math.max(worst, dt);
    }
    full.push(total);
    slowest.push(worst);
  }
  const info = lab.rate_map_info();
  const ours = lab.rate_map_csv().trim().split('\n').slice(1).map((r) => r.split(',')[2])
    .map((r) => (r === 'inf' ? Infinity : Number(r)));
  // The peer: heavy ball m ← γm + η∇f(θ), θ ← θ − m on f = (1 − x)² + 100(y − x²)²,
  // state in Float64Arrays, the same grid, start, steps, divergence box and measure.
  const start = lab.surface_info().start;
  const plain = () => {
    const rate = new Float64Array(N * N);
    const [a, b] = info.lr, [g0, g1] = info.momentum;
    const theta = new Float64Array(2), m = new Float64Array(2), g = new Float64Array(2);
    for (let j = 0; j < N; j++) {
      const gamma = j === N - 1 ? g1 : g0 + ((g1 - g0) * j) / (N - 1);
      for (let i = 0; i < N; i++) {
        const eta = i === 0 ? a : i === N - 1 ? b : 10 ** (Math.log10(a) + ((Math.log10(b) - Math.log10(a)) * i) / (N - 1));
        theta[0] = start[0]; theta[1] = start[1]; m[0] = 0; m[1] = 0;
        const e0 = Math.hypot(theta[0] - 1, theta[1] - 1);
        let e = e0, k = 0, diverged = false;
        for (k = 1; k <= STEPS; k++) {
          const ridge = theta[1] - theta[0] * theta[0];
          g[0] = -2 * (1 - theta[0]) - 400 * theta[0] * ridge;
          g[1] = 200 * ridge;
          for (let d = 0; d < 2; d++) {
            m[d] = gamma * m[d] + eta * g[d];
            theta[d] -= m[d];
          }
          if (!(Math.abs(theta[0]) <= 1e8 && Math.abs(theta[1]) <= 1e8)) { diverged = true; break; }
          e = Math.hypot(theta[0] - 1, theta[1] - 1);
          if (e <= 1e-12) break;
        }
        rate[j * N + i] = diverged ? Infinity : (e / e0) ** (1 / Math.min(k, STEPS));
      }
    }
    return rate;
  };
  const peer = [];
  let theirs;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    theirs = plain();
    peer.push(performance.now() - t);
  }
  let differ = 0, agree = 0;
  ours.forEach((r, k) => {
    const same = r === theirs[k] || Math.abs(r - theirs[k]) <= 1e-9;
    if (same) agree++; else differ++;
  });
  return { closed, coarse, full, slowest, peer, agree, differ };
}, REPEAT);
row('rate map in closed form, 256×256 cells on a quadratic (heavy ball)', rates.closed, '≤ 15 ms');
row('rate map from runs, 64×64 cells × 500 steps of momentum on Rosenbrock: first 16×16 cells', rates.coarse, '≤ 30 ms',
  `refined ${256} cells a call: the slowest call ${ms(quantile(rates.slowest, 0.5))}`);
row('the same: every cell (sum of the refine calls)', rates.full, '≤ 150 ms');
row('the same heavy-ball runs in plain JavaScript (Float64Array), as Distill computes them', rates.peer, '',
  `${(quantile(rates.peer, 0.5) / quantile(rates.full, 0.5)).toFixed(2)}× our median time; ${rates.agree} of ${rates.agree + rates.differ} rates equal within 1e-9`);
await page.close();

// 3. A race at its end: all eleven optimizers, 5000 steps each with gradient noise, the
// paths and the loss chart drawn in full.
{
  const all = 'sgd:lr=0.001|momentum:lr=0.001|nesterov:lr=0.001|adagrad:lr=0.1|rmsprop:lr=0.01|adadelta'
    + '|adam:lr=0.02|adamw:lr=0.02|nadam:lr=0.02|lion:lr=0.001|newton';
  const { page: race } = await openLab(browser, `${server.url}/#surface=rosenbrock&steps=5000&noise=2&opt=${all}`,
    { viewport: { width: 1366, height: 768 } });
  const frames = await race.evaluate((repeat) => {
    const { draw, state } = window.gradscape;
    state.mode = 'path';
    const times = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      draw();
      times.push(performance.now() - t);
    }
    return times;
  }, REPEAT);
  row('a race frame: 11 optimizers × 5000 noisy steps, paths and chart drawn', frames, '≤ 33 ms (30 frames a second)');
  await race.close();
}

// 3a. The 3-D view, through the boundary call the page makes on every pointer event of
// a drag and every race frame: the banana with three optimizers on an 800×600 canvas.
{
  const { page: view } = await openLab(browser, `${server.url}/`, { viewport: { width: 1280, height: 900 } });
  const turned = await view.evaluate(async (repeat) => {
    const { lab } = window.gradscape;
    await window.gradscape.views(); // the 3-D view is in the views' build of the core
    lab.set_state({ surface: 'banana', steps: 200, optimizers: ['sgd:lr=0.002', 'momentum:lr=0.002', 'adam:lr=0.02'] });
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    lab.draw_surface3d(canvas, 1, 200, -35, 35, []);
    // Turned a degree a frame: the mesh is kept, only projected and painted again.
    const turn = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      lab.draw_surface3d(canvas, 1, 200, -35 + i, 35, []);
      turn.push(performance.now() - t);
    }
    // A view a hair apart each time: the mesh sampled anew first.
    const fresh = [];
    for (let i = 0; i < repeat; i++) {
      lab.set_view(-2 - 1e-9 * (i + 1), 2, -0.5, 1.5);
      const t = performance.now();
      lab.draw_surface3d(canvas, 1, 200, -35, 35, []);
      fresh.push(performance.now() - t);
    }
    return { turn, fresh };
  }, REPEAT);
  row('3-D view turned: the banana, 3 optimizers × 200 steps, 40×40 faces at 800×600', turned.turn, '≤ 8 ms');
  row('the same after a change of view: its mesh sampled anew (160×160 values of f)', turned.fresh, '');
  await view.close();
}

// 3b. Fair tuning and a cloud of noisy runs, through the lab's own boundary calls.
{
  const { page: lab } = await openLab(browser, `${server.url}/`, { viewport: { width: 1280, height: 900 } });
  const heavy = await lab.evaluate(async (repeat) => {
    const { lab } = window.gradscape;
    await window.gradscape.views(); // tuning is in the views' build of the core
    const six = ['sgd:lr=0.001', 'momentum:lr=0.001', 'nesterov:lr=0.001', 'rmsprop:lr=0.01', 'adam:lr=0.02', 'adagrad:lr=0.1'];
    lab.set_state({ surface: 'rosenbrock', steps: 1000, optimizers: six });
    // Each repetition asks for a grid a hair apart, so that none is served from the
    // lab's cache of the last tuning.
    const tune = [];
    let cells = 0;
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      const tuned = lab.tune(1e-5 * (1 + 1e-9 * i), 10, 25);
      tune.push(performance.now() - t);
      cells = tuned.reduce((a, o) => a + o.curve.length, 0);
    }
    const four = ['sgd:lr=0.001', 'momentum:lr=0.001', 'nesterov:lr=0.001', 'adam:lr=0.02'];
    lab.set_state({ surface: 'rosenbrock', steps: 500, noise: 2, cloud: 100, optimizers: four });
    // The whole cloud, 50 runs a call as the page's frames would ask; a new seed each
    // time starts it over.
    const cloud = [];
    for (let i = 0; i < 20; i++) {
      lab.set_noise(2, BigInt(i));
      const t = performance.now();
      while (!lab.cloud_refine(50));
      cloud.push(performance.now() - t);
    }
    // A frame with the whole cloud: its 400 faint runs and mean paths under the paths,
    // and its quartile bands on the loss chart.
    const [background, paths, chart] = [0, 1, 2].map(() => {
      const c = document.createElement('canvas');
      c.width = 800;
      c.height = c.width / 2 + 400;
      return c;
    });
    lab.draw_background(background, 1);
    const frame = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      lab.draw_paths(paths, 500, -1, -1, []);
      lab.draw_chart(chart, 1, 500, -1);
      frame.push(performance.now() - t);
    }
    return { tune, cells, cloud, frame, info: lab.cloud_info() };
  }, REPEAT);
  row('tune: 6 optimizers × 25 learning rates × 1000 steps on Rosenbrock, one call', heavy.tune, '≤ 100 ms',
    `${heavy.cells} runs`);
  row('a cloud: 100 noisy runs × 4 optimizers × 500 steps on Rosenbrock, total compute', heavy.cloud, '',
    `${heavy.info.computed} runs per optimizer, 50 per call`);
  row('a frame with that cloud: faint runs, mean paths, paths, and the chart with its bands', heavy.frame, '≤ 33 ms');
  await lab.close();
}

// 4. The largest network on the most data a link allows, training: the longest gap
// between frames, and how soon a pause is answered.
{
  const { page: heavy } = await openLab(browser,
    `${server.url}/networks.html#data=spirals:n=20000,k=8&hidden=64,64,64,64,64,64&act=relu&init=he&opt=adam:lr=0.001&batch=500&speed=1000`,
    { viewport: { width: 1366, height: 768 } });
  const timing = await heavy.evaluate(async () => {
    const gaps = [];
    const pauses = [];
    for (let round = 0; round < 5; round++) {
      document.getElementById('play').click();
      let last = performance.now();
      const start = last;
      await new Promise((done) => {
        const frame = (now) => {
          gaps.push(now - last);
          last = now;
          if (now - start < 1500) requestAnimationFrame(frame);
          else done();
        };
        requestAnimationFrame(frame);
      });
      const t = performance.now();
      document.getElementById('play').click();
      await new Promise((done) => requestAnimationFrame(() => done()));
      pauses.push(performance.now() - t);
    }
    return { gaps, pauses };
  });
  row('training the largest network (6×64 ReLU, 20,000 points, batch 500): time between frames', timing.gaps, '');
  row('the same: from a click on pause to the next frame', timing.pauses, '≤ one frame');
  await heavy.close();
}

// 5. Training: a 2-8-8-2 tanh network, batch 10, on 1000 spiral points, against the
// same network in plain JavaScript and in TensorFlow.js (cpu backend). All three do the
// lab's work: after each epoch (100 updates) the loss over all 1000 points, L_S(θ), as
// the lab's curves show it.
{
  const { page: net } = await openLab(browser, `${server.url}/networks.html`, { viewport: { width: 1280, height: 900 } });
  for (const file of ['bench/plain-network.js', 'node_modules/@tensorflow/tfjs/dist/tf.min.js']) {
    await net.addScriptTag({ path: path.join(repoRoot, 'tests', file) });
  }
  const training = await net.evaluate(async () => {
    const { NetworkLab } = await import('/pkg/network/gradscape.js');
    const setup = (n) => ({
      dataset: `spirals:n=${n},k=2,noise=0.1`, hidden: [8, 8], activation: 'tanh', init: 'glorot-uniform',
      optimizer: 'sgd:lr=0.1', batch: 10, validation: 0, seed: 0,
    });
    const UPDATES = 2000;
    const rates = { ours: [], plain: [], tfjs: [] };
    const lab = NetworkLab.open(setup(1000));
    // The same points for the peers.
    const rows = lab.data_csv().trim().split('\n').slice(1).map((r) => r.split(','));
    const X = Float64Array.from(rows.flatMap((r) => [Number(r[0]), Number(r[1])]));
    const y = Int32Array.from(rows.map((r) => Number(r[2])));
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const order = Array.from({ length: y.length }, (_, i) => i);
    const shuffle = () => {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    };
    const plain = new PlainNetwork([2, 8, 8, 2], random);
    let plainLoss = 0;
    // Ours (the lab's own training) and plain JavaScript take turns, so that a slow
    // moment of the machine falls on both.
    for (let r = 0; r < 10; r++) {
      let t = performance.now();
      lab.train(UPDATES);
      rates.ours.push(UPDATES / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let u = 0; u < UPDATES; u++) {
        const start = (u * 10) % order.length;
        if (start === 0) shuffle();
        plain.update(X, y, order, start, start + 10, 0.1);
        if (start + 10 === order.length) plainLoss = plain.loss(X, y);
      }
      rates.plain.push(UPDATES / ((performance.now() - t) / 1000));
    }
    const ourLoss = lab.history().at(-1).train.data_loss;
    // TensorFlow.js, cpu backend, a hand-written loop.
    await tf.setBackend('cpu');
    const glorot = (n, m) => tf.variable(tf.randomUniform([n, m], -Math.sqrt(6 / (n + m)), Math.sqrt(6 / (n + m))));
    const W = [glorot(2, 8), glorot(8, 8), glorot(8, 2)];
    const b = [tf.variable(tf.zeros([8])), tf.variable(tf.zeros([8])), tf.variable(tf.zeros([2]))];
    const inputs = tf.tensor2d(Float32Array.from(X), [y.length, 2]);
    const labels = tf.oneHot(tf.tensor1d(y, 'int32'), 2);
    const sgd = tf.train.sgd(0.1);
    const logits = (x) => {
      const h1 = tf.tanh(tf.add(tf.matMul(x, W[0]), b[0]));
      const h2 = tf.tanh(tf.add(tf.matMul(h1, W[1]), b[1]));
      return tf.add(tf.matMul(h2, W[2]), b[2]);
    };
    // As many updates per round as the others, each inside tf.tidy so that no tensor
    // outlives its update.
    const TF_ROUNDS = 3;
    const indices = Int32Array.from(order);
    let tfLoss = 0;
    for (let r = 0; r < TF_ROUNDS; r++) {
      const t = performance.now();
      for (let u = 0; u < UPDATES; u++) {
        const start = (u * 10) % order.length;
        if (start === 0) {
          shuffle();
          indices.set(order);
        }
        tf.tidy(() => {
          const batch = tf.tensor1d(indices.subarray(start, start + 10), 'int32');
          sgd.minimize(() => tf.losses.softmaxCrossEntropy(tf.gather(labels, batch), logits(tf.gather(inputs, batch))));
        });
        if (start + 10 === order.length) {
          tfLoss = tf.tidy(() => tf.losses.softmaxCrossEntropy(labels, logits(inputs)).dataSync()[0]);
        }
      }
      rates.tfjs.push(UPDATES / ((performance.now() - t) / 1000));
    }
    // The frame budget: one epoch over 500 points, then the 200×200 decision map.
    const small = NetworkLab.open(setup(500));
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 600;
    const scratch = document.createElement('canvas');
    const frame = [];
    for (let r = 0; r < 60; r++) {
      const t = performance.now();
      small.train(50);
      small.draw_map(canvas, scratch, 1);
      frame.push(performance.now() - t);
    }
    return { rates, losses: [ourLoss, plainLoss, tfLoss], frame };
  });
  const median = (xs) => quantile(xs, 0.5);
  // Each round timed ours and then plain JavaScript: their ratio within a round is
  // the comparison least disturbed by the machine's other work.
  const paired = training.rates.ours.map((ours, i) => ours / training.rates.plain[i]);
  const perSecond = (xs) => `${Math.round(median(xs)).toLocaleString('en')} /s`;
  rows.push(['training 2-8-8-2 tanh, batch 10, 1000 spiral points: gradscape (wasm)', perSecond(training.rates.ours), '', '≥ 3× plain JS, ≥ 50× TF.js',
    `loss after ${10 * 2000} updates ${training.losses[0].toFixed(3)}`]);
  rows.push(['the same in plain JavaScript (Float64Array)', perSecond(training.rates.plain), '',
    `gradscape ÷ this: ${median(paired).toFixed(2)}× (median of the ten rounds' ratios; ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)})`,
    `loss after ${10 * 2000} updates ${training.losses[1].toFixed(3)}`]);
  rows.push(['the same in TensorFlow.js 4, cpu backend', perSecond(training.rates.tfjs), '',
    `gradscape ÷ this: ${(median(training.rates.ours) / median(training.rates.tfjs)).toFixed(0)}×`, `loss after ${3 * 2000} updates ${training.losses[2].toFixed(3)}`]);
  row('one epoch over 500 points + the 200×200 decision map', training.frame, '≤ 8 ms');
  await net.close();
}

// 5a. The learning-rate range test on the same 2-8-8-2 tanh network (batch 10, the
// same 1000 spiral points, SGD): 50 learning rates from 1e-5 to 10, 300 updates each,
// every run from the same initial weights and scored by the loss over all 1000 points,
// from start to its last rate. The page spreads the rates over frames; here they are
// computed one a call, as the page asks for them, and each call is timed too.
{
  const { page: net } = await openLab(browser, `${server.url}/networks.html`, { viewport: { width: 1280, height: 900 } });
  const range = await net.evaluate(async () => {
    const { NetworkLab } = await import('/pkg/network/gradscape.js');
    const lab = NetworkLab.open({
      dataset: 'spirals:n=1000,k=2,noise=0.1', hidden: [8, 8], activation: 'tanh', init: 'glorot-uniform',
      optimizer: 'sgd:lr=0.1', batch: 10, validation: 0, seed: 0,
    });
    const whole = [], calls = [];
    for (let r = 0; r < 20; r++) {
      const t = performance.now();
      lab.start_lr_range(1e-5, 10, 50, 300);
      for (let done = false; !done;) {
        const call = performance.now();
        done = lab.lr_range_step(1);
        calls.push(performance.now() - call);
      }
      whole.push(performance.now() - t);
    }
    const report = lab.lr_range();
    return { whole, calls, best: report.best, diverged: report.computed.filter((p) => p.diverged).length };
  });
  row('learning-rate range test: 50 rates × 300 updates, 2-8-8-2 tanh, batch 10, 1000 spiral points', range.whole, '≤ 150 ms',
    `one rate a call: median ${ms(quantile(range.calls, 0.5))}, slowest ${ms(Math.max(...range.calls))}; lowest loss ${range.best.loss.toFixed(3)} at η = ${range.best.lr.toPrecision(3)}, ${range.diverged} diverged`);
  await net.close();
}

// 5c. Runs side by side: six 2-8-8-2 tanh runs (batch 10, 1000 spiral points of which
// the page's default fifth is held out, seeds 0 to 5) in lockstep through the boundary
// against one such run, in turns; then the page's frames with the one and with the six,
// at 20 updates of every run a frame (the goal's 1,000 a second at 50 frames a second):
// work() as js/training.js calls it, then the curves and the η chart when an epoch was
// recorded (as the page redraws them) and the map every frame.
{
  const { page: net } = await openLab(browser, `${server.url}/networks.html`, { viewport: { width: 1280, height: 900 } });
  const side = await net.evaluate(async () => {
    const { NetworkLab } = await import('/pkg/network/gradscape.js');
    const setup = (seed) => ({
      dataset: 'spirals:n=1000,k=2,noise=0.1', hidden: [8, 8], activation: 'tanh', init: 'glorot-uniform',
      optimizer: 'sgd:lr=0.1', batch: 10, seed,
    });
    const seeds = [0, 1, 2, 3, 4, 5];
    const one = NetworkLab.open(setup(0));
    const six = NetworkLab.open_runs(seeds.map(setup), 0);
    // Lockstep updates through work(), as the page makes them: µs per update of every run.
    const UPDATES = 3000;
    const worked = (lab) => {
      const t = performance.now();
      let updates = 0;
      while (updates < UPDATES) {
        const done = lab.work();
        if (done === 1 || done === 2) updates++;
      }
      return (1000 * (performance.now() - t)) / UPDATES;
    };
    const trained = (lab) => {
      const t = performance.now();
      lab.train(UPDATES);
      return (1000 * (performance.now() - t)) / UPDATES;
    };
    const times = { one: [], six: [], oneTrain: [], sixTrain: [] };
    for (let r = 0; r < 10; r++) {
      times.one.push(worked(one));
      times.six.push(worked(six));
      times.oneTrain.push(trained(one));
      times.sixTrain.push(trained(six));
    }
    // The frames: three seconds of the page's loop, with the one run and with the six.
    const canvas = (width, height) => Object.assign(document.createElement('canvas'), { width, height });
    const [curves, rates, map, scratch] = [canvas(640, 240), canvas(640, 120), canvas(600, 600), canvas(1, 1)];
    // The goal's pace: 20 updates of every run a frame, 1,000 a second at 50 frames a second.
    const SPEED = 20;
    const frames = (lab) => new Promise((done) => {
      const gaps = [], drawn = { curves: [], rates: [], map: [] };
      let count = 0, updates = 0;
      const start = performance.now();
      let last = start;
      const frame = (now) => {
        gaps.push(now - last);
        last = now;
        // As js/training.js: up to SPEED lockstep updates, within 10 ms.
        const end = performance.now() + 10;
        let made = 0, recorded = false;
        while (made < SPEED && performance.now() < end) {
          const step = lab.work();
          if (step === 0) break;
          if (step === 1 || step === 2) made++;
          recorded ||= step === 4;
        }
        updates += made;
        // As js/network-view.js: the curves and η change only when an epoch is recorded.
        const times = [performance.now()];
        if (recorded) lab.draw_curves(curves, 1);
        times.push(performance.now());
        if (recorded) lab.draw_learning_rates(rates, 1);
        times.push(performance.now());
        lab.draw_map(map, scratch, 1);
        times.push(performance.now());
        ['curves', 'rates', 'map'].forEach((view, k) => (view === 'map' || recorded) && drawn[view].push(times[k + 1] - times[k]));
        count++;
        if (now - start < 3000) requestAnimationFrame(frame);
        else {
          const seconds = (performance.now() - start) / 1000;
          done({ gaps: gaps.slice(1), fps: count / seconds, perRun: updates / seconds, drawn, epochs: lab.status().epoch });
        }
      };
      requestAnimationFrame(frame);
    });
    const alone = await frames(one);
    const together = await frames(six);
    return { times, alone, together };
  });
  const median = (xs) => quantile(xs, 0.5);
  const us = (xs) => `${median(xs).toFixed(1)} µs`;
  const ratios = (six, one) => six.map((t, i) => t / one[i]);
  const ratio = ratios(side.times.six, side.times.one);
  rows.push(['runs side by side: six 2-8-8-2 tanh runs (batch 10, 1000 spiral points) in lockstep, one update of each through work()',
    us(side.times.six), `${quantile(side.times.six, 0.95).toFixed(1)} µs`, '≤ 6.5× one run\'s update',
    `${median(ratio).toFixed(2)}× one run's update (median of the ten rounds' ratios; ${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}); through train(): ${median(ratios(side.times.sixTrain, side.times.oneTrain)).toFixed(2)}×`]);
  rows.push(['the same: one run alone, one update through work()', us(side.times.one), `${quantile(side.times.one, 0.95).toFixed(1)} µs`, '', '']);
  const looped = (what, f, goal) => rows.push([what, `${f.fps.toFixed(1)} frames/s`, '', goal,
    `${Math.round(f.perRun).toLocaleString('en')} updates/s per run; time between frames median ${ms(median(f.gaps))}, p95 ${ms(quantile(f.gaps, 0.95))}; `
    + `drawn in median ${ms(median(f.drawn.curves))} (curves, ${f.epochs} epochs at the end), ${ms(median(f.drawn.rates))} (η), ${ms(median(f.drawn.map))} (map)`]);
  looped('the page\'s frames with the six runs at speed 20: 20 lockstep updates (at most 10 ms), the curves and η chart when an epoch ended, the 600×600 map', side.together,
    '≥ 50 frames/s, ≥ 1,000 updates/s per run');
  looped('the same frames with the one run', side.alone, '');
  await net.close();
}

// 5d. The loss landscape: a 2-16-16-3 tanh network on 500 training points (625 spiral
// points of three arms, a fifth held out), trained 5 epochs, its loss on a 64 × 64 grid
// of a filter-normalized random plane through its weights, through the boundary as the
// page fills it in: the first coarse picture (set_landscape, which computes the line
// from θ₀ through θ, then the 16 × 16 coarse cells), every cell, and the cost of one
// cell next to the training's own forward pass over as many points (its end-of-epoch
// evaluation) and its updates. Then the page's frames while it trains, with the landscape open
// (each frame refines as many cells as fit in 4 ms by the measured cost, and draws it)
// and without.
{
  const { page: net } = await openLab(browser, `${server.url}/networks.html`, { viewport: { width: 1280, height: 900 } });
  const landscape = await net.evaluate(async () => {
    const { NetworkLab } = await import('/pkg/network/gradscape.js');
    const setup = (batch) => ({
      dataset: 'spirals:n=625,k=3,noise=0.1', hidden: [16, 16], activation: 'tanh', init: 'glorot-uniform',
      optimizer: 'adam:lr=0.01', batch, validation: 0.2, seed: 0,
    });
    const lab = NetworkLab.open(setup(10));
    while (lab.status().epoch < 5) lab.train(50);
    const { train } = lab.status();
    const canvas = Object.assign(document.createElement('canvas'), { width: 600, height: 500 });
    const N = 64, CELLS = N * N, COARSE = 16 * 16, CHUNK = 256;
    const coarse = [], full = [], perCell = [], drawn = [];
    for (let r = 0; r < 10; r++) {
      let t = performance.now();
      lab.set_landscape('random:seed=1', 'random:seed=2', 1, 1, N);
      lab.landscape_refine(COARSE);
      coarse.push(performance.now() - t);
      const d = performance.now();
      lab.draw_landscape(canvas, 1);
      drawn.push(performance.now() - d);
      const cells = performance.now();
      while (!lab.landscape_refine(CHUNK));
      perCell.push((performance.now() - cells) / (CELLS - COARSE));
      full.push(performance.now() - t);
    }
    const status = lab.landscape_status();
    // The training's own forward passes over the data: the end-of-epoch evaluations
    // (work() returning 3 or 4) of 40 epochs, over the training and validation points,
    // per 500 points; and its updates of batch 10. Each call is timed and the times
    // summed: the browser's clock is coarse, but its error averages out over the
    // thousands of calls.
    const { validation } = lab.status();
    const EPOCHS = 40;
    let evaluation = 0, updating = 0, updates = 0;
    for (const end = lab.status().epoch + EPOCHS; lab.status().epoch < end;) {
      const t = performance.now();
      const step = lab.work();
      const dt = performance.now() - t;
      if (step === 3 || step === 4) evaluation += dt;
      else { updating += dt; updates++; }
    }
    const forward = (evaluation / EPOCHS / (train + validation)) * train;
    const perUpdate = updating / updates;
    // The page's frames, three seconds each: as js/training.js, up to `speed` updates
    // within 10 ms; with the landscape open, then as many cells as fit in 4 ms by the
    // measured cost, and the landscape drawn while it changes.
    const sorted = [...perCell].sort((a, b) => a - b);
    const cost = sorted[Math.floor(sorted.length / 2)];
    const budget = Math.max(1, Math.floor(4 / cost));
    const frames = (open, speed) => new Promise((done) => {
      const trained = NetworkLab.open(setup(10));
      if (open) trained.set_landscape('random:seed=1', 'random:seed=2', 1, 1, N);
      const gaps = [], refined = [];
      let count = 0, updates = 0;
      const start = performance.now();
      let last = start;
      const frame = (now) => {
        gaps.push(now - last);
        last = now;
        const end = performance.now() + 10;
        let made = 0;
        while (made < speed && performance.now() < end) {
          const step = trained.work();
          if (step === 0) break;
          if (step === 1 || step === 2) made++;
        }
        updates += made;
        if (open) {
          const t = performance.now();
          trained.landscape_refine(budget);
          trained.draw_landscape(canvas, 1);
          refined.push(performance.now() - t);
        }
        count++;
        if (now - start < 3000) requestAnimationFrame(frame);
        else {
          const seconds = (performance.now() - start) / 1000;
          const fills = open ? trained.landscape_status() : null;
          trained.free();
          done({ fps: count / seconds, perSecond: updates / seconds, gaps: gaps.slice(1), refined, fills });
        }
      };
      requestAnimationFrame(frame);
    });
    const loops = {};
    for (const speed of [20, 1000]) {
      loops[speed] = { closed: await frames(false, speed), open: await frames(true, speed) };
    }
    return { train, coarse, full, perCell, drawn, forward, perUpdate, budget, status, loops };
  });
  const median = (xs) => quantile(xs, 0.5);
  const us = (x) => `${(1000 * x).toFixed(1)} µs`;
  row(`landscape: 64×64 slice of a 2-16-16-3 tanh network over ${landscape.train} points, first coarse picture (the line from θ₀, then 16×16 cells)`, landscape.coarse, '≤ 20 ms',
    `the picture drawn at 600×500 in median ${ms(median(landscape.drawn))}`);
  row('the same: every cell, refined 256 a call', landscape.full, '≤ 250 ms',
    `${landscape.status.cells} cells; one cell (a forward pass over the ${landscape.train} points) ${us(median(landscape.perCell))}; `
    + `training's own forward pass over ${landscape.train} points (its end-of-epoch evaluation) ${us(landscape.forward)}, ${(median(landscape.perCell) / landscape.forward).toFixed(2)}× that; `
    + `an update of batch 10 ${us(landscape.perUpdate)}`);
  for (const [speed, loop] of Object.entries(landscape.loops)) {
    const slower = 1 - loop.open.perSecond / loop.closed.perSecond;
    rows.push([`training with the landscape open, the page's frames at speed ${speed}: updates of batch 10, then ${landscape.budget} cells (≤ 4 ms by their cost) and the landscape drawn`,
      `${Math.round(loop.open.perSecond).toLocaleString('en')} updates/s`, '', '≤ 25% slower than closed',
      `closed: ${Math.round(loop.closed.perSecond).toLocaleString('en')} updates/s (${(100 * slower).toFixed(0)}% fewer open); frames/s ${loop.open.fps.toFixed(1)} open, ${loop.closed.fps.toFixed(1)} closed; `
      + `refine and draw median ${ms(median(loop.open.refined))}, p95 ${ms(quantile(loop.open.refined, 0.95))}`]);
  }
  await net.close();
}

// 5b. The digits: a 64-32-10 tanh network, batch 32, against the same network in plain
// JavaScript, both over all 1,797 digits with the loss over all of them after each
// epoch; then the frame the digits' view costs: one epoch over the training split and
// the grid of validation digits redrawn. The bench fetches the digits as the page does.
{
  const { page: net } = await openLab(browser, `${server.url}/networks.html`, { viewport: { width: 1280, height: 900 } });
  await net.addScriptTag({ path: path.join(repoRoot, 'tests', 'bench/plain-network.js') });
  const digits = await net.evaluate(async () => {
    const { NetworkLab, load_digits } = await import('/pkg/network/gradscape.js');
    load_digits(new Uint8Array(await (await fetch('/pkg/digits.bin')).arrayBuffer()));
    const setup = (validation) => ({
      dataset: 'digits', hidden: [32], activation: 'tanh', init: 'glorot-uniform',
      optimizer: 'sgd:lr=0.1', batch: 32, validation, seed: 0,
    });
    const lab = NetworkLab.open(setup(0));
    if (lab.problems().length > 0) throw new Error(JSON.stringify(lab.problems()));
    const rows = lab.data_csv().trim().split('\n').slice(1).map((r) => r.split(','));
    const X = Float64Array.from(rows.flatMap((r) => r.slice(0, 64).map(Number)));
    const y = Int32Array.from(rows.map((r) => Number(r[64])));
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const order = Array.from({ length: y.length }, (_, i) => i);
    const shuffle = () => {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    };
    const plain = new PlainNetwork([64, 32, 10], random);
    const UPDATES = 600, BATCH = 32;
    const rates = { ours: [], plain: [] };
    let plainLoss = 0, position = 0;
    // Taking turns, as for the 2-8-8-2 network; an epoch's last batch is the rest.
    for (let r = 0; r < 10; r++) {
      let t = performance.now();
      lab.train(UPDATES);
      rates.ours.push(UPDATES / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let u = 0; u < UPDATES; u++) {
        if (position === 0) shuffle();
        const end = Math.min(position + BATCH, order.length);
        plain.update(X, y, order, position, end, 0.1);
        position = end === order.length ? 0 : end;
        if (position === 0) plainLoss = plain.loss(X, y);
      }
      rates.plain.push(UPDATES / ((performance.now() - t) / 1000));
    }
    const ourLoss = lab.history().at(-1).train.data_loss;
    // The frame: one epoch over the training split (a fifth held out), then the grid.
    const view = NetworkLab.open(setup(0.2));
    const status = view.status();
    const perEpoch = Math.ceil(status.train / 32);
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    const scratch = document.createElement('canvas');
    view.draw_digits(canvas, scratch, 1, -1);
    const frame = [], grid = [];
    for (let r = 0; r < 30; r++) {
      const t = performance.now();
      view.train(perEpoch);
      const drawn = performance.now();
      view.draw_digits(canvas, scratch, 1, -1);
      const end = performance.now();
      frame.push(end - t);
      grid.push(end - drawn);
    }
    const accuracy = view.history().at(-1).validation.accuracy;
    return { rates, losses: [ourLoss, plainLoss], frame, grid, perEpoch, accuracy, validation: status.validation };
  });
  const median = (xs) => quantile(xs, 0.5);
  const paired = digits.rates.ours.map((ours, i) => ours / digits.rates.plain[i]);
  const perSecond = (xs) => `${Math.round(median(xs)).toLocaleString('en')} /s`;
  rows.push(['training the digits, 64-32-10 tanh, batch 32, 1,797 digits: gradscape (wasm)', perSecond(digits.rates.ours), '', '≥ 3× plain JS',
    `loss after ${10 * 600} updates ${digits.losses[0].toFixed(3)}`]);
  rows.push(['the same in plain JavaScript (Float64Array)', perSecond(digits.rates.plain), '',
    `gradscape ÷ this: ${median(paired).toFixed(2)}× (median of the ten rounds' ratios; ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)})`,
    `loss after ${10 * 600} updates ${digits.losses[1].toFixed(3)}`]);
  row(`one epoch over the digits' training split (${digits.perEpoch} updates) + the grid of validation digits at 800×600`, digits.frame, '≤ 50 ms',
    `the grid alone: median ${ms(median(digits.grid))}; ${(100 * digits.accuracy).toFixed(1)}% of ${digits.validation} validation digits right after 30 epochs`);
  await net.close();
}

// 6. What a first visit to each lab downloads, and how soon the surface is drawn.
for (const [lab, file] of [['optimizer', ''], ['network', 'networks.html']]) {
  const loads = [];
  let bytes = null;
  for (let i = 0; i < 20; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const bodies = [];
    page.on('response', (response) => bodies.push(response.body().then((b) => [response.url(), b]).catch(() => null)));
    await page.goto(`${server.url}/${file}`);
    await page.waitForFunction(() => performance.getEntriesByName('gradscape:first-draw').length > 0);
    loads.push(await page.evaluate(() => performance.getEntriesByName('gradscape:first-draw')[0].startTime));
    if (!bytes) {
      // The digits are fetched only when chosen: a first load that fetched them would
      // be named in the notes, not counted.
      const all = (await Promise.all(bodies)).filter(Boolean);
      const files = all.filter(([url]) => !url.endsWith('/digits.bin'));
      const digits = all.length - files.length;
      bytes = { total: files.reduce((a, [, body]) => a + gzipSync(body, { level: 9 }).length, 0), files: files.length, digits };
    }
    await page.close();
  }
  rows.push([`page weight: everything the ${lab} lab's page loads, gzip -9`, `${(bytes.total / 1024).toFixed(1)} KiB`, '', '≤ 250 KB',
    `${bytes.files} files${bytes.digits ? '; digits.bin fetched at first load, not counted' : ''}`]);
  row(`navigation to the ${lab} lab's first drawn frame`, loads, '');
}

await browser.close();
await server.close();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${browser.version ? `Chromium ${browser.version()}` : ''}; ${REPEAT} repetitions\n`);
console.log('| measure | median | p95 | goal | notes |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
