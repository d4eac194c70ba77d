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
#[derive(Clone, Debug)]
pub struct Forward {
    pub pre: Vec<DMatrix<f64>>,
    pub post: Vec<DMatrix<f64>>,
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
#[derive(Clone, Debug)]
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
        let arch = &self.architecture;
        let mut pre = Vec::with_capacity(arch.layers.len());
        let mut post = Vec::with_capacity(arch.layers.len() + 1);
        post.push(x.clone());
        for (l, layer) in arch.layers.iter().enumerate() {
            let mut z = arch.weights(theta, l) * post.last().expect("h⁰ = x");
            let b = arch.biases(theta, l);
            for mut column in z.column_iter_mut() {
                column += &b;
            }
            let h = match layer.activation {
                Activation::Softmax => softmax_columns(&z),
                g => z.map(|v| g.apply(v)),
            };
            pre.push(z);
            post.push(h);
        }
        Forward { pre, post }
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
        let arch = &self.architecture;
        let layers = arch.layers.len();
        let f = forward.output();
        let n = f.ncols().max(1) as f64;
        let mut delta = f.clone();
        match targets {
            Targets::Classes(y) => {
                for (mut column, &c) in delta.column_iter_mut().zip(y) {
                    column[c] -= 1.0;
                }
            }
            Targets::Binary(y) => {
                for (d, &y) in delta.iter_mut().zip(y) {
                    *d -= y;
                }
            }
            Targets::Values(y) => {
                delta -= y;
                delta *= 2.0;
            }
        }
        delta /= n;
        let mut gradient = vec![0.0; arch.parameter_count()];
        let mut pre = vec![DMatrix::zeros(0, 0); layers];
        let mut post = vec![DMatrix::zeros(0, 0); layers];
        for l in (0..layers).rev() {
            let (w_start, b_start) = arch.offsets(l);
            let w = arch.weights(theta, l);
            let grad_w = &delta * forward.post[l].transpose() + 2.0 * self.l2 * w;
            gradient[w_start..b_start].copy_from_slice(grad_w.as_slice());
            for (g, row) in gradient[b_start..].iter_mut().zip(delta.row_iter()) {
                *g = row.sum();
            }
            let grad_h = w.transpose() * &delta;
            let next = if l > 0 {
                let g = arch.layers[l - 1].activation;
                let mut d = grad_h.clone();
                for ((d, &z), &h) in d
                    .iter_mut()
                    .zip(forward.pre[l - 1].iter())
                    .zip(forward.post[l].iter())
                {
                    *d *= g.derivative(z, h);
                }
                Some(d)
            } else {
                None
            };
            pre[l] = std::mem::replace(&mut delta, next.unwrap_or_else(|| DMatrix::zeros(0, 0)));
            post[l] = grad_h;
        }
        Backward {
            pre,
            post,
            gradient,
        }
    }

    /// The loss at θ and its gradient: what an optimizer's oracle asks for.
    pub fn loss_and_gradient(
        &self,
        theta: &[f64],
        x: &DMatrix<f64>,
        targets: &Targets,
    ) -> (Loss, Vec<f64>) {
        let forward = self.forward(theta, x);
        let loss = Loss {
            data: self.data_loss(&forward, targets),
            regularization: self.regularization(theta),
        };
        (loss, self.backward(theta, &forward, targets).gradient)
    }

    /// The predicted class of each column: argmax f(x), or f(x) > ½ for one sigmoid.
    pub fn predict(&self, theta: &[f64], x: &DMatrix<f64>) -> Vec<usize> {
        classify(&self.forward(theta, x))
    }
}

/// The predicted class of each column of a forward pass.
pub fn classify(forward: &Forward) -> Vec<usize> {
    {
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
}

/// log Σ e^{vᵢ}, shifted by the largest value so that no term overflows.
fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + libm::log(values.map(|v| libm::exp(v - max)).sum::<f64>())
}

/// softmax of every column: e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}.
fn softmax_columns(z: &DMatrix<f64>) -> DMatrix<f64> {
    let mut f = z.clone();
    for mut column in f.column_iter_mut() {
        let max = column.max();
        column.apply(|v| *v = libm::exp(*v - max));
        let sum = column.sum();
        column /= sum;
    }
    f
}
