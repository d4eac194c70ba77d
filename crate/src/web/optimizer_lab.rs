//! `OptimizerLab`: the page's handle on [`lab::optimizers::OptimizerLab`], and its
//! drawing: the surface, the paths, the loss chart. The views a first visit does not
//! draw — the 3-D surface, the panels beside the surface, an explained step and the SVG
//! figures — are in [`views`], built only with the feature `optimizer-views`: a second
//! build of this same handle that the page loads the first time one is asked for.

use super::{canvas, flatten, from_js, to_js};
use crate::config::Spec;
use crate::lab::optimizers::{self as lab, Contender, Settings};
use crate::layout::{Layout, Margins};
use crate::render::{self, Backdrop, Band, CloudStyle, Highlight, PathStyle, Series, Shape};
use crate::run::Status;
use crate::surface::{CriticalPoint, Point, ViewBox};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[cfg(feature = "optimizer-views")]
mod views;

/// The region shown, the start and the critical points, for the page's controls.
#[derive(Serialize)]
struct SurfaceInfo {
    view: ViewBox,
    start: Point,
    critical_points: Vec<CriticalPoint>,
}

/// How the page draws an optimizer: see [`OptimizerLab::styles`].
#[derive(Serialize)]
struct StyleInfo {
    colour: String,
    shape: Shape,
    path: String,
}

/// What `set_state` did: the settings that run and what could not be used.
#[derive(Serialize)]
struct Opened<'a> {
    settings: &'a Settings,
    problems: &'a [crate::config::Problem],
    info: SurfaceInfo,
}

#[wasm_bindgen]
pub struct OptimizerLab {
    lab: lab::OptimizerLab,
    /// Where the last background and chart were drawn: pointer events map through them.
    surface_layout: Layout,
    chart_layout: Layout,
    /// What the views keep between calls: the rate map, the last tuning, the 3-D mesh.
    #[cfg(feature = "optimizer-views")]
    views: views::Kept,
}

impl Default for OptimizerLab {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl OptimizerLab {
    /// The default settings: the banana, four optimizers shown.
    #[wasm_bindgen(constructor)]
    pub fn new() -> OptimizerLab {
        OptimizerLab {
            lab: lab::OptimizerLab::open(&Settings::default()).0,
            surface_layout: Layout::new(1, 1, 1.0, Margins::SURFACE),
            chart_layout: Layout::new(1, 1, 1.0, Margins::CHART),
            #[cfg(feature = "optimizer-views")]
            views: views::Kept::default(),
        }
    }

    /// Every setting at once (a link opened), each run computed once: returns
    /// `{settings, problems, info}`, the settings that run (defaults where the ones
    /// given could not be used), `[{field, message}]`, and the surface's view, start and
    /// critical points.
    pub fn set_state(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let settings: Settings = from_js(settings, "the lab's settings")?;
        let (lab, problems) = lab::OptimizerLab::open(&settings);
        self.lab = lab;
        to_js(&Opened {
            settings: self.lab.settings(),
            problems: &problems,
            info: self.info(),
        })
    }

    /// The settings that run.
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.settings())
    }

    /// `{view, start, critical_points}`.
    pub fn surface_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.info())
    }

    /// Switches surface (`{id, params}`): the view and start become its own; every path
    /// is recomputed. Returns `{view, start, critical_points}`. A typed surface is
    /// `{id: "formula", params: {f: "…"}}`; a mistake in it is thrown as `at N: expected
    /// …` (N the 1-based character), or a limit's message, and changes nothing, so the
    /// page may call it on every input event to validate as the student types.
    pub fn set_surface(&mut self, spec: JsValue) -> Result<JsValue, JsError> {
        let spec: Spec = from_js(spec, "a surface")?;
        self.lab.set_surface(spec)?;
        self.surface_info()
    }

    pub fn set_view(
        &mut self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
    ) -> Result<(), JsError> {
        Ok(self
            .lab
            .set_view(ViewBox::new(x_min, x_max, y_min, y_max))?)
    }

    /// The surface's own view again; returns it as `{x: [min, max], y: [min, max]}`.
    pub fn reset_view(&mut self) -> Result<JsValue, JsError> {
        self.lab.reset_view();
        to_js(&self.lab.view())
    }

    /// Moves the start point and recomputes every path.
    pub fn set_start(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        Ok(self.lab.set_start([x, y])?)
    }

    pub fn set_steps(&mut self, steps: usize) -> Result<(), JsError> {
        Ok(self.lab.set_steps(steps)?)
    }

    /// Gaussian noise of standard deviation `sigma` on every gradient, from `seed`.
    pub fn set_noise(&mut self, sigma: f64, seed: u64) -> Result<(), JsError> {
        Ok(self.lab.set_noise(sigma, seed)?)
    }

    /// How close to a known minimum a run must stay to count as converged (above 0,
    /// at most the limit `catalogue.plane.limits.tolerance`); changes the statuses, not
    /// the paths.
    pub fn set_tolerance(&mut self, tolerance: f64) -> Result<(), JsError> {
        Ok(self.lab.set_tolerance(tolerance)?)
    }

    /// Changes optimizer `index` to `{id, params, enabled}` and recomputes only it: the
    /// call a slider makes on every input event. A value the core refuses is thrown and
    /// changes nothing.
    pub fn set_optimizer(&mut self, index: usize, item: JsValue) -> Result<(), JsError> {
        let contender: Contender = from_js(item, "an optimizer")?;
        Ok(self.lab.set_optimizer(index, contender)?)
    }

    /// Replaces the optimizers with `[{id, params, enabled}]` (one added or removed).
    pub fn set_optimizers(&mut self, list: JsValue) -> Result<(), JsError> {
        let list: Vec<Contender> = from_js(list, "a list of optimizers")?;
        Ok(self.lab.set_optimizers(list)?)
    }

    /// Per optimizer, shown or not, in order, how every picture draws it:
    /// `[{colour: "#rrggbb", shape, path}]`, `shape` one of `circle`, `square`,
    /// `triangle`, `diamond`, `triangle-down`, `pentagon`, `star`, `hexagon`, `plus`,
    /// `cross`, `triangle-left`, and `path` its outline as an SVG path in the box
    /// from −1 to 1 (`viewBox="-1 -1 2 2"`), for the page's legend.
    pub fn styles(&self) -> Result<JsValue, JsError> {
        let styles: Vec<StyleInfo> = self
            .lab
            .styles()
            .iter()
            .map(|s| StyleInfo {
                colour: super::hex(&[s.colour]).concat(),
                shape: s.shape,
                path: s.shape.svg_path(),
            })
            .collect();
        to_js(&styles)
    }

    /// Per optimizer, shown or not: `{kind, step, iterates, loss, distance, minimum}`,
    /// `kind` one of `running`, `converged`, `stationary`, `diverged`; `distance` and
    /// `minimum` (`[x, y]`) are `null` on a surface that lists no minimum (see
    /// [`crate::run::Outcome`]).
    pub fn statuses(&self) -> Result<JsValue, JsError> {
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        Ok(self.lab.statuses().serialize(&serializer)?)
    }

    /// Optimizer `index`'s iterates as x₀, y₀, f₀, x₁, …
    pub fn iterates(&self, index: usize) -> Vec<f64> {
        self.lab
            .run(index)
            .map(|t| flatten(&t.points, &t.losses))
            .unwrap_or_default()
    }

    /// The longest shown run's number of iterates (0 when none is shown): where race
    /// mode ends.
    pub fn longest(&self) -> usize {
        self.lab.longest()
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
        let view = self.lab.view();
        let backdrop = Backdrop::new(self.lab.surface(), view, &layout);
        let area = canvas::area(canvas)?;
        render::frame(&area, &layout, &view)?;
        let at = (layout.plot[0], layout.plot[1]);
        canvas::put_image(canvas, &backdrop.heatmap, layout.plot_width(), at)?;
        canvas::stroke_contours(canvas, &layout, &view, &backdrop.contours)?;
        render::overlay(&area, &layout, &view, &[], &backdrop.critical)?;
        Ok(())
    }

    /// The cloud of noisy runs so far (see `cloud`), then the paths over it, up to
    /// iterate `upto` in race mode, with iterate `highlight_step` of
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
        self.cloud(canvas, upto)?;
        let styles = self.path_styles(&labels);
        let highlight = self.highlight(highlight_step, highlight_path);
        let area = canvas::area(canvas)?;
        let view = self.lab.view();
        render::paths(&area, &self.surface_layout, &view, &styles, upto, highlight)?;
        Ok(())
    }

    /// The cloud computed so far, up to iterate `upto`: every run faint and thin in its
    /// method's colour, each method's mean path dashed over a halo, drawn over what the
    /// canvas holds without clearing it.
    fn cloud(&self, canvas: &HtmlCanvasElement, upto: usize) -> Result<(), JsError> {
        let styles = self.lab.styles();
        let clouds: Vec<CloudStyle> = self
            .lab
            .cloud()
            .map(|(i, runs, summary)| CloudStyle {
                runs: runs.iter().map(|t| t.points.as_slice()).collect(),
                mean: &summary.mean,
                colour: styles[i].colour,
            })
            .collect();
        if clouds.is_empty() {
            return Ok(());
        }
        let area = canvas::area(canvas)?;
        render::cloud(&area, &self.surface_layout, &self.lab.view(), &clouds, upto)?;
        Ok(())
    }

    /// How many noisy runs per shown optimizer the cloud holds: 0 (none) to
    /// `catalogue.plane.limits.cloud` (100); refused otherwise with that range. The
    /// cloud only exists with gradient noise σ > 0.
    pub fn set_cloud(&mut self, n: u32) -> Result<(), JsError> {
        Ok(self.lab.set_cloud(n as usize)?)
    }

    /// Computes up to `runs` more noisy runs (of all shown optimizers together, in
    /// turn), starting over when a setting the runs depend on changed; true once the
    /// cloud is complete. Call it once a frame until it returns true.
    pub fn cloud_refine(&mut self, runs: u32) -> Result<bool, JsError> {
        Ok(self.lab.cloud_refine(runs as usize)?)
    }

    /// `{runs, computed, done}`: runs per shown optimizer (0 without noise or with the
    /// cloud off), how many every shown optimizer has so far, and whether that is all.
    pub fn cloud_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.cloud_info())
    }

    /// The loss chart, up to iterate `upto`, with iterate `highlight_step` marked when
    /// non-negative; with a cloud, each shown optimizer's median loss (dashed) and the
    /// band between its runs' quartiles (translucent) under its own line; with no
    /// optimizer shown, empty axes that say so.
    pub fn draw_chart(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        upto: usize,
        highlight_step: i32,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        self.chart_layout = layout;
        let styles = self.lab.styles();
        let series: Vec<Series> = self
            .lab
            .shown()
            .map(|(i, t)| Series {
                losses: &t.losses,
                style: styles[i],
            })
            .collect();
        let bands: Vec<Band> = self
            .lab
            .cloud()
            .map(|(i, _, summary)| Band {
                lower: &summary.lower,
                median: &summary.median,
                upper: &summary.upper,
                colour: styles[i].colour,
            })
            .collect();
        let highlight = usize::try_from(highlight_step).ok();
        let area = canvas::area(canvas)?;
        let steps = self.lab.settings().steps;
        render::loss_chart(&area, &layout, (&series, &bands), steps, upto, highlight)?;
        Ok(())
    }

    /// The surface's curvature at (x, y): `{eigenvalues: [λ1, λ2], eigenvectors: [[x, y],
    /// [x, y]], condition: κ | null, definite}`, λ1 ≤ λ2 with unit eigenvectors,
    /// κ = max|λ|/min|λ| (`null` when some λ = 0), `definite` one of `positive`,
    /// `negative`, `indefinite`, `singular`.
    pub fn geometry_at(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        to_js_null(&self.lab.geometry_at([x, y])?)
    }

    /// Draws the quadratic model's level set at (x, y) and its axes along the
    /// eigenvectors on the foreground canvas, without clearing it.
    pub fn draw_geometry(&self, canvas: &HtmlCanvasElement, x: f64, y: f64) -> Result<(), JsError> {
        let g = self.lab.geometry_at([x, y])?;
        let area = canvas::area(canvas)?;
        render::geometry(&area, &self.surface_layout, &self.lab.view(), [x, y], &g)?;
        Ok(())
    }

    /// The surface point under device pixel (u, v) of the background canvas.
    pub fn point_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.surface_layout
            .point_at(&self.lab.view(), u, v)
            .to_vec()
    }

    /// `[path, step]` of the shown iterate nearest device pixel (u, v) within `radius`
    /// device pixels, or empty.
    pub fn nearest(&self, u: f64, v: f64, radius: f64, upto: usize) -> Vec<usize> {
        self.lab
            .nearest(&self.surface_layout, (u, v), radius, upto)
            .map(|(i, k)| vec![i, k])
            .unwrap_or_default()
    }

    /// The iteration under device pixel column `u` of the chart canvas, or −1 outside.
    pub fn chart_step_at(&self, u: f64) -> i32 {
        let [left, _, right, _] = self.chart_layout.plot.map(f64::from);
        if !(left..=right).contains(&u) {
            return -1;
        }
        ((u - left) / (right - left) * self.lab.settings().steps as f64).round() as i32
    }
}

/// `value` as a JS object with `None` as `null`.
fn to_js_null<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(value.serialize(&serializer)?)
}

impl OptimizerLab {
    fn info(&self) -> SurfaceInfo {
        SurfaceInfo {
            view: self.lab.view(),
            start: self.lab.start(),
            critical_points: self.lab.surface().critical_points(),
        }
    }

    /// How each shown path is drawn; `labels[i]` names optimizer i in a legend.
    fn path_styles<'a>(&'a self, labels: &'a [String]) -> Vec<PathStyle<'a>> {
        let styles = self.lab.styles();
        self.lab
            .shown()
            .map(|(i, t)| PathStyle {
                points: &t.points,
                colour: styles[i].colour,
                shape: styles[i].shape,
                label: labels.get(i).map_or("", String::as_str),
                diverged: matches!(t.status, Status::Diverged { .. }),
            })
            .collect()
    }

    /// Iterate `step` of slot `path` (every path if negative), as a position among the
    /// shown paths.
    fn highlight(&self, step: i32, path: i32) -> Option<Highlight> {
        let path = match usize::try_from(path) {
            Ok(slot) => Some(self.lab.shown().position(|(i, _)| i == slot)?),
            Err(_) => None,
        };
        Some(Highlight {
            step: usize::try_from(step).ok()?,
            path,
        })
    }
}
