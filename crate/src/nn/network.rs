//! Forward and backward passes, in the lecture's notation. The parameters θ are one flat
//! vector: for each layer, W (shape [out, in], stored column by column) then b.

use super::activation::{softplus, Activation};
use super::density::{self, MOST_COMPONENTS};
use super::exp;
use super::values::LayerValues;
use crate::config::Error;
use nalgebra::{DMatrix, DMatrixView, DVectorView};
use wide::f64x2;

/// One layer: `inputs` → `outputs` units, then `activation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerShape {
    pub inputs: usize,
    pub outputs: usize,
    pub activation: Activation,
}

/// The layers of a network, checked to fit together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Architecture {
    pub layers: Vec<LayerShape>,
}

/// What the output layer predicts, which decides the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// softmax over K ≥ 2 classes; mean NLL −log f(x)_y
    Classes(usize),
    /// one sigmoid unit; mean binary cross-entropy
    Binary,
    /// identity outputs; mean over samples of Σⱼ (f(x)ⱼ − yⱼ)²
    Regression(usize),
    /// a Gaussian N(μⱼ, σⱼ²) per target, d targets: 2d units (the d means, then the d log
    /// variances); mean Gaussian NLL Σⱼ ½[ln 2π + log σⱼ² + (yⱼ − μⱼ)²/σⱼ²]
    Gaussian(usize),
    /// a mixture of K Gaussians over one target: 3K units (K logits, K means, K log
    /// variances); mean NLL −ln Σₖ πₖ N(y; μₖ, σₖ²)
    Mixture(usize),
}

impl Task {
    /// How many numbers each sample's target has, for the outputs fitted to numbers.
    pub fn values(self) -> Option<usize> {
        match self {
            Task::Regression(d) | Task::Gaussian(d) => Some(d),
            Task::Mixture(_) => Some(1),
            Task::Classes(_) | Task::Binary => None,
        }
    }
}

impl Architecture {
    /// `inputs` → each of `hidden` with activation `hidden_activation` → the task's
    /// output layer.
    pub fn mlp(
        inputs: usize,
        hidden: &[usize],
        hidden_activation: Activation,
        task: Task,
    ) -> Result<Architecture, Error> {
        let (outputs, output_activation) = match task {
            Task::Classes(k) => (k, Activation::Softmax),
            Task::Binary => (1, Activation::Sigmoid),
            Task::Regression(d) => (d, Activation::Identity),
            Task::Gaussian(d) => (2 * d, Activation::Gaussian),
            Task::Mixture(k) => (3 * k, Activation::Mdn),
        };
        let mut sizes = vec![inputs];
        sizes.extend_from_slice(hidden);
        sizes.push(outputs);
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(l, w)| LayerShape {
                inputs: w[0],
                outputs: w[1],
                activation: if l + 2 == sizes.len() {
                    output_activation
                } else {
                    hidden_activation
                },
            })
            .collect();
        Architecture { layers }.validated()
    }

    /// Consecutive layers fit; hidden layers use an element-wise activation; the output
    /// is softmax over ≥ 2 units, one sigmoid unit, identity, a Gaussian (2 units per
    /// target) or a mixture of 1 to 8 Gaussians (3 units per component).
    pub fn validated(self) -> Result<Architecture, Error> {
        let Some(last) = self.layers.last() else {
            return Err(Error::new("a network needs at least one layer"));
        };
        for (l, (a, b)) in self
            .layers
            .iter()
            .zip(self.layers.iter().skip(1))
            .enumerate()
        {
            if a.outputs != b.inputs {
                return Err(Error::new(format!(
                    "layer {l} has {} outputs but layer {} takes {} inputs",
                    a.outputs,
                    l + 1,
                    b.inputs
                )));
            }
        }
        for (l, layer) in self.layers.iter().enumerate() {
            if layer.inputs == 0 || layer.outputs == 0 {
                return Err(Error::new(format!("layer {l} has a zero size")));
            }
            if l + 1 < self.layers.len() && Activation::OUTPUT_ONLY.contains(&layer.activation) {
                return Err(Error::new(format!(
                    "layer {l}: {} belongs to the output layer only",
                    layer.activation.name()
                )));
            }
        }
        let l = self.layers.len() - 1;
        match (last.activation, last.outputs) {
            (Activation::Softmax, k) if k < 2 => Err(Error::new(format!(
                "layer {l}: softmax needs at least 2 outputs, not {k}"
            ))),
            (Activation::Sigmoid, k) if k != 1 => Err(Error::new(format!(
                "layer {l}: a sigmoid output (binary cross-entropy) has 1 unit, not {k}"
            ))),
            (Activation::Gaussian, k) if k % 2 != 0 => Err(Error::new(format!(
                "layer {l}: a gaussian output has 2 units per target (μ, then log σ²), not {k}"
            ))),
            (Activation::Mdn, k) if k % 3 != 0 || !(1..=MOST_COMPONENTS).contains(&(k / 3)) => {
                Err(Error::new(format!(
                    "layer {l}: an mdn output has 3 units per component (logit, μ, log σ²) for 1 to {MOST_COMPONENTS} components, not {k}"
                )))
            }
            (Activation::Tanh | Activation::Relu, _) => Err(Error::new(format!(
                "layer {l}: the output activation must be softmax, sigmoid, identity, gaussian or mdn, not {}",
                last.activation.name()
            ))),
            _ => Ok(self),
        }
    }

    pub fn task(&self) -> Task {
        let last = self.layers.last().expect("validated");
        match last.activation {
            Activation::Softmax => Task::Classes(last.outputs),
            Activation::Sigmoid => Task::Binary,
            Activation::Gaussian => Task::Gaussian(last.outputs / 2),
            Activation::Mdn => Task::Mixture(last.outputs / 3),
            _ => Task::Regression(last.outputs),
        }
    }

    pub fn inputs(&self) -> usize {
        self.layers[0].inputs
    }

    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|s| s.outputs * (s.inputs + 1)).sum()
    }

    /// Where layer `l`'s W and b start in θ.
    pub fn offsets(&self, l: usize) -> (usize, usize) {
        let start: usize = self.layers[..l]
            .iter()
            .map(|s| s.outputs * (s.inputs + 1))
            .sum();
        let s = &self.layers[l];
        (start, start + s.outputs * s.inputs)
    }

    /// Wˡ as a view into θ.
    pub fn weights<'a>(&self, theta: &'a [f64], l: usize) -> DMatrixView<'a, f64> {
        let (w, b) = self.offsets(l);
        let s = &self.layers[l];
        DMatrixView::from_slice(&theta[w..b], s.outputs, s.inputs)
    }

    /// bˡ as a view into θ.
    pub fn biases<'a>(&self, theta: &'a [f64], l: usize) -> DVectorView<'a, f64> {
        let (_, b) = self.offsets(l);
        DVectorView::from_slice(
            &theta[b..b + self.layers[l].outputs],
            self.layers[l].outputs,
        )
    }
}

/// The targets of a batch, one per column of its inputs.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// Class labels y ∈ [0, K − 1], for softmax.
    Classes(Vec<usize>),
    /// Labels in {0, 1}, for one sigmoid unit.
    Binary(Vec<f64>),
    /// Target vectors, one column per sample, for identity, gaussian and mdn outputs (one
    /// row for an mdn).
    Values(DMatrix<f64>),
}

impl Targets {
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes(y) => y.len(),
            Targets::Binary(y) => y.len(),
            Targets::Values(y) => y.ncols(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`Targets::select`] into `out`, reusing its storage when it is of the same kind.
    pub fn select_into(&self, indices: &[usize], out: &mut Targets) {
        match (self, out) {
            (Targets::Classes(y), Targets::Classes(o)) => {
                o.clear();
                o.extend(indices.iter().map(|&i| y[i]));
            }
            (Targets::Binary(y), Targets::Binary(o)) => {
                o.clear();
                o.extend(indices.iter().map(|&i| y[i]));
            }
            (_, out) => *out = self.select(indices),
        }
    }

    /// The targets of the samples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Targets {
        match self {
            Targets::Classes(y) => Targets::Classes(indices.iter().map(|&i| y[i]).collect()),
            Targets::Binary(y) => Targets::Binary(indices.iter().map(|&i| y[i]).collect()),
            Targets::Values(y) => Targets::Values(y.select_columns(indices)),
        }
    }
}

/// Everything the forward pass computes on a batch: `pre[l]` = zˡ and `post[l]` = hˡ⁻¹,
/// with `post[0]` = x and `post[L]` = f(x).
#[derive(Clone, Debug, Default)]
pub struct Forward {
    pub pre: Vec<LayerValues>,
    pub post: Vec<LayerValues>,
    /// For a softmax output, per pair of samples, max z and Σⱼ e^{zⱼ − max z}: the NLL
    /// is max z + log Σⱼ e^{zⱼ − max z} − z_y.
    normalizer: Vec<(f64x2, f64x2)>,
    /// θ with every entry in both lanes, each W row by row (θ holds it column by
    /// column): scratch of the pass.
    rows: Vec<f64x2>,
    /// What the output layer predicts, which decides the loss of the pass.
    task: Option<Task>,
}

impl Forward {
    /// f(x) on every sample.
    pub fn output(&self) -> &LayerValues {
        self.post.last().expect("a network has layers")
    }
}

/// The data term summed over samples, a forward pass at a time: the samples are added
/// in order whatever the passes, so a set evaluated in slices sums to the same bits as
/// at once. For a softmax output, Σᵢ −log softmax(zᵢ)_{yᵢ} = Σᵢ (max zᵢ − z_{i,yᵢ}) +
/// Σᵢ log tᵢ with tᵢ = Σⱼ e^{zᵢⱼ − max zᵢ}; each tᵢ lies in [1, K], K ≤ 10 (the digits),
/// so the product of 256 of them stays below 10²⁵⁶ < 2⁸⁵¹, and one log of the product
/// serves all 256 (its roundings add at most 256 · 2⁻⁵³ to it, relatively). A gaussian
/// or mdn output adds each sample's NLL computed from that sample's z alone (its own
/// log-sum-exp), so these too sum the same bits in slices as at once.
#[derive(Clone, Copy, Debug)]
pub struct LossSum {
    sum: f64,
    product: f64,
    samples: usize,
}

impl Default for LossSum {
    fn default() -> Self {
        LossSum {
            sum: 0.0,
            product: 1.0,
            samples: 0,
        }
    }
}

impl LossSum {
    /// Adds the losses of the samples of `forward`, whose targets are those of
    /// `targets` from `offset` on.
    pub fn add(&mut self, forward: &Forward, targets: &Targets, offset: usize) {
        let z = forward.pre.last().expect("a network has layers");
        let f = forward.output();
        for i in 0..z.samples() {
            let s = offset + i;
            match targets {
                Targets::Classes(y) => {
                    let (max, total) = forward.normalizer[i / 2];
                    self.sum += max.to_array()[i % 2] - z.get(i, y[s]);
                    self.product *= total.to_array()[i % 2];
                    if self.samples % 256 == 255 {
                        self.sum += libm::log(self.product);
                        self.product = 1.0;
                    }
                }
                // softplus(zᵒ) − y zᵒ
                Targets::Binary(y) => self.sum += softplus(z.get(i, 0)) - y[s] * z.get(i, 0),
                Targets::Values(y) => {
                    self.sum += match forward.task {
                        // Σⱼ ½[ln 2π + sⱼ + (yⱼ − μⱼ)² e^(−sⱼ)]
                        Some(Task::Gaussian(d)) => (0..d)
                            .map(|u| density::gaussian(y[(u, s)], z.get(i, u), z.get(i, d + u)).0)
                            .sum::<f64>(),
                        // −ln Σₖ πₖ N(y; μₖ, σₖ²)
                        Some(Task::Mixture(k)) => {
                            let (z, mut gamma) = (mixture_units(z, i), [0.0; MOST_COMPONENTS]);
                            density::responsibilities(y[(0, s)], &z[..3 * k], &mut gamma)
                        }
                        // Σⱼ (fⱼ − yⱼ)²
                        _ => (0..f.units())
                            .map(|u| (f.get(i, u) - y[(u, s)]).powi(2))
                            .sum::<f64>(),
                    }
                }
            }
            self.samples += 1;
        }
    }

    /// The mean over the samples added.
    pub fn mean(&self) -> f64 {
        (self.sum + libm::log(self.product)) / self.samples.max(1) as f64
    }
}

/// The loss as the lecture writes it: the mean data term and λ Σ‖W‖², apart.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Loss {
    pub data: f64,
    pub regularization: f64,
}

impl Loss {
    pub fn total(&self) -> f64 {
        self.data + self.regularization
    }
}

/// What the backward pass computes: ∇zˡ l per layer (already divided by the batch
/// size), and the gradient of the whole loss.
#[derive(Clone, Debug, Default)]
pub struct Backward {
    pub pre: Vec<LayerValues>,
    pub gradient: Vec<f64>,
    /// θ with every entry in both lanes: scratch of the pass.
    lanes: Vec<f64x2>,
}

/// A network: its architecture and the weight of its L2 term, λ.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub architecture: Architecture,
    pub l2: f64,
}

/// The forward pass takes this many pairs of samples through all layers at a time, so
/// that what it reads stays in the cache however many samples there are.
const CHUNK: usize = 32;

impl Network {
    /// zˡ = Wˡ hˡ⁻¹ + bˡ and hˡ = g(zˡ) for every layer, from h⁰ = x, for each column x
    /// of `x`; the output layer's softmax is taken per sample, stably (shifted by its
    /// largest logit).
    pub fn forward(&self, theta: &[f64], x: &DMatrix<f64>) -> Forward {
        let mut forward = Forward::default();
        self.forward_into(theta, x, &mut forward);
        forward
    }

    /// [`Network::forward`] into buffers that are reused when their shapes fit: the
    /// training loop allocates nothing.
    pub fn forward_into(&self, theta: &[f64], x: &DMatrix<f64>, out: &mut Forward) {
        self.pass(theta, x.as_view(), out, false);
    }

    /// [`Network::forward_into`] on the columns (samples) `x` of a larger set.
    pub fn forward_slice_into(&self, theta: &[f64], x: DMatrixView<f64>, out: &mut Forward) {
        self.pass(theta, x, out, false);
    }

    /// The forward pass for pictures, into reused buffers: activations within 2·10⁻⁷
    /// of the exact ones ([`exp::picture`]), and faster.
    pub fn forward_for_picture(&self, theta: &[f64], x: &DMatrix<f64>, out: &mut Forward) {
        self.pass(theta, x.as_view(), out, true);
    }

    fn pass(&self, theta: &[f64], x: DMatrixView<f64>, out: &mut Forward, picture: bool) {
        let arch = &self.architecture;
        let n = x.ncols();
        let pairs = n.div_ceil(2);
        out.pre.resize_with(arch.layers.len(), Default::default);
        out.post
            .resize_with(arch.layers.len() + 1, Default::default);
        out.post[0].reshape(n, x.nrows());
        for (l, layer) in arch.layers.iter().enumerate() {
            out.pre[l].reshape(n, layer.outputs);
            out.post[l + 1].reshape(n, layer.outputs);
        }
        out.normalizer.resize(pairs, (f64x2::ZERO, f64x2::ZERO));
        out.task = Some(arch.task());
        // An odd batch repeats its last sample in the spare lane, so that nothing
        // computed there is less finite than on the samples.
        let inputs = out.post[0].pairs_mut(0..pairs).chunks_exact_mut(x.nrows());
        for (p, pair) in inputs.enumerate() {
            let (a, b) = (x.column(2 * p), x.column((2 * p + 1).min(n - 1)));
            for ((x0, &a), &b) in pair.iter_mut().zip(&a).zip(&b) {
                *x0 = f64x2::new([a, b]);
            }
        }
        // θ with every entry in both lanes, each W row by row (θ holds it column by
        // column), so that the multiply-adds below load each weight ready for two samples.
        out.rows.clear();
        out.rows.resize(theta.len(), f64x2::ZERO);
        let mut start = 0;
        for layer in &arch.layers {
            let (columns, rows) = (layer.inputs, layer.outputs);
            let (w, b) = theta[start..start + rows * (columns + 1)].split_at(rows * columns);
            let (w_rows, b_rows) =
                out.rows[start..start + rows * (columns + 1)].split_at_mut(rows * columns);
            for (c, column) in w.chunks_exact(rows).enumerate() {
                for (r, &w) in column.iter().enumerate() {
                    w_rows[r * columns + c] = f64x2::splat(w);
                }
            }
            splat_into(b, b_rows);
            start += rows * (columns + 1);
        }
        for first in (0..pairs).step_by(CHUNK) {
            let chunk = first..(first + CHUNK).min(pairs);
            let mut start = 0;
            for (l, layer) in arch.layers.iter().enumerate() {
                let (columns, rows) = (layer.inputs, layer.outputs);
                let (w, b) = out.rows[start..start + rows * (columns + 1)].split_at(rows * columns);
                start += rows * (columns + 1);
                let (before, after) = out.post.split_at_mut(l + 1);
                let z = out.pre[l].pairs_mut(chunk.clone());
                // zᵣ = bᵣ + Σ_c W[r, c] h_c, on each pair of samples.
                affine(w, |r| b[r], columns, before[l].pairs(chunk.clone()), z);
                let h = after[0].pairs_mut(chunk.clone());
                h.copy_from_slice(z);
                match layer.activation {
                    Activation::Softmax => {
                        let normalizers = &mut out.normalizer[chunk.clone()];
                        for (h, normalizer) in h.chunks_exact_mut(rows).zip(normalizers) {
                            *normalizer = match picture {
                                false => softmax(h, exp::exp),
                                true => softmax(h, exp::picture::exp),
                            };
                        }
                    }
                    Activation::Gaussian | Activation::Mdn => {
                        for h in h.chunks_exact_mut(rows) {
                            match picture {
                                false => distribution(layer.activation, h, exp::exp),
                                true => distribution(layer.activation, h, exp::picture::exp),
                            }
                        }
                    }
                    g => g.apply_all(h, picture),
                }
            }
        }
    }

    /// λ Σₗ ‖Wˡ‖², biases excluded.
    pub fn regularization(&self, theta: &[f64]) -> f64 {
        if self.l2 == 0.0 {
            return 0.0;
        }
        let arch = &self.architecture;
        self.l2
            * (0..arch.layers.len())
                .map(|l| arch.weights(theta, l).norm_squared())
                .sum::<f64>()
    }

    /// The mean data loss of a forward pass against `targets`:
    /// NLL −log softmax(zᵒ)_y = log Σⱼ e^{zⱼ} − z_y; binary cross-entropy
    /// −[y log f + (1 − y) log(1 − f)] = softplus(zᵒ) − y zᵒ; Σⱼ (fⱼ − yⱼ)²; or the
    /// Gaussian's or the mixture's NLL −ln p(y | x) ([`density`]).
    pub fn data_loss(&self, forward: &Forward, targets: &Targets) -> f64 {
        let mut sum = LossSum::default();
        sum.add(forward, targets, 0);
        sum.mean()
    }

    pub fn loss(&self, theta: &[f64], x: &DMatrix<f64>, targets: &Targets) -> Loss {
        Loss {
            data: self.data_loss(&self.forward(theta, x), targets),
            regularization: self.regularization(theta),
        }
    }

    /// Backpropagation, from the lecture's slides. With n samples in the batch:
    ///
    /// ∇zᵒ l = (f(x) − e(y)) / n for softmax with the NLL and for a sigmoid with
    /// cross-entropy, 2(f(x) − y) / n for the squared error; then for each layer, from the
    /// last, ∇Wˡ l = ∇zˡ l · (hˡ⁻¹)ᵀ + 2λWˡ, ∇bˡ l = ∇zˡ l · 1 (summed over the batch),
    /// ∇hˡ⁻¹ l = (Wˡ)ᵀ ∇zˡ l, and ∇zˡ⁻¹ l = ∇hˡ⁻¹ l ⊙ g'(zˡ⁻¹).
    ///
    /// For a gaussian output, l = ½[ln 2π + s + (y − μ)² e^(−s)] with μ = z₁ and
    /// s = log σ² = z₂ (per target), so, divided by n as above:
    ///
    /// ∂l/∂μ = (μ − y) e^(−s),   ∂l/∂s = ½(1 − (y − μ)² e^(−s)):
    ///
    /// the squared error's residual weighted by 1/σ², and a push on log σ² that vanishes
    /// where the squared residual equals the predicted variance.
    ///
    /// For an mdn output, l = −ln Σₖ πₖ Nₖ with πₖ = softmax(a)ₖ and
    /// Nₖ = N(y; μₖ, σₖ²), σₖ² = e^(sₖ). With the posterior responsibilities
    ///
    /// γₖ = πₖ Nₖ / Σⱼ πⱼ Nⱼ,
    ///
    /// the probability that y came from component k, every gradient is weighted by them:
    ///
    /// ∂l/∂aₖ = πₖ − γₖ,   ∂l/∂μₖ = γₖ (μₖ − y)/σₖ²,   ∂l/∂sₖ = ½ γₖ (1 − (y − μₖ)²/σₖ²)
    ///
    /// (derived in [`density::mixture`]: each component's Gaussian gradient weighted by
    /// γₖ, and for the logits softmax's f − e(y) with γ for the one-hot target).
    ///
    /// `forward` is the forward pass at the same θ.
    pub fn backward(&self, theta: &[f64], forward: &Forward, targets: &Targets) -> Backward {
        let mut backward = Backward::default();
        self.backward_into(theta, forward, targets, &mut backward);
        backward
    }

    /// [`Network::backward`] into reused buffers.
    pub fn backward_into(
        &self,
        theta: &[f64],
        forward: &Forward,
        targets: &Targets,
        out: &mut Backward,
    ) {
        let arch = &self.architecture;
        let layers = arch.layers.len();
        let f = forward.output();
        let n = f.samples();
        let pairs = n.div_ceil(2);
        out.pre.resize_with(layers, Default::default);
        for (delta, layer) in out.pre.iter_mut().zip(&arch.layers) {
            delta.reshape(n, layer.outputs);
        }
        // ∇zᵒ l = (f(x) − e(y)) / n, 2(f(x) − y) / n, or a density's ∂l/∂z / n; nothing
        // in a spare lane.
        let last = &mut out.pre[layers - 1];
        last.pairs_mut(0..pairs).copy_from_slice(f.pairs(0..pairs));
        let z = forward.pre.last().expect("a network has layers");
        match (targets, arch.task()) {
            (Targets::Values(y), Task::Gaussian(d)) => {
                for (i, y) in y.column_iter().enumerate() {
                    for (u, &y) in y.iter().enumerate() {
                        let (_, by_mean, by_log_variance) =
                            density::gaussian(y, z.get(i, u), z.get(i, d + u));
                        *last.get_mut(i, u) = by_mean;
                        *last.get_mut(i, d + u) = by_log_variance;
                    }
                }
            }
            (Targets::Values(y), Task::Mixture(k)) => {
                let mut gradient = [0.0; 3 * MOST_COMPONENTS];
                for (i, y) in y.row(0).iter().enumerate() {
                    density::mixture(*y, &mixture_units(z, i)[..3 * k], &mut gradient);
                    for (u, g) in gradient[..3 * k].iter().enumerate() {
                        *last.get_mut(i, u) = *g;
                    }
                }
            }
            (Targets::Classes(y), _) => y
                .iter()
                .enumerate()
                .for_each(|(i, &c)| *last.get_mut(i, c) -= 1.0),
            (Targets::Binary(y), _) => y
                .iter()
                .enumerate()
                .for_each(|(i, &y)| *last.get_mut(i, 0) -= y),
            (Targets::Values(y), _) => {
                for (i, y) in y.column_iter().enumerate() {
                    for (u, y) in y.iter().enumerate() {
                        let d = last.get_mut(i, u);
                        *d = 2.0 * (*d - y);
                    }
                }
            }
        }
        let size = f64x2::splat(n as f64);
        last.pairs_mut(0..pairs).iter_mut().for_each(|d| *d /= size);
        if n % 2 == 1 {
            (0..f.units()).for_each(|u| *last.get_mut(n, u) = 0.0);
        }
        out.gradient.resize(theta.len(), 0.0);
        out.lanes.resize(theta.len(), f64x2::ZERO);
        splat_into(theta, &mut out.lanes);
        let mut end = theta.len();
        for l in (0..layers).rev() {
            let (columns, rows) = (arch.layers[l].inputs, arch.layers[l].outputs);
            let (w_start, b_start) = (end - rows * (columns + 1), end - rows);
            end = w_start;
            let (below, above) = out.pre.split_at_mut(l);
            let (delta, input) = (above[0].pairs(0..pairs), forward.post[l].pairs(0..pairs));
            // ∇W[r, c] = Σᵢ δ_r,i h_c,i + 2λW[r, c] (column by column, as in θ), and
            // ∇b[r] = Σᵢ δ_r,i.
            let (grad_w, grad_b) =
                out.gradient[w_start..b_start + rows].split_at_mut(b_start - w_start);
            sum_over_pairs(grad_w, rows, delta, |p, c| input[p * columns + c]);
            for (g, w) in grad_w.iter_mut().zip(&theta[w_start..b_start]) {
                *g += 2.0 * self.l2 * w;
            }
            sum_over_pairs(grad_b, rows, delta, |_, _| f64x2::ONE);
            let Some(next) = below.last_mut() else {
                break;
            };
            // ∇zˡ⁻¹_c = (Σ_r W[r, c] δ_r) g'(zˡ⁻¹_c); W column by column is (Wˡ)ᵀ row
            // by row.
            let g = arch.layers[l - 1].activation;
            let next = next.pairs_mut(0..pairs);
            affine(
                &out.lanes[w_start..b_start],
                |_| f64x2::ZERO,
                rows,
                delta,
                next,
            );
            let below = next
                .iter_mut()
                .zip(forward.pre[l - 1].pairs(0..pairs))
                .zip(forward.post[l].pairs(0..pairs));
            for ((next, &z), &h) in below {
                *next *= g.derivative(z, h);
            }
        }
    }

    /// The loss at θ and its gradient: what an optimizer's oracle asks for.
    pub fn loss_and_gradient(
        &self,
        theta: &[f64],
        x: &DMatrix<f64>,
        targets: &Targets,
    ) -> (Loss, Vec<f64>) {
        let (mut forward, mut backward) = (Forward::default(), Backward::default());
        let loss = self.loss_and_gradient_into(theta, x, targets, &mut forward, &mut backward);
        (loss, backward.gradient)
    }

    /// [`Network::loss_and_gradient`] into reused buffers: the gradient is left in
    /// `backward.gradient`.
    pub fn loss_and_gradient_into(
        &self,
        theta: &[f64],
        x: &DMatrix<f64>,
        targets: &Targets,
        forward: &mut Forward,
        backward: &mut Backward,
    ) -> Loss {
        self.forward_into(theta, x, forward);
        self.backward_into(theta, forward, targets, backward);
        Loss {
            data: self.data_loss(forward, targets),
            regularization: self.regularization(theta),
        }
    }
}

/// The predicted class of each sample of a forward pass.
pub fn classify(forward: &Forward) -> Vec<usize> {
    let f = forward.output();
    let classes = f.units();
    (0..f.samples())
        .map(|i| {
            if classes == 1 {
                return usize::from(f.get(i, 0) > 0.5);
            }
            // Ties go to the last of the equally likely classes.
            let mut best = (0, f.get(i, 0));
            for c in 1..classes {
                let p = f.get(i, c);
                if p >= best.1 {
                    best = (c, p);
                }
            }
            best.0
        })
        .collect()
}

/// The 3K output units of a mixture on sample `i` (the rest of the array unused).
fn mixture_units(z: &LayerValues, i: usize) -> [f64; 3 * MOST_COMPONENTS] {
    let mut units = [0.0; 3 * MOST_COMPONENTS];
    for (u, unit) in units.iter_mut().take(z.units()).enumerate() {
        *unit = z.get(i, u);
    }
    units
}

/// Each of `values` in both lanes of `lanes`.
fn splat_into(values: &[f64], lanes: &mut [f64x2]) {
    for (lane, &v) in lanes.iter_mut().zip(values) {
        *lane = f64x2::splat(v);
    }
}

/// The indices 0..`count` four at a time, the last four repeating `count` − 1 where
/// fewer remain: a tile of the passes always computes four results, and a repeated
/// index gets the same result again, at the same place.
fn by_four(count: usize) -> impl Iterator<Item = [usize; 4]> {
    let last = count - 1;
    (0..count)
        .step_by(4)
        .map(move |i| [i, (i + 1).min(last), (i + 2).min(last), (i + 3).min(last)])
}

/// The indices 0..`count` two at a time, as [`by_four`].
fn by_two(count: usize) -> impl Iterator<Item = [usize; 2]> {
    (0..count)
        .step_by(2)
        .map(move |i| [i, (i + 1).min(count - 1)])
}

/// y[r, c] = Σₚ δₚᵣ hₚ꜀ over the pairs of samples p (δ pair after pair, `rows` values
/// each; y column by column, as W in θ), taken as the sum of the two lanes: of the even
/// samples' terms and of the odd ones'.
///
/// In tiles of 4 rows × 2 columns ([`by_four`], [`by_two`]): each δ loaded serves two columns and
/// each h four rows, and eight sums advance together rather than each waiting on its last
/// addition. Whatever its tile, each sum adds its terms in order of p, as alone, so that
/// the tiling leaves its bits as they were.
#[inline(always)]
fn sum_over_pairs(y: &mut [f64], rows: usize, delta: &[f64x2], h: impl Fn(usize, usize) -> f64x2) {
    let lanes = |v: f64x2| {
        let [even, odd] = v.to_array();
        even + odd
    };
    let columns = y.len() / rows;
    for [c0, c1] in by_two(columns) {
        for [r0, r1, r2, r3] in by_four(rows) {
            let (mut s00, mut s10, mut s20, mut s30) =
                (f64x2::ZERO, f64x2::ZERO, f64x2::ZERO, f64x2::ZERO);
            let (mut s01, mut s11, mut s21, mut s31) =
                (f64x2::ZERO, f64x2::ZERO, f64x2::ZERO, f64x2::ZERO);
            for (p, d) in delta.chunks_exact(rows).enumerate() {
                let (h0, h1) = (h(p, c0), h(p, c1));
                let (d0, d1, d2, d3) = (d[r0], d[r1], d[r2], d[r3]);
                (s00, s01) = (s00 + d0 * h0, s01 + d0 * h1);
                (s10, s11) = (s10 + d1 * h0, s11 + d1 * h1);
                (s20, s21) = (s20 + d2 * h0, s21 + d2 * h1);
                (s30, s31) = (s30 + d3 * h0, s31 + d3 * h1);
            }
            let (y0, y1) = (c0 * rows, c1 * rows);
            (y[y0 + r0], y[y0 + r1], y[y0 + r2], y[y0 + r3]) =
                (lanes(s00), lanes(s10), lanes(s20), lanes(s30));
            (y[y1 + r0], y[y1 + r1], y[y1 + r2], y[y1 + r3]) =
                (lanes(s01), lanes(s11), lanes(s21), lanes(s31));
        }
    }
}

/// yₚᵢ = bᵢ + Σⱼ aᵢⱼ xₚⱼ for every pair of samples p and every row aᵢ of `a` (rows of
/// `inputs` entries one after another, each entry in both lanes); x and y pair after
/// pair, `inputs` values of x and one value of y per row of `a` in each.
///
/// In tiles of 4 rows × 2 pairs ([`by_four`], [`by_two`]): each weight loaded serves two pairs and
/// each input four rows, and eight sums advance together rather than each waiting on its
/// last addition. Whatever its tile, every yₚᵢ starts from bᵢ and adds its terms aᵢⱼ xₚⱼ
/// in order of j, as alone, so that the tiling leaves its bits as they were.
#[inline(always)]
fn affine(a: &[f64x2], b: impl Fn(usize) -> f64x2, inputs: usize, x: &[f64x2], y: &mut [f64x2]) {
    let rows = a.len() / inputs;
    let pairs = x.len() / inputs;
    let row = |i: usize| &a[i * inputs..][..inputs];
    let pair = |p: usize| &x[p * inputs..][..inputs];
    for [p0, p1] in by_two(pairs) {
        for [i0, i1, i2, i3] in by_four(rows) {
            let (mut s00, mut s10, mut s20, mut s30) = (b(i0), b(i1), b(i2), b(i3));
            let (mut s01, mut s11, mut s21, mut s31) = (s00, s10, s20, s30);
            let terms = pair(p0)
                .iter()
                .zip(pair(p1))
                .zip(row(i0))
                .zip(row(i1))
                .zip(row(i2))
                .zip(row(i3));
            for (((((&x0, &x1), &w0), &w1), &w2), &w3) in terms {
                (s00, s01) = (s00 + w0 * x0, s01 + w0 * x1);
                (s10, s11) = (s10 + w1 * x0, s11 + w1 * x1);
                (s20, s21) = (s20 + w2 * x0, s21 + w2 * x1);
                (s30, s31) = (s30 + w3 * x0, s31 + w3 * x1);
            }
            let (y0, y1) = (p0 * rows, p1 * rows);
            (y[y0 + i0], y[y0 + i1], y[y0 + i2], y[y0 + i3]) = (s00, s10, s20, s30);
            (y[y1 + i0], y[y1 + i1], y[y1 + i2], y[y1 + i3]) = (s01, s11, s21, s31);
        }
    }
}

/// A density output's f(x) from its z in place, for a pair of samples: a Gaussian's
/// (μ, log σ²) becomes (μ, σ²), a mixture's (a, μ, s) becomes (softmax(a), μ, e^s).
#[inline(always)]
fn distribution(activation: Activation, z: &mut [f64x2], exp: impl Fn(f64x2) -> f64x2) {
    let rows = z.len();
    let variances = match activation {
        Activation::Mdn => {
            softmax(&mut z[..rows / 3], &exp);
            2 * rows / 3
        }
        _ => rows / 2,
    };
    z[variances..].iter_mut().for_each(|v| *v = exp(*v));
}

/// softmax(z) = e^{z − max z} / Σⱼ e^{zⱼ − max z} in place, for a pair of samples;
/// returns max z and Σⱼ e^{zⱼ − max z} for each.
#[inline(always)]
fn softmax(z: &mut [f64x2], exp: impl Fn(f64x2) -> f64x2) -> (f64x2, f64x2) {
    let max = z.iter().fold(f64x2::splat(f64::NEG_INFINITY), |m, &v| {
        v.simd_gt(m).select(v, m)
    });
    let mut total = f64x2::ZERO;
    for v in z.iter_mut() {
        *v = exp(*v - max);
        total += *v;
    }
    // One division, then a product per class (within 1.5 ulps of the quotient).
    let inverse = f64x2::ONE / total;
    z.iter_mut().for_each(|v| *v *= inverse);
    (max, total)
}
