//! What each page holds, as plain data the core can test natively: the optimizer lab's
//! settings and runs ([`optimizers`]), the network lab's setup and training
//! ([`network`]), the presets of both, and the catalogue the pages build their controls
//! and links from — every choice with its parameters, defaults, ranges and limits,
//! declared once here and in the modules it lists.

pub mod network;
pub mod optimizers;

use crate::config::Parameter;
use crate::nn::data::{DatasetEntry, DATASETS};
use crate::nn::init::{InitEntry, INITS, MOST_SCALE};
use crate::nn::model::{ModelLimits, MODEL_LIMITS};
use crate::nn::schedule::SCHEDULES;
use crate::nn::setup::{self, Setup, OUTPUTS};
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
}

/// What the network lab offers.
#[derive(Serialize)]
pub struct NetworkCatalogue {
    pub datasets: Vec<DatasetListing>,
    pub activations: Vec<ActivationListing>,
    /// Each output with the loss it goes with.
    pub outputs: Vec<(&'static str, &'static str)>,
    pub inits: &'static [InitEntry],
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
    pub defaults: Setup,
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
            outputs: OUTPUTS.to_vec(),
            inits: INITS,
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
            defaults: Setup::default(),
        },
    }
}

/// How a preset shows its lab, beyond the settings: race mode, its speed, autoplay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    #[serde(default)]
    pub play: bool,
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
        let json = serde_json::to_value(network_catalogue()).unwrap();
        assert_eq!(json["network"]["limits"]["batch"], 500);
        assert_eq!(json["network"]["defaults"]["optimizer"]["id"], "adam");
        assert!(serde_json::to_value(plane).unwrap()["plane"]["limits"]["steps"] == 5000);
    }

    #[test]
    fn every_preset_opens_without_a_problem() {
        let presets = optimizer_presets();
        assert_eq!(presets.len(), 9);
        for preset in &presets {
            let (_, problems) = optimizers::OptimizerLab::open(&preset.settings);
            assert_eq!(problems, [], "{}", preset.title);
        }
        for preset in &network_presets() {
            assert_eq!(preset.settings.problems(), [], "{}", preset.title);
        }
    }
}
