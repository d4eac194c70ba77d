//! `formula`: a surface f(x, y) as a student types it, with its exact gradient and
//! Hessian, so that every optimizer runs on it as on a built-in surface.
//!
//! **What may be typed.** `+ - * / ^`, parentheses, unary minus, numbers in any float
//! syntax (`2`, `1.5`, `.5`, `1.`, `6.02e23`, `1E-3`), the variables `x` and `y`, the
//! constants `pi` and `e`, and the functions `sin cos tan exp log sqrt abs tanh cosh
//! sinh atan` of one argument and `atan2(y, x)`, `min(a, b)`, `max(a, b)` of two,
//! always with parentheses. `^` groups to the right and binds tighter than unary minus,
//! as in maths: `2^3^2` = 2⁹, `-x^2` = −(x²), `x^-2` = x⁻². A product needs its `*`:
//! `2x` is refused (`at 2: expected an operator such as * …`). The typographic `−`,
//! `×`, `·`, `÷` and `π` are read as `-`, `*`, `*`, `/` and `pi`. Whitespace is ignored.
//! A formula is at most [`MAX_LENGTH`] characters and nests at most [`MAX_DEPTH`]
//! levels (parentheses, calls and pending operators); any other mistake is an error
//! `at N: expected …` naming the character where reading stopped.
//!
//! **Exact derivatives.** The formula is compiled to a flat program of postfix
//! operations, constants folded, and run on plain numbers for the heatmap or on
//! second-order jets for ∇f and ∇²f: forward-mode automatic differentiation, each
//! operation's rule stated beside it, no finite differences. Transcendental functions
//! come from `libm`, so the browser computes the same bits as the native build. `u^n`
//! for a whole constant |n| ≤ 64 is repeated multiplication (so `x^2` is `x*x` bit for
//! bit, and a typed built-in surface runs as the built-in does). At the kinks of `abs`,
//! `min` and `max` the derivative is one-sided: abs′(0) = +1, the right-hand
//! derivative; `min` and `max` keep their first argument on a tie, with its
//! derivatives. Where a derivative is infinite (√u at u = 0, `log` at 0, u^c with
//! c < 1 at 0) or undefined (u^w with a varying w at u ≤ 0) the gradient is not finite:
//! a run that steps there ends *diverged*, as at any non-finite iterate.
//!
//! **View, start and critical points.** The view is [−3, 3]² unless another is asked
//! for ([`Formula::in_view`]; the lab and the CLI's `--view` pass theirs); the start is
//! the point a sixth of the way in from the view's top-left corner, (−2, 2) by default,
//! or, where f or ∇f is not finite there, the first point of a 9 × 9 grid over the view
//! where both are. The minima and saddles are not known in closed form: they are found
//! once, when the formula is built, by Newton's method with the exact Hessian from
//! that grid of starts over the view, so the ones listed are those
//! inside the view.
//!
//! **Why no crate.** `meval` 0.2 and `fasteval` 0.2 evaluate values only, without
//! derivatives; `meval`'s errors give the offending character but not what was
//! expected there, `fasteval`'s the unread rest of the text. `evalexpr` is a small
//! scripting language, again without derivatives. `exmex` differentiates symbolically
//! (first partial derivatives, to be taken twice for a Hessian), but depends on
//! `regex`, `lazy_static`, `num-traits` and `smallvec` — `regex` alone is more wasm than
//! this whole module, on a page already over its weight goal — and computes through
//! `num-traits`' `Float`, the standard library's functions rather than `libm`. None
//! gives messages that say what was expected, the Hessian in the same pass as the
//! value, and the same bits natively and in the browser; so the parser here is the
//! shunting-yard algorithm in under 400 lines, and the derivatives a two-variable
//! hyper-dual number.

mod critical;
mod jet;
mod parse;
mod program;

pub use parse::{MAX_DEPTH, MAX_LENGTH};

use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};
use crate::config::{unknown_key, Error, Parameter};
use jet::Jet;
use program::Program;

/// The spec's id: `formula:EXPR`.
pub const ID: &str = "formula";

/// The formula a new `formula` surface starts with: Rosenbrock's function.
pub const DEFAULT: &str = "(1-x)^2+100*(y-x^2)^2";

/// The region a formula is shown in unless another is asked for.
pub const DEFAULT_VIEW: ViewBox = ViewBox::new(-3.0, 3.0, -3.0, 3.0);

/// A typed f(x, y), compiled, with its view, start and critical points.
pub struct Formula {
    program: Program,
    view: ViewBox,
    start: Point,
    critical: Vec<CriticalPoint>,
}

impl Formula {
    /// `text` in the [`DEFAULT_VIEW`].
    pub fn new(text: &str) -> Result<Formula, Error> {
        Formula::in_view(text, DEFAULT_VIEW)
    }

    /// `text` shown in `view`, its start and critical points found there.
    pub fn in_view(text: &str, view: ViewBox) -> Result<Formula, Error> {
        let program = parse::parse(text)?;
        let view = view.validated()?;
        let finite = |p: Point| {
            let j = program.jet(p);
            j.value.is_finite() && j.gradient.iter().all(|g| g.is_finite())
        };
        let corner = [
            view.x.0 + view.width() / 6.0,
            view.y.1 - view.height() / 6.0,
        ];
        let start = std::iter::once(corner)
            .chain(critical::grid(view))
            .find(|&p| finite(p))
            .ok_or_else(|| {
                Error::new(format!(
                    "the formula has no finite value and gradient on a {n} × {n} grid over the view [{}, {}] × [{}, {}]",
                    view.x.0,
                    view.x.1,
                    view.y.0,
                    view.y.1,
                    n = critical::GRID
                ))
            })?;
        let critical = critical::search(|p| program.jet(p), view);
        Ok(Formula {
            program,
            view,
            start,
            critical,
        })
    }

    /// From a spec's parameters, `f` alone (the [`DEFAULT`] if absent), in `view` or
    /// the [`DEFAULT_VIEW`].
    pub fn from_params(
        params: &[(String, String)],
        view: Option<ViewBox>,
    ) -> Result<Formula, Error> {
        let mut text = DEFAULT;
        for (key, value) in params {
            if key != "f" {
                return Err(unknown_key(ID, key, &["f"]));
            }
            text = value;
        }
        Formula::in_view(text, view.unwrap_or(DEFAULT_VIEW))
    }

    /// Its one parameter, the text, for the page's text field and the CLI's listing.
    pub fn parameters() -> Vec<Parameter> {
        vec![Parameter {
            key: "f",
            kind: "text",
            default: DEFAULT.to_string(),
            range: None,
            about: "the loss in x and y: + - * / ^, parentheses, numbers, pi, e, sin cos tan exp log sqrt abs tanh cosh sinh atan atan2 min max",
            label: "f(x, y)",
            symbol: None,
            slider: None,
        }]
    }

    /// f, ∇f and ∇²f at p in one pass.
    fn jet(&self, p: Point) -> Jet {
        self.program.jet(p)
    }
}

impl Surface for Formula {
    fn value(&self, p: Point) -> f64 {
        self.program.value(p)
    }

    fn values(&self, points: &[Point], values: &mut [f64]) {
        self.program.values(points, values);
    }

    fn gradient(&self, p: Point) -> Point {
        self.jet(p).gradient
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [xx, xy, yy] = self.jet(p).hessian;
        [[xx, xy], [xy, yy]]
    }

    fn view(&self) -> ViewBox {
        self.view
    }

    fn start(&self) -> Point {
        self.start
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        self.critical.clone()
    }
}
