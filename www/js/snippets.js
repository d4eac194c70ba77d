// Keras and PyTorch code that builds the same network, loss and optimizer as the lab,
// with the same data and input normalization.

const KERAS_OPTIMIZERS = {
  sgd: (p) => `SGD(learning_rate=${p.lr})`,
  momentum: (p) => `SGD(learning_rate=${p.lr}, momentum=${p.momentum})`,
  nesterov: (p) => `SGD(learning_rate=${p.lr}, momentum=${p.momentum}, nesterov=True)`,
  adagrad: (p) => `Adagrad(learning_rate=${p.lr}, initial_accumulator_value=${p.initial_accumulator_value}, epsilon=${p.eps})`,
  rmsprop: (p) => `RMSprop(learning_rate=${p.lr}, rho=${p.alpha}, momentum=${p.momentum}, epsilon=${p.eps}, centered=${p.centered ? 'True' : 'False'})`,
  adadelta: (p) => `Adadelta(learning_rate=${p.lr}, rho=${p.rho}, epsilon=${p.eps})`,
  adam: (p) => `Adam(learning_rate=${p.lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  adamw: (p) => `AdamW(learning_rate=${p.lr}, weight_decay=${p.weight_decay}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps}, amsgrad=${p.amsgrad ? 'True' : 'False'})`,
  nadam: (p) => `Nadam(learning_rate=${p.lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, epsilon=${p.eps})`,
  lion: (p) => `Lion(learning_rate=${p.lr}, beta_1=${p.beta1}, beta_2=${p.beta2}, weight_decay=${p.weight_decay || 'None'})`,
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

const KERAS_INIT = { 'glorot-uniform': 'glorot_uniform', 'glorot-normal': 'glorot_normal', he: 'he_normal', orthogonal: 'orthogonal', zero: 'zeros' };

function kerasInit(init) {
  const [id, value] = init.split(':');
  if (id === 'normal') return `keras.initializers.RandomNormal(stddev=${value ?? 0.01})`;
  if (id === 'uniform') return `keras.initializers.RandomUniform(-${value ?? 0.05}, ${value ?? 0.05})`;
  if (id === 'constant') return `keras.initializers.Constant(${value ?? 0.5})`;
  return `"${KERAS_INIT[id]}"`;
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
    ? ['tf.split(z, 3, axis=1)', 'tf.nn.log_softmax(logits, axis=1)', 'tf.reduce_logsumexp(log_pi + log_n, axis=1)']
    : [`z.split(${k}, dim=1)`, 'torch.log_softmax(logits, dim=1)', 'torch.logsumexp(log_pi + log_n, dim=1)'];
  return [
    `def loss_fn(${ops === 'tf' ? 'y, z' : 'z, y'}):  # −ln Σₖ πₖ N(y; μₖ, σₖ²): ${k} logits, ${k} means, ${k} log variances`,
    `    logits, mu, log_var = ${split}`,
    `    log_pi = ${logSoftmax}`,
    `    log_n = -${GAUSSIAN_NLL(ops, 'mu', 'log_var', 'y')}`,
    `    return -${ops === 'tf' ? 'tf.reduce_mean' : ''}(${logSumExp})${ops === 'tf' ? '' : '.mean()'}`,
  ].join('\n');
}

/** Output units and the loss, by the running network's output (`status.output`). */
function head(status, state) {
  if (status.output === 'gaussian') {
    return {
      units: 2,
      keras: ['linear', 'loss_fn'],
      torch: ['', 'loss_fn'],
      define: (ops) => [
        `def loss_fn(${ops === 'tf' ? 'y, z' : 'z, y'}):  # ½[ln 2π + z₂ + (y − μ)² e^(−z₂)] with μ = z₁, log σ² = z₂`,
        `    return ${ops === 'tf' ? 'tf.reduce_mean' : ''}(${GAUSSIAN_NLL(ops, 'z[:, :1]', 'z[:, 1:]', 'y')})${ops === 'tf' ? '' : '.mean()'}`,
      ].join('\n'),
    };
  }
  if (status.output === 'mdn') {
    const k = Number(/k=(\d+)/.exec(state.output)?.[1] ?? 3);
    return { units: 3 * k, keras: ['linear', 'loss_fn'], torch: ['', 'loss_fn'], define: (ops) => mixtureLoss(ops, k) };
  }
  if (status.task === 'regression') return { units: 1, keras: ['linear', '"mse"'], torch: ['', 'nn.MSELoss()'] };
  if (status.task === 'binary') return { units: 1, keras: ['sigmoid', '"binary_crossentropy"'], torch: ['', 'nn.BCEWithLogitsLoss()'] };
  return { units: status.classes, keras: ['softmax', '"sparse_categorical_crossentropy"'], torch: ['', 'nn.CrossEntropyLoss()  # softmax + NLL from the logits'] };
}

/**
 * Where X and y come from, and the input normalization fitted on the training split
 * (`model.normalize`, as the model JSON records it) as preprocessing in NumPy terms.
 */
function data(state, model) {
  const lines = state.dataset.id === 'digits'
    ? ['from sklearn.datasets import load_digits', 'X, y = load_digits(return_X_y=True)  # 8×8 images, 0..16, as 64 inputs']
    : [`# X, y: the lab's data (its "data CSV" export${state.distort.length ? ', inputs already distorted' : ''})`];
  const n = model?.normalize;
  if (n?.kind === 'standard') {
    lines.push(`X = (X - np.array(${JSON.stringify(n.mean)})) / np.array(${JSON.stringify(n.std)})  # standardized as fitted on the training split`);
  } else if (n?.kind?.startsWith('quantile')) {
    lines.push('from sklearn.preprocessing import QuantileTransformer  # the lab follows it exactly',
      `X = QuantileTransformer(n_quantiles=${n.quantiles[0].length}, output_distribution="${n.kind === 'quantile-normal' ? 'normal' : 'uniform'}").fit(X_train).transform(X)  # X_train: the training split`);
  }
  return ['import math', 'import numpy as np', ...lines];
}

export function kerasSnippet(state, status, inputs, model) {
  const out = head(status, state);
  const l2 = state.l2 ? `, kernel_regularizer=keras.regularizers.L2(${state.l2})` : '';
  const init = kerasInit(state.init);
  const layers = [
    `    keras.Input(shape=(${inputs},)),`,
    ...state.hidden.map((h) => `    keras.layers.Dense(${h}, activation="${state.activation === 'identity' ? 'linear' : state.activation}", kernel_initializer=${init}${l2}),`),
    `    keras.layers.Dense(${out.units}, activation="${out.keras[0]}", kernel_initializer=${init}${l2}),`,
  ];
  const optimizer = KERAS_OPTIMIZERS[state.optimizer.id];
  const callbacks = [];
  if (state.schedule.id === 'plateau') callbacks.push(`keras.callbacks.ReduceLROnPlateau(factor=${state.schedule.params.factor}, patience=${state.schedule.params.patience})`);
  if (state.early_stopping > 0) callbacks.push(`keras.callbacks.EarlyStopping(patience=${state.early_stopping}, restore_best_weights=${state.restore_best ? 'True' : 'False'})`);
  return [
    'import tensorflow as tf',
    'from tensorflow import keras',
    ...data(state, model),
    ...(out.define ? [out.define('tf')] : []),
    '',
    'model = keras.Sequential([',
    ...layers,
    '])',
    optimizer
      ? `model.compile(optimizer=keras.optimizers.${optimizer(state.optimizer.params)},`
      : `# Keras has no ${state.optimizer.id} optimizer; SGD stands in.\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=${state.optimizer.params.lr}),`,
    `              loss=${out.keras[1]}, metrics=${status.task === 'regression' ? '[]' : '["accuracy"]'})`,
    `model.fit(X, y, batch_size=${state.batch}, epochs=100, validation_split=${state.validation}${callbacks.length ? `,\n          callbacks=[${callbacks.join(', ')}]` : ''})`,
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
  return [
    'import torch',
    'from torch import nn',
    ...data(state, model),
    ...(out.define ? [out.define('torch')] : []),
    '',
    'model = nn.Sequential(',
    ...layers.map((l) => `    ${l}`),
    ')',
    'for m in model:',
    '    if isinstance(m, nn.Linear):',
    `        ${torchInit(state.init)}`,
    '        nn.init.zeros_(m.bias)',
    ...(out.define ? [] : [`loss_fn = ${out.torch[1]}`]),
    optimizer ? `optimizer = ${optimizer(state.optimizer.params)}` : `# torch.optim has no ${state.optimizer.id}; SGD stands in.\noptimizer = torch.optim.SGD(model.parameters(), lr=${state.optimizer.params.lr})`,
    '',
    `for X_batch, y_batch in torch.utils.data.DataLoader(dataset, batch_size=${state.batch}, shuffle=True):`,
    '    loss = loss_fn(model(X_batch), y_batch)',
    ...(state.l2 ? [`    loss = loss + ${state.l2} * sum((m.weight ** 2).sum() for m in model if isinstance(m, nn.Linear))  # λ Σ‖W‖²`] : []),
    '    optimizer.zero_grad()',
    '    loss.backward()',
    '    optimizer.step()',
  ].join('\n');
}
