//! A race as an MP4 video: the H.264 chunks that the browser's WebCodecs `VideoEncoder`
//! makes of the page's frames, muxed into an MP4 file with its index (`moov`) before
//! the samples (`mdat`), "fast start", as PowerPoint, Keynote and QuickTime want it.
//!
//! The muxer is `muxide` (MIT or Apache-2.0, pure Rust, built for
//! wasm32-unknown-unknown): it takes each chunk in Annex B form (start codes, with the
//! SPS and PPS in every key chunk: the encoder's `avc: {format: 'annexb'}`), reads the
//! codec configuration from the first, and writes fast start itself. The other
//! candidates write `moov` after `mdat`, which a player must seek to first: `mp4`
//! (alfg's mp4-rust, MIT; its last release is from 2023) and `mp4e` (MIT, one author),
//! both also wanting the stream converted to length-prefixed samples with the SPS and
//! PPS apart.

use crate::config::Error;
use muxide::api::{Muxer, MuxerBuilder, VideoCodec};

use super::gif::SIDES;

/// The most frames a second a recording may ask for.
pub const MAX_FPS: f64 = 120.0;

/// Muxes H.264 chunks into an MP4: `new`, then `chunk` for each encoded chunk in order,
/// then `finish`.
pub struct Mp4Writer {
    muxer: Muxer<Vec<u8>>,
    /// The first chunk's timestamp, in µs: the video starts there.
    start_us: Option<f64>,
}

impl Mp4Writer {
    /// A video of `width` × `height` pixels (16 to 4096 each) at `fps` frames a second
    /// (above 0, at most [`MAX_FPS`]; the chunks' timestamps set each frame's time).
    pub fn new(width: u32, height: u32, fps: f64) -> Result<Mp4Writer, Error> {
        let (least, most) = SIDES;
        if !(least..=most).contains(&width) || !(least..=most).contains(&height) {
            return Err(Error::new(format!(
                "a video of {width} × {height} pixels: each side must be {least} to {most}"
            )));
        }
        if !(fps > 0.0 && fps <= MAX_FPS) {
            return Err(Error::new(format!(
                "{fps} frames per second is out of range; it must be above 0 and at most {MAX_FPS}"
            )));
        }
        let muxer = MuxerBuilder::new(Vec::new())
            .video(VideoCodec::H264, width, height, fps)
            .with_fast_start(true)
            .build()
            .map_err(muxing)?;
        Ok(Mp4Writer {
            muxer,
            start_us: None,
        })
    }

    /// Adds one encoded chunk: `data` in Annex B form, shown from `timestamp_us`
    /// (microseconds, as WebCodecs gives them; the video starts at the first chunk's,
    /// and each must be later than the one before), `key` for a key frame. The first
    /// chunk must be a key frame carrying the SPS and PPS.
    pub fn chunk(&mut self, data: &[u8], timestamp_us: f64, key: bool) -> Result<(), Error> {
        if !timestamp_us.is_finite() {
            return Err(Error::new(format!(
                "a chunk's timestamp must be a number of microseconds, not {timestamp_us}"
            )));
        }
        let start = self.start_us.unwrap_or(timestamp_us);
        let seconds = (timestamp_us - start) / 1e6;
        self.muxer.write_video(seconds, data, key).map_err(muxing)?;
        self.start_us = Some(start);
        Ok(())
    }

    /// The MP4 file. The last frame lasts as long as the one before it; refused before
    /// any chunk.
    pub fn finish(mut self) -> Result<Vec<u8>, Error> {
        if self.start_us.is_none() {
            return Err(Error::new("no video chunk was recorded"));
        }
        self.muxer.finish_in_place().map_err(muxing)?;
        Ok(self.muxer.into_writer())
    }
}

fn muxing(error: muxide::api::MuxerError) -> Error {
    Error::new(format!("cannot make the MP4: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three frames of a 32 × 32 picture in one colour, as x264 encodes them (ffmpeg 5.1
    /// with libx264 on Debian 12):
    ///
    /// ```sh
    /// ffmpeg -f lavfi -i color=c=0x0072b2:s=32x32:r=30 -frames:v 3 -c:v libx264 \
    ///     -profile:v baseline -pix_fmt yuv420p -bf 0 \
    ///     -bsf:v filter_units=remove_types=6 -f h264 tiny.h264
    /// ```
    ///
    /// (the filter drops x264's SEI, its settings as text). The first access unit is the
    /// SPS (type 7), PPS (8) and IDR slice (5); the others are P slices (1).
    const KEY: &[u8] = &[
        0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x0a, 0xd9, 0x09, 0x6c, 0x04, 0x40, 0x00, 0x00,
        0x03, 0x00, 0x40, 0x00, 0x00, 0x0f, 0x03, 0xc4, 0x89, 0x92, 0x00, 0x00, 0x00, 0x01, 0x68,
        0xcb, 0x83, 0xcb, 0x20, 0x00, 0x00, 0x01, 0x65, 0x88, 0x84, 0x0b, 0xf1, 0x18, 0xa0, 0x00,
        0x23, 0x73, 0x1c, 0x00, 0x04, 0x50, 0xa3, 0x80, 0x00, 0x8c, 0xac, 0x9d, 0x75, 0xe0,
    ];
    const DELTAS: [&[u8]; 2] = [
        &[0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, 0x38, 0x15, 0xe5, 0x80],
        &[0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, 0x54, 0x04, 0xf9, 0x60],
    ];
    /// The SPS, between the first start code and the second.
    fn sps() -> &'static [u8] {
        &KEY[4..25]
    }

    /// An ISO BMFF box: its type and contents.
    fn boxes(bytes: &[u8]) -> Vec<(String, &[u8])> {
        let mut found = Vec::new();
        let mut at = 0;
        while at + 8 <= bytes.len() {
            let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            assert!(size >= 8 && at + size <= bytes.len(), "box at {at}: {size}");
            let kind = String::from_utf8_lossy(&bytes[at + 4..at + 8]).to_string();
            found.push((kind, &bytes[at + 8..at + size]));
            at += size;
        }
        assert_eq!(at, bytes.len());
        found
    }

    /// The contents of the box at `path` (a container's children follow its header; the
    /// sample description `stsd` has 8 bytes of its own, `avc1` 78).
    fn find<'a>(bytes: &'a [u8], path: &[&str]) -> &'a [u8] {
        let (first, rest) = path.split_first().unwrap();
        let (_, contents) = boxes(bytes)
            .into_iter()
            .find(|(kind, _)| kind == first)
            .unwrap_or_else(|| panic!("no {first}"));
        match (rest.first(), *first) {
            (None, _) => contents,
            (Some(_), "stsd") => find(&contents[8..], rest),
            (Some(_), "avc1") => find(&contents[78..], rest),
            (Some(_), _) => find(contents, rest),
        }
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    fn record(fps: f64, start_us: f64) -> Vec<u8> {
        let mut mp4 = Mp4Writer::new(32, 32, fps).unwrap();
        let frame_us = 1e6 / fps;
        mp4.chunk(KEY, start_us, true).unwrap();
        for (k, delta) in DELTAS.iter().enumerate() {
            mp4.chunk(delta, start_us + (k + 1) as f64 * frame_us, false)
                .unwrap();
        }
        mp4.finish().unwrap()
    }

    #[test]
    fn the_index_comes_before_the_samples_with_one_track_of_every_chunk() {
        let fps = 30.0;
        // WebCodecs' timestamps are the frames' own: the video starts at the first.
        let mp4 = record(fps, 5e6);
        let top: Vec<String> = boxes(&mp4).into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(top.first().map(String::as_str), Some("ftyp"));
        let moov = top.iter().position(|k| k == "moov").unwrap();
        let mdat = top.iter().position(|k| k == "mdat").unwrap();
        assert!(moov < mdat, "{top:?}");
        let traks = boxes(find(&mp4, &["moov"]))
            .iter()
            .filter(|(kind, _)| kind == "trak")
            .count();
        assert_eq!(traks, 1);
        let stbl = ["moov", "trak", "mdia", "minf", "stbl"];
        // stts: version and flags, entry count, then (sample count, sample delta) pairs.
        let stts = find(&mp4, &[&stbl[..], &["stts"]].concat());
        let entries = u32_at(stts, 4) as usize;
        let samples: u32 = (0..entries).map(|i| u32_at(stts, 8 + 8 * i)).sum();
        assert_eq!(samples, 3);
        // The track lasts frames / fps: mdhd (version 0) holds its timescale and duration.
        let mdhd = find(&mp4, &["moov", "trak", "mdia", "mdhd"]);
        assert_eq!(mdhd[0], 0);
        let (timescale, duration) = (u32_at(mdhd, 12), u32_at(mdhd, 16));
        let seconds = f64::from(duration) / f64::from(timescale);
        assert!((seconds - 3.0 / fps).abs() < 1e-3, "{seconds} s");
        // Only the first sample is a sync sample, and the SPS is the configuration's.
        let stss = find(&mp4, &[&stbl[..], &["stss"]].concat());
        assert_eq!((u32_at(stss, 4), u32_at(stss, 8)), (1, 1));
        let avcc = find(&mp4, &[&stbl[..], &["stsd", "avc1", "avcC"]].concat());
        let sps_length = usize::from(u16::from_be_bytes([avcc[6], avcc[7]]));
        assert_eq!(&avcc[8..8 + sps_length], sps());
        // The samples are the chunks with 4-byte lengths for start codes: the P slices
        // are at the end of mdat.
        let mdat = find(&mp4, &["mdat"]);
        let last = &mdat[mdat.len() - 10..];
        assert_eq!(u32_at(last, 0), 6);
        assert_eq!(&last[4..], &DELTAS[1][4..]);
    }

    #[test]
    fn bad_settings_and_chunks_are_refused_with_a_reason() {
        assert!(Mp4Writer::new(8, 32, 30.0)
            .err()
            .unwrap()
            .0
            .contains("16 to 4096"));
        for fps in [0.0, -1.0, f64::NAN, 121.0] {
            let e = Mp4Writer::new(32, 32, fps).err().unwrap();
            assert!(e.0.contains("frames per second"), "{}", e.0);
        }
        let mut mp4 = Mp4Writer::new(32, 32, 30.0).unwrap();
        assert!(mp4.chunk(DELTAS[0], 0.0, false).is_err(), "a delta first");
        let mut mp4 = Mp4Writer::new(32, 32, 30.0).unwrap();
        assert!(mp4.chunk(KEY, f64::NAN, true).is_err());
        mp4.chunk(KEY, 0.0, true).unwrap();
        assert!(
            mp4.chunk(DELTAS[0], 0.0, false).is_err(),
            "time stood still"
        );
        assert!(mp4.chunk(&[], 1e5, false).is_err(), "an empty chunk");
        let mp4 = Mp4Writer::new(32, 32, 30.0).unwrap();
        assert!(mp4.finish().unwrap_err().0.contains("no video chunk"));
    }
}
