//! What one update used, read from the method's own state: the gradient it was given,
//! its velocity or moments before and after, its per-coordinate step sizes, and a line
//! that tells the step in the lecture's notation with the numbers.

use crate::text::significant;

/// One vector an update used, named with the lecture's symbol (`m`, `v̂`, `∇L(θ)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub name: &'static str,
    pub label: &'static str,
    pub value: Vec<f64>,
}

impl Term {
    pub fn new(name: &'static str, label: &'static str, value: Vec<f64>) -> Term {
        Term { name, label, value }
    }
}

/// One update θ → θ′ taken apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Explained {
    /// ∇L where the method took it (at the look-ahead point for Nesterov), exactly as
    /// it saw it: with the gradient noise of the run, if any.
    pub gradient: Vec<f64>,
    /// Nesterov's θ − γm, where the gradient was taken.
    pub look_ahead: Option<Vec<f64>>,
    pub terms: Vec<Term>,
    /// The adaptive methods' per-coordinate step size ηᵢ (η/(√v̂ᵢ + ε) for Adam): the
    /// factor that multiplies gᵢ (or m̂ᵢ) in the step.
    pub scale: Option<Vec<f64>>,
    /// The update in the lecture's notation with this step's numbers.
    pub narration: String,
}

impl Explained {
    /// An explanation of a step from gradient `g`, with `terms` and `narration`.
    pub fn new(g: &[f64], terms: Vec<Term>, narration: String) -> Explained {
        Explained {
            gradient: g.to_vec(),
            look_ahead: None,
            terms,
            scale: None,
            narration,
        }
    }

    pub fn scaled(mut self, scale: Vec<f64>) -> Explained {
        self.scale = Some(scale);
        self
    }
}

/// `v` to three significant digits, with a true minus sign: `0.123`, `−4.5e−7`.
pub fn scalar(v: f64) -> String {
    significant(v).replace('-', "−")
}

/// A vector as the narration writes it: `(0.12, −0.3)`.
pub fn vector(v: &[f64]) -> String {
    let parts: Vec<String> = v.iter().map(|x| scalar(*x)).collect();
    format!("({})", parts.join(", "))
}

/// Componentwise a ∘ b.
pub(crate) fn map2(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| f(*x, *y)).collect()
}

/// One update as it happened: θ, the gradient the method was given, and θ′.
pub struct Step<'a> {
    pub theta: &'a [f64],
    pub gradient: &'a [f64],
    pub next: &'a [f64],
}

/// A state vector as it was before an update: zeros before the first one.
pub(crate) fn previous(vector: &[f64], n: usize) -> Vec<f64> {
    if vector.len() == n {
        vector.to_vec()
    } else {
        vec![0.0; n]
    }
}

/// Heavy ball and Nesterov: m ← γm + ηg, θ ← θ − m, with g named by `gradient` (its
/// symbol, its label, and the symbol of ηg).
pub(crate) fn heavy_ball(
    learning_rate: f64,
    momentum: f64,
    step: &Step,
    old: &[f64],
    velocity: &[f64],
    gradient: (&'static str, &'static str, &'static str),
) -> Explained {
    let g = step.gradient;
    let kept: Vec<f64> = old.iter().map(|m| momentum * m).collect();
    let pushed: Vec<f64> = g.iter().map(|g| learning_rate * g).collect();
    let (symbol, label, term) = gradient;
    let narration = format!(
        "m ← γm + {term} = {}·{} + {}·{} = {}; θ ← θ − m = {}",
        scalar(momentum),
        vector(old),
        scalar(learning_rate),
        vector(g),
        vector(velocity),
        vector(step.next)
    );
    let terms = vec![
        Term::new(symbol, label, g.to_vec()),
        Term::new("γm", "velocity kept", kept),
        Term::new(term, "gradient term", pushed),
        Term::new("m", "velocity m", velocity.to_vec()),
    ];
    Explained::new(g, terms, narration)
}
