//! The wasm boundary: the only module that knows wasm-bindgen, web-sys and
//! plotters-canvas. Handles own the state of [`crate::lab`]; JS passes plain values and
//! objects and gets small copies back; the core's errors become thrown `Error`s with
//! the same message.

//! Each lab's page loads a build of its own (features `optimizer-lab` and
//! `network-lab`), so that neither downloads the other's code; the optimizer lab's
//! views that a first visit does not draw, and typed formulas, are a superset build
//! (feature `optimizer-views`) that its page loads when one is first asked for; the recorders
//! are a build of their own too (feature `media`), which a page loads only when a user
//! exports a race.

#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
mod canvas;
#[cfg(feature = "media")]
mod media;
#[cfg(feature = "network-lab")]
mod network_lab;
#[cfg(feature = "optimizer-lab")]
mod optimizer_lab;

#[cfg(feature = "media")]
pub use media::{gif_timing, webm_with_duration, GifRecorder, GifTiming, Mp4Recorder};
#[cfg(feature = "network-lab")]
pub use network_lab::{check_setup, load_digits, run_colours, NetworkLab};
#[cfg(feature = "optimizer-lab")]
pub use optimizer_lab::OptimizerLab;

use wasm_bindgen::prelude::*;
#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
use {crate::config::Error, serde::de::DeserializeOwned, serde::Serialize};

/// Installs the panic hook once, when the module is instantiated, so a bug shows as a
/// readable console message rather than `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A plain JS object as a core type; `what` names it in the error.
#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::new(format!("not {what}: {e}")))
}

/// A core value as a plain JS object (maps as objects, so JSON.stringify shows them).
#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(value.serialize(&serializer)?)
}

#[cfg(feature = "optimizer-views")]
use crate::run::{self, Outcome};

/// One run, as JS sees it.
#[cfg(feature = "optimizer-views")]
#[wasm_bindgen]
pub struct Trace {
    points: Vec<f64>,
    status: Outcome,
}

#[cfg(feature = "optimizer-views")]
#[wasm_bindgen]
impl Trace {
    /// x₀, y₀, f₀, x₁, y₁, f₁, … as a Float64Array copy.
    #[wasm_bindgen(getter)]
    pub fn points(&self) -> Vec<f64> {
        self.points.clone()
    }

    /// `"running"`, `"converged"`, `"stationary"` or `"diverged"`, judged with the
    /// default tolerance ([`run::DEFAULT_TOLERANCE`]).
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> String {
        self.status.kind.name().to_string()
    }

    /// The step from which the run stayed converged or stationary, the update at which
    /// it diverged, or the number of steps taken.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> usize {
        self.status.step
    }
}

/// Runs `optimizer` (a spec such as `adam:lr=0.01`) on `surface` (`rosenbrock:b=50`)
/// from (x, y) for `steps` updates: the core without the page, for the browser tests
/// (in the views' build, which the page does not load first).
#[cfg(feature = "optimizer-views")]
#[wasm_bindgen]
pub fn trace(
    surface: &str,
    optimizer: &str,
    x: f64,
    y: f64,
    steps: usize,
) -> Result<Trace, JsError> {
    let surface = crate::surface::from_spec(&crate::Spec::parse(surface)?)?;
    let mut method = crate::optim::from_spec(&crate::Spec::parse(optimizer)?)?;
    let t = run::run(surface.as_ref(), &mut method, [x, y], steps)?;
    Ok(Trace {
        points: flatten(&t.points, &t.losses),
        status: Outcome::of(surface.as_ref(), &t, run::DEFAULT_TOLERANCE),
    })
}

/// x₀, y₀, f₀, x₁, … from points and losses.
#[cfg(feature = "optimizer-lab")]
pub(crate) fn flatten(points: &[[f64; 2]], losses: &[f64]) -> Vec<f64> {
    points
        .iter()
        .zip(losses)
        .flat_map(|(p, loss)| [p[0], p[1], *loss])
        .collect()
}

#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
fn hex(colours: &[plotters::style::RGBColor]) -> Vec<String> {
    colours
        .iter()
        .map(|c| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2))
        .collect()
}

/// The classes' colours as CSS hex strings, as the decision map draws them.
#[cfg(feature = "network-lab")]
#[wasm_bindgen]
pub fn class_colours() -> Vec<String> {
    hex(&crate::render::network::CLASS_COLOURS)
}

/// Every choice of the lab, with parameters, defaults, ranges and limits: what the page
/// builds its controls and links from.
#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    #[cfg(feature = "optimizer-lab")]
    return to_js(&crate::lab::plane_catalogue());
    #[cfg(not(feature = "optimizer-lab"))]
    to_js(&crate::lab::network_catalogue())
}

/// The lab's gallery as JSON text (see `lab/presets-*.json`).
#[cfg(any(feature = "optimizer-lab", feature = "network-lab"))]
#[wasm_bindgen]
pub fn presets() -> String {
    #[cfg(feature = "optimizer-lab")]
    return crate::lab::OPTIMIZER_PRESETS.to_string();
    #[cfg(not(feature = "optimizer-lab"))]
    crate::lab::NETWORK_PRESETS.to_string()
}

/// Contour lines of a `width` × `height` grid of `values` (row by row) at `thresholds`,
/// through the same `contour` crate call as the page's background, as filled polygons
/// (d3-contour's output); returns their number of vertices. Only `cargo xtask bench`
/// builds it, to time it against d3-contour on the same grid.
#[cfg(all(feature = "bench", feature = "optimizer-lab"))]
#[wasm_bindgen]
pub fn contour_vertices(values: &[f64], width: usize, height: usize, thresholds: &[f64]) -> usize {
    contour::ContourBuilder::new(width, height, true)
        .contours(values, thresholds)
        .map(|contours| {
            contours
                .iter()
                .flat_map(|c| c.geometry().0.iter())
                .map(|polygon| {
                    polygon.exterior().0.len()
                        + polygon.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum()
        })
        .unwrap_or(0)
}
