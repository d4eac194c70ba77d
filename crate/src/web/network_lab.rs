//! `NetworkLab`: the network page's state — a dataset and its split, a network, its
//! training — and its pictures: the decision map, the network, the curves.

use super::canvas;
use super::SpecObject;
use crate::config::Error;
use crate::nn::data::Dataset;
use crate::nn::init::Init;
use crate::nn::inspect::{gradient_check, inspect};
use crate::nn::model::{Model, ModelJson};
use crate::nn::network::{Architecture, Forward, Network, Targets, Task};
use crate::nn::schedule::{EarlyStopping, Schedule};
use crate::nn::train::{TrainConfig, Trainer};
use crate::nn::Activation;
use crate::optim;
use crate::render::network::{self as pictures, DataPoint, Diagram};
use crate::render::{self, Layout, Margins};
use crate::surface::ViewBox;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The decision map is computed on up to this many cells a side and scaled to the view.
const MAP_GRID: usize = 200;

/// A map costs at most this many multiply-adds: wide, deep networks get a coarser
/// grid (down to 32 cells a side) rather than a frozen page.
const MAP_BUDGET: usize = 12_000_000;

/// Each unit's output map in the network diagram has up to this many cells a side,
/// fewer (down to 8) when the network is large, as for the decision map.
const UNIT_GRID: usize = 24;

/// The units' maps cost at most this many multiply-adds per frame.
const UNIT_BUDGET: usize = 3_000_000;

/// Everything the page chooses, as a plain object from JS.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabConfig {
    dataset: SpecObject,
    hidden: Vec<usize>,
    activation: String,
    output: String,
    init: String,
    l2: f64,
    optimizer: SpecObject,
    batch: usize,
    schedule: SpecObject,
    early_stopping: Option<EarlyStoppingConfig>,
    validation: f64,
    seed: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EarlyStoppingConfig {
    patience: usize,
    restore_best: bool,
}

#[derive(Serialize)]
struct Status {
    epoch: usize,
    updates: usize,
    learning_rate: f64,
    stopped: Option<crate::nn::train::Stop>,
    task: &'static str,
    classes: usize,
    parameters: usize,
    train: usize,
    validation: usize,
    /// The last finished epoch, so that a frame need not copy the whole history.
    last: Option<crate::nn::train::EpochRecord>,
}

#[wasm_bindgen]
pub struct NetworkLab {
    dataset: Dataset,
    trainer: Trainer,
    /// The data's own box; `view` is it widened to the plot's shape, so that a unit is
    /// as long across as up and circles stay round in any frame.
    data_view: ViewBox,
    view: ViewBox,
    map_layout: Layout,
    /// The map's grid of inputs and its forward pass, kept between frames.
    map_grid: DMatrix<f64>,
    map_pass: Forward,
    /// The units' maps' forward pass, kept between frames.
    unit_pass: Forward,
}

/// The region the map shows: the data's bounding box, grown by a tenth, made square for
/// 2-D inputs so that circles look round.
fn view_of(dataset: &Dataset) -> ViewBox {
    let x = &dataset.x;
    let row_range = |r: usize| {
        x.row(r)
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            })
    };
    let (x0, x1) = row_range(0);
    let (y0, y1) = if x.nrows() > 1 {
        row_range(1)
    } else if let Targets::Values(v) = &dataset.targets {
        v.row(0)
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            })
    } else {
        (-1.0, 1.0)
    };
    let grow = |(a, b): (f64, f64)| {
        let pad = 0.1 * (b - a).max(0.2);
        (a - pad, b + pad)
    };
    let ((x0, x1), (y0, y1)) = (grow((x0, x1)), grow((y0, y1)));
    if x.nrows() > 1 {
        let half = 0.5 * (x1 - x0).max(y1 - y0);
        let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
        ViewBox::new(cx - half, cx + half, cy - half, cy + half)
    } else {
        ViewBox::new(x0, x1, y0, y1)
    }
}

/// `view` widened along one axis to the plot's width : height, for 2-D inputs.
fn fit_aspect(view: &ViewBox, layout: &Layout, square_units: bool) -> ViewBox {
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

fn build(config: &LabConfig, dataset: Dataset) -> Result<Trainer, Error> {
    let activation = Activation::parse(&config.activation)?;
    if !Activation::HIDDEN.contains(&activation) {
        return Err(Error::new(
            "the hidden activation must be sigmoid, tanh, relu or identity",
        ));
    }
    if config.hidden.len() > 6 || config.hidden.iter().any(|&h| !(1..=64).contains(&h)) {
        return Err(Error::new("0 to 6 hidden layers of 1 to 64 units"));
    }
    if !(config.l2.is_finite() && (0.0..=10.0).contains(&config.l2)) {
        return Err(Error::new(format!("λ = {} must be in [0, 10]", config.l2)));
    }
    if !(config.validation.is_finite() && (0.0..=0.5).contains(&config.validation)) {
        return Err(Error::new("the validation fraction must be in [0, 0.5]"));
    }
    let task = match (config.output.as_str(), dataset.classes) {
        ("softmax", k) if k >= 2 => Task::Classes(k),
        ("sigmoid", 2) => Task::Binary,
        ("identity", 0) => Task::Regression(1),
        (output, k) => {
            return Err(Error::new(format!(
                "a {output} output does not fit a dataset with {k} classes"
            )))
        }
    };
    let architecture = Architecture::mlp(dataset.x.nrows(), &config.hidden, activation, task)?;
    let network = Network {
        architecture,
        l2: config.l2,
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seed);
    let theta = Init::parse(&config.init)?.parameters(&network.architecture, &mut rng);
    let method = optim::from_spec(&config.optimizer.spec())?;
    let train = TrainConfig {
        batch_size: config.batch.clamp(1, 100_000),
        schedule: Schedule::from_spec(&config.schedule.spec())?,
        early_stopping: config.early_stopping.as_ref().map(|e| EarlyStopping {
            patience: e.patience.max(1),
            restore_best: e.restore_best,
        }),
        seed: config.seed,
    };
    let split = dataset.split(config.validation, 0.0, config.seed);
    Trainer::new(network, theta, method.optimizer, split, train)
}

#[wasm_bindgen]
impl NetworkLab {
    /// A lab from `{dataset, hidden, activation, output, init, l2, optimizer, batch,
    /// schedule, early_stopping, validation, seed}`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<NetworkLab, JsError> {
        let config: LabConfig = serde_wasm_bindgen::from_value(config)?;
        let dataset = Dataset::from_spec(&config.dataset.spec())?;
        let trainer = build(&config, dataset.clone())?;
        Ok(NetworkLab {
            data_view: view_of(&dataset),
            view: view_of(&dataset),
            dataset,
            trainer,
            map_layout: Layout::new(1, 1, 1.0, Margins::SURFACE),
            map_grid: DMatrix::zeros(0, 0),
            map_pass: Forward::default(),
            unit_pass: Forward::default(),
        })
    }

    /// Runs up to `updates` minibatch updates; returns how many epochs ended.
    pub fn train(&mut self, updates: usize) -> usize {
        (0..updates).filter(|_| self.trainer.update()).count()
    }

    /// Runs to the end of the current epoch.
    pub fn train_epoch(&mut self) {
        self.trainer.run_epoch();
    }

    pub fn status(&self) -> Result<JsValue, JsError> {
        let t = &self.trainer;
        let (task, classes) = match t.task() {
            Task::Classes(k) => ("classes", k),
            Task::Binary => ("binary", 2),
            Task::Regression(_) => ("regression", 0),
        };
        Ok(serde_wasm_bindgen::to_value(&Status {
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
        })?)
    }

    /// Every finished epoch: `[{epoch, updates, learning_rate, train, validation}]`.
    pub fn history(&self) -> Result<JsValue, JsError> {
        Ok(serde_wasm_bindgen::to_value(&self.trainer.history)?)
    }

    /// The decision map (classification) or the fitted curve (regression), with axes:
    /// redrawn as the network learns. `scratch` is a canvas the map is drawn into before
    /// it is scaled to the view.
    pub fn draw_map(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        self.map_layout = layout;
        let view = fit_aspect(&self.data_view, &layout, self.dataset.x.nrows() == 2);
        if view != self.view {
            self.view = view;
            self.map_grid = DMatrix::zeros(0, 0);
        }
        let area = canvas::area(canvas)?;
        render::frame(&area, &layout, &self.view)?;
        let t = &self.trainer;
        let regression = matches!(t.task(), Task::Regression(_));
        if regression {
            let xs: Vec<f64> = (0..MAP_GRID)
                .map(|i| self.view.x.0 + (i as f64 + 0.5) / MAP_GRID as f64 * self.view.width())
                .collect();
            let outputs = t
                .network
                .forward(&t.theta, &DMatrix::from_row_slice(1, MAP_GRID, &xs));
            let curve: Vec<(f64, f64)> = xs.iter().copied().zip(outputs.output().unit(0)).collect();
            pictures::fitted_curve(&area, &layout, &self.view, &curve)?;
        } else {
            let side = self.map_side();
            if self.map_grid.ncols() != side * side {
                self.map_grid = self.grid(side, side);
            }
            t.network
                .forward_for_picture(&t.theta, &self.map_grid, &mut self.map_pass);
            let rgba = pictures::decision_rgba(self.map_pass.output());
            let [left, top, right, bottom] = layout.plot;
            canvas::put_scaled(
                canvas,
                scratch,
                &rgba,
                side as u32,
                (left, top, right - left, bottom - top),
            )?;
            render::overlay(&area, &layout, &self.view, &[], &[])?;
        }
        Ok(())
    }

    /// The data, on a transparent canvas over the map's (of the same size): redrawn only
    /// when points or the selection change. Point `highlight` is ringed.
    pub fn draw_points(&self, canvas: &HtmlCanvasElement, highlight: i32) -> Result<(), JsError> {
        canvas::clear(canvas)?;
        let area = canvas::area(canvas)?;
        let points = self.points();
        let highlight = usize::try_from(highlight).ok();
        pictures::data_points(&area, &self.map_layout, &self.view, &points, highlight)?;
        Ok(())
    }

    /// The network: edges by weight, each unit filled with its output over the input
    /// plane (the first units of wide layers).
    pub fn draw_network(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let t = &self.trainer;
        let arch = &t.network.architecture;
        let diagram = Diagram::new(arch, canvas.width() as f64, canvas.height() as f64);
        let area = canvas::area(canvas)?;
        pictures::network_edges(&area, &layout, &diagram, arch, &t.theta)?;
        let side = self.budgeted_side(UNIT_BUDGET, 8, UNIT_GRID);
        let grid = if arch.inputs() == 2 {
            self.grid(side, side)
        } else {
            let xs: Vec<f64> = (0..side * side)
                .map(|i| {
                    self.view.x.0 + ((i % side) as f64 + 0.5) / side as f64 * self.view.width()
                })
                .collect();
            DMatrix::from_row_slice(1, side * side, &xs)
        };
        let forward = &mut self.unit_pass;
        t.network.forward_for_picture(&t.theta, &grid, forward);
        let half = diagram.unit / 2.0;
        for (l, &count) in diagram.columns.iter().enumerate() {
            let values = &forward.post[l];
            for j in 0..count {
                let row = values.unit(j);
                let (lo, hi) = match arch.layers.get(l.wrapping_sub(1)).map(|s| s.activation) {
                    Some(Activation::Sigmoid | Activation::Softmax) => (0.0, 1.0),
                    Some(Activation::Tanh) => (-1.0, 1.0),
                    _ => row
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                            (a.min(v), b.max(v))
                        }),
                };
                let (x, y) = diagram.centre(l, j);
                let rect = (
                    (x - half + 1.0) as i32,
                    (y - half + 1.0) as i32,
                    (diagram.unit - 2.0) as i32,
                    (diagram.unit - 2.0) as i32,
                );
                canvas::put_scaled(
                    canvas,
                    scratch,
                    &pictures::unit_rgba(&row, lo, hi),
                    side as u32,
                    rect,
                )?;
            }
        }
        Ok(())
    }

    /// Loss and accuracy per epoch, training and validation.
    pub fn draw_curves(&self, canvas: &HtmlCanvasElement, pixel_ratio: f64) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let area = canvas::area(canvas)?;
        let classification = !matches!(self.trainer.task(), Task::Regression(_));
        pictures::training_curves(&area, &layout, &self.trainer.history, classification)?;
        Ok(())
    }

    /// The input-space point under device pixel (u, v) of the map canvas.
    pub fn point_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.map_layout.point_at(&self.view, u, v).to_vec()
    }

    /// Index of the data point nearest device pixel (u, v) within `radius`, or −1.
    pub fn nearest_point(&self, u: f64, v: f64, radius: f64) -> i32 {
        let points = self.points();
        points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, y) = self.map_layout.pixel_of(&self.view, [p.at.0, p.at.1]);
                (i, (x - u).hypot(y - v))
            })
            .filter(|(_, d)| *d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(-1, |(i, _)| i as i32)
    }

    /// Adds a training point of class `class` at (x, y), keeping the weights.
    pub fn add_point(&mut self, x: f64, y: f64, class: usize) -> Result<(), JsError> {
        if self.dataset.x.nrows() != 2
            || class >= self.dataset.classes
            || !(x.is_finite() && y.is_finite())
        {
            return Err(Error::new(format!(
                "a point needs two finite coordinates and a class below {}",
                self.dataset.classes
            ))
            .into());
        }
        let Targets::Classes(labels) = &mut self.dataset.targets else {
            return Err(Error::new("points can be added to classification data only").into());
        };
        if self.dataset.x.ncols() >= 20_000 {
            return Err(Error::new("at most 20000 points").into());
        }
        labels.push(class);
        let n = self.dataset.x.ncols();
        self.dataset.x = self.dataset.x.clone().insert_column(n, 0.0);
        self.dataset.x[(0, n)] = x;
        self.dataset.x[(1, n)] = y;
        let point = self.dataset.select(&[n]);
        let train = &mut self.trainer.data.train;
        let mut joined = train.clone();
        joined.x = train.x.clone().insert_column(train.len(), 0.0);
        joined.x.set_column(train.len(), &point.x.column(0));
        if let (Targets::Classes(all), Targets::Classes(new)) =
            (&mut joined.targets, &point.targets)
        {
            all.extend(new);
        }
        self.trainer.replace_training_set(joined)?;
        Ok(())
    }

    /// Backprop for data point `index` (as numbered by the map): every quantity of the
    /// lecture's derivation, and the sample's loss before and after one step.
    pub fn inspect(&self, index: usize) -> Result<JsValue, JsError> {
        let (x, target) = self.sample(index)?;
        let t = &self.trainer;
        let inspection = inspect(&t.network, &t.theta, &x, &target, t.learning_rate());
        Ok(serde_wasm_bindgen::to_value(&inspection)?)
    }

    /// Backprop against central differences on (at most 20 points of) the training set,
    /// so that it answers at once for any network.
    pub fn gradient_check(&self) -> Result<JsValue, JsError> {
        let t = &self.trainer;
        let sample = t
            .data
            .train
            .select(&(0..t.data.train.len().min(20)).collect::<Vec<_>>());
        let targets = sample.targets_for(t.task())?;
        Ok(serde_wasm_bindgen::to_value(&gradient_check(
            &t.network, &t.theta, &sample.x, &targets,
        ))?)
    }

    /// The model as a plain object, for `JSON.stringify`:
    /// `{layers: [{W, b, activation}, …], l2}`.
    pub fn model(&self) -> Result<JsValue, JsError> {
        let model = Model {
            network: self.trainer.network.clone(),
            theta: self.trainer.theta.clone(),
        };
        Ok(serde_wasm_bindgen::to_value(&model.to_json())?)
    }

    /// Loads weights from a model object (as `JSON.parse` gives it) of the same
    /// architecture as the current network.
    pub fn load_model(&mut self, object: JsValue) -> Result<(), JsError> {
        let json: ModelJson = serde_wasm_bindgen::from_value(object)
            .map_err(|e| Error::new(format!("not a model: {e}")))?;
        let model = Model::from_json(&json)?;
        if model.network.architecture != self.trainer.network.architecture {
            return Err(Error::new(
                "this model's layers differ from the lab's network: set the same layers and output first",
            )
            .into());
        }
        self.trainer.network.l2 = model.network.l2;
        self.trainer.theta = model.theta;
        Ok(())
    }

    /// The data as CSV: `x1,x2,label,set` (or `x,y,set` for regression).
    pub fn data_csv(&self) -> String {
        let mut out = String::new();
        let d = &self.trainer.data;
        let regression = self.dataset.classes == 0;
        out.push_str(if regression {
            "x,y,set\n"
        } else {
            "x1,x2,label,set\n"
        });
        for (part, name) in [
            (&d.train, "train"),
            (&d.validation, "validation"),
            (&d.test, "test"),
        ] {
            for i in 0..part.len() {
                let row = match &part.targets {
                    Targets::Classes(y) => {
                        format!("{:?},{:?},{}", part.x[(0, i)], part.x[(1, i)], y[i])
                    }
                    Targets::Binary(y) => {
                        format!("{:?},{:?},{}", part.x[(0, i)], part.x[(1, i)], y[i])
                    }
                    Targets::Values(v) => format!("{:?},{:?}", part.x[(0, i)], v[(0, i)]),
                };
                out.push_str(&format!("{row},{name}\n"));
            }
        }
        out
    }
}

impl NetworkLab {
    /// Cells a side of the decision map: [`MAP_GRID`] unless the network is so large
    /// that the map would cost more than [`MAP_BUDGET`] multiply-adds.
    fn map_side(&self) -> usize {
        self.budgeted_side(MAP_BUDGET, 32, MAP_GRID)
    }

    /// The side of a square grid whose forward pass costs at most `budget`
    /// multiply-adds, within `least ..= most`.
    fn budgeted_side(&self, budget: usize, least: usize, most: usize) -> usize {
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

    /// The cell centres of a `columns` × `rows` grid over the view, row by row from
    /// the top, one column per cell.
    fn grid(&self, columns: usize, rows: usize) -> DMatrix<f64> {
        let v = &self.view;
        DMatrix::from_fn(2, columns * rows, |r, i| {
            let (column, row) = (i % columns, i / columns);
            if r == 0 {
                v.x.0 + (column as f64 + 0.5) / columns as f64 * v.width()
            } else {
                v.y.1 - (row as f64 + 0.5) / rows as f64 * v.height()
            }
        })
    }

    /// Training then validation points, as drawn and numbered on the map.
    fn points(&self) -> Vec<DataPoint> {
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

    /// Input and target of point `index` as numbered by [`NetworkLab::points`].
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
}
