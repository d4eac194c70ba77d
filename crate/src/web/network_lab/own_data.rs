//! Data of one's own on the page's handle: points loaded from CSV text, one point
//! removed, every point cleared.

use super::NetworkLab;
use crate::web::to_js;
use nalgebra::DMatrix;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl NetworkLab {
    /// Points from CSV text in place of every run's data — `x1,x2,label` (classes 0 to 7) or
    /// `x,y` (a curve) a line, an optional header, an optional last column `set`
    /// (`train`/`validation`) as `data_csv` writes it — and the network starts again
    /// (a new init, the normalization refitted, the task from the data). Returns
    /// `[{run, field, message}]`: the settings that did not fit the data and went back
    /// to their default (an output to `auto`, a distortion to none), run by run, which
    /// `run_setups()` now shows. A malformed file is thrown as an error naming the line and what is wrong,
    /// and changes nothing.
    pub fn load_csv(&mut self, text: &str) -> Result<JsValue, JsError> {
        let repairs = self.runs.load_csv(text)?;
        // The map's cells pass through the new normalization; the digits' views have
        // nothing of the old data left to show.
        self.map_grid = DMatrix::zeros(0, 0);
        self.images.weights_changed();
        to_js(&repairs)
    }

    /// Removes data point `index` from every run (as `points`, `nearest_point` and `inspect` number
    /// them: the training points, then the validation points); training goes on from
    /// the same weights without it. Thrown for an index with no point, and for the
    /// digits.
    pub fn remove_point(&mut self, index: usize) -> Result<(), JsError> {
        Ok(self.runs.remove_point(index)?)
    }

    /// Removes every point of every run: training waits, with the same weights (`work` answers 0),
    /// until points are added by clicking; the map still draws. Thrown for the digits.
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        Ok(self.runs.clear_points()?)
    }
}
