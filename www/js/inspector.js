// The backprop inspector: every quantity of the lecture's derivation for one point,
// forward then backward, named as the slides name them (the names come from the core:
// zʰ, h, Wʰ, bʰ, zᵒ, Wᵒ, bᵒ; z⁽¹⁾, h⁽¹⁾, … for deeper networks; z, W, b without a
// hidden layer). Vectors and matrices are aligned grids, every number to 3 digits.

import { el } from './dom.js';
import { formatValue } from './params.js';

const round = (v) => formatValue(Number(Number(v).toPrecision(3)));

/** A matrix (rows of numbers) as an aligned grid between brackets; a vector is one row. */
function grid(rows) {
  return el('table', { class: 'matrix' },
    el('tbody', {}, rows.map((row) => el('tr', {}, row.map((v) => el('td', {}, round(v)))))));
}

/** ∇ with its variable as a subscript, as the slides write ∇_{zᵒ} l. */
const nabla = (of) => ['∇', el('sub', {}, of), ' l'];

/** What the gradient of the loss with respect to zᵒ is, for each output and its loss. */
const OUTPUT_GRADIENT = {
  softmax: 'f(x) − e(y)', // softmax with the NLL
  sigmoid: 'f(x) − y', // sigmoid with the binary cross-entropy
  identity: '2 (f(x) − y)', // identity with the squared error
  gaussian: '((μ − y) e^−z₂, ½ (1 − (y − μ)² e^−z₂))', // μ = z₁, log σ² = z₂, Gaussian NLL
  mdn: '(π − γ, γ (μ − y) / σ², ½ γ (1 − (y − μ)² / σ²))', // logits, means, log variances; γ the responsibilities
};

/** The loss's derivative in the network's output, ∂l/∂f(x), for each output and its loss. */
const LOSS_GRADIENT = {
  softmax: ['∂l/∂f(x)ᵢ', ' = −1', el('sub', {}, 'y=i'), ' / f(x)', el('sub', {}, 'y')], // the NLL −ln f(x)_y
  sigmoid: ['∂l/∂f(x) = −y / f(x) + (1 − y) / (1 − f(x))'], // the binary cross-entropy
  identity: ['∂l/∂f(x) = 2 (f(x) − y)'], // the squared error
  gaussian: ['∂l/∂(μ, σ²) = ((μ − y) / σ², ½ (1/σ² − (y − μ)²/σ⁴))'],
  mdn: ['∂l/∂(π, μ, σ²) = (−γ/π, γ (μ − y) / σ², ½ γ (1/σ² − (y − μ)²/σ⁴))'],
};

/** Fills `root` with the inspection `i` of point `index` (from `NetworkLab.inspect`);
 * an image's input (`image` = [rows, columns]) is shown as its grid of pixels. */
export function showInspection(root, index, i, image) {
  const last = i.layers.length - 1;
  // A list of terms: each name on its line, its value's grid under it, using the width.
  const terms = [];
  const row = (name, value) => terms.push(el('dt', {}, name), el('dd', {}, value));
  const section = (title) => terms.push(el('h3', {}, title));

  section('forward');
  const [rows, columns] = image ?? [1, i.x.length];
  row('x', grid(Array.from({ length: rows }, (_, r) => i.x.slice(r * columns, (r + 1) * columns))));
  i.layers.forEach((layer) => {
    const n = layer.names;
    row(n.w, grid(layer.weights));
    row(n.b, grid([layer.biases]));
    row(`${n.z} = ${n.w} ${n.input} + ${n.b}`, grid([layer.pre]));
    row(`${n.h} = ${layer.activation}(${n.z})`, grid([layer.post]));
  });
  if (i.one_hot) row('e(y)', grid([i.one_hot]));
  if (i.target) row('y', grid([i.target]));
  if (i.gaussian) {
    row('μ = z₁', grid([i.gaussian.mean]));
    row('σ = e^(z₂/2)', grid([i.gaussian.deviation]));
  }
  if (i.mixture) {
    const m = i.mixture;
    row('π = softmax(a)', grid([m.weights]));
    row('μ', grid([m.means]));
    row('σ', grid([m.deviations]));
    row('γ = π N(y; μ, σ²) / Σ π N(y; μ, σ²)', grid([m.responsibilities]));
  }

  section('backward');
  const gradient = LOSS_GRADIENT[i.layers[last].activation];
  if (gradient && i.grad_output) row(gradient.map((part) => (typeof part === 'string' ? part : part.cloneNode(true))), grid([i.grad_output]));
  for (let l = last; l >= 0; l--) {
    const layer = i.layers[l];
    const n = layer.names;
    const output = l === last;
    row([...nabla(n.z), ' = ', output ? OUTPUT_GRADIENT[layer.activation] ?? '' : [...nabla(n.h), ` ⊙ g′(${n.z})`]], grid([layer.grad_pre]));
    row([...nabla(n.w), ' = ', ...nabla(n.z), ` ${n.input}ᵀ`], grid(layer.grad_weights));
    row([...nabla(n.b), ' = ', ...nabla(n.z)], grid([layer.grad_biases]));
    if (l > 0) row([...nabla(n.input), ` = ${n.w}ᵀ `, ...nabla(n.z)], grid([layer.grad_input]));
  }
  row('l before → after one step', `${round(i.loss_before)} → ${round(i.loss_after)} (η = ${round(i.learning_rate)})`);
  root.replaceChildren(el('h2', {}, `Backprop for ${image ? 'image' : 'point'} ${index}`), el('dl', { class: 'derivation' }, terms));
}

/** The gradient check's verdict as a sentence: passed or failed, and by how much. */
export function checkSentence(r) {
  const which = r.checked === r.parameters ? `all ${r.parameters} parameters` : `${r.checked} of ${r.parameters} parameters`;
  const error = r.max_relative_error.toExponential(1);
  const verdict = r.passed
    ? `Passed: backprop agrees with central differences on ${which}, largest relative error ${error} < ${formatValue(r.threshold)}`
    : `Failed: backprop and central differences disagree on ${which}, largest relative error ${error} ≥ ${formatValue(r.threshold)}`;
  return `${verdict} (per layer: ${r.per_layer.map((e) => e.toExponential(1)).join(', ')}).`;
}
