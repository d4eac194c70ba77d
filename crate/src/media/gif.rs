//! A race as an animated GIF, written frame by frame with the `gif` crate (image-rs).
//!
//! Every frame is mapped to one fixed palette ([`super::palette`]). After the first,
//! a frame holds only the rectangle of pixels that changed since the frame before,
//! with the pixels inside it that did not change as the transparent entry, and is
//! drawn over what is shown (disposal "keep"): a race is a growing path and moving
//! markers over a still background, so a frame is a few small rectangles of mostly
//! transparent pixels, which LZW compresses to little. The file loops forever (the
//! NETSCAPE2.0 extension) and holds its last frame for at least [`HOLD_CS`].

use super::palette::{Lookup, Palette, TRANSPARENT};
use crate::config::Error;
use crate::lab::optimizers::LIMITS;
use ::gif::{DisposalMethod, Encoder, Frame, Repeat};
use std::borrow::Cow;

/// The smallest and largest width and height of a recording, in pixels.
pub const SIDES: (u32, u32) = (16, 4096);

/// At most 50 frames a second: a GIF's delay is in hundredths of a second, and players
/// (every browser among them) show a delay below 2 cs as 10 cs.
pub const MAX_FPS: f64 = 50.0;

/// The last frame stays at least this long, 1 s, so that a loop pauses on the finished
/// race before it starts again.
pub const HOLD_CS: u16 = 100;

/// How a race is cut into frames: every `iterates_per_frame`-th iterate is a frame,
/// shown for `delay_cs` hundredths of a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub iterates_per_frame: usize,
    pub delay_cs: u16,
}

impl Timing {
    /// A race at `speed` iterates per second (1 to the lab's limit), in at most
    /// `max_fps` frames a second (1 to [`MAX_FPS`]): n = ⌈speed / max_fps⌉ iterates a
    /// frame, each frame shown round(100 n / speed) cs (at least 2). So 30 iterates per
    /// second at 30 fps is one iterate a frame every 3 cs (33 fps: the nearest a GIF can
    /// show), and 100 at 30 fps is four iterates every 4 cs.
    pub fn new(speed: f64, max_fps: f64) -> Result<Timing, Error> {
        if !(1.0..=MAX_FPS).contains(&max_fps) {
            return Err(Error::new(format!(
                "{max_fps} frames per second is out of range; a GIF shows 1 to {MAX_FPS}"
            )));
        }
        if !(1.0..=LIMITS.speed).contains(&speed) {
            return Err(Error::new(format!(
                "a speed of {speed} iterates per second is out of range; it must be 1 to {}",
                LIMITS.speed
            )));
        }
        let iterates_per_frame = (speed / max_fps).ceil() as usize;
        let delay = (100.0 * iterates_per_frame as f64 / speed).round();
        Ok(Timing {
            iterates_per_frame,
            delay_cs: delay.max(2.0) as u16,
        })
    }

    /// The iterate each frame shows, for a race whose last iterate is `last`: 0, n, 2n,
    /// …, and `last` itself, so the finished paths are the last frame.
    pub fn iterates(&self, last: usize) -> impl Iterator<Item = usize> {
        let n = self.iterates_per_frame.max(1);
        (0..last.div_ceil(n)).map(move |j| j * n).chain([last])
    }
}

/// A frame's rectangle in palette entries, waiting for its delay.
struct Patch {
    left: u16,
    top: u16,
    width: u16,
    height: u16,
    indices: Vec<u8>,
    transparent: bool,
}

/// Writes a GIF frame by frame: `new`, then `frame` for each frame, then `finish`.
pub struct GifWriter {
    encoder: Encoder<Vec<u8>>,
    width: u16,
    height: u16,
    delay_cs: u16,
    lookup: Lookup,
    /// The palette entry of every pixel as shown after the frames so far.
    shown: Vec<u8>,
    /// The last frame, written once the next one comes (or at the end, held longer).
    pending: Option<Patch>,
}

impl GifWriter {
    /// A GIF of `width` × `height` pixels (16 to 4096 each) whose frames are shown for
    /// `delay_cs` hundredths of a second (2 or more; see [`Timing`]).
    pub fn new(width: u32, height: u32, delay_cs: u16) -> Result<GifWriter, Error> {
        let (least, most) = SIDES;
        if !(least..=most).contains(&width) || !(least..=most).contains(&height) {
            return Err(Error::new(format!(
                "a GIF of {width} × {height} pixels: each side must be {least} to {most}"
            )));
        }
        if delay_cs < 2 {
            return Err(Error::new(format!(
                "a frame delay of {delay_cs} cs is too short: players show less than 2 cs as 10"
            )));
        }
        let palette = Palette::race();
        let (w, h) = (width as u16, height as u16);
        let mut encoder = Encoder::new(Vec::new(), w, h, &palette.rgb()).map_err(encoding)?;
        encoder.set_repeat(Repeat::Infinite).map_err(encoding)?;
        Ok(GifWriter {
            encoder,
            width: w,
            height: h,
            delay_cs,
            lookup: Lookup::new(palette),
            shown: Vec::new(),
            pending: None,
        })
    }

    /// Adds a frame: `rgba`, the picture's pixels row by row from the top, four bytes
    /// each (alpha is ignored: a race's frames are opaque).
    pub fn frame(&mut self, rgba: &[u8]) -> Result<(), Error> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        if rgba.len() != w * h * 4 {
            return Err(Error::new(format!(
                "a frame of {w} × {h} pixels has {} RGBA bytes, not {}",
                w * h * 4,
                rgba.len()
            )));
        }
        let indices: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| self.lookup.index([p[0], p[1], p[2]]))
            .collect();
        let patch = if self.shown.is_empty() {
            Patch {
                left: 0,
                top: 0,
                width: self.width,
                height: self.height,
                indices: indices.clone(),
                transparent: false,
            }
        } else {
            changes(&self.shown, &indices, w)
        };
        self.shown = indices;
        if let Some(previous) = self.pending.replace(patch) {
            self.write(&previous, self.delay_cs)?;
        }
        Ok(())
    }

    /// The GIF file, its last frame shown for at least [`HOLD_CS`]. Refused before any
    /// frame.
    pub fn finish(mut self) -> Result<Vec<u8>, Error> {
        let last = self
            .pending
            .take()
            .ok_or_else(|| Error::new("no frame was recorded"))?;
        self.write(&last, self.delay_cs.max(HOLD_CS))?;
        self.encoder.into_inner().map_err(encoding)
    }

    fn write(&mut self, patch: &Patch, delay: u16) -> Result<(), Error> {
        let frame = Frame {
            delay,
            dispose: DisposalMethod::Keep,
            transparent: patch.transparent.then_some(TRANSPARENT),
            left: patch.left,
            top: patch.top,
            width: patch.width,
            height: patch.height,
            buffer: Cow::Borrowed(&patch.indices),
            ..Frame::default()
        };
        self.encoder.write_frame(&frame).map_err(encoding)
    }
}

/// What changed from `shown` to `next` (images `width` pixels wide): the bounding box of
/// the pixels whose entry differs, with the others in it transparent; one transparent
/// pixel when nothing changed.
fn changes(shown: &[u8], next: &[u8], width: usize) -> Patch {
    let mut bounds: Option<[usize; 4]> = None; // left, top, right, bottom, inclusive
    for (row, (a, b)) in shown
        .chunks_exact(width)
        .zip(next.chunks_exact(width))
        .enumerate()
    {
        let Some(first) = a.iter().zip(b).position(|(x, y)| x != y) else {
            continue;
        };
        let last = a.iter().zip(b).rposition(|(x, y)| x != y).unwrap_or(first);
        let [left, top, right, _] = bounds.unwrap_or([first, row, last, row]);
        bounds = Some([left.min(first), top, right.max(last), row]);
    }
    let Some([left, top, right, bottom]) = bounds else {
        return Patch {
            left: 0,
            top: 0,
            width: 1,
            height: 1,
            indices: vec![TRANSPARENT],
            transparent: true,
        };
    };
    let mut indices = Vec::with_capacity((right - left + 1) * (bottom - top + 1));
    for row in top..=bottom {
        let span = row * width + left..=row * width + right;
        indices.extend(shown[span.clone()].iter().zip(&next[span]).map(|(&a, &b)| {
            if a == b {
                TRANSPARENT
            } else {
                b
            }
        }));
    }
    // Sides are at most 4096, so every coordinate fits in 16 bits.
    Patch {
        left: left as u16,
        top: top as u16,
        width: (right - left + 1) as u16,
        height: (bottom - top + 1) as u16,
        indices,
        transparent: true,
    }
}

fn encoding(error: ::gif::EncodingError) -> Error {
    Error::new(format!("cannot write the GIF: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::gif::{DecodeOptions, Decoder};

    #[test]
    fn timing_turns_a_speed_into_iterates_and_delays() {
        let t = |speed, fps| Timing::new(speed, fps).unwrap();
        assert_eq!(
            t(30.0, 30.0),
            Timing {
                iterates_per_frame: 1,
                delay_cs: 3
            }
        );
        assert_eq!(
            t(100.0, 30.0),
            Timing {
                iterates_per_frame: 4,
                delay_cs: 4
            }
        );
        assert_eq!(
            t(50.0, 50.0),
            Timing {
                iterates_per_frame: 1,
                delay_cs: 2
            }
        );
        assert_eq!(
            t(1.0, 30.0),
            Timing {
                iterates_per_frame: 1,
                delay_cs: 100
            }
        );
        assert_eq!(
            t(1000.0, 50.0),
            Timing {
                iterates_per_frame: 20,
                delay_cs: 2
            }
        );
        // Never more frames a second than asked, and a frame lasts as long as its
        // iterates take at the speed asked, to the nearest hundredth of a second (or
        // the shortest delay players keep).
        for speed in [1.0, 7.0, 24.0, 60.0, 99.0, 333.0, 1000.0] {
            for fps in [1.0, 10.0, 24.0, 30.0, 50.0] {
                let timing = t(speed, fps);
                let n = timing.iterates_per_frame as f64;
                assert!(speed / n <= fps, "{speed} at {fps}");
                let seconds = f64::from(timing.delay_cs) / 100.0;
                let error = (seconds - n / speed).abs();
                assert!(
                    error <= 0.005 + 1e-12 || timing.delay_cs == 2,
                    "{speed} at {fps}"
                );
            }
        }
        for (speed, fps) in [
            (30.0, 0.0),
            (30.0, 51.0),
            (0.5, 30.0),
            (1e4, 30.0),
            (f64::NAN, 30.0),
        ] {
            assert!(Timing::new(speed, fps).is_err(), "{speed} at {fps}");
        }
    }

    #[test]
    fn every_iterate_a_frame_shows_ends_with_the_last() {
        let timing = Timing {
            iterates_per_frame: 4,
            delay_cs: 4,
        };
        assert_eq!(timing.iterates(10).collect::<Vec<_>>(), [0, 4, 8, 10]);
        assert_eq!(timing.iterates(8).collect::<Vec<_>>(), [0, 4, 8]);
        assert_eq!(timing.iterates(0).collect::<Vec<_>>(), [0]);
    }

    fn picture(width: usize, height: usize, square: Option<(usize, usize)>) -> Vec<u8> {
        let mut rgba = vec![255; width * height * 4];
        if let Some((x, y)) = square {
            for row in y..y + 3 {
                for column in x..x + 3 {
                    let i = 4 * (row * width + column);
                    rgba[i..i + 3].copy_from_slice(&[0, 114, 178]);
                }
            }
        }
        rgba
    }

    /// A frame's delay, rectangle (left, top, width, height) and disposal.
    type Header = (u16, [u16; 4], DisposalMethod);

    /// Every frame's header, and the picture shown after each.
    fn decode(bytes: &[u8]) -> (Vec<Header>, Vec<Vec<u8>>) {
        let mut options = DecodeOptions::new();
        options.set_color_output(::gif::ColorOutput::RGBA);
        let mut decoder: Decoder<&[u8]> = options.read_info(bytes).unwrap();
        let (w, h) = (decoder.width() as usize, decoder.height() as usize);
        assert_eq!(decoder.repeat(), Repeat::Infinite);
        let mut canvas = vec![0u8; w * h * 4];
        let (mut frames, mut shown) = (Vec::new(), Vec::new());
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            let f = [frame.left, frame.top, frame.width, frame.height];
            frames.push((frame.delay, f, frame.dispose));
            for row in 0..usize::from(frame.height) {
                for column in 0..usize::from(frame.width) {
                    let from = 4 * (row * usize::from(frame.width) + column);
                    let pixel = &frame.buffer[from..from + 4];
                    if pixel[3] == 0 {
                        continue; // transparent: what was shown stays
                    }
                    let at = (usize::from(frame.top) + row) * w + usize::from(frame.left) + column;
                    canvas[4 * at..4 * at + 4].copy_from_slice(pixel);
                }
            }
            shown.push(canvas.clone());
        }
        (frames, shown)
    }

    #[test]
    fn frames_after_the_first_hold_only_what_changed() {
        let (w, h) = (40, 30);
        let mut gif = GifWriter::new(w as u32, h as u32, 3).unwrap();
        let pictures = [
            picture(w, h, None),
            picture(w, h, Some((5, 6))),
            picture(w, h, Some((5, 6))),
            picture(w, h, Some((20, 10))),
        ];
        for p in &pictures {
            gif.frame(p).unwrap();
        }
        let (frames, shown) = decode(&gif.finish().unwrap());
        let rectangles: Vec<[u16; 4]> = frames.iter().map(|f| f.1).collect();
        // The whole picture; the square that appeared; nothing; the square that moved,
        // from where it was to where it is.
        assert_eq!(
            rectangles,
            [[0, 0, 40, 30], [5, 6, 3, 3], [0, 0, 1, 1], [5, 6, 18, 7]]
        );
        assert!(frames.iter().all(|f| f.2 == DisposalMethod::Keep));
        let delays: Vec<u16> = frames.iter().map(|f| f.0).collect();
        assert_eq!(delays, [3, 3, 3, HOLD_CS]);
        // What a player shows is each picture, pixel for pixel (its colours are in the
        // palette).
        for (p, s) in pictures.iter().zip(&shown) {
            assert_eq!(p, s);
        }
    }

    #[test]
    fn bad_sizes_frames_and_delays_are_refused_with_a_reason() {
        for (w, h) in [(15, 100), (100, 4097), (0, 0)] {
            let e = GifWriter::new(w, h, 3).err().unwrap();
            assert!(e.0.contains("16 to 4096"), "{}", e.0);
        }
        assert!(GifWriter::new(100, 100, 1)
            .err()
            .unwrap()
            .0
            .contains("2 cs"));
        let mut gif = GifWriter::new(16, 16, 3).unwrap();
        let e = gif.frame(&[0; 16 * 16 * 3]).unwrap_err();
        assert!(e.0.contains("1024 RGBA bytes, not 768"), "{}", e.0);
        assert!(gif.finish().unwrap_err().0.contains("no frame"));
    }
}
