//! Input normalization: what the network receives of a raw input x. Each feature is
//! first distorted, x̃ⱼ = sⱼ xⱼ + cⱼ (the lab's way to show what badly scaled inputs do
//! to gradient descent), then normalized by a map fitted on the training split only
//! and applied unchanged to the validation split, to new points and to the map's grid:
//!
//! - standardization, (x̃ − mean) / std, as scikit-learn's `StandardScaler` and Keras'
//!   `Normalization` layer (population std, ddof = 0; a constant feature keeps std 1);
//! - quantile normalization, exactly scikit-learn's `QuantileTransformer` without
//!   subsampling: the empirical CDF through min(1000, n) quantiles, interpolated
//!   linearly between them, to a uniform marginal on [0, 1], or through Φ⁻¹ to a
//!   standard normal one.
//!
//! A badly scaled feature stretches the loss surface along its weights, as the optimizer
//! lab's ill-conditioned quadratic: the step size that suits one direction overshoots
//! in the other. Normalizing makes every input of the first layer of order 1.

use super::data::{Dataset, Split};
use crate::config::Error;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// One normalization, as listed to users.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NormalizationEntry {
    pub id: &'static str,
    pub about: &'static str,
}

/// The normalizations a setup may name.
pub const NORMALIZATIONS: &[NormalizationEntry] = &[
    NormalizationEntry {
        id: "none",
        about: "none: the network receives the (distorted) inputs as they are",
    },
    NormalizationEntry {
        id: "standard",
        about: "standardization: (x − mean) / std, fitted on the training split",
    },
    NormalizationEntry {
        id: "quantile-uniform",
        about: "quantile normalization: F̂(x), the training split's empirical CDF through its quantiles, uniform on [0, 1]",
    },
    NormalizationEntry {
        id: "quantile-normal",
        about: "quantile normalization: Φ⁻¹(F̂(x)), the empirical CDF through the normal quantile function, standard normal",
    },
];

/// The most quantiles per feature, as scikit-learn's default `n_quantiles`.
pub const MOST_QUANTILES: usize = 1000;

/// scikit-learn's `BOUNDS_THRESHOLD`: a quantile-normal input within this of the lowest
/// (highest) quantile, in the input's own units, maps to the lowest (highest) output.
const BOUNDS_THRESHOLD: f64 = 1e-7;

/// What a raw input goes through before the network: the distortion, then the fitted
/// normalization, if any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preprocessing {
    /// Per feature [s, c]: x̃ = s x + c; empty for none.
    pub distort: Vec<[f64; 2]>,
    pub normalizer: Option<Normalizer>,
}

impl Preprocessing {
    /// The distortion `distort`, and the normalization `kind` (one of
    /// [`NORMALIZATIONS`]) fitted on the training inputs `train` distorted.
    pub fn fit(distort: &[[f64; 2]], kind: &str, train: &DMatrix<f64>) -> Result<Self, Error> {
        let mut preprocessing = Preprocessing {
            distort: distort.to_vec(),
            normalizer: None,
        };
        preprocessing.normalizer = Normalizer::fit(kind, &preprocessing.distorted(train))?;
        Ok(preprocessing)
    }

    /// x with each feature (row) distorted: s x + c.
    pub fn distorted(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let mut out = x.clone();
        for (j, [scale, shift]) in self.distort.iter().enumerate().take(x.nrows()) {
            out.row_mut(j).apply(|v| *v = scale * *v + shift);
        }
        out
    }

    /// x as the network receives it: distorted, then normalized.
    pub fn apply(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let distorted = self.distorted(x);
        match &self.normalizer {
            Some(normalizer) => normalizer.transform(&distorted),
            None => distorted,
        }
    }

    /// The points of `data` as the network receives them, with their targets.
    pub fn received(&self, data: &Dataset) -> Dataset {
        Dataset {
            x: self.apply(&data.x),
            ..data.clone()
        }
    }

    /// Every part of `split` as the network receives it.
    pub fn received_split(&self, split: &Split) -> Split {
        Split {
            train: self.received(&split.train),
            validation: self.received(&split.validation),
            test: self.received(&split.test),
        }
    }
}

/// A normalization fitted per feature on the training split.
#[derive(Clone, Debug, PartialEq)]
pub enum Normalizer {
    /// (x − meanⱼ) / stdⱼ.
    Standard { mean: Vec<f64>, std: Vec<f64> },
    /// Per feature the quantiles q₀ ≤ … ≤ q_{m−1} at the levels rₖ = k / (m − 1).
    Quantile {
        quantiles: Vec<Vec<f64>>,
        marginal: Marginal,
    },
}

/// The distribution quantile normalization maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marginal {
    Uniform,
    Normal,
}

/// A normalization in a model's JSON: `{"kind": "standard", "mean": […], "std": […]}`,
/// or `{"kind": "quantile-uniform" | "quantile-normal", "quantiles": [[…], …]}` with one
/// list per feature (its levels rₖ = k / (m − 1) implied by its length m).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeJson {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub std: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantiles: Option<Vec<Vec<f64>>>,
}

impl Normalizer {
    /// The normalization `kind` (one of [`NORMALIZATIONS`]) fitted on `x`, one column
    /// per training point; None for `none`.
    pub fn fit(kind: &str, x: &DMatrix<f64>) -> Result<Option<Normalizer>, Error> {
        let marginal = match kind {
            "none" => return Ok(None),
            "standard" => None,
            "quantile-uniform" => Some(Marginal::Uniform),
            "quantile-normal" => Some(Marginal::Normal),
            _ => return Err(unknown(kind)),
        };
        if x.ncols() == 0 {
            return Err(Error::new(format!(
                "normalize: {kind} is fitted on the training split, which has no points; hold out less for validation or add points"
            )));
        }
        if !x.iter().all(|v| v.is_finite()) {
            return Err(Error::new(format!(
                "normalize: {kind} cannot be fitted on inputs that are not finite"
            )));
        }
        let features = x
            .row_iter()
            .map(|row| row.iter().copied().collect::<Vec<f64>>());
        Ok(Some(match marginal {
            None => {
                let (mean, std) = features.map(|v| mean_and_scale(&v)).unzip();
                Normalizer::Standard { mean, std }
            }
            Some(marginal) => Normalizer::Quantile {
                quantiles: features.map(quantiles).collect(),
                marginal,
            },
        }))
    }

    /// The name [`NORMALIZATIONS`] lists it under.
    pub fn kind(&self) -> &'static str {
        match self {
            Normalizer::Standard { .. } => "standard",
            Normalizer::Quantile {
                marginal: Marginal::Uniform,
                ..
            } => "quantile-uniform",
            Normalizer::Quantile {
                marginal: Marginal::Normal,
                ..
            } => "quantile-normal",
        }
    }

    /// How many features it normalizes.
    pub fn features(&self) -> usize {
        match self {
            Normalizer::Standard { mean, .. } => mean.len(),
            Normalizer::Quantile { quantiles, .. } => quantiles.len(),
        }
    }

    /// x (one column per point) normalized feature by feature.
    pub fn transform(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let mut out = x.clone();
        for (j, mut row) in out.row_iter_mut().enumerate() {
            match self {
                Normalizer::Standard { mean, std } => {
                    row.apply(|v| *v = (*v - mean[j]) / std[j]);
                }
                Normalizer::Quantile {
                    quantiles,
                    marginal,
                } => {
                    let feature = Feature::new(&quantiles[j]);
                    row.apply(|v| *v = feature.transform(*v, *marginal));
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> NormalizeJson {
        let (mean, std, quantiles) = match self {
            Normalizer::Standard { mean, std } => (Some(mean.clone()), Some(std.clone()), None),
            Normalizer::Quantile { quantiles, .. } => (None, None, Some(quantiles.clone())),
        };
        NormalizeJson {
            kind: self.kind().to_string(),
            mean,
            std,
            quantiles,
        }
    }

    /// Reads and checks a normalization of `inputs` features: the fields its kind has,
    /// one entry per feature, finite numbers, every std > 0, quantiles non-decreasing.
    pub fn from_json(json: &NormalizeJson, inputs: usize) -> Result<Normalizer, Error> {
        let lengths = |what: &str, n: usize| -> Result<(), Error> {
            if n == inputs {
                Ok(())
            } else {
                Err(Error::new(format!(
                    "normalize: {what} has {n} entries but layer 0 takes {inputs} inputs"
                )))
            }
        };
        let marginal = match json.kind.as_str() {
            "standard" => None,
            "quantile-uniform" => Some(Marginal::Uniform),
            "quantile-normal" => Some(Marginal::Normal),
            kind => return Err(unknown(kind)),
        };
        let kind = &json.kind;
        match (marginal, &json.mean, &json.std, &json.quantiles) {
            (None, Some(mean), Some(std), None) => {
                lengths("mean", mean.len())?;
                lengths("std", std.len())?;
                if !mean.iter().all(|m| m.is_finite()) {
                    return Err(Error::new("normalize: every mean must be finite"));
                }
                if !std.iter().all(|s| s.is_finite() && *s > 0.0) {
                    return Err(Error::new("normalize: every std must be finite and > 0"));
                }
                Ok(Normalizer::Standard {
                    mean: mean.clone(),
                    std: std.clone(),
                })
            }
            (Some(marginal), None, None, Some(quantiles)) => {
                lengths("quantiles", quantiles.len())?;
                for (j, q) in quantiles.iter().enumerate() {
                    if q.is_empty() || q.len() > MOST_QUANTILES {
                        return Err(Error::new(format!(
                            "normalize: feature {j} has {} quantiles; it needs 1 to {MOST_QUANTILES}",
                            q.len()
                        )));
                    }
                    if !q.iter().all(|v| v.is_finite()) {
                        return Err(Error::new(format!(
                            "normalize: feature {j}'s quantiles must be finite"
                        )));
                    }
                    if let Some(k) = q.windows(2).position(|w| w[1] < w[0]) {
                        return Err(Error::new(format!(
                            "normalize: feature {j}'s quantiles decrease after entry {k}; they must be non-decreasing"
                        )));
                    }
                }
                Ok(Normalizer::Quantile {
                    quantiles: quantiles.clone(),
                    marginal,
                })
            }
            (None, ..) => Err(Error::new(format!(
                "normalize: {kind} takes `mean` and `std`, one entry per input, and nothing else"
            ))),
            (Some(_), ..) => Err(Error::new(format!(
                "normalize: {kind} takes `quantiles`, one list per input, and nothing else"
            ))),
        }
    }
}

/// Whether `kind` is one of [`NORMALIZATIONS`], or an error listing them.
pub fn known(kind: &str) -> Result<(), Error> {
    if NORMALIZATIONS.iter().any(|n| n.id == kind) {
        Ok(())
    } else {
        Err(unknown(kind))
    }
}

fn unknown(kind: &str) -> Error {
    let ids: Vec<_> = NORMALIZATIONS.iter().map(|n| n.id).collect();
    Error::new(format!(
        "normalize: unknown normalization `{}`; expected one of: {}",
        crate::text::quoted(kind),
        ids.join(", ")
    ))
}

/// The mean and the divisor of one feature, as scikit-learn's `StandardScaler` computes
/// them: the corrected two-pass variance σ² = (Σ dᵢ² − (Σ dᵢ)² / n) / n with dᵢ = xᵢ − x̄
/// (Chan, Golub and LeVeque 1983), and σ = 1 where σ² is within the rounding error of
/// that algorithm, n ε σ² + (n x̄ ε)², of zero: a constant feature is only centred.
fn mean_and_scale(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let correction: f64 = values.iter().map(|v| v - mean).sum();
    let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let variance = (squares - correction * correction / n) / n;
    let bound = n * f64::EPSILON * variance + (n * mean * f64::EPSILON).powi(2);
    let std = if variance <= bound {
        1.0
    } else {
        variance.sqrt()
    };
    (mean, std)
}

/// The level rₖ of quantile k of m, as `np.linspace(0, 1, m)` writes it: k · (1 / (m − 1)),
/// the last exactly 1.
fn level(k: usize, m: usize) -> f64 {
    if k + 1 == m {
        if m == 1 {
            0.0
        } else {
            1.0
        }
    } else {
        k as f64 * (1.0 / (m - 1) as f64)
    }
}

/// The quantiles of one feature at the levels rₖ, k < m = min(1000, n), as
/// `np.percentile(x, 100 rₖ)` computes them ("linear", Hyndman and Fan's type 7): at
/// the virtual index v = (n − 1) rₖ, x₍⌊v⌋₎ + γ (x₍⌊v⌋₊₁₎ − x₍⌊v⌋₎) with γ = v − ⌊v⌋,
/// written from the upper end when γ ≥ ½ as numpy does.
fn quantiles(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let m = n.min(MOST_QUANTILES);
    let mut out: Vec<f64> = (0..m)
        .map(|k| {
            let percent = level(k, m) * 100.0;
            let virtual_index = (n - 1) as f64 * (percent / 100.0);
            if virtual_index >= (n - 1) as f64 {
                return values[n - 1];
            }
            let below = virtual_index.floor();
            let gamma = virtual_index - below;
            let (a, b) = (values[below as usize], values[below as usize + 1]);
            let difference = b - a;
            if gamma >= 0.5 {
                b - difference * (1.0 - gamma)
            } else {
                a + difference * gamma
            }
        })
        .collect();
    // Each form is non-decreasing in γ, but rounding where numpy switches from one to
    // the other could step back by an ulp: the running maximum keeps the list
    // non-decreasing, as np.interp needs.
    for k in 1..m {
        out[k] = out[k].max(out[k - 1]);
    }
    out
}

/// One feature's quantiles with the arrays the transform interpolates in.
struct Feature<'a> {
    quantiles: &'a [f64],
    levels: Vec<f64>,
    /// −q and −r, reversed: the interpolation from the other end.
    negated_quantiles: Vec<f64>,
    negated_levels: Vec<f64>,
}

impl<'a> Feature<'a> {
    fn new(quantiles: &'a [f64]) -> Feature<'a> {
        let m = quantiles.len();
        let levels: Vec<f64> = (0..m).map(|k| level(k, m)).collect();
        Feature {
            quantiles,
            negated_quantiles: quantiles.iter().rev().map(|q| -q).collect(),
            negated_levels: levels.iter().rev().map(|r| -r).collect(),
            levels,
        }
    }

    /// scikit-learn's `QuantileTransformer._transform_col`: the mean of the linear
    /// interpolation of the levels from below and from above, ½ (F↑(x) + F↓(x)), so that
    /// a value repeated across several quantiles maps to the middle of their levels;
    /// x at the lowest (highest) quantile maps to 0 (1) — for the normal marginal, any x
    /// within 1e-7 of it — and beyond them the levels stay at 0 and 1. The normal
    /// marginal is Φ⁻¹ of that, clipped to Φ⁻¹(1e-7 − ε) and Φ⁻¹(1 − (1e-7 − ε)).
    fn transform(&self, x: f64, marginal: Marginal) -> f64 {
        let (lowest, highest) = (self.quantiles[0], self.quantiles[self.quantiles.len() - 1]);
        let mut level = 0.5
            * (interp(x, self.quantiles, &self.levels)
                - interp(-x, &self.negated_quantiles, &self.negated_levels));
        let (at_lowest, at_highest) = match marginal {
            Marginal::Uniform => (x == lowest, x == highest),
            Marginal::Normal => (
                x - BOUNDS_THRESHOLD < lowest,
                x + BOUNDS_THRESHOLD > highest,
            ),
        };
        if at_highest {
            level = 1.0;
        }
        if at_lowest {
            level = 0.0;
        }
        match marginal {
            Marginal::Uniform => level,
            Marginal::Normal => {
                let bound = BOUNDS_THRESHOLD - f64::EPSILON;
                normal_quantile(level).clamp(normal_quantile(bound), normal_quantile(1.0 - bound))
            }
        }
    }
}

/// `np.interp(x, xp, fp)` for non-decreasing xp: at the last j with xpⱼ ≤ x,
/// fpⱼ + (fpⱼ₊₁ − fpⱼ) / (xpⱼ₊₁ − xpⱼ) · (x − xpⱼ), in numpy's order of operations; fp₀
/// below xp₀ and the last fp from the last xp on. The result is kept within
/// [fpⱼ, fpⱼ₊₁], which only a gap between quantiles that overflows or underflows could
/// break, so the transform stays monotone and finite.
fn interp(x: f64, xp: &[f64], fp: &[f64]) -> f64 {
    let above = xp.partition_point(|&v| v <= x);
    if above == 0 {
        return fp[0];
    }
    let j = above - 1;
    if j + 1 == xp.len() || xp[j] == x {
        return fp[j];
    }
    let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    (slope * (x - xp[j]) + fp[j]).max(fp[j]).min(fp[j + 1])
}

/// Φ⁻¹(p), the standard normal quantile function, by Wichura's algorithm AS 241
/// (PPND16; Applied Statistics 37 (1988) 477–484): rational functions of degree 7 in
/// r = 0.180625 − (p − ½)² for |p − ½| ≤ 0.425, else in r = √(−ln min(p, 1 − p)) − 1.6
/// (r ≤ 5) or − 5, accurate to about 1 part in 10¹⁶. −∞ at p ≤ 0, +∞ at p ≥ 1.
// The coefficients are written as published, digit for digit, so that they can be
// checked against the paper; f64 rounds them.
#[allow(clippy::excessive_precision)]
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_7e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        6.897_673_349_851_000_045_5e-1,
        1.481_039_764_274_800_745_9e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        2.965_605_718_285_048_912_3e-1,
        2.653_218_952_657_612_309_3e-2,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_9e-1,
        1.369_298_809_227_358_053_1e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    /// c₀ + c₁ r + … + c₇ r⁷ by Horner's rule.
    fn polynomial(c: &[f64; 8], r: f64) -> f64 {
        c.iter().rev().fold(0.0, |sum, &ck| sum * r + ck)
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * polynomial(&A, r) / polynomial(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = libm::sqrt(-libm::log(tail));
    let x = if r <= 5.0 {
        polynomial(&C, r - 1.6) / polynomial(&D, r - 1.6)
    } else {
        polynomial(&E, r - 5.0) / polynomial(&F, r - 5.0)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[f64]) -> DMatrix<f64> {
        DMatrix::from_row_slice(1, values.len(), values)
    }

    #[test]
    fn none_fits_nothing_and_unknown_names_are_refused_with_the_choices() {
        assert_eq!(Normalizer::fit("none", &row(&[1.0])).unwrap(), None);
        let e = Normalizer::fit("minmax", &row(&[1.0])).unwrap_err();
        assert!(
            e.0.contains("none, standard, quantile-uniform, quantile-normal"),
            "{e}"
        );
    }

    #[test]
    fn an_empty_training_split_is_a_clear_error() {
        for kind in ["standard", "quantile-uniform", "quantile-normal"] {
            let e = Normalizer::fit(kind, &DMatrix::zeros(2, 0)).unwrap_err();
            assert!(e.0.contains("no points"), "{e}");
        }
    }

    #[test]
    fn standardization_centres_and_scales_and_leaves_a_constant_feature_its_scale() {
        let x = DMatrix::from_row_slice(2, 4, &[1.0, 2.0, 3.0, 6.0, 5.0, 5.0, 5.0, 5.0]);
        let n = Normalizer::fit("standard", &x).unwrap().unwrap();
        let Normalizer::Standard { mean, std } = &n else {
            panic!("{n:?}")
        };
        assert_eq!(mean, &[3.0, 5.0]);
        // Population variance: (4 + 1 + 0 + 9) / 4.
        assert_eq!(std, &[3.5_f64.sqrt(), 1.0]);
        let z = n.transform(&x);
        assert_eq!(z.row(1).iter().copied().collect::<Vec<_>>(), [0.0; 4]);
        assert!((z.row(0).sum()).abs() < 1e-15);
    }

    #[test]
    fn the_quantile_normal_bounds_are_scikit_learn_s() {
        // QuantileTransformer(n_quantiles=3, output_distribution="normal") fitted on
        // 0, 1, 2 maps −1, 0, 1, 2, 3 to −5.199337582605575, the same, 0 and
        // 5.19933758270342 twice: Φ⁻¹(1e-7 − ε) and Φ⁻¹(1 − (1e-7 − ε)).
        let x = row(&[0.0, 1.0, 2.0]);
        let n = Normalizer::fit("quantile-normal", &x).unwrap().unwrap();
        let z = n.transform(&row(&[-1.0, 0.0, 1.0, 2.0, 3.0]));
        let (low, high) = (-5.199_337_582_605_575, 5.199_337_582_703_42);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(z[0], low) && close(z[1], low) && z[2] == 0.0, "{z}");
        assert!(close(z[3], high) && close(z[4], high), "{z}");
    }

    #[test]
    fn the_normal_quantile_function_inverts_known_values() {
        assert_eq!(normal_quantile(0.5), 0.0);
        // Φ⁻¹(0.975) = 1.959963984540054 and Φ(−8) = 6.22096057427174e-16, as
        // scipy.stats.norm gives them (the golden file checks many more).
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
        assert!((normal_quantile(6.220_960_574_271_74e-16) + 8.0).abs() < 1e-13);
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        assert!(normal_quantile(f64::NAN).is_nan());
    }

    #[test]
    fn a_model_s_normalization_is_checked_before_it_is_used() {
        let json = |text: &str| -> NormalizeJson { serde_json::from_str(text).unwrap() };
        let check = |text: &str| {
            Normalizer::from_json(&json(text), 2)
                .map(|_| ())
                .unwrap_err()
                .0
        };
        assert!(check(r#"{"kind": "standard", "mean": [0], "std": [1, 1]}"#)
            .contains("mean has 1 entries"));
        assert!(
            check(r#"{"kind": "standard", "mean": [0, 0], "std": [1, 0]}"#)
                .contains("std must be finite and > 0")
        );
        assert!(check(r#"{"kind": "standard", "mean": [0, 0]}"#).contains("takes `mean` and `std`"));
        assert!(
            check(r#"{"kind": "quantile-normal", "quantiles": [[0, 1], [1, 0]]}"#)
                .contains("feature 1's quantiles decrease")
        );
        assert!(
            check(r#"{"kind": "quantile-uniform", "quantiles": [[0], []]}"#)
                .contains("feature 1 has 0 quantiles")
        );
        assert!(
            check(r#"{"kind": "quantile-uniform", "quantiles": [[0, 1]], "mean": [0, 0]}"#)
                .contains("takes `quantiles`")
        );
        assert!(check(r#"{"kind": "minmax"}"#).contains("unknown normalization"));
        assert!(
            serde_json::from_str::<NormalizeJson>(r#"{"kind": "standard", "scale": [1]}"#).is_err()
        );
        let fitted = Normalizer::fit(
            "quantile-normal",
            &DMatrix::from_row_slice(2, 3, &[0.0, 1.0, 2.0, 5.0, 4.0, 4.0]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(Normalizer::from_json(&fitted.to_json(), 2).unwrap(), fitted);
    }
}
