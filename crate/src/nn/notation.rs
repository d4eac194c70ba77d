//! The lecture's names for a network's quantities, defined once: the inspector, the
//! CLI's `backprop` and the network diagram all write what this module gives them.
//!
//! - No hidden layer, the linear model of the slides: z = W x + b, f(x) = g(z).
//! - One hidden layer, as the slides write it: zʰ = Wʰ x + bʰ, h = g(zʰ),
//!   zᵒ = Wᵒ h + bᵒ, f(x) = softmax(zᵒ).
//! - Deeper networks number their hidden layers with a superscript,
//!   z⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾, h⁽¹⁾ = g(z⁽¹⁾), z⁽²⁾ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾, …, and the output
//!   layer keeps ᵒ: zᵒ = Wᵒ h⁽ᴸ⁾ + bᵒ.
//!
//! The backward pass reads with the same names: ∇_{zᵒ} l = f(x) − e(y),
//! ∇_{Wᵒ} l = ∇_{zᵒ} l · hᵀ, ∇_{bᵒ} l = ∇_{zᵒ} l, ∇_h l = Wᵒᵀ ∇_{zᵒ} l,
//! ∇_{zʰ} l = ∇_h l ⊙ g′(zʰ).

use super::network::Architecture;
use serde::Serialize;

/// One layer's symbols, as Unicode text: z = w·input + b, then h = g(z).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerNames {
    /// The pre-activation: zʰ, z⁽²⁾, zᵒ, or z without a hidden layer.
    pub z: String,
    /// The layer's output: h, h⁽²⁾, or f(x) for the output layer.
    pub h: String,
    /// The weights: Wʰ, W⁽²⁾, Wᵒ or W.
    pub w: String,
    /// The biases: bʰ, b⁽²⁾, bᵒ or b.
    pub b: String,
    /// What the layer takes: x, or the previous layer's h.
    pub input: String,
}

/// The network's output, f(x).
pub const OUTPUT: &str = "f(x)";

/// The input, x.
pub const INPUT: &str = "x";

/// Each layer's names, from the first hidden layer to the output layer.
pub fn layer_names(architecture: &Architecture) -> Vec<LayerNames> {
    let hidden = architecture.layers.len().saturating_sub(1);
    (0..architecture.layers.len())
        .map(|l| {
            let input = if l == 0 {
                INPUT.to_string()
            } else {
                hidden_symbol("h", l, hidden)
            };
            if l < hidden {
                LayerNames {
                    z: hidden_symbol("z", l + 1, hidden),
                    h: hidden_symbol("h", l + 1, hidden),
                    w: hidden_symbol("W", l + 1, hidden),
                    b: hidden_symbol("b", l + 1, hidden),
                    input,
                }
            } else {
                let mark = if hidden == 0 { "" } else { "ᵒ" };
                LayerNames {
                    z: format!("z{mark}"),
                    h: OUTPUT.to_string(),
                    w: format!("W{mark}"),
                    b: format!("b{mark}"),
                    input,
                }
            }
        })
        .collect()
}

/// The diagram's columns, left to right: x, each hidden layer's h, then f(x).
pub fn column_names(architecture: &Architecture) -> Vec<String> {
    std::iter::once(INPUT.to_string())
        .chain(layer_names(architecture).into_iter().map(|names| names.h))
        .collect()
}

/// `symbol` of hidden layer `index` (from 1) of `hidden`: as the slides write their one
/// hidden layer (zʰ, h, Wʰ, bʰ), or numbered (z⁽²⁾, h⁽²⁾, …) when there are several.
fn hidden_symbol(symbol: &str, index: usize, hidden: usize) -> String {
    match (hidden, symbol) {
        (1, "h") => "h".to_string(),
        (1, _) => format!("{symbol}ʰ"),
        _ => format!("{symbol}⁽{}⁾", superscript(index)),
    }
}

/// `n` in superscript digits: 12 → ¹².
fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::Task;
    use crate::nn::Activation;

    fn names(hidden: &[usize]) -> Vec<LayerNames> {
        let architecture =
            Architecture::mlp(2, hidden, Activation::Tanh, Task::Classes(3)).unwrap();
        layer_names(&architecture)
    }

    /// (z, h, w, b, input) of each layer.
    fn table(names: &[LayerNames]) -> Vec<[&str; 5]> {
        names
            .iter()
            .map(|n| [&*n.z, &*n.h, &*n.w, &*n.b, &*n.input])
            .collect()
    }

    #[test]
    fn a_linear_model_is_the_slides_layer_of_neurons() {
        // f(x) = g(W x + b)
        assert_eq!(table(&names(&[])), [["z", "f(x)", "W", "b", "x"]]);
    }

    #[test]
    fn one_hidden_layer_is_written_as_on_the_slides() {
        // zʰ = Wʰ x + bʰ, h = g(zʰ), zᵒ = Wᵒ h + bᵒ, f(x) = softmax(zᵒ)
        assert_eq!(
            table(&names(&[6])),
            [
                ["zʰ", "h", "Wʰ", "bʰ", "x"],
                ["zᵒ", "f(x)", "Wᵒ", "bᵒ", "h"]
            ]
        );
    }

    #[test]
    fn deeper_networks_number_their_hidden_layers() {
        assert_eq!(
            table(&names(&[4, 4, 4])),
            [
                ["z⁽¹⁾", "h⁽¹⁾", "W⁽¹⁾", "b⁽¹⁾", "x"],
                ["z⁽²⁾", "h⁽²⁾", "W⁽²⁾", "b⁽²⁾", "h⁽¹⁾"],
                ["z⁽³⁾", "h⁽³⁾", "W⁽³⁾", "b⁽³⁾", "h⁽²⁾"],
                ["zᵒ", "f(x)", "Wᵒ", "bᵒ", "h⁽³⁾"]
            ]
        );
        assert_eq!(superscript(1066), "¹⁰⁶⁶");
    }

    #[test]
    fn the_diagram_columns_are_x_each_h_and_f_of_x() {
        let columns = |hidden: &[usize]| {
            column_names(
                &Architecture::mlp(1, hidden, Activation::Relu, Task::Regression(1)).unwrap(),
            )
        };
        assert_eq!(columns(&[]), ["x", "f(x)"]);
        assert_eq!(columns(&[8]), ["x", "h", "f(x)"]);
        assert_eq!(columns(&[8, 8]), ["x", "h⁽¹⁾", "h⁽²⁾", "f(x)"]);
    }
}
