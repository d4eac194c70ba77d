//! Inside training on the page's handle: each layer's ‖∇Wˡ‖ / ‖Wˡ‖ and its saturated or
//! dead units per epoch ([`crate::nn::diagnostics`]), as data and as a chart.

use super::NetworkLab;
use crate::layout::Margins;
use crate::nn::diagnostics::{layer_keys, LayerHistory};
use crate::render::diagnostics::inside_chart;
use crate::web::canvas;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
impl NetworkLab {
    /// `{layers: [{weights, activation, units}], epochs: [{epoch, layers: [{gradient_norm,
    /// weight_norm, ratio, saturated, dead}]}]}`: each layer's name (`W⁽¹⁾` … `Wᵒ`), its
    /// activation and the share its records carry (`saturated`, `dead` or null); then
    /// epoch 0 (the initial weights) and every finished epoch, per layer from the first
    /// hidden one to the output. Values not defined are null, never NaN.
    pub fn layer_history(&self) -> Result<JsValue, JsError> {
        let t = self.lab().trainer();
        to_js_null(&LayerHistory {
            layers: layer_keys(&t.network.architecture),
            epochs: &t.layer_history,
        })
    }

    /// The loss that early stopping and reduce-on-plateau watch, `{loss, by,
    /// validation}`, or null when neither is on.
    pub fn watched(&self) -> Result<JsValue, JsError> {
        to_js_null(&self.lab().trainer().watched())
    }

    /// Per epoch, each layer's ‖∇Wˡ‖ / ‖Wˡ‖ (log scale) above and each hidden layer's
    /// saturated or dead units (%) below.
    pub fn draw_inside(&self, canvas: &HtmlCanvasElement, pixel_ratio: f64) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let area = canvas::area(canvas)?;
        let t = self.lab().trainer();
        inside_chart(&area, &layout, &t.network.architecture, &t.layer_history)?;
        Ok(())
    }
}

/// `value` as a plain JS object with `None` as `null`, not `undefined`: the page can tell
/// a value not defined from a field missing.
fn to_js_null<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    Ok(value.serialize(&serializer)?)
}
