//! Input normalization against scikit-learn and scipy (`tests/golden/normalize.json`,
//! written by the script its `generator` field names), and the properties the lab
//! relies on: the transform is monotone in each feature, and fitted maps survive a
//! model's JSON.

use gradscape::nn::normalize::{normal_quantile, Normalizer};
use nalgebra::DMatrix;
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    normal_quantile: Vec<[f64; 2]>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    train: Vec<Vec<f64>>,
    points: Vec<Vec<f64>>,
    standard: Standard,
    #[serde(rename = "quantile-uniform")]
    quantile_uniform: Quantile,
    #[serde(rename = "quantile-normal")]
    quantile_normal: Quantile,
}

#[derive(Deserialize)]
struct Standard {
    mean: Vec<f64>,
    std: Vec<f64>,
    output: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Quantile {
    quantiles: Vec<Vec<f64>>,
    output: Vec<Vec<f64>>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("golden/normalize.json")).unwrap()
}

/// Rows of points as the network's inputs: one column per point.
fn columns(rows: &[Vec<f64>]) -> DMatrix<f64> {
    DMatrix::from_fn(rows[0].len(), rows.len(), |j, i| rows[i][j])
}

/// Agreement to 1e-12, relative for values beyond 1 in size and absolute below: the
/// same arithmetic up to the order of a sum.
fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-12 * want.abs().max(1.0)
}

fn assert_all_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(close(*g, *w), "{what} [{k}]: {g} against {w}");
    }
}

fn assert_outputs(normalizer: &Normalizer, case: &Case, want: &[Vec<f64>], what: &str) {
    let got = normalizer.transform(&columns(&case.points));
    for (i, row) in want.iter().enumerate() {
        let got: Vec<f64> = got.column(i).iter().copied().collect();
        assert_all_close(&got, row, &format!("{}, {what}, point {i}", case.name));
    }
}

#[test]
fn the_normal_quantile_function_matches_scipy_in_every_branch() {
    for [p, x] in reference().normal_quantile {
        assert!(
            close(normal_quantile(p), x),
            "Φ⁻¹({p}) = {} against {x}",
            normal_quantile(p)
        );
    }
}

#[test]
fn standardization_matches_scikit_learn_s_standard_scaler() {
    for case in reference().cases {
        let fitted = Normalizer::fit("standard", &columns(&case.train))
            .unwrap()
            .unwrap();
        let Normalizer::Standard { mean, std } = &fitted else {
            panic!("{fitted:?}")
        };
        assert_all_close(mean, &case.standard.mean, &format!("{} mean", case.name));
        assert_all_close(std, &case.standard.std, &format!("{} std", case.name));
        assert_outputs(&fitted, &case, &case.standard.output, "standard");
    }
}

#[test]
fn quantile_normalization_matches_scikit_learn_s_quantile_transformer() {
    for case in reference().cases {
        for (kind, want) in [
            ("quantile-uniform", &case.quantile_uniform),
            ("quantile-normal", &case.quantile_normal),
        ] {
            let fitted = Normalizer::fit(kind, &columns(&case.train))
                .unwrap()
                .unwrap();
            let Normalizer::Quantile { quantiles, .. } = &fitted else {
                panic!("{fitted:?}")
            };
            for (j, (got, want)) in quantiles.iter().zip(&want.quantiles).enumerate() {
                assert_all_close(
                    got,
                    want,
                    &format!("{}, {kind}, quantiles of {j}", case.name),
                );
            }
            assert_outputs(&fitted, &case, &want.output, kind);
        }
    }
}

#[test]
fn a_fitted_normalization_survives_the_model_s_json_exactly() {
    for case in reference().cases {
        for kind in ["standard", "quantile-uniform", "quantile-normal"] {
            let x = columns(&case.train);
            let fitted = Normalizer::fit(kind, &x).unwrap().unwrap();
            let text = serde_json::to_string(&fitted.to_json()).unwrap();
            let back = Normalizer::from_json(&serde_json::from_str(&text).unwrap(), x.nrows());
            assert_eq!(back.unwrap(), fitted, "{} {kind}", case.name);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Monotone: a larger input never gets a smaller normalized value, in any feature
    /// and by any normalization, inside and outside the training data's range.
    #[test]
    fn the_transform_is_non_decreasing_in_each_feature(
        train in proptest::collection::vec(
            prop_oneof![-3.0..3.0_f64, (-3..3_i32).prop_map(f64::from), -1e4..1e4_f64],
            1..60,
        ),
        probes in proptest::collection::vec(-2e4..2e4_f64, 2..40),
    ) {
        let x = DMatrix::from_row_slice(1, train.len(), &train);
        let mut sorted = probes;
        sorted.extend(&train);
        sorted.sort_by(f64::total_cmp);
        for kind in ["standard", "quantile-uniform", "quantile-normal"] {
            let fitted = Normalizer::fit(kind, &x).unwrap().unwrap();
            let out = fitted.transform(&DMatrix::from_row_slice(1, sorted.len(), &sorted));
            prop_assert!(out.iter().all(|v| v.is_finite()), "{kind}: {out}");
            for k in 1..sorted.len() {
                prop_assert!(
                    out[k] >= out[k - 1],
                    "{kind}: {} ↦ {} but {} ↦ {}",
                    sorted[k - 1], out[k - 1], sorted[k], out[k]
                );
            }
        }
    }
}
