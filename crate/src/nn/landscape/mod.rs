//! The loss landscape of a network: the training loss L_S on a plane through its weights θ,
//! g(a, b) = L_S(θ + a d₁ + b d₂), with the directions d chosen as one weight, a random
//! filter-normalized direction or a principal direction of the training run's trajectory
//! (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"); and the loss on the
//! line through two weights (Goodfellow et al. 2015).

pub mod direction;
pub mod interpolation;
pub mod plane;
pub mod trajectory;

pub use direction::Direction;
pub use interpolation::{interpolate, Interpolated};
pub use plane::{Grid, Plane, PlaneLoss};
pub use trajectory::{Pca, Trajectory};
