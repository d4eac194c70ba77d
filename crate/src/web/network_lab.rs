//! `NetworkLab`: the page's handle on [`lab::network::NetworkLab`], and its pictures:
//! the decision map, the data, the network, the curves; inside training ([`inside`]),
//! each layer's gradient against its weights and its saturated or dead units; for the
//! digits ([`digits`]) the grid of validation digits, the confusion matrix and the
//! weights as images; the slides' own panels ([`panels`]): the activation, softmax,
//! backprop played; the learning-rate range test ([`range`]); data of one's own
//! ([`own_data`]); the loss landscape ([`landscape`]).

mod digits;
mod inside;
mod landscape;
mod own_data;
mod panels;
mod range;
mod runs;
mod slice;

pub use digits::load_digits;
pub use runs::run_colours;

use super::{canvas, from_js, to_js};
use crate::lab::network::{self as lab, Fit, UNIT_BUDGET, UNIT_GRID};
use crate::lab::runs::Runs;
use crate::layout::{Layout, Margins};
use crate::nn::model::ModelJson;
use crate::nn::network::Forward;
use crate::nn::setup::Setup;
use crate::nn::train::Work;
use crate::nn::Activation;
use crate::render;
use crate::render::network::{self as pictures, Diagram};
use crate::surface::ViewBox;
use nalgebra::DMatrix;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// `[{field, message}]`: why a setup object cannot be used as it is (empty when it can),
/// checked as `open` checks it: what a control asks before it changes the setup.
#[wasm_bindgen]
pub fn check_setup(setup: JsValue) -> Result<JsValue, JsError> {
    let setup: Setup = from_js(setup, "a setup")?;
    to_js(&setup.problems())
}

#[wasm_bindgen]
pub struct NetworkLab {
    /// The runs side by side; the views show the current one.
    runs: Runs,
    /// Where the map was last drawn, and the region it showed: pointer events map
    /// through them.
    map_layout: Layout,
    view: ViewBox,
    /// The map's grid of inputs and its forward pass, kept between frames.
    map_grid: DMatrix<f64>,
    map_pass: Forward,
    /// The units' maps' forward pass, kept between frames.
    unit_pass: Forward,
    /// The digits' views' state.
    images: digits::Views,
    /// Where the network was last drawn: a click maps through it to a weight or a bias.
    network_layout: Layout,
    /// The loss landscape of the current run, while its view is open.
    landscape: Option<crate::lab::landscape::Landscape>,
}

impl NetworkLab {
    /// The handle on `runs`, its views not yet drawn.
    fn of_runs(runs: Runs) -> Result<NetworkLab, JsError> {
        let view = runs
            .current()
            .view(&Layout::new(1, 1, 1.0, Margins::SURFACE));
        Ok(NetworkLab {
            runs,
            map_layout: Layout::new(1, 1, 1.0, Margins::SURFACE),
            view,
            map_grid: DMatrix::zeros(0, 0),
            map_pass: Forward::default(),
            unit_pass: Forward::default(),
            images: digits::Views::default(),
            network_layout: Layout::new(1, 1, 1.0, Margins::SURFACE),
            landscape: None,
        })
    }

    /// The current run: what the map, the network, the inspector and the digits show.
    fn lab(&self) -> &lab::NetworkLab {
        self.runs.current()
    }

    fn lab_mut(&mut self) -> &mut lab::NetworkLab {
        self.runs.current_mut()
    }
}

#[wasm_bindgen]
impl NetworkLab {
    /// A lab from a setup object (see `nn::setup::Setup`; every field optional): what
    /// cannot be used is set back to its default and listed by `problems()`.
    pub fn open(setup: JsValue) -> Result<NetworkLab, JsError> {
        let setup: Setup = from_js(setup, "a setup")?;
        NetworkLab::of_runs(Runs::open(&[setup], 0)?)
    }

    /// The setup that runs, as a plain object.
    pub fn setup(&self) -> Result<JsValue, JsError> {
        to_js(self.lab().setup())
    }

    /// `[{field, message}]`: what `open` (or `open_runs`, for the current run) could not
    /// use of the setup it was given.
    pub fn problems(&self) -> Result<JsValue, JsError> {
        to_js(self.runs.current_problems())
    }

    /// One step of the runs' lockstep, small whatever the networks and data: 0 nothing
    /// (every run is paused or stopped), 1 an update of every run that trains, 2 such
    /// an update that ended an epoch of one of them, 3 a slice of the evaluation of the
    /// epochs just ended (the other runs wait), 4 its last slice (every such epoch is
    /// in its run's history). With one run: its update, its epoch and its evaluation.
    pub fn work(&mut self) -> u8 {
        match self.runs.work() {
            Work::Stopped => 0,
            Work::Updated { epoch_done: false } => 1,
            Work::Updated { epoch_done: true } => 2,
            Work::Evaluated { recorded: false } => 3,
            Work::Evaluated { recorded: true } => 4,
        }
    }

    /// `updates` minibatch updates of every run that trains, each epoch evaluated when
    /// it ends; how many epochs the current run ended.
    pub fn train(&mut self, updates: usize) -> usize {
        let ended = self.runs.train(updates);
        ended[self.runs.current_index()]
    }

    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab().status())
    }

    /// Every finished epoch: `[{epoch, updates, learning_rate, train, validation}]`.
    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab().trainer().history)
    }

    /// The decision map (classification), or for regression the fitted curve
    /// (identity), the bands μ ± σ and μ ± 2σ around the mean (gaussian), or the density
    /// p(y | x) with the squared-error network's f(x) dashed (mdn); with axes. `scratch`
    /// is a canvas the map is drawn into before it is scaled to the plot. Images have no
    /// map: a note says where they are.
    pub fn draw_map(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        self.map_layout = layout;
        if self.lab().image().is_some() {
            let area = canvas::area(canvas)?;
            render::digits::note(&area, &layout, "images have no map: see the digits")?;
            return Ok(());
        }
        let view = self.lab().view(&layout);
        if view != self.view {
            self.view = view;
            self.map_grid = DMatrix::zeros(0, 0);
        }
        let area = canvas::area(canvas)?;
        render::frame(&area, &layout, &self.view)?;
        let t = self.runs.current().trainer();
        let [left, top, right, bottom] = layout.plot;
        let plot = (left, top, right - left, bottom - top);
        if t.task().values().is_some() {
            match self.lab().fit(&self.view, lab::MAP_GRID) {
                Fit::Curve(curve) => pictures::fitted_curve(&area, &layout, &self.view, &curve)?,
                Fit::Bands { x, mean, deviation } => {
                    pictures::gaussian_bands(&area, &layout, &self.view, (&x, &mean, &deviation))?
                }
                Fit::Density {
                    side,
                    density,
                    squared_error,
                } => {
                    let rgba = pictures::density_rgba(&density);
                    canvas::put_scaled(canvas, scratch, &rgba, side as u32, plot)?;
                    render::overlay(&area, &layout, &self.view, &[], &[])?;
                    pictures::mixture_overlay(
                        &area,
                        &layout,
                        &self.view,
                        (side, &density),
                        &squared_error,
                    )?;
                }
            }
        } else {
            let side = self.lab().map_side();
            if self.map_grid.ncols() != side * side {
                self.map_grid = self.lab().grid(&self.view, side);
            }
            t.network
                .forward_for_picture(&t.theta, &self.map_grid, &mut self.map_pass);
            let rgba = pictures::decision_rgba(self.map_pass.output());
            canvas::put_scaled(canvas, scratch, &rgba, side as u32, plot)?;
            render::overlay(&area, &layout, &self.view, &[], &[])?;
        }
        Ok(())
    }

    /// The data, on a transparent canvas over the map's (of the same size). Point
    /// `highlight` is ringed.
    pub fn draw_points(&self, canvas: &HtmlCanvasElement, highlight: i32) -> Result<(), JsError> {
        canvas::clear(canvas)?;
        let area = canvas::area(canvas)?;
        let highlight = usize::try_from(highlight).ok();
        let points = self.lab().points();
        pictures::data_points(&area, &self.map_layout, &self.view, &points, highlight)?;
        Ok(())
    }

    /// The network: edges by weight, each unit filled with its output over the input
    /// plane (the first units of wide layers); for images, which have no plane, the
    /// units stay white.
    pub fn draw_network(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        self.network_layout = layout;
        let t = self.runs.current().trainer();
        let arch = &t.network.architecture;
        let diagram = Diagram::new(arch, &layout);
        let area = canvas::area(canvas)?;
        pictures::network_edges(&area, &layout, &diagram, arch, &t.theta)?;
        if self.lab().image().is_some() {
            return Ok(());
        }
        let side = self.lab().budgeted_side(UNIT_BUDGET, 8, UNIT_GRID);
        let grid = self.lab().grid(&self.view, side);
        t.network
            .forward_for_picture(&t.theta, &grid, &mut self.unit_pass);
        let half = diagram.unit / 2.0;
        for (l, &count) in diagram.columns.iter().enumerate() {
            let values = &self.unit_pass.post[l];
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

    /// Loss and accuracy per epoch, training solid and validation dashed: a run alone
    /// in black and orange, with the loss that early stopping or reduce-on-plateau
    /// watches named in the legend; several each in its colour with a legend of their
    /// labels.
    pub fn draw_curves(&self, canvas: &HtmlCanvasElement, pixel_ratio: f64) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let area = canvas::area(canvas)?;
        let classification = self.lab().trainer().task().values().is_none();
        self.with_run_curves(|runs| {
            render::runs::runs_curves(&area, &layout, runs, classification)
        })?;
        Ok(())
    }

    /// The input-space point under device pixel (u, v) of the map canvas.
    pub fn point_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.map_layout.point_at(&self.view, u, v).to_vec()
    }

    /// Index of the data point nearest device pixel (u, v) within `radius`, or −1.
    pub fn nearest_point(&self, u: f64, v: f64, radius: f64) -> i32 {
        self.lab()
            .nearest_point(&self.map_layout, &self.view, (u, v), radius)
            .map_or(-1, |i| i as i32)
    }

    /// The device pixel (u, v) of the map canvas where data point `index` is drawn.
    pub fn pixel_of_point(&self, index: usize) -> Vec<f64> {
        self.lab().points().get(index).map_or_else(Vec::new, |p| {
            let (u, v) = self.map_layout.pixel_of(&self.view, [p.at.0, p.at.1]);
            vec![u, v]
        })
    }

    /// Adds a training point of class `class` at (x, y) to every run's data, keeping
    /// the weights.
    pub fn add_point(&mut self, x: f64, y: f64, class: usize) -> Result<(), JsError> {
        Ok(self.runs.add_point(x, y, class)?)
    }

    /// Backprop for data point `index` (as numbered by the map): `{point, x, output,
    /// grad_output, one_hot, layers, loss_before, loss_after, learning_rate}`, with
    /// `point` where the map draws it, `x` the input the network receives (distorted and
    /// normalized) and `grad_output` ∂l/∂f(x), one number per output.
    pub fn inspect(&self, index: usize) -> Result<JsValue, JsError> {
        to_js(&self.lab().inspect(index)?)
    }

    /// Backprop against central differences on (at most 20 points of) the training set.
    pub fn gradient_check(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab().gradient_check()?)
    }

    /// The model as a plain object, `{layers: [{W, b, activation}, …], l2, normalize?}`:
    /// `JSON.stringify(model, null, 2)` writes what the CLI's `train --save` writes.
    pub fn model(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab().model().to_json())
    }

    /// Loads weights from a model (as `JSON.parse` gives it) of the same layers and the
    /// same kind of normalization as the network, with its fitted normalization.
    pub fn load_model(&mut self, model: JsValue) -> Result<(), JsError> {
        let json: ModelJson = from_js(model, "a model")?;
        self.lab_mut().load_model(&json)?;
        self.images.weights_changed();
        Ok(())
    }

    /// The data as CSV: `x1,x2,label,set` (or `x,y,set` for regression), the inputs
    /// distorted but not normalized.
    pub fn data_csv(&self) -> String {
        self.lab().data_csv()
    }
}
