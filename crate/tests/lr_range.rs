//! The learning-rate range test in the network lab: on the lab's data as it is, from
//! the setup's initial weights whatever the lab has trained, and kept when the lab is
//! opened anew with what the test does not depend on.

use gradscape::lab::network::NetworkLab;
use gradscape::nn::lr_range::RangeSettings;
use gradscape::nn::setup::Setup;
use gradscape::tune::with_learning_rate;

fn setup(json: &str) -> Setup {
    serde_json::from_str(json).unwrap()
}

const BASE: &str = r#"{"dataset": "blobs:n=40", "hidden": [4], "optimizer": "momentum:lr=0.05"}"#;

#[test]
fn the_lab_tests_its_data_as_they_are_from_its_initial_weights() {
    let settings = RangeSettings::new(0.01, 1.0, 3, 25).unwrap();
    let mut lab = NetworkLab::open(&setup(BASE));
    lab.train(30);
    lab.add_point(0.25, -0.5, 1).unwrap();
    lab.remove_point(2).unwrap();
    lab.start_lr_range(settings).unwrap();
    assert!(!lab.lr_range_step(2).unwrap());
    assert!(lab.lr_range_step(2).unwrap());
    let curve = lab.lr_range().unwrap().curve();
    // Each point: a new lab at that η, the same point added and removed before any
    // update, trained as many updates — the same loss, bit for bit.
    for (rate, loss) in curve {
        let mut at_rate = setup(BASE);
        at_rate.optimizer = with_learning_rate(&at_rate.optimizer, rate);
        let mut fresh = NetworkLab::open(&at_rate);
        fresh.add_point(0.25, -0.5, 1).unwrap();
        fresh.remove_point(2).unwrap();
        fresh.train(25);
        let t = fresh.trainer();
        let train = &t.data.train;
        let expected = t.network.loss(&t.theta, &train.x, &train.targets).total();
        assert_eq!(loss, expected, "η = {rate}");
    }
}

#[test]
fn a_lab_opened_anew_keeps_the_test_unless_what_it_tested_changed() {
    let mut lab = NetworkLab::open(&setup(BASE));
    lab.start_lr_range(RangeSettings::new(0.01, 1.0, 3, 5).unwrap())
        .unwrap();
    lab.lr_range_step(2).unwrap();
    // The base setup with the fields of `more` in place of its own.
    let with = |more: &str| {
        let mut json: serde_json::Value = serde_json::from_str(BASE).unwrap();
        let more: serde_json::Value = serde_json::from_str(&format!("{{{more}}}")).unwrap();
        for (key, value) in more.as_object().unwrap() {
            json[key] = value.clone();
        }
        NetworkLab::open(&serde_json::from_value(json).unwrap())
    };
    for kept in [
        r#""optimizer": "momentum:lr=3""#,
        r#""schedule": "step:every=2""#,
        r#""early_stopping": 4, "restore_best": false"#,
    ] {
        let mut next = with(kept);
        assert!(next.keep_lr_range(&lab), "{kept}");
        assert_eq!(next.lr_range(), lab.lr_range(), "{kept}");
        // It goes on where it was.
        assert!(next.lr_range_step(1).unwrap());
    }
    for changed in [
        r#""optimizer": "momentum:lr=0.05,momentum=0.5""#,
        r#""optimizer": "adam""#,
        r#""batch": 5"#,
        r#""seed": 1"#,
        r#""l2": 0.01"#,
        r#""init": "he""#,
        r#""validation": 0.5"#,
        r#""normalize": "standard""#,
    ] {
        let mut next = with(changed);
        assert!(!next.keep_lr_range(&lab), "{changed}");
        assert!(next.lr_range().is_none(), "{changed}");
    }
    let mut clicked = NetworkLab::open(&setup(BASE));
    clicked.add_point(0.0, 0.0, 0).unwrap();
    assert!(!clicked.keep_lr_range(&lab));
}
