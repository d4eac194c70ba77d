//! The network lab as data: a setup, the dataset it made and the points added to it,
//! the training, and what the page shows of them — the region the map covers, the
//! grids it is computed on, the points and which one is under the pointer, the
//! inspector, the exports. The page's handle (`web::NetworkLab`) only converts and
//! draws.

use crate::config::{Error, Problem};
use crate::layout::Layout;
use crate::nn::data::Dataset;
use crate::nn::inspect::{gradient_check, inspect, GradientCheck, Inspection};
use crate::nn::model::{Model, ModelJson};
use crate::nn::network::{Targets, Task};
use crate::nn::setup::Setup;
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
    pub classes: usize,
    pub parameters: usize,
    pub train: usize,
    pub validation: usize,
    /// The last finished epoch, so that a frame need not copy the whole history.
    pub last: Option<EpochRecord>,
    /// Rows and columns of an image when the inputs are its pixels (the digits: the
    /// page shows them, not the plane).
    pub image: Option<[usize; 2]>,
}

pub struct NetworkLab {
    setup: Setup,
    problems: Vec<Problem>,
    dataset: Dataset,
    trainer: Trainer,
    /// The data's own box: the map shows it, widened to the plot's shape.
    data_view: ViewBox,
}

impl NetworkLab {
    /// A lab from `setup`; a field it cannot use is set back to its default and listed
    /// in [`NetworkLab::problems`], and the rest applies.
    pub fn open(setup: &Setup) -> NetworkLab {
        let (mut setup, problems) = setup.repaired();
        let built = setup
            .build()
            .or_else(|_| Setup::default().build())
            .expect("the default setup builds");
        // The output the data would get anyway is written as `auto`, as links leave it.
        if setup.output == setup.output_for_auto(built.dataset.classes) {
            setup.output = "auto".into();
        }
        NetworkLab {
            data_view: view_of(&built.dataset),
            setup,
            problems,
            dataset: built.dataset,
            trainer: built.trainer,
        }
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

    /// `updates` minibatch updates, each epoch evaluated as it ends; how many ended.
    pub fn train(&mut self, updates: usize) -> usize {
        (0..updates).filter(|_| self.trainer.update()).count()
    }

    /// One unit of work: an update, or a slice of the end-of-epoch evaluation.
    pub fn work(&mut self) -> Work {
        self.trainer.work()
    }

    pub fn status(&self) -> Status {
        let t = &self.trainer;
        let (task, classes) = match t.task() {
            Task::Classes(k) => ("classes", k),
            Task::Binary => ("binary", 2),
            Task::Regression(_) => ("regression", 0),
        };
        Status {
            epoch: t.epoch,
            updates: t.updates,
            learning_rate: t.learning_rate(),
            stopped: t.stopped,
            task,
            classes,
            parameters: t.theta.len(),
            train: t.data.train.len(),
            validation: t.data.validation.len(),
            last: t.history.last().copied(),
            image: self.image(),
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

    /// The inputs of a `side` × `side` grid of cells over `view`, one column per cell:
    /// the plane's cells row by row from the top, or for one input, `side` rows of the
    /// same `side` values of x.
    pub fn grid(&self, view: &ViewBox, side: usize) -> DMatrix<f64> {
        if self.planar() {
            grid(view, side, side)
        } else {
            let xs = grid(view, side, 1).row(0).into_owned();
            DMatrix::from_fn(1, side * side, |_, i| xs[i % side])
        }
    }

    /// Training then validation points, as drawn and numbered on the map; none for
    /// images, which are not drawn on it.
    pub fn points(&self) -> Vec<DataPoint> {
        if self.image().is_some() {
            return Vec::new();
        }
        let d = &self.trainer.data;
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
    /// weights with the point in its next epoch.
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
        let mut train = self.trainer.data.train.clone();
        let m = train.len();
        train.x = train.x.insert_column(m, 0.0);
        train.x.set_column(m, &point.x.column(0));
        if let (Targets::Classes(all), Targets::Classes(new)) = (&mut train.targets, &point.targets)
        {
            all.extend(new);
        }
        self.trainer.replace_training_set(train)
    }

    /// Input and target of point `index`, as numbered by [`NetworkLab::points`].
    fn sample(&self, index: usize) -> Result<(Vec<f64>, Targets), Error> {
        let d = &self.trainer.data;
        let (part, i) = if index < d.train.len() {
            (&d.train, index)
        } else {
            (&d.validation, index - d.train.len())
        };
        if i >= part.len() {
            return Err(Error::new(format!("there is no point {index}")));
        }
        let x = part.x.column(i).iter().copied().collect();
        let target = part.targets_for(self.trainer.task())?.select(&[i]);
        Ok((x, target))
    }

    /// Backprop for point `index`: every quantity of the lecture's derivation, and the
    /// point's loss before and after one step.
    pub fn inspect(&self, index: usize) -> Result<Inspection, Error> {
        let (x, target) = self.sample(index)?;
        let t = &self.trainer;
        Ok(inspect(
            &t.network,
            &t.theta,
            &x,
            &target,
            t.learning_rate(),
        ))
    }

    /// Backprop against central differences on (at most 20 points of) the training
    /// set, so that it answers at once for any network.
    pub fn gradient_check(&self) -> Result<GradientCheck, Error> {
        let t = &self.trainer;
        let first: Vec<usize> = (0..t.data.train.len().min(CHECKED_POINTS)).collect();
        let sample = t.data.train.select(&first);
        let targets = sample.targets_for(t.task())?;
        Ok(gradient_check(&t.network, &t.theta, &sample.x, &targets))
    }

    /// The model, as the CLI's `train --save` writes it.
    pub fn model(&self) -> Model {
        Model {
            network: self.trainer.network.clone(),
            theta: self.trainer.theta.clone(),
        }
    }

    /// Weights from a model, of the same layers as the lab's network.
    pub fn load_model(&mut self, json: &ModelJson) -> Result<(), Error> {
        let model = Model::from_json(json)?;
        if model.network.architecture != self.trainer.network.architecture {
            return Err(Error::new(
                "this model's layers differ from the lab's network: set the same layers and output first",
            ));
        }
        self.trainer.network.l2 = model.network.l2;
        self.trainer.theta = model.theta;
        Ok(())
    }

    /// The data as CSV: `x1,x2,label,set` (`x1,…,x64,label,set` for the digits, each
    /// input a pixel over 16), or `x,y,set` for regression, numbers as [`number`]
    /// writes them.
    pub fn data_csv(&self) -> String {
        let d = &self.trainer.data;
        let inputs = self.dataset.x.nrows();
        let mut out = match &self.dataset.targets {
            Targets::Values(_) => String::from("x,y,set\n"),
            _ => {
                let names: Vec<String> = (1..=inputs).map(|i| format!("x{i}")).collect();
                format!("{},label,set\n", names.join(","))
            }
        };
        for (part, name) in [
            (&d.train, "train"),
            (&d.validation, "validation"),
            (&d.test, "test"),
        ] {
            for i in 0..part.len() {
                let x: Vec<String> = part.x.column(i).iter().map(|&v| number(v)).collect();
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
        assert_eq!(inspection.x, expected);
        assert!(inspection
            .x
            .iter()
            .all(|v| (0.0..=16.0).contains(&(v * 16.0)) && (v * 16.0).fract() == 0.0));
        assert_eq!(inspection.output.len(), 10);
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
