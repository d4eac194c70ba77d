//! Loss surfaces f: R² → R with exact gradients and Hessians.
//!
//! Each built-in surface knows its default view box, a start point that shows its
//! lesson, and its known minima and saddle points. Every derivative here is checked
//! against central finite differences in `tests/surfaces.rs`. A [`Formula`] is the
//! surface a student types, with derivatives by automatic differentiation and its
//! critical points found numerically. A [`Slice`] is a trained network's loss on a plane
//! through its weights, with its derivatives by backprop and exact curvature.

pub mod formula;
mod quadratic;
mod rosenbrock;
mod saddle;
pub mod slice;
mod test_functions;
mod valley;

pub use formula::Formula;
pub use quadratic::{Quadratic, QuadraticConfig};
pub use rosenbrock::{Banana, Rosenbrock, RosenbrockConfig};
pub use saddle::{MonkeySaddle, Saddle};
pub use slice::Slice;
pub use test_functions::{Beale, Booth, Himmelblau, Rastrigin};
pub use valley::LongValley;

use crate::config::{unknown_key, Configuration, Error, Parameter, Spec};

/// A point of the plane, (x, y).
pub type Point = [f64; 2];

/// A symmetric 2×2 matrix, row-major: [[f_xx, f_xy], [f_xy, f_yy]].
pub type Hessian = [[f64; 2]; 2];

/// A smooth f: R² → R.
pub trait Surface {
    fn value(&self, p: Point) -> f64;
    /// f at each of `points`, into `values` (as long): what a heatmap samples. A surface
    /// that evaluates many points faster together (a [`Formula`]) overrides it.
    fn values(&self, points: &[Point], values: &mut [f64]) {
        for (v, &p) in values.iter_mut().zip(points) {
            *v = self.value(p);
        }
    }
    /// ∇f(p) = (∂f/∂x, ∂f/∂y), exact.
    fn gradient(&self, p: Point) -> Point;
    /// ∇²f(p), exact.
    fn hessian(&self, p: Point) -> Hessian;
    /// The region shown by default.
    fn view(&self) -> ViewBox;
    /// A start point from which the surface shows what it is for.
    fn start(&self) -> Point;
    /// Known minima and saddle points.
    fn critical_points(&self) -> Vec<CriticalPoint>;
    /// The most samples a side a map of f takes (heatmap, contour lines, 3-D mesh):
    /// `None`, as many as the map has pixels. A surface whose every value is costly —
    /// a [`Slice`], a forward pass over a training set — says how many it can afford,
    /// and the map is drawn from those.
    fn samples(&self) -> Option<usize> {
        None
    }
}

/// An axis-aligned rectangle [x_min, x_max] × [y_min, y_max].
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ViewBox {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl ViewBox {
    pub const fn new(x_min: f64, x_max: f64, y_min: f64, y_max: f64) -> Self {
        ViewBox {
            x: (x_min, x_max),
            y: (y_min, y_max),
        }
    }

    pub fn width(&self) -> f64 {
        self.x.1 - self.x.0
    }

    pub fn height(&self) -> f64 {
        self.y.1 - self.y.0
    }

    /// A box whose sides are finite, ordered and of positive length.
    pub fn validated(self) -> Result<Self, Error> {
        let ok = [self.x.0, self.x.1, self.y.0, self.y.1]
            .iter()
            .all(|v| v.is_finite())
            && self.width() > 0.0
            && self.height() > 0.0
            && self.width().is_finite()
            && self.height().is_finite();
        if ok {
            Ok(self)
        } else {
            Err(Error::new(format!(
                "view box [{}, {}] × [{}, {}] must have finite bounds with min < max",
                self.x.0, self.x.1, self.y.0, self.y.1
            )))
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CriticalKind {
    Minimum,
    Saddle,
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct CriticalPoint {
    pub point: Point,
    pub kind: CriticalKind,
}

impl CriticalPoint {
    pub const fn minimum(x: f64, y: f64) -> Self {
        CriticalPoint {
            point: [x, y],
            kind: CriticalKind::Minimum,
        }
    }

    pub const fn saddle(x: f64, y: f64) -> Self {
        CriticalPoint {
            point: [x, y],
            kind: CriticalKind::Saddle,
        }
    }
}

type Build = fn(&[(String, String)]) -> Result<Box<dyn Surface>, Error>;

/// One built-in surface, as listed to users.
pub struct Entry {
    pub id: &'static str,
    pub formula: &'static str,
    pub parameters: fn() -> Vec<Parameter>,
    build: Build,
}

fn configured<C: Configuration, S: Surface + 'static>(
    params: &[(String, String)],
    new: fn(C) -> S,
) -> Result<Box<dyn Surface>, Error> {
    Ok(Box::new(new(C::from_params(params)?)))
}

fn fixed<S: Surface + Default + 'static>(
    id: &str,
    params: &[(String, String)],
) -> Result<Box<dyn Surface>, Error> {
    match params.first() {
        Some((key, _)) => Err(unknown_key(id, key, &[])),
        None => Ok(Box::new(S::default())),
    }
}

/// Every built-in surface, in the order the page lists them.
pub const CATALOGUE: &[Entry] = &[
    Entry {
        id: "quadratic",
        formula: "½(λ₁u² + λ₂v²), u = x cos θ + y sin θ, v = −x sin θ + y cos θ",
        parameters: QuadraticConfig::parameters,
        build: |p| configured(p, Quadratic::new),
    },
    Entry {
        id: "rosenbrock",
        formula: "(a − x)² + b(y − x²)²",
        parameters: RosenbrockConfig::parameters,
        build: |p| configured(p, Rosenbrock::new),
    },
    Entry {
        id: "banana",
        formula: "(1 − x)² + 20(3y − x²)²",
        parameters: Vec::new,
        build: |p| fixed::<Banana>("banana", p),
    },
    Entry {
        id: "beale",
        formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        parameters: Vec::new,
        build: |p| fixed::<Beale>("beale", p),
    },
    Entry {
        id: "saddle",
        formula: "x² − y²",
        parameters: Vec::new,
        build: |p| fixed::<Saddle>("saddle", p),
    },
    Entry {
        id: "monkey-saddle",
        formula: "x³ − 3xy²",
        parameters: Vec::new,
        build: |p| fixed::<MonkeySaddle>("monkey-saddle", p),
    },
    Entry {
        id: "himmelblau",
        formula: "(x² + y − 11)² + (x + y² − 7)²",
        parameters: Vec::new,
        build: |p| fixed::<Himmelblau>("himmelblau", p),
    },
    Entry {
        id: "booth",
        formula: "(x + 2y − 7)² + (2x + y − 5)²",
        parameters: Vec::new,
        build: |p| fixed::<Booth>("booth", p),
    },
    Entry {
        id: "rastrigin",
        formula: "20 + x² − 10 cos 2πx + y² − 10 cos 2πy",
        parameters: Vec::new,
        build: |p| fixed::<Rastrigin>("rastrigin", p),
    },
    Entry {
        id: "long-valley",
        formula: "½ ln cosh(x − 8) + 5y²",
        parameters: Vec::new,
        build: |p| fixed::<LongValley>("long-valley", p),
    },
    Entry {
        id: formula::ID,
        formula: "any formula you type",
        parameters: Formula::parameters,
        build: |p| typed(p, None),
    },
    Entry {
        id: slice::ID,
        formula: "L_S(θ + a d₁ + b d₂): a trained network's training loss on a plane through its weights θ",
        parameters: crate::lab::slice::parameters,
        build: sliced,
    },
];

/// A typed formula's surface (see [`Formula::from_params`]). The optimizer lab's first
/// wasm build leaves the parser out: its page fetches the build with the lab's further
/// views, which has it, before it opens a formula. Natively it is always there.
#[cfg(any(not(target_arch = "wasm32"), feature = "optimizer-views"))]
fn typed(params: &[(String, String)], view: Option<ViewBox>) -> Result<Box<dyn Surface>, Error> {
    Ok(Box::new(Formula::from_params(params, view)?))
}

#[cfg(not(any(not(target_arch = "wasm32"), feature = "optimizer-views")))]
fn typed(_: &[(String, String)], _: Option<ViewBox>) -> Result<Box<dyn Surface>, Error> {
    Err(Error::new(
        "a typed formula comes with the lab's further views: load them first",
    ))
}

/// A slice of a trained network's loss (see [`crate::lab::slice`]): as a typed formula,
/// it comes with the optimizer lab's further views in wasm, whose page fetches that
/// build before it opens one; natively it is always there.
#[cfg(any(not(target_arch = "wasm32"), feature = "optimizer-views"))]
fn sliced(params: &[(String, String)]) -> Result<Box<dyn Surface>, Error> {
    Ok(Box::new(crate::lab::slice::surface(params)?))
}

#[cfg(not(any(not(target_arch = "wasm32"), feature = "optimizer-views")))]
fn sliced(_: &[(String, String)]) -> Result<Box<dyn Surface>, Error> {
    Err(Error::new(
        "a slice of a network's loss comes with the lab's further views: load them first",
    ))
}

/// Builds a surface from `NAME[:key=value,...]` (or `formula:EXPR`, `slice:{…}`).
pub fn from_spec(spec: &Spec) -> Result<Box<dyn Surface>, Error> {
    let entry = CATALOGUE
        .iter()
        .find(|entry| entry.id == spec.id)
        .ok_or_else(|| {
            let ids: Vec<_> = CATALOGUE.iter().map(|e| e.id).collect();
            Error::new(format!(
                "unknown surface `{}`; expected one of: {}",
                crate::text::quoted(&spec.id),
                ids.join(", ")
            ))
        })?;
    (entry.build)(&spec.params)
}

/// [`from_spec`], with the critical points of a surface that searches for them (a
/// [`Formula`]) looked for in `view`, which it then shows by default; the built-in
/// surfaces know theirs wherever they are.
pub fn from_spec_in(spec: &Spec, view: Option<ViewBox>) -> Result<Box<dyn Surface>, Error> {
    match view {
        Some(view) if spec.id == formula::ID => typed(&spec.params, Some(view)),
        _ => from_spec(spec),
    }
}
