//! The curvature of the training loss: exact Hessian-vector products H v, where H is
//! the Hessian of the full loss the network trains on,
//!
//! L(θ) = (1/n) Σᵢ l(f(xᵢ; θ), yᵢ) + λ Σₗ ‖Wˡ‖²   (biases excluded),
//!
//! so H v = (1/n) Σᵢ ∇²lᵢ v + 2λ v_W, with v_W the weight entries of v (the L2 term's
//! Hessian is 2λ on every weight and 0 on every bias).
//!
//! H v is the derivative of the gradient along v: H v = d/dt ∇L(θ + t v) at t = 0. This
//! module runs the lecture's backprop (forward, then backward, one sample at a time, see
//! [`super::lecture`]) on dual numbers θ + vε ([`super::dual`]): each quantity of the
//! passes carries its derivative along v, so the gradient comes out as ∇L + (H v)ε —
//! forward-mode differentiation over reverse mode ("forward over backward"; Pearlmutter,
//! "Fast exact multiplication by the Hessian", 1994, whose R-operator R{·} = d/dt(·) is
//! the tangent part). It is exact up to rounding, costs about three gradients, and
//! needs no step size, unlike finite differences of the gradient.
//!
//! Every output works — softmax with the NLL, a sigmoid with the binary cross-entropy,
//! the identity with the squared error, and the densities' NLLs ([`super::density`],
//! written once over [`Real`]) — and every hidden activation: relu's g′ is a step, whose
//! derivative is 0 away from its kink.

use super::activation::Activation;
use super::density;
use super::dual::{Dual, Real};
use super::network::{Architecture, Network, Targets, Task};
use crate::config::Error;
use nalgebra::DMatrix;

/// ∇L(θ) and H v for the full loss L of `network` on the samples `x` (one column
/// each) with `targets`.
pub fn gradient_and_curvature(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    v: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), Error> {
    let arch = &network.architecture;
    check(arch, theta, x, targets, v)?;
    let point: Vec<Dual> = theta
        .iter()
        .zip(v)
        .map(|(&t, &v)| Dual::new(t, v))
        .collect();
    let mut passes = Passes::new(arch);
    let mut sum = vec![Dual::default(); theta.len()];
    for (i, input) in x.column_iter().enumerate() {
        passes.add_gradient(
            arch,
            &point,
            input.as_slice(),
            &Sample::of(targets, i),
            &mut sum,
        );
    }
    let n = x.ncols() as f64;
    let mut gradient: Vec<f64> = sum.iter().map(|d| d.value / n).collect();
    let mut product: Vec<f64> = sum.iter().map(|d| d.tangent / n).collect();
    // λ Σ‖W‖²: gradient 2λW, Hessian 2λ on the weights.
    for l in 0..arch.layers.len() {
        let (w, b) = arch.offsets(l);
        for k in w..b {
            gradient[k] += 2.0 * network.l2 * theta[k];
            product[k] += 2.0 * network.l2 * v[k];
        }
    }
    Ok((gradient, product))
}

/// H v, the Hessian of the full loss L at θ times `v` (see [`gradient_and_curvature`]).
pub fn hessian_vector_product(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    v: &[f64],
) -> Result<Vec<f64>, Error> {
    gradient_and_curvature(network, theta, x, targets, v).map(|(_, product)| product)
}

/// An error unless θ and v are the network's size, x has its inputs and at least one
/// sample, and the targets are one per sample, of the kind its output predicts: what
/// [`gradient_and_curvature`] needs.
pub fn check(
    arch: &Architecture,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    v: &[f64],
) -> Result<(), Error> {
    let count = arch.parameter_count();
    if theta.len() != count || v.len() != count {
        return Err(Error::new(format!(
            "the network has {count} parameters; θ has {} and the direction {}",
            theta.len(),
            v.len()
        )));
    }
    super::landscape::plane::check_fit(arch, x, targets)
}

/// One sample's target.
enum Sample<'a> {
    Class(usize),
    Binary(f64),
    Values(&'a [f64]),
}

impl<'a> Sample<'a> {
    fn of(targets: &'a Targets, i: usize) -> Sample<'a> {
        match targets {
            Targets::Classes(y) => Sample::Class(y[i]),
            Targets::Binary(y) => Sample::Binary(y[i]),
            Targets::Values(y) => {
                let rows = y.nrows();
                Sample::Values(&y.as_slice()[i * rows..(i + 1) * rows])
            }
        }
    }
}

/// One sample's passes, over any [`Real`]: zˡ and hˡ per layer (`post[0]` = x), and
/// ∇zˡ l for the layer being taken back.
struct Passes<T> {
    pre: Vec<Vec<T>>,
    post: Vec<Vec<T>>,
    delta: Vec<T>,
    below: Vec<T>,
}

impl<T: Real> Passes<T> {
    fn new(arch: &Architecture) -> Passes<T> {
        let zero = T::constant(0.0);
        let mut post = vec![vec![zero; arch.inputs()]];
        post.extend(arch.layers.iter().map(|s| vec![zero; s.outputs]));
        Passes {
            pre: arch.layers.iter().map(|s| vec![zero; s.outputs]).collect(),
            post,
            delta: Vec::new(),
            below: Vec::new(),
        }
    }

    /// Adds ∇θ l(f(x; θ), y) of one sample (no L2 term) to `gradient`, by the
    /// lecture's backprop: zˡ = Wˡ hˡ⁻¹ + bˡ, hˡ = g(zˡ); ∇zᴸ l from the loss; then
    /// ∇Wˡ l = ∇zˡ l (hˡ⁻¹)ᵀ, ∇bˡ l = ∇zˡ l and ∇zˡ⁻¹ l = ((Wˡ)ᵀ ∇zˡ l) ⊙ g′(zˡ⁻¹).
    /// θ holds each W column by column, as [`super::network`] lays it out.
    fn add_gradient(
        &mut self,
        arch: &Architecture,
        theta: &[T],
        x: &[f64],
        target: &Sample,
        gradient: &mut [T],
    ) {
        for (h, &x) in self.post[0].iter_mut().zip(x) {
            *h = T::constant(x);
        }
        let last = arch.layers.len() - 1;
        for (l, layer) in arch.layers.iter().enumerate() {
            let (w, b) = arch.offsets(l);
            let rows = layer.outputs;
            let (done, rest) = self.post.split_at_mut(l + 1);
            let (input, z) = (&done[l], &mut self.pre[l]);
            z.copy_from_slice(&theta[b..b + rows]);
            for (c, &h) in input.iter().enumerate() {
                let column = &theta[w + c * rows..w + (c + 1) * rows];
                for (z, &weight) in z.iter_mut().zip(column) {
                    *z = *z + weight * h;
                }
            }
            if l < last {
                for (h, &z) in rest[0].iter_mut().zip(z.iter()) {
                    *h = hidden(layer.activation, z);
                }
            }
        }
        self.delta.clear();
        self.delta
            .resize(arch.layers[last].outputs, T::constant(0.0));
        output_gradient(arch.task(), &self.pre[last], target, &mut self.delta);
        for l in (0..=last).rev() {
            let (w, b) = arch.offsets(l);
            let rows = arch.layers[l].outputs;
            let input = &self.post[l];
            for (c, &h) in input.iter().enumerate() {
                let column = &mut gradient[w + c * rows..w + (c + 1) * rows];
                for (g, &d) in column.iter_mut().zip(&self.delta) {
                    *g = *g + d * h;
                }
            }
            for (g, &d) in gradient[b..b + rows].iter_mut().zip(&self.delta) {
                *g = *g + d;
            }
            if l == 0 {
                break;
            }
            let g = arch.layers[l - 1].activation;
            self.below.clear();
            for (c, (&z, &h)) in self.pre[l - 1].iter().zip(input).enumerate() {
                let column = &theta[w + c * rows..w + (c + 1) * rows];
                let back = column
                    .iter()
                    .zip(&self.delta)
                    .fold(T::constant(0.0), |s, (&weight, &d)| s + weight * d);
                self.below.push(back * slope(g, z, h));
            }
            std::mem::swap(&mut self.delta, &mut self.below);
        }
    }
}

/// g(z) of a hidden layer.
fn hidden<T: Real>(g: Activation, z: T) -> T {
    match g {
        Activation::Sigmoid => z.sigmoid(),
        Activation::Tanh => z.tanh(),
        Activation::Relu if z.value() > 0.0 => z,
        Activation::Relu => T::constant(0.0),
        _ => z,
    }
}

/// g′(z) of a hidden layer from z or h = g(z): sigm (1 − sigm), 1 − tanh², 1_{z>0}, 1.
fn slope<T: Real>(g: Activation, z: T, h: T) -> T {
    let one = T::constant(1.0);
    match g {
        Activation::Sigmoid => h * (one - h),
        Activation::Tanh => one - h * h,
        Activation::Relu if z.value() > 0.0 => one,
        Activation::Relu => T::constant(0.0),
        _ => one,
    }
}

/// ∂l/∂zᴸ of one sample into `delta`: softmax(z) − e(y) for the NLL, sigm(z) − y for
/// the cross-entropy, 2(z − y) for the squared error, and the densities' gradients.
fn output_gradient<T: Real>(task: Task, z: &[T], target: &Sample, delta: &mut [T]) {
    match (task, target) {
        (Task::Classes(_), &Sample::Class(y)) => {
            // softmax(z) = e^(z − m) / Σⱼ e^(zⱼ − m) for any constant m: the largest zⱼ.
            let m = z
                .iter()
                .map(|z| z.value())
                .fold(f64::NEG_INFINITY, f64::max);
            let mut total = T::constant(0.0);
            for (d, &z) in delta.iter_mut().zip(z) {
                *d = (z + -m).exp();
                total = total + *d;
            }
            for d in delta.iter_mut() {
                *d = *d / total;
            }
            delta[y] = delta[y] + -1.0;
        }
        (Task::Binary, &Sample::Binary(y)) => delta[0] = z[0].sigmoid() + -y,
        (Task::Gaussian(d), Sample::Values(y)) => {
            for (u, &y) in y.iter().enumerate() {
                let (_, by_mean, by_log_variance) = density::gaussian(y, z[u], z[d + u]);
                (delta[u], delta[d + u]) = (by_mean, by_log_variance);
            }
        }
        (Task::Mixture(_), Sample::Values(y)) => {
            density::mixture(y[0], z, delta);
        }
        (_, Sample::Values(y)) => {
            for ((d, &z), &y) in delta.iter_mut().zip(z).zip(*y) {
                *d = (z + -y) * 2.0;
            }
        }
        // `check` has matched the targets to the task.
        _ => unreachable!("targets of another task"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::Architecture;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};

    fn uniform(rng: &mut Xoshiro256PlusPlus, n: usize, scale: f64) -> Vec<f64> {
        (0..n)
            .map(|_| scale * (2.0 * rng.random::<f64>() - 1.0))
            .collect()
    }

    /// A network of `hidden` units with activation `g` and output `task`, random θ and
    /// batch.
    fn case(
        rng: &mut Xoshiro256PlusPlus,
        g: Activation,
        task: Task,
        l2: f64,
    ) -> (Network, Vec<f64>, DMatrix<f64>, Targets) {
        let architecture = Architecture::mlp(2, &[4, 3], g, task).unwrap();
        let theta = uniform(rng, architecture.parameter_count(), 0.9);
        let n = 7;
        let x = DMatrix::from_vec(2, n, uniform(rng, 2 * n, 1.5));
        let targets = match task {
            Task::Classes(k) => Targets::Classes((0..n).map(|_| rng.random_range(0..k)).collect()),
            Task::Binary => Targets::Binary((0..n).map(|i| (i % 2) as f64).collect()),
            Task::Regression(d) | Task::Gaussian(d) => {
                Targets::Values(DMatrix::from_vec(d, n, uniform(rng, d * n, 1.0)))
            }
            Task::Mixture(_) => Targets::Values(DMatrix::from_vec(1, n, uniform(rng, n, 1.0))),
        };
        (Network { architecture, l2 }, theta, x, targets)
    }

    const TASKS: [Task; 6] = [
        Task::Classes(3),
        Task::Binary,
        Task::Regression(2),
        Task::Gaussian(2),
        Task::Mixture(3),
        Task::Mixture(1),
    ];

    #[test]
    fn the_dual_pass_s_gradient_is_the_network_s() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for g in Activation::HIDDEN {
            for task in TASKS {
                let (network, theta, x, targets) = case(&mut rng, g, task, 0.03);
                let v = uniform(&mut rng, theta.len(), 1.0);
                let (gradient, _) =
                    gradient_and_curvature(&network, &theta, &x, &targets, &v).unwrap();
                let (_, exact) = network.loss_and_gradient(&theta, &x, &targets);
                let scale = exact.iter().fold(1.0_f64, |m, g| m.max(g.abs()));
                for (a, b) in gradient.iter().zip(&exact) {
                    assert!(
                        (a - b).abs() < 1e-12 * scale,
                        "{g:?} {task:?}: {a} against {b}"
                    );
                }
            }
        }
    }

    /// H v against (∇L(θ + hv) − ∇L(θ − hv)) / 2h, the exact gradient differenced. The
    /// difference errs by h² ‖∇³L‖ ‖v‖³ / 6 (about 1e-10 here, with θ, x and v of
    /// order one) plus the rounding of the gradients over 2h, ε ‖∇L‖ / h ≈ 1e-11: so
    /// 1e-7 of the largest entry leaves a margin. Relu's kinks are where the difference, not H v,
    /// is wrong; with h = 1e-5 no pre-activation of these random cases comes within h‖v‖
    /// of 0 (the test would fail if one did, and the seed would be changed, not the
    /// tolerance).
    #[test]
    fn the_product_is_the_derivative_of_the_gradient() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let h = 1e-5;
        for g in Activation::HIDDEN {
            for task in TASKS {
                for l2 in [0.0, 0.05] {
                    let (network, theta, x, targets) = case(&mut rng, g, task, l2);
                    let v = uniform(&mut rng, theta.len(), 1.0);
                    let product =
                        hessian_vector_product(&network, &theta, &x, &targets, &v).unwrap();
                    let at = |t: f64| {
                        let moved: Vec<f64> =
                            theta.iter().zip(&v).map(|(a, b)| a + t * b).collect();
                        network.loss_and_gradient(&moved, &x, &targets).1
                    };
                    let (plus, minus) = (at(h), at(-h));
                    let numeric: Vec<f64> = plus
                        .iter()
                        .zip(&minus)
                        .map(|(p, m)| (p - m) / (2.0 * h))
                        .collect();
                    let scale = numeric.iter().fold(1.0_f64, |m, d| m.max(d.abs()));
                    for (k, (a, b)) in product.iter().zip(&numeric).enumerate() {
                        assert!(
                            (a - b).abs() < 1e-7 * scale,
                            "{g:?} {task:?} λ = {l2}, entry {k}: {a} against {b}"
                        );
                    }
                }
            }
        }
    }

    /// uᵀ(H v) = vᵀ(H u): the Hessian is symmetric, to rounding.
    #[test]
    fn the_hessian_is_symmetric() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        for g in Activation::HIDDEN {
            for task in TASKS {
                let (network, theta, x, targets) = case(&mut rng, g, task, 0.02);
                let u = uniform(&mut rng, theta.len(), 1.0);
                let v = uniform(&mut rng, theta.len(), 1.0);
                let hv = hessian_vector_product(&network, &theta, &x, &targets, &v).unwrap();
                let hu = hessian_vector_product(&network, &theta, &x, &targets, &u).unwrap();
                let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
                let (uhv, vhu) = (dot(&u, &hv), dot(&v, &hu));
                let scale = dot(&u, &u).sqrt() * dot(&hv, &hv).sqrt();
                assert!(
                    (uhv - vhu).abs() < 1e-12 * scale.max(1.0),
                    "{g:?} {task:?}: {uhv} {vhu}"
                );
            }
        }
    }

    #[test]
    fn the_l2_term_adds_twice_lambda_on_the_weights_only() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let (mut network, theta, x, targets) = case(&mut rng, Activation::Tanh, Task::Binary, 0.0);
        let v = uniform(&mut rng, theta.len(), 1.0);
        let without = hessian_vector_product(&network, &theta, &x, &targets, &v).unwrap();
        network.l2 = 0.25;
        let with = hessian_vector_product(&network, &theta, &x, &targets, &v).unwrap();
        let arch = &network.architecture;
        for l in 0..arch.layers.len() {
            let (w, b) = arch.offsets(l);
            for k in w..b {
                assert!((with[k] - without[k] - 0.5 * v[k]).abs() < 1e-12);
            }
            for k in b..b + arch.layers[l].outputs {
                assert_eq!(with[k], without[k]);
            }
        }
    }

    #[test]
    fn mismatched_sizes_are_errors() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let (network, theta, x, targets) = case(&mut rng, Activation::Relu, Task::Classes(3), 0.0);
        let v = vec![1.0; theta.len()];
        let hvp = |theta: &[f64], x: &DMatrix<f64>, targets: &Targets, v: &[f64]| {
            hessian_vector_product(&network, theta, x, targets, v)
        };
        assert!(hvp(&theta, &x, &targets, &v[1..])
            .unwrap_err()
            .0
            .contains("parameters"));
        assert!(hvp(&theta[1..], &x, &targets, &v).is_err());
        let wide = DMatrix::zeros(3, x.ncols());
        assert!(hvp(&theta, &wide, &targets, &v)
            .unwrap_err()
            .0
            .contains("inputs"));
        let none = DMatrix::zeros(2, 0);
        assert!(hvp(&theta, &none, &Targets::Classes(vec![]), &v).is_err());
        let binary = Targets::Binary(vec![0.0; x.ncols()]);
        assert!(hvp(&theta, &x, &binary, &v)
            .unwrap_err()
            .0
            .contains("do not fit"));
        let beyond = Targets::Classes(vec![3; x.ncols()]);
        assert!(hvp(&theta, &x, &beyond, &v).is_err());
    }
}
