//! The recorders, as a wasm module of their own (`www/pkg/media/`, feature `media`) that
//! a page loads only when a user exports a race: `GifRecorder` encodes the frames the
//! page draws; `Mp4Recorder` muxes the H.264 chunks of the browser's `VideoEncoder`;
//! `webm_with_duration` completes what `MediaRecorder` wrote.
//! Bytes cross as `Uint8Array`s; errors are thrown with the core's message.

use crate::config::Error;
use crate::media::{GifWriter, Mp4Writer, Timing};
use wasm_bindgen::prelude::*;

/// A recorded race's WebM with its duration written in (see [`crate::webm`]).
#[wasm_bindgen]
pub fn webm_with_duration(webm: &[u8], milliseconds: f64) -> Result<Vec<u8>, JsError> {
    Ok(crate::webm::with_duration(webm, milliseconds)?)
}

fn finished() -> Error {
    Error::new("this recording is finished; start a new one")
}

/// How a race at some speed is cut into GIF frames: see [`gif_timing`].
#[wasm_bindgen]
pub struct GifTiming(Timing);

#[wasm_bindgen]
impl GifTiming {
    /// Draw every this-many-th iterate as a frame.
    #[wasm_bindgen(getter)]
    pub fn iterates_per_frame(&self) -> usize {
        self.0.iterates_per_frame
    }

    /// Each frame's delay, in hundredths of a second: `GifRecorder`'s `delay_cs`.
    #[wasm_bindgen(getter)]
    pub fn delay_cs(&self) -> u16 {
        self.0.delay_cs
    }
}

/// A race at `speed` iterates per second (1 to 1000) in at most `max_fps` frames a
/// second (1 to 50: GIF players show no more): ⌈speed / max_fps⌉ iterates a frame,
/// each shown round(100 × that / speed) cs.
#[wasm_bindgen]
pub fn gif_timing(speed: f64, max_fps: f64) -> Result<GifTiming, JsError> {
    Ok(GifTiming(Timing::new(speed, max_fps)?))
}

/// An animated GIF that loops forever, frame by frame: one palette for the heatmap and
/// the methods' colours, each frame after the first only what changed, the last frame
/// held for at least a second.
#[wasm_bindgen]
pub struct GifRecorder(Option<GifWriter>);

#[wasm_bindgen]
impl GifRecorder {
    /// A GIF of `width` × `height` pixels (16 to 4096 each) whose frames last `delay_cs`
    /// hundredths of a second (2 or more).
    #[wasm_bindgen(constructor)]
    pub fn new(width: u32, height: u32, delay_cs: u16) -> Result<GifRecorder, JsError> {
        Ok(GifRecorder(Some(GifWriter::new(width, height, delay_cs)?)))
    }

    /// Adds a frame: `width` × `height` × 4 bytes of RGBA, rows from the top (an
    /// `ImageData`'s `data`, or a `Uint8Array`).
    pub fn frame(&mut self, rgba: &[u8]) -> Result<(), JsError> {
        let writer = self.0.as_mut().ok_or_else(finished)?;
        Ok(writer.frame(rgba)?)
    }

    /// The GIF file as a `Uint8Array`; the recorder takes no more frames.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsError> {
        let writer = self.0.take().ok_or_else(finished)?;
        Ok(writer.finish()?)
    }
}

/// H.264 chunks from a WebCodecs `VideoEncoder` configured with
/// `avc: {format: 'annexb'}`, muxed into an MP4 with its index first ("fast start").
#[wasm_bindgen]
pub struct Mp4Recorder(Option<Mp4Writer>);

#[wasm_bindgen]
impl Mp4Recorder {
    /// A video of `width` × `height` pixels (16 to 4096 each) at `fps` frames a second
    /// (above 0, at most 120).
    #[wasm_bindgen(constructor)]
    pub fn new(width: u32, height: u32, fps: f64) -> Result<Mp4Recorder, JsError> {
        Ok(Mp4Recorder(Some(Mp4Writer::new(width, height, fps)?)))
    }

    /// Adds an `EncodedVideoChunk`'s bytes (`copyTo` a `Uint8Array`), its `timestamp`
    /// in microseconds (the video starts at the first chunk's; each later than the last)
    /// and whether its `type` is `'key'`. The first chunk must be a key chunk.
    pub fn chunk(&mut self, data: &[u8], timestamp_us: f64, key: bool) -> Result<(), JsError> {
        let writer = self.0.as_mut().ok_or_else(finished)?;
        Ok(writer.chunk(data, timestamp_us, key)?)
    }

    /// The MP4 file as a `Uint8Array`; the recorder takes no more chunks.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsError> {
        let writer = self.0.take().ok_or_else(finished)?;
        Ok(writer.finish()?)
    }
}
