//! Datasets for the network lab, seeded, with size and noise controls, and their split
//! into training, validation and test sets; and the digits, read from a file
//! ([`super::digits`]).

use super::digits;
use super::network::{Targets, Task};
use crate::config::{Configuration, Control, Error, Range, Spec};
use core::f64::consts::PI;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

crate::hyperparameters! {
    /// What every dataset takes (`k` only those whose classes are counted).
    pub struct DatasetConfig("dataset") {
        /// number of points
        n: u64 = 400, "n", Some(Range::new(4.0, 20000.0, true, true)),
            Control::new("points").symbol("n").whole_log(20.0, 2000.0);
        /// standard deviation of the Gaussian noise on every coordinate
        noise: f64 = 0.1, "noise", Some(Range::new(0.0, 5.0, true, true)),
            Control::new("noise").symbol("σ").linear(0.0, 1.0);
        /// classes (blobs) or arms (spirals)
        k: u64 = 3, "k", Some(Range::new(2.0, 8.0, true, true)),
            Control::new("classes").symbol("k").whole(2.0, 8.0);
        /// seed of the points
        seed: u64 = 0, "seed", Some(Range::new(0.0, 4294967295.0, true, true)),
            Control::new("data seed").whole(0.0, 100.0);
    }
}

/// Points and their targets: `x` has one column per point.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: DMatrix<f64>,
    pub targets: Targets,
    /// Number of classes, or 0 for regression.
    pub classes: usize,
}

/// One built-in dataset, as listed to users.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct DatasetEntry {
    pub id: &'static str,
    pub about: &'static str,
    /// Whether its number of classes is the parameter `k`.
    pub counted: bool,
    /// 0 for regression, or when counted.
    pub classes: usize,
    /// The network's inputs: 2 for points of the plane, 1 for a curve, 64 for 8 × 8
    /// images.
    pub inputs: usize,
    /// The file the page fetches (from `pkg/`) before it opens this dataset; none for
    /// the data the core generates.
    pub file: Option<&'static str>,
    /// Rows and columns of an image, for image data.
    pub image: Option<[usize; 2]>,
}

/// The built-in datasets.
pub const DATASETS: &[DatasetEntry] = &[
    DatasetEntry {
        id: "moons",
        about: "two interleaving half circles (2 classes)",
        counted: false,
        classes: 2,
        inputs: 2,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "circles",
        about: "a ring around a disc (2 classes)",
        counted: false,
        classes: 2,
        inputs: 2,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "xor",
        about: "four clusters, opposite corners alike (2 classes)",
        counted: false,
        classes: 2,
        inputs: 2,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "blobs",
        about: "k Gaussian clusters on a circle (k classes)",
        counted: true,
        classes: 0,
        inputs: 2,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "spirals",
        about: "k interleaved spiral arms (k classes)",
        counted: true,
        classes: 0,
        inputs: 2,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "curve",
        about: "y = sin(3x) + x/2 on [−1, 1] (regression, 1 input)",
        counted: false,
        classes: 0,
        inputs: 1,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "digits",
        about: "1,797 handwritten digits, 8 × 8 pixels (10 classes, 64 inputs)",
        counted: false,
        classes: digits::CLASSES,
        inputs: digits::PIXELS,
        file: Some("digits.bin"),
        image: Some(digits::SHAPE),
    },
    DatasetEntry {
        id: "noisy-curve",
        about: "y = sin(3x) + x/2 on [−1, 1] with noise that grows with |x|: its standard deviation is noise · (0.25 + 3|x|), 13 times larger at the ends than in the middle (regression, 1 input)",
        counted: false,
        classes: 0,
        inputs: 1,
        file: None,
        image: None,
    },
    DatasetEntry {
        id: "two-branches",
        about: "y = ±√(1 + x) on [−1, 1], half the points on each branch: a parabola on its side, so y has two likely values at each x but near −1 (regression, 1 input)",
        counted: false,
        classes: 0,
        inputs: 1,
        file: None,
        image: None,
    },
];

impl DatasetEntry {
    /// Whether its targets are numbers (one per point, of one input).
    pub fn is_regression(&self) -> bool {
        !self.counted && self.classes == 0
    }

    /// The entry named `id`.
    pub fn find(id: &str) -> Option<&'static DatasetEntry> {
        DATASETS.iter().find(|d| d.id == id)
    }

    /// The parameters it takes, with defaults and ranges: those of the generated data
    /// (`k` only where the classes are counted), none for data read from a file.
    pub fn parameters(&self) -> Vec<crate::config::Parameter> {
        if self.file.is_some() {
            return Vec::new();
        }
        let mut all = DatasetConfig::parameters();
        all.retain(|p| self.counted || p.key != "k");
        all
    }
}

impl Dataset {
    /// `NAME[:n=…,noise=…,k=…,seed=…]`.
    pub fn from_spec(spec: &Spec) -> Result<Dataset, Error> {
        let id = spec.id.as_str();
        let entry = DatasetEntry::find(id).ok_or_else(|| {
            let ids: Vec<_> = DATASETS.iter().map(|d| d.id).collect();
            Error::new(format!(
                "unknown dataset `{}`; expected one of: {}",
                crate::text::quoted(id),
                ids.join(", ")
            ))
        })?;
        if entry.file.is_some() {
            if let Some((key, _)) = spec.params.first() {
                return Err(Error::new(format!(
                    "dataset: {id} takes no parameters, not even `{key}`: it is read as it is, and the setup's seed splits it"
                )));
            }
            return Ok(digits::loaded()?.dataset());
        }
        if !entry.counted && spec.params.iter().any(|(key, _)| key == "k") {
            return Err(Error::new(format!(
                "dataset: {id} has {} classes; only blobs and spirals take k",
                entry.classes.max(1)
            )));
        }
        let c = DatasetConfig::from_params(&spec.params)?;
        let n = c.n as usize;
        let k = c.k as usize;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(c.seed);
        let mut points: Vec<([f64; 2], usize)> = Vec::with_capacity(n);
        if entry.is_regression() {
            let mut xs = Vec::with_capacity(n);
            let mut ys = Vec::with_capacity(n);
            for i in 0..n {
                let x = 2.0 * rng.random::<f64>() - 1.0;
                let noise: f64 = rng.sample(StandardNormal);
                xs.push(x);
                ys.push(match id {
                    "noisy-curve" => {
                        libm::sin(3.0 * x) + 0.5 * x + c.noise * (0.25 + 3.0 * x.abs()) * noise
                    }
                    // The even points on the upper branch, the odd ones on the lower.
                    "two-branches" => {
                        let branch = if i % 2 == 0 { 1.0 } else { -1.0 };
                        branch * libm::sqrt(1.0 + x) + c.noise * noise
                    }
                    _ => libm::sin(3.0 * x) + 0.5 * x + c.noise * noise,
                });
            }
            return Ok(Dataset {
                x: DMatrix::from_vec(1, n, xs),
                targets: Targets::Values(DMatrix::from_vec(1, n, ys)),
                classes: 0,
            });
        }
        let classes = if entry.counted { k } else { entry.classes };
        for i in 0..n {
            let label = i % classes;
            let t = rng.random::<f64>();
            let p = match id {
                // sklearn's make_moons: the upper half circle and a shifted lower one.
                "moons" if label == 0 => [libm::cos(PI * t), libm::sin(PI * t)],
                "moons" => [1.0 - libm::cos(PI * t), 0.5 - libm::sin(PI * t)],
                // sklearn's make_circles with factor ½.
                "circles" => {
                    let r = if label == 0 { 1.0 } else { 0.5 };
                    [r * libm::cos(2.0 * PI * t), r * libm::sin(2.0 * PI * t)]
                }
                // Class 0 at (1, 1) and (−1, −1), class 1 at (1, −1) and (−1, 1).
                "xor" => {
                    let s = if rng.random::<bool>() { 1.0 } else { -1.0 };
                    [s, if label == 0 { s } else { -s }]
                }
                // Centres evenly on a circle of radius 2.
                "blobs" => {
                    let a = 2.0 * PI * label as f64 / classes as f64;
                    [2.0 * libm::cos(a), 2.0 * libm::sin(a)]
                }
                // Arm j: radius t, angle 2πj/k + 4t.
                _ => {
                    let a = 2.0 * PI * label as f64 / classes as f64 + 4.0 * t;
                    [t * libm::cos(a), t * libm::sin(a)]
                }
            };
            let spread = if id == "xor" || id == "blobs" {
                c.noise.max(0.05) * 3.0
            } else {
                c.noise
            };
            let (dx, dy): (f64, f64) = (rng.sample(StandardNormal), rng.sample(StandardNormal));
            points.push(([p[0] + spread * dx, p[1] + spread * dy], label));
        }
        Ok(Dataset {
            x: DMatrix::from_fn(2, n, |r, i| points[i].0[r]),
            targets: Targets::Classes(points.iter().map(|p| p.1).collect()),
            classes,
        })
    }

    pub fn len(&self) -> usize {
        self.x.ncols()
    }

    /// The targets as `task` needs them: class labels become 0/1 for one sigmoid unit.
    pub fn targets_for(&self, task: Task) -> Result<Targets, Error> {
        match (&self.targets, task) {
            (Targets::Classes(y), Task::Classes(k)) if y.iter().all(|&c| c < k) => {
                Ok(self.targets.clone())
            }
            (Targets::Classes(y), Task::Binary) if y.iter().all(|&c| c < 2) => {
                Ok(Targets::Binary(y.iter().map(|&c| c as f64).collect()))
            }
            (Targets::Values(v), task) if task.values() == Some(v.nrows()) => {
                Ok(self.targets.clone())
            }
            _ => Err(Error::new(format!(
                "this dataset's targets do not fit a {task:?} output layer"
            ))),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The points at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select_columns(indices),
            targets: self.targets.select(indices),
            classes: self.classes,
        }
    }

    /// Every point but the one at `index`, in order.
    pub fn without(&self, index: usize) -> Dataset {
        let kept: Vec<usize> = (0..self.len()).filter(|&i| i != index).collect();
        self.select(&kept)
    }

    /// A shuffled split (seeded): `validation` and `test` are fractions of the points.
    pub fn split(&self, validation: f64, test: f64, seed: u64) -> Split {
        let n = self.len();
        let mut order: Vec<usize> = (0..n).collect();
        shuffle(&mut order, &mut Xoshiro256PlusPlus::seed_from_u64(seed));
        let n_val = ((n as f64) * validation.clamp(0.0, 0.5)).round() as usize;
        let n_test = ((n as f64) * test.clamp(0.0, 0.5)).round() as usize;
        let n_train = n.saturating_sub(n_val + n_test).max(1);
        Split {
            train: self.select(&order[..n_train]),
            validation: self.select(&order[n_train..(n_train + n_val).min(n)]),
            test: self.select(&order[(n_train + n_val).min(n)..]),
        }
    }
}

/// Training, validation and test sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub validation: Dataset,
    pub test: Dataset,
}

/// Fisher–Yates, from the back.
pub fn shuffle(items: &mut [usize], rng: &mut Xoshiro256PlusPlus) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}
