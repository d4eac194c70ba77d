//! The slides' own panels on the page's handle: the activation g and g′ over a hidden
//! layer's pre-activations, softmax with its Jacobian for the inspected point, and
//! backprop played stage by stage on the network drawing.

use super::NetworkLab;
use crate::config::Error;
use crate::layout::Margins;
use crate::nn::pre_activation::{pre_activations, PreActivations};
use crate::nn::Activation;
use crate::render::activation::{activation_panel, PANEL_MARGINS};
use crate::render::backprop::{self, captions, draw_stage};
use crate::render::softmax::{softmax_panel, OutputLayer};
use crate::web::{canvas, to_js};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

impl NetworkLab {
    /// Hidden layer `layer`'s pre-activations on the first training inputs (None when
    /// the network has no hidden layer).
    fn hidden(&self, layer: usize) -> Result<Option<PreActivations>, Error> {
        let t = self.lab().trainer();
        if t.network.architecture.layers.len() < 2 {
            return Ok(None);
        }
        pre_activations(&t.network, &t.theta, &t.data.train.x, layer).map(Some)
    }
}

#[wasm_bindgen]
impl NetworkLab {
    /// The activation panel: g (blue) and g′ (green) of the hidden layers' activation,
    /// over a grey histogram of hidden layer `layer`'s pre-activations (1 for the first,
    /// up to L − 1) on the first 2,000 training points, counted on the right, and the
    /// share where g′ < 0.01 (ReLU: g′ = 0) written above. A network without a hidden layer
    /// shows the setup's activation alone, with a note. A layer that is not hidden is
    /// an error.
    pub fn draw_activation(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        layer: usize,
    ) -> Result<(), JsError> {
        let pre = self.hidden(layer)?;
        let activation = match &pre {
            Some(p) => p.activation,
            None => Activation::parse(&self.lab().setup().activation)?,
        };
        let layout = canvas::layout(canvas, pixel_ratio, PANEL_MARGINS);
        let area = canvas::area(canvas)?;
        activation_panel(&area, &layout, activation, pre.as_ref())?;
        Ok(())
    }

    /// What the activation panel counts, without the values: `{layer, name,
    /// activation, samples, units, saturated, note}`, `saturated` the share in [0, 1]
    /// and `note` the sentence drawn above the panel; undefined when the network has
    /// no hidden layer. A layer that is not hidden is an error.
    pub fn pre_activations(&self, layer: usize) -> Result<JsValue, JsError> {
        to_js(&self.hidden(layer)?)
    }

    /// The softmax panel for data point `index` (as `inspect` numbers it): the logits
    /// zᵒ, f(x) = softmax(zᵒ) with e(y) outlined, and the Jacobian ∂f/∂zᵒ as a matrix
    /// (a sigmoid output: sigm and σ′ = f(1 − f)); a note for outputs fitted to
    /// numbers.
    pub fn draw_softmax(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        index: usize,
    ) -> Result<(), JsError> {
        let inspection = self.lab().inspect(index)?.inspection;
        let label = self.lab().points().get(index).and_then(|p| p.class);
        let output = OutputLayer::of(&inspection, label)?;
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let area = canvas::area(canvas)?;
        softmax_panel(&area, &layout, &output)?;
        Ok(())
    }

    /// Backprop for data point `index`, stage by stage: each stage's one-line caption
    /// (`[caption]`, 2L + 2 of them for L layers): stage 0 the input, 1 … L forward,
    /// L + 1 the output error, L + 2 … 2L + 1 backward from the output layer down.
    pub fn pass_stages(&self, index: usize) -> Result<JsValue, JsError> {
        let inspection = self.lab().inspect(index)?.inspection;
        to_js(&captions(&inspection))
    }

    /// Stage `stage` of backprop for data point `index` on the network drawing (its
    /// caption under it); it replaces the units' maps while it plays. A point or a
    /// stage that does not exist is an error.
    pub fn draw_pass(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        index: usize,
        stage: usize,
    ) -> Result<(), JsError> {
        let inspection = self.lab().inspect(index)?.inspection;
        let shown = backprop::stage(&inspection, stage)?;
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let area = canvas::area(canvas)?;
        let architecture = &self.lab().trainer().network.architecture;
        draw_stage(&area, &layout, architecture, &shown)?;
        Ok(())
    }
}
