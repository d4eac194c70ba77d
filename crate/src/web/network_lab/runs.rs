//! Runs side by side on the page's handle: opening several, the list of runs with their
//! labels, colours and statuses, pausing, removing, choosing the current one, and the
//! chart of η per epoch.

use super::NetworkLab;
use crate::lab::runs::{Runs, MOST_RUNS};
use crate::layout::Margins;
use crate::nn::setup::Setup;
use crate::render::runs::{learning_rates, RunCurves, RUN_COLOURS};
use crate::web::{canvas, from_js, hex, to_js};
use nalgebra::DMatrix;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The runs' colours as CSS hex strings, run 0 first, as the curves draw them.
#[wasm_bindgen]
pub fn run_colours() -> Vec<String> {
    hex(&RUN_COLOURS)
}

/// One run as the page lists it.
#[derive(Serialize)]
struct RunEntry {
    label: String,
    colour: String,
    paused: bool,
    current: bool,
    status: crate::lab::network::Status,
}

impl NetworkLab {
    /// `draw` given every run's curves: its history, label, colour, η now and watched
    /// loss.
    pub(super) fn with_run_curves<R>(&self, draw: impl FnOnce(&[RunCurves]) -> R) -> R {
        let labels = self.runs.labels();
        let curves: Vec<RunCurves> = self
            .runs
            .labs()
            .zip(&labels)
            .enumerate()
            .map(|(i, (lab, label))| RunCurves {
                history: &lab.trainer().history,
                label,
                colour: RUN_COLOURS[i % MOST_RUNS],
                learning_rate: lab.trainer().learning_rate(),
                watched: lab.trainer().watched(),
            })
            .collect();
        draw(&curves)
    }

    /// The current run changed: the views' kept state was the other run's.
    fn current_changed(&mut self) {
        self.map_grid = DMatrix::zeros(0, 0);
        self.images.weights_changed();
    }
}

#[wasm_bindgen]
impl NetworkLab {
    /// Runs side by side from an array of 1 to 6 setup objects (each as `open` takes
    /// it), run `current` (from 0) current. The runs train on the first run's data and
    /// split: the other runs' dataset, distort, normalize and validation are the first's.
    /// What each run could not use is listed by `run_problems()`; an empty or too long
    /// array, or a `current` out of range, is an error.
    pub fn open_runs(setups: JsValue, current: usize) -> Result<NetworkLab, JsError> {
        let setups: Vec<Setup> = from_js(setups, "an array of setups")?;
        NetworkLab::of_runs(Runs::open(&setups, current)?)
    }

    /// `[{label, colour, paused, current, status}]`, run by run: `label` the run's
    /// difference from the first (the first's own optimizer and η), `colour` its
    /// `#rrggbb` on the curves, `status` as `status()` gives it.
    pub fn runs(&self) -> Result<JsValue, JsError> {
        let labels = self.runs.labels();
        let entries: Vec<RunEntry> = self
            .runs
            .labs()
            .zip(labels)
            .enumerate()
            .map(|(i, (lab, label))| RunEntry {
                label,
                colour: hex(&[RUN_COLOURS[i % MOST_RUNS]]).concat(),
                paused: self.runs.paused(i).unwrap_or(false),
                current: i == self.runs.current_index(),
                status: lab.status(),
            })
            .collect();
        to_js(&entries)
    }

    /// `[setup]`: each run's setup as it runs, as `setup()` gives the current one's: what
    /// a link holds, and what `open_runs` takes back.
    pub fn run_setups(&self) -> Result<JsValue, JsError> {
        let setups: Vec<&Setup> = self.runs.labs().map(|lab| lab.setup()).collect();
        to_js(&setups)
    }

    /// `[{run, field, message}]`: what `open_runs` could not use of each run's setup
    /// (`problems()` lists the current run's).
    pub fn run_problems(&self) -> Result<JsValue, JsError> {
        to_js(&self.runs.problems())
    }

    /// Removes run `index` (never the last one); the current run stays current, or if
    /// it was removed, the one before it.
    pub fn remove_run(&mut self, index: usize) -> Result<(), JsError> {
        let current = self.runs.current_index();
        self.runs.remove(index)?;
        if index == current {
            self.current_changed();
        }
        Ok(())
    }

    /// Pauses run `index`, or lets it train again.
    pub fn set_paused(&mut self, index: usize, paused: bool) -> Result<(), JsError> {
        Ok(self.runs.set_paused(index, paused)?)
    }

    /// Makes run `index` the current one: the map, the network, the inspector and the
    /// digits show it.
    pub fn set_current(&mut self, index: usize) -> Result<(), JsError> {
        self.runs.set_current(index)?;
        self.current_changed();
        Ok(())
    }

    /// η per epoch of every run, in its colour, on a log scale: a small chart for under
    /// the curves.
    pub fn draw_learning_rates(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let area = canvas::area(canvas)?;
        self.with_run_curves(|runs| learning_rates(&area, &layout, runs))?;
        Ok(())
    }
}
