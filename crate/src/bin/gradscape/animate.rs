//! `animate`: a race as an animated GIF, each frame drawn by the page's own drawing code
//! on a bitmap that draws as the page's canvas does ([`render::LikeCanvas`]): the
//! background (heatmap, contour lines, axes, critical points) once, then every
//! optimizer's path up to the frame's iterate with its marker at the head, and a legend
//! of the optimizers as given.

use super::{path_styles, trajectory, Outcome, RunArgs};
use gradscape::config::Error;
use gradscape::lab::optimizers::{checked_tolerance, LIMITS};
use gradscape::layout::{Layout, Margins};
use gradscape::media::{GifWriter, Timing};
use gradscape::render::{self, Backdrop, LikeCanvas};
use gradscape::{surface, Spec};
use plotters::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct AnimateArgs {
    #[command(flatten)]
    run: RunArgs,
    /// An optimizer to race, NAME[:key=value,...]; repeat for several.
    #[arg(long = "optimizer", required = true)]
    optimizers: Vec<String>,
    /// The GIF file to write.
    #[arg(long)]
    out: PathBuf,
    /// WIDTHxHEIGHT in pixels, 16 to 4096 each.
    #[arg(long, value_parser = parse_size, default_value = "960x540")]
    size: (u32, u32),
    /// Frames per second, 1 to 50 (GIF players show no more).
    #[arg(long, default_value_t = 30.0, allow_negative_numbers = true)]
    fps: f64,
    /// Iterates per second, 1 to 1000 [default: the frame rate, one iterate a frame].
    #[arg(long, allow_negative_numbers = true)]
    speed: Option<f64>,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let side = |t: &str| t.trim().parse::<u32>();
    text.split_once(['x', '×'])
        .and_then(|(w, h)| Some((side(w).ok()?, side(h).ok()?)))
        .ok_or_else(|| format!("`{text}` is not a size WIDTHxHEIGHT"))
}

/// Only GIF for now: a name that says otherwise is refused rather than written as GIF.
fn gif_path(path: &Path) -> Result<&Path, Error> {
    let gif = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gif"));
    if gif {
        Ok(path)
    } else {
        Err(Error::new(format!(
            "{} is not a .gif file name: animate writes GIF only",
            path.display()
        )))
    }
}

pub fn animate(args: &AnimateArgs) -> Outcome {
    let path = gif_path(&args.out)?;
    let timing = Timing::new(args.speed.unwrap_or(args.fps), args.fps)?;
    let (width, height) = args.size;
    let mut gif = GifWriter::new(width, height, timing.delay_cs)?;
    if args.run.steps > LIMITS.steps {
        return Err(Error::new(format!(
            "--steps {} is out of range; a race has at most {} steps",
            args.run.steps, LIMITS.steps
        ))
        .into());
    }
    checked_tolerance(args.run.tolerance)?;
    let surface = surface::from_spec_in(&Spec::parse(&args.run.surface)?, args.run.view)?;
    let runs: Vec<_> = args
        .optimizers
        .iter()
        .map(|o| trajectory(&args.run, o))
        .collect::<Result<_, _>>()?;
    let styles = path_styles(&runs, &args.optimizers)?;
    // Opened before drawing, so an unwritable path fails at once.
    let mut file = std::fs::File::create(path)
        .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;

    let layout = Layout::new(width, height, 1.0, Margins::SURFACE);
    let view = args.run.view.unwrap_or_else(|| surface.view());
    let size = (width, height);
    let mut background = vec![0; width as usize * height as usize * 3];
    {
        let area =
            LikeCanvas(BitMapBackend::with_buffer(&mut background, size)).into_drawing_area();
        let backdrop = Backdrop::new(surface.as_ref(), view, &layout);
        render::backdrop(&area, &layout, &view, &backdrop)?;
        area.present().map_err(drawing)?;
    }
    let last = runs
        .iter()
        .map(|(t, _)| t.points.len() - 1)
        .max()
        .unwrap_or(0);
    let mut pixels = background.clone();
    let mut rgba = vec![255; pixels.len() / 3 * 4];
    for upto in timing.iterates(last) {
        pixels.copy_from_slice(&background);
        {
            let area =
                LikeCanvas(BitMapBackend::with_buffer(&mut pixels, size)).into_drawing_area();
            render::paths(&area, &layout, &view, &styles, upto, None)?;
            area.present().map_err(drawing)?;
        }
        for (to, from) in rgba.chunks_exact_mut(4).zip(pixels.chunks_exact(3)) {
            to[..3].copy_from_slice(from);
        }
        gif.frame(&rgba)?;
    }
    file.write_all(&gif.finish()?)
        .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
    for ((_, outcome), label) in runs.iter().zip(&args.optimizers) {
        eprintln!("{label}: {outcome}");
    }
    Ok(())
}

fn drawing(error: impl std::fmt::Display) -> Error {
    Error::new(format!("drawing failed: {error}"))
}
