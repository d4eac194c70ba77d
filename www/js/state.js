// The lab's state: what the controls show and the core computes from. Every field is
// plain data, so the whole state can be written to and read from a link.

/** Learning rates that show each method at work on the default surface (banana). */
const LAB_DEFAULTS = {
  sgd: { lr: 0.002 },
  momentum: { lr: 0.002, momentum: 0.9 },
  nesterov: { lr: 0.002, momentum: 0.9 },
  adagrad: { lr: 0.3 },
  rmsprop: { lr: 0.01 },
  adadelta: { lr: 1 },
  adam: { lr: 0.03 },
  adamw: { lr: 0.03 },
  nadam: { lr: 0.03 },
  lion: { lr: 0.01 },
  newton: { lr: 0.5 },
};

const ENABLED = new Set(['sgd', 'momentum', 'nesterov', 'adam']);

/** A parameter's default as a value: numbers and booleans, from the catalogue's text. */
export function parseDefault(parameter) {
  if (parameter.kind === 'true or false') return parameter.default === 'true';
  return Number(parameter.default);
}

/** Every parameter of a catalogue entry at its default, except noise and seed. */
export function defaultParams(entry) {
  const params = {};
  for (const p of entry.parameters) params[p.key] = parseDefault(p);
  return params;
}

/** The state a first visit starts from. */
export function initialState(catalogue) {
  return {
    surface: { id: 'banana', params: {} },
    start: null, // null: the surface's own start
    steps: 200,
    noise: 0,
    seed: 0,
    mode: 'path',
    speed: 60,
    optimizers: catalogue.optimizers.map((entry) => ({
      id: entry.id,
      enabled: ENABLED.has(entry.id),
      params: { ...defaultParams(entry), ...LAB_DEFAULTS[entry.id] },
    })),
  };
}

const SHORT = { lr: 'η', momentum: 'γ', beta1: 'β₁' };

/** `adam η=0.03`: the legend's label, naming the parameters students drag most. */
export function labelOf(optimizer) {
  const parts = Object.entries(SHORT)
    .filter(([key]) => key in optimizer.params)
    .map(([key, symbol]) => `${symbol}=${optimizer.params[key]}`);
  return [optimizer.id, ...parts].join(' ');
}
