//! `gradscape animate`: a race recorded as an animated GIF, read back with the `gif`
//! crate's decoder as a player reads it.

use gif::{ColorOutput, DecodeOptions, Repeat};
use gradscape::layout::{Layout, Margins};
use gradscape::render::{style_of, Backdrop};
use gradscape::Spec;
use std::process::Output;

mod support;

use support::{gradscape, temp};

/// A decoded GIF: size, repeat, each frame's delay, and the picture shown after each
/// frame (RGBA), frames drawn over what is shown wherever they are not transparent.
struct Decoded {
    size: (usize, usize),
    repeat: Repeat,
    delays: Vec<u16>,
    shown: Vec<Vec<u8>>,
}

fn decode(bytes: &[u8]) -> Decoded {
    let mut options = DecodeOptions::new();
    options.set_color_output(ColorOutput::RGBA);
    let mut decoder = options.read_info(bytes).unwrap();
    let (w, h) = (usize::from(decoder.width()), usize::from(decoder.height()));
    let repeat = decoder.repeat();
    let mut canvas = vec![0u8; w * h * 4];
    let (mut delays, mut shown) = (Vec::new(), Vec::new());
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        delays.push(frame.delay);
        let (left, top, fw) = (
            usize::from(frame.left),
            usize::from(frame.top),
            usize::from(frame.width),
        );
        for (i, pixel) in frame.buffer.chunks_exact(4).enumerate() {
            if pixel[3] > 0 {
                let at = 4 * ((top + i / fw) * w + left + i % fw);
                canvas[at..at + 4].copy_from_slice(pixel);
            }
        }
        shown.push(canvas.clone());
    }
    Decoded {
        size: (w, h),
        repeat,
        delays,
        shown,
    }
}

/// `animate` with `args` into a file of its own; the output and the file's bytes.
fn animate(args: &[&str]) -> (Output, Vec<u8>) {
    let path = temp("race.gif", b"");
    let out = path.to_str().unwrap();
    let output = gradscape(&[&["animate", "--out", out][..], args].concat());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    (output, bytes)
}

fn pixel(rgba: &[u8], width: usize, (x, y): (usize, usize)) -> [u8; 3] {
    let i = 4 * (y * width + x);
    [rgba[i], rgba[i + 1], rgba[i + 2]]
}

fn distance(a: [u8; 3], b: [u8; 3]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[test]
fn a_race_of_200_steps_at_960x540_loops_within_5_mb() {
    let steps = 200;
    let (output, bytes) = animate(&[
        "--surface",
        "banana",
        "--optimizer",
        "momentum:lr=0.003",
        "--optimizer",
        "sgd:lr=0.003",
        "--steps",
        &steps.to_string(),
    ]);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    assert!(bytes.len() <= 5 << 20, "{} bytes", bytes.len());
    let gif = decode(&bytes);
    assert_eq!(gif.size, (960, 540));
    assert_eq!(gif.repeat, Repeat::Infinite);
    // 30 fps and, by default, as many iterates a second: every iterate is a frame of
    // 100/30 cs, rounded; the last is held for a second.
    assert_eq!(gif.delays.len(), steps + 1);
    let (last, rest) = gif.delays.split_last().unwrap();
    assert!(rest.iter().all(|&d| d == 3), "{rest:?}");
    assert_eq!(*last, 100);

    // The first frame shows the heatmap: inside the plot, the colours of the heatmap
    // the page draws for the same view, to within the palette's spacing, except under
    // the contour lines, the minimum and the start.
    let surface = gradscape::surface::from_spec(&Spec::parse("banana").unwrap()).unwrap();
    let layout = Layout::new(960, 540, 1.0, Margins::SURFACE);
    let heatmap = Backdrop::new(surface.as_ref(), surface.view(), &layout).heatmap;
    let (pw, ph) = (layout.plot_width() as usize, layout.plot_height() as usize);
    let [left, top, ..] = layout.plot.map(|v| v as usize);
    let first = &gif.shown[0];
    let samples: Vec<(usize, usize)> = (0..ph)
        .step_by(7)
        .flat_map(|y| (0..pw).step_by(7).map(move |x| (x, y)))
        .collect();
    let close = samples
        .iter()
        .filter(|&&(x, y)| {
            let shown = pixel(first, 960, (left + x, top + y));
            distance(shown, pixel(&heatmap, pw, (x, y))) <= 3.0
        })
        .count();
    assert!(
        close * 10 >= samples.len() * 8,
        "{close} of {}",
        samples.len()
    );

    // The last frame shows the paths: far more pixels in momentum's colour than the
    // start's ring and the head's marker in the first.
    let orange = style_of("momentum", 0).colour;
    let orange = [orange.0, orange.1, orange.2];
    let count = |rgba: &Vec<u8>| {
        rgba.chunks_exact(4)
            .filter(|p| p[..3] == orange[..])
            .count()
    };
    let (at_start, at_end) = (count(first), count(gif.shown.last().unwrap()));
    assert!(at_start > 0);
    assert!(at_end > at_start + 1000, "{at_start} then {at_end}");
}

#[test]
fn speed_and_fps_set_the_iterates_per_frame_and_the_delay() {
    // 100 iterates a second at most 30 frames a second: ⌈100/30⌉ = 4 iterates a frame,
    // each shown 4 cs; iterates 0, 4, …, 40.
    let (output, bytes) = animate(&[
        "--surface",
        "booth",
        "--optimizer",
        "sgd:lr=0.01",
        "--steps",
        "40",
        "--size",
        "320x180",
        "--speed",
        "100",
    ]);
    assert!(output.status.success(), "{output:?}");
    let gif = decode(&bytes);
    assert_eq!(gif.size, (320, 180));
    assert_eq!(gif.delays, [&[4; 10][..], &[100]].concat());
}

/// Exit status 2, nothing on stdout, one line on stderr naming the problem.
fn refused(args: &[&str], named: &str) {
    let output = gradscape(&[&["animate"][..], args].concat());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.contains(named),
        "{args:?} should name {named:?}: {stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_sizes_rates_surfaces_and_file_names_are_refused() {
    let path = temp("refused.gif", b"");
    let out = path.to_str().unwrap();
    let race = |more: &[&'static str]| -> Vec<String> {
        let base = ["--surface", "booth", "--optimizer", "sgd", "--out", out];
        base.iter().chain(more).map(|s| s.to_string()).collect()
    };
    let cases: [(&[&str], &str); 7] = [
        (&["--size", "10x10"], "16 to 4096"),
        (&["--size", "960x5000"], "16 to 4096"),
        (&["--size", "wide"], "not a size WIDTHxHEIGHT"),
        (&["--fps", "0"], "1 to 50"),
        (&["--fps", "100"], "1 to 50"),
        (&["--speed", "0"], "1 to 1000"),
        (&["--steps", "6000"], "at most 5000 steps"),
    ];
    for (more, named) in cases {
        let args = race(more);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, named);
    }
    refused(
        &["--surface", "nowhere", "--optimizer", "sgd", "--out", out],
        "nowhere",
    );
    let mp4 = out.replace(".gif", ".mp4");
    refused(
        &["--surface", "booth", "--optimizer", "sgd", "--out", &mp4],
        "GIF only",
    );
    assert!(!std::path::Path::new(&mp4).exists());
    std::fs::remove_file(&path).unwrap();
}
