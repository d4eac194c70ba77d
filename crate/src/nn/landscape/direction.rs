//! The directions d of a plane through θ, spelled in links and on the command line as
//! `W<l>[<i>,<j>]` (one weight: layer l, counted from 0 for the first hidden layer, row i,
//! column j of Wˡ, shape [out, in] as in the model JSON), `b<l>[<i>]` (one bias),
//! `random:seed=S` (a filter-normalized Gaussian direction, Li et al. 2018) or `pca:1`,
//! `pca:2` (a principal direction of the recorded trajectory).

use super::trajectory::Trajectory;
use crate::config::Error;
use crate::nn::network::Architecture;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use std::fmt;

/// One direction d in parameter space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Direction {
    /// The unit vector on Wˡ[row, column].
    Weight {
        layer: usize,
        row: usize,
        column: usize,
    },
    /// The unit vector on bˡ[row].
    Bias { layer: usize, row: usize },
    /// A Gaussian direction, filter-normalized (Li et al. 2018, "Visualizing the Loss
    /// Landscape of Neural Nets", §4): each row of each Wˡ (the weights into one unit,
    /// a fully connected layer's filter) rescaled to the norm of the same row of θ,
    /// biases zero.
    Random { seed: u64 },
    /// Principal direction 1 or 2 of the recorded θ₀…θₜ ([`Trajectory::pca`]).
    Pca { component: usize },
}

const EXPECTED: &str = "expected W<l>[<i>,<j>], b<l>[<i>], random:seed=S, pca:1 or pca:2";

impl Direction {
    /// Reads `W<l>[<i>,<j>]`, `b<l>[<i>]`, `random:seed=S` or `pca:1`/`pca:2`, as
    /// [`Direction`]'s `Display` writes them (spaces around the parts are allowed).
    pub fn parse(text: &str) -> Result<Direction, Error> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let unknown = || {
            Error::new(format!(
                "unknown direction `{}`; {EXPECTED}",
                crate::text::quoted(text)
            ))
        };
        let whole = |digits: &str| -> Result<usize, Error> {
            match digits.parse::<usize>() {
                Ok(v) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok(v),
                _ => Err(unknown()),
            }
        };
        if let Some(seed) = compact.strip_prefix("random:seed=") {
            return match seed.parse::<u64>() {
                Ok(value) if seed.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Direction::Random { seed: value })
                }
                _ => Err(Error::new(format!(
                    "direction `{}`: the seed must be a whole number in [0, {}]",
                    crate::text::quoted(text),
                    u64::MAX
                ))),
            };
        }
        if let Some(component) = compact.strip_prefix("pca:") {
            return match component {
                "1" => Ok(Direction::Pca { component: 1 }),
                "2" => Ok(Direction::Pca { component: 2 }),
                _ => Err(Error::new(format!(
                    "direction `{}`: a trajectory's principal direction is pca:1 or pca:2",
                    crate::text::quoted(text)
                ))),
            };
        }
        let (kind, rest) = match compact.split_at_checked(1) {
            Some(("W", rest)) => ('W', rest),
            Some(("b", rest)) => ('b', rest),
            _ => return Err(unknown()),
        };
        let (layer, index) = rest
            .strip_suffix(']')
            .and_then(|r| r.split_once('['))
            .ok_or_else(unknown)?;
        let layer = whole(layer)?;
        match (kind, index.split_once(',')) {
            ('W', Some((row, column))) => Ok(Direction::Weight {
                layer,
                row: whole(row)?,
                column: whole(column)?,
            }),
            ('b', None) => Ok(Direction::Bias {
                layer,
                row: whole(index)?,
            }),
            _ => Err(unknown()),
        }
    }

    /// d as a vector of θ's length, for the network `architecture` at `theta`:
    /// a unit vector for a weight or a bias, the filter-normalized Gaussian for a seed,
    /// or the trajectory's principal direction (`trajectory` is needed for it alone).
    pub fn vector(
        &self,
        architecture: &Architecture,
        theta: &[f64],
        trajectory: Option<&Trajectory>,
    ) -> Result<Vec<f64>, Error> {
        let count = architecture.parameter_count();
        if theta.len() != count {
            return Err(Error::new(format!(
                "θ has {} values but the network has {count} parameters",
                theta.len()
            )));
        }
        let layers = &architecture.layers;
        let layer_of = |l: usize| {
            layers.get(l).ok_or_else(|| {
                Error::new(format!(
                    "{self} does not exist: the network has {} layers, 0 to {}",
                    layers.len(),
                    layers.len() - 1
                ))
            })
        };
        let unit = |index: usize| {
            let mut d = vec![0.0; count];
            d[index] = 1.0;
            d
        };
        match *self {
            Direction::Weight { layer, row, column } => {
                let shape = layer_of(layer)?;
                if row >= shape.outputs || column >= shape.inputs {
                    return Err(Error::new(format!(
                        "{self} does not exist: layer {layer}'s W is [{}, {}] (rows 0 to {}, columns 0 to {})",
                        shape.outputs,
                        shape.inputs,
                        shape.outputs - 1,
                        shape.inputs - 1
                    )));
                }
                // θ holds W column by column.
                Ok(unit(
                    architecture.offsets(layer).0 + column * shape.outputs + row,
                ))
            }
            Direction::Bias { layer, row } => {
                let shape = layer_of(layer)?;
                if row >= shape.outputs {
                    return Err(Error::new(format!(
                        "{self} does not exist: layer {layer}'s b has {} entries (0 to {})",
                        shape.outputs,
                        shape.outputs - 1
                    )));
                }
                Ok(unit(architecture.offsets(layer).1 + row))
            }
            Direction::Random { seed } => Ok(filter_normalized(architecture, theta, seed)),
            Direction::Pca { component } => {
                let trajectory = trajectory.ok_or_else(|| {
                    Error::new(format!(
                        "{self} needs the trajectory of a training run; a model alone has none"
                    ))
                })?;
                match component {
                    1 | 2 => Ok(trajectory.pca(theta)?.directions[component - 1].clone()),
                    _ => Err(Error::new(format!(
                        "there is no principal direction {component}: pca:1 or pca:2"
                    ))),
                }
            }
        }
    }
}

/// Li et al.'s filter-normalized direction: dᵢⱼ ~ N(0, 1) for every weight, drawn in θ's
/// order (each Wˡ column by column) from `seed`; then each row of Wˡ scaled,
/// dᵣ ← dᵣ ‖θᵣ‖ / ‖dᵣ‖, so that ‖dᵣ‖ = ‖θᵣ‖ (a zero row of θ gives a zero row); biases 0.
fn filter_normalized(architecture: &Architecture, theta: &[f64], seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut d = vec![0.0; theta.len()];
    for (l, shape) in architecture.layers.iter().enumerate() {
        let (w, b) = architecture.offsets(l);
        for v in &mut d[w..b] {
            *v = rng.sample::<f64, _>(StandardNormal);
        }
        let rows = shape.outputs;
        for r in 0..rows {
            let row_norm = |v: &[f64]| {
                v[w..b]
                    .iter()
                    .skip(r)
                    .step_by(rows)
                    .map(|x| x * x)
                    .sum::<f64>()
                    .sqrt()
            };
            let (target, drawn) = (row_norm(theta), row_norm(&d));
            let scale = if drawn > 0.0 { target / drawn } else { 0.0 };
            d[w..b]
                .iter_mut()
                .skip(r)
                .step_by(rows)
                .for_each(|v| *v *= scale);
        }
    }
    d
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Direction::Weight { layer, row, column } => write!(f, "W{layer}[{row},{column}]"),
            Direction::Bias { layer, row } => write!(f, "b{layer}[{row}]"),
            Direction::Random { seed } => write!(f, "random:seed={seed}"),
            Direction::Pca { component } => write!(f, "pca:{component}"),
        }
    }
}

impl TryFrom<String> for Direction {
    type Error = Error;

    fn try_from(text: String) -> Result<Direction, Error> {
        Direction::parse(&text)
    }
}

impl From<Direction> for String {
    fn from(direction: Direction) -> String {
        direction.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::Task;
    use crate::nn::Activation;
    use proptest::prelude::*;

    /// A 2-3-2 tanh network with θᵢ = i + 1, so that every parameter is told apart.
    fn small() -> (Architecture, Vec<f64>) {
        let arch = Architecture::mlp(2, &[3], Activation::Tanh, Task::Classes(2)).unwrap();
        let theta = (0..arch.parameter_count())
            .map(|i| i as f64 + 1.0)
            .collect();
        (arch, theta)
    }

    #[test]
    fn spellings_read_and_write_back() {
        for (text, direction) in [
            (
                "W0[1,0]",
                Direction::Weight {
                    layer: 0,
                    row: 1,
                    column: 0,
                },
            ),
            ("b2[15]", Direction::Bias { layer: 2, row: 15 }),
            ("random:seed=7", Direction::Random { seed: 7 }),
            ("pca:1", Direction::Pca { component: 1 }),
            ("pca:2", Direction::Pca { component: 2 }),
        ] {
            assert_eq!(Direction::parse(text).unwrap(), direction);
            assert_eq!(direction.to_string(), text);
        }
        assert_eq!(
            Direction::parse(" W1[ 2, 3 ] ").unwrap().to_string(),
            "W1[2,3]"
        );
    }

    #[test]
    fn bad_spellings_say_what_is_expected() {
        for text in [
            "",
            "W",
            "W0",
            "W0[1]",
            "b0[1,2]",
            "W0[1,2",
            "w0[1,2]",
            "Wx[1,2]",
            "W0[-1,2]",
            "W0[+1,2]",
            "b[1]",
            "pca:3",
            "pca:",
            "random:seed=",
            "random:seed=-1",
            "random",
            "W0[1,2]x",
        ] {
            let error = Direction::parse(text).unwrap_err().to_string();
            assert!(
                error.contains("expected W<l>")
                    || error.contains("pca:1 or pca:2")
                    || error.contains("seed must"),
                "{text}: {error}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_direction_round_trips_through_text_and_json(
            kind in 0..4_usize, a in 0..10_000_usize, b in 0..10_000_usize,
            c in 0..10_000_usize, seed in any::<u64>()
        ) {
            let direction = match kind {
                0 => Direction::Weight { layer: a, row: b, column: c },
                1 => Direction::Bias { layer: a, row: b },
                2 => Direction::Random { seed },
                _ => Direction::Pca { component: 1 + a % 2 },
            };
            prop_assert_eq!(Direction::parse(&direction.to_string()).unwrap(), direction);
            let json = serde_json::to_string(&direction).unwrap();
            prop_assert_eq!(&json, &format!("\"{direction}\""));
            prop_assert_eq!(serde_json::from_str::<Direction>(&json).unwrap(), direction);
        }

        #[test]
        fn no_text_makes_parsing_panic(text in "\\PC{0,20}") {
            let _ = Direction::parse(&text);
        }
    }

    #[test]
    fn json_holds_a_direction_as_its_text() {
        #[derive(serde::Deserialize)]
        struct Plane {
            d1: Direction,
        }
        let plane: Plane = serde_json::from_str(r#"{"d1": "W0[1,0]"}"#).unwrap();
        assert_eq!(plane.d1.to_string(), "W0[1,0]");
        let error = serde_json::from_str::<Plane>(r#"{"d1": "W0[1]"}"#)
            .err()
            .unwrap();
        assert!(error.to_string().contains("unknown direction"), "{error}");
    }

    #[test]
    fn a_weight_or_a_bias_is_the_unit_vector_on_that_parameter() {
        let (arch, theta) = small();
        for (text, l, row, column) in [("W0[2,1]", 0, 2, 1), ("W1[1,2]", 1, 1, 2)] {
            let d = Direction::parse(text)
                .unwrap()
                .vector(&arch, &theta, None)
                .unwrap();
            let w = arch.weights(&d, l);
            assert_eq!(w[(row, column)], 1.0, "{text}");
            assert_eq!(d.iter().sum::<f64>(), 1.0, "{text}");
            // the model JSON's W[i][j] is the same parameter
            let model = crate::nn::model::Model {
                network: crate::nn::Network {
                    architecture: arch.clone(),
                    l2: 0.0,
                },
                theta: theta.clone(),
                normalize: None,
            };
            let index = d.iter().position(|&v| v == 1.0).unwrap();
            assert_eq!(model.to_json().layers[l].w[row][column], theta[index]);
        }
        let d = Direction::parse("b1[1]")
            .unwrap()
            .vector(&arch, &theta, None)
            .unwrap();
        assert_eq!(arch.biases(&d, 1)[1], 1.0);
        assert_eq!(d.iter().sum::<f64>(), 1.0);
    }

    #[test]
    fn a_parameter_that_does_not_exist_names_the_real_shape() {
        let (arch, theta) = small();
        for (text, says) in [
            ("W0[3,0]", "layer 0's W is [3, 2]"),
            ("W0[0,2]", "layer 0's W is [3, 2]"),
            ("W2[0,0]", "the network has 2 layers, 0 to 1"),
            ("b1[2]", "layer 1's b has 2 entries"),
            ("b5[0]", "the network has 2 layers"),
        ] {
            let error = Direction::parse(text)
                .unwrap()
                .vector(&arch, &theta, None)
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{text}: {error}");
            assert!(error.starts_with(text), "{text}: {error}");
        }
        let error = Direction::Random { seed: 1 }
            .vector(&arch, &theta[1..], None)
            .unwrap_err();
        assert!(error.to_string().contains("parameters"), "{error}");
        let error = Direction::Pca { component: 1 }
            .vector(&arch, &theta, None)
            .unwrap_err();
        assert!(error.to_string().contains("trajectory"), "{error}");
    }

    #[test]
    fn random_directions_are_filter_normalized_row_by_row() {
        let arch = Architecture::mlp(2, &[16, 16], Activation::Tanh, Task::Classes(3)).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut theta: Vec<f64> = (0..arch.parameter_count())
            .map(|_| rng.sample::<f64, _>(StandardNormal))
            .collect();
        // a unit whose incoming weights are all zero keeps a zero row
        let (w, _) = arch.offsets(1);
        for c in 0..16 {
            theta[w + c * 16 + 4] = 0.0;
        }
        let d = Direction::Random { seed: 9 }
            .vector(&arch, &theta, None)
            .unwrap();
        for l in 0..arch.layers.len() {
            let (dw, tw) = (arch.weights(&d, l), arch.weights(&theta, l));
            for r in 0..dw.nrows() {
                let (dn, tn) = (dw.row(r).norm(), tw.row(r).norm());
                assert!(
                    (dn - tn).abs() <= 1e-12 * tn,
                    "layer {l} row {r}: {dn} vs {tn}"
                );
            }
            assert!(arch.biases(&d, l).iter().all(|&v| v == 0.0), "layer {l}");
        }
        assert!(arch.weights(&d, 1).row(4).iter().all(|&v| v == 0.0));
        // the same seed gives the same direction; another seed another one
        let again = Direction::Random { seed: 9 }
            .vector(&arch, &theta, None)
            .unwrap();
        assert_eq!(d, again);
        let other = Direction::Random { seed: 10 }
            .vector(&arch, &theta, None)
            .unwrap();
        assert_ne!(d, other);
        // its directions within a row are not θ's: it is a random direction, not θ
        let cosine = |a: &[f64], b: &[f64]| {
            let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            dot / (a.iter().map(|x| x * x).sum::<f64>() * b.iter().map(|x| x * x).sum::<f64>())
                .sqrt()
        };
        assert!(cosine(&d, &theta).abs() < 0.5);
    }
}
