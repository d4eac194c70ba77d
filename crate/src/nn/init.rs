//! Weight initializations, all seeded. Biases start at zero ("Biases can (should) be
//! initialized to zero"). For a layer with n_in inputs and n_out outputs:

use super::network::Architecture;
use crate::config::Error;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;
use rand_distr::StandardNormal;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// W = 0: a saddle point of the loss, where no hidden unit learns.
    Zero,
    /// Wᵢⱼ = c: every hidden unit stays identical, by symmetry.
    Constant(f64),
    /// Wᵢⱼ ~ N(0, σ²); the lecture's example is σ = 0.01.
    Normal(f64),
    /// Wᵢⱼ ~ U(−a, a).
    Uniform(f64),
    /// Glorot & Bengio (2010): U(±√(6 / (n_in + n_out))), variance 2 / (n_in + n_out).
    GlorotUniform,
    /// Glorot & Bengio (2010): N(0, 2 / (n_in + n_out)).
    GlorotNormal,
    /// He et al. (2015), for ReLU: N(0, 2 / n_in).
    He,
    /// Saxe et al. (2014): W with orthonormal rows or columns (the Q of a Gaussian
    /// matrix's QR, signs fixed by R's diagonal so that it is uniform).
    Orthogonal,
}

/// An initialization as listed to users, with its one parameter if it has one.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct InitEntry {
    pub id: &'static str,
    pub about: &'static str,
    /// The parameter's symbol and default: c, σ or a.
    pub scale: Option<(&'static str, f64)>,
}

/// Every initialization, in the order the page lists them.
pub const INITS: &[InitEntry] = &[
    InitEntry {
        id: "glorot-uniform",
        about: "U(±√(6 / (n_in + n_out))), Glorot & Bengio 2010",
        scale: None,
    },
    InitEntry {
        id: "glorot-normal",
        about: "N(0, 2 / (n_in + n_out)), Glorot & Bengio 2010",
        scale: None,
    },
    InitEntry {
        id: "he",
        about: "N(0, 2 / n_in), He et al. 2015, for ReLU",
        scale: None,
    },
    InitEntry {
        id: "orthogonal",
        about: "orthonormal rows or columns, Saxe et al. 2014",
        scale: None,
    },
    InitEntry {
        id: "normal",
        about: "N(0, σ²); the lecture's example is σ = 0.01",
        scale: Some(("σ", 0.01)),
    },
    InitEntry {
        id: "uniform",
        about: "U(−a, a)",
        scale: Some(("a", 0.05)),
    },
    InitEntry {
        id: "constant",
        about: "every weight c: hidden units stay identical",
        scale: Some(("c", 0.5)),
    },
    InitEntry {
        id: "zero",
        about: "every weight 0: a saddle point, no learning",
        scale: None,
    },
];

/// The largest scale (c, σ or a) an initialization takes.
pub const MOST_SCALE: f64 = 100.0;

impl Init {
    /// `zero`, `constant:c`, `normal:σ` (σ = 0.01 by default), `uniform:a` (a = 0.05),
    /// `glorot-uniform`, `glorot-normal`, `he`, `orthogonal`.
    pub fn parse(text: &str) -> Result<Init, Error> {
        let (name, value) = text.split_once(':').unwrap_or((text, ""));
        let entry = INITS.iter().find(|e| e.id == name);
        if let (Some(InitEntry { scale: None, .. }), false) = (entry, value.is_empty()) {
            return Err(Error::new(format!("init {name} takes no parameter")));
        }
        let number = |default: f64| -> Result<f64, Error> {
            if value.is_empty() {
                return Ok(default);
            }
            match value.parse::<f64>() {
                Ok(v) if (0.0..=MOST_SCALE).contains(&v) => Ok(v),
                _ => Err(Error::new(format!(
                    "init {name}: `{}` must be a number in [0, 100]",
                    crate::text::quoted(value)
                ))),
            }
        };
        Ok(match name {
            "zero" => Init::Zero,
            "constant" | "normal" | "uniform" => {
                let default = entry.and_then(|e| e.scale).map_or(0.0, |s| s.1);
                let scale = number(default)?;
                match name {
                    "constant" => Init::Constant(scale),
                    "normal" => Init::Normal(scale),
                    _ => Init::Uniform(scale),
                }
            }
            "glorot-uniform" => Init::GlorotUniform,
            "glorot-normal" => Init::GlorotNormal,
            "he" => Init::He,
            "orthogonal" => Init::Orthogonal,
            _ => {
                return Err(Error::new(format!(
                    "unknown init `{}`; expected zero, constant, normal, uniform, glorot-uniform, glorot-normal, he or orthogonal",
                    crate::text::quoted(name)
                )))
            }
        })
    }

    /// One layer's W, shape [n_out, n_in].
    fn weights(self, n_out: usize, n_in: usize, rng: &mut Xoshiro256PlusPlus) -> DMatrix<f64> {
        let mut normal = |std: f64| {
            DMatrix::from_fn(n_out, n_in, |_, _| {
                std * rng.sample::<f64, _>(StandardNormal)
            })
        };
        let fans = (n_in + n_out) as f64;
        match self {
            Init::Zero => DMatrix::zeros(n_out, n_in),
            Init::Constant(c) => DMatrix::from_element(n_out, n_in, c),
            Init::Normal(std) => normal(std),
            Init::GlorotNormal => normal((2.0 / fans).sqrt()),
            Init::He => normal((2.0 / n_in as f64).sqrt()),
            Init::Uniform(a) => uniform(n_out, n_in, a, rng),
            Init::GlorotUniform => uniform(n_out, n_in, (6.0 / fans).sqrt(), rng),
            Init::Orthogonal => {
                let (rows, cols) = (n_out.max(n_in), n_out.min(n_in));
                let gaussian =
                    DMatrix::from_fn(rows, cols, |_, _| rng.sample::<f64, _>(StandardNormal));
                let qr = gaussian.qr();
                let (mut q, r) = (qr.q(), qr.r());
                for (j, mut column) in q.column_iter_mut().enumerate() {
                    if r[(j, j)] < 0.0 {
                        column.neg_mut();
                    }
                }
                if n_out >= n_in {
                    q
                } else {
                    q.transpose()
                }
            }
        }
    }

    /// θ for `architecture`: every W drawn from this initialization, every b zero.
    pub fn parameters(self, architecture: &Architecture, rng: &mut Xoshiro256PlusPlus) -> Vec<f64> {
        let mut theta = vec![0.0; architecture.parameter_count()];
        for (l, layer) in architecture.layers.iter().enumerate() {
            let (w, b) = architecture.offsets(l);
            let weights = self.weights(layer.outputs, layer.inputs, rng);
            theta[w..b].copy_from_slice(weights.as_slice());
        }
        theta
    }
}

fn uniform(n_out: usize, n_in: usize, a: f64, rng: &mut Xoshiro256PlusPlus) -> DMatrix<f64> {
    DMatrix::from_fn(n_out, n_in, |_, _| a * (2.0 * rng.random::<f64>() - 1.0))
}
