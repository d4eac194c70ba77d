//! Forward and backward passes, in the lecture's notation. The parameters θ are one flat
//! vector: for each layer, W (shape [out, in], stored column by column) then b.

use super::activation::{softplus, Activation};
use crate::config::Error;
use nalgebra::{DMatrix, DMatrixView, DVectorView};

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
    /// is softmax over ≥ 2 units, one sigmoid unit, or identity.
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
            if l + 1 < self.layers.len() && layer.activation == Activation::Softmax {
                return Err(Error::new(format!(
                    "layer {l}: softmax belongs to the output layer only"
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
            (Activation::Tanh | Activation::Relu, _) => Err(Error::new(format!(
                "layer {l}: the output activation must be softmax, sigmoid or identity, not {}",
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
    /// Target vectors, one column per sample, for identity outputs.
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

/// Everything the forward pass computes, one column per sample: `pre[l]` = zˡ and
/// `post[l]` = hˡ⁻¹ … with `post[0]` = x and `post[L]` = f(x).
#[derive(Clone, Debug, Default)]
pub struct Forward {
    pub pre: Vec<DMatrix<f64>>,
    pub post: Vec<DMatrix<f64>>,
    /// One layer's W, row by row: scratch space of the pass.
    transposed: Vec<f64>,
}

impl Forward {
    pub fn output(&self) -> &DMatrix<f64> {
        self.post.last().expect("a network has layers")
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

/// What the backward pass computes: per layer, ∇zˡ l and ∇hˡ⁻¹ l (one column per
/// sample, already divided by the batch size), and the gradient of the whole loss.
#[derive(Clone, Debug, Default)]
pub struct Backward {
    pub pre: Vec<DMatrix<f64>>,
    pub post: Vec<DMatrix<f64>>,
    pub gradient: Vec<f64>,
}

/// A network: its architecture and the weight of its L2 term, λ.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub architecture: Architecture,
    pub l2: f64,
}

impl Network {
    /// zˡ = Wˡ hˡ⁻¹ + bˡ and hˡ = g(zˡ) for every layer, from h⁰ = x (one column per
    /// sample); the output layer's softmax is taken per column, stably (shifted by its
    /// largest logit).
    pub fn forward(&self, theta: &[f64], x: &DMatrix<f64>) -> Forward {
        let mut forward = Forward::default();
        self.forward_into(theta, x, &mut forward);
        forward
    }

    /// [`Network::forward`] into buffers that are reused when their shapes fit: the
    /// training loop allocates nothing.
    pub fn forward_into(&self, theta: &[f64], x: &DMatrix<f64>, out: &mut Forward) {
        self.pass(theta, x, out, false);
    }

    /// The forward pass for pictures, into reused buffers: hidden activations within
    /// 1e-7 of the exact ones ([`Activation::apply_for_picture`]), several times faster.
    pub fn forward_for_picture(&self, theta: &[f64], x: &DMatrix<f64>, out: &mut Forward) {
        self.pass(theta, x, out, true);
    }

    fn pass(&self, theta: &[f64], x: &DMatrix<f64>, out: &mut Forward, picture: bool) {
        let arch = &self.architecture;
        let n = x.ncols();
        let layers = arch.layers.len();
        out.pre.resize_with(layers, || DMatrix::zeros(0, 0));
        out.post.resize_with(layers + 1, || DMatrix::zeros(0, 0));
        fit(&mut out.post[0], x.nrows(), n);
        out.post[0].copy_from(x);
        for (l, layer) in arch.layers.iter().enumerate() {
            let (rows, columns) = (layer.outputs, layer.inputs);
            let (w_start, b_start) = arch.offsets(l);
            let w = &theta[w_start..b_start];
            let b = &theta[b_start..b_start + rows];
            // Wˡ row by row (θ holds it column by column), so that each zᵣ is one
            // contiguous dot product accumulated in a register.
            let wt = &mut out.transposed;
            wt.clear();
            wt.extend((0..rows * columns).map(|k| w[(k % columns) * rows + k / columns]));
            let (before, after) = out.post.split_at_mut(l + 1);
            let input = before[l].as_slice();
            let z = &mut out.pre[l];
            fit(z, rows, n);
            for (zi, hi) in z
                .as_mut_slice()
                .chunks_exact_mut(rows)
                .zip(input.chunks_exact(columns))
            {
                for ((zr, wr), br) in zi.iter_mut().zip(wt.chunks_exact(columns)).zip(b) {
                    *zr = br + wr.iter().zip(hi).map(|(w, h)| w * h).sum::<f64>();
                }
            }
            let h = &mut after[0];
            fit(h, rows, n);
            h.as_mut_slice().copy_from_slice(z.as_slice());
            match layer.activation {
                Activation::Softmax => {
                    for column in h.as_mut_slice().chunks_exact_mut(rows) {
                        softmax(column);
                    }
                }
                Activation::Identity => {}
                g => g.apply_all(h.as_mut_slice(), picture),
            }
        }
    }

    /// λ Σₗ ‖Wˡ‖², biases excluded.
    pub fn regularization(&self, theta: &[f64]) -> f64 {
        let arch = &self.architecture;
        self.l2
            * (0..arch.layers.len())
                .map(|l| arch.weights(theta, l).norm_squared())
                .sum::<f64>()
    }

    /// The mean data loss of a forward pass against `targets`:
    /// NLL −log softmax(zᵒ)_y = log Σⱼ e^{zⱼ} − z_y; binary cross-entropy
    /// −[y log f + (1 − y) log(1 − f)] = softplus(zᵒ) − y zᵒ; or Σⱼ (fⱼ − yⱼ)².
    pub fn data_loss(&self, forward: &Forward, targets: &Targets) -> f64 {
        let z = forward.pre.last().expect("a network has layers");
        let f = forward.output();
        let n = z.ncols().max(1) as f64;
        let total: f64 = match targets {
            Targets::Classes(y) => z
                .column_iter()
                .zip(y)
                .map(|(column, &c)| log_sum_exp(column.iter().copied()) - column[c])
                .sum(),
            Targets::Binary(y) => z.iter().zip(y).map(|(&z, &y)| softplus(z) - y * z).sum(),
            Targets::Values(y) => (f - y).norm_squared(),
        };
        total / n
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
        let n = f.ncols();
        let scale = 1.0 / n.max(1) as f64;
        out.pre.resize_with(layers, || DMatrix::zeros(0, 0));
        out.post.resize_with(layers, || DMatrix::zeros(0, 0));
        out.gradient.resize(arch.parameter_count(), 0.0);
        let last = &mut out.pre[layers - 1];
        fit(last, f.nrows(), n);
        last.copy_from(f);
        match targets {
            Targets::Classes(y) => {
                for (mut column, &c) in last.column_iter_mut().zip(y) {
                    column[c] -= 1.0;
                }
            }
            Targets::Binary(y) => last.iter_mut().zip(y).for_each(|(d, &y)| *d -= y),
            Targets::Values(y) => {
                *last -= y;
                *last *= 2.0;
            }
        }
        *last *= scale;
        for l in (0..layers).rev() {
            let layer = &arch.layers[l];
            let (rows, columns) = (layer.outputs, layer.inputs);
            let (w_start, b_start) = arch.offsets(l);
            let w = &theta[w_start..b_start];
            let delta = out.pre[l].as_slice();
            let input = forward.post[l].as_slice();
            let (grad_w, grad_b) =
                out.gradient[w_start..b_start + rows].split_at_mut(b_start - w_start);
            // ∇W[r, c] = Σᵢ δ_r,i h_c,i + 2λW[r, c]; ∇b[r] = Σᵢ δ_r,i.
            for (g, w) in grad_w.iter_mut().zip(w) {
                *g = 2.0 * self.l2 * w;
            }
            grad_b.fill(0.0);
            for (di, hi) in delta.chunks_exact(rows).zip(input.chunks_exact(columns)) {
                for (c, &h) in hi.iter().enumerate() {
                    for (g, d) in grad_w[c * rows..(c + 1) * rows].iter_mut().zip(di) {
                        *g += d * h;
                    }
                }
                for (g, d) in grad_b.iter_mut().zip(di) {
                    *g += d;
                }
            }
            // ∇h_c,i = Σ_r W[r, c] δ_r,i.
            let grad_h = &mut out.post[l];
            fit(grad_h, columns, n);
            for (gi, di) in grad_h
                .as_mut_slice()
                .chunks_exact_mut(columns)
                .zip(delta.chunks_exact(rows))
            {
                for (c, g) in gi.iter_mut().enumerate() {
                    *g = w[c * rows..(c + 1) * rows]
                        .iter()
                        .zip(di)
                        .map(|(w, d)| w * d)
                        .sum();
                }
            }
            if l > 0 {
                let g = arch.layers[l - 1].activation;
                let next = &mut out.pre[l - 1];
                fit(next, columns, n);
                let grad_h = out.post[l].as_slice();
                let (z, h) = (forward.pre[l - 1].as_slice(), forward.post[l].as_slice());
                for (((d, gh), &z), &h) in next.as_mut_slice().iter_mut().zip(grad_h).zip(z).zip(h)
                {
                    *d = gh * g.derivative(z, h);
                }
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

/// The predicted class of each column of a forward pass.
pub fn classify(forward: &Forward) -> Vec<usize> {
    forward
        .output()
        .column_iter()
        .map(|column| {
            if column.len() == 1 {
                usize::from(column[0] > 0.5)
            } else {
                column.argmax().0
            }
        })
        .collect()
}

/// log Σ e^{vᵢ}, shifted by the largest value so that no term overflows.
fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + libm::log(values.map(|v| libm::exp(v - max)).sum::<f64>())
}

/// softmax in place: e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}.
fn softmax(z: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = libm::exp(*v - max);
        sum += *v;
    }
    z.iter_mut().for_each(|v| *v /= sum);
}

/// Gives `m` the shape rows × columns, reallocating only when it differs.
fn fit(m: &mut DMatrix<f64>, rows: usize, columns: usize) {
    if m.shape() != (rows, columns) {
        *m = DMatrix::zeros(rows, columns);
    }
}
