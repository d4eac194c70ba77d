//! The network lab's landscape view as data: the training loss on a plane through the
//! weights of the run, g(a, b) = L_S(θ + a d₁ + b d₂) ([`crate::nn::landscape`]), on a
//! grid of N × N points filled coarse to fine across the page's frames, in the order of
//! [`progressive_order`] — the coarse 16 × 16 picture first — and filled again as
//! training moves θ.
//!
//! Each fill takes a snapshot: θ then, the directions at that θ (a random direction is
//! filter-normalized to θ's rows, the principal directions are those of the path up to
//! θ), the path of the epochs projected onto that plane, and the loss and accuracy on the
//! line from θ₀ through θ (Goodfellow et al. 2015). Once a fill is complete and θ has
//! moved, the next begins, and the picture stays the last complete one until the new one
//! has its coarse pass.

use crate::config::Error;
use crate::field::Field;
use crate::lab::network::NetworkLab;
use crate::nn::landscape::{interpolate, Direction, Grid, Interpolated, Plane, PlaneLoss};
use crate::rates::{coarse_stride, progressive_order};
use crate::surface::ViewBox;
use serde::Serialize;

/// The fewest points a side of the grid …
pub const LEAST_SIDE: usize = 16;
/// … and the most.
pub const MOST_SIDE: usize = 64;
/// Points along the line from θ₀ through θ: t = −0.5, −0.4, …, 1.5.
pub const INTERPOLATION_STEPS: usize = 21;

/// What the view is asked to show: two directions, the span ±A along d₁ and ±B along
/// d₂, and N points a side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LandscapeSettings {
    pub directions: [Direction; 2],
    pub span: [f64; 2],
    pub side: usize,
}

/// One fill of the grid, with what its snapshot of θ gives.
struct Fill {
    loss: PlaneLoss,
    cells: Vec<Option<f64>>,
    /// How many cells of the order are computed.
    next: usize,
    /// The recorded epochs and their weights' coordinates on the plane.
    path: Vec<(usize, [f64; 2])>,
    interpolation: Vec<Interpolated>,
    /// The training set's size at the snapshot: points added or removed change g.
    samples: usize,
}

/// What the page draws of a fill.
pub struct Picture<'a> {
    /// g over the grid, the pending cells shown by the coarse cells covering them.
    pub field: Field,
    /// The axes' names: "a · W0[1,0]", "b · PC2 (21%)".
    pub names: [String; 2],
    pub path: &'a [(usize, [f64; 2])],
    /// Whether the path's coordinates are least-squares ones (see [`least_squares`]).
    pub least_squares: bool,
}

/// How far the view has got, as the page asks each frame.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LandscapeStatus {
    /// The fill is complete and θ has not moved since its snapshot.
    pub complete: bool,
    /// Cells of the current fill computed so far, of `cells`.
    pub filled: usize,
    pub cells: usize,
    pub side: usize,
    /// Why the view could not follow the run to its new weights (its trajectory started
    /// again, say), while it shows the last plane it had.
    pub problem: Option<String>,
}

/// The landscape view of one run.
pub struct Landscape {
    settings: LandscapeSettings,
    grid: Grid,
    order: Vec<u32>,
    /// Cells in the coarse pass, the first of the order.
    coarse: usize,
    fill: Fill,
    /// The last complete fill, shown while `fill` lacks its coarse pass.
    previous: Option<Fill>,
    problem: Option<String>,
}

/// Whether the path's coordinates (a, b) on the plane are least-squares ones rather than
/// dot products: unless d₁, d₂ are two unit vectors on parameters or the two principal
/// directions, which are orthonormal.
pub fn least_squares(directions: &[Direction; 2]) -> bool {
    let unit = |d: &Direction| matches!(d, Direction::Weight { .. } | Direction::Bias { .. });
    let principal = |d: &Direction| matches!(d, Direction::Pca { .. });
    !(directions.iter().all(unit) || directions.iter().all(principal))
}

impl Fill {
    /// A fill at the run's weights now: its plane, path and line.
    fn at(lab: &NetworkLab, settings: &LandscapeSettings) -> Result<Fill, Error> {
        let trainer = lab.trainer();
        let (network, theta) = (&trainer.network, &trainer.theta);
        let trajectory = lab.trajectory();
        let principal = settings
            .directions
            .iter()
            .find(|d| matches!(d, Direction::Pca { .. }));
        // The principal directions need three points: θ₀, an epoch, and θ now.
        let last = trajectory.points().last();
        let points = trajectory.len() + usize::from(last != Some(&theta[..]));
        if let (Some(direction), true) = (principal, points < 3) {
            return Err(Error::new(format!(
                "{direction} is a principal direction of the weights recorded after each \
                 epoch, and there are not enough yet: train an epoch or two first"
            )));
        }
        let plane = Plane::through(network, theta, settings.directions, Some(trajectory))?;
        let path = plane.path(trajectory)?;
        let (x, targets) = (&trainer.data.train.x, trainer.train_targets());
        let start = trajectory.points().next().unwrap_or(theta);
        let interpolation = interpolate(network, x, targets, [start, theta], INTERPOLATION_STEPS)?;
        let loss = PlaneLoss::new(network.clone(), x.clone(), targets.clone(), plane)?;
        let cells = settings.side * settings.side;
        Ok(Fill {
            loss,
            cells: vec![None; cells],
            next: 0,
            path,
            interpolation,
            samples: x.ncols(),
        })
    }

    /// Whether the run has moved on from this fill's snapshot: other weights, or
    /// another training set.
    fn moved(&self, lab: &NetworkLab) -> bool {
        let trainer = lab.trainer();
        trainer.theta != self.loss.plane().origin() || trainer.data.train.len() != self.samples
    }
}

impl Landscape {
    /// The view of `settings` on `lab`'s run, its first fill started (the line from θ₀
    /// through θ computed, no cell yet). A direction that does not exist, a span that is
    /// not positive, a side outside [`LEAST_SIDE`]..=[`MOST_SIDE`], principal directions
    /// before two epochs: each a clear error.
    pub fn new(lab: &NetworkLab, settings: LandscapeSettings) -> Result<Landscape, Error> {
        let side = settings.side;
        if !(LEAST_SIDE..=MOST_SIDE).contains(&side) {
            return Err(Error::new(format!(
                "a landscape of {side} × {side} points cannot be drawn: the side must be \
                 {LEAST_SIDE} to {MOST_SIDE}"
            )));
        }
        let [a, b] = settings.directions;
        if a == b {
            return Err(Error::new(format!(
                "d1 and d2 are both {a}: choose two different directions"
            )));
        }
        let grid = Grid::new(settings.span, side)?;
        let fill = Fill::at(lab, &settings)?;
        let order = progressive_order(side, side);
        let stride = coarse_stride(side, side);
        let coarse = (side - 1) / stride + 1;
        Ok(Landscape {
            settings,
            grid,
            order,
            coarse: coarse * coarse,
            fill,
            previous: None,
            problem: None,
        })
    }

    /// The plane of the fill in progress (its θ, directions and explained variances).
    pub fn plane(&self) -> &Plane {
        self.fill.loss.plane()
    }

    /// Computes up to `evaluations` more cells, one forward pass over the training set
    /// each; first, if the fill is complete and `lab`'s run has moved on, starts the next
    /// at its weights now, whose line from θ₀ costs [`INTERPOLATION_STEPS`] of the
    /// evaluations. True once the fill is complete and θ has not moved since.
    pub fn refine(&mut self, lab: &NetworkLab, evaluations: usize) -> bool {
        let mut budget = evaluations;
        if self.fill_complete() && self.fill.moved(lab) {
            match Fill::at(lab, &self.settings) {
                Ok(fill) => {
                    self.previous = Some(std::mem::replace(&mut self.fill, fill));
                    self.problem = None;
                    budget = budget.saturating_sub(INTERPOLATION_STEPS);
                }
                Err(e) => {
                    self.problem = Some(e.0);
                    return false;
                }
            }
        }
        let end = self.fill.next.saturating_add(budget).min(self.order.len());
        for k in self.fill.next..end {
            let cell = self.order[k] as usize;
            let point = self.point(cell % self.grid.side, cell / self.grid.side);
            self.fill.cells[cell] = Some(self.fill.loss.loss(point));
        }
        self.fill.next = end;
        self.fill_complete() && !self.fill.moved(lab)
    }

    fn fill_complete(&self) -> bool {
        self.fill.next == self.order.len()
    }

    /// g at grid point (i, j) (a varying fastest) if the current fill has computed it;
    /// None too for a point off the grid.
    pub fn cell(&self, i: usize, j: usize) -> Option<f64> {
        let side = self.grid.side;
        (i < side && j < side)
            .then(|| self.fill.cells[j * side + i])
            .flatten()
    }

    /// The grid's point (i, j): (a_i, b_j), from −A and −B to A and B.
    pub fn point(&self, i: usize, j: usize) -> [f64; 2] {
        [self.grid.value(0, i), self.grid.value(1, j)]
    }

    pub fn status(&self, lab: &NetworkLab) -> LandscapeStatus {
        LandscapeStatus {
            complete: self.fill_complete() && !self.fill.moved(lab) && self.problem.is_none(),
            filled: self.fill.next,
            cells: self.order.len(),
            side: self.grid.side,
            problem: self.problem.clone(),
        }
    }

    /// The fill the picture shows: the current one once its coarse pass is done, else
    /// the last complete one, if any.
    fn shown(&self) -> Option<&Fill> {
        if self.fill.next >= self.coarse {
            Some(&self.fill)
        } else {
            self.previous.as_ref()
        }
    }

    /// L_S and the accuracy on the line from θ₀ through θ (t from −0.5 to 1.5): the
    /// picture's, or before the first picture the fill's, which has it from its start.
    pub fn interpolation(&self) -> &[Interpolated] {
        &self.shown().unwrap_or(&self.fill).interpolation
    }

    /// The axes' names for a plane of these directions: "a · W0[1,0]", "a · PC1 (62%)".
    pub fn names(&self, plane: &Plane) -> [String; 2] {
        let explained = plane.explained();
        let name = |k: usize| match (self.settings.directions[k], explained[k]) {
            (Direction::Pca { component }, Some(share)) => {
                format!("PC{component} ({}%)", (100.0 * share).round())
            }
            (direction, _) => direction.to_string(),
        };
        [format!("a · {}", name(0)), format!("b · {}", name(1))]
    }

    /// The picture: the shown fill's grid and path; None until a first coarse pass is
    /// done.
    pub fn picture(&self) -> Option<Picture<'_>> {
        let fill = self.shown()?;
        let side = self.grid.side;
        // The grid's points are the centres of the field's cells: the view reaches half
        // a step beyond ±A and ±B.
        let half = |axis: usize| self.grid.span[axis] * (1.0 + 1.0 / (side - 1) as f64);
        let (a, b) = (half(0), half(1));
        let view = ViewBox::new(-a, a, -b, b);
        let field = Field::of_cells(view, side, side, &fill.cells)?;
        Some(Picture {
            field,
            names: self.names(fill.loss.plane()),
            path: &fill.path,
            least_squares: least_squares(&self.settings.directions),
        })
    }
}
