//! The wasm boundary: the only module that knows wasm-bindgen, web-sys and
//! plotters-canvas. Handles own the state; JS passes plain values and objects and gets
//! small copies back; the core's errors become thrown `Error`s with the same message.

mod canvas;
mod network_lab;
mod optimizer_lab;

pub use network_lab::NetworkLab;
pub use optimizer_lab::OptimizerLab;

use crate::config::Parameter;
use crate::config::{Error, Spec};
use crate::run::{self, Status};
use crate::{optim, surface};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Installs the panic hook once, when the module is instantiated, so a bug shows as a
/// readable console message rather than `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// `{ id: "adam", params: { lr: 0.01, amsgrad: true } }` from JS.
#[derive(Clone, Deserialize)]
pub(crate) struct SpecObject {
    id: String,
    #[serde(default)]
    params: BTreeMap<String, ParamValue>,
}

#[derive(Clone, Deserialize)]
#[serde(untagged)]
enum ParamValue {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl SpecObject {
    pub(crate) fn spec(&self) -> Spec {
        let params = self
            .params
            .iter()
            .map(|(key, value)| {
                let text = match value {
                    ParamValue::Number(v) => format!("{v:?}"),
                    ParamValue::Bool(b) => b.to_string(),
                    ParamValue::Text(t) => t.clone(),
                };
                (key.clone(), text)
            })
            .collect();
        Spec {
            id: self.id.clone(),
            params,
        }
    }

    pub(crate) fn from_js(value: JsValue) -> Result<Spec, Error> {
        let object: SpecObject = serde_wasm_bindgen::from_value(value)
            .map_err(|e| Error::new(format!("expected {{id, params}}: {e}")))?;
        Ok(object.spec())
    }
}

/// One run, as JS sees it.
#[wasm_bindgen]
pub struct Trace {
    points: Vec<f64>,
    status: Status,
}

#[wasm_bindgen]
impl Trace {
    /// x₀, y₀, f₀, x₁, y₁, f₁, … as a Float64Array copy.
    #[wasm_bindgen(getter)]
    pub fn points(&self) -> Vec<f64> {
        self.points.clone()
    }

    /// `"running"`, `"converged"` or `"diverged"`.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> String {
        status_name(&self.status).to_string()
    }

    /// The step at which the run converged or diverged, or the number of steps taken.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> usize {
        status_step(&self.status, self.points.len() / 3)
    }
}

pub(crate) fn status_name(status: &Status) -> &'static str {
    match status {
        Status::Running => "running",
        Status::Converged { .. } => "converged",
        Status::Diverged { .. } => "diverged",
    }
}

/// The step a status names, or the steps taken by a run of `iterates` iterates.
pub(crate) fn status_step(status: &Status, iterates: usize) -> usize {
    match status {
        Status::Converged { step } | Status::Diverged { step } => *step,
        Status::Running => iterates.saturating_sub(1),
    }
}

/// Runs `optimizer` (a spec such as `adam:lr=0.01`) on `surface` (`rosenbrock:b=50`)
/// from (x, y) for `steps` updates.
#[wasm_bindgen]
pub fn trace(
    surface: &str,
    optimizer: &str,
    x: f64,
    y: f64,
    steps: usize,
) -> Result<Trace, JsError> {
    let t = run::trace(surface, optimizer, [x, y], steps)?;
    Ok(Trace {
        points: flatten(&t.points, &t.losses),
        status: t.status,
    })
}

/// x₀, y₀, f₀, x₁, … from points and losses.
pub(crate) fn flatten(points: &[[f64; 2]], losses: &[f64]) -> Vec<f64> {
    points
        .iter()
        .zip(losses)
        .flat_map(|(p, loss)| [p[0], p[1], *loss])
        .collect()
}

fn hex(colours: &[plotters::style::RGBColor]) -> Vec<String> {
    colours
        .iter()
        .map(|c| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2))
        .collect()
}

/// The paths' colours as CSS hex strings: optimizer i is drawn in colour i mod their number.
#[wasm_bindgen]
pub fn palette() -> Vec<String> {
    hex(&crate::render::PALETTE)
}

/// The classes' colours as CSS hex strings, as the decision map draws them.
#[wasm_bindgen]
pub fn class_colours() -> Vec<String> {
    hex(&crate::render::network::CLASS_COLOURS)
}

#[derive(Serialize)]
struct Listing {
    id: &'static str,
    /// f(x, y) for a surface, the update rule for an optimizer.
    formula: &'static str,
    parameters: Vec<Parameter>,
}

#[derive(Serialize)]
struct Catalogue {
    surfaces: Vec<Listing>,
    optimizers: Vec<Listing>,
}

/// Every surface and optimizer with its parameters, defaults and valid ranges, for the
/// page to build its controls from.
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    let catalogue = Catalogue {
        surfaces: surface::CATALOGUE
            .iter()
            .map(|e| Listing {
                id: e.id,
                formula: e.formula,
                parameters: (e.parameters)(),
            })
            .collect(),
        optimizers: optim::CATALOGUE
            .iter()
            .map(|e| Listing {
                id: e.id,
                formula: e.update,
                parameters: (e.parameters)(),
            })
            .collect(),
    };
    Ok(serde_wasm_bindgen::to_value(&catalogue)?)
}

/// Contour lines of a `width` × `height` grid of `values` (row by row) at `thresholds`,
/// through the same `contour` crate call as the page's background; returns the number
/// of vertices. `cargo xtask bench` times it against d3-contour on the same grid.
#[wasm_bindgen]
pub fn contour_vertices(values: &[f64], width: usize, height: usize, thresholds: &[f64]) -> usize {
    contour::ContourBuilder::new(width, height, true)
        .lines(values, thresholds)
        .map(|lines| {
            lines
                .iter()
                .flat_map(|l| l.geometry().0.iter())
                .map(|line| line.0.len())
                .sum()
        })
        .unwrap_or(0)
}
