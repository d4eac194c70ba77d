//! `OptimizerLab`: the page's handle on [`lab::optimizers::OptimizerLab`], and its
//! drawing: the surface, the paths, the loss chart, the SVG figure.

use super::{canvas, flatten, from_js, to_js};
use crate::config::Spec;
use crate::lab::optimizers::{self as lab, Contender, Settings};
use crate::layout::{Layout, Margins};
use crate::optim::NoiseConfig;
use crate::rates::{Accelerated, RateMap, RateSetup, Run};
use crate::render::{
    self, Backdrop, Band, Camera, CloudStyle, Highlight, Mesh, PathStyle, Series, Shape, TuneCurve,
    MARGINS_3D, MESH_SIDE, RATE_MARGINS,
};
use crate::run::Status;
use crate::surface::{CriticalPoint, Point, ViewBox};
use crate::tune::{Grid, Tuned};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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

/// One shown optimizer tuned, as `tune` returns it.
#[derive(Serialize)]
struct TunedInfo<'a> {
    index: usize,
    id: &'a str,
    #[serde(flatten)]
    tuned: &'a Tuned,
}

/// The last tuning, with the settings and grid it was computed for.
type TuneCache = (Settings, Grid, Vec<(usize, Tuned)>);

#[wasm_bindgen]
pub struct OptimizerLab {
    lab: lab::OptimizerLab,
    /// Where the last background and chart were drawn: pointer events map through them.
    surface_layout: Layout,
    chart_layout: Layout,
    tuned: Option<TuneCache>,
    /// The rate map over (η, γ), once the page starts one, and where it was last drawn.
    rate_map: Option<RateMap>,
    rate_layout: Layout,
    /// The 3-D view's mesh and the surface and view it was sampled for: turning the
    /// camera or racing only draws it again.
    mesh: Option<(Spec, ViewBox, Mesh)>,
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
            tuned: None,
            rate_map: None,
            rate_layout: Layout::new(1, 1, 1.0, RATE_MARGINS),
            mesh: None,
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

    /// Every run of the cloud as CSV, `optimizer,run,step,x,y,loss` (run 0 is the
    /// optimizer's own run).
    pub fn cloud_csv(&self) -> String {
        self.lab.cloud_csv()
    }

    /// The whole figure as SVG text, `width` × `height`, drawn by the same plotters code
    /// as the CLI's `render`: filled contours, lines, paths and a legend of `labels`.
    pub fn svg(&self, width: u32, height: u32, labels: Vec<String>) -> Result<String, JsError> {
        let mut text = String::new();
        {
            let area =
                SVGBackend::with_string(&mut text, (width.clamp(16, 8192), height.clamp(16, 8192)))
                    .into_drawing_area();
            let layout = Layout::new(
                width.clamp(16, 8192),
                height.clamp(16, 8192),
                1.0,
                Margins::SURFACE,
            );
            let styles = self.path_styles(&labels);
            render::figure(
                &area,
                &layout,
                self.lab.surface(),
                &self.lab.view(),
                &styles,
            )?;
            area.present()
                .map_err(|e| crate::config::Error::new(format!("drawing failed: {e}")))?;
        }
        Ok(render::round_joins(&text))
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

    /// Update `step` → `step + 1` of optimizer `index` taken apart: `{method, step,
    /// theta: [x, y], next: [x, y], gradient: [gx, gy], terms: [{name, label, value:
    /// [x, y]}], scale: [sx, sy] | null, look_ahead: [x, y] | null, narration}` (see
    /// [`crate::anatomy::Anatomy`]). Throws when the optimizer is not shown or the step
    /// is not below its last iterate.
    pub fn anatomy(&self, index: usize, step: usize) -> Result<JsValue, JsError> {
        to_js_null(&self.lab.anatomy(index, step)?)
    }

    /// Draws [`OptimizerLab::anatomy`]'s arrows, box and points over the paths on the
    /// foreground canvas, without clearing it, in the layout of the last background.
    pub fn draw_anatomy(
        &self,
        canvas: &HtmlCanvasElement,
        index: usize,
        step: usize,
    ) -> Result<(), JsError> {
        let a = self.lab.anatomy(index, step)?;
        let colour = self.lab.styles()[index].colour;
        let area = canvas::area(canvas)?;
        render::anatomy(&area, &self.surface_layout, &self.lab.view(), &a, colour)?;
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

    /// The chart of each shown run's |uᵢᵀ(θₖ − θ*)| against k, up to iterate `upto`
    /// (clears its canvas); empty axes with a note off a quadratic or with no optimizer
    /// shown.
    pub fn draw_eigen_error(
        &self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        upto: usize,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let styles = self.lab.styles();
        let (eigenvalues, errors) = match self.lab.eigen_errors() {
            Some((g, errors)) => (Some(g.eigenvalues), errors),
            None => (None, Vec::new()),
        };
        let series: Vec<render::EigenSeries> = errors
            .iter()
            .map(|(i, e)| render::EigenSeries {
                errors: e,
                style: styles[*i],
            })
            .collect();
        let area = canvas::area(canvas)?;
        let steps = self.lab.settings().steps;
        render::eigen_error_chart(&area, &layout, &series, eigenvalues, steps, upto)?;
        Ok(())
    }

    /// Every shown run's error along the eigenvectors as CSV, `optimizer,step,u1,u2`;
    /// the header alone off a quadratic.
    pub fn eigen_error_csv(&self) -> String {
        self.lab.eigen_error_csv()
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

    /// Every iterate of every shown optimizer as CSV, `labels[i]` naming optimizer i.
    pub fn csv(&self, labels: Vec<String>) -> String {
        self.lab.csv(&labels)
    }

    /// Fair tuning: for every shown optimizer, its learning rate searched over `points`
    /// rates from `from` to `to` (log grid, both ends included; the lab's default is
    /// 1e-5 to 10, 25 points) with the lab's surface, start, steps, noise and seed:
    /// `[{index, id, best: {lr, loss} | null, curve: [[lr, loss], …]}]`, `loss` the final
    /// loss f(θ_K), `null` where the run diverged; `best` the lowest, ties to the
    /// smaller lr, `null` when every run diverged. A bad grid (0 < from < to, 2 to 200
    /// points) is thrown with the valid range. Computed once per settings and grid.
    pub fn tune(&mut self, from: f64, to: f64, points: u32) -> Result<JsValue, JsError> {
        let ids: Vec<String> = self
            .lab
            .settings()
            .optimizers
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let tuned = self.tuned(from, to, points)?;
        let rows: Vec<TunedInfo> = tuned
            .iter()
            .map(|(index, tuned)| TunedInfo {
                index: *index,
                id: &ids[*index],
                tuned,
            })
            .collect();
        let serializer = serde_wasm_bindgen::Serializer::new()
            .serialize_missing_as_null(true)
            .serialize_maps_as_objects(true);
        Ok(rows.serialize(&serializer)?)
    }

    /// The tuning chart of the same grid as `tune` (computed once for both): final loss
    /// against η on log axes, one line per shown optimizer in its colour, its best η
    /// marked with its marker, diverged rates as × on the top edge.
    pub fn draw_tune_chart(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        from: f64,
        to: f64,
        points: u32,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::CHART);
        let styles = self.lab.styles();
        let start = self.lab.surface().value(self.lab.start()).abs();
        let tuned = self.tuned(from, to, points)?;
        let curves: Vec<TuneCurve> = tuned
            .iter()
            .map(|(i, t)| TuneCurve {
                curve: &t.curve,
                best: t.best,
                style: styles[*i],
            })
            .collect();
        let area = canvas::area(canvas)?;
        render::tune_chart(&area, &layout, &curves, (from, to), start)?;
        Ok(())
    }

    /// The settings and every shown run, with the page's `link`, as a plain object:
    /// `JSON.stringify` writes it with the CLI's numbers.
    pub fn export(&self, labels: Vec<String>, link: &str) -> Result<JsValue, JsError> {
        to_js(&self.lab.export(&labels, link))
    }

    /// Starts a rate map of `method` (`"momentum"` or `"nesterov"`) over `columns` ×
    /// `rows` cells (2 to 512 a side) for the lab's current surface (a formula's minima
    /// looked for in the view shown), start, steps and noise, with the default ranges; `empirical` asks for runs even on a quadratic (off
    /// a quadratic it is always so). No cell is computed yet. Returns
    /// [`OptimizerLab::rate_map_info`]'s object.
    pub fn rate_map_start(
        &mut self,
        method: &str,
        empirical: bool,
        columns: u32,
        rows: u32,
    ) -> Result<JsValue, JsError> {
        let method = Accelerated::parse(method)?;
        let setup = self.rate_setup(method, empirical, columns as usize, rows as usize);
        self.rate_map = Some(RateMap::in_view(setup, self.lab.settings().view)?);
        self.rate_map_info()
    }

    /// Computes up to `cells` more cells, coarse to fine; true once the map is complete.
    /// If the surface, start, steps or noise changed since the map started, it starts
    /// again for them first (same method, mode and grid).
    pub fn rate_map_refine(&mut self, cells: u32) -> Result<bool, JsError> {
        let map = self.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let s = map.setup();
        let wanted = self.rate_setup(s.method, s.empirical, s.columns, s.rows);
        if wanted != *s {
            self.rate_map = Some(RateMap::in_view(wanted, self.lab.settings().view)?);
        }
        let map = self.rate_map.as_mut().ok_or_else(no_rate_map)?;
        Ok(map.refine(cells as usize))
    }

    /// `{method, empirical, columns, rows, lr: [min, max], momentum: [min, max], done,
    /// computed, measure, optimum: {lr, momentum, rate} | null}`: `measure` says in one
    /// sentence what a cell's number is; `optimum` is null unless in closed form.
    pub fn rate_map_info(&self) -> Result<JsValue, JsError> {
        let map = self.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        Ok(map.info().serialize(&serializer)?)
    }

    /// The rate map as far as it is computed: axes, cells, curves, optimum, legend and
    /// colour bar. Redraw when it fills in or the canvas changes; the current (η, γ)
    /// goes on a layer of its own (`draw_rate_marker`).
    pub fn draw_rate_map(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let map = self.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let layout = canvas::layout(canvas, pixel_ratio, RATE_MARGINS);
        self.rate_layout = layout;
        let area = canvas::area(canvas)?;
        render::rate_frame(&area, &layout, map.grid())?;
        let (w, h) = (layout.plot_width(), layout.plot_height());
        let rgba = map.rgba(w as usize, h as usize);
        canvas::put_image(canvas, &rgba, w, (layout.plot[0], layout.plot[1]))?;
        render::rate_overlay(&area, &layout, map)?;
        Ok(())
    }

    /// The current (lr, momentum) on `canvas`, a transparent layer the size of the map's
    /// canvas, as the map was last drawn: cleared, then the method's marker.
    pub fn draw_rate_marker(
        &self,
        canvas: &HtmlCanvasElement,
        lr: f64,
        momentum: f64,
    ) -> Result<(), JsError> {
        let map = self.rate_map.as_ref().ok_or_else(no_rate_map)?;
        canvas::clear(canvas)?;
        let area = canvas::area(canvas)?;
        render::rate_marker(&area, &self.rate_layout, map, (lr, momentum))?;
        Ok(())
    }

    /// `[lr, momentum]` under device pixel (u, v) of the rate map's canvas, clamped to
    /// the map's ranges; empty outside the plot or before a map is started.
    pub fn rate_map_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.rate_map
            .as_ref()
            .and_then(|map| render::rate_point_at(&self.rate_layout, map.grid(), u, v))
            .map(|(lr, momentum)| vec![lr, momentum])
            .unwrap_or_default()
    }

    /// The computed cells as the CLI's `rates` writes them: `lr,momentum,rate`, then a
    /// row per cell; only the header before a map is started.
    pub fn rate_map_csv(&self) -> String {
        self.rate_map
            .as_ref()
            .map_or_else(|| "lr,momentum,rate\n".to_string(), RateMap::csv)
    }

    /// The rate map's picture as SVG text, `width` × `height`.
    pub fn rate_map_svg(
        &self,
        width: u32,
        height: u32,
        lr: f64,
        momentum: f64,
    ) -> Result<String, JsError> {
        let map = self.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let size = (width.clamp(16, 8192), height.clamp(16, 8192));
        Ok(render::rate_svg(map, size, (lr, momentum))?)
    }
}

/// The error of a rate-map call before [`OptimizerLab::rate_map_start`].
fn no_rate_map() -> crate::config::Error {
    crate::config::Error::new("no rate map yet: start one with rate_map_start")
}

/// `value` as a JS object with `None` as `null`.
fn to_js_null<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(value.serialize(&serializer)?)
}

impl OptimizerLab {
    /// The shown optimizers tuned on the grid, computed once for the same settings and
    /// grid.
    fn tuned(&mut self, from: f64, to: f64, points: u32) -> Result<&[(usize, Tuned)], JsError> {
        let grid = Grid::new(from, to, points)?;
        let settings = self.lab.settings();
        let fresh = self
            .tuned
            .as_ref()
            .is_some_and(|(s, g, _)| s == settings && *g == grid);
        if !fresh {
            let tuned = self.lab.tune(&grid)?;
            self.tuned = Some((settings.clone(), grid, tuned));
        }
        Ok(self.tuned.as_ref().map_or(&[], |t| &t.2))
    }

    /// A rate map's setup for the lab's current surface, start, steps and noise.
    fn rate_setup(
        &self,
        method: Accelerated,
        empirical: bool,
        columns: usize,
        rows: usize,
    ) -> RateSetup {
        let settings = self.lab.settings();
        RateSetup {
            surface: settings.surface.clone(),
            method,
            empirical,
            run: Run {
                start: self.lab.start(),
                steps: settings.steps,
                noise: NoiseConfig {
                    noise: settings.noise,
                    seed: settings.seed,
                },
            },
            columns,
            rows,
            lr: None,
            momentum: None,
        }
    }

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

/// The 3-D view: the surface as a shaded mesh with the paths on it, from a camera the
/// page turns (see [`render::surface3d`]). Angles cross in degrees, as the link holds
/// them; the default camera and the pitch's range are `catalogue.plane.camera`.
#[wasm_bindgen]
impl OptimizerLab {
    /// The whole 3-D figure on `canvas`, painted over all of it: box, axes, the mesh,
    /// the paths up to iterate `upto` (race mode, as `draw_paths`), the critical points
    /// and the heads, from a camera at `yaw` degrees (counter-clockwise seen from above,
    /// 0 looking from the y_min side; wrapped) and `pitch` degrees above the horizon
    /// (clamped to `catalogue.plane.camera.pitch_range`). `labels` (one per optimizer)
    /// draws a legend, for exports, as in `draw_paths`. Throws on a non-finite angle.
    pub fn draw_surface3d(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
        upto: usize,
        yaw: f64,
        pitch: f64,
        labels: Vec<String>,
    ) -> Result<(), JsError> {
        let camera = Camera::from_degrees(yaw, pitch)?;
        let layout = canvas::layout(canvas, pixel_ratio, MARGINS_3D);
        let area = canvas::area(canvas)?;
        let mesh = self.take_mesh();
        let styles = self.path_styles(&labels);
        let drawn = render::surface3d(
            &area,
            &layout,
            self.lab.surface(),
            &mesh,
            &styles,
            upto,
            camera,
        );
        self.keep_mesh(mesh);
        Ok(drawn?)
    }

    /// The 3-D figure as SVG text, `width` × `height`, every path whole, with a legend
    /// of `labels`: what `draw_surface3d` draws, for the SVG export in 3-D.
    pub fn svg3d(
        &mut self,
        width: u32,
        height: u32,
        yaw: f64,
        pitch: f64,
        labels: Vec<String>,
    ) -> Result<String, JsError> {
        let camera = Camera::from_degrees(yaw, pitch)?;
        let size = (width.clamp(16, 8192), height.clamp(16, 8192));
        let layout = Layout::new(size.0, size.1, 1.0, MARGINS_3D);
        let mesh = self.take_mesh();
        let mut text = String::new();
        let drawn = {
            let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
            let styles = self.path_styles(&labels);
            render::surface3d(
                &area,
                &layout,
                self.lab.surface(),
                &mesh,
                &styles,
                usize::MAX,
                camera,
            )
            .and_then(|()| {
                area.present()
                    .map_err(|e| crate::config::Error::new(format!("drawing failed: {e}")))
            })
        };
        self.keep_mesh(mesh);
        drawn?;
        Ok(render::round_joins(&text))
    }
}

impl OptimizerLab {
    /// The mesh of the current surface and view: the one kept if it is theirs, else
    /// sampled anew. Give it back with [`OptimizerLab::keep_mesh`].
    fn take_mesh(&mut self) -> Mesh {
        let (spec, view) = (&self.lab.settings().surface, self.lab.view());
        match self.mesh.take() {
            Some((s, v, mesh)) if s == *spec && v == view => mesh,
            _ => Mesh::sample(self.lab.surface(), view, MESH_SIDE),
        }
    }

    fn keep_mesh(&mut self, mesh: Mesh) {
        let spec = self.lab.settings().surface.clone();
        self.mesh = Some((spec, mesh.view(), mesh));
    }
}
