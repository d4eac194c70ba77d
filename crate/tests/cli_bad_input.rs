//! The CLI given bad input of every kind: each exits with status 2 and one line that
//! names the problem, and never echoes a control character into the terminal.

use std::io::BufRead;
use std::process::{Command, Output, Stdio};

mod support;

use support::{backprop, gradscape, temp};

/// Exit status 2, nothing on stdout, and one line on stderr containing `named`.
fn refused(args: &[&str], named: &str) {
    refused_output(&gradscape(args), &format!("{args:?}"), named);
}

fn refused_output(output: &Output, what: &str, named: &str) {
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
    assert!(
        stderr.contains(named),
        "{what} should name {named:?}: {stderr}"
    );
    let control = stderr.chars().any(|c| c.is_control() && c != '\n');
    assert!(!control, "{stderr:?}");
    assert!(output.stdout.is_empty(), "{what}");
}

fn refused_backprop(model: &str, data: &str, named: &str) {
    let output = backprop(model.as_bytes(), data.as_bytes());
    refused_output(&output, &format!("backprop {model:.60} {data:.60}"), named);
}

/// `trace` of gradient descent on Booth's surface, with `more` arguments.
fn trace(more: &[&'static str]) -> Vec<&'static str> {
    [
        &["trace", "--surface", "booth", "--optimizer", "sgd"][..],
        more,
    ]
    .concat()
}

const ONE_INPUT: &str = r#"{"X": [[1]], "y": [1]}"#;

#[test]
fn negative_numbers_name_their_option() {
    refused(&trace(&["--steps", "-1"]), "--steps");
    refused(&["train", "--l2", "-1"], "l2");
    refused(&["train", "--batch", "-3"], "--batch");
    refused(
        &[
            "render",
            "--surface",
            "booth",
            "--out",
            "x.svg",
            "--width",
            "-5",
        ],
        "--width",
    );
}

#[test]
fn tune_refuses_an_empty_range_a_bad_grid_and_no_optimizer() {
    let tune = |more: &[&'static str]| {
        [
            &["tune", "--surface", "booth", "--optimizer", "sgd"][..],
            more,
        ]
        .concat()
    };
    for (from, to) in [
        ("1", "1"),
        ("1", "0.1"),
        ("0", "1"),
        ("NaN", "1"),
        ("1e-3", "inf"),
    ] {
        refused(&tune(&["--from", from, "--to", to]), "0 < from < to");
    }
    for points in ["0", "1", "1000000"] {
        refused(&tune(&["--points", points]), "2 to 200");
    }
    refused(&tune(&["--points", "-1"]), "--points");
    refused(&tune(&["--steps", "0"]), "--steps");
    refused(&tune(&["--optimizer", "bogus"]), "bogus");
    refused(&tune(&["--optimizer", "adam:beta1=2"]), "beta1");
    refused(&["tune", "--surface", "booth"], "required arguments");
}

#[test]
fn lr_range_refuses_a_bad_range_and_a_setup_train_would_refuse() {
    for (from, to) in [
        ("1", "1"),
        ("1", "0.1"),
        ("0", "1"),
        ("NaN", "1"),
        ("1e-3", "inf"),
    ] {
        refused(&["lr-range", "--from", from, "--to", to], "0 < from < to");
    }
    refused(&["lr-range", "--to", "1000"], "at most 100");
    for points in ["0", "1", "201"] {
        refused(&["lr-range", "--points", points], "2 to 200");
    }
    refused(&["lr-range", "--points", "-1"], "--points");
    refused(&["lr-range", "--updates", "-1"], "--updates");
    for updates in ["0", "10001"] {
        refused(&["lr-range", "--updates", updates], "1 to 10000 updates");
    }
    refused(&["lr-range", "--optimizer", "newton"], "newton");
    refused(&["lr-range", "--optimizer", "sgd:lr=0.1,noise=1"], "noise");
    refused(&["lr-range", "--batch", "100000"], "batch");
    refused(&["lr-range", "--dataset", "moons:n=3"], "n = 3");
    refused(&["lr-range", "--epochs", "3"], "--epochs");
}

#[test]
fn values_out_of_range_are_refused_with_the_range() {
    for value in ["1", "5", "inf", "NaN"] {
        refused(&["train", "--validation", value], "validation");
    }
    refused(&["train", "--epochs", "1000000000000"], "--epochs");
    refused(&["train", "--epochs", "0"], "--epochs");
    refused(&["train", "--batch", "100000"], "batch");
    refused(&["train", "--hidden", "65"], "hidden");
    refused(&["train", "--dataset", "moons:n=3"], "n = 3");
    refused(
        &["train", "--dataset", "digits:seed=1"],
        "digits takes no parameters",
    );
    refused(&["train", "--output", "identity"], "output");
    refused(&["train", "--seed", "99999999999"], "seed");
    refused(
        &["train", "--normalize", "minmax"],
        "normalize: unknown normalization",
    );
    refused(&["train", "--distort", "100,50,1"], "do not make pairs");
    refused(&["train", "--distort", "100,x,1,0"], "`x` is not a number");
    refused(&["train", "--distort", "100,50"], "distort: 1 pairs");
    refused(&["train", "--distort", "0,0,1,0"], "distort: feature 1");
    refused(&["train", "--distort", "1,0,1,NaN"], "distort: feature 2");
    refused(&trace(&["--steps", "2000000"]), "steps");
    for value in ["0", "-1", "11", "NaN", "inf"] {
        refused(&trace(&["--tolerance", value]), "tolerance");
    }
    refused(
        &[
            "render",
            "--surface",
            "booth",
            "--out",
            "x.svg",
            "--tolerance",
            "0",
        ],
        "tolerance",
    );
}

#[test]
fn render_refuses_a_format_size_or_scale_it_cannot_draw() {
    let out = |file: &str| {
        std::env::temp_dir().join(format!("gradscape-bad-{}-{file}", std::process::id()))
    };
    let render = |file: &str, more: &[&str]| {
        let path = out(file);
        let args = [
            &[
                "render",
                "--surface",
                "booth",
                "--out",
                path.to_str().unwrap(),
            ][..],
            more,
        ]
        .concat();
        let output = gradscape(&args);
        assert!(!path.exists(), "{args:?} wrote {}", path.display());
        (output, format!("{args:?}"))
    };
    let refused_render = |file: &str, more: &[&str], named: &str| {
        let (output, what) = render(file, more);
        refused_output(&output, &what, named);
    };
    refused_render(
        "f.png",
        &["--format", "svg"],
        "--format svg contradicts --out",
    );
    refused_render(
        "f.svg",
        &["--format", "png"],
        "--format png contradicts --out",
    );
    for file in ["f.txt", "f", "f.svg.gz"] {
        refused_render(file, &[], "name a .svg or .png file, or give --format");
    }
    refused_render("f.png", &["--format", "jpeg"], "--format");
    for size in ["10x600", "800x9000", "0x0"] {
        refused_render("f.png", &["--size", size], "16 to 8192 pixels");
    }
    for size in ["800", "800x", "x600", "-5x3", "1e3x600"] {
        refused_render("f.png", &["--size", size], "not a size WxH");
    }
    refused_render(
        "f.png",
        &["--size", "800x600", "--width", "400"],
        "cannot be used with",
    );
    refused_render("f.png", &["--width", "4"], "16 to 8192 pixels");
    for scale in ["0", "0.4", "9", "NaN", "inf"] {
        refused_render("f.png", &["--scale", scale], "0.5 to 8");
    }
    refused_render("f.png", &["--scale", "-1"], "0.5 to 8");
    refused_render("f.svg", &["--scale", "2"], "--scale is for PNG");
    refused_render(
        "f.png",
        &["--size", "8192x6000", "--scale", "2"],
        "at most 67108864 pixels",
    );
}

#[test]
fn a_bad_formula_or_view_is_refused_where_it_goes_wrong() {
    let formula = |text: &'static str| ["trace", "--surface", text, "--optimizer", "sgd"];
    refused(
        &formula("formula:(1+x"),
        "at 5: expected ')' to close the '(' at 1",
    );
    refused(&formula("formula:2x"), "at 2: expected an operator");
    refused(&formula("formula:sni(x)"), "at 1: unknown name 'sni'");
    refused(&formula("formula:"), "at 1: expected a formula");
    let deep = format!("formula:{}x{}", "(".repeat(1000), ")".repeat(1000));
    refused(
        &["trace", "--surface", &deep, "--optimizer", "sgd"],
        "nests more than 200 levels",
    );
    for view in ["1,0,0,1", "0,1,0", "0,1,0,nan", "0,1e300,0,1"] {
        refused(&trace(&["--view", view]), "--view");
    }
    refused(
        &[
            "rates",
            "--surface",
            "formula:x^2+y^2",
            "--optimizer",
            "momentum",
            "--view",
            "0,0,0,0",
        ],
        "--view",
    );
}

#[test]
fn a_camera_that_is_not_two_finite_angles_is_refused() {
    let render = |camera: &'static str| {
        [
            "render",
            "--surface",
            "booth",
            "--out",
            "x.svg",
            "--camera",
            camera,
        ]
    };
    refused(&render("nan,30"), "finite numbers of degrees");
    refused(&render("30,inf"), "finite numbers of degrees");
    refused(&render("30"), "YAW,PITCH");
}

#[test]
fn settings_a_network_cannot_use_are_refused_not_ignored() {
    refused(
        &["train", "--optimizer", "sgd:lr=0.1,noise=1000,seed=7"],
        "noise",
    );
    refused(&["train", "--optimizer", "newton"], "newton");
}

#[test]
fn an_unknown_output_or_a_mixture_of_too_few_or_many_components_is_refused() {
    let train = |output: &'static str| ["train", "--dataset", "two-branches", "--output", output];
    refused(
        &train("mdn:k=0"),
        "k = 0 is out of range; it must be in [1, 8]",
    );
    refused(&train("mdn:k=100"), "k = 100 is out of range");
    refused(&train("mdn:components=2"), "unknown parameter `components`");
    refused(&train("gaussian:k=2"), "gaussian takes no parameters");
    refused(&train("poisson"), "unknown output `poisson`");
    refused(
        &["train", "--dataset", "moons", "--output", "gaussian"],
        "needs numeric targets",
    );
    // A model file: an mdn names its k, of 1 to 8, with 3k units; only an mdn has one.
    let model = |activation: &str, units: usize, k: &str| {
        format!(
            r#"{{"layers": [{{"W": [{}], "b": [{}], "activation": "{activation}"{k}}}]}}"#,
            vec!["[1]"; units].join(","),
            vec!["0"; units].join(",")
        )
    };
    refused_backprop(&model("mdn", 6, ""), ONE_INPUT, "\"k\": K");
    refused_backprop(
        &model("mdn", 6, r#", "k": 0"#),
        ONE_INPUT,
        "k = 0 is out of range",
    );
    refused_backprop(
        &model("mdn", 300, r#", "k": 100"#),
        ONE_INPUT,
        "k = 100 is out of range",
    );
    refused_backprop(&model("mdn", 6, r#", "k": 3"#), ONE_INPUT, "3k = 9 units");
    refused_backprop(
        &model("tanh", 6, r#", "k": 2"#),
        ONE_INPUT,
        "only an mdn output takes k",
    );
    refused_backprop(&model("gaussian", 3, ""), ONE_INPUT, "2 units per target");
    refused_backprop(
        &model("poisson", 2, ""),
        ONE_INPUT,
        "unknown activation `poisson`",
    );
    // An mdn's target is one number.
    refused_backprop(
        &model("mdn", 6, r#", "k": 2"#),
        r#"{"X": [[1]], "y": [[1, 2]]}"#,
        "is not 1 finite number",
    );
}

#[test]
fn control_characters_are_escaped() {
    refused(
        &[
            "trace",
            "--surface",
            "moo\u{1b}[31mns",
            "--optimizer",
            "sgd",
        ],
        "\\u{1b}",
    );
    refused(&["train", "--dataset", "x\u{7}"], "\\u{7}");
    refused(&trace(&["--format", "\u{1b}[2J"]), "--format");
}

#[test]
fn an_unwritable_save_path_fails_before_training() {
    let output = gradscape(&[
        "train",
        "--epochs",
        "100000",
        "--save",
        "/nonexistent/dir/m.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no epoch ran");
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/dir/m.json"));
}

#[test]
fn losses_that_overflow_are_named_where_they_do() {
    // (w, λ, x, y): one identity unit f(x) = w x, its loss (f − y)² + λw².
    for (w, l2, x, y, named) in [
        ("1", "0", "1", "1e308", "data loss"),
        ("1e300", "0", "1e300", "1", "layer 0's pre-activations"),
        ("2", "1e308", "1", "1", "L2 term"),
        ("1", "1e308", "1", "1", "gradient of layer 0"),
        ("1", "0", "1e200", "1", "data loss"),
    ] {
        let model = format!(
            r#"{{"layers": [{{"W": [[{w}]], "b": [0], "activation": "identity"}}], "l2": {l2}}}"#
        );
        refused_backprop(&model, &format!(r#"{{"X": [[{x}]], "y": [{y}]}}"#), named);
    }
}

#[test]
fn a_model_s_normalization_that_does_not_fit_is_refused() {
    let model = |normalize: &str| {
        format!(
            r#"{{"layers": [{{"W": [[1, 2]], "b": [0], "activation": "identity"}}], "normalize": {normalize}}}"#
        )
    };
    let data = r#"{"X": [[1, 2]], "y": [1]}"#;
    for (normalize, named) in [
        (
            r#"{"kind": "standard", "mean": [0], "std": [1]}"#,
            "normalize: mean has 1 entries but layer 0 takes 2 inputs",
        ),
        (
            r#"{"kind": "standard", "mean": [0, 0], "std": [1, 0]}"#,
            "std must be finite and > 0",
        ),
        (
            r#"{"kind": "quantile-normal", "quantiles": [[0, 1], [2, 1]]}"#,
            "feature 1's quantiles decrease",
        ),
        (
            r#"{"kind": "quantile-uniform", "quantiles": [[0, 1]]}"#,
            "quantiles has 1 entries",
        ),
        (
            r#"{"kind": "quantile-uniform", "mean": [0, 0], "std": [1, 1]}"#,
            "takes `quantiles`",
        ),
        (r#"{"kind": "robust"}"#, "unknown normalization `robust`"),
        (
            r#"{"kind": "standard", "mean": [0, 0], "std": [1, 1], "scale": 2}"#,
            "unknown field `scale`",
        ),
    ] {
        refused_backprop(&model(normalize), data, named);
    }
}

#[test]
fn models_and_data_beyond_the_limits_are_refused_before_they_are_used() {
    let rows = vec!["[1]"; 5000].join(",");
    let wide = format!(
        r#"{{"layers": [{{"W": [{rows}], "b": [{}], "activation": "identity"}}]}}"#,
        vec!["0"; 5000].join(",")
    );
    refused_backprop(&wide, ONE_INPUT, "at most 4096 units");
    // 1001 rows of 1000 weights: a million and one parameters.
    let row = format!("[{}]", vec!["0"; 1000].join(","));
    let heavy = format!(
        r#"{{"layers": [{{"W": [{}], "b": [{}], "activation": "identity"}}]}}"#,
        vec![row; 1001].join(","),
        vec!["0"; 1001].join(","),
    );
    refused_backprop(&heavy, ONE_INPUT, "1002001 parameters");
    let samples = format!(
        r#"{{"X": [{}], "y": [{}]}}"#,
        vec!["[1]"; 100_001].join(","),
        vec!["1"; 100_001].join(",")
    );
    refused_backprop(
        r#"{"layers": [{"W": [[1]], "b": [0], "activation": "identity"}]}"#,
        &samples,
        "at most 100000 rows",
    );
}

#[test]
fn inputs_that_are_not_files_of_json_are_refused() {
    let data = temp("data.json", ONE_INPUT.as_bytes());
    let data = data.to_str().unwrap();
    refused(
        &["backprop", "--model", "/dev/urandom", "--data", data],
        "not a regular file",
    );
    refused(
        &["backprop", "--model", "/tmp", "--data", data],
        "not a regular file",
    );
    let huge = std::env::temp_dir().join(format!("gradscape-bad-{}-huge.json", std::process::id()));
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    refused(
        &[
            "backprop",
            "--model",
            huge.to_str().unwrap(),
            "--data",
            data,
        ],
        "larger than 64 MiB",
    );
    std::fs::remove_file(huge).unwrap();
    refused_backprop("{\"layers\": ", ONE_INPUT, "EOF");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let model =
        b"\xef\xbb\xbf{\"layers\": [{\"W\": [[2]], \"b\": [0], \"activation\": \"identity\"}]}";
    let output = backprop(model, ONE_INPUT.as_bytes());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // (2·1 − 1)² = 1, and its gradient 2(2 − 1)·1 = 2.
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        r#"{"grads":[{"W":[[2]],"b":[2],"names":{"b":"b","h":"f(x)","input":"x","w":"W","z":"z"}}],"loss":1}"#
    );
}

/// Every command that writes to stdout, with output for each.
fn writers(model: &str, data: &str) -> Vec<Vec<String>> {
    [
        &["list"][..],
        &["trace", "--surface", "booth", "--optimizer", "sgd"],
        &["train", "--epochs", "3"],
        &["tune", "--surface", "booth", "--optimizer", "sgd"],
        &["lr-range", "--points", "3", "--updates", "5"],
        &[
            "rates",
            "--surface",
            "quadratic",
            "--optimizer",
            "momentum",
            "--grid",
            "4",
        ],
        &["backprop", "--model", model, "--data", data],
        &[
            "slice", "--model", model, "--data", data, "--dir1", "W0[0,0]", "--dir2", "b0[0]",
            "--span", "1", "--grid", "3",
        ],
        &[
            "interpolate",
            "--from",
            model,
            "--to",
            model,
            "--data",
            data,
            "--steps",
            "3",
        ],
        &["--help"],
        &["--version"],
        &["render", "--help"],
    ]
    .iter()
    .map(|args| args.iter().map(|a| a.to_string()).collect())
    .collect()
}

/// A run of the CLI whose stdout is `stdout`: its exit status and stderr.
fn closed(args: &[String], stdout: Stdio, read_first_line: bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if read_first_line {
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'), "{args:?}: {line:?}");
        // Dropping the reader closes the pipe, as `head -1` does.
    }
    let output = child.wait_with_output().unwrap();
    // Status 0, as `head` users expect (ripgrep and most Rust tools do the same), and
    // nothing said: no panic, no "Broken pipe".
    assert!(output.status.success(), "{args:?}: {:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_pipe_closed_before_any_output_ends_every_command_quietly() {
    let model = temp(
        "model.json",
        br#"{"layers": [{"W": [[2]], "b": [0], "activation": "identity"}]}"#,
    );
    let data = temp("data.json", ONE_INPUT.as_bytes());
    for args in writers(model.to_str().unwrap(), data.to_str().unwrap()) {
        // A pipe whose reader is gone before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        closed(&args, Stdio::from(writer), false);
    }
    for file in [model, data] {
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn a_reader_that_stops_after_one_line_ends_a_long_output_quietly() {
    let optimizers = [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam",
        "lion",
    ];
    let tune = [
        &[
            "tune",
            "--surface",
            "booth",
            "--curve",
            "--points",
            "200",
            "--steps",
            "10",
        ][..],
        // Each twice: 4000 rows.
        &optimizers
            .iter()
            .cycle()
            .take(20)
            .flat_map(|o| ["--optimizer", o])
            .collect::<Vec<_>>(),
    ]
    .concat();
    for args in [
        &[
            "trace",
            "--surface",
            "booth",
            "--optimizer",
            "sgd:lr=1e-6",
            "--steps",
            "20000",
        ][..],
        &[
            "train",
            "--dataset",
            "xor:n=40",
            "--hidden",
            "2",
            "--batch",
            "40",
            "--epochs",
            "3000",
        ],
        &tune,
        &[
            "rates",
            "--surface",
            "quadratic",
            "--optimizer",
            "momentum",
            "--grid",
            "128",
        ],
    ] {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        // Longer than a pipe holds (64 KiB): the command is still writing when the
        // reader leaves.
        let whole = Command::new(env!("CARGO_BIN_EXE_gradscape"))
            .args(&args)
            .output()
            .unwrap();
        assert!(whole.status.success(), "{args:?}");
        assert!(
            whole.stdout.len() > 128 << 10,
            "{args:?}: {} bytes",
            whole.stdout.len()
        );
        closed(&args, Stdio::piped(), true);
    }
}

/// `slice` and `interpolate` with a model of XOR's shape (2-2-1, tanh then sigmoid),
/// refusing every input that has no landscape: each names what is wrong.
#[test]
fn slices_and_lines_that_cannot_be_drawn_are_refused() {
    let xor = r#"{"layers": [{"W": [[4, 4], [4, 4]], "b": [-2, -6], "activation": "tanh"},
        {"W": [[4, -4]], "b": [-4], "activation": "sigmoid"}], "l2": 0.001}"#;
    let zero = r#"{"layers": [{"W": [[0, 0], [0, 0]], "b": [0, 0], "activation": "tanh"},
        {"W": [[0, 0]], "b": [0], "activation": "sigmoid"}]}"#;
    let wider = r#"{"layers": [{"W": [[1, 1], [1, 1], [1, 1]], "b": [0, 0, 0], "activation": "tanh"},
        {"W": [[1, 1, 1]], "b": [0], "activation": "sigmoid"}], "l2": 0.001}"#;
    let data = r#"{"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": [0, 1, 1, 0]}"#;
    let three_inputs = r#"{"X": [[0, 0, 1]], "y": [0]}"#;
    let files =
        [xor, zero, wider, data, three_inputs].map(|text| temp("file.json", text.as_bytes()));
    let [xor, zero, wider, data, three] = files.each_ref().map(|f| f.to_str().unwrap());
    let slice = |model, data, d1, d2, span, grid| {
        [
            "slice", "--model", model, "--data", data, "--dir1", d1, "--dir2", d2, "--span", span,
            "--grid", grid,
        ]
    };
    let fine = |d1, d2| slice(xor, data, d1, d2, "1", "3");
    refused(&fine("W0[2,0]", "b1[0]"), "layer 0's W is [2, 2]");
    refused(&fine("W0[0,0]", "W2[0,0]"), "the network has 2 layers");
    refused(&fine("W0[0,0]", "b1[1]"), "layer 1's b has 1 entries");
    refused(&fine("W0[0]", "b1[0]"), "--dir1: unknown direction");
    refused(&fine("W0[0,0]", "pca:1"), "--dir2 pca:1");
    refused(&fine("W0[0,0]", "W0[0,0]"), "parallel");
    let random = slice(zero, data, "random:seed=1", "random:seed=2", "1", "3");
    refused(&random, "d1 is zero");
    for span in ["0", "-1", "1,0", "1,-2", "inf", "1,NaN"] {
        let args = slice(xor, data, "W0[0,0]", "b1[0]", span, "3");
        refused(&args, "must be a finite number > 0");
    }
    refused(
        &slice(xor, data, "W0[0,0]", "b1[0]", "1,2,3", "3"),
        "--span",
    );
    for grid in ["0", "1", "258"] {
        refused(&slice(xor, data, "W0[0,0]", "b1[0]", "1", grid), "2 to 257");
    }
    refused(&slice(xor, data, "W0[0,0]", "b1[0]", "1", "-1"), "--grid");
    refused(
        &slice(xor, three, "W0[0,0]", "b1[0]", "1", "3"),
        "layer 0 takes 2 inputs",
    );
    let line = |from, to, data, steps| {
        [
            "interpolate",
            "--from",
            from,
            "--to",
            to,
            "--data",
            data,
            "--steps",
            steps,
        ]
    };
    for steps in ["0", "1", "1002"] {
        refused(&line(xor, xor, data, steps), "2 to 1001");
    }
    refused(&line(zero, xor, data, "-3"), "--steps");
    refused(&line(xor, wider, data, "5"), "different layers");
    refused(&line(zero, xor, data, "5"), "l2 = 0");
    refused(&line(xor, xor, three, "5"), "layer 0 takes 2 inputs");
    for file in files {
        std::fs::remove_file(file).unwrap();
    }
}
