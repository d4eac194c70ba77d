// Comparing and diagnosing training in the network lab, as a lecture asks: runs side by
// side, η over time, the learning-rate range test, inside training, the backward pass,
// the slides' panels, data of one's own, and programs that reproduce the whole setup.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasPixels, drawn, useBrowser } from './support.mjs';

const session = useBrowser('networks.html');
const { lab } = session;

/** How many colours a canvas shows: a picture, not a blank or a note. */
const colours = async (page, selector) => (await canvasPixels(page, selector)).distinct;

/** Every run's updates so far, in order. */
const updates = (page) => page.evaluate(() => window.gradscape.lab.runs().map((r) => r.status.updates));

/** Both snippets of the page at `hash`, for its state as it runs. */
async function snippets(hash) {
  const { page, problems } = await lab(hash);
  await page.click('#show-keras');
  const keras = await page.textContent('#snippet');
  await page.click('#show-pytorch');
  const torch = await page.textContent('#snippet');
  const model = await page.evaluate(() => window.gradscape.lab.model());
  await page.close();
  assert.deepEqual(problems, []);
  return { keras, torch, model };
}

/** Asserts `text` contains every one of `parts`. */
const containsAll = (text, parts) => {
  for (const part of parts) assert.ok(text.includes(part), `missing ${JSON.stringify(part)} in\n${text}`);
};

describe('the snippets', () => {
  test('hold every setting of the lab: data, split, layers, init, λ, optimizer, batch, schedule, early stopping, seed', async () => {
    const { keras, torch, model } = await snippets(
      '#data=moons:n=300,noise=0.2&distort=2,1,1,0&norm=standard&hidden=5,4&act=relu&init=he&l2=0.001'
      + '&opt=momentum:lr=0.05,momentum=0.8&batch=16&sched=step:every=5,factor=0.5&early=7&restore=0&val=0.3&seed=4',
    );
    const shared = [
      'moons n=300 noise=0.2', 'x1 × 2 + 1', 'validation = 0.3', 'seed 4',
      `np.array(${JSON.stringify(model.normalize.mean)})`, `np.array(${JSON.stringify(model.normalize.std)})`,
      'train, val = rows[:, -1] == "train", rows[:, -1] == "validation"',
    ];
    containsAll(keras, [
      ...shared,
      'keras.layers.Dense(5, activation="relu", kernel_initializer=keras.initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal"), kernel_regularizer=keras.regularizers.L2(0.001))',
      'keras.layers.Dense(4, activation="relu"', 'keras.layers.Dense(2, activation="softmax"',
      'SGD(learning_rate=0.05, momentum=0.8)', 'batch_size=16',
      'LearningRateScheduler(lambda epoch, lr: max(lr * 0.5, 1e-12) if epoch > 0 and epoch % 5 == 0 else lr)',
      'EarlyStopping(monitor="val_loss", patience=7, restore_best_weights=False)',
      'keras.utils.set_random_seed(4)', 'np.array(layer["W"]).T',
    ]);
    containsAll(torch, [
      ...shared,
      'nn.Linear(2, 5), nn.ReLU(),', 'nn.Linear(5, 4), nn.ReLU(),', 'nn.Linear(4, 2),',
      "nn.init.kaiming_normal_(m.weight, nonlinearity='relu')",
      '0.001 * sum((m.weight ** 2).sum() for m in linears)', 'weight_decay=0.002 (2λ)',
      'torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.8)', '.split(16)',
      'StepLR(optimizer, step_size=5, gamma=0.5)', 'epoch - best_epoch >= 7',
      'torch.manual_seed(4)', 'm.weight.copy_(torch.tensor(layer["W"]))',
    ]);
    assert.ok(!torch.includes('load_state_dict(best_state)'), 'restore=0: the weights stay the last epoch\'s');
  });

  test('write the exponential and plateau schedules and restore-best as the lab runs them', async () => {
    const exponential = await snippets('#data=xor&opt=adam:lr=0.02&sched=exponential:decay=0.999&early=3');
    containsAll(exponential.keras, [
      'Adam(learning_rate=keras.optimizers.schedules.ExponentialDecay(0.02, decay_steps=1, decay_rate=0.999)',
      'EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)',
    ]);
    containsAll(exponential.torch, ['ExponentialLR(optimizer, gamma=0.999)', '        scheduler.step()', 'model.load_state_dict(best_state)']);
    const plateau = await snippets('#data=circles&opt=sgd:lr=0.1&sched=plateau:factor=0.2,patience=4&val=0');
    containsAll(plateau.keras, ['def __init__(self, factor=0.2, patience=4):', 'logs["loss"] < self.best * (1 - 1e-4)', 'callbacks=[Plateau()]']);
    containsAll(plateau.torch, [
      'ReduceLROnPlateau(optimizer, factor=0.2, patience=4, threshold=1e-4, min_lr=1e-12)', 'scheduler.step(watched)',
      'watched = full_loss(X_train, y_train).item()',
    ]);
  });
});

describe('runs side by side', () => {
  test('+ run adds a copy; a changed setting is its own in the link; the runs train in lockstep, pause, change places and go', async () => {
    const { page, problems } = await lab('#data=moons&opt=sgd:lr=0.3');
    await page.click('#add-run');
    await page.waitForFunction(() => location.hash.includes('runs=2') && location.hash.includes('run=2'));
    assert.equal(await page.locator('#runs .run').count(), 2);
    // The controls now show run 2: a change of η is run 2's alone.
    await page.fill('#controls .training [data-key="lr"] input[type="number"]', '0.03');
    await page.press('#controls .training [data-key="lr"] input[type="number"]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('2.opt=sgd:lr=0.03'));
    assert.match(page.url(), /&opt=sgd:lr=0\.3&runs=2&run=2&2\.opt=sgd:lr=0\.03$/, 'run 1 keeps its own η');
    const labels = await page.evaluate(() => window.gradscape.lab.runs().map((r) => r.label));
    assert.match(labels[1], /η = 0\.03/);
    assert.match(await page.textContent('#runs'), /2 · η = 0\.03/);
    // Lockstep: the same number of updates each, and two colours of curves.
    await page.click('#step-epoch');
    await page.waitForFunction(() => window.gradscape.lab.runs().every((r) => r.status.epoch >= 1));
    const [one, two] = await updates(page);
    assert.equal(one, two);
    await drawn(page);
    const curves = await canvasPixels(page, '#curves-view .curves-chart canvas', await page.evaluate(() => window.gradscape.lab.runs().map((r) => r.colour)));
    assert.ok(curves.counts.every((n) => n > 20), `each run's colour on the chart: ${curves.counts}`);
    assert.ok(await colours(page, '#curves-view .rates-chart canvas') > 3, 'the η chart draws');
    // Pause run 1: run 2 goes on alone.
    await page.click('#runs .run:nth-child(1) .run-pause');
    await page.click('#step-update');
    await page.waitForFunction((before) => window.gradscape.lab.runs()[1].status.updates > before, two);
    const [paused, going] = await updates(page);
    assert.equal(paused, one, 'a paused run keeps its weights');
    assert.ok(going > two);
    // Run 1 current: the controls show its η; then run 2 removed.
    await page.click('#runs .run:nth-child(1) .run-pick');
    await page.waitForFunction(() => !location.hash.includes('run=2&') && !/run=2$/.test(location.hash));
    assert.equal(await page.inputValue('#controls .training [data-key="lr"] input[type="number"]'), '0.3');
    await page.click('#runs .run:nth-child(2) .run-remove');
    await page.waitForFunction(() => !location.hash.includes('runs='));
    assert.equal(await page.evaluate(() => window.gradscape.lab.runs().length), 1);
    assert.equal(await page.locator('#runs .run').count(), 0, 'one run: no chips, only + run');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('removing the current run makes the one before it current, in the core, the controls and the link', async () => {
    const { page, problems } = await lab('#data=moons&opt=sgd:lr=0.3&runs=3&run=2&2.opt=sgd:lr=0.03&3.opt=sgd:lr=0.01');
    assert.equal(await page.inputValue('#controls .training [data-key="lr"] input[type="number"]'), '0.03');
    await page.click('#runs .run:nth-child(2) .run-remove');
    await page.waitForFunction(() => location.hash.includes('runs=2') && !location.hash.includes('run=2&') && !location.hash.includes('2.opt=sgd:lr=0.03'));
    assert.equal(await page.evaluate(() => window.gradscape.lab.runs().findIndex((r) => r.current)), 0);
    assert.equal(await page.inputValue('#controls .training [data-key="lr"] input[type="number"]'), '0.3', 'the controls show run 1');
    assert.match(page.url(), /&opt=sgd:lr=0\.3&runs=2&2\.opt=sgd$/, "the third run (SGD at its default η) is now the second");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a link holds every run and reopens them; a preset opens its runs; a hostile link is named and the rest runs', async () => {
    const hash = '#data=circles&opt=sgd:lr=0.1&runs=3&run=3&2.opt=adam:lr=0.001&3.init=he&3.batch=32';
    const { page, problems } = await lab(hash);
    const setups = await page.evaluate(() => window.gradscape.lab.run_setups());
    assert.deepEqual(setups.map((s) => [s.optimizer.id, s.optimizer.params.lr ?? null, s.init, s.batch]),
      [['sgd', 0.1, 'glorot-uniform', 10], ['adam', 0.001, 'glorot-uniform', 10], ['sgd', 0.1, 'he', 32]]);
    assert.ok(setups.every((s) => s.dataset.id === 'circles'), 'the runs share the data');
    assert.equal(await page.inputValue('#controls [data-key="batch"] input[type="number"]'), '32', 'run 3 is current');
    // Written back as read: every run's own keys, the count and the current run.
    await page.waitForFunction(() => ['runs=3', 'run=3', '2.opt=adam&', '3.init=he', '3.batch=32'].every((k) => location.hash.includes(k)));
    const again = await lab(await page.evaluate(() => location.hash));
    assert.deepEqual(await again.page.evaluate(() => window.gradscape.lab.run_setups()), setups, 'the written link reopens the same runs');
    await again.page.close();
    // The init zoo: four runs from the gallery.
    await page.click('#presets a:has-text("Init zoo")');
    await page.waitForFunction(() => window.gradscape.lab.runs().length === 4);
    assert.deepEqual(await page.evaluate(() => window.gradscape.lab.run_setups().map((s) => s.init)), ['zero', 'normal:0.01', 'glorot-uniform', 'he']);
    assert.deepEqual(problems, []);
    await page.close();
    const hostile = await lab('#data=moons&runs=9&2.opt=nonsense&7.init=he&2.batch=0');
    const notice = await hostile.page.textContent('#notice');
    assert.match(notice, /runs \(expected a run from 1 to 6\)/);
    assert.match(notice, /7\.init \(expected a run from 1 to 6\)/);
    assert.match(notice, /2\.opt \(the link has 1 run\)/);
    assert.equal(await hostile.page.evaluate(() => window.gradscape.lab.runs().length), 1);
    await hostile.page.click('#step-epoch');
    await hostile.page.waitForFunction(() => window.gradscape.lab.status().epoch === 1);
    assert.deepEqual(hostile.problems, []);
    await hostile.page.close();
    const bad = await lab('#data=moons&runs=2&2.opt=nonsense&2.batch=0');
    const text = await bad.page.textContent('#notice');
    assert.match(text, /2\.opt/);
    assert.match(text, /2\.batch/);
    assert.equal(await bad.page.evaluate(() => window.gradscape.lab.runs().length), 2, 'the run is kept with defaults where it was wrong');
    assert.deepEqual(bad.problems, []);
    await bad.page.close();
  });
});

describe('looking inside training', () => {
  test('the range test fills in across frames and names the lowest loss; inside, g(z) and softmax draw', async () => {
    const { page, problems } = await lab('#data=spirals:k=3&opt=sgd:lr=0.3');
    await page.click('#tab-range');
    await page.click('#run-range');
    await page.waitForFunction(() => /lowest loss/.test(document.getElementById('range-note').textContent), null, { timeout: 60_000 });
    const report = await page.evaluate(() => window.gradscape.lab.lr_range());
    assert.equal(report.computed.length, 50);
    assert.ok(report.done);
    assert.match(await page.textContent('#range-note'), new RegExp(`at η = ${Number(report.best.lr.toPrecision(2))}`));
    assert.ok(await colours(page, '#range-view canvas') > 5);
    // A change of η keeps the test: it did not depend on it.
    await page.fill('#controls .training [data-key="lr"] input[type="number"]', '0.1');
    await page.press('#controls .training [data-key="lr"] input[type="number"]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('lr=0.1'));
    assert.ok(await page.evaluate(() => window.gradscape.lab.lr_range()?.done));
    // Inside training, after an epoch; the activation of each hidden layer; the softmax of a point.
    await page.click('#step-epoch');
    await page.waitForFunction(() => window.gradscape.lab.status().epoch === 1);
    await page.click('#tab-inside');
    await drawn(page);
    assert.ok(await colours(page, '#inside-view canvas') > 5);
    await page.click('#tab-activation');
    await drawn(page);
    const first = await canvasPixels(page, '#activation-view canvas');
    await page.selectOption('#activation-layer', '2');
    await drawn(page);
    const second = await canvasPixels(page, '#activation-view canvas');
    assert.notEqual(first.digest, second.digest, 'the second layer has its own histogram');
    await page.click('#tab-softmax');
    assert.ok(await page.isVisible('#softmax-view .hint'), 'no point yet: a hint');
    const [u, v] = await page.evaluate(() => window.gradscape.lab.pixel_of_point(3));
    const box = await page.locator('#map-view .points').boundingBox();
    const ratio = await page.evaluate(() => devicePixelRatio);
    await page.mouse.click(box.x + u / ratio, box.y + v / ratio);
    await drawn(page);
    assert.ok(await colours(page, '#softmax-view canvas') > 5, 'the softmax panel stays and draws the point');
    assert.ok(await page.isVisible('#softmax-view canvas'));
    await page.click('#tab-backprop');
    assert.match(await page.textContent('#inspector'), /∂l\/∂f\(x\)ᵢ = −1y=i \/ f\(x\)y/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the backward pass steps through every stage of the inspected point, then back to the network', async () => {
    const { page, problems } = await lab('#data=xor&hidden=3');
    const stages = await page.evaluate(() => window.gradscape.lab.pass_stages(0));
    assert.equal(stages.length, 2 * 2 + 2, '2L + 2 stages for two layers of weights');
    const digests = [];
    for (let s = 0; s < stages.length; s++) {
      await page.click('#pass-step');
      await page.waitForFunction((t) => document.getElementById('pass-caption').textContent.includes(t), `${s + 1}/${stages.length}`);
      await drawn(page);
      digests.push((await canvasPixels(page, '#network-view canvas')).digest);
    }
    assert.equal(new Set(digests).size, stages.length, 'each stage its own picture');
    assert.ok((await page.textContent('#pass-caption')).includes(stages.at(-1)));
    await page.click('#pass-close');
    assert.equal(await page.textContent('#pass-caption'), '');
    await page.click('#pass-play');
    await page.waitForFunction(() => document.getElementById('pass-caption').textContent.startsWith('2/'), null, { timeout: 10_000 });
    await page.click('#pass-play');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('data of one\'s own', () => {
  test('a CSV of three classes loads, a malformed one is refused with its line, points are removed and cleared', async () => {
    const { page, problems } = await lab('#data=moons');
    const rows = ['x1,x2,label'];
    for (let i = 0; i < 60; i++) rows.push(`${Math.cos(i)},${Math.sin(i * 1.7)},${i % 3}`);
    await page.setInputFiles('#load-points', { name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.waitForFunction(() => window.gradscape.lab.status().classes === 3);
    const status = await page.evaluate(() => window.gradscape.lab.status());
    assert.equal(status.train + status.validation, 60);
    assert.equal(await page.locator('#click-modes input[value="2"]').count(), 1, 'a click can add class 2');
    await page.setInputFiles('#load-points', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n0,1,0\n0.5,oops,1\n') });
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await page.textContent('#notice'), /line 3/);
    assert.equal(await page.evaluate(() => window.gradscape.lab.status().classes), 3, 'the loaded points stay');
    // Remove the point under the pointer.
    await page.check('#click-modes input[value="remove"]', { force: true });
    const [u, v] = await page.evaluate(() => window.gradscape.lab.pixel_of_point(0));
    const box = await page.locator('#map-view .points').boundingBox();
    const ratio = await page.evaluate(() => devicePixelRatio);
    await page.mouse.click(box.x + u / ratio, box.y + v / ratio);
    await page.waitForFunction(() => { const s = window.gradscape.lab.status(); return s.train + s.validation === 59; });
    // Clear all: training waits, the page keeps working; a click adds a point again.
    await page.click('#clear-points');
    await page.waitForFunction(() => { const s = window.gradscape.lab.status(); return s.train + s.validation === 0; });
    await page.click('#step-update');
    await drawn(page);
    assert.equal(await page.evaluate(() => window.gradscape.lab.status().updates), 0);
    await page.check('#click-modes input[value="1"]', { force: true });
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => window.gradscape.lab.status().train === 1);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
