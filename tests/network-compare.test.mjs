// Comparing and diagnosing training in the network lab, as a lecture asks: runs side by
// side, η over time, the learning-rate range test, inside training, the backward pass,
// the slides' panels, data of one's own, and programs that reproduce the whole setup.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './support.mjs';

const session = useBrowser('networks.html');
const { lab } = session;

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
