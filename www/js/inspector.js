// The backprop inspector: every quantity of the lecture's derivation for one point,
// forward then backward, in the slides' notation.

import { el } from './dom.js';
import { formatValue } from './params.js';

const round = (v) => formatValue(Number(Number(v).toPrecision(3)));

/** Fills `root` with the inspection `i` of point `index` (from `NetworkLab.inspect`). */
export function showInspection(root, index, i) {
  const last = i.layers.length - 1;
  const name = (l) => (l === last ? 'o' : i.layers.length > 2 ? `h${l + 1}` : 'h');
  const vector = (v) => `[${v.map(round).join(', ')}]`;
  const rows = [['x', vector(i.x)]];
  i.layers.forEach((layer, l) => {
    rows.push([`z${name(l)} = W${name(l)} ${l ? name(l - 1) : 'x'} + b${name(l)}`, vector(layer.pre)]);
    rows.push([l === last ? `f(x) = ${layer.activation}(zᵒ)` : `${name(l)} = ${layer.activation}(z${name(l)})`, vector(layer.post)]);
  });
  if (i.one_hot) rows.push(['e(y)', vector(i.one_hot)]);
  for (let l = last; l >= 0; l--) {
    const n = name(l);
    rows.push([l === last ? '∇zᵒ l = f(x) − e(y)' : `∇z${n} l = ∇${n} l ⊙ g'(z${n})`, vector(i.layers[l].grad_pre)]);
    rows.push([`∇W${n} l = ∇z${n} l · ${l ? name(l - 1) : 'x'}ᵀ`, i.layers[l].grad_weights.map(vector).join(' ')]);
    rows.push([`∇b${n} l = ∇z${n} l`, vector(i.layers[l].grad_biases)]);
    if (l > 0) rows.push([`∇${name(l - 1)} l = W${n}ᵀ ∇z${n} l`, vector(i.layers[l].grad_input)]);
  }
  rows.push(['l before → after one step', `${round(i.loss_before)} → ${round(i.loss_after)} (η = ${round(i.learning_rate)})`]);
  root.replaceChildren(
    el('h2', {}, `Backprop for point ${index}`),
    el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v))))));
}

/** The gradient check's result as a sentence. */
export function checkSentence(r) {
  const which = r.checked === r.parameters ? `all ${r.parameters} parameters` : `${r.checked} of ${r.parameters} parameters`;
  return `Backprop against central differences, ${which}: largest relative error ${r.max_relative_error.toExponential(2)} (per layer: ${r.per_layer.map((e) => e.toExponential(1)).join(', ')}).`;
}
