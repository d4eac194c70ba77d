use super::{Oracle, GRADIENT_NOISE, NOISE_SEED};
use crate::config::Range;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

crate::hyperparameters! {
    /// Gaussian noise added to every gradient, to mimic minibatch gradients.
    pub struct NoiseConfig("gradient noise") {
        /// σ, standard deviation of the noise added to each gradient component
        noise: f64 = 0.0, "noise", Some(Range::NON_NEGATIVE), GRADIENT_NOISE;
        /// seed of the noise, so that a stochastic run reproduces
        seed: u64 = 0, "seed", None, NOISE_SEED;
    }
}

/// An oracle whose gradients carry seeded Gaussian noise: g̃ = ∇L(θ) + σξ, ξ ~ N(0, I).
/// The generator is xoshiro256++, a fixed algorithm, so a seed gives the same run on
/// every machine and in every version.
pub struct Noisy<'a> {
    inner: &'a mut dyn Oracle,
    sigma: f64,
    rng: Xoshiro256PlusPlus,
}

impl<'a> Noisy<'a> {
    pub fn new(inner: &'a mut dyn Oracle, config: &NoiseConfig) -> Self {
        Noisy {
            inner,
            sigma: config.noise,
            rng: Xoshiro256PlusPlus::seed_from_u64(config.seed),
        }
    }
}

impl Oracle for Noisy<'_> {
    fn gradient(&mut self, theta: &[f64], gradient: &mut [f64]) {
        self.inner.gradient(theta, gradient);
        if self.sigma > 0.0 {
            for g in gradient.iter_mut() {
                let xi: f64 = StandardNormal.sample(&mut self.rng);
                *g += self.sigma * xi;
            }
        }
    }

    fn hessian(&mut self, theta: &[f64]) -> Option<Vec<f64>> {
        self.inner.hessian(theta)
    }
}
