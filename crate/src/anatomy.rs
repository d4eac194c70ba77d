//! Why a step goes where it goes: one update of an optimizer taken apart (its gradient,
//! velocity, moments and per-coordinate step sizes, read from the method's own state),
//! the local geometry of the surface (the Hessian's eigenvalues and eigenvectors), and
//! the error of a run split along the eigenvectors of a quadratic, as in Goh, "Why
//! Momentum Really Works" (Distill 2017).

use crate::config::Error;
use crate::optim::{Configured, Explained, Explainer, Noisy, Term};
use crate::run::{SurfaceOracle, Trajectory};
use crate::surface::{Hessian, Point, Surface};
use nalgebra::{Matrix2, SymmetricEigen};
use serde::Serialize;

/// A vector of an update, named with the lecture's symbol: `{name, label, value}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub label: &'static str,
    pub value: Point,
}

/// Everything update k → k + 1 of a run used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anatomy {
    /// The method's id: `momentum`.
    pub method: String,
    /// k.
    pub step: usize,
    /// θₖ, bit for bit the run's iterate k.
    pub theta: Point,
    /// θₖ₊₁, bit for bit the run's iterate k + 1: the optimizer's own step from θₖ.
    pub next: Point,
    /// ∇L as the method saw it: at θₖ, or at the look-ahead point for Nesterov, with
    /// the run's gradient noise if σ > 0.
    pub gradient: Point,
    /// What the method has: the velocity m and its parts γm and η∇L, the moments m, v
    /// and their bias-corrected m̂, v̂, Newton's direction H⁻¹∇L, …
    pub terms: Vec<Part>,
    /// The adaptive methods' per-coordinate step size (η/(√v̂ + ε) for Adam), x and y.
    pub scale: Option<Point>,
    /// Nesterov's θₖ − γm, where its gradient was taken.
    pub look_ahead: Option<Point>,
    /// The update in the lecture's notation with this step's numbers.
    pub narration: String,
}

fn point(v: &[f64]) -> Point {
    [v[0], v[1]]
}

impl Anatomy {
    fn new(method: &str, step: usize, theta: Point, next: Point, e: Explained) -> Anatomy {
        let part = |t: Term| Part {
            name: t.name,
            label: t.label,
            value: point(&t.value),
        };
        Anatomy {
            method: method.to_string(),
            step,
            theta,
            next,
            gradient: point(&e.gradient),
            terms: e.terms.into_iter().map(part).collect(),
            scale: e.scale.as_deref().map(point),
            look_ahead: e.look_ahead.as_deref().map(point),
            narration: e.narration,
        }
    }

    /// The term named `name`.
    pub fn term(&self, name: &str) -> Option<Point> {
        self.terms.iter().find(|t| t.name == name).map(|t| t.value)
    }

    /// The step θₖ₊₁ − θₖ.
    pub fn step_vector(&self) -> Point {
        [self.next[0] - self.theta[0], self.next[1] - self.theta[1]]
    }

    /// The arrows that build the step, tail to head: for momentum and Nesterov the
    /// velocity kept, θ → θ − γm (Nesterov's look-ahead point), then the gradient term
    /// from there, θ − γm → θ − γm − η∇L = θ′; for every method the whole step θ → θ′.
    pub fn arrows(&self) -> Vec<Arrow> {
        let mut arrows = Vec::new();
        if let Some(kept) = self.term("γm") {
            let corner = self
                .look_ahead
                .unwrap_or([self.theta[0] - kept[0], self.theta[1] - kept[1]]);
            arrows.push(Arrow {
                from: self.theta,
                to: corner,
                role: Role::Velocity,
            });
            arrows.push(Arrow {
                from: corner,
                to: self.next,
                role: Role::Gradient,
            });
        }
        let role = if self.term("η∇L(θ)").is_some() && arrows.is_empty() {
            Role::Gradient
        } else {
            Role::Step
        };
        arrows.push(Arrow {
            from: self.theta,
            to: self.next,
            role,
        });
        arrows
    }

    /// The adaptive methods' box around θₖ: half-sides ηᵢ|gᵢ|, how far each coordinate
    /// moves at this step's per-coordinate step sizes ηᵢ on the raw gradient g. Adagrad,
    /// RMSprop (without momentum) and Adadelta step exactly to one of its corners;
    /// Adam and its kin step by ηᵢm̂ᵢ instead, so θ′ off the corner shows what the
    /// first moment changed.
    pub fn step_box(&self) -> Option<(Point, Point)> {
        let [sx, sy] = self.scale?;
        Some((
            self.theta,
            [sx * self.gradient[0].abs(), sy * self.gradient[1].abs()],
        ))
    }
}

/// What an arrow of a step's anatomy stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The whole step θ → θ′.
    Step,
    /// The velocity kept, −γm.
    Velocity,
    /// The gradient term, −η∇L (at the look-ahead point for Nesterov).
    Gradient,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrow {
    pub from: Point,
    pub to: Point,
    pub role: Role,
}

/// Update `step` of `method` (a fresh one, as the run was made) run from `start` on
/// `surface`: the run is replayed up to iterate `step` with the same gradient noise,
/// then its next update is taken and explained by the method from its state. `run` is
/// the trajectory it was made with; `step` must be below its last iterate.
pub fn anatomy(
    surface: &dyn Surface,
    (id, method): (&str, &mut Configured<dyn Explainer>),
    run: &Trajectory,
    step: usize,
) -> Result<Anatomy, Error> {
    let updates = run.points.len().saturating_sub(1);
    if step >= updates {
        return Err(Error::new(format!(
            "step {step} is out of range: this run has {updates} updates, 0 to {}",
            updates as i64 - 1
        )));
    }
    let mut exact = SurfaceOracle(surface);
    let mut oracle = Noisy::new(&mut exact, &method.noise);
    let mut theta = run.points[0];
    for _ in 0..step {
        method.optimizer.step(&mut theta, &mut oracle);
    }
    let before = theta;
    let explained = method.optimizer.explain(&mut theta, &mut oracle);
    Ok(Anatomy::new(id, step, before, theta, explained))
}

/// The sign pattern of a symmetric matrix's eigenvalues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Definiteness {
    /// λ₁, λ₂ > 0: a bowl, the model's level sets are ellipses.
    Positive,
    /// λ₁, λ₂ < 0: a cap.
    Negative,
    /// λ₁ < 0 < λ₂: a saddle, the level sets are hyperbolas.
    Indefinite,
    /// Some λ = 0: flat along its eigenvector.
    Singular,
}

/// The quadratic model f(p + δ) ≈ f(p) + ∇f·δ + ½ δᵀHδ's curvature at a point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Geometry {
    /// λ₁ ≤ λ₂.
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors u₁, u₂ of λ₁, λ₂.
    pub eigenvectors: [Point; 2],
    /// κ = max|λ| / min|λ|; `None` when some λ = 0 (κ = ∞) or H is not finite.
    pub condition: Option<f64>,
    pub definite: Definiteness,
}

/// The eigen-decomposition H = λ₁u₁u₁ᵀ + λ₂u₂u₂ᵀ (nalgebra's symmetric eigensolver),
/// sorted λ₁ ≤ λ₂. An H that is not finite is an error.
pub fn geometry(h: Hessian) -> Result<Geometry, Error> {
    if !h.iter().flatten().all(|v| v.is_finite()) {
        return Err(Error::new("the Hessian is not finite here"));
    }
    let eigen = SymmetricEigen::new(Matrix2::new(h[0][0], h[0][1], h[1][0], h[1][1]));
    let (a, b) = (eigen.eigenvalues[0], eigen.eigenvalues[1]);
    let column = |i: usize| {
        let v = eigen.eigenvectors.column(i);
        [v[0], v[1]]
    };
    let (values, vectors) = if a <= b {
        ([a, b], [column(0), column(1)])
    } else {
        ([b, a], [column(1), column(0)])
    };
    let (small, large) = (
        values[0].abs().min(values[1].abs()),
        values[0].abs().max(values[1].abs()),
    );
    let definite = if values[0] == 0.0 || values[1] == 0.0 {
        Definiteness::Singular
    } else if values[0] > 0.0 {
        Definiteness::Positive
    } else if values[1] < 0.0 {
        Definiteness::Negative
    } else {
        Definiteness::Indefinite
    };
    Ok(Geometry {
        eigenvalues: values,
        eigenvectors: vectors,
        condition: (small > 0.0).then(|| large / small),
        definite,
    })
}

impl Geometry {
    /// The half-axes of the model's level set ½δᵀHδ = c around the point, along u₁ and
    /// u₂, with c chosen so that the longest is `longest`: rᵢ = √(2c/|λᵢ|), so
    /// rᵢ = longest·√(min|λ| / |λᵢ|). A flat direction (λ = 0) gets `longest` and the
    /// other a quarter of it: the level set is a strip there, not an ellipse.
    pub fn half_axes(&self, longest: f64) -> [f64; 2] {
        let [a, b] = self.eigenvalues.map(f64::abs);
        let small = a.min(b);
        if small == 0.0 {
            return [a, b].map(|l| if l == 0.0 { longest } else { 0.25 * longest });
        }
        [a, b].map(|l| longest * (small / l).sqrt())
    }

    /// The level set ½δᵀHδ = c as a closed polyline of `n` points around `at` (for a
    /// definite H), with half-axes [`Geometry::half_axes`]`(longest)`.
    pub fn ellipse(&self, at: Point, longest: f64, n: usize) -> Vec<Point> {
        let [r1, r2] = self.half_axes(longest);
        let [u1, u2] = self.eigenvectors;
        (0..=n)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / n as f64;
                let (c, s) = (r1 * libm::cos(t), r2 * libm::sin(t));
                [at[0] + c * u1[0] + s * u2[0], at[1] + c * u1[1] + s * u2[1]]
            })
            .collect()
    }
}

/// |uᵢᵀ(θₖ − θ*)| for i = 1, 2 and every iterate θₖ of `points`, with u₁, u₂ the unit
/// eigenvectors of the quadratic's constant Hessian and θ* its minimum: the error in
/// each eigendirection, which gradient descent shrinks by |1 − ηλᵢ| per step.
pub fn eigen_error(geometry: &Geometry, minimum: Point, points: &[Point]) -> Vec<[f64; 2]> {
    let [u1, u2] = geometry.eigenvectors;
    points
        .iter()
        .map(|p| {
            let e = [p[0] - minimum[0], p[1] - minimum[1]];
            [u1, u2].map(|u| (u[0] * e[0] + u[1] * e[1]).abs())
        })
        .collect()
}
