//! Typed formulas: the same runs as the built-in surfaces they spell out, derivatives
//! against central differences, positioned errors and no panic on any text, limits on
//! length and nesting that hold on a small stack, and critical points found.

use gradscape::lab::optimizers::{OptimizerLab, Settings};
use gradscape::run::{trace, Outcome, OutcomeKind, Status};
use gradscape::surface::formula::{MAX_DEPTH, MAX_LENGTH};
use gradscape::surface::{
    from_spec, from_spec_in, CriticalKind, Formula, Himmelblau, Point, Rastrigin, Surface, ViewBox,
};
use gradscape::Spec;
use proptest::prelude::*;

/// Each built-in surface and its formula as a student would type it.
const TYPED: [(&str, &str); 6] = [
    ("rosenbrock", "(1-x)^2+100*(y-x^2)^2"),
    ("beale", "(1.5-x+x*y)^2+(2.25-x+x*y^2)^2+(2.625-x+x*y^3)^2"),
    ("himmelblau", "(x^2+y-11)^2+(x+y^2-7)^2"),
    ("booth", "(x+2*y-7)^2+(2*x+y-5)^2"),
    ("saddle", "x^2-y^2"),
    ("rastrigin", "20+x^2-10*cos(2*pi*x)+y^2-10*cos(2*pi*y)"),
];

/// |a − b| ≤ 1e-12 · max(|a|, |b|, floor).
fn close(a: f64, b: f64, floor: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(floor)
}

#[test]
fn typed_built_in_surfaces_give_the_built_in_trajectories() {
    let methods = [
        "sgd:lr=0.001",
        "momentum:lr=0.001",
        "nesterov:lr=0.001",
        "adam:lr=0.02",
        "rmsprop:lr=0.01",
        "adagrad:lr=0.3",
        "lion:lr=0.01",
        "newton:lr=0.5",
    ];
    for (id, text) in TYPED {
        let built_in = from_spec(&Spec::named(id)).unwrap();
        let start = built_in.start();
        let scale = built_in.value(start).abs();
        for method in methods {
            let want = trace(id, method, start, 200).unwrap();
            let got = trace(&format!("formula:{text}"), method, start, 200).unwrap();
            let what = format!("{id} {method}");
            assert_eq!(got.status, want.status, "{what}");
            assert_eq!(got.points.len(), want.points.len(), "{what}");
            for (k, (p, q)) in got.points.iter().zip(&want.points).enumerate() {
                assert!(
                    close(p[0], q[0], 0.0) && close(p[1], q[1], 0.0),
                    "{what}: iterate {k} {p:?} vs {q:?}"
                );
            }
            // A loss near 0 is a difference of nearly equal terms: relative to the start's.
            for (k, (a, b)) in got.losses.iter().zip(&want.losses).enumerate() {
                assert!(close(*a, *b, 1e-6 * scale), "{what}: loss {k} {a} vs {b}");
            }
        }
    }
}

#[test]
fn a_typed_square_is_the_built_in_product_bit_for_bit() {
    let typed = Formula::new("x^2-y^2").unwrap();
    let built_in = from_spec(&Spec::named("saddle")).unwrap();
    for p in [[0.3, -1.7], [2.0 / 3.0, 1e-3], [-2.5, 1.25]] {
        assert_eq!(typed.value(p).to_bits(), built_in.value(p).to_bits());
        assert_eq!(typed.gradient(p), built_in.gradient(p));
        assert_eq!(typed.hessian(p), built_in.hessian(p));
    }
}

/// Central differences D(h) = (f(p + h eᵢ) − f(p − h eᵢ)) / 2h at h and h/2, and
/// their own error estimate |D(h) − D(h/2)|: D's error is O(h²), so D(h/2) is within
/// about a third of that of the derivative, however fast f varies.
fn central(f: impl Fn(Point) -> f64, p: Point, i: usize) -> (f64, f64) {
    let at = |h: f64| {
        let (mut plus, mut minus) = (p, p);
        plus[i] += h;
        minus[i] -= h;
        (f(plus) - f(minus)) / (2.0 * h)
    };
    let h = 1e-4 * p[i].abs().max(1.0);
    let (coarse, fine) = (at(h), at(h / 2.0));
    (fine, (coarse - fine).abs())
}

/// ∇f against central differences of f, and ∇²f against those of ∇f, at p.
fn check_derivatives(s: &dyn Surface, p: Point, what: &str) {
    let (g, h) = (s.gradient(p), s.hessian(p));
    assert_eq!(h[0][1], h[1][0], "{what}: symmetric");
    let scale = 1.0 + s.value(p).abs() + g[0].abs() + g[1].abs();
    for (i, analytic) in g.iter().enumerate() {
        let (numeric, error) = central(|q| s.value(q), p, i);
        assert!(
            (analytic - numeric).abs() <= error + 1e-7 * scale,
            "{what}: ∂{i}f at {p:?} = {analytic} vs {numeric} ± {error}"
        );
    }
    let scale = 1.0 + h.iter().flatten().map(|v| v.abs()).sum::<f64>() + g[0].abs() + g[1].abs();
    for (i, row) in h.iter().enumerate() {
        for (j, analytic) in row.iter().enumerate() {
            let (numeric, error) = central(|q| s.gradient(q)[i], p, j);
            assert!(
                (analytic - numeric).abs() <= error + 1e-7 * scale,
                "{what}: ∂²{i}{j}f at {p:?} = {analytic} vs {numeric} ± {error}"
            );
        }
    }
}

#[test]
fn every_function_s_derivatives_match_central_differences() {
    let formulas = [
        "sin(x*y) + cos(x - y)",
        "tan(0.5*x) * exp(y/3)",
        "log(2 + x) + sqrt(3 + y)",
        "tanh(x*y) + cosh(x/2) - sinh(y/3)",
        "atan(x - 2*y) + atan2(y + 3, x + 4)",
        "(1 + x^2)^(0.5*y) + (2 + y)^-1.5 + x^-3",
        "2^x * e^(x*y) + pi*x/y",
        "abs(x - 3) + min(x, y)^2 + max(x*y, 5)",
        "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
    ];
    let points = [[0.7, 0.4], [-0.3, 1.1], [1.2, -0.6], [0.45, 0.85]];
    for text in formulas {
        let s = Formula::new(text).unwrap();
        for p in points {
            check_derivatives(&s, p, text);
        }
    }
}

#[test]
fn kinks_take_their_documented_one_sided_derivatives() {
    // abs′(0) = +1, the right-hand derivative.
    let s = Formula::new("abs(x) + abs(-y)").unwrap();
    assert_eq!(s.gradient([0.0, 0.0]), [1.0, -1.0]);
    assert_eq!(s.gradient([-1.0, 2.0]), [-1.0, 1.0]);
    // min and max keep the first argument on a tie, with its derivatives.
    let s = Formula::new("min(x, y) + 2*max(x, y)").unwrap();
    assert_eq!(s.gradient([1.0, 1.0]), [3.0, 0.0]);
    assert_eq!(s.gradient([2.0, 1.0]), [2.0, 1.0]);
    assert_eq!(s.gradient([1.0, 2.0]), [1.0, 2.0]);
}

#[test]
fn an_infinite_derivative_ends_the_run_diverged_not_with_nan() {
    // √(x² + y²) at the origin: the loss is 0, the gradient is not finite.
    let t = trace("formula:sqrt(x^2+y^2)", "adam:lr=0.1", [0.0, 0.0], 50).unwrap();
    assert_eq!(t.status, Status::Diverged { step: 1 });
    assert_eq!(t.points, [[0.0, 0.0]]);
    let s = Formula::new("sqrt(x^2+y^2)").unwrap();
    let outcome = Outcome::of(&s, &t, 0.01);
    assert_eq!(outcome.kind, OutcomeKind::Diverged);
    assert_eq!(outcome.to_string(), "diverged at step 1");
    // Elsewhere the cone runs normally towards its tip.
    let t = trace("formula:sqrt(x^2+y^2)", "sgd:lr=0.1", [1.0, 1.0], 5).unwrap();
    assert_eq!(t.status, Status::Running);
}

/// A smooth expression, built so that every point of [−1.5, 1.5]² is far from a
/// singularity, with its text and its value by the standard library.
#[derive(Clone, Debug)]
enum Expr {
    X,
    Y,
    Constant(f64),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    /// u / (1 + w²)
    Div(Box<Expr>, Box<Expr>),
    /// (2 + sin u)^w, a varying exponent on a positive base
    Pow(Box<Expr>, Box<Expr>),
    /// atan2(u, 1 + w²)
    Atan2(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Square(Box<Expr>),
    Cube(Box<Expr>),
    /// (1 + u²)^c
    Root(Box<Expr>, f64),
    Sin(Box<Expr>),
    Cos(Box<Expr>),
    Atan(Box<Expr>),
    Tanh(Box<Expr>),
    /// exp(tanh u), tan(tanh u), cosh(tanh u), sinh(tanh u)
    Exp(Box<Expr>),
    Tan(Box<Expr>),
    Cosh(Box<Expr>),
    Sinh(Box<Expr>),
    /// log(1 + u²), sqrt(1 + u²)
    Log(Box<Expr>),
    Sqrt(Box<Expr>),
}

impl Expr {
    fn text(&self) -> String {
        use Expr::*;
        match self {
            X => "x".into(),
            Y => "y".into(),
            Constant(c) => format!("({c:?})"),
            Add(u, w) => format!("{} + {}", u.text(), w.text()),
            Sub(u, w) => format!("{} - ({})", u.text(), w.text()),
            Mul(u, w) => format!("({})*({})", u.text(), w.text()),
            Div(u, w) => format!("({})/(1 + ({})^2)", u.text(), w.text()),
            Pow(u, w) => format!("(2 + sin({}))^({})", u.text(), w.text()),
            Atan2(u, w) => format!("atan2({}, 1 + ({})^2)", u.text(), w.text()),
            Neg(u) => format!("-({})", u.text()),
            Square(u) => format!("({})^2", u.text()),
            Cube(u) => format!("({})^3", u.text()),
            Root(u, c) => format!("(1 + ({})^2)^({c:?})", u.text()),
            Sin(u) => format!("sin({})", u.text()),
            Cos(u) => format!("cos({})", u.text()),
            Atan(u) => format!("atan({})", u.text()),
            Tanh(u) => format!("tanh({})", u.text()),
            Exp(u) => format!("exp(tanh({}))", u.text()),
            Tan(u) => format!("tan(tanh({}))", u.text()),
            Cosh(u) => format!("cosh(tanh({}))", u.text()),
            Sinh(u) => format!("sinh(tanh({}))", u.text()),
            Log(u) => format!("log(1 + ({})^2)", u.text()),
            Sqrt(u) => format!("sqrt(1 + ({})^2)", u.text()),
        }
    }

    fn value(&self, p: Point) -> f64 {
        use Expr::*;
        let v = |e: &Expr| e.value(p);
        match self {
            X => p[0],
            Y => p[1],
            Constant(c) => *c,
            Add(u, w) => v(u) + v(w),
            Sub(u, w) => v(u) - v(w),
            Mul(u, w) => v(u) * v(w),
            Div(u, w) => v(u) / (1.0 + v(w).powi(2)),
            Pow(u, w) => (2.0 + v(u).sin()).powf(v(w)),
            Atan2(u, w) => v(u).atan2(1.0 + v(w).powi(2)),
            Neg(u) => -v(u),
            Square(u) => v(u).powi(2),
            Cube(u) => v(u).powi(3),
            Root(u, c) => (1.0 + v(u).powi(2)).powf(*c),
            Sin(u) => v(u).sin(),
            Cos(u) => v(u).cos(),
            Atan(u) => v(u).atan(),
            Tanh(u) => v(u).tanh(),
            Exp(u) => v(u).tanh().exp(),
            Tan(u) => v(u).tanh().tan(),
            Cosh(u) => v(u).tanh().cosh(),
            Sinh(u) => v(u).tanh().sinh(),
            Log(u) => (1.0 + v(u).powi(2)).ln(),
            Sqrt(u) => (1.0 + v(u).powi(2)).sqrt(),
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    use Expr::*;
    let leaf = prop_oneof![
        Just(X),
        Just(Y),
        (-2.0f64..2.0).prop_map(|c| Constant((c * 100.0).round() / 100.0)),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let b = |e| Box::new(e);
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Add(b(u), b(w))),
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Sub(b(u), b(w))),
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Mul(b(u), b(w))),
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Div(b(u), b(w))),
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Pow(b(u), b(w))),
            (inner.clone(), inner.clone()).prop_map(move |(u, w)| Atan2(b(u), b(w))),
            inner.clone().prop_map(move |u| Neg(b(u))),
            inner.clone().prop_map(move |u| Square(b(u))),
            inner.clone().prop_map(move |u| Cube(b(u))),
            (inner.clone(), -1.5f64..1.5)
                .prop_map(move |(u, c)| Root(b(u), (c * 10.0).round() / 10.0 + 0.05)),
            inner.clone().prop_map(move |u| Sin(b(u))),
            inner.clone().prop_map(move |u| Cos(b(u))),
            inner.clone().prop_map(move |u| Atan(b(u))),
            inner.clone().prop_map(move |u| Tanh(b(u))),
            inner.clone().prop_map(move |u| Exp(b(u))),
            inner.clone().prop_map(move |u| Tan(b(u))),
            inner.clone().prop_map(move |u| Cosh(b(u))),
            inner.clone().prop_map(move |u| Sinh(b(u))),
            inner.clone().prop_map(move |u| Log(b(u))),
            inner.prop_map(move |u| Sqrt(b(u))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random smooth expressions: the value as the standard library computes it, and
    /// the gradient and Hessian against central differences.
    #[test]
    fn random_expressions_have_exact_derivatives(
        e in expr(),
        x in -1.5f64..1.5,
        y in -1.5f64..1.5,
    ) {
        let text = e.text();
        let s = Formula::new(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        let (got, want) = (s.value([x, y]), e.value([x, y]));
        prop_assert!(
            (got - want).abs() <= 1e-10 * want.abs().max(1.0),
            "{}: {} vs {}", text, got, want
        );
        check_derivatives(&s, [x, y], &text);
    }
}

/// Whether `message` is an error the formula module gives: at a character of `text`
/// (or just after it), or one of the limits.
fn positioned(text: &str, message: &str) -> bool {
    let position = message
        .strip_prefix("at ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(n, _)| n.parse::<usize>().ok());
    match position {
        Some(n) => (1..=text.chars().count() + 1).contains(&n),
        None => {
            message == "the formula is longer than 10,000 characters"
                || message == format!("the formula nests more than {MAX_DEPTH} levels deep")
                || message.starts_with("the formula has no finite value and gradient")
        }
    }
}

/// Pieces of formulas, right and wrong.
const PIECES: &[&str] = &[
    "x", "y", "pi", "e", "π", "1", "2.5", ".5", "1e3", "3E-2", "1e999", "sin", "cos", "atan2",
    "min", "max", "log", "sqrt", "abs", "tanh", "(", ")", ",", "+", "-", "−", "*", "/", "^", "×",
    " ", "#", "sni", "2x", ".", "é",
];

fn tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// A typed surface with one piece put in place of a character: mostly near misses.
fn mutated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&TYPED[..]),
        any::<prop::sample::Index>(),
        prop::sample::select(PIECES),
    )
        .prop_map(|((_, text), at, piece)| {
            let mut chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len());
            chars.splice(i..=i, piece.chars());
            chars.into_iter().collect()
        })
}

fn texts() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tokens(), mutated()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// No text makes the core panic: a formula, or an error that says where.
    #[test]
    fn any_text_gives_a_surface_or_a_positioned_error(text in texts()) {
        match Formula::new(&text) {
            Ok(s) => {
                let start = s.start();
                prop_assert!(s.value(start).is_finite());
                prop_assert!(s.gradient(start).iter().all(|g| g.is_finite()));
            }
            Err(e) => prop_assert!(positioned(&text, &e.0), "{:?}: {}", text, e.0),
        }
    }
}

/// Enough of the generated texts parse, or the property above would test errors only.
#[test]
fn the_generated_texts_are_formulas_too() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let generator = texts();
    let parsed = (0..1000)
        .filter(|_| Formula::new(&generator.new_tree(&mut runner).unwrap().current()).is_ok())
        .count();
    assert!(parsed >= 50, "only {parsed} of 1000 parsed");
}

#[test]
fn long_and_deep_formulas_are_refused_cleanly_even_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let error = |text: &str| Formula::new(text).err().unwrap().0;
            let ten_kilobytes = "x+".repeat(5120);
            assert_eq!(
                error(&ten_kilobytes),
                "the formula is longer than 10,000 characters"
            );
            let longest = "1+".repeat(4999) + "x ";
            assert_eq!(longest.chars().count(), MAX_LENGTH);
            assert_eq!(Formula::new(&longest).unwrap().value([2.0, 0.0]), 5001.0);
            let nests = format!("the formula nests more than {MAX_DEPTH} levels deep");
            for deep in [
                "(".repeat(1000) + "x" + &")".repeat(1000),
                "sin(".repeat(1000) + "x" + &")".repeat(1000),
                "-".repeat(1000) + "x",
                "x^".repeat(1000) + "x",
            ] {
                assert_eq!(error(&deep), nests);
            }
            // The deepest formula read, evaluated with its derivatives.
            let deepest = "sin(".repeat(MAX_DEPTH) + "x" + &")".repeat(MAX_DEPTH);
            let s = Formula::new(&deepest).unwrap();
            let mut expected = 0.5;
            for _ in 0..MAX_DEPTH {
                expected = libm::sin(expected);
            }
            assert_eq!(s.value([0.5, 0.0]), expected);
            assert!(s.gradient([0.5, 0.0])[0] > 0.0);
            let towers = "x^".repeat(MAX_DEPTH - 1) + "x";
            assert!(Formula::new(&towers).is_ok());
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn values_in_rows_are_the_values_one_by_one() {
    for (_, text) in TYPED {
        let s = Formula::new(text).unwrap();
        let points: Vec<Point> = (0..150)
            .map(|i| [-3.0 + 0.04 * i as f64, 2.9 - 0.037 * i as f64])
            .collect();
        let mut rows = vec![0.0; points.len()];
        s.values(&points, &mut rows);
        for (p, v) in points.iter().zip(&rows) {
            assert_eq!(v.to_bits(), s.value(*p).to_bits(), "{text} at {p:?}");
        }
    }
}

#[test]
fn himmelblau_s_four_minima_are_found() {
    let typed = Formula::in_view(TYPED[2].1, Himmelblau.view()).unwrap();
    let minima: Vec<Point> = typed
        .critical_points()
        .iter()
        .filter(|c| c.kind == CriticalKind::Minimum)
        .map(|c| c.point)
        .collect();
    assert_eq!(minima.len(), 4, "{minima:?}");
    for known in Himmelblau.critical_points() {
        let [x, y] = known.point;
        assert!(
            minima
                .iter()
                .any(|m| (m[0] - x).abs() < 1e-9 && (m[1] - y).abs() < 1e-9),
            "{known:?} not in {minima:?}"
        );
    }
    // Each found point is stationary, a minimum or a saddle as its Hessian says.
    for c in typed.critical_points() {
        let g = typed.gradient(c.point);
        assert!(g[0].hypot(g[1]) < 1e-9, "{c:?}");
        let [[a, b], [_, d]] = typed.hessian(c.point);
        match c.kind {
            CriticalKind::Minimum => assert!(a * d - b * b > 0.0 && a > 0.0),
            CriticalKind::Saddle => assert!(a * d - b * b < 0.0),
        }
    }
}

#[test]
fn rosenbrock_s_minimum_and_the_saddle_s_saddle_are_found() {
    let rosenbrock = Formula::new(TYPED[0].1).unwrap();
    let critical = rosenbrock.critical_points();
    assert_eq!(critical.len(), 1, "{critical:?}");
    assert_eq!(critical[0].kind, CriticalKind::Minimum);
    let [x, y] = critical[0].point;
    assert!((x - 1.0).abs() < 1e-9 && (y - 1.0).abs() < 1e-9);
    let saddle = Formula::new("x^2-y^2").unwrap().critical_points();
    assert_eq!(saddle.len(), 1, "{saddle:?}");
    assert_eq!(saddle[0].kind, CriticalKind::Saddle);
    assert!(saddle[0].point[0].abs() < 1e-12 && saddle[0].point[1].abs() < 1e-12);
    // Rastrigin's lowest minimum comes first: its global one.
    let rastrigin = Formula::in_view(TYPED[5].1, Rastrigin.view()).unwrap();
    let first = rastrigin.critical_points()[0];
    assert_eq!(first.kind, CriticalKind::Minimum);
    assert!(first.point[0].abs() < 1e-12 && first.point[1].abs() < 1e-12);
    // A flat surface lists nothing.
    assert!(Formula::new("3").unwrap().critical_points().is_empty());
}

#[test]
fn the_view_sets_where_minima_are_looked_for_and_the_start() {
    let text = "(x-5)^2 + (y-5)^2";
    let default = Formula::new(text).unwrap();
    assert_eq!(default.view(), ViewBox::new(-3.0, 3.0, -3.0, 3.0));
    assert_eq!(default.start(), [-2.0, 2.0]);
    assert!(default.critical_points().is_empty(), "(5, 5) is outside");
    let spec = Spec::parse(&format!("formula:{text}")).unwrap();
    let wide = from_spec_in(&spec, Some(ViewBox::new(0.0, 12.0, 0.0, 6.0))).unwrap();
    assert_eq!(wide.start(), [2.0, 5.0]);
    assert_eq!(wide.critical_points()[0].point, [5.0, 5.0]);
    // Where f is not finite at the corner, the first grid point where it is.
    let root = Formula::new("sqrt(x) + y^2").unwrap();
    let [x, y] = root.start();
    assert!(x > 0.0 && (y - (3.0 - 1.0 / 3.0)).abs() < 1e-12, "{x}, {y}");
    let nowhere = Formula::new("sqrt(-1 - x^2)").err().unwrap().0;
    assert!(nowhere.starts_with("the formula has no finite value and gradient on a 9 × 9 grid over the view [-3, 3] × [-3, 3]"), "{nowhere}");
}

#[test]
fn bad_formula_specs_name_the_problem() {
    let error = |s: &str| from_spec(&Spec::parse(s).unwrap()).err().unwrap().0;
    assert_eq!(
        error("formula:(1 + x"),
        "at 7: expected ')' to close the '(' at 1"
    );
    assert_eq!(
        error("formula:"),
        "at 1: expected a formula in x and y, such as x^2 + y^2"
    );
    let object: Spec =
        serde_json::from_str(r#"{"id": "formula", "params": {"f": "x", "g": 1}}"#).unwrap();
    assert_eq!(
        from_spec(&object).err().unwrap().0,
        "formula: unknown parameter `g`; expected one of: f"
    );
    // No parameter at all: the default, Rosenbrock's function.
    let default = from_spec(&Spec::named("formula")).unwrap();
    assert_eq!(default.value([1.0, 1.0]), 0.0);
    assert_eq!(default.value([0.0, 0.0]), 1.0);
}

#[test]
fn the_lab_runs_a_formula_keeps_the_last_good_one_and_links_it_as_text() {
    let settings: Settings = serde_json::from_str(
        r#"{"surface": {"id": "formula", "params": {"f": "x^2 + 10*y^2"}},
            "optimizers": ["sgd:lr=0.05"], "steps": 300}"#,
    )
    .unwrap();
    let (mut lab, problems) = OptimizerLab::open(&settings);
    assert_eq!(problems, []);
    assert_eq!(lab.statuses()[0].kind, OutcomeKind::Converged);
    let link = serde_json::to_value(lab.settings()).unwrap();
    assert_eq!(
        link["surface"],
        serde_json::json!({"id": "formula", "params": {"f": "x^2 + 10*y^2"}})
    );
    let before = lab.settings().clone();
    let bad = Spec::parse("formula:x^2 + 10*y^2)").unwrap();
    assert_eq!(
        lab.set_surface(bad).unwrap_err().0,
        "at 13: expected end of formula: this ')' closes no '('"
    );
    assert_eq!(lab.settings(), &before);
    assert_eq!(lab.surface().value([1.0, 1.0]), 11.0);
    lab.set_surface(Spec::parse("formula:(x-5)^2 + (y-5)^2").unwrap())
        .unwrap();
    assert_eq!(lab.settings().start, Some([-2.0, 2.0]));
    assert!(lab.surface().critical_points().is_empty());
    // Shown where its minimum is, the formula finds it there.
    lab.set_view(ViewBox::new(0.0, 10.0, 0.0, 10.0)).unwrap();
    assert_eq!(lab.surface().critical_points()[0].point, [5.0, 5.0]);
    assert_eq!(lab.statuses()[0].minimum, Some([5.0, 5.0]));
    // A link with a view builds it there at once.
    let settings: Settings = serde_json::from_str(
        r#"{"surface": "formula:(x-5)^2 + (y-5)^2", "view": {"x": [0, 10], "y": [0, 10]}}"#,
    )
    .unwrap();
    let (lab, problems) = OptimizerLab::open(&settings);
    assert_eq!(problems, []);
    assert_eq!(lab.surface().critical_points()[0].point, [5.0, 5.0]);
    assert_eq!(lab.start(), [10.0 / 6.0, 10.0 - 10.0 / 6.0]);
}
