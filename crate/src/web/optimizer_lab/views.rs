//! The optimizer lab's views a first visit does not draw, as more methods of the same
//! handle: the 3-D surface, the rate map over (η, γ), the error along the Hessian's
//! eigendirections, fair tuning, an explained step, the SVG figures and the exports of
//! the runs as CSV and JSON. Built only with
//! the feature `optimizer-views`; the page loads that build the first time one of them
//! is asked for, and opens it with the settings the first build runs, so every path is
//! the same.

use super::super::{canvas, to_js};
use super::{to_js_null, OptimizerLab};
use crate::config::Spec;
use crate::lab::optimizers::Settings;
use crate::layout::{Layout, Margins};
use crate::optim::NoiseConfig;
use crate::rates::{Accelerated, RateMap, RateSetup, Run};
use crate::render::{self, Camera, Mesh, TuneCurve, MARGINS_3D, MESH_SIDE, RATE_MARGINS};
use crate::surface::ViewBox;
use crate::tune::{Grid, Tuned};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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

/// What the views keep between calls.
pub(super) struct Kept {
    tuned: Option<TuneCache>,
    /// The rate map over (η, γ), once the page starts one, and where it was last drawn.
    rate_map: Option<RateMap>,
    rate_layout: Layout,
    /// The 3-D view's mesh and the surface and view it was sampled for: turning the
    /// camera or racing only draws it again.
    mesh: Option<(Spec, ViewBox, Mesh)>,
}

impl Default for Kept {
    fn default() -> Self {
        Kept {
            tuned: None,
            rate_map: None,
            rate_layout: Layout::new(1, 1, 1.0, RATE_MARGINS),
            mesh: None,
        }
    }
}

#[wasm_bindgen]
impl OptimizerLab {
    /// Every run of the cloud as CSV, `optimizer,run,step,x,y,loss` (run 0 is the
    /// optimizer's own run).
    pub fn cloud_csv(&self) -> String {
        self.lab.cloud_csv()
    }

    /// Every iterate of every shown optimizer as CSV, `labels[i]` naming optimizer i.
    pub fn csv(&self, labels: Vec<String>) -> String {
        self.lab.csv(&labels)
    }

    /// The settings and every shown run, with the page's `link`, as a plain object:
    /// `JSON.stringify` writes it with the CLI's numbers.
    pub fn export(&self, labels: Vec<String>, link: &str) -> Result<JsValue, JsError> {
        to_js(&self.lab.export(&labels, link))
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
        self.views.rate_map = Some(RateMap::in_view(setup, self.lab.settings().view)?);
        self.rate_map_info()
    }

    /// Computes up to `cells` more cells, coarse to fine; true once the map is complete.
    /// If the surface, start, steps or noise changed since the map started, it starts
    /// again for them first (same method, mode and grid).
    pub fn rate_map_refine(&mut self, cells: u32) -> Result<bool, JsError> {
        let map = self.views.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let s = map.setup();
        let wanted = self.rate_setup(s.method, s.empirical, s.columns, s.rows);
        if wanted != *s {
            self.views.rate_map = Some(RateMap::in_view(wanted, self.lab.settings().view)?);
        }
        let map = self.views.rate_map.as_mut().ok_or_else(no_rate_map)?;
        Ok(map.refine(cells as usize))
    }

    /// `{method, empirical, columns, rows, lr: [min, max], momentum: [min, max], done,
    /// computed, measure, optimum: {lr, momentum, rate} | null}`: `measure` says in one
    /// sentence what a cell's number is; `optimum` is null unless in closed form.
    pub fn rate_map_info(&self) -> Result<JsValue, JsError> {
        let map = self.views.rate_map.as_ref().ok_or_else(no_rate_map)?;
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
        let map = self.views.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let layout = canvas::layout(canvas, pixel_ratio, RATE_MARGINS);
        self.views.rate_layout = layout;
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
        let map = self.views.rate_map.as_ref().ok_or_else(no_rate_map)?;
        canvas::clear(canvas)?;
        let area = canvas::area(canvas)?;
        render::rate_marker(&area, &self.views.rate_layout, map, (lr, momentum))?;
        Ok(())
    }

    /// `[lr, momentum]` under device pixel (u, v) of the rate map's canvas, clamped to
    /// the map's ranges; empty outside the plot or before a map is started.
    pub fn rate_map_at(&self, u: f64, v: f64) -> Vec<f64> {
        self.views
            .rate_map
            .as_ref()
            .and_then(|map| render::rate_point_at(&self.views.rate_layout, map.grid(), u, v))
            .map(|(lr, momentum)| vec![lr, momentum])
            .unwrap_or_default()
    }

    /// The computed cells as the CLI's `rates` writes them: `lr,momentum,rate`, then a
    /// row per cell; only the header before a map is started.
    pub fn rate_map_csv(&self) -> String {
        self.views
            .rate_map
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
        let map = self.views.rate_map.as_ref().ok_or_else(no_rate_map)?;
        let size = (width.clamp(16, 8192), height.clamp(16, 8192));
        Ok(render::rate_svg(map, size, (lr, momentum))?)
    }
}

/// The error of a rate-map call before [`OptimizerLab::rate_map_start`].
fn no_rate_map() -> crate::config::Error {
    crate::config::Error::new("no rate map yet: start one with rate_map_start")
}

impl OptimizerLab {
    /// The shown optimizers tuned on the grid, computed once for the same settings and
    /// grid.
    fn tuned(&mut self, from: f64, to: f64, points: u32) -> Result<&[(usize, Tuned)], JsError> {
        let grid = Grid::new(from, to, points)?;
        let settings = self.lab.settings();
        let fresh = self
            .views
            .tuned
            .as_ref()
            .is_some_and(|(s, g, _)| s == settings && *g == grid);
        if !fresh {
            let tuned = self.lab.tune(&grid)?;
            self.views.tuned = Some((settings.clone(), grid, tuned));
        }
        Ok(self.views.tuned.as_ref().map_or(&[], |t| &t.2))
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
        match self.views.mesh.take() {
            Some((s, v, mesh)) if s == *spec && v == view => mesh,
            _ => Mesh::sample(self.lab.surface(), view, MESH_SIDE),
        }
    }

    fn keep_mesh(&mut self, mesh: Mesh) {
        let spec = self.lab.settings().surface.clone();
        self.views.mesh = Some((spec, mesh.view(), mesh));
    }
}
