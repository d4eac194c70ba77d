//! A parsed formula as a flat program: its operations in postfix order, run on a small
//! stack, with constant subexpressions folded when it is built. One interpreter serves
//! plain numbers (the heatmap's millions of values) and [`Jet`]s (gradients and
//! Hessians), so the value is the same bits on either path.

use super::jet::Jet;
use crate::surface::Point;
use core::ops::{Add, Div, Mul, Neg, Sub};

/// The functions of one argument a formula may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Cosh,
    Sinh,
    Atan,
}

/// The functions of two arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function2 {
    Atan2,
    Min,
    Max,
}

/// A function a formula calls, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callee {
    One(Function),
    Two(Function2),
}

/// Every function by the name a formula calls it, in the order messages list them.
pub const FUNCTIONS: [(&str, Callee); 14] = [
    ("sin", Callee::One(Function::Sin)),
    ("cos", Callee::One(Function::Cos)),
    ("tan", Callee::One(Function::Tan)),
    ("exp", Callee::One(Function::Exp)),
    ("log", Callee::One(Function::Log)),
    ("sqrt", Callee::One(Function::Sqrt)),
    ("abs", Callee::One(Function::Abs)),
    ("tanh", Callee::One(Function::Tanh)),
    ("cosh", Callee::One(Function::Cosh)),
    ("sinh", Callee::One(Function::Sinh)),
    ("atan", Callee::One(Function::Atan)),
    ("atan2", Callee::Two(Function2::Atan2)),
    ("min", Callee::Two(Function2::Min)),
    ("max", Callee::Two(Function2::Max)),
];

impl Callee {
    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Callee::One(_) => 1,
            Callee::Two(_) => 2,
        }
    }

    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(name, _)| name)
    }

    /// Its operation.
    pub fn op(self) -> Op {
        match self {
            Callee::One(f) => Op::Call(f),
            Callee::Two(f) => Op::Call2(f),
        }
    }
}

impl Function {
    /// g, from `libm` (the same bits natively and in wasm).
    fn libm(self) -> fn(f64) -> f64 {
        match self {
            Function::Sin => libm::sin,
            Function::Cos => libm::cos,
            Function::Tan => libm::tan,
            Function::Exp => libm::exp,
            Function::Log => libm::log,
            Function::Sqrt => libm::sqrt,
            Function::Abs => libm::fabs,
            Function::Tanh => libm::tanh,
            Function::Cosh => libm::cosh,
            Function::Sinh => libm::sinh,
            Function::Atan => libm::atan,
        }
    }

    /// g(u).
    fn value(self, u: f64) -> f64 {
        self.libm()(u)
    }

    /// [g(u), g′(u), g″(u)]:
    /// sin: cos u, −sin u; cos: −sin u, −cos u; tan: 1 + tan²u, 2 tan u (1 + tan²u);
    /// exp: eᵘ, eᵘ; log: 1/u, −1/u²; sqrt: 1/(2√u), −1/(4u√u) (+∞ at 0: the
    /// gradient is not finite there); abs: +1 for u ≥ 0 (at the kink u = 0, the
    /// right-hand derivative), −1 below, and 0; tanh: 1 − tanh²u, −2 tanh u (1 − tanh²u);
    /// cosh: sinh u, cosh u; sinh: cosh u, sinh u; atan: 1/(1 + u²), −2u/(1 + u²)².
    fn derivatives(self, u: f64) -> [f64; 3] {
        let g = self.value(u);
        match self {
            Function::Sin => [g, libm::cos(u), -g],
            Function::Cos => [g, -libm::sin(u), -g],
            Function::Tan => {
                let d = 1.0 + g * g;
                [g, d, 2.0 * g * d]
            }
            Function::Exp => [g, g, g],
            Function::Log => [g, 1.0 / u, -1.0 / (u * u)],
            Function::Sqrt => [g, 0.5 / g, -0.25 / (u * g)],
            Function::Abs => [g, if u >= 0.0 { 1.0 } else { -1.0 }, 0.0],
            Function::Tanh => {
                let d = 1.0 - g * g;
                [g, d, -2.0 * g * d]
            }
            Function::Cosh => [g, libm::sinh(u), g],
            Function::Sinh => [g, libm::cosh(u), g],
            Function::Atan => {
                let d = 1.0 + u * u;
                [g, 1.0 / d, -2.0 * u / (d * d)]
            }
        }
    }
}

/// One step of a program: push a value, or replace the top one or two.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Constant(f64),
    X,
    Y,
    Neg,
    /// u^n for a whole constant n, |n| ≤ [`WHOLE_POWERS`].
    PowWhole(i32),
    /// u^c for any other constant c.
    PowConstant(f64),
    Call(Function),
    Add,
    Sub,
    Mul,
    Div,
    /// u^w with a varying exponent.
    Pow,
    Call2(Function2),
}

impl Op {
    /// How many values it takes from the stack (it always leaves one).
    fn operands(self) -> usize {
        match self {
            Op::Constant(_) | Op::X | Op::Y => 0,
            Op::Neg | Op::PowWhole(_) | Op::PowConstant(_) | Op::Call(_) => 1,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Call2(_) => 2,
        }
    }
}

/// The largest |n| whose powers u^n are taken by repeated squaring: exact for
/// u², and as close as `libm`'s pow for the rest.
pub const WHOLE_POWERS: i32 = 64;

/// u^n by binary powering: u² is u·u and u³ is u·u² (= u·u·u), bit for bit as the
/// built-in surfaces write them; a negative n is 1/u^|n|.
fn powi(u: f64, n: i32) -> f64 {
    let (mut result, mut base, mut k) = (1.0, u, n.unsigned_abs());
    while k > 0 {
        if k & 1 == 1 {
            result *= base;
        }
        k >>= 1;
        if k > 0 {
            base *= base;
        }
    }
    if n < 0 {
        1.0 / result
    } else {
        result
    }
}

/// What the interpreter computes with: a plain number or a [`Jet`], with + − × ÷ and
/// unary minus as operators.
pub trait Number:
    Copy
    + Neg<Output = Self>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    fn constant(c: f64) -> Self;
    fn x(x: f64) -> Self;
    fn y(y: f64) -> Self;
    fn value(&self) -> f64;
    fn pow_whole(self, n: i32) -> Self;
    fn pow_constant(self, c: f64) -> Self;
    fn pow(self, w: Self) -> Self;
    fn call(self, f: Function) -> Self;
    fn call2(self, f: Function2, w: Self) -> Self;
}

/// min and max keep their first argument on a tie (and with it its derivatives: the
/// one-sided derivative of that side), and give NaN if either argument is NaN.
fn pick<N: Number>(f: Function2, u: N, w: N) -> N {
    let (a, b) = (u.value(), w.value());
    let second = match f {
        Function2::Max => b > a,
        _ => b < a,
    };
    if second || b.is_nan() {
        w
    } else {
        u
    }
}

impl Number for f64 {
    fn constant(c: f64) -> f64 {
        c
    }
    fn x(x: f64) -> f64 {
        x
    }
    fn y(y: f64) -> f64 {
        y
    }
    fn value(&self) -> f64 {
        *self
    }
    fn pow_whole(self, n: i32) -> f64 {
        powi(self, n)
    }
    fn pow_constant(self, c: f64) -> f64 {
        libm::pow(self, c)
    }
    fn pow(self, w: f64) -> f64 {
        libm::pow(self, w)
    }
    fn call(self, f: Function) -> f64 {
        f.value(self)
    }
    fn call2(self, f: Function2, w: f64) -> f64 {
        match f {
            Function2::Atan2 => libm::atan2(self, w),
            _ => pick(f, self, w),
        }
    }
}

impl Number for Jet {
    fn constant(c: f64) -> Jet {
        Jet::constant(c)
    }
    fn x(x: f64) -> Jet {
        Jet::x(x)
    }
    fn y(y: f64) -> Jet {
        Jet::y(y)
    }
    fn value(&self) -> f64 {
        self.value
    }

    /// u^n: g′ = n u^(n−1), g″ = n(n − 1) u^(n−2), each power by [`powi`] (and 0
    /// where the factor n or n(n − 1) is, also at u = 0).
    fn pow_whole(self, n: i32) -> Jet {
        let u = self.value;
        let m = f64::from(n);
        let g1 = if n == 0 { 0.0 } else { m * powi(u, n - 1) };
        let g2 = if n == 0 || n == 1 {
            0.0
        } else {
            m * (m - 1.0) * powi(u, n - 2)
        };
        self.chain([powi(u, n), g1, g2])
    }

    /// u^c: g′ = c u^(c−1), g″ = c(c − 1) u^(c−2), by `libm`'s pow (NaN for u < 0
    /// unless c is whole; +∞ at u = 0 for c < 1, a gradient that is not finite).
    fn pow_constant(self, c: f64) -> Jet {
        let u = self.value;
        self.chain([
            libm::pow(u, c),
            c * libm::pow(u, c - 1.0),
            c * (c - 1.0) * libm::pow(u, c - 2.0),
        ])
    }

    /// u^w = exp(w ln u) for u > 0: the jet of L = w ln u, then exp's chain rule
    /// ∇f = f∇L, ∇²f = f(∇L∇Lᵀ + ∇²L), with f = pow(u, w) itself. For u ≤ 0 the
    /// derivatives are NaN.
    fn pow(self, w: Jet) -> Jet {
        let f = libm::pow(self.value, w.value);
        let exponent = w * self.call(Function::Log);
        exponent.chain([f, f, f])
    }

    fn call(self, f: Function) -> Jet {
        self.chain(f.derivatives(self.value))
    }

    /// atan2(u, w), the angle of the point (w, u): with r = u² + w²,
    /// h_u = w/r, h_w = −u/r, h_uu = −2uw/r², h_uw = (u² − w²)/r², h_ww = 2uw/r²
    /// (not finite at u = w = 0). min and max: see [`pick`].
    fn call2(self, f: Function2, w: Jet) -> Jet {
        if f != Function2::Atan2 {
            return pick(f, self, w);
        }
        let (a, b) = (self.value, w.value);
        let r = a * a + b * b;
        let r2 = r * r;
        self.chain2(
            w,
            libm::atan2(a, b),
            [b / r, -a / r],
            [-2.0 * a * b / r2, (a * a - b * b) / r2, 2.0 * a * b / r2],
        )
    }
}

/// `op` applied to its operands: `u` alone, or `u` and `w` (leaves take neither).
#[inline(always)]
fn apply<N: Number>(op: Op, [x, y]: Point, u: N, w: N) -> N {
    match op {
        Op::Constant(c) => N::constant(c),
        Op::X => N::x(x),
        Op::Y => N::y(y),
        Op::Neg => -u,
        Op::PowWhole(n) => u.pow_whole(n),
        Op::PowConstant(c) => u.pow_constant(c),
        Op::Call(f) => u.call(f),
        Op::Add => u + w,
        Op::Sub => u - w,
        Op::Mul => u * w,
        Op::Div => u / w,
        Op::Pow => u.pow(w),
        Op::Call2(f) => u.call2(f, w),
    }
}

/// A formula's operations in postfix order, and the deepest its stack gets.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    ops: Vec<Op>,
    /// Values on the stack after the operations so far.
    height: usize,
    depth: usize,
    /// An operation was pushed without its operands.
    broken: bool,
}

/// Values that the interpreter keeps on the machine stack rather than in a vector.
const INLINE: usize = 16;

/// Points [`Program::values`] evaluates each operation on at once.
const CHUNK: usize = 64;

/// u ← g(u) for each value of a chunk.
#[inline(always)]
fn map(slot: &mut [f64], g: impl Fn(f64) -> f64) {
    for u in slot {
        *u = g(*u);
    }
}

/// u ← h(u, w) for each pair of values of two chunks.
#[inline(always)]
fn combine(u: &mut [f64], w: &[f64], h: impl Fn(f64, f64) -> f64) {
    for (a, &b) in u.iter_mut().zip(w) {
        *a = h(*a, b);
    }
}

impl Program {
    /// An empty program, to which a parser appends in postfix order.
    pub fn new() -> Program {
        Program {
            ops: Vec::new(),
            height: 0,
            depth: 0,
            broken: false,
        }
    }

    /// Whether the operations leave exactly one value: a whole formula.
    pub fn is_complete(&self) -> bool {
        !self.broken && self.height == 1
    }

    /// The constant `n` operations from the top, if the value there is one.
    fn constant_at(&self, n: usize) -> Option<f64> {
        match self.ops.len().checked_sub(n + 1).map(|i| self.ops[i]) {
            Some(Op::Constant(c)) => Some(c),
            _ => None,
        }
    }

    /// Appends `op`, which must find its operands on the stack. An operation on
    /// constants is folded into the constant it gives (by the same arithmetic as at run
    /// time, so folding changes no bit); a power with a constant exponent becomes
    /// [`Op::PowWhole`] or [`Op::PowConstant`].
    pub fn push(&mut self, op: Op) {
        let operands = op.operands();
        let nan = f64::NAN;
        let origin = [0.0, 0.0];
        let folded = match (operands, self.constant_at(0), self.constant_at(1)) {
            (1, Some(u), _) => Some(apply(op, origin, u, nan)),
            (2, Some(w), Some(u)) => Some(apply(op, origin, u, w)),
            _ => None,
        };
        self.broken |= self.height < operands;
        self.height = (self.height + 1).saturating_sub(operands);
        if let Some(value) = folded {
            self.ops.truncate(self.ops.len() - operands);
            self.ops.push(Op::Constant(value));
        } else if let (Op::Pow, Some(c)) = (op, self.constant_at(0)) {
            self.ops.pop();
            let whole = c.fract() == 0.0 && c.abs() <= f64::from(WHOLE_POWERS);
            self.ops.push(if whole {
                Op::PowWhole(c as i32)
            } else {
                Op::PowConstant(c)
            });
        } else {
            self.ops.push(op);
        }
        self.depth = self.depth.max(self.height);
    }

    /// f(p).
    pub fn value(&self, p: Point) -> f64 {
        self.evaluate(p)
    }

    /// f, ∇f and ∇²f at p.
    pub fn jet(&self, p: Point) -> Jet {
        self.evaluate(p)
    }

    /// f at each of `points`, into `values`, the same bits as [`Program::value`]: each
    /// operation runs over a chunk of [`CHUNK`] points at once, so that choosing the
    /// operation costs once a chunk rather than once a point (the heatmap's 640,000
    /// values).
    pub fn values(&self, points: &[Point], values: &mut [f64]) {
        if !self.is_complete() {
            values.fill(f64::NAN);
            return;
        }
        let mut stack = vec![[0.0; CHUNK]; self.depth];
        for (points, values) in points.chunks(CHUNK).zip(values.chunks_mut(CHUNK)) {
            let n = points.len();
            let mut top = 0;
            for &op in &self.ops {
                if op.operands() == 0 {
                    let slot = &mut stack[top][..n];
                    match op {
                        Op::X => slot.iter_mut().zip(points).for_each(|(s, p)| *s = p[0]),
                        Op::Y => slot.iter_mut().zip(points).for_each(|(s, p)| *s = p[1]),
                        _ => slot.fill(apply(op, [0.0, 0.0], f64::NAN, f64::NAN)),
                    }
                    top += 1;
                    continue;
                }
                if op.operands() == 1 {
                    let slot = &mut stack[top - 1][..n];
                    match op {
                        Op::Neg => map(slot, |u| -u),
                        // The most common power, without powi's loop: the same bits.
                        Op::PowWhole(2) => map(slot, |u| u * u),
                        Op::PowWhole(k) => map(slot, |u| powi(u, k)),
                        Op::Call(f) => map(slot, f.libm()),
                        _ => map(slot, |u| apply(op, [0.0, 0.0], u, f64::NAN)),
                    }
                    continue;
                }
                top -= 1;
                let (below, above) = stack.split_at_mut(top);
                let (u, w) = (&mut below[top - 1][..n], &above[0][..n]);
                match op {
                    Op::Add => combine(u, w, |a, b| a + b),
                    Op::Sub => combine(u, w, |a, b| a - b),
                    Op::Mul => combine(u, w, |a, b| a * b),
                    Op::Div => combine(u, w, |a, b| a / b),
                    _ => combine(u, w, |a, b| apply(op, [0.0, 0.0], a, b)),
                }
            }
            values[..n].copy_from_slice(&stack[0][..n]);
        }
    }

    fn evaluate<N: Number>(&self, p: Point) -> N {
        if self.depth <= INLINE {
            self.run(p, &mut [N::constant(0.0); INLINE])
        } else {
            self.run(p, &mut vec![N::constant(0.0); self.depth])
        }
    }

    /// Runs the operations on `stack`, which holds at least [`Program::depth`] values.
    /// A parser only runs complete programs: an incomplete one gives NaN, never a panic.
    fn run<N: Number>(&self, p: Point, stack: &mut [N]) -> N {
        if !self.is_complete() {
            return N::constant(f64::NAN);
        }
        let mut top = 0;
        for &op in &self.ops {
            match op.operands() {
                0 => {
                    stack[top] = apply(op, p, stack[top], stack[top]);
                    top += 1;
                }
                1 => stack[top - 1] = apply(op, p, stack[top - 1], stack[top - 1]),
                _ => {
                    top -= 1;
                    stack[top - 1] = apply(op, p, stack[top - 1], stack[top]);
                }
            }
        }
        stack[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(ops: &[Op]) -> Program {
        let mut p = Program::new();
        for &op in ops {
            p.push(op);
        }
        p
    }

    #[test]
    fn whole_powers_are_the_products_the_built_in_surfaces_write() {
        for u in [0.3, -1.7, 2.0 / 3.0, 1e-3, 123.456] {
            assert_eq!(powi(u, 2).to_bits(), (u * u).to_bits());
            assert_eq!(powi(u, 3).to_bits(), (u * u * u).to_bits());
            assert_eq!(powi(u, 0), 1.0);
            assert_eq!(powi(u, -1), 1.0 / u);
        }
        let x = Jet::x(0.0);
        assert_eq!(x.pow_whole(0), Jet::constant(1.0));
        assert_eq!(x.pow_whole(1).gradient, [1.0, 0.0]);
        assert_eq!(x.pow_whole(1).hessian, [0.0; 3]);
        assert_eq!(x.pow_whole(2).hessian, [2.0, 0.0, 0.0]);
    }

    #[test]
    fn constants_fold_with_the_run_time_arithmetic() {
        use core::f64::consts::PI;
        let p = program(&[
            Op::Constant(2.0),
            Op::Constant(PI),
            Op::Mul,
            Op::X,
            Op::Mul,
            Op::Call(Function::Cos),
        ]);
        assert_eq!(
            p.ops,
            [
                Op::Constant(2.0 * PI),
                Op::X,
                Op::Mul,
                Op::Call(Function::Cos)
            ]
        );
        assert_eq!(p.depth, 2);
        let x = 0.37;
        assert_eq!(
            p.value([x, 0.0]).to_bits(),
            libm::cos(2.0 * PI * x).to_bits()
        );
        let q = program(&[Op::Y, Op::Constant(2.0), Op::Neg, Op::Pow]);
        assert_eq!(q.ops, [Op::Y, Op::PowWhole(-2)]);
        assert_eq!(q.value([0.0, 4.0]), 1.0 / 16.0);
        let r = program(&[
            Op::Constant(3.0),
            Op::Constant(4.0),
            Op::Call2(Function2::Atan2),
        ]);
        assert_eq!(r.ops, [Op::Constant(libm::atan2(3.0, 4.0))]);
        assert!(!program(&[Op::X, Op::Y]).is_complete());
        assert!(!program(&[Op::X, Op::Add, Op::Y]).is_complete());
        assert!(program(&[Op::X, Op::Y]).value([1.0, 2.0]).is_nan());
    }

    #[test]
    fn ties_keep_the_first_argument_and_nan_wins() {
        let (u, w) = (Jet::x(1.0), Jet::y(1.0));
        assert_eq!(u.call2(Function2::Min, w).gradient, [1.0, 0.0]);
        assert_eq!(u.call2(Function2::Max, w).gradient, [1.0, 0.0]);
        assert_eq!(w.call2(Function2::Max, u).gradient, [0.0, 1.0]);
        assert!(1.0.call2(Function2::Min, f64::NAN).is_nan());
        assert!(f64::NAN.call2(Function2::Max, 1.0).is_nan());
        assert_eq!(2.0.call2(Function2::Min, -1.0), -1.0);
        assert_eq!(2.0.call2(Function2::Max, -1.0), 2.0);
    }
}
