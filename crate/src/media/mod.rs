//! A race recorded as a file: frames as an animated GIF ([`gif`]) in one palette made
//! for the heatmap and the methods' colours ([`palette`]), or the browser's H.264
//! chunks as an MP4 ([`mp4`]). The page loads this code as a module of its own (feature
//! `media`) only when a user exports; the CLI's `animate` draws the frames natively.

pub mod gif;
pub mod mp4;
pub mod palette;

pub use self::gif::{GifWriter, Timing};
pub use self::mp4::Mp4Writer;
