//! `OptimizerLab`: the optimizer page's state — a surface, a view, a start point and a
//! list of optimizers with their computed paths — and its drawing.

use super::canvas;
use super::{flatten, status_name, status_step, SpecObject};
use crate::config::{Error, Spec};
use crate::field::Field;
use crate::optim;
use crate::render::{self, Highlight, Layout, Margins, PathStyle, Series, PALETTE};
use crate::run::{self, Status, Trajectory};
use crate::surface::{self, CriticalPoint, Point, Surface, ViewBox};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The most steps the page runs (its slider goes to 5000).
const MAX_STEPS: usize = 100_000;

/// Contour lines are traced on a grid of at most this many cells a side: finer than the
/// eye can tell once smoothed, and cheap to recompute.
const CONTOUR_GRID: usize = 200;

/// Contour levels drawn over the heatmap.
const CONTOUR_LEVELS: usize = 15;

/// One optimizer of the page: its spec, whether it is shown, and its run (or why its
/// spec was rejected).
struct Slot {
    spec: Spec,
    enabled: bool,
    run: Result<Trajectory, Error>,
}

#[derive(Serialize)]
struct SlotStatus {
    /// `running`, `converged`, `diverged` or `error`.
    kind: &'static str,
    step: usize,
    iterates: usize,
    error: Option<String>,
}

/// The surface's own view, start and critical points, for the page's controls.
#[derive(Serialize)]
struct SurfaceInfo {
    view: ViewBox,
    start: Point,
    critical_points: Vec<CriticalPoint>,
}

#[wasm_bindgen]
pub struct OptimizerLab {
    surface: Box<dyn Surface>,
    view: ViewBox,
    start: Point,
    steps: usize,
    noise: (f64, u64),
    slots: Vec<Slot>,
    /// Where the last background was drawn: pointer events map through it.
    surface_layout: Layout,
    chart_layout: Layout,
}

impl Default for OptimizerLab {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl OptimizerLab {
    /// Banana, its default view and start, 200 steps, no optimizers yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> OptimizerLab {
        let surface: Box<dyn Surface> = Box::new(surface::Banana);
        OptimizerLab {
            view: surface.view(),
            start: surface.start(),
            surface,
            steps: 200,
            noise: (0.0, 0),
            slots: Vec::new(),
            surface_layout: Layout::new(1, 1, 1.0, Margins::SURFACE),
            chart_layout: Layout::new(1, 1, 1.0, Margins::CHART),
        }
    }

    /// Switches surface (`{id, params}`), resets the view and start to its own, recomputes
    /// every path, and returns `{view, start, critical_points}`.
    pub fn set_surface(&mut self, spec: JsValue) -> Result<JsValue, JsError> {
        let surface = surface::from_spec(&SpecObject::from_js(spec)?)?;
        self.view = surface.view();
        self.start = surface.start();
        self.surface = surface;
        self.recompute_all();
        Ok(serde_wasm_bindgen::to_value(&SurfaceInfo {
            view: self.view,
            start: self.start,
            critical_points: self.surface.critical_points(),
        })?)
    }

    pub fn set_view(
        &mut self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
    ) -> Result<(), JsError> {
        self.view = ViewBox::new(x_min, x_max, y_min, y_max).validated()?;
        Ok(())
    }

    /// Moves the start point and recomputes every path.
    pub fn set_start(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        if !(x.is_finite() && y.is_finite() && self.surface.value([x, y]).is_finite()) {
            return Err(Error::new(format!("start ({x}, {y}) must be a finite point")).into());
        }
        self.start = [x, y];
        self.recompute_all();
        Ok(())
    }

    pub fn set_steps(&mut self, steps: usize) -> Result<(), JsError> {
        if steps == 0 || steps > MAX_STEPS {
            return Err(Error::new(format!("steps = {steps} must be in 1 ..= {MAX_STEPS}")).into());
        }
        self.steps = steps;
        self.recompute_all();
        Ok(())
    }

    /// Gaussian noise of standard deviation `sigma` on every gradient, from `seed`.
    pub fn set_noise(&mut self, sigma: f64, seed: u64) -> Result<(), JsError> {
        if !(sigma.is_finite() && sigma >= 0.0) {
            return Err(Error::new(format!("noise σ = {sigma} must be finite and ≥ 0")).into());
        }
        self.noise = (sigma, seed);
        self.recompute_all();
        Ok(())
    }

    /// Replaces the optimizers with `[{id, params, enabled}]` and recomputes them; a bad
    /// spec does not stop the others, it shows in its status.
    pub fn set_optimizers(&mut self, list: Vec<JsValue>) -> Result<(), JsError> {
        self.slots = list
            .into_iter()
            .map(|item| {
                let enabled = enabled(&item);
                let spec = SpecObject::from_js(item)?;
                Ok(Slot {
                    run: self.compute(&spec),
                    spec,
                    enabled,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(())
    }

    /// Changes optimizer `index` to `{id, params, enabled}` and recomputes only it: the
    /// call a slider makes on every input event. A bad value is thrown and also kept in
    /// its status.
    pub fn set_optimizer(&mut self, index: usize, item: JsValue) -> Result<(), JsError> {
        let enabled = enabled(&item);
        let spec = SpecObject::from_js(item)?;
        let run = self.compute(&spec);
        let error = run.as_ref().err().cloned();
        let slot = self
            .slots
            .get_mut(index)
            .ok_or_else(|| Error::new(format!("there is no optimizer {index}")))?;
        *slot = Slot { spec, enabled, run };
        match error {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// Per optimizer: `{kind, step, iterates, error}`.
    pub fn statuses(&self) -> Result<JsValue, JsError> {
        let statuses: Vec<SlotStatus> = self
            .slots
            .iter()
            .map(|slot| match &slot.run {
                Ok(t) => SlotStatus {
                    kind: status_name(&t.status),
                    step: status_step(&t.status, t.points.len()),
                    iterates: t.points.len(),
                    error: None,
                },
                Err(e) => SlotStatus {
                    kind: "error",
                    step: 0,
                    iterates: 0,
                    error: Some(e.0.clone()),
                },
            })
            .collect();
        Ok(serde_wasm_bindgen::to_value(&statuses)?)
    }

    /// Optimizer `index`'s iterates as x₀, y₀, f₀, x₁, … (empty if its spec is bad).
    pub fn iterates(&self, index: usize) -> Vec<f64> {
        match self.slots.get(index).map(|s| &s.run) {
            Some(Ok(t)) => flatten(&t.points, &t.losses),
            _ => Vec::new(),
        }
    }

    /// The longest enabled run's number of iterates: where race mode ends.
    pub fn longest(&self) -> usize {
        self.shown().map(|(_, t)| t.points.len()).max().unwrap_or(0)
    }

    /// Heatmap, contours, axes and critical points: redraw only when the surface, the
    /// view or the canvas size changes.
    pub fn draw_background(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        self.surface_layout = layout;
        let area = canvas::area(canvas)?;
        render::frame(&area, &layout, &self.view)?;
        let (w, h) = (layout.plot_width() as usize, layout.plot_height() as usize);
        let heat = Field::sample(self.surface.as_ref(), self.view, w, h);
        canvas::put_image(
            canvas,
            &heat.rgba(),
            w as u32,
            (layout.plot[0], layout.plot[1]),
        )?;
        let scale = (CONTOUR_GRID as f64 / w.max(h) as f64).min(1.0);
        let (cw, ch) = ((w as f64 * scale) as usize, (h as f64 * scale) as usize);
        let coarse = Field::sample(self.surface.as_ref(), self.view, cw, ch);
        let contours = coarse.contours(&heat.levels(CONTOUR_LEVELS));
        let critical = self.surface.critical_points();
        render::overlay(&area, &layout, &self.view, &contours, &critical)?;
        Ok(())
    }

    /// The paths, up to iterate `upto` in race mode, with iterate `highlight_step` of
    /// path `highlight_path` (or of every path, if negative) marked when non-negative.
    /// `labels` (one per optimizer) draws a legend: the page's own legend is HTML,
    /// readable by screen readers and far cheaper than text drawn every frame, so only
    /// exported pictures pass them.
    pub fn draw_paths(
        &self,
        canvas: &HtmlCanvasElement,
        upto: usize,
        highlight_step: i32,
        highlight_path: i32,
        labels: Vec<String>,
    ) -> Result<(), JsError> {
        canvas::clear(canvas)?;
        let styles = self.styles(&labels);
        let highlight = self.highlight(highlight_step, highlight_path);
        let area = canvas::area(canvas)?;
        let layout = &self.surface_layout;
        render::paths(&area, layout, &self.view, &styles, upto, highlight)?;
        Ok(())
    }

    /// The whole figure as SVG text, `width` × `height`, drawn by the same plotters code
    /// as the CLI's `render`: filled contours, lines, paths and a legend of `labels`.
    pub fn svg(&self, width: u32, height: u32, labels: Vec<String>) -> Result<String, JsError> {
        if !(16..=8192).contains(&width) || !(16..=8192).contains(&height) {
            return Err(Error::new("an SVG must be 16 to 8192 pixels a side").into());
        }
        let layout = Layout::new(width, height, 1.0, Margins::SURFACE);
        let styles = self.styles(&labels);
        let mut text = String::new();
        {
            let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
            render::figure(&area, &layout, self.surface.as_ref(), &self.view, &styles)?;
            area.present()
                .map_err(|e| Error::new(format!("drawing failed: {e}")))?;
        }
        Ok(text)
    }

    /// The loss chart, up to iterate `upto`, with iterate `highlight_step` marked when
    /// non-negative.
    pub fn draw_chart(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        upto: usize,
        highlight_step: i32,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        self.chart_layout = layout;
        let series: Vec<Series> = self
            .shown()
            .map(|(i, t)| Series {
                losses: &t.losses,
                colour: PALETTE[i % PALETTE.len()],
            })
            .collect();
        let highlight = usize::try_from(highlight_step).ok();
        let area = canvas::area(canvas)?;
        render::loss_chart(&area, &layout, &series, self.steps, upto, highlight)?;
        Ok(())
    }

    /// The surface point under device pixel (u, v) of the background canvas.
    pub fn point_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.surface_layout.point_at(&self.view, u, v).to_vec()
    }

    /// `[path, step]` of the shown iterate nearest device pixel (u, v) within `radius`
    /// device pixels, or empty.
    pub fn nearest(&self, u: f64, v: f64, radius: f64, upto: usize) -> Vec<usize> {
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, t) in self.shown() {
            for (k, p) in t.points.iter().enumerate().take(upto.saturating_add(1)) {
                let (x, y) = self.surface_layout.pixel_of(&self.view, *p);
                let d = (x - u).hypot(y - v);
                if d <= radius && best.is_none_or(|b| d < b.0) {
                    best = Some((d, i, k));
                }
            }
        }
        best.map(|(_, i, k)| vec![i, k]).unwrap_or_default()
    }

    /// The iteration under device pixel column `u` of the chart canvas, or −1 outside.
    pub fn chart_step_at(&self, u: f64) -> i32 {
        let [left, _, right, _] = self.chart_layout.plot.map(f64::from);
        if u < left || u > right {
            return -1;
        }
        ((u - left) / (right - left) * self.steps as f64).round() as i32
    }
}

/// The item's `enabled`, true unless it says false.
fn enabled(item: &JsValue) -> bool {
    js_sys::Reflect::get(item, &"enabled".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

impl OptimizerLab {
    fn compute(&self, spec: &Spec) -> Result<Trajectory, Error> {
        let mut spec = spec.clone();
        if self.noise.0 > 0.0 {
            spec.params
                .push(("noise".into(), format!("{:?}", self.noise.0)));
            spec.params.push(("seed".into(), self.noise.1.to_string()));
        }
        let mut method = optim::from_spec(&spec)?;
        run::run(self.surface.as_ref(), &mut method, self.start, self.steps)
    }

    fn recompute_all(&mut self) {
        for i in 0..self.slots.len() {
            let run = self.compute(&self.slots[i].spec);
            self.slots[i].run = run;
        }
    }

    /// How each shown path is drawn; `labels[i]` names optimizer i in a legend.
    fn styles<'a>(&'a self, labels: &'a [String]) -> Vec<PathStyle<'a>> {
        self.shown()
            .map(|(i, t)| PathStyle {
                points: &t.points,
                colour: PALETTE[i % PALETTE.len()],
                label: labels.get(i).map_or("", String::as_str),
                diverged: matches!(t.status, Status::Diverged { .. }),
            })
            .collect()
    }

    /// Enabled optimizers with a valid run, with their index.
    fn shown(&self) -> impl Iterator<Item = (usize, &Trajectory)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| match &slot.run {
                Ok(t) if slot.enabled => Some((i, t)),
                _ => None,
            })
    }

    /// Iterate `step` of slot `path` (every path if negative), as a position among the
    /// shown paths.
    fn highlight(&self, step: i32, path: i32) -> Option<Highlight> {
        let path = match usize::try_from(path) {
            Ok(slot) => Some(self.shown().position(|(i, _)| i == slot)?),
            Err(_) => None,
        };
        Some(Highlight {
            step: usize::try_from(step).ok()?,
            path,
        })
    }
}
