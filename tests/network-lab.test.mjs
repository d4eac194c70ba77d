// The network lab as a student uses it: train and watch the map change, inspect a point,
// add points, check gradients, export and load a model, presets and hostile links.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { canvasPixels, drawn, openLab, useBrowser } from './support.mjs';

const session = useBrowser('networks.html');
const { lab } = session;

const history = (page) => page.evaluate(() => window.gradscape.lab.history());

describe('the network lab', () => {
  test('training for a few seconds changes the decision map and lowers the loss', async () => {
    const { page, problems } = await lab('#data=moons&hidden=6,6&opt=sgd:lr=0.1&speed=10');
    const before = await canvasPixels(page, '#map-view canvas');
    await page.click('#play');
    await page.waitForTimeout(2500);
    await page.click('#play');
    await drawn(page);
    const epochs = await history(page);
    assert.ok(epochs.length >= 5, `${epochs.length} epochs`);
    assert.ok(epochs.at(-1).train.data_loss < epochs[0].train.data_loss, 'the loss went down');
    assert.ok(epochs.at(-1).train.accuracy > 0.8);
    assert.notEqual((await canvasPixels(page, '#map-view canvas')).digest, before.digest, 'the map changed');
    assert.match(await page.textContent('#status'), /^epoch \d+ · \d+ updates · η = 0\.1 · 74 parameters · loss .* \(data .* \+ L2 0\) · accuracy/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('clicking a point shows its backprop, in the lecture\'s notation', async () => {
    const { page, problems } = await lab('#data=blobs:k=3,n=60&hidden=4&act=tanh&opt=sgd:lr=0.1');
    await page.click('#step-epoch');
    await page.waitForFunction(() => window.gradscape.lab.status().epoch === 1);
    const [u, v] = await page.evaluate(() => {
      const canvas = document.querySelector('#map-view .points');
      const box = canvas.getBoundingClientRect();
      const [pu, pv] = window.gradscape.lab.pixel_of_point(0);
      const ratio = canvas.width / box.width;
      return [box.left + pu / ratio, box.top + pv / ratio];
    });
    await page.mouse.click(u, v);
    await page.waitForSelector('#inspector dt');
    // Each row: its name, and its value's grid as rows of numbers (or its text).
    const cells = await page.$$eval('#inspector dt', (names) => names.map((dt) => [dt.textContent, dt.nextElementSibling.querySelector('table')
      ? [...dt.nextElementSibling.querySelectorAll('tr')].map((t) => [...t.cells].map((c) => c.textContent)) : dt.nextElementSibling.textContent]));
    const row = (name) => cells.find(([k]) => k === name)?.[1];
    const inspection = await page.evaluate(() => window.gradscape.lab.inspect(0));
    const three = (v) => String(Number(v.toPrecision(3)));
    const matrix = (m) => m.map((r) => r.map(three));
    const [hidden, output] = inspection.layers;
    assert.deepEqual(hidden.names, { z: 'zʰ', h: 'h', w: 'Wʰ', b: 'bʰ', input: 'x' }, 'the slides\' names, from the core');
    assert.equal(await page.textContent('#inspector h2'), 'Backprop for point 0');
    assert.deepEqual(row('x'), matrix([inspection.x]));
    assert.deepEqual(row('Wʰ'), matrix(hidden.weights), 'a matrix as a grid, [out, in]');
    assert.deepEqual(row('zʰ = Wʰ x + bʰ'), matrix([hidden.pre]));
    assert.deepEqual(row('h = tanh(zʰ)'), matrix([hidden.post]));
    assert.deepEqual(row('zᵒ = Wᵒ h + bᵒ'), matrix([output.pre]));
    assert.deepEqual(row('f(x) = softmax(zᵒ)'), matrix([inspection.output]));
    assert.deepEqual(row('∇zᵒ l = f(x) − e(y)'), matrix([output.grad_pre]));
    assert.deepEqual(row('∇Wᵒ l = ∇zᵒ l hᵀ'), matrix(output.grad_weights));
    assert.deepEqual(row('∇h l = Wᵒᵀ ∇zᵒ l'), matrix([output.grad_input]));
    assert.deepEqual(row('∇zʰ l = ∇h l ⊙ g′(zʰ)'), matrix([hidden.grad_pre]));
    assert.deepEqual(row('∇Wʰ l = ∇zʰ l xᵀ'), matrix(hidden.grad_weights));
    assert.match(row('l before → after one step'), new RegExp(`^${three(inspection.loss_before)} → ${three(inspection.loss_after)} `));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('points can be added by clicking, and the gradient check passes', async () => {
    const { page, problems } = await lab('#data=moons:n=100&hidden=5');
    const count = async () => (await page.evaluate(() => window.gradscape.lab.status())).train;
    const before = await count();
    await page.check('input[name="click"][value="1"]');
    const box = await page.locator('#map-view .points').boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
    assert.equal(await count(), before + 2);
    await page.click('#gradient-check');
    const text = await page.textContent('#check');
    assert.match(text, /^Passed: backprop agrees with central differences on all \d+ parameters, largest relative error [\d.e+-]+ < 1e-5 /);
    const error = Number(text.match(/largest relative error ([\d.e+-]+)/)[1]);
    assert.ok(error < 1e-5, text);
    assert.equal(await page.getAttribute('#check', 'class'), 'passed');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a model downloads as JSON and loads back; snippets describe the same network', async () => {
    const { page, problems } = await lab('#data=circles&hidden=3&act=relu&opt=adam:lr=0.01&l2=0.001');
    await page.click('#step-epoch');
    await page.waitForFunction(() => window.gradscape.lab.status().epoch === 1);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    const text = await readFile(await file.path(), 'utf8');
    const model = JSON.parse(text);
    assert.deepEqual(model.layers.map((l) => [l.W.length, l.W[0].length, l.activation]), [[3, 2, 'relu'], [2, 3, 'softmax']]);
    assert.equal(model.l2, 0.001);
    await page.click('#reset');
    assert.notEqual(await page.evaluate(() => `${JSON.stringify(window.gradscape.lab.model(), null, 2)}\n`), text);
    await page.setInputFiles('#load-model', { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction((t) => `${JSON.stringify(window.gradscape.lab.model(), null, 2)}\n` === t, text);
    await page.click('#show-keras');
    const keras = await page.textContent('#snippet');
    assert.match(keras, /keras.layers.Dense\(3, activation="relu"/);
    assert.match(keras, /Adam\(learning_rate=0.01/);
    await page.click('#show-pytorch');
    assert.match(await page.textContent('#snippet'), /nn.Linear\(2, 3\), nn.ReLU\(\),/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-data')]);
    const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    assert.equal(rows[0], 'x1,x2,label,set');
    assert.equal(rows.length, 401);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('every preset opens with its caption, and a diverging run says so', async () => {
    const { page, problems } = await lab();
    const titles = await page.$$eval('#presets a', (links) => links.map((a) => a.textContent));
    assert.equal(titles.length, 20);
    for (const title of titles) {
      await page.click(`#presets a:text-is("${title}")`);
      await page.waitForFunction((t) => document.getElementById('caption').textContent.startsWith(t), title);
    }
    const { page: wild, problems: more } = await lab('#data=moons&hidden=8&opt=sgd:lr=1e9');
    await wild.click('#step-epoch');
    await wild.waitForFunction(() => document.getElementById('badges').textContent !== '');
    assert.match(await wild.textContent('#badges'), /^diverged at update \d+$/);
    assert.deepEqual(more, []);
    await wild.close();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a hostile link opens with a notice and no injection', async () => {
    const { page, problems } = await lab('#data=<img src=x onerror=alert(1)>&hidden=999&act=swish&opt=bogus&l2=-1&batch=0');
    const notice = await page.textContent('#notice');
    for (const key of ['data', 'hidden', 'act', 'opt', 'l2', 'batch']) assert.ok(notice.includes(`${key} (`), notice);
    assert.equal(await page.evaluate(() => document.images.length), 0);
    assert.ok((await canvasPixels(page, '#map-view canvas')).painted > 1000);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the largest network keeps the page responsive', async () => {
    const { page, problems } = await lab('#data=spirals:n=2000&hidden=64,64,64,64,64,64&act=relu&init=he&opt=adam:lr=0.001');
    const timings = await page.evaluate(async () => {
      const { draw } = window.gradscape;
      let t = performance.now();
      draw();
      const drawing = performance.now() - t;
      t = performance.now();
      document.getElementById('gradient-check').click();
      const checking = performance.now() - t;
      document.getElementById('play').click();
      // The longest gap between animation frames while training.
      let last = performance.now();
      let longest = 0;
      await new Promise((done) => {
        const frame = (now) => {
          longest = Math.max(longest, now - last);
          last = now;
          if (now - t < 1500) requestAnimationFrame(frame);
          else done();
        };
        requestAnimationFrame(frame);
      });
      document.getElementById('play').click();
      return { drawing, checking, longest };
    });
    assert.ok(timings.drawing < 250, `a frame draws in ${timings.drawing} ms`);
    assert.ok(timings.checking < 3000, `the gradient check answers in ${timings.checking} ms`);
    assert.ok(timings.longest < 400, `frames keep coming: longest gap ${timings.longest} ms`);
    assert.match(await page.textContent('#check'), /^Passed: backprop agrees with central differences on \d+ of \d+ parameters/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const file of ['networks.html', 'network-embed.html#controls=train,data,lr,chart']) {
    test(`axe finds no serious or critical violation on ${file.split('#')[0]}`, async () => {
      const { page, problems } = await openLab(session.browser, `${session.server.url}/${file}`, { viewport: { width: 1280, height: 900 } });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

describe('the network embed', () => {
  test('fills a 16:9 slide with the map and only the chosen controls', async () => {
    const { page, problems } = await openLab(session.browser,
      `${session.server.url}/network-embed.html#data=xor:n=200&hidden=4&opt=sgd:lr=0.3&controls=train,lr,chart`,
      { viewport: { width: 960, height: 540 } });
    const layout = await page.evaluate(() => ({
      scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
      visible: [...document.querySelectorAll('#controls fieldset')].filter((f) => !f.hidden).map((f) => f.dataset.control),
      params: [...document.querySelectorAll('#controls .param')].filter((p) => p.offsetParent).map((p) => p.dataset.key),
      map: document.getElementById('map-view').getBoundingClientRect().height,
      chart: !document.getElementById('curves-view').hidden,
    }));
    assert.deepEqual(layout.scroll, [960, 540], 'no scrollbars');
    assert.deepEqual(layout.visible, ['optimizer']);
    assert.deepEqual(layout.params, ['lr']);
    assert.equal(await page.isVisible('#play'), true, 'the player is in the figure bar');
    assert.ok(layout.map > 250 && layout.chart);
    await page.click('#step-epoch');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('epoch 1 '));
    assert.deepEqual(problems, []);
    await page.close();
  });
});
