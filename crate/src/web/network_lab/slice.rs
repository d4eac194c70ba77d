//! The current run's loss landscape as a surface of the optimizer lab: the spec a link
//! to it carries (see `lab::slice`).

use super::NetworkLab;
use crate::lab::slice::SliceDefinition;
use crate::nn::landscape::Direction;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl NetworkLab {
    /// The optimizer lab's surface spec `slice:{…}` for the current run as it is now:
    /// its setup (and the first run's, whose data it trains on), the updates it made,
    /// the plane of `d1` and `d2` (`W<l>[i,j]`, `b<l>[i]`, `random:seed=S`, `pca:1`,
    /// `pca:2`) and the view a ∈ [−`span_a`, `span_a`], b ∈ [−`span_b`, `span_b`]; the
    /// data as points when they are one's own. The core trains the run again from it
    /// and compares before it answers, so the optimizer lab, which does the same, shows
    /// these very weights. Thrown, with the reason: weights that training does not
    /// reproduce (a model loaded from a file, points added or removed while it trained),
    /// more points than a link carries, a direction that does not exist or spans no
    /// plane with the other, a span out of (0, 1000], training too long to repeat.
    pub fn slice_surface(
        &self,
        d1: &str,
        d2: &str,
        span_a: f64,
        span_b: f64,
    ) -> Result<String, JsError> {
        let directions = (Direction::parse(d1)?, Direction::parse(d2)?);
        let current = self.runs.current_index();
        let definition =
            SliceDefinition::of_run(&self.runs, current, directions, [span_a, span_b])?;
        Ok(definition.spec())
    }
}
