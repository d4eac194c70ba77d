// The rest of the lecture in the network lab, as a student meets it: inputs in other
// units and their normalization, an output that predicts its own noise, a mixture of
// Gaussians, and the digits, fetched only when chosen.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasPixels, drawn, useBrowser } from './support.mjs';

const session = useBrowser('networks.html');
const { lab } = session;

/** How many colours a canvas shows: a picture, not a blank or a note. */
const colours = async (page, selector) => (await canvasPixels(page, selector)).distinct;

/** Trains `epochs` epochs through the epoch button, waiting for each. */
async function trainEpochs(page, epochs) {
  for (let i = 0; i < epochs; i++) {
    const before = await page.evaluate(() => window.gradscape.lab.status().epoch);
    await page.click('#step-epoch');
    await page.waitForFunction((e) => window.gradscape.lab.status().epoch > e, before);
  }
  await drawn(page);
}

describe('inputs in other units', () => {
  test('distort and normalize are controls and link keys; the map keeps the data where it was', async () => {
    const { page, problems } = await lab('#data=moons&opt=sgd:lr=0.3');
    const plain = await page.evaluate(() => window.gradscape.lab.pixel_of_point(7));
    await page.fill('[aria-label="scale of x₁"]', '100');
    await page.press('[aria-label="scale of x₁"]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('distort=100,0,1,0'));
    await page.fill('[aria-label="shift of x₁"]', '50');
    await page.press('[aria-label="shift of x₁"]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('distort=100,50,1,0'));
    assert.deepEqual(await page.evaluate(() => window.gradscape.lab.setup().distort), [[100, 50], [1, 0]]);
    assert.deepEqual(await page.evaluate(() => window.gradscape.lab.pixel_of_point(7)), plain, 'the point is drawn where it was');
    await page.selectOption('#normalize', 'standard');
    await page.waitForFunction(() => location.hash.includes('norm=standard'));
    assert.match(await page.textContent('#controls .data'), /mean|std/, 'the choice says what it computes');
    // Reload the link: the same setup.
    const hash = await page.evaluate(() => location.hash);
    const again = await lab(hash);
    assert.deepEqual(await again.page.evaluate(() => window.gradscape.lab.setup()), await page.evaluate(() => window.gradscape.lab.setup()));
    // Back to 1 and 0: no distortion, nothing in the link.
    await page.fill('[aria-label="scale of x₁"]', '1');
    await page.press('[aria-label="scale of x₁"]', 'Enter');
    await page.fill('[aria-label="shift of x₁"]', '0');
    await page.press('[aria-label="shift of x₁"]', 'Enter');
    await page.waitForFunction(() => !location.hash.includes('distort'));
    assert.deepEqual(problems, []);
    assert.deepEqual(again.problems, []);
    await again.page.close();
    await page.close();
  });

  test('the preset: distorted inputs fail to train, standardized ones learn at the same η', async () => {
    const { page, problems } = await lab('');
    const presets = await page.$$eval('#presets a', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]));
    const [, href] = presets.find(([title]) => /Standardize your inputs/.test(title));
    await page.goto(new URL(href, page.url()).href);
    await page.waitForFunction((h) => location.hash === h.slice(h.indexOf('#')), href);
    await drawn(page);
    assert.ok((await page.evaluate(() => window.gradscape.lab.setup().distort)).length > 0);
    assert.equal(await page.evaluate(() => window.gradscape.lab.setup().normalize), 'none');
    assert.match(await page.textContent('#caption'), /normalize/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('outputs that say how sure they are', () => {
  test('a Gaussian output draws μ(x) with its bands μ ± σ and μ ± 2σ', async () => {
    const { page, problems } = await lab('#data=noisy-curve&out=gaussian&opt=adam:lr=0.01&hidden=16,16');
    await trainEpochs(page, 40);
    const status = await page.evaluate(() => window.gradscape.lab.status());
    assert.equal(status.output, 'gaussian');
    assert.equal(await page.$eval('#output', (s) => s.value), 'gaussian');
    // The bands are drawn: the map has translucent fills beside the mean's line.
    const shown = await colours(page, '#map-view canvas');
    assert.ok(shown > 20, `${shown} colours`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a mixture density network draws p(y | x) as a heatmap beside the squared error\'s f(x); k is a control and a link key', async () => {
    const { page, problems } = await lab('#data=two-branches&out=mdn:k=3&opt=adam:lr=0.01&hidden=16,16');
    await trainEpochs(page, 20);
    assert.equal(await page.$eval('#output', (s) => s.value), 'mdn');
    assert.equal(await page.$eval('[data-key="k"] input', (i) => i.value), '3');
    const shown = await colours(page, '#map-view canvas');
    assert.ok(shown > 50, `a density heatmap: ${shown} colours`);
    // k is a slider with its number; the link follows it.
    await page.fill('[data-key="k"] input[type=number]', '2');
    await page.waitForFunction(() => location.hash.includes('out=mdn:k=2'));
    assert.equal(await page.evaluate(() => window.gradscape.lab.setup().output), 'mdn:k=2');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('hostile links: an unknown output, k = 0 or 100, a bad distortion or normalization', async () => {
    for (const [hash, key] of [
      ['#data=curve&out=poisson', 'out'], ['#data=curve&out=mdn:k=0', 'out'], ['#data=curve&out=mdn:k=100', 'out'],
      ['#data=moons&distort=1,2,3', 'distort'], ['#data=moons&distort=0,0,1,0', 'distort'], ['#data=moons&norm=magic', 'norm'],
      ['#data=moons&distort=1e308,0,1,0', 'distort'],
    ]) {
      const { page, problems } = await lab(hash);
      const notice = await page.textContent('#notice');
      assert.ok(notice.includes(key), `${hash}: ${notice}`);
      assert.deepEqual(problems, [], hash);
      assert.ok(await page.evaluate(() => window.gradscape.lab.status().parameters > 0), 'a working network');
      await page.close();
    }
  });
});

describe('the digits', () => {
  test('are fetched only when chosen; the grid, the weights and the confusion matrix show; a click inspects a digit', async () => {
    const { page, problems } = await lab('#data=moons');
    const fetched = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    assert.ok(!fetched.some((p) => p.endsWith('digits.bin')), 'not on the first load');
    await page.selectOption('#dataset', 'digits');
    await page.waitForFunction(() => window.gradscape.lab.status().image !== null && window.gradscape.lab.status().image !== undefined);
    assert.equal(fetched.filter((p) => p.endsWith('digits.bin')).length, 1);
    assert.ok(await page.isHidden('#tab-network'));
    assert.ok(await page.isHidden('#click-modes'));
    await trainEpochs(page, 3);
    assert.ok(await colours(page, '#map-view .images') > 10, 'the grid of digits is drawn');
    // The weights, then the confusion matrix.
    assert.ok(await page.isVisible('#weights-view'));
    assert.ok(await colours(page, '#weights-view canvas') > 10);
    await page.click('#tab-confusion');
    await drawn(page);
    assert.ok(await colours(page, '#confusion-view canvas') > 3);
    // Click the first digit of the grid: the inspector shows its 8×8 input.
    const box = await page.$eval('#map-view .images', (c) => { const b = c.getBoundingClientRect(); return [b.left, b.top, b.width]; });
    const [left, top] = box;
    let index = -1;
    for (let y = top + 30; y < top + 120 && index < 0; y += 6) {
      for (let x = left + 6; x < left + 120 && index < 0; x += 6) {
        index = await page.evaluate(([px, py]) => {
          const canvas = document.querySelector('#map-view .images');
          const b = canvas.getBoundingClientRect();
          const ratio = canvas.width / b.width;
          return window.gradscape.lab.digit_at((px - b.left) * ratio, (py - b.top) * ratio);
        }, [x, y]);
        if (index >= 0) await page.mouse.click(x, y);
      }
    }
    assert.ok(index >= 0, 'a digit under the pointer');
    await page.waitForSelector('#inspector dt');
    assert.equal(await page.textContent('#inspector h2'), `Backprop for image ${index}`);
    const rows = await page.$eval('#inspector dd table', (t) => t.rows.length);
    assert.equal(rows, 8, 'x as the 8×8 image');
    assert.deepEqual(problems, []);
    // A link to the digits fetches them before the network opens.
    const linked = await lab('#data=digits&hidden=32');
    assert.deepEqual(await linked.page.evaluate(() => window.gradscape.lab.status().image), [8, 8]);
    assert.deepEqual(linked.problems, []);
    await linked.page.close();
    await page.close();
  });
});

describe('the snippets', () => {
  test('write the normalization as fitted, the density outputs\' NLL, and the digits\' data', async () => {
    const { page, problems } = await lab('#data=two-branches&out=mdn:k=2&norm=standard');
    await page.click('#show-pytorch');
    const torch = await page.textContent('#snippet');
    const fitted = await page.evaluate(() => window.gradscape.lab.model().normalize);
    assert.equal(fitted.kind, 'standard');
    assert.ok(torch.includes(`np.array(${JSON.stringify(fitted.mean)})`) && torch.includes(`np.array(${JSON.stringify(fitted.std)})`), torch);
    assert.ok(torch.includes('z.split(2, dim=1)') && torch.includes('torch.logsumexp(log_pi + log_n, dim=1)'), torch);
    assert.match(torch, /nn\.Linear\(8, 6\)/, '3K = 6 output units');
    await page.click('#show-keras');
    assert.match(await page.textContent('#snippet'), /tf\.reduce_logsumexp/);
    const digits = await lab('#data=digits&hidden=32&norm=quantile-normal');
    await digits.page.click('#show-keras');
    const keras = await digits.page.textContent('#snippet');
    assert.ok(keras.includes('rows = np.loadtxt("data.csv"') && keras.includes('(pixels over 16)'), keras);
    assert.ok(keras.includes('keras.Input(shape=(64,))') && keras.includes('Dense(10, activation="softmax"'), keras);
    assert.ok(keras.includes('QuantileTransformer(n_quantiles=1000, output_distribution="normal")'), keras);
    assert.deepEqual(problems, []);
    assert.deepEqual(digits.problems, []);
    await digits.page.close();
    await page.close();
  });
});
