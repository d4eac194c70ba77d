//! Small networks in the lecture's notation: layers z = W x + b, h = g(z), with W of shape
//! [out, in]; the output activation and the loss follow the task (softmax with the
//! negative log-likelihood, a sigmoid with binary cross-entropy, the identity with the
//! squared error, or a predicted density of y — a Gaussian, or a mixture of Gaussians —
//! with its negative log-likelihood, see [`density`]), plus the L2 term λ Σ‖W‖² (biases
//! excluded).
//!
//! The parameters θ live in one flat vector, so that the optimizers of [`crate::optim`]
//! train a network exactly as they move a point on a surface.
//!
//! To read backprop as the slides write it, start with [`lecture`]: one sample, plain
//! vectors, one line per formula. [`network`] computes the same numbers faster (two
//! samples per SIMD instruction), and the tests hold it to [`lecture`] within 1e-12.

pub mod activation;
pub mod curvature;
pub mod data;
pub mod density;
pub mod diagnostics;
pub mod digits;
pub mod dual;
pub mod exp;
pub mod init;
pub mod inspect;
pub mod landscape;
pub mod lecture;
pub mod lr_range;
pub mod model;
pub mod network;
pub mod normalize;
pub mod notation;
pub mod own_data;
pub mod pre_activation;
pub mod schedule;
pub mod setup;
pub mod train;
pub mod values;

pub use activation::Activation;
pub use network::{Architecture, LayerShape, Network, Targets};
