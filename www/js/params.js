// Slider scales for every named parameter, and the control that edits one: a range
// input for dragging, a number input for reading and typing, or a checkbox.

import { el } from './dom.js';

/** How a parameter's slider maps positions to values; log scales for rates. */
const SCALES = {
  lr: { min: 1e-5, max: 10, log: true },
  momentum: { min: 0, max: 0.999 },
  beta1: { min: 0, max: 0.999 },
  beta2: { min: 0, max: 0.9999 },
  alpha: { min: 0, max: 0.9999 },
  rho: { min: 0, max: 0.9999 },
  eps: { min: 1e-12, max: 1, log: true },
  lr_decay: { min: 0, max: 1 },
  initial_accumulator_value: { min: 0, max: 10 },
  weight_decay: { min: 0, max: 1 },
  momentum_decay: { min: 0, max: 0.1 },
  lambda1: { min: 0.01, max: 100, log: true },
  lambda2: { min: 0.01, max: 100, log: true },
  angle: { min: -90, max: 90 },
  a: { min: -3, max: 3 },
  b: { min: 0.1, max: 1000, log: true },
  steps: { min: 10, max: 5000, log: true, integer: true },
  noise: { min: 0, max: 20 },
  speed: { min: 1, max: 1000, log: true, integer: true },
};

const POSITIONS = 1000;

/** Symbols from the lecture, shown beside the key. */
const SYMBOLS = {
  lr: 'η', momentum: 'γ', beta1: 'β₁', beta2: 'β₂', alpha: 'α', rho: 'ρ', eps: 'ε',
  weight_decay: 'λ', lambda1: 'λ₁', lambda2: 'λ₂', angle: 'θ°', noise: 'σ',
};

/** A parameter's slider scale: its own `scale`, else the one for its key. */
export function scaleOf(parameter) {
  return parameter.scale ?? SCALES[parameter.key] ?? { min: 0, max: 1 };
}

function toPosition(scale, value) {
  const t = scale.log
    ? Math.log(value / scale.min) / Math.log(scale.max / scale.min)
    : (value - scale.min) / (scale.max - scale.min);
  return Math.round(Math.min(1, Math.max(0, t)) * POSITIONS);
}

function fromPosition(scale, position) {
  const t = position / POSITIONS;
  const value = scale.log
    ? scale.min * Math.pow(scale.max / scale.min, t)
    : scale.min + t * (scale.max - scale.min);
  return scale.integer ? Math.round(value) : roundTo3(value);
}

/** Three significant digits: what a slider position can tell apart. */
function roundTo3(value) {
  return value === 0 ? 0 : Number(value.toPrecision(3));
}

/** Shortest readable text for a value: 0.003, 1e-8, 0.9. */
export function formatValue(value) {
  if (typeof value === 'boolean') return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) {
    return value.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return String(value);
}

let uniqueId = 0;

/**
 * A labelled control for one parameter. `parameter` is `{key, kind, about}`;
 * `onChange(value)` fires on every input event, and may return why the value was
 * refused, which the control then shows. Returns `{element, set(value),
 * invalid(message)}`.
 */
export function parameterControl(parameter, value, onChange, prefix = '') {
  const id = `p${++uniqueId}`;
  const symbol = SYMBOLS[parameter.key];
  const name = `${prefix}${parameter.key}`;
  const label = el('label', { for: id, title: parameter.about || null }, symbol ? `${parameter.key} ${symbol}` : parameter.key);

  if (parameter.kind === 'true or false') {
    const box = el('input', { type: 'checkbox', id, checked: value, onchange: () => onChange(box.checked) });
    const element = el('div', { class: 'param flag', dataset: { key: parameter.key } }, label, box);
    return { element, set: (v) => (box.checked = v), invalid: () => {} };
  }

  const scale = scaleOf(parameter);
  const slider = el('input', {
    type: 'range', min: '0', max: String(POSITIONS), step: '1',
    'aria-label': `${name}${scale.log ? ' (logarithmic slider)' : ' slider'}`,
  });
  const number = el('input', { type: 'number', id, step: 'any', inputmode: 'decimal', class: 'value' });
  const error = el('span', { class: 'error', role: 'alert' });
  const element = el('div', { class: 'param', dataset: { key: parameter.key } }, label, slider, number, error);

  const show = (v) => {
    slider.value = String(toPosition(scale, v));
    slider.setAttribute('aria-valuetext', formatValue(v));
    number.value = formatValue(v);
  };
  show(value);
  const invalid = (message) => {
    error.textContent = message ?? '';
    number.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  // A handler that returns a string says why the value was refused.
  const changed = (v) => {
    const refused = onChange(v);
    if (typeof refused === 'string') invalid(refused);
  };
  slider.addEventListener('input', () => {
    const v = fromPosition(scale, Number(slider.value));
    number.value = formatValue(v);
    slider.setAttribute('aria-valuetext', formatValue(v));
    changed(v);
  });
  number.addEventListener('input', () => {
    const v = Number(number.value);
    if (number.value.trim() === '' || !Number.isFinite(v)) return;
    slider.value = String(toPosition(scale, v));
    changed(scale.integer ? Math.round(v) : v);
  });
  return { element, set: show, invalid };
}
