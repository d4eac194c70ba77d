//! No input makes the core panic: random surfaces, optimizers, hyperparameters
//! (including extreme ones) and starts give a trajectory or a clear error; a damaged
//! digits file is read or refused.

use gradscape::run::{trace, Outcome, OutcomeKind, Status, DIVERGENCE_BOUND};
use gradscape::{optim, surface, Spec};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (0.0f64..1.0).prop_map(|v| v.to_string()),
        4 => (-30i32..30).prop_map(|e| format!("1e{e}")),
        2 => (-1e6f64..1e6).prop_map(|v| v.to_string()),
        1 => Just("true".to_string()),
        1 => Just("NaN".to_string()),
        1 => Just("inf".to_string()),
        1 => Just("1e308".to_string()),
    ]
}

fn optimizer_spec() -> impl Strategy<Value = String> {
    (
        0..optim::CATALOGUE.len(),
        prop::collection::vec((0usize..16, value()), 0..4),
    )
        .prop_map(|(i, params)| {
            let entry = &optim::CATALOGUE[i];
            let keys = entry.all_parameters();
            let pairs: Vec<String> = params
                .into_iter()
                .map(|(k, v)| format!("{}={v}", keys[k % keys.len()].key))
                .collect();
            format!("{}:{}", entry.id, pairs.join(","))
        })
}

fn surface_spec() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..surface::CATALOGUE.len()).prop_map(|i| surface::CATALOGUE[i].id.to_string()),
        (value(), value(), value())
            .prop_map(|(a, b, c)| format!("quadratic:lambda1={a},lambda2={b},angle={c}")),
        (value(), value()).prop_map(|(a, b)| format!("rosenbrock:a={a},b={b}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn runs_never_panic_and_never_keep_a_bad_iterate(
        surface in surface_spec(),
        optimizer in optimizer_spec(),
        x in prop_oneof![8 => -1e3f64..1e3, 1 => Just(f64::NAN), 1 => Just(1e300)],
        y in -1e3f64..1e3,
        steps in 0usize..300,
    ) {
        if let Ok(t) = trace(&surface, &optimizer, [x, y], steps) {
            prop_assert!(!t.points.is_empty() && t.points.len() == t.losses.len());
            prop_assert!(t.points.len() <= steps + 1);
            for (p, l) in t.points.iter().zip(&t.losses) {
                prop_assert!(l.is_finite());
                prop_assert!(p.iter().all(|c| c.abs() <= DIVERGENCE_BOUND));
            }
            match t.status {
                Status::Running => prop_assert_eq!(t.points.len(), steps + 1),
                Status::Stationary { step } => prop_assert_eq!(t.points.len(), step + 1),
                Status::Diverged { step } => prop_assert_eq!(t.points.len(), step),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An outcome says what the iterates show: converged only if every iterate from
    /// its step on is within the tolerance of the minimum it names, and the one before
    /// is not; running only if the run took every step and ends outside it.
    #[test]
    fn outcomes_agree_with_the_iterates(
        surface in surface_spec(),
        optimizer in optimizer_spec(),
        x in -5f64..5.0,
        y in -5f64..5.0,
        steps in 0usize..300,
        tolerance in prop_oneof![1e-6f64..1.0, Just(1e-300), Just(10.0)],
    ) {
        let Ok(t) = trace(&surface, &optimizer, [x, y], steps) else { return Ok(()) };
        let s = surface::from_spec(&Spec::parse(&surface).unwrap()).unwrap();
        let o = Outcome::of(s.as_ref(), &t, tolerance);
        prop_assert_eq!(o.iterates, t.points.len());
        prop_assert_eq!(o.loss, *t.losses.last().unwrap());
        let has_minimum = s
            .critical_points()
            .iter()
            .any(|c| c.kind == surface::CriticalKind::Minimum);
        prop_assert_eq!(o.distance.is_some(), has_minimum);
        let away = |p: &[f64; 2], q: [f64; 2]| (p[0] - q[0]).hypot(p[1] - q[1]);
        match o.kind {
            OutcomeKind::Diverged => {
                prop_assert_eq!(t.status, Status::Diverged { step: o.step })
            }
            OutcomeKind::Converged => {
                let m = o.minimum.unwrap();
                prop_assert!(t.points[o.step..].iter().all(|p| away(p, m) <= tolerance));
                prop_assert!(o.step == 0 || away(&t.points[o.step - 1], m) > tolerance);
            }
            OutcomeKind::Stationary => {
                prop_assert!(o.distance.is_none_or(|d| d > tolerance));
                prop_assert!(o.step < t.points.len());
            }
            OutcomeKind::Running => {
                prop_assert_eq!(t.status, Status::Running);
                prop_assert_eq!(o.step, steps);
                prop_assert!(o.distance.is_none_or(|d| d > tolerance));
            }
        }
    }
}

/// The generators above must mostly produce runs, not errors, or the property is vacuous.
#[test]
fn the_generators_mostly_produce_valid_runs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (surface_spec(), optimizer_spec());
    let valid = (0..400)
        .filter(|_| {
            let (s, o) = strategy.new_tree(&mut runner).unwrap().current();
            trace(&s, &o, [0.5, 0.5], 10).is_ok()
        })
        .count();
    assert!(
        valid > 100,
        "only {valid} of 400 generated specs were valid"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A digits file with any bytes changed, cut or grown reads as digits whose pixels
    /// and labels are in range, or is refused with a message: never a panic.
    #[test]
    fn a_damaged_digits_file_is_read_or_refused(
        edits in prop::collection::vec((0usize..200_000, any::<u8>()), 0..6),
        length in prop_oneof![3 => Just(None), 1 => (0usize..120_000).prop_map(Some)],
    ) {
        use gradscape::nn::digits::{Digits, EMBEDDED, LARGEST};
        let mut bytes = EMBEDDED.to_vec();
        if let Some(length) = length {
            bytes.resize(length, 7);
        }
        // Half of the edits in the header and the first labels, half anywhere.
        let n = bytes.len().max(1);
        for (at, value) in edits {
            let at = if at % 2 == 0 { at % 32 } else { at % n };
            if let Some(b) = bytes.get_mut(at) {
                *b = value;
            }
        }
        match Digits::decode(&bytes) {
            Ok(digits) => {
                prop_assert!(digits.labels().iter().all(|&y| y < 10));
                prop_assert!((0..digits.len()).all(|i| digits.image(i).iter().all(|&v| v <= LARGEST)));
            }
            Err(e) => prop_assert!(e.0.starts_with("not a digits file")),
        }
    }
}
