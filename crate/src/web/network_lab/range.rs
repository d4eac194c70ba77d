//! The learning-rate range test on the page's handle (see `nn::lr_range`): started,
//! filled in a few rates a call across frames, read, drawn, and kept when the page
//! opens the lab anew with another η.

use super::NetworkLab;
use crate::layout::Margins;
use crate::nn::lr_range::RangeSettings;
use crate::render::lr_range::{lr_range_chart, RangeChart};
use crate::render::{digits::note, style_of};
use crate::web::{canvas, to_js};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
impl NetworkLab {
    /// Starts a learning-rate range test, replacing the one before: `points` (2 to 200)
    /// rates spaced geometrically from `from` to `to` (0 < from < to ≤ 100), both
    /// included, each a run of `updates` (1 to 10,000) updates from the setup's initial
    /// θ on the lab's data as it is now, with a constant η and no early stopping. Bad
    /// settings, or no training point, are thrown as errors saying so.
    pub fn start_lr_range(
        &mut self,
        from: f64,
        to: f64,
        points: u32,
        updates: usize,
    ) -> Result<(), JsError> {
        let settings = RangeSettings::new(from, to, points, updates)?;
        Ok(self.lab_mut().start_lr_range(settings)?)
    }

    /// Computes up to `count` more rates of the range test, each a whole run; true once
    /// every rate is computed. Thrown when no test was started.
    pub fn lr_range_step(&mut self, count: usize) -> Result<bool, JsError> {
        Ok(self.lab_mut().lr_range_step(count)?)
    }

    /// The range test as far as it got, `{from, to, points, updates, computed: [{lr,
    /// loss, diverged}], done, best}`: `computed` holds the rates done so far, in order
    /// from `from`, each with its loss after `updates` updates (the full training loss,
    /// with the L2 term), or `loss: null, diverged: true`; `best` is the computed rate of
    /// the lowest loss in the same form, or null. Null when no test was started.
    pub fn lr_range(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab().lr_range().map(|test| test.report()))
    }

    /// Takes `other`'s range test (finished or not) when it tested what this lab's
    /// would — the same network, initial θ, data, optimizer but for its η, minibatches
    /// and seed: call it on a lab opened anew after a change of η, schedule or early
    /// stopping, before freeing the old one. Whether it took it.
    pub fn keep_lr_range(&mut self, other: &NetworkLab) -> bool {
        self.runs.current_mut().keep_lr_range(other.lab())
    }

    /// The range test's chart: loss against η (log axis), diverged rates as × on the
    /// top edge, the lowest loss marked, the lecture's 0.1 and 1 as guides, the η the
    /// network trains with as a line; the rates not computed yet absent. Without a test,
    /// a note.
    pub fn draw_lr_range(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let area = canvas::area(canvas)?;
        let Some(test) = self.lab().lr_range() else {
            note(&area, &layout, "no range test yet")?;
            return Ok(());
        };
        let settings = test.settings();
        let curve = test.curve();
        let chart = RangeChart {
            curve: &curve,
            span: (settings.from, settings.to),
            updates: settings.updates,
            current: Some(self.lab().trainer().learning_rate()),
            colour: style_of(&self.lab().setup().optimizer.id, 0).colour,
        };
        lr_range_chart(&area, &layout, &chart)?;
        Ok(())
    }
}
