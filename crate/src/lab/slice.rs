//! A slice of a network's loss landscape as the optimizer lab's link carries it: the
//! surface spec `slice:{…}`, whose one verbatim parameter is a [`SliceDefinition`] in
//! compact JSON,
//!
//! `slice:{"runs":[{"dataset":"xor","hidden":[4]}],"run":0,"updates":600,"d1":"pca:1","d2":"pca:2","span":[2,1]}`
//!
//! — the network lab's runs (each a [`Setup`], naming only what differs from the
//! default; the first run's data and split are every run's, as side by side), which one
//! is sliced, how many updates it trained, the two directions of the plane
//! ([`Direction`]: one weight `W<l>[i,j]` or bias `b<l>[i]`, `random:seed=S`, `pca:1`,
//! `pca:2`) and the view's half-widths ±a, ±b.
//!
//! **Weights never travel.** The optimizer lab rebuilds the network by training it
//! again: it opens the runs as the network lab does and makes the same updates, which
//! gives the same bits (training is seeded, and every transcendental function is libm's).
//! Points of one's own — clicked or loaded — travel as `"points"` (training) and
//! `"validation"` (held out), `[x1, x2, label]` each or `[x, y]` on a curve, at most
//! [`MOST_POINTS`] of them. What training cannot reproduce cannot be sliced in a link: a
//! model loaded from a file, or points added or removed while the run trained
//! ([`SliceDefinition::of_run`] trains again and compares before it says yes).
//!
//! A hostile link cannot freeze the page: the text is at most [`MOST_TEXT`] characters,
//! the updates at most [`MOST_UPDATES`] and their cost at most [`TRAINING_BUDGET`], one
//! value of the loss at most [`MOST_EVALUATION`] (the setups' own limits bound the
//! network), and every bad field is an error that names it.

use super::network::NetworkLab;
use super::runs::{Runs, MOST_RUNS};
use crate::config::{unknown_key, Error, Parameter};
use crate::nn::landscape::Direction;
use crate::nn::landscape::Plane;
use crate::nn::network::Targets;
use crate::nn::setup::Setup;
use crate::surface::slice::{evaluation_cost, Landscape, Slice, ID};
use crate::surface::{Point, ViewBox};
use crate::text::number;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// The key of the spec's one parameter (see [`crate::config::VERBATIM`]).
pub const KEY: &str = "definition";

/// The most updates a definition may ask to train again.
pub const MOST_UPDATES: usize = 200_000;

/// What training again may cost, in the units of [`evaluation_cost`] (an update's
/// forward and backward passes and the epochs' evaluations counted as four passes over
/// each minibatch): a second or two in the browser.
pub const TRAINING_BUDGET: f64 = 2e9;

/// What one value of g may cost ([`evaluation_cost`]): about a millisecond in the
/// browser, so that the lab's runs — a few hundred steps of several optimizers, each
/// step about three passes — take a second or less. The digits' networks are beyond it.
pub const MOST_EVALUATION: usize = 2_000_000;

/// The most points of one's own a definition may carry, training and validation.
pub const MOST_POINTS: usize = 300;

/// The longest definition text: 300 points of full-precision coordinates fit.
pub const MOST_TEXT: usize = 40_000;

/// The largest half-width of the view.
pub const MOST_SPAN: f64 = 1000.0;

/// The slice a bare `slice` opens: an XOR network of 4 tanh units trained 300 updates,
/// on the plane of two random filter-normalized directions.
pub const DEFAULT: &str = r#"{"runs":[{"dataset":"xor:n=100","hidden":[4]}],"run":0,"updates":300,"d1":"random:seed=1","d2":"random:seed=2","span":[1,1]}"#;

/// Which network is sliced, how it was trained, and the plane: see the module's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceDefinition {
    /// The runs side by side, 1 to [`MOST_RUNS`]: the first's data is every run's.
    pub runs: Vec<Setup>,
    /// The run sliced, from 0.
    #[serde(default)]
    pub run: usize,
    /// How many minibatch updates it trained.
    pub updates: usize,
    pub d1: Direction,
    pub d2: Direction,
    /// The view's half-widths: a in [−span₀, span₀], b in [−span₁, span₁].
    #[serde(default = "unit_span")]
    pub span: [f64; 2],
    /// Training points of one's own in place of the first run's dataset: `[x1, x2,
    /// label]` or, on a curve, `[x, y]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<Vec<f64>>,
    /// Validation points of one's own, as `points`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation: Vec<Vec<f64>>,
}

fn unit_span() -> [f64; 2] {
    [1.0, 1.0]
}

/// The run trained again, and the weights it started from.
struct Trained {
    lab: NetworkLab,
    initial: Vec<f64>,
}

impl SliceDefinition {
    /// A definition from its JSON text, checked field by field.
    pub fn parse(text: &str) -> Result<SliceDefinition, Error> {
        if text.len() > MOST_TEXT {
            return Err(Error::new(format!(
                "slice: the definition is {} characters long; at most {MOST_TEXT}",
                text.len()
            )));
        }
        let definition: SliceDefinition = serde_json::from_str(text)
            .map_err(|e| Error::new(format!("slice: not a definition: {e}")))?;
        definition.checked()
    }

    /// Every field within its limits.
    fn checked(self) -> Result<SliceDefinition, Error> {
        let runs = self.runs.len();
        if !(1..=MOST_RUNS).contains(&runs) {
            return Err(Error::new(format!(
                "slice: runs are 1 to {MOST_RUNS}, not {runs}"
            )));
        }
        if self.run >= runs {
            return Err(Error::new(format!(
                "slice: there is no run {}: the runs are numbered 0 to {}",
                self.run,
                runs - 1
            )));
        }
        if self.updates > MOST_UPDATES {
            return Err(Error::new(format!(
                "slice: updates = {} is too many; at most {MOST_UPDATES}",
                self.updates
            )));
        }
        if !self.span.iter().all(|s| *s > 0.0 && *s <= MOST_SPAN) {
            return Err(Error::new(format!(
                "slice: span = [{}, {}] is out of range; each must be in (0, {MOST_SPAN}]",
                self.span[0], self.span[1]
            )));
        }
        let count = self.points.len() + self.validation.len();
        if count > MOST_POINTS {
            return Err(Error::new(format!(
                "slice: {count} points of one's own are too many for a link; at most {MOST_POINTS}"
            )));
        }
        if self.points.is_empty() && !self.validation.is_empty() {
            return Err(Error::new(
                "slice: validation points need training points beside them",
            ));
        }
        let arity = self.points.first().map_or(0, Vec::len);
        let all = self.points.iter().chain(&self.validation);
        if !all.clone().all(|p| p.len() == arity) || !matches!(arity, 0 | 2 | 3) {
            return Err(Error::new(
                "slice: every point is [x1, x2, label] or, on a curve, every one [x, y]",
            ));
        }
        if !all.flatten().all(|v| v.is_finite()) {
            return Err(Error::new("slice: a point's numbers must be finite"));
        }
        Ok(self)
    }

    /// The definition as its spec's parameter: compact JSON, each setup naming only
    /// what differs from the default, its specs as text.
    pub fn text(&self) -> String {
        let mut object = serde_json::json!({
            "runs": self.runs.iter().map(compact).collect::<Vec<_>>(),
            "run": self.run,
            "updates": self.updates,
            "d1": self.d1.to_string(),
            "d2": self.d2.to_string(),
            "span": self.span,
        });
        for (key, points) in [("points", &self.points), ("validation", &self.validation)] {
            if !points.is_empty() {
                object[key] = serde_json::json!(points);
            }
        }
        object.to_string()
    }

    /// The surface spec: `slice:` and [`SliceDefinition::text`].
    pub fn spec(&self) -> String {
        format!("{ID}:{}", self.text())
    }

    /// The definition of run `index` of `runs` as it is now, with the plane of `d1` and
    /// `d2` and the view ±`span`. It keeps the first run and the one sliced (no other
    /// run changes their numbers), and the data as points if they are not what the
    /// first run's setup makes. Then it trains that run again from the definition and
    /// compares: weights that training does not reproduce — a model loaded from a file,
    /// points added or removed while it trained — are an error, as is a direction that
    /// does not exist or spans no plane with the other.
    pub fn of_run(
        runs: &Runs,
        index: usize,
        (d1, d2): (Direction, Direction),
        span: [f64; 2],
    ) -> Result<SliceDefinition, Error> {
        let lab = runs.lab(index)?;
        let first = runs.lab(0)?;
        let (points, validation) = own_points(first)?;
        let setups = match index {
            0 => vec![first.setup().clone()],
            _ => vec![first.setup().clone(), lab.setup().clone()],
        };
        let definition = SliceDefinition {
            run: setups.len() - 1,
            runs: setups,
            updates: lab.trainer().updates,
            d1,
            d2,
            span,
            points,
            validation,
        }
        .checked()?;
        let trained = definition.trained()?;
        if trained.lab.trainer().theta != lab.trainer().theta {
            return Err(Error::new(
                "these weights cannot travel in a link: training this run's setup again does not reproduce them (a model was loaded, or points were added or removed while it trained). Start training again from its setup, then open the slice",
            ));
        }
        definition.landscape(&trained)?;
        Ok(definition)
    }

    /// Opens the runs as the network lab does — the first, on the points of one's own
    /// if there are any, and the one sliced beside it — and trains the one sliced.
    fn trained(&self) -> Result<Trained, Error> {
        let first = match self.csv() {
            Some(csv) => {
                let (lab, repairs) = NetworkLab::of_csv(&self.runs[0], &csv)?;
                refuse_problems(0, repairs.iter())?;
                lab
            }
            None => NetworkLab::open(&self.runs[0]),
        };
        refuse_problems(0, first.problems().iter())?;
        let mut lab = match self.run {
            0 => first,
            run => {
                let lab = NetworkLab::open_on(&self.runs[run], &first)?;
                refuse_problems(run, lab.problems().iter())?;
                lab
            }
        };
        let t = lab.trainer();
        let evaluation = evaluation_cost(&t.network, t.data.train.len());
        if evaluation > MOST_EVALUATION {
            return Err(Error::new(format!(
                "slice: one value of this network's loss over its {} training points costs {evaluation:.1e} multiply-adds; the optimizer lab slices at most {MOST_EVALUATION:.0e} (fewer points or a smaller network)",
                t.data.train.len()
            )));
        }
        let batch = lab.setup().batch.min(t.data.train.len()).max(1);
        let per_update = 4.0 * evaluation_cost(&t.network, batch) as f64;
        let cost = self.updates as f64 * per_update;
        if cost > TRAINING_BUDGET {
            let most = (TRAINING_BUDGET / per_update) as usize;
            return Err(Error::new(format!(
                "slice: training {} updates again would take {cost:.1e} multiply-adds, more than a link may ask of a page; at most {most} updates for this network and batch",
                self.updates
            )));
        }
        let initial = t.theta.clone();
        while lab.trainer().updates < self.updates && lab.trainer().stopped.is_none() {
            lab.train(self.updates - lab.trainer().updates);
        }
        Ok(Trained { lab, initial })
    }

    /// The landscape of the trained run — its network and training set as it receives
    /// it, on the plane of d₁ and d₂ through its weights (a principal direction from the
    /// path it recorded) — and where training started on it: the coordinates of θ₀'s
    /// nearest point.
    fn landscape(&self, trained: &Trained) -> Result<(Landscape, Point), Error> {
        let t = trained.lab.trainer();
        let plane = Plane::through(
            &t.network,
            &t.theta,
            [self.d1, self.d2],
            Some(trained.lab.trajectory()),
        )?;
        let origin = plane.project(&trained.initial)?;
        let landscape = Landscape::new(
            t.network.clone(),
            t.data.train.x.clone(),
            t.train_targets().clone(),
            plane,
        )?;
        Ok((landscape, origin))
    }

    /// The points of one's own as the CSV text the network lab loads, with their sets.
    fn csv(&self) -> Option<String> {
        if self.points.is_empty() {
            return None;
        }
        let mut out = String::from(match self.points[0].len() {
            3 => "x1,x2,label,set\n",
            _ => "x,y,set\n",
        });
        for (points, set) in [(&self.points, "train"), (&self.validation, "validation")] {
            for point in points {
                let fields: Vec<String> = point.iter().map(|&v| number(v)).collect();
                out.push_str(&format!("{},{set}\n", fields.join(",")));
            }
        }
        Some(out)
    }

    /// The view: ±span about θ.
    pub fn view(&self) -> ViewBox {
        let [a, b] = self.span;
        ViewBox::new(-a, a, -b, b)
    }
}

/// A setup as JSON naming only what differs from the default, its specs as text.
fn compact(setup: &Setup) -> serde_json::Value {
    let object = |setup: &Setup| match serde_json::to_value(setup) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    let default = object(&Setup::default());
    object(setup)
        .into_iter()
        .filter(|(key, value)| default.get(key) != Some(value))
        .map(|(key, value)| {
            let spec = match key.as_str() {
                "dataset" => Some(&setup.dataset),
                "optimizer" => Some(&setup.optimizer),
                "schedule" => Some(&setup.schedule),
                _ => None,
            };
            let value = spec.map_or(value, |s| serde_json::Value::String(s.to_string()));
            (key, value)
        })
        .collect()
}

/// An error naming run `run`'s first problem, if it has one: a setup in a link must be
/// used as it is, or the network would not be the one sliced.
fn refuse_problems<'a>(
    run: usize,
    mut problems: impl Iterator<Item = &'a crate::config::Problem>,
) -> Result<(), Error> {
    match problems.next() {
        Some(p) => Err(Error::new(format!(
            "slice: run {run}'s {}: {}",
            p.field, p.message
        ))),
        None => Ok(()),
    }
}

/// The first run's data as points of one's own, training and validation, unless they
/// are what its setup makes (then none travel).
type Points = (Vec<Vec<f64>>, Vec<Vec<f64>>);

fn own_points(first: &NetworkLab) -> Result<Points, Error> {
    if !first.own_data() && first.split() == NetworkLab::open(first.setup()).split() {
        return Ok((Vec::new(), Vec::new()));
    }
    let split = first.split();
    if split.train.len() + split.validation.len() > MOST_POINTS {
        return Err(Error::new(format!(
            "these data cannot travel in a link: they are {} points of one's own, and a link carries at most {MOST_POINTS}",
            split.train.len() + split.validation.len()
        )));
    }
    let rows = |part: &crate::nn::data::Dataset| -> Result<Vec<Vec<f64>>, Error> {
        (0..part.len())
            .map(|i| match (&part.targets, part.x.nrows()) {
                (Targets::Classes(y), 2) => Ok(vec![part.x[(0, i)], part.x[(1, i)], y[i] as f64]),
                (Targets::Binary(y), 2) => Ok(vec![part.x[(0, i)], part.x[(1, i)], y[i]]),
                (Targets::Values(v), 1) if v.nrows() == 1 => Ok(vec![part.x[(0, i)], v[(0, i)]]),
                _ => Err(Error::new(
                    "these data cannot travel in a link as points: only points of the plane with a class, or of a curve, can",
                )),
            })
            .collect()
    };
    if !split.test.is_empty() {
        return Err(Error::new(
            "these data cannot travel in a link as points: they have a test set",
        ));
    }
    Ok((rows(&split.train)?, rows(&split.validation)?))
}

/// The spec's one parameter, for the page's listing and the CLI's.
pub fn parameters() -> Vec<Parameter> {
    vec![Parameter {
        key: KEY,
        kind: "text",
        default: DEFAULT.to_string(),
        range: None,
        about: "the network lab's runs, the run sliced, its updates, the directions d1 and d2 and the span, as JSON: the network is trained again, its weights never travel",
        label: "slice",
        symbol: None,
        slider: None,
    }]
}

thread_local! {
    /// The last landscape built, by its definition without the span, and where
    /// training started on it: the lab rebuilds its surface from the spec for another
    /// view, a rate map, a start; training the network again each time would cost
    /// seconds, for the same bits.
    static LAST: RefCell<Option<(String, Rc<Landscape>, Point)>> = const { RefCell::new(None) };
}

/// The slice of a spec's parameters: its definition (the default one without).
pub fn surface(params: &[(String, String)]) -> Result<Slice, Error> {
    let text = match params {
        [] => DEFAULT,
        [(key, text)] if key == KEY => text.as_str(),
        [(key, _), ..] => return Err(unknown_key(ID, key, &[KEY])),
    };
    let definition = SliceDefinition::parse(text)?;
    let key = SliceDefinition {
        span: unit_span(),
        ..definition.clone()
    }
    .text();
    let cached = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(k, _, _)| *k == key)
            .map(|(_, landscape, origin)| (landscape.clone(), *origin))
    });
    let (landscape, origin) = match cached {
        Some(found) => found,
        None => {
            let (landscape, origin) = definition.landscape(&definition.trained()?)?;
            let landscape = Rc::new(landscape);
            LAST.set(Some((key, landscape.clone(), origin)));
            (landscape, origin)
        }
    };
    let view = definition.view();
    Slice::new(landscape, view, start_in(&view, origin))
}

/// Where training started, if it is in the view (as far in as a tenth of the view from
/// its edges); else the point of that inner box nearest it, towards it from θ.
fn start_in(view: &ViewBox, [a, b]: Point) -> Point {
    let inner = |(low, high): (f64, f64), v: f64| {
        let margin = 0.1 * (high - low);
        if v.is_finite() {
            v.clamp(low + margin, high - margin)
        } else {
            low + margin
        }
    };
    [inner(view.x, a), inner(view.y, b)]
}
