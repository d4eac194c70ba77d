//! Optimizer specs: every hyperparameter is named, defaulted and range-checked.

use gradscape::optim::{from_spec, CATALOGUE};
use gradscape::Spec;

fn error(spec: &str) -> String {
    from_spec(&Spec::parse(spec).unwrap()).err().unwrap().0
}

#[test]
fn every_method_builds_from_its_defaults_and_lists_its_parameters() {
    for entry in CATALOGUE {
        assert!(
            from_spec(&Spec::parse(entry.id).unwrap()).is_ok(),
            "{}",
            entry.id
        );
        let keys: Vec<_> = entry.all_parameters().iter().map(|p| p.key).collect();
        assert!(keys.ends_with(&["noise", "seed"]), "{}", entry.id);
        if entry.id != "adadelta" && entry.id != "newton" {
            assert_eq!(keys[0], "lr");
        }
    }
    let ids: Vec<_> = CATALOGUE.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw",
            "nadam", "lion", "newton"
        ]
    );
}

#[test]
fn defaults_follow_torch_and_the_papers() {
    let defaults = |id: &str| -> Vec<(String, String)> {
        let entry = CATALOGUE.iter().find(|e| e.id == id).unwrap();
        entry
            .all_parameters()
            .into_iter()
            .map(|p| (p.key.to_string(), p.default))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        defaults("adam"),
        pairs(&[
            ("lr", "0.001"),
            ("beta1", "0.9"),
            ("beta2", "0.999"),
            ("eps", "1e-8"),
            ("amsgrad", "false"),
            ("bias_correction", "true"),
            ("noise", "0.0"),
            ("seed", "0")
        ])
    );
    assert_eq!(defaults("adagrad")[1], ("eps".into(), "1e-10".into()));
    assert_eq!(defaults("adadelta")[0], ("lr".into(), "1.0".into()));
    assert_eq!(
        defaults("nadam")[4],
        ("momentum_decay".into(), "0.004".into())
    );
    assert_eq!(defaults("adamw")[6], ("weight_decay".into(), "0.01".into()));
    assert_eq!(defaults("lion")[0], ("lr".into(), "0.0001".into()));
}

#[test]
fn bad_specs_name_the_value_and_the_valid_range() {
    assert!(error("bogus").contains("unknown optimizer `bogus`; expected one of: sgd,"));
    assert!(error("adam:gamma=1").contains("adam: unknown parameter `gamma`"));
    assert_eq!(
        error("sgd:lr=0"),
        "sgd: lr = 0.0 is out of range; it must be in (0, ∞)"
    );
    assert_eq!(
        error("sgd:lr=-1"),
        "sgd: lr = -1.0 is out of range; it must be in (0, ∞)"
    );
    assert_eq!(
        error("momentum:momentum=1"),
        "momentum: momentum = 1.0 is out of range; it must be in [0, 1)"
    );
    assert!(error("adam:eps=0").contains("eps = 0.0 is out of range"));
    assert!(error("adam:lr=NaN").contains("lr = NaN is out of range"));
    assert!(error("adam:amsgrad=maybe").contains("`maybe` is not a true or false"));
    assert!(error("rmsprop:noise=-1").contains("rmsprop: noise = -1.0 is out of range"));
    assert!(error("sgd:seed=1.5").contains("seed = `1.5` is not a whole number"));
}
