use super::explain::{scalar, vector, Step};
use super::{Explained, Oracle, Term, Update, LEARNING_RATE};
use crate::config::Range;

crate::hyperparameters! {
    pub struct NewtonConfig("newton") {
        /// η, the damping: 1 is the full Newton step
        learning_rate: f64 = 1.0, "lr", Some(Range::POSITIVE), LEARNING_RATE;
    }
}

/// Damped Newton's method with the exact Hessian H = ∇²L(θ):
///
/// θ ← θ − η H⁻¹ ∇L(θ).
///
/// It solves H d = ∇L through the eigendecomposition H = Q Λ Qᵀ, d = Q Λ⁻¹ Qᵀ ∇L.
/// A Hessian or gradient that is not finite gives a non-finite step, which the run
/// reports as divergence.
/// Where H is indefinite this is still the textbook Newton step, so, as students should
/// see, Newton is attracted to saddle points as readily as to minima. Where H is
/// singular or nearly so, every eigenvalue with |λ| < δ is replaced by ±δ (keeping its
/// sign, + for 0), δ = 1e-8·max(1, maxᵢ|λᵢ|): the step is long but finite, and the run
/// reports divergence if it leaves the plane. Default η = 1.
///
/// This is Newton's method for the plane (θ ∈ R², the surfaces); an objective without an
/// exact 2 × 2 Hessian, such as a network, gets a plain gradient step η∇L instead.
#[derive(Clone, Default)]
pub struct Newton;

/// Eigenvalues λ± and unit eigenvectors of a symmetric 2 × 2 matrix [[a, b], [b, c]]
/// (row-major): λ± = (a + c)/2 ± √(((a − c)/2)² + b²), with eigenvectors (b, λ − a) or
/// (λ − c, b), whichever is longer. Only √ is needed, which IEEE arithmetic rounds the
/// same everywhere, so Newton's paths are bit-identical natively and in the browser.
pub(crate) fn symmetric_eigen(h: &[f64]) -> ([f64; 2], [[f64; 2]; 2]) {
    let (a, b, c) = (h[0], h[1], h[3]);
    if b == 0.0 {
        return ([a, c], [[1.0, 0.0], [0.0, 1.0]]);
    }
    let mean = 0.5 * (a + c);
    let radius = (0.25 * (a - c) * (a - c) + b * b).sqrt();
    let values = [mean + radius, mean - radius];
    let vectors = values.map(|l| {
        let (u, w) = ([b, l - a], [l - c, b]);
        let v = if u[0] * u[0] + u[1] * u[1] >= w[0] * w[0] + w[1] * w[1] {
            u
        } else {
            w
        };
        let norm = (v[0] * v[0] + v[1] * v[1]).sqrt();
        [v[0] / norm, v[1] / norm]
    });
    (values, vectors)
}

/// d = Σᵢ (qᵢᵀg / λ̃ᵢ) qᵢ = H⁻¹g, with each |λᵢ| raised to at least δ.
fn newton_direction(hessian: &[f64], gradient: &[f64]) -> Vec<f64> {
    let n = 2;
    if !hessian.iter().chain(gradient).all(|v| v.is_finite()) {
        return vec![f64::NAN; n];
    }
    let (values, vectors) = symmetric_eigen(hessian);
    let largest = values.iter().fold(1.0_f64, |a, l| a.max(l.abs()));
    let delta = 1e-8 * largest;
    let mut direction = vec![0.0; n];
    for (l, q) in values.iter().zip(vectors) {
        let clamped = if *l < 0.0 {
            -l.abs().max(delta)
        } else {
            l.max(delta)
        };
        let coefficient = q.iter().zip(gradient).map(|(q, g)| q * g).sum::<f64>() / clamped;
        for (d, q) in direction.iter_mut().zip(q) {
            *d += coefficient * q;
        }
    }
    direction
}

impl Update for Newton {
    type Config = NewtonConfig;

    fn update(&mut self, c: &NewtonConfig, theta: &mut [f64], g: &[f64], oracle: &mut dyn Oracle) {
        let direction = match oracle.hessian(theta) {
            Some(h) if theta.len() == 2 => newton_direction(&h, g),
            _ => g.to_vec(),
        };
        for (t, d) in theta.iter_mut().zip(direction) {
            *t -= c.learning_rate * d;
        }
    }

    fn explain(
        &self,
        _: &Self,
        c: &NewtonConfig,
        step: &Step,
        oracle: &mut dyn Oracle,
    ) -> Explained {
        let g = step.gradient;
        let hessian = oracle.hessian(step.theta).filter(|_| step.theta.len() == 2);
        let (direction, curvature) = match &hessian {
            Some(h) => {
                let (values, _) = symmetric_eigen(h);
                let curvature = format!(
                    "∇²L(θ) = [[{}, {}], [{}, {}]] (λ = {}, {}); ",
                    scalar(h[0]),
                    scalar(h[1]),
                    scalar(h[2]),
                    scalar(h[3]),
                    scalar(values[1]),
                    scalar(values[0])
                );
                (newton_direction(h, g), curvature)
            }
            None => (
                g.to_vec(),
                "no exact Hessian: a gradient step; ".to_string(),
            ),
        };
        let narration = format!(
            "{curvature}[∇²L(θ)]⁻¹∇L(θ) = {}; θ ← θ − η [∇²L(θ)]⁻¹ ∇L(θ) = {} − {}·{} = {}",
            vector(&direction),
            vector(step.theta),
            scalar(c.learning_rate),
            vector(&direction),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient", g.to_vec()),
            Term::new("[∇²L(θ)]⁻¹∇L(θ)", "Newton direction", direction),
        ];
        Explained::new(g, terms, narration)
    }
}
