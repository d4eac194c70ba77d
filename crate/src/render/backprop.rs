//! Backprop played on the network diagram for one inspected point, a stage at a time,
//! with the numbers of [`crate::nn::inspect`] and the lecture's formulas. For L layers:
//!
//! - stage 0: the input x;
//! - stages 1 … L, forward: layer l's units light up with hˡ = g(zˡ), zˡ = Wˡ hˡ⁻¹ + bˡ,
//!   the edges into them drawn by Wˡ, the layers above still empty;
//! - stage L + 1: the output error ∇zᴸ l at the outputs (f(x) − e(y) for softmax with the
//!   NLL, each loss's own for the others), the rest faded;
//! - stages L + 2 … 2L + 1, backward from layer L down to layer 1: layer l's edges
//!   coloured by the sign of ∇Wˡ l = ∇zˡ l (hˡ⁻¹)ᵀ and as wide as its size, its units
//!   showing ∇zˡ l = (Wˡ⁺¹)ᵀ ∇zˡ⁺¹ l ⊙ g′(zˡ), the units of hˡ⁻¹ (the other factor)
//!   lit too; the layers passed faded, those not reached yet dim.
//!
//! Each layer's gradient edges are scaled to its own largest |∇Wˡ l|, written above
//! them ("max …"): gradients often shrink by decades from the output down, and one
//! scale for all would leave the lower layers blank where the pattern of the outer
//! product ∇zˡ l (hˡ⁻¹)ᵀ is the point. Weights share one scale, as the diagram draws
//! them. A unit's colour is scaled to the largest |value| of its column.
//!
//! Each stage has a one-line caption, drawn under the diagram and given to the page as
//! text for its live region.

use super::network::{unit_rgba, Diagram, CLASS_COLOURS};
use super::{drawing, font, Layout, Margins};
use crate::config::Error;
use crate::nn::inspect::{Inspection, LayerTrace};
use crate::nn::network::Architecture;
use crate::text::significant;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What a column of units or a layer's edges show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Units: x, hˡ or f(x). Edges: the weights Wˡ.
    Value,
    /// Units: ∇zˡ l. Edges: ∇Wˡ l.
    Gradient,
}

/// A column of units at a stage: its values (one per unit of the layer), what they
/// are, the name the band above it shows, and whether this stage is about them (else
/// faded, without numbers).
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    pub name: String,
    pub quantity: Quantity,
    pub values: Vec<f64>,
    pub lit: bool,
}

/// A layer's edges at a stage: Wˡ or ∇Wˡ l row by row (shape [out, in]), drawn as wide
/// as |value| / `scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edges {
    pub quantity: Quantity,
    pub values: Vec<Vec<f64>>,
    pub scale: f64,
    pub lit: bool,
}

/// One stage: per column (x, then each layer's units) and per layer (the edges into
/// its units), what is shown; `None` is not reached yet, drawn empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub caption: String,
    pub units: Vec<Option<Units>>,
    pub edges: Vec<Option<Edges>>,
}

/// 2L + 2 stages for L layers.
pub fn stage_count(inspection: &Inspection) -> usize {
    2 * inspection.layers.len() + 2
}

/// Every stage's caption, in order.
pub fn captions(inspection: &Inspection) -> Vec<String> {
    (0..stage_count(inspection))
        .map(|s| caption(&inspection.layers, s))
        .collect()
}

/// What the output error ∇zᴸ l is for each output and its loss, as the inspector
/// writes it.
fn output_error(activation: &str) -> &'static str {
    match activation {
        "softmax" => "f(x) − e(y)",
        "sigmoid" => "f(x) − y",
        "identity" => "2 (f(x) − y)",
        "gaussian" => "((μ − y) e^−z₂, ½ (1 − (y − μ)² e^−z₂))",
        "mdn" => "(π − γ, γ (μ − y) / σ², ½ γ (1 − (y − μ)² / σ²))",
        _ => "∂l/∂z",
    }
}

/// Stage `s`'s caption (see the module's documentation), `s` < 2L + 2.
fn caption(layers: &[LayerTrace], s: usize) -> String {
    let count = layers.len();
    let nabla = |of: &str| format!("∇{of} l");
    if s == 0 {
        "x: the input, as the network receives it".to_string()
    } else if s <= count {
        let layer = &layers[s - 1];
        let n = &layer.names;
        format!(
            "{} = {} {} + {},  {} = {}({})",
            n.z, n.w, n.input, n.b, n.h, layer.activation, n.z
        )
    } else if s == count + 1 {
        let output = &layers[count - 1];
        format!(
            "{} = {}",
            nabla(&output.names.z),
            output_error(output.activation)
        )
    } else {
        let l = 2 * count + 1 - s;
        let n = &layers[l].names;
        let weights = format!("{} = {} {}ᵀ", nabla(&n.w), nabla(&n.z), n.input);
        match layers.get(l + 1) {
            None => weights,
            Some(above) => format!(
                "{} = {}ᵀ {} ⊙ g′({}),  {weights}",
                nabla(&n.z),
                above.names.w,
                nabla(&above.names.z),
                n.z
            ),
        }
    }
}

/// Stage `s` for the inspected point: the values are the inspection's own.
pub fn stage(inspection: &Inspection, s: usize) -> Result<Stage, Error> {
    let total = stage_count(inspection);
    if s >= total {
        return Err(Error::new(format!(
            "there is no stage {s}: backprop on this network has stages 0 to {}",
            total - 1
        )));
    }
    let layers = &inspection.layers;
    let count = layers.len();
    // Column c's values: x, then each layer's h (f(x) last).
    let value = |c: usize, lit: bool| Units {
        name: if c == 0 {
            crate::nn::notation::INPUT.to_string()
        } else {
            layers[c - 1].names.h.clone()
        },
        quantity: Quantity::Value,
        values: if c == 0 {
            inspection.x.clone()
        } else {
            layers[c - 1].post.clone()
        },
        lit,
    };
    let gradient = |c: usize, lit: bool| Units {
        name: format!("∇{} l", layers[c - 1].names.z),
        quantity: Quantity::Gradient,
        values: layers[c - 1].grad_pre.clone(),
        lit,
    };
    let largest = |rows: &[Vec<f64>]| rows.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
    let all_weights = layers
        .iter()
        .map(|t| largest(&t.weights))
        .fold(0.0, f64::max);
    let weights = |l: usize, lit: bool| Edges {
        quantity: Quantity::Value,
        values: layers[l].weights.clone(),
        scale: all_weights,
        lit,
    };
    let gradients = |l: usize, lit: bool| Edges {
        quantity: Quantity::Gradient,
        values: layers[l].grad_weights.clone(),
        scale: largest(&layers[l].grad_weights),
        lit,
    };
    let (units, edges) = if s <= count {
        (
            (0..=count)
                .map(|c| (c <= s).then(|| value(c, true)))
                .collect(),
            (0..count)
                .map(|l| (l < s).then(|| weights(l, true)))
                .collect(),
        )
    } else if s == count + 1 {
        (
            (0..=count)
                .map(|c| {
                    Some(if c == count {
                        gradient(c, true)
                    } else {
                        value(c, false)
                    })
                })
                .collect(),
            (0..count).map(|l| Some(weights(l, false))).collect(),
        )
    } else {
        // Backward through layer `at`: edges `at`, units `at + 1` (∇z) and `at` (h).
        let at = 2 * count + 1 - s;
        (
            (0..=count)
                .map(|c| {
                    Some(match c {
                        c if c > at + 1 => gradient(c, false),
                        c if c == at + 1 => gradient(c, true),
                        c => value(c, c == at),
                    })
                })
                .collect(),
            (0..count)
                .map(|l| {
                    Some(match l {
                        l if l > at => gradients(l, false),
                        l if l == at => gradients(l, true),
                        l => weights(l, false),
                    })
                })
                .collect(),
        )
    };
    Ok(Stage {
        caption: caption(layers, s),
        units,
        edges,
    })
}

/// The caption band's height under the diagram, and its largest type, in CSS pixels.
const CAPTION_BAND: f64 = 26.0;
const CAPTION_SIZE: f64 = 14.0;

/// A number's type in a unit, in CSS pixels at most.
const NUMBER_SIZE: f64 = 11.0;

/// The width of a character of DejaVu Sans's digits (0.64 em), a little over most of
/// its other glyphs: what a text is assumed to need, so that it fits for sure.
const EM_PER_CHARACTER: f64 = 0.64;

/// The columns' names and the gradients' scales, in CSS pixels.
const NAME_SIZE: f64 = 13.0;
const SCALE_SIZE: f64 = 10.0;

/// The width `text` is given at `css_size`, in device pixels.
fn text_width(layout: &Layout, text: &str, css_size: f64) -> f64 {
    text.chars().count() as f64 * EM_PER_CHARACTER * layout.px(css_size)
}

/// How strongly a faded value or edge shows, of its full colour.
const FADED: f64 = 0.3;

/// Draws `stage` on the diagram of `architecture`, the caption below it. The units are
/// discs coloured by value (blue positive, orange negative, white 0, as the edges),
/// with the number in them where it fits; wide layers show their first units, as the
/// diagram does.
pub fn draw_stage<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    architecture: &Architecture,
    stage: &Stage,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let band = layout.px(CAPTION_BAND).min(f64::from(layout.height) / 4.0);
    let above = Layout::new(
        layout.width,
        (f64::from(layout.height) - band).max(1.0) as u32,
        layout.pixel_ratio,
        Margins::SURFACE,
    );
    let diagram = Diagram::new(architecture, &above);
    for (l, edges) in stage.edges.iter().enumerate() {
        draw_edges(area, layout, &diagram, l, edges.as_ref())?;
    }
    for (c, units) in stage.units.iter().enumerate() {
        draw_units(area, layout, &diagram, c, units.as_ref())?;
    }
    let name = |c: usize| {
        stage.units[c]
            .as_ref()
            .map_or(diagram.names[c].as_str(), |u| u.name.as_str())
    };
    for (l, edges) in stage.edges.iter().enumerate() {
        if let Some(e) = edges.as_ref().filter(|e| e.quantity == Quantity::Gradient) {
            // Between the two columns' names, where it fits.
            let label = format!("max {}", significant(e.scale));
            let (x0, _) = diagram.centre(l, 0);
            let (x1, _) = diagram.centre(l + 1, 0);
            let names = 0.5
                * (text_width(layout, name(l), NAME_SIZE)
                    + text_width(layout, name(l + 1), NAME_SIZE));
            if text_width(layout, &label, SCALE_SIZE) + layout.px(8.0) <= x1 - x0 - names {
                let ink = BLACK.mix(if e.lit { 0.8 } else { 0.35 });
                let style = font(layout, SCALE_SIZE)
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let at = (((x0 + x1) / 2.0) as i32, (diagram.band / 2.0) as i32);
                area.draw_text(&label, &style, at).map_err(drawing)?;
            }
        }
    }
    // The caption, as large as fits the width.
    let width = f64::from(layout.width) - layout.px(8.0);
    let fitting = width / (EM_PER_CHARACTER * stage.caption.chars().count().max(1) as f64);
    let size = layout.px(CAPTION_SIZE).min(fitting).min(0.8 * band);
    let style = font(layout, size / layout.pixel_ratio).pos(Pos::new(HPos::Center, VPos::Center));
    let at = (
        (f64::from(layout.width) / 2.0) as i32,
        (f64::from(layout.height) - band / 2.0) as i32,
    );
    area.draw_text(&stage.caption, &style, at).map_err(drawing)
}

/// A colour for `v` on the diverging scale ±`scale`, at `strength` of its full colour.
fn diverging(v: f64, scale: f64, strength: f64) -> RGBColor {
    let t = if scale > 0.0 && v.is_finite() {
        (v / scale).clamp(-1.0, 1.0) * strength
    } else {
        0.0
    };
    let rgba = unit_rgba(&[t], -1.0, 1.0);
    RGBColor(rgba[0], rgba[1], rgba[2])
}

/// Layer `l`'s edges (column l to column l + 1): by value, or grey when not reached.
fn draw_edges<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    diagram: &Diagram,
    l: usize,
    edges: Option<&Edges>,
) -> Result<(), Error> {
    for i in 0..diagram.columns[l + 1] {
        for j in 0..diagram.columns[l] {
            let (x0, y0) = diagram.centre(l, j);
            let (x1, y1) = diagram.centre(l + 1, i);
            let line = vec![(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)];
            let style = match edges {
                None => BLACK.mix(0.08).stroke_width(1),
                Some(e) => {
                    let value = e.values[i][j];
                    let colour = if value >= 0.0 {
                        CLASS_COLOURS[0]
                    } else {
                        CLASS_COLOURS[1]
                    };
                    let strength = if e.scale > 0.0 && value.is_finite() {
                        (value.abs() / e.scale).min(1.0).sqrt()
                    } else {
                        0.0
                    };
                    let opacity = (0.25 + 0.75 * strength) * if e.lit { 1.0 } else { FADED };
                    let width = (layout.px(0.5) + layout.px(4.0) * strength)
                        .round()
                        .max(1.0) as u32;
                    colour.mix(opacity).stroke_width(width)
                }
            };
            area.draw(&PathElement::new(line, style)).map_err(drawing)?;
        }
    }
    Ok(())
}

/// Column `c`'s units as discs, and its name in the band above.
fn draw_units<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    diagram: &Diagram,
    c: usize,
    units: Option<&Units>,
) -> Result<(), Error> {
    let radius = (diagram.unit / 2.0).max(1.0);
    let outline = layout.px(1.0).round().max(1.0) as u32;
    let scale = units.map_or(0.0, |u| {
        u.values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |m, v| m.max(v.abs()))
    });
    let size = layout.px(NUMBER_SIZE).min(0.4 * diagram.unit);
    for j in 0..diagram.columns[c] {
        let (x, y) = diagram.centre(c, j);
        let centre = (x as i32, y as i32);
        let Some(units) = units else {
            area.draw(&Circle::new(centre, radius as i32, WHITE.filled()))
                .map_err(drawing)?;
            area.draw(&Circle::new(
                centre,
                radius as i32,
                BLACK.mix(0.2).stroke_width(outline),
            ))
            .map_err(drawing)?;
            continue;
        };
        let value = units.values[j];
        let strength = if units.lit { 1.0 } else { FADED };
        area.draw(&Circle::new(
            centre,
            radius as i32,
            diverging(value, scale, strength).filled(),
        ))
        .map_err(drawing)?;
        let edge = BLACK.mix(if units.lit { 0.7 } else { 0.25 });
        area.draw(&Circle::new(
            centre,
            radius as i32,
            edge.stroke_width(outline),
        ))
        .map_err(drawing)?;
        // The number, smaller if need be to fit across the disc, and not below 7 px.
        let number = significant(value);
        let size = size.min(1.8 * radius / (EM_PER_CHARACTER * number.chars().count() as f64));
        if units.lit && size >= layout.px(7.0) {
            let dark = scale > 0.0 && (value / scale).abs() > 0.6;
            let ink = if dark { WHITE } else { BLACK };
            let style = font(layout, size / layout.pixel_ratio)
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            area.draw_text(&number, &style, centre).map_err(drawing)?;
        }
    }
    let (name, ink) = match units {
        Some(u) => (u.name.as_str(), BLACK.mix(if u.lit { 0.9 } else { 0.45 })),
        None => (diagram.names[c].as_str(), BLACK.mix(0.3)),
    };
    let style = font(layout, NAME_SIZE)
        .color(&ink)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (x, _) = diagram.centre(c, 0);
    area.draw_text(name, &style, (x as i32, (diagram.band / 2.0) as i32))
        .map_err(drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::inspect::inspect;
    use crate::nn::network::{Network, Targets, Task};
    use crate::nn::Activation;
    use crate::render::svg_texts as texts;

    /// A 2 → `hidden` → `task` network with fixed, varied weights, inspected on one point.
    fn inspection(hidden: &[usize], task: Task, target: Targets) -> (Architecture, Inspection) {
        let architecture = Architecture::mlp(2, hidden, Activation::Tanh, task).unwrap();
        let theta: Vec<f64> = (0..architecture.parameter_count())
            .map(|i| libm::sin(2.3 * i as f64 + 0.4))
            .collect();
        let network = Network {
            architecture: architecture.clone(),
            l2: 0.0,
        };
        let inspection = inspect(&network, &theta, &[0.4, -0.7], &target, 0.1);
        (architecture, inspection)
    }

    fn classes() -> (Architecture, Inspection) {
        inspection(&[3, 4], Task::Classes(3), Targets::Classes(vec![1]))
    }

    #[test]
    fn each_stage_shows_the_inspection_s_own_numbers() {
        let (_, i) = classes();
        let layers = &i.layers;
        let count = layers.len();
        assert_eq!(stage_count(&i), 2 * count + 2);
        let values = |c: usize| {
            if c == 0 {
                i.x.clone()
            } else {
                layers[c - 1].post.clone()
            }
        };
        let shown = |u: &Option<Units>| u.as_ref().map(|u| (u.quantity, u.values.clone(), u.lit));
        let drawn = |e: &Option<Edges>| e.as_ref().map(|e| (e.quantity, e.values.clone(), e.lit));
        use Quantity::{Gradient, Value};
        for s in 0..stage_count(&i) {
            let stage = stage(&i, s).unwrap();
            assert_eq!(stage.units.len(), count + 1);
            assert_eq!(stage.edges.len(), count);
            for c in 0..=count {
                let want = if s <= count {
                    (c <= s).then(|| (Value, values(c), true))
                } else if s == count + 1 {
                    Some(match c == count {
                        true => (Gradient, layers[c - 1].grad_pre.clone(), true),
                        false => (Value, values(c), false),
                    })
                } else {
                    let at = 2 * count + 1 - s;
                    Some(match c {
                        c if c > at => (Gradient, layers[c - 1].grad_pre.clone(), c == at + 1),
                        c => (Value, values(c), c == at),
                    })
                };
                assert_eq!(shown(&stage.units[c]), want, "stage {s}, column {c}");
            }
            for l in 0..count {
                let want = if s <= count {
                    (l < s).then(|| (Value, layers[l].weights.clone(), true))
                } else if s == count + 1 {
                    Some((Value, layers[l].weights.clone(), false))
                } else {
                    let at = 2 * count + 1 - s;
                    Some(match l {
                        l if l >= at => (Gradient, layers[l].grad_weights.clone(), l == at),
                        l => (Value, layers[l].weights.clone(), false),
                    })
                };
                assert_eq!(drawn(&stage.edges[l]), want, "stage {s}, layer {l}");
            }
        }
    }

    #[test]
    fn a_backward_stage_draws_the_outer_product_of_its_lit_units() {
        // ∇Wˡ l = ∇zˡ l (hˡ⁻¹)ᵀ: the lit edges are the product of the two lit columns.
        let (_, i) = classes();
        let count = i.layers.len();
        for s in count + 2..stage_count(&i) {
            let stage = stage(&i, s).unwrap();
            let at = 2 * count + 1 - s;
            let lit: Vec<&Units> = stage.units.iter().flatten().filter(|u| u.lit).collect();
            assert_eq!(lit.len(), 2);
            let (input, gradient) = (&lit[0].values, &lit[1].values);
            let edges = stage.edges[at].as_ref().unwrap();
            for (row, g) in edges.values.iter().zip(gradient) {
                for (w, h) in row.iter().zip(input) {
                    assert!((w - g * h).abs() <= 1e-15 * (1.0 + w.abs()), "stage {s}");
                }
            }
            let largest = edges
                .values
                .iter()
                .flatten()
                .fold(0.0_f64, |m, v| m.max(v.abs()));
            assert_eq!(edges.scale, largest);
        }
    }

    #[test]
    fn the_captions_read_as_the_lecture_writes_backprop() {
        let (_, i) = inspection(&[3], Task::Classes(3), Targets::Classes(vec![2]));
        assert_eq!(
            captions(&i),
            [
                "x: the input, as the network receives it",
                "zʰ = Wʰ x + bʰ,  h = tanh(zʰ)",
                "zᵒ = Wᵒ h + bᵒ,  f(x) = softmax(zᵒ)",
                "∇zᵒ l = f(x) − e(y)",
                "∇Wᵒ l = ∇zᵒ l hᵀ",
                "∇zʰ l = Wᵒᵀ ∇zᵒ l ⊙ g′(zʰ),  ∇Wʰ l = ∇zʰ l xᵀ",
            ]
        );
        let (_, deep) = classes();
        let captions = captions(&deep);
        assert_eq!(captions[4], "∇zᵒ l = f(x) − e(y)");
        assert_eq!(
            captions[6],
            "∇z⁽²⁾ l = Wᵒᵀ ∇zᵒ l ⊙ g′(z⁽²⁾),  ∇W⁽²⁾ l = ∇z⁽²⁾ l h⁽¹⁾ᵀ"
        );
        let (_, linear) = inspection(&[], Task::Binary, Targets::Binary(vec![1.0]));
        assert_eq!(
            super::captions(&linear),
            [
                "x: the input, as the network receives it",
                "z = W x + b,  f(x) = sigmoid(z)",
                "∇z l = f(x) − y",
                "∇W l = ∇z l xᵀ",
            ]
        );
    }

    #[test]
    fn every_stage_draws_its_caption_and_its_lit_numbers() {
        let (architecture, i) = classes();
        let layout = Layout::new(900, 500, 1.0, Margins::SURFACE);
        for s in 0..stage_count(&i) {
            let stage = stage(&i, s).unwrap();
            let svg = super::super::svg((900, 500), |area| {
                draw_stage(area, &layout, &architecture, &stage)
            });
            let texts = texts(&svg);
            assert!(texts.contains(&stage.caption), "stage {s}: {texts:?}");
            for units in stage.units.iter().flatten() {
                assert!(texts.contains(&units.name), "stage {s}: {texts:?}");
                for &v in &units.values {
                    let shown = texts.contains(&significant(v));
                    // Lit units carry their number; faded ones none (unless another
                    // unit's number happens to read the same).
                    if units.lit {
                        assert!(shown, "stage {s}: {v} not in {texts:?}");
                    }
                }
            }
            let circles = svg.matches("<circle").count();
            assert!(
                circles >= 2 * (2 + 3 + 4 + 3),
                "stage {s}: {circles} circles"
            );
        }
        // A backward stage writes each gradient layer's scale.
        let last = stage(&i, stage_count(&i) - 1).unwrap();
        let svg = super::super::svg((900, 500), |area| {
            draw_stage(area, &layout, &architecture, &last)
        });
        let scales = texts(&svg)
            .into_iter()
            .filter(|t| t.starts_with("max "))
            .count();
        assert_eq!(scales, 3);
    }

    #[test]
    fn a_large_network_draws_its_first_units_and_a_bad_stage_is_an_error() {
        let (architecture, i) = inspection(&[64, 64], Task::Classes(3), Targets::Classes(vec![0]));
        let layout = Layout::new(300, 200, 2.0, Margins::SURFACE);
        for s in [0, 3, 5, 7] {
            let stage = stage(&i, s).unwrap();
            let svg = super::super::svg((300, 200), |area| {
                draw_stage(area, &layout, &architecture, &stage)
            });
            // x's 2 units, the first 12 of each hidden layer, the 3 outputs: a fill
            // and an outline each.
            let drawn = 2 + 12 + 12 + 3;
            assert_eq!(svg.matches("<circle").count(), 2 * drawn, "stage {s}");
            assert!(texts(&svg).contains(&stage.caption));
        }
        let error = stage(&i, 8).unwrap_err();
        assert_eq!(
            error.to_string(),
            "there is no stage 8: backprop on this network has stages 0 to 7"
        );
        assert!(stage(&i, usize::MAX).is_err());
    }
}
