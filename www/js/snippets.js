// Keras and PyTorch programs that reproduce the lab's whole setup: its data and split
// (the "data CSV" export), the input normalization fitted on the training split, the
// network and its initialization, the loss with λ Σ‖W‖², the optimizer, the schedule,
// the epoch loop with its validation loss, and early stopping. Both run in float64, as
// the lab does; their random streams are not the lab's, so each can start from the
// lab's own weights (the model JSON export).

const KERAS_OPTIMIZERS = {
  sgd: (p, lr) => `SGD(learning_rate=${lr})`,
  momentum: (p, lr) => `SGD(learning_rate=${lr}, momentum=${p.momentum})`,
  nesterov: (p, lr) => `SGD(learning_rate=${lr}, momentum=${p.momentum}, nesterov=True)`,
  adagrad: (p, lr) => `Adagrad(learning_rate=${lr}, initial_accumulator_value=${p.initial_accumulator_value}, epsilon=${p.eps})`,
  rmsprop: (p, lr) => `RMSprop(learning_rate=${lr}, rho=${p.alpha}, momentum=${p.momentum}, epsilon=${p.eps}, centered=${p.centered ? 'True' : 'False'})`,
  adadelta: (p, lr) => `Adadelta(learning_rate=${lr}, rho=${p.rho}, epsilon=${p.eps})`,
  adam: (p, lr) => `Adam(learning_rate=${lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  adamw: (p, lr) => `AdamW(learning_rate=${lr}, weight_decay=${p.weight_decay}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  nadam: (p, lr) => `Nadam(learning_rate=${lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps})`,
  lion: (p, lr) => `Lion(learning_rate=${lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, weight_decay=${p.weight_decay || 'None'})`,
};

const TORCH_OPTIMIZERS = {
  sgd: (p) => `torch.optim.SGD(model.parameters(), lr=${p.lr})`,
  momentum: (p) => `torch.optim.SGD(model.parameters(), lr=${p.lr}, momentum=${p.momentum})`,
  nesterov: (p) => `torch.optim.SGD(model.parameters(), lr=${p.lr}, momentum=${p.momentum}, nesterov=True)  # Sutskever's form of the lecture's update`,
  adagrad: (p) => `torch.optim.Adagrad(model.parameters(), lr=${p.lr}, lr_decay=${p.lr_decay}, eps=${p.eps}, initial_accumulator_value=${p.initial_accumulator_value})`,
  rmsprop: (p) => `torch.optim.RMSprop(model.parameters(), lr=${p.lr}, alpha=${p.alpha}, eps=${p.eps}, momentum=${p.momentum}, centered=${p.centered ? 'True' : 'False'})`,
  adadelta: (p) => `torch.optim.Adadelta(model.parameters(), lr=${p.lr}, rho=${p.rho}, eps=${p.eps})`,
  adam: (p) => `torch.optim.Adam(model.parameters(), lr=${p.lr}, betas=(${p.beta1}, ${p.beta2}), eps=${p.eps}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  adamw: (p) => `torch.optim.AdamW(model.parameters(), lr=${p.lr}, betas=(${p.beta1}, ${p.beta2}), eps=${p.eps}, weight_decay=${p.weight_decay}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  nadam: (p) => `torch.optim.NAdam(model.parameters(), lr=${p.lr}, betas=(${p.beta1}, ${p.beta2}), eps=${p.eps}, momentum_decay=${p.momentum_decay})`,
};

/** The smallest η a schedule decays to (the core's `schedule::SMALLEST_RATE`). */
const SMALLEST_RATE = '1e-12';
/** A loss improves on the best by more than this fraction (the core's `IMPROVEMENT`). */
const IMPROVEMENT = '1e-4';

// Keras' glorot_normal and he_normal draw from a truncated normal; the lab's, like
// PyTorch's, from the normal itself.
function kerasInit(init) {
  const [id, value] = init.split(':');
  return {
    'glorot-uniform': '"glorot_uniform"',
    'glorot-normal': 'keras.initializers.VarianceScaling(1.0, "fan_avg", "untruncated_normal")',
    he: 'keras.initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal")',
    orthogonal: '"orthogonal"',
    zero: '"zeros"',
    normal: `keras.initializers.RandomNormal(stddev=${value ?? 0.01})`,
    uniform: `keras.initializers.RandomUniform(-${value ?? 0.05}, ${value ?? 0.05})`,
    constant: `keras.initializers.Constant(${value ?? 0.5})`,
  }[id];
}

function torchInit(init) {
  const [id, value] = init.split(':');
  return {
    'glorot-uniform': 'nn.init.xavier_uniform_(m.weight)',
    'glorot-normal': 'nn.init.xavier_normal_(m.weight)',
    he: "nn.init.kaiming_normal_(m.weight, nonlinearity='relu')",
    orthogonal: 'nn.init.orthogonal_(m.weight)',
    zero: 'nn.init.zeros_(m.weight)',
    normal: `nn.init.normal_(m.weight, std=${value ?? 0.01})`,
    uniform: `nn.init.uniform_(m.weight, -${value ?? 0.05}, ${value ?? 0.05})`,
    constant: `nn.init.constant_(m.weight, ${value ?? 0.5})`,
  }[id];
}

/** The negative log-likelihoods of the Gaussian and mixture outputs, as the lab
 * computes them (`ops`: `tf` or `torch`, which name their functions alike here). */
const GAUSSIAN_NLL = (ops, mu, logVar, y) => `0.5 * (math.log(2 * math.pi) + ${logVar} + (${y} - ${mu}) ** 2 * ${ops}.exp(-${logVar}))`;
function mixtureLoss(ops, k) {
  const [split, logSoftmax, logSumExp] = ops === 'tf'
    ? [`tf.split(z, 3, axis=1)`, 'tf.nn.log_softmax(logits, axis=1)', 'tf.reduce_logsumexp(log_pi + log_n, axis=1)']
    : [`z.split(${k}, dim=1)`, 'torch.log_softmax(logits, dim=1)', 'torch.logsumexp(log_pi + log_n, dim=1)'];
  return [
    `def loss_fn(${ops === 'tf' ? 'y, z' : 'z, y'}):  # −ln Σₖ πₖ N(y; μₖ, σₖ²): ${k} logits, ${k} means, ${k} log variances`,
    `    logits, mu, log_var = ${split}`,
    `    log_pi = ${logSoftmax}`,
    `    log_n = -${GAUSSIAN_NLL(ops, 'mu', 'log_var', 'y')}`,
    `    return -${ops === 'tf' ? 'tf.reduce_mean' : ''}(${logSumExp})${ops === 'tf' ? '' : '.mean()'}`,
  ].join('\n');
}

/** Output units, the loss and the targets' type, by the running network's output
 * (`status.output`). */
function head(status, state) {
  if (status.output === 'gaussian') {
    return {
      units: 2,
      keras: ['linear', 'loss_fn'],
      target: 'float',
      define: (ops) => [
        `def loss_fn(${ops === 'tf' ? 'y, z' : 'z, y'}):  # ½[ln 2π + z₂ + (y − μ)² e^(−z₂)] with μ = z₁, log σ² = z₂`,
        `    return ${ops === 'tf' ? 'tf.reduce_mean' : ''}(${GAUSSIAN_NLL(ops, 'z[:, :1]', 'z[:, 1:]', 'y')})${ops === 'tf' ? '' : '.mean()'}`,
      ].join('\n'),
    };
  }
  if (status.output === 'mdn') {
    const k = Number(/k=(\d+)/.exec(state.output)?.[1] ?? 3);
    return { units: 3 * k, keras: ['linear', 'loss_fn'], target: 'float', define: (ops) => mixtureLoss(ops, k) };
  }
  if (status.task === 'regression') return { units: 1, keras: ['linear', '"mse"'], torch: 'nn.MSELoss()', target: 'float' };
  if (status.task === 'binary') return { units: 1, keras: ['sigmoid', '"binary_crossentropy"'], torch: 'nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy from the logit', target: 'float' };
  return { units: status.classes, keras: ['softmax', '"sparse_categorical_crossentropy"'], torch: 'nn.CrossEntropyLoss()  # softmax + NLL from the logits', target: 'int' };
}

/** The setup in one comment line, as the lab's controls name it. */
function describe(state, status) {
  const spec = ({ id, params }) => [id, ...Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`)].join(' ');
  return [
    `# The lab's setup: data ${spec(state.dataset)}, ${state.hidden.length ? `hidden ${state.hidden.join(',')} ${state.activation}` : 'no hidden layer'}, output ${status.output},`,
    `# init ${state.init}, λ = ${state.l2}, ${spec(state.optimizer)}, batch ${state.batch}, schedule ${spec(state.schedule)},`,
    `# early stopping ${state.early_stopping ? `after ${state.early_stopping} epochs${state.restore_best ? ', restoring the best weights' : ''}` : 'off'}, validation ${state.validation}, seed ${state.seed}.`,
  ];
}

/**
 * The data and its split from the lab's CSV export, and the input normalization
 * fitted on the training split (`model.normalize`, as the model JSON records it).
 */
function data(state, status, model) {
  const regression = status.task === 'regression';
  const distorted = state.distort.length ? `, inputs already distorted (${state.distort.map(([a, c], j) => `x${j + 1} × ${a} + ${c}`).join(', ')})` : '';
  const lines = [
    `# data.csv: the lab's "data CSV" export${state.dataset.id === 'digits' ? ' (pixels over 16)' : ''}${distorted}; its last column is the`,
    `# lab's split (validation = ${state.validation} of the points, drawn with seed ${state.seed}).`,
    'rows = np.loadtxt("data.csv", delimiter=",", skiprows=1, dtype=str)',
    'X = rows[:, :-2].astype(np.float64)',
    `y = rows[:, -2].astype(${regression || status.task === 'binary' ? 'np.float64' : 'np.int64'})${regression || status.task === 'binary' ? '[:, None]' : ''}`,
    'train, val = rows[:, -1] == "train", rows[:, -1] == "validation"',
  ];
  const n = model?.normalize;
  if (n?.kind === 'standard') {
    lines.push(`X = (X - np.array(${JSON.stringify(n.mean)})) / np.array(${JSON.stringify(n.std)})  # normalize ${state.normalize}: as fitted on the training split`);
  } else if (n?.kind?.startsWith('quantile')) {
    lines.push(`from sklearn.preprocessing import QuantileTransformer  # normalize ${state.normalize}: the lab follows it exactly`,
      `X = QuantileTransformer(n_quantiles=${n.quantiles[0].length}, output_distribution="${n.kind === 'quantile-normal' ? 'normal' : 'uniform'}").fit(X[train]).transform(X)`);
  }
  return ['import json', 'import math', 'import numpy as np', ...describe(state, status), ...lines];
}

/** The lab's η rule as code, or null for a constant η. */
const scheduleOf = (state) => (state.schedule.id === 'constant' ? null : state.schedule);

/** What early stopping and plateau watch: the validation loss, or the training loss with no validation set. */
const watchedName = (state) => (state.validation > 0 ? 'val_loss' : 'loss');

/** How many epochs to run: as many as the lab has, or 100 before it starts. */
const epochsOf = (status) => (status.epoch > 0 ? status.epoch : 100);

export function kerasSnippet(state, status, inputs, model) {
  const out = head(status, state);
  const l2 = `, kernel_regularizer=keras.regularizers.L2(${state.l2})`;
  const init = kerasInit(state.init);
  const layers = [
    `    keras.Input(shape=(${inputs},)),`,
    ...state.hidden.map((h) => `    keras.layers.Dense(${h}, activation="${state.activation === 'identity' ? 'linear' : state.activation}", kernel_initializer=${init}${l2}),`),
    `    keras.layers.Dense(${out.units}, activation="${out.keras[0]}", kernel_initializer=${init}${l2}),`,
  ];
  const schedule = scheduleOf(state);
  const p = state.optimizer.params;
  const lr = schedule?.id === 'exponential'
    ? `keras.optimizers.schedules.ExponentialDecay(${p.lr}, decay_steps=1, decay_rate=${schedule.params.decay})`
    : p.lr;
  const optimizer = KERAS_OPTIMIZERS[state.optimizer.id];
  const watched = watchedName(state);
  const callbacks = [];
  const classes = [];
  if (schedule?.id === 'step') {
    callbacks.push(`keras.callbacks.LearningRateScheduler(lambda epoch, lr: max(lr * ${schedule.params.factor}, ${SMALLEST_RATE}) if epoch > 0 and epoch % ${schedule.params.every} == 0 else lr)`);
  }
  if (schedule?.id === 'plateau') {
    classes.push(
      '',
      `class Plateau(keras.callbacks.Callback):  # η × factor after more than \`patience\` epochs without a ${watched} ${IMPROVEMENT} (relatively) below the best, as the lab and torch's ReduceLROnPlateau do`,
      `    def __init__(self, factor=${schedule.params.factor}, patience=${schedule.params.patience}):`,
      '        super().__init__()',
      '        self.factor, self.patience, self.best, self.waited = factor, patience, math.inf, 0',
      '',
      '    def on_epoch_end(self, epoch, logs):',
      `        if logs["${watched}"] < self.best * (1 - ${IMPROVEMENT}):`,
      `            self.best, self.waited = logs["${watched}"], 0`,
      '        else:',
      '            self.waited += 1',
      '            if self.waited > self.patience:',
      '                self.waited = 0',
      '                rate = self.model.optimizer.learning_rate',
      `                rate.assign(max(float(rate) * self.factor, ${SMALLEST_RATE}))`,
    );
    callbacks.push('Plateau()');
  }
  if (state.early_stopping > 0) {
    callbacks.push(`keras.callbacks.EarlyStopping(monitor="${watched}", patience=${state.early_stopping}, restore_best_weights=${state.restore_best ? 'True' : 'False'})`);
  }
  return [
    'import keras',
    'import tensorflow as tf',
    ...data(state, status, model),
    ...(out.define ? [out.define('tf')] : []),
    '',
    'keras.backend.set_floatx("float64")',
    `keras.utils.set_random_seed(${state.seed})  # not the lab's random stream: load_lab_weights below starts from the lab's θ`,
    'model = keras.Sequential([',
    ...layers,
    '])',
    '',
    '',
    'def load_lab_weights(path="model.json"):  # the lab\'s "model JSON" export',
    '    for dense, layer in zip(model.layers, json.load(open(path))["layers"]):',
    '        dense.set_weights([np.array(layer["W"]).T, np.array(layer["b"])])  # a Keras kernel is [in, out]: Wᵀ of the lab\'s W [out, in]',
    '',
    '',
    '# load_lab_weights()',
    ...classes,
    '',
    `# L2(${state.l2}) adds λ Σ‖W‖² (kernels only, not biases) to the loss, as the lab's L does; Keras's val_loss includes it.`,
    optimizer
      ? `model.compile(optimizer=keras.optimizers.${optimizer(p, lr)},`
      : `# Keras has no ${state.optimizer.id} optimizer; SGD stands in.\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=${lr}),`,
    `              loss=${out.keras[1]}, metrics=${status.task === 'regression' ? '[]' : '["accuracy"]'})`,
    `model.fit(X[train], y[train], batch_size=${state.batch}, epochs=${epochsOf(status)}, shuffle=True,  # reshuffled every epoch, as in the lab`,
    `          validation_data=(X[val], y[val]) if val.any() else None${callbacks.length ? `,\n          callbacks=[${callbacks.join(',\n                     ')}]` : ''})`,
  ].join('\n');
}

export function torchSnippet(state, status, inputs, model) {
  const out = head(status, state);
  const activation = { tanh: 'nn.Tanh()', relu: 'nn.ReLU()', sigmoid: 'nn.Sigmoid()', identity: 'nn.Identity()' }[state.activation];
  const sizes = [inputs, ...state.hidden];
  const layers = [];
  for (let i = 0; i < state.hidden.length; i++) layers.push(`nn.Linear(${sizes[i]}, ${sizes[i + 1]}), ${activation},`);
  layers.push(`nn.Linear(${sizes[sizes.length - 1]}, ${out.units}),`);
  const optimizer = TORCH_OPTIMIZERS[state.optimizer.id];
  const schedule = scheduleOf(state);
  const scheduler = {
    exponential: (s) => `torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=${s.decay})  # stepped after every update`,
    step: (s) => `torch.optim.lr_scheduler.StepLR(optimizer, step_size=${s.every}, gamma=${s.factor})  # stepped after every epoch`,
    plateau: (s) => `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=${s.factor}, patience=${s.patience}, threshold=${IMPROVEMENT}, min_lr=${SMALLEST_RATE})`,
  }[schedule?.id];
  const watched = state.validation > 0 ? 'X_val, y_val' : 'X_train, y_train';
  const early = state.early_stopping > 0;
  const target = out.target === 'int' ? 'torch.long' : 'torch.float64';
  return [
    'import copy',
    'import torch',
    'from torch import nn',
    ...data(state, status, model),
    ...(out.define ? [out.define('torch')] : [`loss_fn = ${out.torch}`]),
    '',
    'torch.set_default_dtype(torch.float64)',
    `torch.manual_seed(${state.seed})  # not the lab's random stream: load_lab_weights below starts from the lab's θ`,
    `X_train, X_val = torch.tensor(X[train]), torch.tensor(X[val])`,
    `y_train, y_val = torch.tensor(y[train], dtype=${target}), torch.tensor(y[val], dtype=${target})`,
    'model = nn.Sequential(',
    ...layers.map((l) => `    ${l}`),
    ')',
    'linears = [m for m in model if isinstance(m, nn.Linear)]',
    'for m in linears:',
    `    ${torchInit(state.init)}`,
    '    nn.init.zeros_(m.bias)',
    '',
    '',
    'def load_lab_weights(path="model.json"):  # the lab\'s "model JSON" export; a torch weight is [out, in], as the lab\'s W',
    '    with torch.no_grad():',
    '        for m, layer in zip(linears, json.load(open(path))["layers"]):',
    '            m.weight.copy_(torch.tensor(layer["W"]))',
    '            m.bias.copy_(torch.tensor(layer["b"]))',
    '',
    '',
    '# load_lab_weights()',
    '',
    '',
    `def full_loss(X, y):  # L = data loss + λ Σ‖W‖² (biases excluded), as the lab's curves; for plain SGD the λ term is weight_decay=${2 * state.l2} (2λ) on the weights alone`,
    `    return loss_fn(model(X), y) + ${state.l2} * sum((m.weight ** 2).sum() for m in linears)`,
    '',
    '',
    optimizer ? `optimizer = ${optimizer(state.optimizer.params)}` : `# torch.optim has no ${state.optimizer.id}; SGD stands in.\noptimizer = torch.optim.SGD(model.parameters(), lr=${state.optimizer.params.lr})`,
    ...(scheduler ? [`scheduler = ${scheduler(schedule.params)}`] : []),
    ...(early ? ['best, best_epoch, best_state = math.inf, 0, None'] : []),
    `for epoch in range(1, ${epochsOf(status)} + 1):`,
    `    for batch in torch.randperm(len(X_train)).split(${state.batch}):  # reshuffled every epoch`,
    '        loss = full_loss(X_train[batch], y_train[batch])',
    '        optimizer.zero_grad()',
    '        loss.backward()',
    '        optimizer.step()',
    ...(schedule?.id === 'exponential' ? ['        scheduler.step()'] : []),
    '    with torch.no_grad():',
    `        watched = full_loss(${watched}).item()  # what the lab's ${state.validation > 0 ? 'validation' : 'training'} curve shows, and what plateau and early stopping watch`,
    ...(schedule?.id === 'step' ? ['    scheduler.step()'] : []),
    ...(schedule?.id === 'plateau' ? ['    scheduler.step(watched)'] : []),
    ...(early ? [
      '    if watched < best:',
      '        best, best_epoch, best_state = watched, epoch, copy.deepcopy(model.state_dict())',
      `    elif epoch - best_epoch >= ${state.early_stopping}:  # early stopping`,
      ...(state.restore_best ? ['        model.load_state_dict(best_state)  # restore the best epoch\'s weights'] : []),
      '        break',
    ] : []),
  ].join('\n');
}
