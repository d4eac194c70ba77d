//! What each page holds, as plain data the core can test natively: the optimizer lab's
//! settings and runs ([`optimizers`]), the network lab's setup and training
//! ([`network`]), the presets of both, and the catalogue the pages build their controls
//! and links from — every choice with its parameters, defaults, ranges and limits,
//! declared once here and in the modules it lists.

pub mod cloud;
pub mod images;
pub mod landscape;
pub mod network;
pub mod optimizers;
pub mod runs;
pub mod slice;

use crate::config::{Control, Parameter, Range};
use crate::nn::data::{DatasetEntry, DATASETS};
use crate::nn::init::{InitEntry, INITS, MOST_SCALE};
use crate::nn::lr_range;
use crate::nn::model::{ModelLimits, MODEL_LIMITS};
use crate::nn::normalize::{NormalizationEntry, NORMALIZATIONS};
use crate::nn::schedule::SCHEDULES;
use crate::nn::setup::{self, OutputEntry, Setup, OUTPUTS};
use crate::nn::Activation;
use crate::{optim, surface};
use serde::{Deserialize, Serialize};

/// A surface, an optimizer or a schedule as the page lists it.
#[derive(Serialize)]
pub struct Listing {
    pub id: &'static str,
    /// f(x, y) for a surface, the update rule for an optimizer or a schedule.
    pub formula: &'static str,
    pub parameters: Vec<Parameter>,
}

/// A hidden activation: g and g' as on the slides.
#[derive(Serialize)]
pub struct ActivationListing {
    pub id: &'static str,
    pub formula: &'static str,
    pub derivative: &'static str,
}

/// What the optimizer lab offers.
#[derive(Serialize)]
pub struct PlaneCatalogue {
    pub limits: optimizers::Limits,
    pub defaults: optimizers::Settings,
    /// The lab's own settings as controls: steps, noise, seed, cloud, speed, tolerance.
    pub parameters: Vec<Parameter>,
    /// The 3-D view's default camera and pitch range, in degrees.
    pub camera: crate::render::CameraDegrees,
    /// The surfaces whose text after the `:` is one parameter kept whole, with its key
    /// (`formula:EXPR`, `slice:{…}`): the link writes them as the CLI reads them.
    pub verbatim: &'static [(&'static str, &'static str)],
}

/// What the network lab offers.
#[derive(Serialize)]
pub struct NetworkCatalogue {
    pub datasets: Vec<DatasetListing>,
    /// Each input normalization with its formula.
    pub normalizations: Vec<NormalizationEntry>,
    pub activations: Vec<ActivationListing>,
    /// Each output with the loss it goes with, the kinds of data it fits and its
    /// parameters.
    pub outputs: Vec<OutputListing>,
    pub inits: Vec<InitListing>,
    /// The largest scale an initialization takes.
    pub most_scale: f64,
    pub schedules: Vec<Listing>,
    /// The optimizers a network can train with.
    pub optimizers: Vec<&'static str>,
    pub limits: setup::Limits,
    pub model_limits: ModelLimits,
    /// The most points a dataset holds, added ones included.
    pub most_points: usize,
    /// The most updates the page makes per frame while training.
    pub most_speed: usize,
    /// The most runs side by side.
    pub most_runs: usize,
    /// The learning-rate range test's defaults and bounds.
    pub lr_range: RangeListing,
    pub defaults: Setup,
    /// The setup's numbers as controls (and the page's speed): speed, validation, l2,
    /// batch, early_stopping, seed, and the units of a hidden layer.
    pub parameters: Vec<Parameter>,
}

/// The learning-rate range test's defaults (`from`, `to`, `points`, `updates`) and
/// bounds (`most_rate`, `most_points`, `most_updates`).
#[derive(Serialize)]
pub struct RangeListing {
    pub defaults: lr_range::RangeSettings,
    #[serde(flatten)]
    pub limits: lr_range::RangeLimits,
}

/// An initialization with its scale, if it takes one, as a control.
#[derive(Serialize)]
pub struct InitListing {
    #[serde(flatten)]
    pub entry: InitEntry,
    pub parameters: Vec<Parameter>,
}

/// Updates per frame the network lab starts training with.
pub const NETWORK_SPEED: usize = 4;

/// The network setup's numbers, each as a control; the key is the [`Setup`] field
/// (`units` is each entry of `hidden`; `speed` the page's own).
fn network_parameters() -> Vec<Parameter> {
    let (d, limits) = (Setup::default(), setup::LIMITS);
    let whole = |most: f64| Some(Range::new(0.0, most, true, true));
    vec![
        Parameter::new(
            "speed",
            NETWORK_SPEED as u64,
            Some(Range::new(1.0, network::MOST_SPEED as f64, true, true)),
            "updates per frame while training, as many as the frame's time allows",
            Control::new("speed").whole_log(1.0, network::MOST_SPEED as f64),
        ),
        Parameter::new(
            "validation",
            d.validation,
            Some(Range::new(0.0, limits.validation, true, true)),
            "the fraction of the points held out, never trained on, to measure the validation loss",
            Control::new("validation").linear(0.0, limits.validation),
        ),
        Parameter::new(
            "units",
            d.hidden.first().map_or(1, |&u| u as u64),
            Some(Range::new(1.0, limits.units as f64, true, true)),
            "how many units a hidden layer has",
            Control::new("units").whole(1.0, limits.units as f64),
        ),
        Parameter::new(
            "l2",
            d.l2,
            Some(Range::new(0.0, limits.l2, true, true)),
            "λ of the L2 term λ Σ‖W‖² added to the loss, which keeps the weights small (biases excluded)",
            Control::new("L2 penalty").symbol("λ").linear(0.0, 0.1),
        ),
        Parameter::new(
            "batch",
            d.batch as u64,
            Some(Range::new(1.0, limits.batch as f64, true, true)),
            "how many samples each update averages its gradient over",
            Control::new("batch size").whole_log(1.0, limits.batch as f64),
        ),
        Parameter::new(
            "early_stopping",
            d.early_stopping as u64,
            whole(limits.early_stopping as f64),
            "early stopping: epochs without a better validation loss before training stops (0: never)",
            Control::new("patience").whole(0.0, 50.0),
        ),
        Parameter::new(
            "seed",
            d.seed,
            whole(limits.seed as f64),
            "seeds the initialization, the split and the order of the minibatches",
            Control::new("init seed").whole(0.0, 100.0),
        ),
    ]
}

/// An initialization's scale (c, σ or a) as a control, if it takes one.
fn init_parameters(entry: &InitEntry) -> Vec<Parameter> {
    entry
        .scale
        .map(|(symbol, default)| {
            Parameter::new(
                "scale",
                default,
                Some(Range::new(0.0, MOST_SCALE, true, true)),
                "how large the initial weights are: the initialization's c, σ or a",
                Control::new("init scale")
                    .symbol(symbol)
                    .log(0.001, 20.0_f64.min(MOST_SCALE)),
            )
        })
        .into_iter()
        .collect()
}

/// An output with its parameters (an mdn's number of components).
#[derive(Serialize)]
pub struct OutputListing {
    #[serde(flatten)]
    pub entry: OutputEntry,
    pub parameters: Vec<Parameter>,
}

#[derive(Serialize)]
pub struct DatasetListing {
    #[serde(flatten)]
    pub entry: DatasetEntry,
    pub parameters: Vec<Parameter>,
}

/// What the optimizer lab's page builds its controls and links from.
#[derive(Serialize)]
pub struct PlaneListing {
    pub surfaces: Vec<Listing>,
    pub optimizers: Vec<Listing>,
    pub plane: PlaneCatalogue,
}

/// What the network lab's page builds its controls and links from.
#[derive(Serialize)]
pub struct NetworkListing {
    pub optimizers: Vec<Listing>,
    pub network: NetworkCatalogue,
}

/// Every optimizer with its own parameters (noise and seed are the lab's).
fn optimizer_listings() -> Vec<Listing> {
    optim::CATALOGUE
        .iter()
        .map(|e| Listing {
            id: e.id,
            formula: e.update,
            parameters: (e.parameters)(),
        })
        .collect()
}

/// The optimizer lab's choices.
pub fn plane_catalogue() -> PlaneListing {
    PlaneListing {
        surfaces: surface::CATALOGUE
            .iter()
            .map(|e| Listing {
                id: e.id,
                formula: e.formula,
                parameters: (e.parameters)(),
            })
            .collect(),
        optimizers: optimizer_listings(),
        plane: PlaneCatalogue {
            limits: optimizers::LIMITS,
            defaults: optimizers::Settings::default(),
            parameters: optimizers::parameters(),
            camera: crate::render::CAMERA_DEGREES,
            verbatim: crate::config::VERBATIM,
        },
    }
}

/// The network lab's choices.
pub fn network_catalogue() -> NetworkListing {
    NetworkListing {
        optimizers: optimizer_listings(),
        network: NetworkCatalogue {
            datasets: DATASETS
                .iter()
                .map(|entry| DatasetListing {
                    entry: *entry,
                    parameters: entry.parameters(),
                })
                .collect(),
            normalizations: NORMALIZATIONS.to_vec(),
            activations: Activation::HIDDEN
                .iter()
                .map(|a| {
                    let (formula, derivative) = a.formulas();
                    ActivationListing {
                        id: a.name(),
                        formula,
                        derivative,
                    }
                })
                .collect(),
            outputs: OUTPUTS
                .iter()
                .map(|entry| OutputListing {
                    entry: *entry,
                    parameters: entry.parameters(),
                })
                .collect(),
            inits: INITS
                .iter()
                .map(|entry| InitListing {
                    entry: *entry,
                    parameters: init_parameters(entry),
                })
                .collect(),
            most_scale: MOST_SCALE,
            schedules: SCHEDULES
                .iter()
                .map(|e| Listing {
                    id: e.id,
                    formula: e.rule,
                    parameters: (e.parameters)(),
                })
                .collect(),
            optimizers: optim::CATALOGUE
                .iter()
                .map(|e| e.id)
                .filter(|id| setup::network_optimizer(&crate::Spec::named(id)).is_ok())
                .collect(),
            limits: setup::LIMITS,
            model_limits: MODEL_LIMITS,
            most_points: network::MOST_POINTS,
            most_speed: network::MOST_SPEED,
            most_runs: runs::MOST_RUNS,
            lr_range: RangeListing {
                defaults: lr_range::DEFAULT_RANGE,
                limits: lr_range::RANGE_LIMITS,
            },
            defaults: Setup::default(),
            parameters: network_parameters(),
        },
    }
}

/// How a preset shows its lab, beyond the settings: race mode, its speed, autoplay,
/// the panel beside the surface, the step explained.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    #[serde(default)]
    pub play: bool,
    /// The panel beside the surface: `rates`, `eigen` or `tune`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
    /// The network's loss landscape: the network page shows it beside the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landscape: Option<LandscapePage>,
    /// The rate map's method and whether it is measured from runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<RatesPage>,
    /// The optimizer (its index) whose step is explained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<usize>,
    /// The surface in 3-D, seen from [yaw, pitch] in degrees (see `render::Camera`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<[f64; 2]>,
}

/// A landscape as a preset shows it: its directions d₁, d₂ as the page spells them
/// (`W0[1,0]`, `b1[0]`, `random:seed=7`, `pca:1`) and its span [A, B], a ∈ [−A, A],
/// b ∈ [−B, B]; the page picks the grid's side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandscapePage {
    pub d1: crate::nn::landscape::Direction,
    pub d2: crate::nn::landscape::Direction,
    pub span: [f64; 2],
}

/// A rate map as a preset shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesPage {
    pub method: String,
    #[serde(default)]
    pub empirical: bool,
}

/// A one-click demo: its settings and what to notice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset<S> {
    pub title: String,
    pub caption: String,
    #[serde(alias = "setup")]
    pub settings: S,
    #[serde(default)]
    pub page: Page,
    /// A network preset's runs after the first, side by side with it: each names only
    /// the fields of the setup it changes (`[{"optimizer": "adam:lr=0.01"}]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl Preset<Setup> {
    /// Every run's setup: the preset's, then each of its runs, the preset's with the
    /// run's fields in place of its own.
    pub fn setups(&self) -> Result<Vec<Setup>, crate::config::Error> {
        let base = serde_json::to_value(&self.settings)
            .map_err(|e| crate::config::Error::new(e.to_string()))?;
        let mut setups = vec![self.settings.clone()];
        for (i, run) in self.runs.iter().enumerate() {
            let mut merged = base.clone();
            if let serde_json::Value::Object(fields) = &mut merged {
                fields.extend(run.clone());
            }
            let setup = serde_json::from_value(merged).map_err(|e| {
                crate::config::Error::new(format!("{}: run {}: {e}", self.title, i + 2))
            })?;
            setups.push(setup);
        }
        Ok(setups)
    }
}

/// The optimizer lab's gallery as JSON: a preset's optimizers are specs' text, and its
/// settings name only what differs from the defaults.
pub const OPTIMIZER_PRESETS: &str = include_str!("presets-optimizers.json");

/// The network lab's gallery as JSON: a preset's setup names only what differs from the
/// default one, its specs as text.
pub const NETWORK_PRESETS: &str = include_str!("presets-network.json");

/// The optimizer lab's gallery, read (the tests check every preset opens and does what
/// its caption says).
pub fn optimizer_presets() -> Vec<Preset<optimizers::Settings>> {
    serde_json::from_str(OPTIMIZER_PRESETS).expect("presets-optimizers.json is valid")
}

/// The network lab's gallery, read.
pub fn network_presets() -> Vec<Preset<Setup>> {
    serde_json::from_str(NETWORK_PRESETS).expect("presets-network.json is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_list_every_choice_and_serialize() {
        let plane = plane_catalogue();
        assert_eq!(plane.surfaces.len(), surface::CATALOGUE.len());
        let c = network_catalogue().network;
        assert!(!c.optimizers.contains(&"newton"));
        assert_eq!(c.optimizers.len(), optim::CATALOGUE.len() - 1);
        let blobs = c.datasets.iter().find(|d| d.entry.id == "blobs").unwrap();
        assert!(blobs.parameters.iter().any(|p| p.key == "k"));
        let moons = c.datasets.iter().find(|d| d.entry.id == "moons").unwrap();
        assert!(moons.parameters.iter().all(|p| p.key != "k"));
        // The page builds its output choices from each output's tasks, and an mdn's
        // components from its parameter k.
        let ids: Vec<_> = c.outputs.iter().map(|o| o.entry.id).collect();
        assert_eq!(ids, ["softmax", "sigmoid", "identity", "gaussian", "mdn"]);
        let mdn = c.outputs.iter().find(|o| o.entry.id == "mdn").unwrap();
        assert_eq!(mdn.entry.tasks, ["regression"]);
        let k = &mdn.parameters[0];
        assert_eq!((k.key, k.default.as_str()), ("k", "3"));
        assert_eq!(k.range.map(|r| (r.min, r.max)), Some((1.0, 8.0)));
        assert!(c
            .outputs
            .iter()
            .filter(|o| o.entry.id != "mdn")
            .all(|o| o.parameters.is_empty()));
        // The digits: a file to fetch first, 64 inputs, 10 classes, no parameters.
        let digits = c.datasets.iter().find(|d| d.entry.id == "digits").unwrap();
        assert!(digits.parameters.is_empty());
        let listed = serde_json::to_value(network_catalogue()).unwrap()["network"]["datasets"]
            .as_array()
            .unwrap()
            .clone();
        let digits = listed.iter().find(|d| d["id"] == "digits").unwrap();
        assert_eq!(
            (&digits["inputs"], &digits["classes"], &digits["file"]),
            (&64.into(), &10.into(), &"digits.bin".into())
        );
        assert_eq!(digits["image"], serde_json::json!([8, 8]));
        assert_eq!(digits["parameters"], serde_json::json!([]));
        let moons = listed.iter().find(|d| d["id"] == "moons").unwrap();
        assert_eq!(
            (&moons["inputs"], &moons["file"]),
            (&2.into(), &serde_json::Value::Null)
        );
        let json = serde_json::to_value(network_catalogue()).unwrap();
        assert_eq!(json["network"]["limits"]["batch"], 500);
        assert_eq!(json["network"]["limits"]["distort_scale"], 1e6);
        assert_eq!(json["network"]["limits"]["distort_shift"], 1e6);
        let normalizations = json["network"]["normalizations"].as_array().unwrap();
        let ids: Vec<_> = normalizations
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["none", "standard", "quantile-uniform", "quantile-normal"]
        );
        assert!(normalizations[1]["about"]
            .as_str()
            .unwrap()
            .contains("(x − mean) / std"));
        assert_eq!(json["network"]["defaults"]["normalize"], "none");
        assert_eq!(
            json["network"]["defaults"]["distort"],
            serde_json::json!([])
        );
        assert_eq!(json["network"]["defaults"]["optimizer"]["id"], "adam");
        assert_eq!(
            json["network"]["outputs"][0]["tasks"],
            serde_json::json!(["classes", "binary"])
        );
        assert_eq!(json["network"]["outputs"][4]["parameters"][0]["key"], "k");
        assert!(serde_json::to_value(plane).unwrap()["plane"]["limits"]["steps"] == 5000);
    }

    /// Every control of both pages, named by where it sits.
    fn every_parameter() -> Vec<(String, Parameter)> {
        let plane = plane_catalogue();
        let network = network_catalogue().network;
        let mut all = Vec::new();
        let mut add = |place: &str, parameters: Vec<Parameter>| {
            all.extend(parameters.into_iter().map(|p| (place.to_string(), p)));
        };
        for e in surface::CATALOGUE {
            add(e.id, (e.parameters)());
        }
        for e in optim::CATALOGUE {
            add(e.id, e.all_parameters());
        }
        add("plane", plane.plane.parameters);
        for d in network.datasets {
            add(d.entry.id, d.parameters);
        }
        for s in network.schedules {
            add(s.id, s.parameters);
        }
        for i in network.inits {
            add(i.entry.id, i.parameters);
        }
        for o in network.outputs {
            add(o.entry.id, o.parameters);
        }
        add("network", network.parameters);
        all
    }

    #[test]
    fn every_control_has_words_a_symbol_and_a_slider_within_its_range() {
        let all = every_parameter();
        assert!(all.len() > 50);
        for (place, p) in &all {
            let name = format!("{place} {}", p.key);
            let label = p.label;
            assert!(!label.is_empty() && !label.contains('_'), "{name}: {label}");
            assert_eq!(label.trim(), label, "{name}");
            assert!(!p.about.is_empty(), "{name}");
            assert!(p.symbol.is_none_or(|s| !s.trim().is_empty()), "{name}");
            let Some(slider) = p.slider else {
                // A switch, or a text field (a formula) whose default builds.
                match p.kind {
                    "true or false" => {}
                    "text" => {
                        let spec = crate::Spec::parse(&format!("{place}:{}", p.default)).unwrap();
                        assert!(surface::from_spec(&spec).is_ok(), "{name}");
                        assert_eq!(p.range, None, "{name}");
                    }
                    kind => panic!("{name}: a {kind} has no slider"),
                }
                continue;
            };
            assert_ne!(p.kind, "true or false", "{name}: a switch has no slider");
            let valid = |v: f64| match p.range {
                Some(range) => range.contains(v),
                None => v.is_finite() && (p.kind == "number" || v >= 0.0),
            };
            assert!(slider.min < slider.max, "{name}: {slider:?}");
            assert!(valid(slider.min) && valid(slider.max), "{name}: {slider:?}");
            assert!(!slider.log || slider.min > 0.0, "{name}: {slider:?}");
            if p.kind == "whole number" {
                assert!(slider.integer, "{name}");
            }
            if slider.integer {
                assert!(
                    slider.min.fract() == 0.0 && slider.max.fract() == 0.0,
                    "{name}"
                );
            }
            // The default is valid and the slider can show it.
            let default: f64 = p.default.parse().unwrap();
            assert!(valid(default), "{name}: {default}");
            assert!(
                (slider.min..=slider.max).contains(&default),
                "{name}: {default} outside {slider:?}"
            );
        }
    }

    #[test]
    fn no_two_controls_on_one_page_share_a_label() {
        let unique = |labels: Vec<&str>, what: &str| {
            let mut sorted = labels.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), labels.len(), "{what}: {labels:?}");
        };
        let labels = |ps: &[Parameter]| ps.iter().map(|p| p.label).collect::<Vec<_>>();
        let plane = plane_catalogue();
        for s in &plane.surfaces {
            unique(
                [labels(&s.parameters), labels(&plane.plane.parameters)].concat(),
                s.id,
            );
        }
        for o in &plane.optimizers {
            unique(labels(&o.parameters), o.id);
        }
        let network = network_catalogue();
        let n = &network.network;
        for d in &n.datasets {
            for s in &n.schedules {
                for o in network
                    .optimizers
                    .iter()
                    .filter(|o| n.optimizers.contains(&o.id))
                {
                    for i in &n.inits {
                        let outputs = n.outputs.iter().flat_map(|o| labels(&o.parameters));
                        let all = [
                            labels(&d.parameters),
                            labels(&s.parameters),
                            labels(&o.parameters),
                            labels(&i.parameters),
                            labels(&n.parameters),
                            outputs.collect(),
                        ]
                        .concat();
                        unique(
                            all,
                            &format!("{} {} {} {}", d.entry.id, s.id, o.id, i.entry.id),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_catalogue_writes_each_control_as_the_page_reads_it() {
        let json = serde_json::to_value(plane_catalogue()).unwrap();
        let lr = &json["optimizers"][0]["parameters"][0];
        assert_eq!(lr["key"], "lr");
        assert_eq!(lr["label"], "learning rate");
        assert_eq!(lr["symbol"], "η");
        assert_eq!(lr["range"], "(0, ∞)");
        assert_eq!(
            lr["slider"],
            serde_json::json!({"min": 1e-5, "max": 10.0, "log": true, "integer": false})
        );
        let keys: Vec<_> = json["plane"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["steps", "noise", "seed", "cloud", "speed", "tolerance"]
        );
        let adam = &json["optimizers"][6]["parameters"];
        let amsgrad = adam
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == "amsgrad");
        assert_eq!(amsgrad.unwrap()["slider"], serde_json::Value::Null);
        let json = serde_json::to_value(network_catalogue()).unwrap();
        let normal = json["network"]["inits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "normal")
            .unwrap();
        assert_eq!(normal["scale"], serde_json::json!(["σ", 0.01]));
        assert_eq!(normal["parameters"][0]["symbol"], "σ");
        let patience = json["network"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == "early_stopping")
            .unwrap();
        assert_eq!(patience["label"], "patience");
    }

    #[test]
    fn every_preset_opens_without_a_problem() {
        let presets = optimizer_presets();
        assert_eq!(presets.len(), 15);
        for preset in &presets {
            let (_, problems) = optimizers::OptimizerLab::open(&preset.settings);
            assert_eq!(problems, [], "{}", preset.title);
            // What the page shows beside the surface is one it has, for a run there is.
            let page = &preset.page;
            assert!(
                page.panel
                    .as_deref()
                    .is_none_or(|p| ["rates", "eigen", "tune"].contains(&p)),
                "{}",
                preset.title
            );
            assert!(
                page.explain
                    .is_none_or(|i| i < preset.settings.optimizers.len()),
                "{}",
                preset.title
            );
        }
        for preset in &network_presets() {
            assert_eq!(preset.settings.problems(), [], "{}", preset.title);
            // A landscape over a span the view takes; the network page has no other panel.
            let page = &preset.page;
            assert_eq!(page.panel, None, "{}", preset.title);
            if let Some(landscape) = &page.landscape {
                assert!(landscape.span.iter().all(|s| s.is_finite() && *s > 0.0));
            }
            // Each run's setup too, side by side on the first's data.
            let setups = preset.setups().unwrap();
            assert_eq!(setups.len(), 1 + preset.runs.len());
            let runs = runs::Runs::open(&setups, 0).unwrap();
            assert_eq!(runs.problems(), [], "{}", preset.title);
        }
        assert!(presets
            .iter()
            .all(|p| p.runs.is_empty() && p.page.landscape.is_none()));
    }

    #[test]
    fn a_preset_s_runs_change_only_the_fields_they_name() {
        let preset: Preset<Setup> = serde_json::from_str(
            r#"{"title": "t", "caption": "c",
                "setup": {"hidden": [3], "optimizer": "sgd:lr=0.1", "seed": 4},
                "runs": [{"optimizer": "adam:lr=0.01"}, {"init": "he", "seed": 5}]}"#,
        )
        .unwrap();
        let setups = preset.setups().unwrap();
        assert_eq!(setups[0], preset.settings);
        let adam = &setups[1];
        assert_eq!(
            (adam.optimizer.to_string(), &adam.hidden, adam.seed),
            ("adam:lr=0.01".into(), &vec![3], 4)
        );
        assert_eq!((setups[2].init.as_str(), setups[2].seed), ("he", 5));
        assert_eq!(setups[2].optimizer, preset.settings.optimizer);
        let typo: Preset<Setup> = serde_json::from_str(
            r#"{"title": "t", "caption": "c", "setup": {}, "runs": [{"optimiser": "adam"}]}"#,
        )
        .unwrap();
        let e = typo.setups().unwrap_err().0;
        assert!(e.starts_with("t: run 2: unknown field `optimiser`"), "{e}");
    }
}
