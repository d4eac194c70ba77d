//! The loss landscape on the page's handle: the training loss on a plane through the
//! current run's weights, filled in across frames as it trains; the line from θ₀
//! through θ; and which weight or bias of the network drawing is under the pointer, to
//! pick a direction by clicking it.

use super::NetworkLab;
use crate::lab::landscape::{Landscape, LandscapeSettings};
use crate::nn::landscape::Direction;
use crate::render::digits::note;
use crate::render::interpolation::{interpolation_chart, Line, INTERPOLATION_MARGINS};
use crate::render::landscape::{landscape_frame, landscape_overlay, Slice, LANDSCAPE_MARGINS};
use crate::render::network::Diagram;
use crate::render::style_of;
use crate::web::{canvas, to_js};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the page learns of a plane as it is set: the axes' names, and for a principal
/// direction the share of the path's variance along it.
#[derive(Serialize)]
struct Chosen {
    labels: [String; 2],
    explained: Option<[Option<f64>; 2]>,
}

/// Shown until two directions are chosen.
const PICK: &str =
    "pick directions: click two weights or biases in the network, or choose random or PCA";

#[wasm_bindgen]
impl NetworkLab {
    /// Opens the landscape view of the current run: g(a, b) = L_S(θ + a d₁ + b d₂) for
    /// a ∈ [−span_a, span_a], b ∈ [−span_b, span_b] on `side` × `side` points, d₁ and
    /// d₂ spelled `W<l>[<i>,<j>]`, `b<l>[<i>]`, `random:seed=S` or `pca:1`/`pca:2`.
    /// Returns `{labels: [a's axis name, b's], explained: [share | null, share | null] |
    /// null}` (null when neither direction is principal). A parameter that does not
    /// exist, a span ≤ 0, a side outside 16..=64, principal directions before two
    /// epochs: a clear error, and the view as it was. Switching runs: call it again.
    pub fn set_landscape(
        &mut self,
        d1: &str,
        d2: &str,
        span_a: f64,
        span_b: f64,
        side: usize,
    ) -> Result<JsValue, JsError> {
        let settings = LandscapeSettings {
            directions: [Direction::parse(d1)?, Direction::parse(d2)?],
            span: [span_a, span_b],
            side,
        };
        let view = Landscape::new(self.runs.current(), settings)?;
        let explained = view.plane().explained();
        let chosen = Chosen {
            labels: view.names(view.plane()),
            explained: explained.iter().any(Option::is_some).then_some(explained),
        };
        self.landscape = Some(view);
        to_js(&chosen)
    }

    /// Computes up to `evaluations` more points of the landscape (one forward pass over
    /// the training set each), starting a new fill at the run's weights now once the
    /// last is complete and training has moved them. True when the picture is complete
    /// and up to date, and when no view is open (there is nothing to compute).
    pub fn landscape_refine(&mut self, evaluations: usize) -> bool {
        let lab = self.runs.current();
        self.landscape
            .as_mut()
            .is_none_or(|view| view.refine(lab, evaluations))
    }

    /// `{complete, filled, cells, side, problem}`, or
    /// undefined when no view is open: `problem` (a string, else null) says why the view
    /// could not follow the run to its new weights while it shows the last plane it had.
    pub fn landscape_status(&self) -> Result<JsValue, JsError> {
        let lab = self.runs.current();
        to_js(&self.landscape.as_ref().map(|view| view.status(lab)))
    }

    /// The landscape: its heatmap and contours (log scale), axes named by the
    /// directions, θ at the centre in the optimizer's marker, and the epochs' path
    /// projected onto the plane. The last complete picture while a new one has not got
    /// its coarse pass; a note until two directions are chosen.
    pub fn draw_landscape(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, LANDSCAPE_MARGINS);
        let area = canvas::area(canvas)?;
        let Some(view) = &self.landscape else {
            note(&area, &layout, PICK)?;
            return Ok(());
        };
        let Some(picture) = view.picture() else {
            note(&area, &layout, "computing the landscape's first points…")?;
            return Ok(());
        };
        let field = &picture.field;
        let names = [picture.names[0].as_str(), picture.names[1].as_str()];
        landscape_frame(&area, &layout, &field.view, names)?;
        let [left, top, right, bottom] = layout.plot;
        let (width, height) = ((right - left) as usize, (bottom - top) as usize);
        let rgba = field.rgba_resampled(width, height);
        canvas::put_image(canvas, &rgba, width as u32, (left, top))?;
        let slice = Slice {
            field,
            names,
            epochs: picture.path,
            least_squares: picture.least_squares,
            style: style_of(&self.lab().setup().optimizer.id, 0),
        };
        landscape_overlay(&area, &layout, &slice)?;
        Ok(())
    }

    /// L_S and the accuracy along (1 − t)θ₀ + tθ for t from −0.5 to 1.5, at the
    /// landscape's θ; a note while no view is open.
    pub fn draw_interpolation(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, INTERPOLATION_MARGINS);
        let area = canvas::area(canvas)?;
        let Some(view) = &self.landscape else {
            note(
                &area,
                &layout,
                "the line from θ₀ through θ comes with the landscape",
            )?;
            return Ok(());
        };
        let line = view.interpolation();
        let t: Vec<f64> = line.iter().map(|p| p.t).collect();
        let loss: Vec<f64> = line.iter().map(|p| p.loss).collect();
        let accuracy: Vec<f64> = line.iter().filter_map(|p| p.accuracy).collect();
        let line = Line {
            t: &t,
            loss: &loss,
            accuracy: &accuracy,
            colour: style_of(&self.lab().setup().optimizer.id, 0).colour,
        };
        interpolation_chart(&area, &layout, &line)?;
        Ok(())
    }

    /// The weight (an edge) or bias (a unit) of the network drawing under device pixel
    /// (u, v) of its canvas, as `W0[1,2]` or `b1[0]`, or "" (an input, or nothing).
    pub fn parameter_at(&self, u: f64, v: f64) -> String {
        let layout = self.network_layout;
        let architecture = &self.lab().trainer().network.architecture;
        Diagram::new(architecture, &layout)
            .parameter_at(&layout, (u, v))
            .map_or_else(String::new, |d| d.to_string())
    }
}
