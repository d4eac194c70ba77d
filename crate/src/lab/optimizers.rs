//! The optimizer lab as data: a surface, the region shown, a start point, a step
//! budget, gradient noise, the tolerance runs are judged with, and the optimizers raced
//! on it with their runs and their outcomes. Settings
//! arrive whole (a link opened: checked field by field, computed once) or one at a time
//! (a slider: only that run is recomputed); a value the core refuses changes nothing
//! and says why. The page's handle (`web::OptimizerLab`) only converts and draws.

use super::cloud::{self, Summary};
use crate::anatomy::{self, Anatomy, Geometry};
use crate::config::{Control, Error, ParamValue, Parameter, Problem, Range, Spec, SpecVisitor};
use crate::layout::Layout;
use crate::optim;
use crate::render::{styles_of, Style};
use crate::run::{self, Outcome, Status, Trajectory, DEFAULT_TOLERANCE, DIVERGENCE_BOUND};
use crate::surface::{self, Point, Surface, ViewBox};
use crate::text::number;
use crate::tune::{self, Grid, Tuned};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One drawn run's index and its |uᵢᵀ(θₖ − θ*)|, i = 1, 2, for every iterate k.
pub type RunErrors = (usize, Vec<[f64; 2]>);

/// What the page lets a link or a control ask for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Limits {
    pub steps: usize,
    pub noise: f64,
    pub seed: u64,
    pub optimizers: usize,
    /// Iterates per second in race mode.
    pub speed: f64,
    /// The largest tolerance; it must be above 0.
    pub tolerance: f64,
    /// The most noisy runs per optimizer in a cloud.
    pub cloud: usize,
}

pub const LIMITS: Limits = Limits {
    steps: 5000,
    noise: 1000.0,
    seed: u32::MAX as u64,
    optimizers: 24,
    speed: 1000.0,
    tolerance: 10.0,
    cloud: cloud::MOST_RUNS,
};

/// Iterates per second in race mode, until a link or the player says otherwise.
pub const RACE_SPEED: f64 = 60.0;

/// The lab's own settings as controls, beside each surface's and optimizer's: what
/// the page builds their sliders from.
pub fn parameters() -> Vec<Parameter> {
    let d = Settings::default();
    let up_to = |most: f64| Some(Range::new(0.0, most, true, true));
    vec![
        Parameter::new(
            "steps",
            d.steps as u64,
            Some(Range::new(1.0, LIMITS.steps as f64, true, true)),
            "how many updates each optimizer makes from the start",
            Control::new("steps").whole_log(10.0, LIMITS.steps as f64),
        ),
        Parameter::new(
            "noise",
            d.noise,
            up_to(LIMITS.noise),
            "σ of the Gaussian noise added to every gradient component, as minibatches would",
            optim::GRADIENT_NOISE,
        ),
        Parameter::new(
            "seed",
            d.seed,
            up_to(LIMITS.seed as f64),
            "seeds the gradient noise, so that a shared link reproduces the same runs",
            optim::NOISE_SEED,
        ),
        Parameter::new(
            "cloud",
            d.cloud as u64,
            Some(Range::new(0.0, LIMITS.cloud as f64, true, true)),
            "with gradient noise, how many runs per optimizer are drawn faintly, each with its own seed, with their mean path and the spread of their loss (0: none)",
            Control::new("noisy runs").whole(0.0, LIMITS.cloud as f64),
        ),
        Parameter::new(
            "speed",
            RACE_SPEED,
            Some(Range::new(1.0, LIMITS.speed, true, true)),
            "iterates drawn per second when the optimizers race",
            Control::new("speed").whole_log(1.0, LIMITS.speed),
        ),
        Parameter::new(
            "tolerance",
            d.tolerance,
            Some(Range::new(0.0, LIMITS.tolerance, false, true)),
            "a run has converged once it stays this close to a known minimum",
            Control::new("tolerance").log(1e-6, 1.0),
        ),
    ]
}

/// The learning rates the lab starts each method with: each at work on the first
/// surface a visitor sees (Distill's banana) from its start.
pub const STARTING: &[(&str, &str)] = &[
    ("sgd", "lr=0.002"),
    ("momentum", "lr=0.002"),
    ("nesterov", "lr=0.002"),
    ("adagrad", "lr=0.3"),
    ("rmsprop", "lr=0.01"),
    ("adadelta", ""),
    ("adam", "lr=0.03"),
    ("adamw", "lr=0.03"),
    ("nadam", "lr=0.03"),
    ("lion", "lr=0.01"),
    ("newton", "lr=0.5"),
];

/// The methods shown on a first visit.
const FIRST_VISIT: [&str; 4] = ["sgd", "momentum", "nesterov", "adam"];

/// One optimizer of the lab: a method, its hyperparameters (those left out keep the
/// method's defaults), and whether it is drawn. In JSON, `{"id", "params", "enabled"}`
/// or a spec's text (`"adam:lr=0.01"`, drawn).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contender {
    pub id: String,
    pub params: BTreeMap<String, ParamValue>,
    pub enabled: bool,
}

impl<'de> Deserialize<'de> for Contender {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (spec, enabled) = deserializer.deserialize_any(SpecVisitor)?;
        Ok(Contender {
            params: spec.typed_params(),
            id: spec.id,
            enabled: enabled.unwrap_or(true),
        })
    }
}

impl Contender {
    /// Method `id` as the lab starts it.
    pub fn starting(id: &str, enabled: bool) -> Contender {
        let own = STARTING.iter().find(|s| s.0 == id).map_or("", |s| s.1);
        let spec = Spec::parse(&format!("{id}:{own}")).expect("a valid spec");
        Contender {
            id: id.to_string(),
            params: spec.typed_params(),
            enabled,
        }
    }

    pub fn spec(&self) -> Spec {
        Spec::from_typed(&self.id, &self.params)
    }
}

/// Everything a link says about the plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub surface: Spec,
    /// The region shown; None: the surface's own.
    pub view: Option<ViewBox>,
    /// None: the surface's own start.
    pub start: Option<Point>,
    pub steps: usize,
    /// σ of the Gaussian noise on every gradient, and its seed.
    pub noise: f64,
    pub seed: u64,
    /// How close to a known minimum a run must stay to count as converged (see
    /// [`Outcome`]).
    pub tolerance: f64,
    /// With noise, how many runs per shown optimizer its cloud holds (0: no cloud); run
    /// j draws its noise from [`cloud::run_seed`]`(seed, j)`, run 0 being the lab's own.
    pub cloud: usize,
    pub optimizers: Vec<Contender>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            surface: Spec::named("banana"),
            view: None,
            start: None,
            steps: 200,
            noise: 0.0,
            seed: 0,
            tolerance: DEFAULT_TOLERANCE,
            cloud: 0,
            optimizers: optim::CATALOGUE
                .iter()
                .map(|e| Contender::starting(e.id, FIRST_VISIT.contains(&e.id)))
                .collect(),
        }
    }
}

struct Slot {
    contender: Contender,
    run: Trajectory,
}

/// The cloud as far as it is computed, for the settings it was computed for.
#[derive(Default)]
struct Cloud {
    /// The settings that shape the runs (see [`Cloud::key`]).
    key: Option<Settings>,
    /// Per shown optimizer: its slot, its runs 0, 1, … and their summary.
    members: Vec<(usize, Vec<Trajectory>, Summary)>,
}

impl Cloud {
    /// What the runs depend on: the settings but the view and the tolerance.
    fn key(settings: &Settings) -> Settings {
        Settings {
            view: None,
            tolerance: DEFAULT_TOLERANCE,
            ..settings.clone()
        }
    }
}

/// How far the cloud is: `runs` per shown optimizer (0 without noise or with the cloud
/// off), `computed` the runs every shown optimizer has so far, `done` when that is all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CloudInfo {
    pub runs: usize,
    pub computed: usize,
    pub done: bool,
}

pub struct OptimizerLab {
    surface: Box<dyn Surface>,
    settings: Settings,
    slots: Vec<Slot>,
    cloud: Cloud,
}

impl OptimizerLab {
    /// A lab from whole settings, as a link gives them: each field that cannot be used
    /// is set back to its default and listed, the rest applies, and every run is
    /// computed once.
    pub fn open(asked: &Settings) -> (OptimizerLab, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, e: Error| problems.push(Problem::new(field, e.0));
        let defaults = Settings::default();
        let view = asked.view.map(checked_view);
        let shown = view.as_ref().and_then(|v| v.as_ref().ok()).copied();
        let (surface, spec) = match surface::from_spec_in(&asked.surface, shown) {
            Ok(surface) => (surface, asked.surface.clone()),
            Err(e) => {
                problem("surface", e);
                let spec = defaults.surface.clone();
                (
                    surface::from_spec(&spec).expect("the default surface builds"),
                    spec,
                )
            }
        };
        let mut settings = Settings {
            surface: spec,
            optimizers: Vec::new(),
            ..defaults.clone()
        };
        match view {
            Some(Ok(view)) => settings.view = Some(view),
            Some(Err(e)) => problem("view", e),
            None => {}
        }
        let start = asked.start.unwrap_or_else(|| surface.start());
        match checked_start(surface.as_ref(), start) {
            Ok(p) => settings.start = Some(p),
            Err(e) => {
                problem("start", e);
                settings.start = Some(surface.start());
            }
        }
        match checked_steps(asked.steps) {
            Ok(n) => settings.steps = n,
            Err(e) => problem("steps", e),
        }
        match checked_tolerance(asked.tolerance) {
            Ok(t) => settings.tolerance = t,
            Err(e) => problem("tolerance", e),
        }
        match checked_noise(asked.noise, asked.seed) {
            Ok(()) => (settings.noise, settings.seed) = (asked.noise, asked.seed),
            Err(e) => problem(
                if asked.seed > LIMITS.seed {
                    "seed"
                } else {
                    "noise"
                },
                e,
            ),
        }
        match checked_cloud(asked.cloud) {
            Ok(n) => settings.cloud = n,
            Err(e) => problem("cloud", e),
        }
        if asked.optimizers.len() > LIMITS.optimizers {
            problem(
                "optimizers",
                Error::new(format!("at most {} optimizers", LIMITS.optimizers)),
            );
        }
        let mut lab = OptimizerLab {
            surface,
            settings,
            slots: Vec::new(),
            cloud: Cloud::default(),
        };
        for asked in asked.optimizers.iter().take(LIMITS.optimizers) {
            match lab.compute(asked) {
                Ok(run) => lab.slots.push(Slot {
                    contender: asked.clone(),
                    run,
                }),
                Err(e) if optim::CATALOGUE.iter().any(|m| m.id == asked.id) => {
                    problem("optimizers", e);
                    let contender = Contender::starting(&asked.id, asked.enabled);
                    let run = lab.compute(&contender).expect("a method's defaults run");
                    lab.slots.push(Slot { contender, run });
                }
                Err(e) => problem("optimizers", e),
            }
        }
        lab.settings.optimizers = lab.slots.iter().map(|s| s.contender.clone()).collect();
        (lab, problems)
    }

    /// The settings that run: those asked for, with defaults where they had problems.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How each optimizer is drawn, shown or not: its method's colour, in a shade of its
    /// own for a second or later run of one method, and its method's marker shape.
    pub fn styles(&self) -> Vec<Style> {
        styles_of(self.slots.iter().map(|s| s.contender.id.as_str()))
    }

    pub fn surface(&self) -> &dyn Surface {
        self.surface.as_ref()
    }

    /// The region shown: the settings' own, or the surface's.
    pub fn view(&self) -> ViewBox {
        self.settings.view.unwrap_or_else(|| self.surface.view())
    }

    pub fn start(&self) -> Point {
        self.settings.start.unwrap_or_else(|| self.surface.start())
    }

    /// Switches surface and recomputes every run. Another surface starts from its own
    /// view and start; the same one with other parameters (a slider, a formula being
    /// typed) keeps the view and the start shown wherever it can still use them (built
    /// in that view; finite at that start). A surface that cannot be built changes
    /// nothing.
    pub fn set_surface(&mut self, spec: Spec) -> Result<(), Error> {
        let same = spec.id == self.settings.surface.id;
        let kept_view = self.settings.view.filter(|_| same);
        let (surface, view) = match kept_view.map(|v| surface::from_spec_in(&spec, Some(v))) {
            Some(Ok(surface)) => (surface, kept_view),
            _ => (surface::from_spec(&spec)?, None),
        };
        let start = self
            .settings
            .start
            .filter(|&p| same && checked_start(surface.as_ref(), p).is_ok());
        self.settings.start = Some(start.unwrap_or_else(|| surface.start()));
        self.settings.view = view;
        self.settings.surface = spec;
        self.surface = surface;
        self.recompute_all();
        Ok(())
    }

    /// Shows `view`; a surface that searches for its critical points (a formula)
    /// searches them there, so the statuses may change, the runs do not.
    pub fn set_view(&mut self, view: ViewBox) -> Result<(), Error> {
        let view = checked_view(view)?;
        self.surface = surface::from_spec_in(&self.settings.surface, Some(view))?;
        self.settings.view = Some(view);
        Ok(())
    }

    /// Shows the surface's own view again (after zooming and panning); a formula looks
    /// for its critical points there again.
    pub fn reset_view(&mut self) {
        if let Ok(surface) = surface::from_spec(&self.settings.surface) {
            self.surface = surface;
        }
        self.settings.view = None;
    }

    pub fn set_start(&mut self, start: Point) -> Result<(), Error> {
        self.settings.start = Some(checked_start(self.surface.as_ref(), start)?);
        self.recompute_all();
        Ok(())
    }

    pub fn set_steps(&mut self, steps: usize) -> Result<(), Error> {
        self.settings.steps = checked_steps(steps)?;
        self.recompute_all();
        Ok(())
    }

    /// Gaussian noise of standard deviation `sigma` on every gradient, from `seed`.
    pub fn set_noise(&mut self, sigma: f64, seed: u64) -> Result<(), Error> {
        checked_noise(sigma, seed)?;
        (self.settings.noise, self.settings.seed) = (sigma, seed);
        self.recompute_all();
        Ok(())
    }

    /// How many noisy runs per shown optimizer the cloud holds, 0 to [`LIMITS`]' (0:
    /// none); the cloud fills in through [`OptimizerLab::cloud_refine`].
    pub fn set_cloud(&mut self, runs: usize) -> Result<(), Error> {
        self.settings.cloud = checked_cloud(runs)?;
        Ok(())
    }

    /// The cloud's size: the setting, when there is noise to spread the runs apart.
    fn cloud_size(&self) -> usize {
        if self.settings.noise > 0.0 {
            self.settings.cloud
        } else {
            0
        }
    }

    /// Computes up to `budget` more runs of the cloud, one run of each shown optimizer
    /// in turn so that all fill in alike, starting over when the settings that shape
    /// the runs changed since; true once every shown optimizer has its runs. The page
    /// calls it once a frame with the runs a frame's time allows, so input stays live.
    pub fn cloud_refine(&mut self, budget: usize) -> Result<bool, Error> {
        let key = Cloud::key(&self.settings);
        if self.cloud.key.as_ref() != Some(&key) {
            self.cloud.members = self
                .shown()
                .map(|(i, _)| (i, Vec::new(), Summary::default()))
                .collect();
            self.cloud.key = Some(key);
        }
        let size = self.cloud_size();
        let mut changed = vec![false; self.cloud.members.len()];
        for _ in 0..budget {
            // The member with the fewest runs, the first of them on a tie.
            let Some((m, j)) = self
                .cloud
                .members
                .iter()
                .map(|member| member.1.len())
                .enumerate()
                .min_by_key(|&(_, len)| len)
                .filter(|&(_, len)| len < size)
            else {
                break;
            };
            let slot = self.cloud.members[m].0;
            let spec = self.noisy_spec(
                &self.slots[slot].contender,
                cloud::run_seed(self.settings.seed, j),
            )?;
            let mut method = optim::from_spec(&spec)?;
            let t = run::run(
                self.surface(),
                &mut method,
                self.start(),
                self.settings.steps,
            )?;
            self.cloud.members[m].1.push(t);
            changed[m] = true;
        }
        for (member, _) in self.cloud.members.iter_mut().zip(&changed).filter(|c| *c.1) {
            member.2 = cloud::summarize(&member.1);
        }
        Ok(self.cloud_info().done)
    }

    /// How far the cloud is.
    pub fn cloud_info(&self) -> CloudInfo {
        let runs = self.cloud_size();
        let computed = if self.cloud_fresh() {
            let counts = self.cloud.members.iter().map(|member| member.1.len());
            counts.min().unwrap_or(runs).min(runs)
        } else {
            0
        };
        CloudInfo {
            runs,
            computed,
            done: computed == runs,
        }
    }

    /// Whether the cloud was started for the current settings.
    fn cloud_fresh(&self) -> bool {
        self.cloud.key.as_ref() == Some(&Cloud::key(&self.settings))
    }

    /// The cloud computed so far for the current settings, per shown optimizer: its
    /// slot, its runs and their summary; nothing when the settings changed since (the
    /// next [`OptimizerLab::cloud_refine`] starts over) or there is no cloud.
    pub fn cloud(&self) -> impl Iterator<Item = (usize, &[Trajectory], &Summary)> {
        let shown = self.cloud_size() > 0 && self.cloud_fresh();
        self.cloud
            .members
            .iter()
            .filter(move |member| shown && !member.1.is_empty())
            .map(|(i, runs, summary)| (*i, runs.as_slice(), summary))
    }

    /// Every run of the cloud as CSV, `optimizer,run,step,x,y,loss`.
    pub fn cloud_csv(&self) -> String {
        let mut out = String::from("optimizer,run,step,x,y,loss\n");
        for (i, runs, _) in self.cloud() {
            let id = &self.slots[i].contender.id;
            for (j, t) in runs.iter().enumerate() {
                for (k, ([x, y], loss)) in t.points.iter().zip(&t.losses).enumerate() {
                    out.push_str(&format!(
                        "{id},{j},{k},{},{},{}\n",
                        number(*x),
                        number(*y),
                        number(*loss)
                    ));
                }
            }
        }
        out
    }

    /// How close to a minimum a run must stay to count as converged: changes the
    /// outcomes, not the runs.
    pub fn set_tolerance(&mut self, tolerance: f64) -> Result<(), Error> {
        self.settings.tolerance = checked_tolerance(tolerance)?;
        Ok(())
    }

    /// Changes optimizer `index` and recomputes only its run: the call a slider makes
    /// on every input event. A spec the core refuses changes nothing.
    pub fn set_optimizer(&mut self, index: usize, contender: Contender) -> Result<(), Error> {
        if index >= self.slots.len() {
            return Err(Error::new(format!("there is no optimizer {index}")));
        }
        let run = self.compute(&contender)?;
        self.slots[index] = Slot { contender, run };
        self.settings.optimizers[index] = self.slots[index].contender.clone();
        Ok(())
    }

    /// Replaces the list of optimizers (one added or removed); nothing changes if any
    /// of them is refused.
    pub fn set_optimizers(&mut self, list: Vec<Contender>) -> Result<(), Error> {
        if list.len() > LIMITS.optimizers {
            return Err(Error::new(format!(
                "at most {} optimizers",
                LIMITS.optimizers
            )));
        }
        let slots = list
            .into_iter()
            .map(|contender| {
                let run = self.compute(&contender)?;
                Ok(Slot { contender, run })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.slots = slots;
        self.settings.optimizers = self.slots.iter().map(|s| s.contender.clone()).collect();
        Ok(())
    }

    /// Every optimizer's outcome, drawn or not.
    pub fn statuses(&self) -> Vec<Outcome> {
        self.slots.iter().map(|s| self.outcome(&s.run)).collect()
    }

    fn outcome(&self, run: &Trajectory) -> Outcome {
        Outcome::of(self.surface(), run, self.settings.tolerance)
    }

    /// Optimizer `index`'s run.
    pub fn run(&self, index: usize) -> Option<&Trajectory> {
        self.slots.get(index).map(|s| &s.run)
    }

    /// The drawn optimizers' runs, with their index.
    pub fn shown(&self) -> impl Iterator<Item = (usize, &Trajectory)> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contender.enabled)
            .map(|(i, s)| (i, &s.run))
    }

    /// The longest drawn run's number of iterates (0 when none is drawn): where a race
    /// ends.
    pub fn longest(&self) -> usize {
        self.shown().map(|(_, t)| t.points.len()).max().unwrap_or(0)
    }

    /// `(optimizer, step)` of the drawn iterate nearest device pixel (u, v) of a plot
    /// with `layout`, within `radius` device pixels, up to iterate `upto`.
    pub fn nearest(
        &self,
        layout: &Layout,
        (u, v): (f64, f64),
        radius: f64,
        upto: usize,
    ) -> Option<(usize, usize)> {
        let view = self.view();
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, t) in self.shown() {
            for (k, p) in t.points.iter().enumerate().take(upto.saturating_add(1)) {
                let (x, y) = layout.pixel_of(&view, *p);
                let d = (x - u).hypot(y - v);
                if d <= radius && best.is_none_or(|b| d < b.0) {
                    best = Some((d, i, k));
                }
            }
        }
        best.map(|(_, i, k)| (i, k))
    }

    /// Every iterate of every drawn optimizer as CSV, `optimizer,label,step,x,y,loss`,
    /// `labels[i]` naming optimizer i.
    pub fn csv(&self, labels: &[String]) -> String {
        let mut out = String::from("optimizer,label,step,x,y,loss\n");
        for (i, t) in self.shown() {
            let id = &self.slots[i].contender.id;
            let label = csv_field(labels.get(i).map_or(id.as_str(), String::as_str));
            for (k, ([x, y], loss)) in t.points.iter().zip(&t.losses).enumerate() {
                out.push_str(&format!(
                    "{id},{label},{k},{},{},{}\n",
                    number(*x),
                    number(*y),
                    number(*loss)
                ));
            }
        }
        out
    }

    /// The settings and every drawn run, for a JSON export: each run's `points` and
    /// `status` as the CLI's `trace --format json` writes them.
    pub fn export<'a>(&'a self, labels: &'a [String], link: &'a str) -> Export<'a> {
        let runs = self
            .shown()
            .map(|(i, t)| Run {
                optimizer: self.slots[i].contender.spec().to_string(),
                label: labels.get(i),
                points: t
                    .points
                    .iter()
                    .zip(&t.losses)
                    .map(|(p, l)| [p[0], p[1], *l])
                    .collect(),
                status: t.status,
                outcome: self.outcome(t),
            })
            .collect();
        let s = &self.settings;
        Export {
            link,
            surface: s.surface.to_string(),
            view: self.view(),
            start: self.start(),
            steps: s.steps,
            noise: s.noise,
            seed: s.seed,
            tolerance: s.tolerance,
            runs,
        }
    }

    /// Every shown optimizer's learning rate searched over `grid`, with the lab's
    /// surface, start, steps, noise and seed (see [`tune::tune`]), with its index.
    pub fn tune(&self, grid: &Grid) -> Result<Vec<(usize, Tuned)>, Error> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contender.enabled)
            .map(|(i, s)| {
                let spec = self.noisy_spec(&s.contender, self.settings.seed)?;
                let tuned = tune::tune(
                    self.surface(),
                    &spec,
                    self.start(),
                    self.settings.steps,
                    grid,
                )?;
                Ok((i, tuned))
            })
            .collect()
    }

    /// Update `step` of optimizer `index`, which must be drawn, taken apart: see
    /// [`anatomy::anatomy`].
    pub fn anatomy(&self, index: usize, step: usize) -> Result<Anatomy, Error> {
        let slot = self
            .slots
            .get(index)
            .filter(|s| s.contender.enabled)
            .ok_or_else(|| Error::new(format!("optimizer {index} is not shown")))?;
        let mut method = optim::explaining(&self.noisy_spec(&slot.contender, self.settings.seed)?)?;
        anatomy::anatomy(
            self.surface(),
            (&slot.contender.id, &mut method),
            &slot.run,
            step,
        )
    }

    /// The surface's curvature at `p`: see [`anatomy::geometry`].
    pub fn geometry_at(&self, p: Point) -> Result<Geometry, Error> {
        if !p.iter().all(|c| c.is_finite()) {
            return Err(Error::new(format!(
                "({}, {}) is not a point of the plane",
                p[0], p[1]
            )));
        }
        anatomy::geometry(self.surface.hessian(p))
    }

    /// Whether the surface is a quadratic, whose Hessian is the same everywhere: the
    /// one surface where the error splits along fixed eigenvectors.
    fn has_eigen_error(&self) -> bool {
        self.settings.surface.id == "quadratic"
    }

    /// On a quadratic, its constant curvature and each drawn run's error along the
    /// eigenvectors, |uᵢᵀ(θₖ − θ*)| (see [`anatomy::eigen_error`]), with the run's index;
    /// `None` on any other surface.
    pub fn eigen_errors(&self) -> Option<(Geometry, Vec<RunErrors>)> {
        if !self.has_eigen_error() {
            return None;
        }
        let minimum = self.surface.critical_points().first()?.point;
        let geometry = anatomy::geometry(self.surface.hessian(minimum)).ok()?;
        let errors = self
            .shown()
            .map(|(i, t)| (i, anatomy::eigen_error(&geometry, minimum, &t.points)))
            .collect();
        Some((geometry, errors))
    }

    /// [`OptimizerLab::eigen_errors`] as CSV, `optimizer,step,u1,u2`; the header alone
    /// off a quadratic.
    pub fn eigen_error_csv(&self) -> String {
        let mut out = String::from("optimizer,step,u1,u2\n");
        for (i, errors) in self.eigen_errors().map(|e| e.1).unwrap_or_default() {
            let id = &self.slots[i].contender.id;
            for (k, [u1, u2]) in errors.iter().enumerate() {
                out.push_str(&format!("{id},{k},{},{}\n", number(*u1), number(*u2)));
            }
        }
        out
    }

    /// A fresh optimizer as `contender` asks, with the lab's gradient noise.
    fn method(&self, contender: &Contender) -> Result<optim::Configured, Error> {
        optim::from_spec(&self.noisy_spec(contender, self.settings.seed)?)
    }

    /// The contender's spec with the lab's gradient noise drawn from `seed`.
    fn noisy_spec(&self, contender: &Contender, seed: u64) -> Result<Spec, Error> {
        let mut spec = contender.spec();
        if spec.params.iter().any(|(k, _)| k == "noise" || k == "seed") {
            return Err(Error::new(format!(
                "{}: noise and seed are the lab's, the same for every optimizer",
                spec.id
            )));
        }
        if self.settings.noise > 0.0 {
            spec.params
                .push(("noise".into(), number(self.settings.noise)));
            spec.params.push(("seed".into(), seed.to_string()));
        }
        Ok(spec)
    }

    fn compute(&self, contender: &Contender) -> Result<Trajectory, Error> {
        let mut method = self.method(contender)?;
        run::run(
            self.surface(),
            &mut method,
            self.start(),
            self.settings.steps,
        )
    }

    fn recompute_all(&mut self) {
        for i in 0..self.slots.len() {
            // Each contender ran before with the same settings but the one changed,
            // which every method accepts: only the start can fail, and it was checked.
            if let Ok(run) = self.compute(&self.slots[i].contender) {
                self.slots[i].run = run;
            }
        }
    }
}

/// What a JSON export holds: the settings, and each drawn run.
#[derive(Serialize)]
pub struct Export<'a> {
    pub link: &'a str,
    pub surface: String,
    pub view: ViewBox,
    pub start: Point,
    pub steps: usize,
    pub noise: f64,
    pub seed: u64,
    pub tolerance: f64,
    pub runs: Vec<Run<'a>>,
}

/// One run in an export.
#[derive(Serialize)]
pub struct Run<'a> {
    pub optimizer: String,
    pub label: Option<&'a String>,
    pub points: Vec<[f64; 3]>,
    /// How the run stopped, as the CLI's `trace` writes it.
    pub status: Status,
    pub outcome: Outcome,
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A view box with finite, ordered bounds, neither so narrow that its pixels could not
/// tell points apart nor wider than the plane runs go.
pub fn checked_view(view: ViewBox) -> Result<ViewBox, Error> {
    let view = view.validated()?;
    let scale = |a: f64, b: f64| a.abs().max(b.abs()).max(1.0);
    let narrow = view.width() < 1e-9 * scale(view.x.0, view.x.1)
        || view.height() < 1e-9 * scale(view.y.0, view.y.1);
    let wide = view.width() > 2.0 * DIVERGENCE_BOUND || view.height() > 2.0 * DIVERGENCE_BOUND;
    if narrow || wide {
        return Err(Error::new(format!(
            "view [{}, {}] × [{}, {}] must be wider than a billionth of its coordinates and at most {:e} across",
            view.x.0, view.x.1, view.y.0, view.y.1, 2.0 * DIVERGENCE_BOUND
        )));
    }
    Ok(view)
}

fn checked_start(surface: &dyn Surface, [x, y]: Point) -> Result<Point, Error> {
    let inside = [x, y]
        .iter()
        .all(|c| c.is_finite() && c.abs() <= DIVERGENCE_BOUND);
    if inside && surface.value([x, y]).is_finite() {
        Ok([x, y])
    } else {
        Err(Error::new(format!(
            "start ({x}, {y}) must be a point within ±{DIVERGENCE_BOUND:e} where the loss is finite"
        )))
    }
}

fn checked_cloud(runs: usize) -> Result<usize, Error> {
    if runs <= LIMITS.cloud {
        Ok(runs)
    } else {
        Err(Error::new(format!(
            "cloud = {runs} is out of range; it must be 0 (none) to {} runs",
            LIMITS.cloud
        )))
    }
}

fn checked_steps(steps: usize) -> Result<usize, Error> {
    if (1..=LIMITS.steps).contains(&steps) {
        Ok(steps)
    } else {
        Err(Error::new(format!(
            "steps = {steps} is out of range; it must be 1 to {}",
            LIMITS.steps
        )))
    }
}

/// A tolerance above 0 and at most [`LIMITS`]' own.
pub fn checked_tolerance(tolerance: f64) -> Result<f64, Error> {
    if tolerance.is_finite() && tolerance > 0.0 && tolerance <= LIMITS.tolerance {
        Ok(tolerance)
    } else {
        Err(Error::new(format!(
            "tolerance = {tolerance} is out of range; it must be above 0 and at most {}",
            LIMITS.tolerance
        )))
    }
}

fn checked_noise(sigma: f64, seed: u64) -> Result<(), Error> {
    if !(sigma.is_finite() && (0.0..=LIMITS.noise).contains(&sigma)) {
        return Err(Error::new(format!(
            "noise σ = {sigma} is out of range; it must be in [0, {}]",
            LIMITS.noise
        )));
    }
    if seed > LIMITS.seed {
        return Err(Error::new(format!(
            "seed = {seed} is out of range; it must be 0 to {}",
            LIMITS.seed
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::run::OutcomeKind;

    fn settings(json: &str) -> Settings {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_zoomed_view_is_kept_until_reset_and_never_moves_the_runs() {
        let (mut lab, _) = OptimizerLab::open(&Settings::default());
        let own = lab.view();
        let before: Vec<_> = lab.shown().map(|(_, t)| t.points.clone()).collect();
        let zoomed = ViewBox::new(-0.5, 0.5, 0.0, 1.0);
        lab.set_view(zoomed).unwrap();
        assert_eq!(lab.view(), zoomed);
        assert_eq!(lab.settings().view, Some(zoomed));
        assert!(lab.set_view(ViewBox::new(0.0, 1e-12, 0.0, 1.0)).is_err());
        assert_eq!(lab.view(), zoomed, "a refused view changes nothing");
        lab.reset_view();
        assert_eq!(lab.view(), own);
        assert_eq!(lab.settings().view, None);
        let after: Vec<_> = lab.shown().map(|(_, t)| t.points.clone()).collect();
        assert_eq!(before, after);
        // The same surface with another parameter keeps a zoomed view and the start; another
        // surface starts from its own.
        lab.set_view(zoomed).unwrap();
        lab.set_start([0.25, 0.5]).unwrap();
        lab.set_surface(Spec::parse("quadratic:lambda2=5").unwrap())
            .unwrap();
        assert_eq!(
            (lab.view(), lab.start()),
            (lab.surface().view(), lab.surface().start())
        );
        lab.set_view(zoomed).unwrap();
        lab.set_start([0.25, 0.5]).unwrap();
        lab.set_surface(Spec::parse("quadratic:lambda2=50").unwrap())
            .unwrap();
        assert_eq!((lab.view(), lab.start()), (zoomed, [0.25, 0.5]));
        // A formula looks for its minima in the view shown, and in its own once reset.
        lab.set_surface(Spec::parse("formula:(x-5)^2 + (y-5)^2").unwrap())
            .unwrap();
        assert!(lab.surface().critical_points().is_empty());
        lab.set_view(ViewBox::new(0.0, 10.0, 0.0, 10.0)).unwrap();
        assert_eq!(lab.surface().critical_points().len(), 1);
        lab.reset_view();
        assert!(lab.surface().critical_points().is_empty());
    }

    #[test]
    fn the_default_settings_race_four_methods_on_the_banana() {
        let (lab, problems) = OptimizerLab::open(&Settings::default());
        assert!(problems.is_empty());
        assert_eq!(lab.shown().count(), 4);
        assert_eq!(lab.statuses().len(), optim::CATALOGUE.len());
        assert_eq!(lab.settings().start, Some(surface::Banana.start()));
    }

    #[test]
    fn each_bad_setting_is_reset_alone_and_named() {
        let (lab, problems) = OptimizerLab::open(&settings(
            r#"{"surface": "quadratic:lambda1=0", "view": {"x": [0, 1e-300], "y": [0, 1e-300]},
                "steps": 0, "noise": -1, "start": [1e300, 0], "tolerance": 0,
                "optimizers": [{"id": "adam", "params": {"beta1": 2}}, {"id": "bogus"},
                               {"id": "sgd", "params": {"lr": 0.5}, "enabled": false}]}"#,
        ));
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "surface",
                "view",
                "start",
                "steps",
                "tolerance",
                "noise",
                "optimizers",
                "optimizers"
            ]
        );
        let s = lab.settings();
        assert_eq!(s.surface, Spec::named("banana"));
        assert_eq!((s.view, s.steps, s.noise), (None, 200, 0.0));
        assert_eq!(s.tolerance, DEFAULT_TOLERANCE);
        let ids: Vec<_> = s
            .optimizers
            .iter()
            .map(|c| (c.id.as_str(), c.enabled))
            .collect();
        assert_eq!(ids, [("adam", true), ("sgd", false)]);
        assert_eq!(s.optimizers[0], Contender::starting("adam", true));
        assert_eq!(lab.shown().count(), 1, "an unticked optimizer is not drawn");
    }

    #[test]
    fn a_refused_value_changes_nothing() {
        let (mut lab, _) = OptimizerLab::open(&Settings::default());
        let before = lab.settings().clone();
        let mut bad = Contender::starting("sgd", true);
        bad.params.insert("lr".into(), ParamValue::Number(0.0));
        assert!(lab
            .set_optimizer(0, bad)
            .unwrap_err()
            .0
            .contains("lr = 0.0"));
        assert!(lab.set_steps(0).is_err());
        assert!(lab.set_noise(f64::NAN, 0).is_err());
        assert!(lab.set_start([f64::INFINITY, 0.0]).is_err());
        assert!(lab.set_surface(Spec::named("nowhere")).is_err());
        assert!(lab.set_view(ViewBox::new(1.0, 1.0, 0.0, 1.0)).is_err());
        for bad in [0.0, -1e-3, f64::NAN, f64::INFINITY, 10.5] {
            let message = lab.set_tolerance(bad).unwrap_err().0;
            assert!(message.contains("tolerance"), "{message}");
        }
        assert_eq!(lab.settings(), &before);
    }

    #[test]
    fn the_tolerance_judges_the_runs_without_changing_them() {
        let (mut lab, _) = OptimizerLab::open(&settings(
            r#"{"surface": "quadratic", "start": [-2.5, 2], "steps": 60,
                "optimizers": ["sgd:lr=0.1"]}"#,
        ));
        let run = lab.run(0).unwrap().clone();
        let distance = run.points.last().unwrap()[0].hypot(run.points.last().unwrap()[1]);
        // Just outside the run's last distance, then just inside it.
        lab.set_tolerance(0.99 * distance).unwrap();
        assert_eq!(lab.statuses()[0].kind, OutcomeKind::Running);
        lab.set_tolerance(1.01 * distance).unwrap();
        assert_eq!(lab.statuses()[0].kind, OutcomeKind::Converged);
        assert_eq!(lab.statuses()[0].step, 60);
        assert_eq!(lab.run(0), Some(&run));
        lab.set_tolerance(LIMITS.tolerance).unwrap();
        assert_eq!(lab.settings().tolerance, LIMITS.tolerance);
        let link = serde_json::to_value(lab.settings()).unwrap();
        assert_eq!(link["tolerance"], 10.0);
    }

    #[test]
    fn with_nothing_drawn_nothing_is_shown_and_nothing_fails() {
        let (lab, problems) = OptimizerLab::open(&settings(r#"{"optimizers": []}"#));
        assert!(problems.is_empty());
        assert_eq!((lab.shown().count(), lab.longest()), (0, 0));
        let layout = Layout::new(300, 200, 1.0, Margins::SURFACE);
        assert_eq!(lab.nearest(&layout, (10.0, 10.0), 100.0, usize::MAX), None);
        assert_eq!(lab.csv(&[]), "optimizer,label,step,x,y,loss\n");
        assert!(lab.export(&[], "").runs.is_empty());
    }

    #[test]
    fn tuning_searches_every_shown_optimizer_with_the_lab_s_noise() {
        let (lab, _) = OptimizerLab::open(&settings(
            r#"{"surface": "booth", "steps": 40, "noise": 0.5, "seed": 7,
                "optimizers": ["sgd:lr=0.01", {"id": "adam", "enabled": false}, "momentum"]}"#,
        ));
        let grid = Grid::new(1e-3, 0.1, 5).unwrap();
        let tuned = lab.tune(&grid).unwrap();
        let indices: Vec<_> = tuned.iter().map(|t| t.0).collect();
        assert_eq!(indices, [0, 2], "only the shown optimizers");
        let spec = Spec::parse("momentum:noise=0.5,seed=7").unwrap();
        let alone = tune::tune(lab.surface(), &spec, lab.start(), 40, &grid).unwrap();
        assert_eq!(tuned[1].1, alone);
        // At the lab's own η, the curve's loss is the lab's run's final loss.
        let (_, sgd) = &tuned[0];
        let own = sgd.curve.iter().find(|p| p.0 == 0.01).unwrap().1;
        assert_eq!(own, *lab.run(0).unwrap().losses.last().unwrap());
    }

    fn noisy_cloud() -> Settings {
        settings(
            r#"{"surface": "banana", "steps": 60, "noise": 2, "seed": 5, "cloud": 6,
                "optimizers": ["sgd:lr=0.002", {"id": "adam", "enabled": false}, "adam:lr=0.03"]}"#,
        )
    }

    #[test]
    fn a_cloud_fills_in_run_by_run_and_its_run_0_is_the_lab_s_own() {
        let (mut lab, problems) = OptimizerLab::open(&noisy_cloud());
        assert!(problems.is_empty());
        assert_eq!(
            lab.cloud_info(),
            CloudInfo {
                runs: 6,
                computed: 0,
                done: false
            }
        );
        assert!(!lab.cloud_refine(5).unwrap());
        // One run of each shown optimizer in turn: 3 and 2 so far.
        let counts: Vec<_> = lab.cloud().map(|(i, runs, _)| (i, runs.len())).collect();
        assert_eq!(counts, [(0, 3), (2, 2)]);
        assert_eq!(lab.cloud_info().computed, 2);
        assert!(lab.cloud_refine(100).unwrap());
        assert_eq!(
            lab.cloud_info(),
            CloudInfo {
                runs: 6,
                computed: 6,
                done: true
            }
        );
        for (i, runs, summary) in lab.cloud() {
            assert_eq!(runs.len(), 6);
            assert_eq!(
                &runs[0],
                lab.run(i).unwrap(),
                "run 0 is the main run, bit for bit"
            );
            assert!(
                runs[1..].iter().all(|t| t != &runs[0]),
                "each run its own noise"
            );
            assert_eq!(summary, &cloud::summarize(runs));
        }
        // Run j is the lab's run with seed + j·2³².
        let mut moved = noisy_cloud();
        moved.seed = cloud::run_seed(5, 4);
        moved.cloud = 0;
        let (i, runs, _) = lab.cloud().nth(1).unwrap();
        let alone = compute_alone(&moved, i);
        assert_eq!(runs[4], alone);
    }

    fn compute_alone(settings: &Settings, i: usize) -> Trajectory {
        // A lab cannot take the seed 5 + 4·2³² from a link; its runs are computed as the
        // lab computes them.
        let mut spec = settings.optimizers[i].spec();
        spec.params.push(("noise".into(), number(settings.noise)));
        spec.params.push(("seed".into(), settings.seed.to_string()));
        let surface = surface::from_spec(&settings.surface).unwrap();
        let mut method = optim::from_spec(&spec).unwrap();
        run::run(
            surface.as_ref(),
            &mut method,
            surface.start(),
            settings.steps,
        )
        .unwrap()
    }

    #[test]
    fn the_same_link_gives_the_same_cloud_and_a_change_starts_it_over() {
        let cloud_of = |settings: &Settings| {
            let (mut lab, _) = OptimizerLab::open(settings);
            while !lab.cloud_refine(7).unwrap() {}
            lab.cloud_csv()
        };
        let csv = cloud_of(&noisy_cloud());
        assert_eq!(csv, cloud_of(&noisy_cloud()));
        assert!(csv.starts_with("optimizer,run,step,x,y,loss\nsgd,0,0,"));
        assert_eq!(csv.lines().count(), 1 + 2 * 6 * 61);
        let mut other = noisy_cloud();
        other.seed = 6;
        assert_ne!(csv, cloud_of(&other));

        let (mut lab, _) = OptimizerLab::open(&noisy_cloud());
        assert!(lab.cloud_refine(100).unwrap());
        // The view and tolerance leave the runs as they are.
        lab.set_tolerance(0.5).unwrap();
        lab.set_view(ViewBox::new(-1.0, 1.0, -1.0, 1.0)).unwrap();
        assert!(lab.cloud_info().done);
        lab.set_start([0.5, 0.5]).unwrap();
        assert_eq!(lab.cloud_info().computed, 0);
        assert_eq!(lab.cloud().count(), 0, "a stale cloud is not shown");
        assert!(!lab.cloud_refine(1).unwrap());
        let (_, runs, _) = lab.cloud().next().unwrap();
        assert_eq!(runs[0].points[0], [0.5, 0.5]);
    }

    #[test]
    fn without_noise_or_runs_there_is_no_cloud_and_too_many_are_refused() {
        let mut quiet = noisy_cloud();
        quiet.noise = 0.0;
        let (mut lab, _) = OptimizerLab::open(&quiet);
        assert!(lab.cloud_refine(10).unwrap());
        assert_eq!(lab.cloud().count(), 0);
        assert_eq!(lab.cloud_csv(), "optimizer,run,step,x,y,loss\n");
        let message = lab.set_cloud(101).unwrap_err().0;
        assert!(message.contains("0 (none) to 100"), "{message}");
        assert_eq!(lab.settings().cloud, 6);
        lab.set_cloud(0).unwrap();
        lab.set_noise(1.0, 0).unwrap();
        assert_eq!(lab.cloud_info().runs, 0);
        let mut many = noisy_cloud();
        many.cloud = 1000;
        let (lab, problems) = OptimizerLab::open(&many);
        assert_eq!(problems[0].field, "cloud");
        assert_eq!(lab.settings().cloud, 0);
    }

    #[test]
    fn exports_write_numbers_as_the_cli_does() {
        let (lab, _) = OptimizerLab::open(&settings(
            r#"{"surface": "booth", "start": [0.1, -2], "steps": 1,
                "optimizers": [{"id": "sgd", "params": {"lr": 0.1}}]}"#,
        ));
        let csv = lab.csv(&["sgd η=0.1, first".into()]);
        let rows: Vec<_> = csv.lines().collect();
        assert_eq!(rows[1], "sgd,\"sgd η=0.1, first\",0,0.1,-2,165.05");
        let text = crate::text::json(&lab.export(&[], "#x"), true);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["runs"][0]["status"]["kind"], "running");
        assert_eq!(json["runs"][0]["points"].as_array().unwrap().len(), 2);
        assert_eq!(json["runs"][0]["optimizer"], "sgd:lr=0.1");
        assert_eq!(json["tolerance"], DEFAULT_TOLERANCE);
        assert_eq!(json["runs"][0]["outcome"]["kind"], "running");
        assert_eq!(
            json["runs"][0]["outcome"]["minimum"],
            serde_json::json!([1, 3])
        );
    }
}
