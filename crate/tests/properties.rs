//! No input makes the core panic: random surfaces, optimizers, hyperparameters
//! (including extreme ones) and starts give a trajectory or a clear error.

use gradscape::run::{trace, Status, DIVERGENCE_BOUND};
use gradscape::{optim, surface};
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
                Status::Converged { step } => prop_assert_eq!(t.points.len(), step + 1),
                Status::Diverged { step } => prop_assert_eq!(t.points.len(), step),
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
