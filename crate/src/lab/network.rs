//! The network lab as data: a setup, the dataset it made and the points added to it,
//! the training, and what the page shows of them — the region the map covers, the
//! grids it is computed on, the points and which one is under the pointer, the
//! inspector, the exports. The page's handle (`web::NetworkLab`) only converts and
//! draws.
//!
//! While the output is an mdn, the lab also trains a *companion*: the same setup with the
//! squared error (output identity), updated in lockstep with the main network — the same
//! data, split, minibatches and order, one unit of work for each of the main network's —
//! so that the map can draw what the squared loss makes of the same data beside the
//! mixture's density. It never touches the main network's numbers.
//!
//! The page shows the data in its own coordinates x, whatever the setup's distortion
//! and normalization: the points, the map's region and the pointer are in x, and only
//! what goes into the network (the training inputs, the grids' cells) passes through
//! the [`Preprocessing`].

use crate::config::{Error, Problem};
use crate::layout::Layout;
use crate::nn::data::{Dataset, Split};
use crate::nn::density;
use crate::nn::inspect::{gradient_check, inspect, GradientCheck, Inspection};
use crate::nn::landscape::Trajectory;
use crate::nn::lr_range::{RangeRuns, RangeSettings, RangeTest};
use crate::nn::model::{Model, ModelJson};
use crate::nn::network::{Targets, Task};
use crate::nn::normalize::{Normalizer, Preprocessing};
use crate::nn::own_data::OwnData;
use crate::nn::setup::{Built, Output, Setup};
use crate::nn::train::{EpochRecord, Stop, Trainer, Work};
use crate::surface::ViewBox;
use crate::text::number;
use nalgebra::DMatrix;
use serde::Serialize;

/// The most points a dataset may hold, points added by clicking included.
pub const MOST_POINTS: usize = 20_000;

/// The most updates the page makes per frame while training (fewer when a frame's
/// time is up).
pub const MOST_SPEED: usize = 1000;

/// The decision map has at most this many cells a side.
pub const MAP_GRID: usize = 200;

/// A map costs at most this many multiply-adds: wide, deep networks get a coarser grid
/// (down to 32 cells a side) rather than a frozen page.
pub const MAP_BUDGET: usize = 12_000_000;

/// Each unit's map in the network diagram has up to this many cells a side, fewer (down
/// to 8) when the network is large.
pub const UNIT_GRID: usize = 24;

/// The units' maps cost at most this many multiply-adds per frame.
pub const UNIT_BUDGET: usize = 3_000_000;

/// The gradient check uses at most this many training points.
const CHECKED_POINTS: usize = 20;

/// A data point as drawn: where, its class (None for regression), and whether it is
/// held out for validation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DataPoint {
    pub at: (f64, f64),
    pub class: Option<usize>,
    pub validation: bool,
}

/// Training as the page reports it each frame.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Status {
    pub epoch: usize,
    pub updates: usize,
    pub learning_rate: f64,
    pub stopped: Option<Stop>,
    /// `classes`, `binary` or `regression`.
    pub task: &'static str,
    /// The output that runs, `auto` resolved: `softmax`, `sigmoid`, `identity`,
    /// `gaussian` or `mdn`.
    pub output: &'static str,
    pub classes: usize,
    pub parameters: usize,
    pub train: usize,
    pub validation: usize,
    /// The last finished epoch, so that a frame need not copy the whole history.
    pub last: Option<EpochRecord>,
    /// Rows and columns of an image when the inputs are its pixels (the digits: the
    /// page shows them, not the plane).
    pub image: Option<[usize; 2]>,
    /// Whether the data are one's own (loaded from CSV) rather than the setup's dataset.
    pub own_data: bool,
}

/// Backprop for one data point: the point where the map draws it, and the derivation
/// on x as the network receives it (distorted and normalized; the same when the setup
/// has neither).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointInspection {
    /// The point in the data's own coordinates.
    pub point: Vec<f64>,
    #[serde(flatten)]
    pub inspection: Inspection,
}

pub struct NetworkLab {
    setup: Setup,
    problems: Vec<Problem>,
    dataset: Dataset,
    /// The split in the data's own coordinates, as drawn.
    split: Split,
    preprocessing: Preprocessing,
    /// Trains on the split as the network receives it.
    trainer: Trainer,
    /// For an mdn output, the same setup with the squared error, trained in lockstep.
    companion: Option<Trainer>,
    /// The data's own box: the map shows it, widened to the plot's shape.
    data_view: ViewBox,
    /// Whether the data were loaded from CSV: the setup's dataset names what a new lab
    /// would make, not what this one holds.
    own_data: bool,
    /// The learning-rate range test last started, filled in as the page asks.
    range: Option<RangeTest>,
}

/// What the map draws of a network of one input, the target up, by its output.
#[derive(Clone, Debug, PartialEq)]
pub enum Fit {
    /// identity: f(x) at each x.
    Curve(Vec<(f64, f64)>),
    /// gaussian: the mean μ(x) and the deviation σ(x) at each x.
    Bands {
        x: Vec<f64>,
        mean: Vec<f64>,
        deviation: Vec<f64>,
    },
    /// mdn: p(y | x) on `side` × `side` cells over the view, row by row from the top,
    /// each column divided by its largest value (so 1 where that x's y is likeliest);
    /// and the squared-error companion's f(x) at each column's x.
    Density {
        side: usize,
        density: Vec<f64>,
        squared_error: Vec<(f64, f64)>,
    },
}

impl NetworkLab {
    /// A lab from `setup`; a field it cannot use is set back to its default and listed
    /// in [`NetworkLab::problems`], and the rest applies.
    pub fn open(setup: &Setup) -> NetworkLab {
        let (setup, problems) = setup.repaired();
        let built = setup
            .build()
            .or_else(|_| Setup::default().build())
            .expect("the default setup builds");
        NetworkLab::of(setup, problems, built, false)
    }

    /// A lab from `setup` that trains on `first`'s data — its dataset, split and
    /// preprocessing — as a run beside it; its own seed seeds the initialization and the
    /// order of the minibatches. Its fields are repaired as [`NetworkLab::open`] does;
    /// its data fields (dataset, distort, normalize, validation) must be `first`'s.
    pub fn open_on(setup: &Setup, first: &NetworkLab) -> Result<NetworkLab, Error> {
        let theirs = &first.setup;
        if (
            &setup.dataset,
            &setup.distort,
            &setup.normalize,
            setup.validation,
        ) != (
            &theirs.dataset,
            &theirs.distort,
            &theirs.normalize,
            theirs.validation,
        ) {
            return Err(Error::new(
                "a run beside another trains on its data: set the same dataset, distort, normalize and validation",
            ));
        }
        // Checked against the first's data, which may be points of one's own.
        let (setup, problems) = setup.repaired_on(&first.dataset);
        let built = setup.build_beside((&first.dataset, &first.split, &first.preprocessing))?;
        Ok(NetworkLab::of(setup, problems, built, first.own_data))
    }

    /// The lab of `setup` as `built`, its problems met; the squared-error companion of
    /// an mdn on the same data, split and preprocessing.
    fn of(mut setup: Setup, problems: Vec<Problem>, built: Built, own_data: bool) -> NetworkLab {
        // The output the data would get anyway is written as `auto`, as links leave it.
        if setup.output == setup.output_for_auto(built.dataset.classes) {
            setup.output = "auto".into();
        }
        let companion = matches!(built.trainer.task(), Task::Mixture(_))
            .then(|| {
                let squared_error = Setup {
                    output: "identity".into(),
                    ..setup.clone()
                };
                squared_error
                    .build_beside((&built.dataset, &built.split, &built.preprocessing))
                    .ok()
                    .map(|b| b.trainer)
            })
            .flatten();
        NetworkLab {
            data_view: view_of(&built.dataset),
            setup,
            problems,
            dataset: built.dataset,
            split: built.split,
            preprocessing: built.preprocessing,
            trainer: built.trainer,
            companion,
            own_data,
            range: None,
        }
    }

    /// Points of one's own from CSV text (see [`OwnData::from_csv`]: `x1,x2,label` or
    /// `x,y`, perhaps with the `set` column [`NetworkLab::data_csv`] writes) in place of
    /// the data. The network starts again: a new θ from the setup's init and seed, the
    /// normalization fitted anew on the training rows, the task from the data (classes
    /// or a curve). The file's sets split it; without them the setup's validation
    /// fraction and seed do. Its values are the data's own coordinates, which the
    /// setup's distortion then applies to, as to any data. A setting that does not fit
    /// the data goes back to its default — an output (`sigmoid` on three classes,
    /// `softmax` on a curve) to `auto`, a distortion of another number of inputs to none
    /// — and is returned, and listed by [`NetworkLab::problems`]. On an error nothing
    /// changes.
    pub fn load_csv(&mut self, text: &str) -> Result<Vec<Problem>, Error> {
        let (lab, repairs) = NetworkLab::of_csv(&self.setup, text)?;
        *self = lab;
        Ok(repairs)
    }

    /// A lab of `setup` on the points of CSV text, as [`NetworkLab::load_csv`] makes
    /// it, and the settings that went back to their default.
    pub fn of_csv(setup: &Setup, text: &str) -> Result<(NetworkLab, Vec<Problem>), Error> {
        let own = OwnData::from_csv(text, MOST_POINTS)?;
        let split = own.split();
        let (setup, repairs) = setup.repaired_on(&own.dataset);
        let built = setup.build_on(own.dataset, split)?;
        Ok((NetworkLab::of(setup, repairs.clone(), built, true), repairs))
    }

    /// Whether the data were loaded from CSV rather than made from the setup's dataset.
    pub fn own_data(&self) -> bool {
        self.own_data
    }

    /// The setup that runs: the one asked for, with defaults where it had problems.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// What could not be used of the setup asked for.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The weights recorded once per epoch: the path on the loss landscape.
    pub fn trajectory(&self) -> &Trajectory {
        &self.trainer.trajectory
    }

    /// The squared-error network trained beside an mdn, if the output is one.
    pub fn companion(&self) -> Option<&Trainer> {
        self.companion.as_ref()
    }

    /// `updates` minibatch updates, each epoch evaluated as it ends; how many ended.
    pub fn train(&mut self, updates: usize) -> usize {
        (0..updates)
            .filter(|_| {
                let before = self.trainer.updates;
                let ended = self.trainer.update();
                if let Some(companion) = self.companion.as_mut() {
                    if self.trainer.updates > before {
                        companion.update();
                    }
                }
                ended
            })
            .count()
    }

    /// One unit of work: an update, or a slice of the end-of-epoch evaluation (and the
    /// companion's same unit).
    pub fn work(&mut self) -> Work {
        let work = self.trainer.work();
        if let Some(companion) = self.companion.as_mut() {
            if work != Work::Stopped {
                companion.work();
            }
        }
        work
    }

    pub fn status(&self) -> Status {
        let t = &self.trainer;
        let (task, classes) = match t.task() {
            Task::Classes(k) => ("classes", k),
            Task::Binary => ("binary", 2),
            Task::Regression(_) | Task::Gaussian(_) | Task::Mixture(_) => ("regression", 0),
        };
        Status {
            epoch: t.epoch,
            updates: t.updates,
            learning_rate: t.learning_rate(),
            stopped: t.stopped,
            task,
            output: Output::of(t.task()).id(),
            classes,
            parameters: t.theta.len(),
            train: t.data.train.len(),
            validation: t.data.validation.len(),
            last: t.history.last().copied(),
            image: self.image(),
            own_data: self.own_data,
        }
    }

    /// Whether the inputs are points of the plane (else one number, with the target up).
    pub fn planar(&self) -> bool {
        self.dataset.x.nrows() == 2
    }

    /// The region a plot of `layout`'s shape shows: the data's box, widened along one
    /// axis so that, for points of the plane, a unit is as long across as up.
    pub fn view(&self, layout: &Layout) -> ViewBox {
        fit_aspect(&self.data_view, layout, self.planar())
    }

    /// The side of a square grid whose forward pass costs at most `budget`
    /// multiply-adds, within `least ..= most`.
    pub fn budgeted_side(&self, budget: usize, least: usize, most: usize) -> usize {
        let per_sample: usize = self
            .trainer
            .network
            .architecture
            .layers
            .iter()
            .map(|l| l.inputs * l.outputs)
            .sum();
        let cells = budget / per_sample.max(1);
        ((cells as f64).sqrt() as usize).clamp(least, most)
    }

    /// The decision map's cells a side.
    pub fn map_side(&self) -> usize {
        self.budgeted_side(MAP_BUDGET, 32, MAP_GRID)
    }

    /// The network's inputs over a `side` × `side` grid of cells over `view`, one
    /// column per cell: the plane's cells row by row from the top, or for one input,
    /// `side` rows of the same `side` values of x; each cell as the network receives
    /// it.
    pub fn grid(&self, view: &ViewBox, side: usize) -> DMatrix<f64> {
        let cells = if self.planar() {
            grid(view, side, side)
        } else {
            let xs = grid(view, side, 1).row(0).into_owned();
            DMatrix::from_fn(1, side * side, |_, i| xs[i % side])
        };
        self.network_input(&cells)
    }

    /// Inputs x (one column each, in the data's own coordinates) as the network
    /// receives them: distorted, then normalized as fitted on the training split.
    pub fn network_input(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        self.preprocessing.apply(x)
    }

    /// What the map draws for one input over `view`, at `side` values of x (and for a
    /// mixture `side` values of y): the network's fit by its output.
    pub fn fit(&self, view: &ViewBox, side: usize) -> Fit {
        let xs: Vec<f64> = grid(view, side, 1).row(0).iter().copied().collect();
        let inputs = self.network_input(&DMatrix::from_row_slice(1, side, &xs));
        let on = |t: &Trainer| t.network.forward(&t.theta, &inputs);
        let t = &self.trainer;
        let forward = on(t);
        let f = forward.output();
        match t.task() {
            Task::Gaussian(d) => Fit::Bands {
                x: xs,
                mean: f.unit(0),
                deviation: f.unit(d).iter().map(|v| libm::sqrt(*v)).collect(),
            },
            Task::Mixture(_) => {
                let ys = grid(view, 1, side).row(1).into_owned();
                let mut cells = vec![0.0; side * side];
                for c in 0..side {
                    let column = f.sample(c);
                    let p: Vec<f64> = ys
                        .iter()
                        .map(|&y| density::mixture_density(&column, y))
                        .collect();
                    let top = p
                        .iter()
                        .copied()
                        .filter(|v| v.is_finite())
                        .fold(0.0, f64::max);
                    for (r, p) in p.into_iter().enumerate() {
                        cells[r * side + c] = if top > 0.0 && p.is_finite() {
                            p / top
                        } else {
                            0.0
                        };
                    }
                }
                let squared_error = self.companion.as_ref().map_or_else(Vec::new, |c| {
                    xs.iter().copied().zip(on(c).output().unit(0)).collect()
                });
                Fit::Density {
                    side,
                    density: cells,
                    squared_error,
                }
            }
            _ => Fit::Curve(xs.iter().copied().zip(f.unit(0)).collect()),
        }
    }

    /// Training then validation points, as drawn and numbered on the map; none for
    /// images, which are not drawn on it.
    pub fn points(&self) -> Vec<DataPoint> {
        if self.image().is_some() {
            return Vec::new();
        }
        let d = &self.split;
        [(&d.train, false), (&d.validation, true)]
            .into_iter()
            .flat_map(|(part, validation)| {
                (0..part.len()).map(move |i| {
                    let (at, class) = match &part.targets {
                        Targets::Classes(y) => ((part.x[(0, i)], part.x[(1, i)]), Some(y[i])),
                        Targets::Binary(y) => {
                            ((part.x[(0, i)], part.x[(1, i)]), Some(y[i] as usize))
                        }
                        Targets::Values(v) => ((part.x[(0, i)], v[(0, i)]), None),
                    };
                    DataPoint {
                        at,
                        class,
                        validation,
                    }
                })
            })
            .collect()
    }

    /// The point drawn nearest device pixel (u, v) of a map with `layout` over `view`,
    /// within `radius` device pixels.
    pub fn nearest_point(
        &self,
        layout: &Layout,
        view: &ViewBox,
        (u, v): (f64, f64),
        radius: f64,
    ) -> Option<usize> {
        self.points()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, y) = layout.pixel_of(view, [p.at.0, p.at.1]);
                (i, (x - u).hypot(y - v))
            })
            .filter(|(_, d)| *d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Adds a training point of class `class` at (x, y); training goes on from the same
    /// weights with the point in its next epoch. The network receives it distorted and
    /// normalized like the rest, by the normalization as it was fitted: a click does
    /// not refit it, so the other points' inputs stay as they were.
    pub fn add_point(&mut self, x: f64, y: f64, class: usize) -> Result<(), Error> {
        if !self.planar() {
            return Err(Error::new("points can only be added to data of the plane"));
        }
        if !(x.is_finite() && y.is_finite()) || class >= self.dataset.classes {
            return Err(Error::new(format!(
                "a point needs two finite coordinates and a class below {}",
                self.dataset.classes
            )));
        }
        if self.dataset.len() >= MOST_POINTS {
            return Err(Error::new(format!(
                "a dataset holds at most {MOST_POINTS} points"
            )));
        }
        let Targets::Classes(labels) = &mut self.dataset.targets else {
            return Err(Error::new(
                "points can be added to classification data only",
            ));
        };
        labels.push(class);
        let n = self.dataset.len();
        self.dataset.x = self.dataset.x.clone().insert_column(n, 0.0);
        self.dataset.x[(0, n)] = x;
        self.dataset.x[(1, n)] = y;
        let point = self.dataset.select(&[n]);
        let received = self.preprocessing.received(&point);
        append(&mut self.split.train, &point);
        let mut train = self.trainer.data.train.clone();
        append(&mut train, &received);
        self.trainer.replace_training_set(train)
    }

    /// Removes point `index`, as numbered by [`NetworkLab::points`]; training goes on
    /// from the same weights without it (a training point: in a new epoch, as
    /// [`NetworkLab::add_point`]; a validation point: from the next evaluation on). The
    /// normalization stays as it was fitted, as for a click.
    pub fn remove_point(&mut self, index: usize) -> Result<(), Error> {
        if self.image().is_some() {
            return Err(Error::new(
                "the digits are images, not points of the map: they cannot be removed one by one",
            ));
        }
        let train = self.split.train.len();
        let held_out = index >= train;
        let i = if held_out { index - train } else { index };
        let part = if held_out {
            &self.split.validation
        } else {
            &self.split.train
        };
        if i >= part.len() {
            return Err(Error::new(format!("there is no point {index}")));
        }
        // The whole dataset holds the same point once more: it loses one copy.
        let point = part.select(&[i]);
        if let Some(j) = (0..self.dataset.len()).find(|&j| self.dataset.select(&[j]) == point) {
            self.dataset = self.dataset.without(j);
        }
        for trainer in std::iter::once(&mut self.trainer).chain(self.companion.as_mut()) {
            if held_out {
                let validation = trainer.data.validation.without(i);
                trainer.replace_validation_set(validation)?;
            } else {
                let train = trainer.data.train.without(i);
                trainer.replace_training_set(train)?;
            }
        }
        let part = if held_out {
            &mut self.split.validation
        } else {
            &mut self.split.train
        };
        *part = part.without(i);
        Ok(())
    }

    /// Removes every point: training waits, with the same weights, until points are
    /// added (by clicking, on the plane); the map still shows the network.
    pub fn clear_points(&mut self) -> Result<(), Error> {
        if self.image().is_some() {
            return Err(Error::new(
                "the digits are images, not points of the map: pick data of the plane or a curve to clear",
            ));
        }
        let none = |part: &Dataset| part.select(&[]);
        for trainer in std::iter::once(&mut self.trainer).chain(self.companion.as_mut()) {
            trainer.replace_training_set(none(&trainer.data.train))?;
            trainer.replace_validation_set(none(&trainer.data.validation))?;
        }
        self.dataset = none(&self.dataset);
        self.split = Split {
            train: none(&self.split.train),
            validation: none(&self.split.validation),
            test: none(&self.split.test),
        };
        Ok(())
    }

    /// Starts a learning-rate range test of the current setup on the current data (the
    /// points added or removed included), each run from the setup's initial θ; see
    /// [`crate::nn::lr_range`]. It replaces the one before.
    pub fn start_lr_range(&mut self, settings: RangeSettings) -> Result<(), Error> {
        self.range = Some(RangeTest::new(self.range_runs()?, settings)?);
        Ok(())
    }

    /// Computes up to `count` more rates of the range test; true once it is complete.
    pub fn lr_range_step(&mut self, count: usize) -> Result<bool, Error> {
        match self.range.as_mut() {
            Some(test) => test.advance(count),
            None => Err(Error::new("no range test has been started")),
        }
    }

    /// The range test last started, as far as it got.
    pub fn lr_range(&self) -> Option<&RangeTest> {
        self.range.as_ref()
    }

    /// Takes `other`'s range test if it tested what this lab's would: the same network,
    /// initial θ, data, optimizer (its learning rate aside), minibatches and seed — a
    /// lab opened anew with another η, schedule or early stopping keeps its test.
    /// Whether it took it.
    pub fn keep_lr_range(&mut self, other: &NetworkLab) -> bool {
        let runs = self.range_runs();
        let kept = other
            .range
            .as_ref()
            .filter(|test| runs.as_ref().is_ok_and(|runs| test.runs() == runs));
        self.range = kept.cloned().or(self.range.take());
        kept.is_some()
    }

    /// The range test's runs for the lab as it is.
    fn range_runs(&self) -> Result<RangeRuns, Error> {
        let t = &self.trainer;
        let initial = self.setup.initial_parameters(&t.network.architecture)?;
        Ok(RangeRuns::new(
            t.network.clone(),
            initial,
            t.data.clone(),
            &self.setup,
        ))
    }

    /// The point `index`, as numbered by [`NetworkLab::points`]: where it is drawn,
    /// what the network receives, and its target.
    fn sample(&self, index: usize) -> Result<(Vec<f64>, Vec<f64>, Targets), Error> {
        let (drawn, received) = (&self.split, &self.trainer.data);
        let (part, input, i) = if index < drawn.train.len() {
            (&drawn.train, &received.train, index)
        } else {
            let i = index - drawn.train.len();
            (&drawn.validation, &received.validation, i)
        };
        if i >= part.len() {
            return Err(Error::new(format!("there is no point {index}")));
        }
        let point = part.x.column(i).iter().copied().collect();
        let x = input.x.column(i).iter().copied().collect();
        let target = input.targets_for(self.trainer.task())?.select(&[i]);
        Ok((point, x, target))
    }

    /// The split in the data's own coordinates, before distortion and normalization:
    /// what the page draws.
    pub fn split(&self) -> &Split {
        &self.split
    }

    /// Backprop for point `index`: every quantity of the lecture's derivation on the
    /// input the network receives, and the point's loss before and after one step.
    pub fn inspect(&self, index: usize) -> Result<PointInspection, Error> {
        let (point, x, target) = self.sample(index)?;
        let t = &self.trainer;
        Ok(PointInspection {
            point,
            inspection: inspect(&t.network, &t.theta, &x, &target, t.learning_rate()),
        })
    }

    /// Backprop against central differences on (at most 20 points of) the training
    /// set, so that it answers at once for any network.
    pub fn gradient_check(&self) -> Result<GradientCheck, Error> {
        let t = &self.trainer;
        if t.data.train.is_empty() {
            return Err(Error::new(
                "the gradient check needs training points, and there are none",
            ));
        }
        let first: Vec<usize> = (0..t.data.train.len().min(CHECKED_POINTS)).collect();
        let sample = t.data.train.select(&first);
        let targets = sample.targets_for(t.task())?;
        Ok(gradient_check(&t.network, &t.theta, &sample.x, &targets))
    }

    /// The model, as the CLI's `train --save` writes it, with the fitted normalization.
    pub fn model(&self) -> Model {
        Model {
            network: self.trainer.network.clone(),
            theta: self.trainer.theta.clone(),
            normalize: self.preprocessing.normalizer.clone(),
        }
    }

    /// Weights from a model, of the same layers and the same kind of normalization as
    /// the lab's network. The model's fitted normalization replaces the lab's (the
    /// weights were trained on inputs normalized so), and training goes on from the
    /// model's weights in a new epoch.
    pub fn load_model(&mut self, json: &ModelJson) -> Result<(), Error> {
        let model = Model::from_json(json)?;
        if model.network.architecture != self.trainer.network.architecture {
            return Err(Error::new(
                "this model's layers differ from the lab's network: set the same layers and output first",
            ));
        }
        let kind = model.normalize.as_ref().map_or("none", Normalizer::kind);
        if kind != self.setup.normalize {
            return Err(Error::new(format!(
                "this model's inputs are normalized by {kind}, the lab's by {}: set normalize to {kind} first",
                self.setup.normalize
            )));
        }
        if model.normalize != self.preprocessing.normalizer {
            self.preprocessing.normalizer = model.normalize;
            let received = self.preprocessing.received_split(&self.split);
            self.trainer.replace_training_set(received.train)?;
            self.trainer.data.validation = received.validation;
            self.trainer.data.test = received.test;
        }
        self.trainer.network.l2 = model.network.l2;
        self.trainer.theta = model.theta;
        // the path so far led to other weights on another loss (λ may differ)
        self.trainer.trajectory = Trajectory::new(self.trainer.epoch, &self.trainer.theta);
        Ok(())
    }

    /// The data as CSV: `x1,x2,label,set` (`x1,…,x64,label,set` for the digits, each
    /// input a pixel over 16), or `x,y,set` for regression, numbers as [`number`]
    /// writes them. The inputs are distorted as the setup says but not normalized: with
    /// the model, which carries its normalization, `backprop` computes the loss the lab
    /// shows.
    pub fn data_csv(&self) -> String {
        let d = &self.split;
        let mut out = match &self.dataset.targets {
            Targets::Values(_) => String::from("x,y,set\n"),
            _ => {
                let names: Vec<String> = (1..=self.dataset.x.nrows())
                    .map(|i| format!("x{i}"))
                    .collect();
                format!("{},label,set\n", names.join(","))
            }
        };
        for (part, name) in [
            (&d.train, "train"),
            (&d.validation, "validation"),
            (&d.test, "test"),
        ] {
            let inputs = self.preprocessing.distorted(&part.x);
            for i in 0..part.len() {
                let x: Vec<String> = inputs.column(i).iter().map(|&v| number(v)).collect();
                let x = x.join(",");
                let row = match &part.targets {
                    Targets::Classes(y) => format!("{x},{}", y[i]),
                    Targets::Binary(y) => format!("{x},{}", y[i]),
                    Targets::Values(v) => format!("{x},{}", number(v[(0, i)])),
                };
                out.push_str(&format!("{row},{name}\n"));
            }
        }
        out
    }
}

/// `part` with the class-labelled points of `more` after its own.
fn append(part: &mut Dataset, more: &Dataset) {
    let n = part.len();
    part.x = part.x.clone().insert_columns(n, more.len(), 0.0);
    part.x.columns_mut(n, more.len()).copy_from(&more.x);
    if let (Targets::Classes(all), Targets::Classes(new)) = (&mut part.targets, &more.targets) {
        all.extend(new);
    }
}

/// The cell centres of a `columns` × `rows` grid over `view`, row by row from the top,
/// one column of the matrix per cell.
pub fn grid(view: &ViewBox, columns: usize, rows: usize) -> DMatrix<f64> {
    DMatrix::from_fn(2, columns * rows, |r, i| {
        let (column, row) = (i % columns, i / columns);
        if r == 0 {
            view.x.0 + (column as f64 + 0.5) / columns as f64 * view.width()
        } else {
            view.y.1 - (row as f64 + 0.5) / rows as f64 * view.height()
        }
    })
}

/// The region the map shows: the data's bounding box (inputs across; for one input,
/// the targets up), grown by a tenth, made square for points of the plane so that
/// circles look round.
pub fn view_of(dataset: &Dataset) -> ViewBox {
    let range = |values: &mut dyn Iterator<Item = f64>| {
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        })
    };
    let x = &dataset.x;
    let (x0, x1) = range(&mut x.row(0).iter().copied());
    let planar = x.nrows() > 1;
    let (y0, y1) = match &dataset.targets {
        _ if planar => range(&mut x.row(1).iter().copied()),
        Targets::Values(v) => range(&mut v.row(0).iter().copied()),
        _ => (-1.0, 1.0),
    };
    let grow = |(a, b): (f64, f64)| {
        let (a, b) = if a <= b { (a, b) } else { (-1.0, 1.0) };
        let pad = 0.1 * (b - a).max(0.2);
        (a - pad, b + pad)
    };
    let ((x0, x1), (y0, y1)) = (grow((x0, x1)), grow((y0, y1)));
    if planar {
        let half = 0.5 * (x1 - x0).max(y1 - y0);
        let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
        ViewBox::new(cx - half, cx + half, cy - half, cy + half)
    } else {
        ViewBox::new(x0, x1, y0, y1)
    }
}

/// `view` widened along one axis to the plot's width : height, when `square_units`.
pub fn fit_aspect(view: &ViewBox, layout: &Layout, square_units: bool) -> ViewBox {
    let plot = layout.plot_width() as f64 / layout.plot_height().max(1) as f64;
    let box_ratio = view.width() / view.height();
    if !square_units || !plot.is_finite() || (plot - box_ratio).abs() < 1e-9 {
        return *view;
    }
    let (cx, cy) = (0.5 * (view.x.0 + view.x.1), 0.5 * (view.y.0 + view.y.1));
    let (half_w, half_h) = if plot > box_ratio {
        (0.5 * view.height() * plot, 0.5 * view.height())
    } else {
        (0.5 * view.width(), 0.5 * view.width() / plot)
    };
    ViewBox::new(cx - half_w, cx + half_w, cy - half_h, cy + half_h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::nn::train::Trainer;

    fn lab(setup: &str) -> NetworkLab {
        NetworkLab::open(&serde_json::from_str(setup).unwrap())
    }

    #[test]
    fn a_bad_field_is_reset_alone_and_named() {
        let lab = lab(r#"{"dataset": "moons:n=3", "hidden": [5, 5], "l2": 0.5}"#);
        assert_eq!(lab.setup().hidden, vec![5, 5]);
        assert_eq!(lab.setup().l2, 0.5);
        assert_eq!(lab.setup().dataset, Setup::default().dataset);
        let fields: Vec<_> = lab.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["dataset"]);
        assert!(
            lab.problems()[0].message.contains("n = 3"),
            "{:?}",
            lab.problems()
        );
    }

    #[test]
    fn the_view_is_the_data_widened_to_the_plot() {
        let lab = lab(r#"{"dataset": "blobs:k=4"}"#);
        let wide = Layout::new(800, 400, 1.0, Margins::SURFACE);
        let view = lab.view(&wide);
        let plot = wide.plot_width() as f64 / wide.plot_height() as f64;
        assert!((view.width() / view.height() - plot).abs() < 1e-9);
        assert!(lab.points().iter().all(|p| view.x.0 < p.at.0
            && p.at.0 < view.x.1
            && view.y.0 < p.at.1
            && p.at.1 < view.y.1));
    }

    #[test]
    fn grids_are_sized_by_the_network_and_cover_the_view() {
        let small = lab(r#"{"hidden": [4]}"#);
        let large = lab(r#"{"hidden": [64, 64, 64, 64, 64, 64], "activation": "relu"}"#);
        assert_eq!(small.map_side(), MAP_GRID);
        let side = large.map_side();
        assert!((32..MAP_GRID).contains(&side), "{side}");
        let view = ViewBox::new(-1.0, 1.0, 0.0, 4.0);
        let g = grid(&view, 4, 2);
        assert_eq!((g[(0, 0)], g[(1, 0)]), (-0.75, 3.0));
        assert_eq!((g[(0, 7)], g[(1, 7)]), (0.75, 1.0));
    }

    #[test]
    fn points_are_added_to_the_training_set_and_exported() {
        let mut lab = lab(r#"{"dataset": "xor:n=8", "validation": 0.25}"#);
        assert_eq!(lab.status().train, 6);
        lab.add_point(0.5, -0.25, 1).unwrap();
        assert_eq!(lab.status().train, 7);
        let added = lab.points()[6];
        assert_eq!(
            (added.at, added.class, added.validation),
            ((0.5, -0.25), Some(1), false)
        );
        assert!(lab.add_point(0.0, 0.0, 2).is_err());
        assert!(lab.add_point(f64::NAN, 0.0, 0).is_err());
        let csv = lab.data_csv();
        assert_eq!(csv.lines().next(), Some("x1,x2,label,set"));
        assert!(csv.contains("\n0.5,-0.25,1,train\n"), "{csv}");
        assert_eq!(csv.lines().count(), 1 + 9);
        let mut curve = self::lab(r#"{"dataset": "curve:n=10"}"#);
        assert!(curve.add_point(0.0, 0.0, 0).is_err());
        assert!(curve.data_csv().starts_with("x,y,set\n"));
    }

    #[test]
    fn the_nearest_point_is_found_through_the_layout() {
        let lab = lab(r#"{"dataset": "blobs:n=30"}"#);
        let layout = Layout::new(500, 500, 1.0, Margins::SURFACE);
        let view = lab.view(&layout);
        let p = lab.points()[7];
        let (u, v) = layout.pixel_of(&view, [p.at.0, p.at.1]);
        assert_eq!(
            lab.nearest_point(&layout, &view, (u + 1.0, v), 5.0),
            Some(7)
        );
        assert_eq!(
            lab.nearest_point(&layout, &view, (-100.0, -100.0), 5.0),
            None
        );
    }

    #[test]
    fn the_status_names_the_output_that_runs() {
        for (setup, output, task) in [
            ("{}", "softmax", "classes"),
            (r#"{"output": "sigmoid"}"#, "sigmoid", "binary"),
            (r#"{"dataset": "curve"}"#, "identity", "regression"),
            (
                r#"{"dataset": "curve", "output": "gaussian"}"#,
                "gaussian",
                "regression",
            ),
            (
                r#"{"dataset": "curve", "output": "mdn:k=2"}"#,
                "mdn",
                "regression",
            ),
        ] {
            let status = lab(setup).status();
            assert_eq!((status.output, status.task), (output, task), "{setup}");
        }
    }

    /// A trainer as the lab builds it, worked as `work` and `train` do it.
    fn worked(setup: &Setup, units: usize, updates: usize) -> Trainer {
        let mut t = setup.build().unwrap().trainer;
        (0..units).for_each(|_| {
            t.work();
        });
        (0..updates).for_each(|_| {
            t.update();
        });
        t
    }

    #[test]
    fn an_mdn_trains_a_squared_error_companion_in_lockstep_without_changing_its_bits() {
        let setup: Setup = serde_json::from_str(
            r#"{"dataset": "two-branches:n=60", "hidden": [5], "output": "mdn:k=2", "batch": 7}"#,
        )
        .unwrap();
        let mut lab = NetworkLab::open(&setup);
        (0..40).for_each(|_| {
            lab.work();
        });
        lab.train(9);
        // The mdn's every bit as without a companion...
        let alone = worked(&setup, 40, 9);
        let t = lab.trainer();
        assert!(t.updates > 30 && t.epoch >= 5, "{} {}", t.updates, t.epoch);
        assert_eq!(t.theta, alone.theta);
        assert_eq!(t.history, alone.history);
        // ...and the companion the same setup with the squared error, as far along.
        let squared_error = Setup {
            output: "identity".into(),
            ..setup
        };
        let companion = lab.companion().unwrap();
        let expected = worked(&squared_error, 40, 9);
        assert_eq!(companion.task(), Task::Regression(1));
        assert_eq!(companion.updates, t.updates);
        assert_eq!(companion.theta, expected.theta);
        assert_eq!(companion.history, expected.history);
        assert!(self::lab(r#"{"dataset": "curve", "output": "gaussian"}"#)
            .companion()
            .is_none());
    }

    #[test]
    fn each_regression_output_draws_its_own_fit() {
        let view = ViewBox::new(-1.0, 1.0, -2.0, 2.0);
        let Fit::Curve(curve) = lab(r#"{"dataset": "curve"}"#).fit(&view, 20) else {
            panic!("identity draws a curve")
        };
        assert_eq!(curve.len(), 20);
        assert_eq!(curve[0].0, -0.95);
        let gaussian = lab(r#"{"dataset": "noisy-curve", "output": "gaussian"}"#);
        let Fit::Bands { x, mean, deviation } = gaussian.fit(&view, 20) else {
            panic!("a gaussian draws bands")
        };
        // σ = √(f(x)₂) = e^(z₂/2), of the network's own output.
        let t = gaussian.trainer();
        let f = t
            .network
            .forward(&t.theta, &DMatrix::from_row_slice(1, 20, &x))
            .output()
            .sample(3);
        assert_eq!(mean[3], f[0]);
        assert_eq!(deviation[3], f[1].sqrt());
        let mdn = lab(r#"{"dataset": "two-branches", "output": "mdn", "hidden": [4]}"#);
        let Fit::Density {
            side,
            density,
            squared_error,
        } = mdn.fit(&view, 30)
        else {
            panic!("an mdn draws a density")
        };
        assert_eq!((side, density.len(), squared_error.len()), (30, 900, 30));
        // Each column is scaled to its largest value, 1.
        for c in 0..30 {
            let column: Vec<f64> = (0..30).map(|r| density[r * 30 + c]).collect();
            assert_eq!(
                column.iter().copied().fold(0.0, f64::max),
                1.0,
                "{column:?}"
            );
            assert!(column.iter().all(|p| (0.0..=1.0).contains(p)));
        }
        let c = mdn.companion().unwrap();
        let f = c
            .network
            .forward(&c.theta, &DMatrix::from_vec(1, 1, vec![squared_error[7].0]));
        assert_eq!(squared_error[7].1, f.output().get(0, 0));
    }

    #[test]
    fn the_picture_stays_in_the_data_s_coordinates_whatever_the_network_receives() {
        let plain = lab(r#"{"dataset": "blobs:n=40"}"#);
        let mut distorted = lab(
            r#"{"dataset": "blobs:n=40", "distort": [[100, 50], [-1, 2]], "normalize": "quantile-normal"}"#,
        );
        assert_eq!(distorted.problems(), []);
        assert_eq!(distorted.points(), plain.points());
        let layout = Layout::new(500, 400, 1.0, Margins::SURFACE);
        assert_eq!(distorted.view(&layout), plain.view(&layout));
        // The grid's cells, and the training inputs, are as the network receives them.
        let view = distorted.view(&layout);
        let cells = grid(&view, 5, 5);
        let received = distorted.grid(&view, 5);
        assert_eq!(received, distorted.preprocessing.apply(&cells));
        assert_ne!(received, cells);
        let d = &distorted.trainer.data;
        assert_eq!(
            d.train.x,
            distorted.preprocessing.apply(&distorted.split.train.x)
        );
        // The inspector explains the network's arithmetic on what it receives, and
        // says where the point is drawn.
        let i = distorted.inspect(3).unwrap();
        assert_eq!(i.point, [plain.points()[3].at.0, plain.points()[3].at.1]);
        assert_eq!(
            i.inspection.x,
            d.train.x.column(3).iter().copied().collect::<Vec<_>>()
        );
        assert_eq!(i.inspection.layers[0].input, i.inspection.x);
        // A click joins the training set distorted and normalized as fitted, without
        // refitting: the other points' inputs stay as they were.
        let before = d.train.x.clone();
        distorted.add_point(0.5, -0.25, 1).unwrap();
        let after = &distorted.trainer.data.train.x;
        assert_eq!(after.columns(0, before.ncols()), before);
        let clicked = DMatrix::from_column_slice(2, 1, &[0.5, -0.25]);
        assert_eq!(
            after.column(before.ncols()),
            distorted.preprocessing.apply(&clicked).column(0)
        );
        assert_eq!(distorted.points()[before.ncols()].at, (0.5, -0.25));
    }

    #[test]
    fn the_data_csv_holds_the_inputs_distorted_not_normalized() {
        let lab = lab(r#"{"dataset": "curve:n=10", "distort": [[2, 1]], "normalize": "standard"}"#);
        let csv = lab.data_csv();
        let first: Vec<f64> = csv
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .take(2)
            .map(|v| v.parse().unwrap())
            .collect();
        let raw = &lab.split.train;
        assert_eq!(first[0], 2.0 * raw.x[(0, 0)] + 1.0);
        let Targets::Values(y) = &raw.targets else {
            panic!("the curve is a regression")
        };
        assert_eq!(first[1], y[(0, 0)]);
    }

    #[test]
    fn a_model_carries_its_normalization_and_a_lab_takes_it_on_loading() {
        let setup = r#"{"dataset": "moons:n=60", "hidden": [3], "normalize": "quantile-uniform"}"#;
        let mut trained = lab(setup);
        trained.trainer.run_epoch();
        let model = trained.model().to_json();
        assert_eq!(model.normalize.as_ref().unwrap().kind, "quantile-uniform");
        // Another split (another seed) fits other quantiles: loading the model brings
        // its own, and the lab's inputs are normalized by them.
        let mut other = lab(
            r#"{"dataset": "moons:n=60", "hidden": [3], "normalize": "quantile-uniform", "seed": 3}"#,
        );
        assert_ne!(other.preprocessing, trained.preprocessing);
        other.load_model(&model).unwrap();
        assert_eq!(other.preprocessing, trained.preprocessing);
        assert_eq!(other.model().to_json(), model);
        let d = &other.trainer.data;
        assert_eq!(
            d.validation.x,
            other.preprocessing.apply(&other.split.validation.x)
        );
        // A model of another kind of normalization, or none, is refused.
        let mut standard =
            lab(r#"{"dataset": "moons:n=60", "hidden": [3], "normalize": "standard"}"#);
        let e = standard.load_model(&model).unwrap_err();
        assert!(e.0.contains("set normalize to quantile-uniform"), "{e}");
        let mut none = lab(r#"{"dataset": "moons:n=60", "hidden": [3]}"#);
        assert!(none.load_model(&model).is_err());
        assert!(standard
            .load_model(&none.model().to_json())
            .unwrap_err()
            .0
            .contains("set normalize to none"));
    }

    #[test]
    fn the_digits_are_images_not_points_and_their_inspector_takes_a_digit() {
        let lab = lab(r#"{"dataset": "digits", "hidden": [4]}"#);
        assert_eq!(lab.problems(), []);
        let status = lab.status();
        assert_eq!((status.image, status.classes), (Some([8, 8]), 10));
        assert_eq!(status.train + status.validation, 1797);
        assert_eq!(self::lab("{}").status().image, None);
        // Nothing to draw on the plane, to find there or to add.
        assert!(!lab.planar() && lab.points().is_empty());
        let layout = Layout::new(500, 500, 1.0, Margins::SURFACE);
        let view = lab.view(&layout);
        assert_eq!(lab.nearest_point(&layout, &view, (250.0, 250.0), 1e9), None);
        let mut added = self::lab(r#"{"dataset": "digits", "hidden": [4]}"#);
        let refused = added.add_point(0.0, 0.0, 1).unwrap_err().0;
        assert_eq!(refused, "points can only be added to data of the plane");
        // A validation digit in the inspector: its 64 pixels over 16.
        let digit = status.train + 7;
        let inspection = lab.inspect(digit).unwrap();
        let expected: Vec<f64> = lab
            .trainer
            .data
            .validation
            .x
            .column(7)
            .iter()
            .copied()
            .collect();
        assert_eq!(inspection.inspection.x, expected);
        assert!(inspection
            .inspection
            .x
            .iter()
            .all(|v| (0.0..=16.0).contains(&(v * 16.0)) && (v * 16.0).fract() == 0.0));
        assert_eq!(inspection.inspection.output.len(), 10);
        assert_eq!(lab.inspect(1797).unwrap_err().0, "there is no point 1797");
        // The export: every pixel, the label and the set.
        let csv = lab.data_csv();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!((header.len(), header[63], header[64]), (66, "x64", "label"));
        assert_eq!(lines.clone().count(), 1797);
        assert!(lines.all(|l| l.split(',').count() == 66));
    }

    #[test]
    fn the_digits_take_no_parameters() {
        let setup: Setup = serde_json::from_str(r#"{"dataset": "digits:n=100"}"#).unwrap();
        let problems = setup.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "dataset");
        assert!(
            problems[0].message.contains("takes no parameters"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_model_round_trips_and_must_fit() {
        let mut lab = lab(r#"{"hidden": [3]}"#);
        lab.trainer.run_epoch();
        let text = lab.model().to_text();
        let json: ModelJson = crate::nn::model::parse_json(&text, "the model").unwrap();
        let mut other = self::lab(r#"{"hidden": [3], "seed": 4}"#);
        other.load_model(&json).unwrap();
        assert_eq!(other.model().to_text(), text);
        let mut wider = self::lab(r#"{"hidden": [4]}"#);
        assert!(wider
            .load_model(&json)
            .unwrap_err()
            .0
            .contains("layers differ"));
    }
}
