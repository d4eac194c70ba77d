// The benchmark's baseline: the lab's networks (any layer sizes — 2-8-8-2 on the
// spirals, 64-32-10 on the digits — tanh hidden layers, softmax with the NLL, minibatch
// SGD) written in plain JavaScript over Float64Arrays, as a careful JavaScript author
// would write them. A classic script: it defines `PlainNetwork`.

class PlainNetwork {
  /** `sizes` like [2, 8, 8, 2]; weights from `random()` in (−a, a), a per layer (Glorot). */
  constructor(sizes, random) {
    this.sizes = sizes;
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [n, m] = [sizes[l], sizes[l + 1]];
      const a = Math.sqrt(6 / (n + m));
      const W = new Float64Array(m * n).map(() => a * (2 * random() - 1));
      this.layers.push({ n, m, W, b: new Float64Array(m), gW: new Float64Array(m * n), gb: new Float64Array(m) });
    }
    this.h = sizes.map((s) => new Float64Array(s)); // activations of one sample
    this.delta = sizes.map((s) => new Float64Array(s));
  }

  /** The forward pass on sample `i` of `X` (its inputs one sample after another, as
   * many each as the first layer takes): softmax(f(x)) in this.h[L]; returns the
   * sample's NLL. */
  forward(X, y, i) {
    const L = this.layers.length;
    const h0 = this.h[0];
    for (let k = 0; k < this.sizes[0]; k++) h0[k] = X[i * this.sizes[0] + k];
    for (let l = 0; l < L; l++) {
      const { n, m, W, b } = this.layers[l];
      const input = this.h[l];
      const output = this.h[l + 1];
      for (let r = 0; r < m; r++) {
        let z = b[r];
        for (let c = 0; c < n; c++) z += W[r * n + c] * input[c];
        output[r] = z;
      }
      if (l < L - 1) for (let r = 0; r < m; r++) output[r] = Math.tanh(output[r]);
    }
    const out = this.h[L];
    const K = out.length;
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, out[c]);
    let sum = 0;
    for (let c = 0; c < K; c++) sum += (out[c] = Math.exp(out[c] - max));
    for (let c = 0; c < K; c++) out[c] /= sum;
    return -Math.log(out[y[i]]);
  }

  /** The mean NLL over every sample: what the lab measures after each epoch. */
  loss(X, y) {
    let total = 0;
    for (let i = 0; i < y.length; i++) total += this.forward(X, y, i);
    return total / y.length;
  }

  /** One SGD update on the samples `order[start]` … `order[end − 1]` of `X` with labels
   * `y`: nothing is allocated. */
  update(X, y, order, start, end, rate) {
    const L = this.layers.length;
    for (const layer of this.layers) {
      layer.gW.fill(0);
      layer.gb.fill(0);
    }
    let loss = 0;
    for (let s = start; s < end; s++) {
      const i = order[s];
      loss += this.forward(X, y, i);
      // ∇z = f − e(y)
      const out = this.h[L];
      const d = this.delta[L];
      for (let c = 0; c < out.length; c++) d[c] = out[c] - (c === y[i] ? 1 : 0);
      for (let l = L - 1; l >= 0; l--) {
        const { n, m, W, gW, gb } = this.layers[l];
        const input = this.h[l];
        const dz = this.delta[l + 1];
        for (let r = 0; r < m; r++) {
          gb[r] += dz[r];
          for (let c = 0; c < n; c++) gW[r * n + c] += dz[r] * input[c];
        }
        if (l > 0) {
          const dh = this.delta[l];
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let r = 0; r < m; r++) s += W[r * n + c] * dz[r];
            dh[c] = s * (1 - input[c] * input[c]);
          }
        }
      }
    }
    const scale = rate / (end - start);
    for (const { W, b, gW, gb } of this.layers) {
      for (let k = 0; k < W.length; k++) W[k] -= scale * gW[k];
      for (let k = 0; k < b.length; k++) b[k] -= scale * gb[k];
    }
    return loss / (end - start);
  }
}
