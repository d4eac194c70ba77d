//! Models and data as JSON, for download and upload, the CLI and other tools:
//! `{"layers": [{"W": [[…], …], "b": […], "activation": "tanh"}, …], "l2": λ}` with each W
//! of shape [out, in] (a list of rows), and `{"X": [[…], …], "y": […]}`. The last layer's
//! activation names the output: `softmax`, `sigmoid`, `identity`, `gaussian` (2 units per
//! target: the means, then the log variances) or `mdn` with `"k": K` beside it (3K units:
//! the K mixture logits, the K means, the K log variances). A model trained on normalized
//! inputs adds `"normalize"` (see [`NormalizeJson`]): the fitted map its first layer
//! expects the data's x to go through.

use super::activation::Activation;
use super::density::MOST_COMPONENTS;
use super::network::{Architecture, LayerShape, Loss, Network, Targets, Task};
use super::normalize::{NormalizeJson, Normalizer};
use crate::config::Error;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// How large a model and its data may be: enough for any network a lecture trains,
/// and small enough that reading one can never exhaust memory. `backprop` checks them
/// before it allocates anything of that size.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ModelLimits {
    /// Bytes of one JSON file.
    pub file_bytes: u64,
    pub layers: usize,
    pub units: usize,
    pub parameters: usize,
    pub samples: usize,
    /// Samples × units of all layers: the values a forward pass holds at once.
    pub values: usize,
}

pub const MODEL_LIMITS: ModelLimits = ModelLimits {
    file_bytes: 64 << 20,
    layers: 16,
    units: 4096,
    parameters: 1_000_000,
    samples: 100_000,
    values: 20_000_000,
};

/// `text` as JSON of `T`, `what` naming it in errors; a UTF-8 byte-order mark, as some
/// editors write, is skipped.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| Error::new(format!("{what}: {e}")))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerJson {
    #[serde(rename = "W")]
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
    pub activation: String,
    /// The components of an `mdn` output, which has 3k units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelJson {
    pub layers: Vec<LayerJson>,
    #[serde(default)]
    pub l2: f64,
    /// The input normalization, if the model was trained with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalize: Option<NormalizeJson>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataJson {
    #[serde(rename = "X")]
    pub x: Vec<Vec<f64>>,
    pub y: Vec<serde_json::Value>,
}

/// A network and its parameters, and the normalization its inputs go through first.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub network: Network,
    pub theta: Vec<f64>,
    pub normalize: Option<Normalizer>,
}

impl Model {
    /// Reads and checks a model: W rectangular, b as long as W has rows, layers that fit,
    /// known activations, finite numbers. Errors name the layer and the shapes.
    pub fn from_json(model: &ModelJson) -> Result<Model, Error> {
        let limits = MODEL_LIMITS;
        if model.layers.len() > limits.layers {
            return Err(Error::new(format!(
                "the model has {} layers; at most {}",
                model.layers.len(),
                limits.layers
            )));
        }
        let mut parameters = 0_usize;
        for (l, layer) in model.layers.iter().enumerate() {
            let (rows, columns) = (layer.w.len(), layer.w.first().map_or(0, Vec::len));
            if rows > limits.units || columns > limits.units {
                return Err(Error::new(format!(
                    "layer {l}: W is [{rows}, {columns}]; a layer has at most {} units",
                    limits.units
                )));
            }
            parameters = parameters.saturating_add(rows * (columns + 1));
        }
        if parameters > limits.parameters {
            return Err(Error::new(format!(
                "the model has {parameters} parameters; at most {}",
                limits.parameters
            )));
        }
        if !(model.l2.is_finite() && model.l2 >= 0.0) {
            return Err(Error::new(format!(
                "l2 = {} must be a finite number ≥ 0",
                model.l2
            )));
        }
        let mut layers = Vec::new();
        let mut theta = Vec::new();
        for (l, layer) in model.layers.iter().enumerate() {
            let rows = layer.w.len();
            let columns = layer.w.first().map_or(0, Vec::len);
            if rows == 0 || columns == 0 {
                return Err(Error::new(format!("layer {l}: W is empty")));
            }
            if let Some((r, row)) = layer
                .w
                .iter()
                .enumerate()
                .find(|(_, row)| row.len() != columns)
            {
                return Err(Error::new(format!(
                    "layer {l}: row {r} of W has {} entries, row 0 has {columns}",
                    row.len()
                )));
            }
            if layer.b.len() != rows {
                return Err(Error::new(format!(
                    "layer {l}: W is [{rows}, {columns}] but b has {} entries",
                    layer.b.len()
                )));
            }
            if !layer
                .w
                .iter()
                .flatten()
                .chain(&layer.b)
                .all(|v| v.is_finite())
            {
                return Err(Error::new(format!("layer {l}: W and b must be finite")));
            }
            let activation = Activation::parse(&layer.activation)
                .map_err(|e| Error::new(format!("layer {l}: {e}")))?;
            match (activation, layer.k) {
                (Activation::Mdn, None) => {
                    return Err(Error::new(format!(
                        "layer {l}: an mdn output names its number of components, \"k\": K, beside its activation"
                    )))
                }
                (Activation::Mdn, Some(k)) if !(1..=MOST_COMPONENTS).contains(&k) => {
                    return Err(Error::new(format!(
                        "layer {l}: k = {k} is out of range; an mdn has 1 to {MOST_COMPONENTS} components"
                    )))
                }
                (Activation::Mdn, Some(k)) if rows != 3 * k => {
                    return Err(Error::new(format!(
                        "layer {l}: an mdn of k = {k} components has 3k = {} units (logits, means, log variances), but W has {rows} rows",
                        3 * k
                    )))
                }
                (Activation::Mdn, Some(_)) | (_, None) => {}
                (_, Some(_)) => {
                    return Err(Error::new(format!(
                        "layer {l}: only an mdn output takes k, not {}",
                        activation.name()
                    )))
                }
            }
            layers.push(LayerShape {
                inputs: columns,
                outputs: rows,
                activation,
            });
            let w = DMatrix::from_fn(rows, columns, |i, j| layer.w[i][j]);
            theta.extend_from_slice(w.as_slice());
            theta.extend_from_slice(&layer.b);
        }
        let architecture = Architecture { layers }.validated()?;
        let normalize = model
            .normalize
            .as_ref()
            .map(|n| Normalizer::from_json(n, architecture.inputs()))
            .transpose()?;
        Ok(Model {
            network: Network {
                architecture,
                l2: model.l2,
            },
            theta,
            normalize,
        })
    }

    /// The model as JSON text, as `train --save` writes it and the page downloads it
    /// (`JSON.stringify(model, null, 2)` and a line break).
    pub fn to_text(&self) -> String {
        crate::text::json(&self.to_json(), true) + "\n"
    }

    pub fn to_json(&self) -> ModelJson {
        let arch = &self.network.architecture;
        ModelJson {
            layers: arch
                .layers
                .iter()
                .enumerate()
                .map(|(l, shape)| {
                    let w = arch.weights(&self.theta, l);
                    LayerJson {
                        w: w.row_iter()
                            .map(|row| row.iter().copied().collect())
                            .collect(),
                        b: arch.biases(&self.theta, l).iter().copied().collect(),
                        activation: shape.activation.name().to_string(),
                        k: (shape.activation == Activation::Mdn).then_some(shape.outputs / 3),
                    }
                })
                .collect(),
            l2: self.network.l2,
            normalize: self.normalize.as_ref().map(Normalizer::to_json),
        }
    }

    /// The data as a batch for this model: X one row per sample, normalized as the model
    /// says, y by the output layer (class labels for softmax, 0/1 for a sigmoid, numbers
    /// or lists for identity and gaussian, numbers for an mdn).
    pub fn batch(&self, data: &DataJson) -> Result<(DMatrix<f64>, Targets), Error> {
        let inputs = self.network.architecture.inputs();
        let n = data.x.len();
        if n == 0 {
            return Err(Error::new("X is empty"));
        }
        let limits = MODEL_LIMITS;
        let units: usize = inputs
            + self
                .network
                .architecture
                .layers
                .iter()
                .map(|l| l.outputs)
                .sum::<usize>();
        if n > limits.samples || n.saturating_mul(units) > limits.values {
            return Err(Error::new(format!(
                "X has {n} rows for a model of {units} units: at most {} rows, and rows × units at most {}",
                limits.samples, limits.values
            )));
        }
        if data.y.len() != n {
            return Err(Error::new(format!(
                "X has {n} rows but y has {} entries",
                data.y.len()
            )));
        }
        if let Some((i, row)) = data
            .x
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != inputs)
        {
            return Err(Error::new(format!(
                "row {i} of X has {} values but layer 0 takes {inputs} inputs",
                row.len()
            )));
        }
        if !data.x.iter().flatten().all(|v| v.is_finite()) {
            return Err(Error::new("X must be finite"));
        }
        let x = DMatrix::from_fn(inputs, n, |r, i| data.x[i][r]);
        let x = match &self.normalize {
            Some(normalizer) => normalizer.transform(&x),
            None => x,
        };
        let label = |i: usize, v: &serde_json::Value, k: usize| -> Result<usize, Error> {
            v.as_u64()
                .map(|c| c as usize)
                .filter(|&c| c < k)
                .ok_or_else(|| {
                    Error::new(format!(
                        "y[{i}] = {v} is not a class label in 0 ..= {}",
                        k - 1
                    ))
                })
        };
        let targets = match self.network.architecture.task() {
            Task::Classes(k) => Targets::Classes(
                data.y
                    .iter()
                    .enumerate()
                    .map(|(i, v)| label(i, v, k))
                    .collect::<Result<_, _>>()?,
            ),
            Task::Binary => Targets::Binary(
                data.y
                    .iter()
                    .enumerate()
                    .map(|(i, v)| label(i, v, 2).map(|c| c as f64))
                    .collect::<Result<_, _>>()?,
            ),
            task => {
                let d = task.values().unwrap_or(1);
                let rows: Vec<Vec<f64>> = data
                    .y
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let values: Option<Vec<f64>> = match v {
                            serde_json::Value::Array(a) => a.iter().map(|e| e.as_f64()).collect(),
                            other => other.as_f64().map(|f| vec![f]),
                        };
                        values
                            .filter(|vs| vs.len() == d && vs.iter().all(|f| f.is_finite()))
                            .ok_or_else(|| {
                                Error::new(format!("y[{i}] = {v} is not {d} finite number(s)"))
                            })
                    })
                    .collect::<Result<_, _>>()?;
                Targets::Values(DMatrix::from_fn(d, n, |r, i| rows[i][r]))
            }
        };
        Ok((x, targets))
    }

    /// The loss and its gradient on a batch, or where they stopped being finite: the
    /// first layer whose pre-activations z overflow, the data term, the L2 term, or the
    /// first layer whose gradient does.
    pub fn loss_and_gradient(
        &self,
        x: &DMatrix<f64>,
        targets: &Targets,
    ) -> Result<(Loss, Vec<f64>), Error> {
        let network = &self.network;
        let forward = network.forward(&self.theta, x);
        let finite = |values: &super::values::LayerValues| values.iter().all(f64::is_finite);
        if let Some(l) = forward.pre.iter().position(|z| !finite(z)) {
            return Err(Error::new(format!(
                "layer {l}'s pre-activations z = W h + b are not finite: the weights or inputs are too large"
            )));
        }
        let loss = Loss {
            data: network.data_loss(&forward, targets),
            regularization: network.regularization(&self.theta),
        };
        if !loss.data.is_finite() {
            return Err(Error::new(
                "the data loss is not finite: the targets or outputs are too large",
            ));
        }
        if !loss.regularization.is_finite() {
            return Err(Error::new(
                "the L2 term λ Σ‖W‖² is not finite: λ or the weights are too large",
            ));
        }
        let gradient = network.backward(&self.theta, &forward, targets).gradient;
        let arch = &network.architecture;
        if let Some(i) = gradient.iter().position(|g| !g.is_finite()) {
            let l = (0..arch.layers.len())
                .rev()
                .find(|&l| arch.offsets(l).0 <= i)
                .unwrap_or(0);
            return Err(Error::new(format!(
                "the gradient of layer {l}'s parameters is not finite: the loss is too steep there"
            )));
        }
        if !loss.total().is_finite() {
            return Err(Error::new("the loss is not finite"));
        }
        Ok((loss, gradient))
    }
}
