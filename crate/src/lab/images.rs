//! What the network lab shows of a classifier beyond the plane, as data: its prediction
//! on each validation sample, the confusion matrix on the validation set, and the first
//! layer's weights, one row of W per unit (for image data, an image of what the unit
//! looks for).

use super::network::NetworkLab;
use crate::nn::network::{classify, Forward, Targets};
use crate::nn::notation::layer_names;
use nalgebra::DMatrix;

/// The network's prediction on one validation sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The sample as [`NetworkLab::inspect`] numbers it (training samples first).
    pub index: usize,
    /// The most probable class, ŷ = argmax_c f(x)_c.
    pub class: usize,
    /// Its probability, f(x)_ŷ.
    pub probability: f64,
    /// The sample's label, y.
    pub truth: usize,
}

impl Prediction {
    pub fn correct(&self) -> bool {
        self.class == self.truth
    }
}

/// Counts of (true class, predicted class) over a set: row y, column ŷ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confusion {
    pub classes: usize,
    /// Row by row: `counts[y · classes + ŷ]`.
    pub counts: Vec<usize>,
}

impl Confusion {
    pub fn of(predictions: &[Prediction], classes: usize) -> Confusion {
        let mut counts = vec![0; classes * classes];
        for p in predictions
            .iter()
            .filter(|p| p.truth.max(p.class) < classes)
        {
            counts[p.truth * classes + p.class] += 1;
        }
        Confusion { classes, counts }
    }

    /// How many samples of class `truth` were predicted `predicted`.
    pub fn count(&self, truth: usize, predicted: usize) -> usize {
        self.counts[truth * self.classes + predicted]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The samples off the diagonal.
    pub fn errors(&self) -> usize {
        self.total() - (0..self.classes).map(|c| self.count(c, c)).sum::<usize>()
    }
}

/// The first layer's weights: row j of W is unit j's weight on each input.
#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    /// The lecture's name for the layer's W (Wʰ, W⁽¹⁾, or W without a hidden layer).
    pub name: String,
    pub rows: Vec<Vec<f64>>,
    /// max |Wⱼᵢ| over the whole layer: the one scale every row is drawn on.
    pub scale: f64,
}

impl NetworkLab {
    /// Rows and columns of an image, when the inputs are the pixels of one.
    pub fn image(&self) -> Option<[usize; 2]> {
        let own = self.own_data();
        crate::nn::data::DatasetEntry::find(&self.setup().dataset.id)
            .and_then(|e| e.image)
            .filter(|_| !own)
    }

    /// The validation images' pixels as the data holds them, one column per image,
    /// whatever distortion and normalization the network's inputs went through: what
    /// the grid of digits draws.
    pub fn validation_images(&self) -> &DMatrix<f64> {
        &self.split().validation.x
    }

    /// The network's prediction on each validation sample, in the validation set's
    /// order (which training does not change); `forward` holds the pass. None for a
    /// regression.
    pub fn validation_predictions(&self, forward: &mut Forward) -> Vec<Prediction> {
        let t = self.trainer();
        let validation = &t.data.validation;
        let truth: Vec<usize> = match &validation.targets {
            Targets::Classes(y) => y.clone(),
            Targets::Binary(y) => y.iter().map(|&y| y as usize).collect(),
            Targets::Values(_) => return Vec::new(),
        };
        if validation.is_empty() {
            return Vec::new();
        }
        t.network.forward_into(&t.theta, &validation.x, forward);
        let f = forward.output();
        let offset = t.data.train.len();
        // One sigmoid unit gives p = (1 − f, f).
        let binary = f.units() == 1;
        let probability = |i: usize, c: usize| match (binary, c) {
            (true, 0) => 1.0 - f.get(i, 0),
            (true, _) => f.get(i, 0),
            _ => f.get(i, c),
        };
        // The classes as training counts them right or wrong.
        classify(forward)
            .into_iter()
            .zip(truth)
            .enumerate()
            .map(|(i, (class, truth))| Prediction {
                index: offset + i,
                class,
                probability: probability(i, class),
                truth,
            })
            .collect()
    }

    /// The first layer's weights, row by row.
    pub fn filters(&self) -> Filters {
        let t = self.trainer();
        let arch = &t.network.architecture;
        let w = arch.weights(&t.theta, 0);
        Filters {
            name: layer_names(arch)[0].w.clone(),
            rows: w
                .row_iter()
                .map(|row| row.iter().copied().collect())
                .collect(),
            scale: w.amax(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::setup::Setup;

    fn lab(json: &str) -> NetworkLab {
        let setup: Setup = serde_json::from_str(json).unwrap();
        assert_eq!(setup.problems(), []);
        NetworkLab::open(&setup)
    }

    #[test]
    fn predictions_agree_with_the_trainers_accuracy() {
        let mut lab = lab(r#"{"dataset": "digits", "hidden": [16], "batch": 32}"#);
        assert_eq!(lab.image(), Some([8, 8]));
        lab.train(100);
        let predictions = lab.validation_predictions(&mut Forward::default());
        let t = lab.trainer();
        assert_eq!(predictions.len(), t.data.validation.len());
        assert_eq!(predictions[0].index, t.data.train.len());
        // The same classes as the training's own evaluation...
        let forward = t.network.forward(&t.theta, &t.data.validation.x);
        let classes: Vec<usize> = predictions.iter().map(|p| p.class).collect();
        assert_eq!(classes, classify(&forward));
        // ...so the confusion matrix's diagonal is the validation accuracy.
        let confusion = Confusion::of(&predictions, 10);
        let targets = t.data.validation.targets_for(t.task()).unwrap();
        let accuracy = t.evaluate(&t.data.validation.x, &targets).accuracy.unwrap();
        let correct = confusion.total() - confusion.errors();
        assert_eq!(confusion.total(), predictions.len());
        assert!((correct as f64 / confusion.total() as f64 - accuracy).abs() < 1e-12);
        // Each row holds its class's samples.
        let Targets::Classes(y) = &t.data.validation.targets else {
            panic!("classes")
        };
        for c in 0..10 {
            let row: usize = (0..10).map(|p| confusion.count(c, p)).sum();
            assert_eq!(row, y.iter().filter(|&&l| l == c).count());
        }
        for p in &predictions {
            let f = forward.output();
            assert_eq!(p.probability, f.get(p.index - t.data.train.len(), p.class));
        }
    }

    #[test]
    fn the_grid_draws_the_pixels_not_the_normalized_inputs() {
        let lab = lab(r#"{"dataset": "digits", "hidden": [4], "normalize": "standard"}"#);
        let images = lab.validation_images();
        // Pixels over 16, in [0, 1]...
        assert!(images
            .iter()
            .all(|v| (0.0..=1.0).contains(v) && (v * 16.0).fract() == 0.0));
        // ...while the network receives them standardized.
        let received = &lab.trainer().data.validation.x;
        assert_eq!(images.shape(), received.shape());
        assert!(received.iter().any(|v| *v < 0.0 || *v > 1.0));
    }

    #[test]
    fn a_sigmoid_output_predicts_two_classes_and_a_regression_none() {
        let lab = lab(r#"{"dataset": "moons:n=50", "output": "sigmoid"}"#);
        let predictions = lab.validation_predictions(&mut Forward::default());
        assert_eq!(predictions.len(), 10);
        for p in predictions {
            assert!(p.class < 2 && p.probability >= 0.5, "{p:?}");
        }
        assert_eq!(lab.image(), None);
        let curve = self::lab(r#"{"dataset": "curve"}"#);
        assert!(curve
            .validation_predictions(&mut Forward::default())
            .is_empty());
    }

    #[test]
    fn the_filters_are_the_rows_of_the_first_w_on_one_scale() {
        let lab = lab(r#"{"dataset": "digits", "hidden": [5]}"#);
        let filters = lab.filters();
        assert_eq!(filters.name, "Wʰ");
        assert_eq!(filters.rows.len(), 5);
        let t = lab.trainer();
        let w = t.network.architecture.weights(&t.theta, 0);
        assert_eq!(filters.rows[3][10], w[(3, 10)]);
        let largest = filters
            .rows
            .iter()
            .flatten()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        assert_eq!(filters.scale, largest);
        let linear = self::lab(r#"{"dataset": "digits", "hidden": []}"#).filters();
        assert_eq!((linear.name.as_str(), linear.rows.len()), ("W", 10));
    }
}
