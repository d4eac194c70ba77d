//! The wasm boundary: the only module that knows wasm-bindgen. It converts plain values
//! from JS into the core's types and small copies back; the core's errors become
//! `JsError`s (thrown `Error`s) carrying the same message.

use crate::run::{self, Status};
use wasm_bindgen::prelude::*;

/// Installs the panic hook once, when the module is instantiated, so a bug shows as a
/// readable console message rather than `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
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
        match self.status {
            Status::Running => "running",
            Status::Converged { .. } => "converged",
            Status::Diverged { .. } => "diverged",
        }
        .to_string()
    }

    /// The step at which the run converged or diverged, or the number of steps taken.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> usize {
        match self.status {
            Status::Converged { step } | Status::Diverged { step } => step,
            Status::Running => self.points.len() / 3 - 1,
        }
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
    let points = t
        .points
        .iter()
        .zip(&t.losses)
        .flat_map(|(p, loss)| [p[0], p[1], *loss])
        .collect();
    Ok(Trace {
        points,
        status: t.status,
    })
}
