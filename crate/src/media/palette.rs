//! One fixed palette of 256 colours for every frame of a recorded race, and the lookup
//! table that gives each pixel its entry.
//!
//! A GIF frame holds at most 256 colours, and a race's pixels come from few sources:
//! the heatmap (viridis, lightened: [`crate::field::colour`]), the methods' colours and
//! their shades ([`crate::render::style_of`]), the divergence red, and black and white
//! text and lines, whose anti-aliased edges are greys. A palette made of those, fixed in
//! advance, serves every frame: no per-frame quantizer (NeuQuant is slow, and a palette
//! that changes from frame to frame makes the still background flicker), and a pixel
//! that does not change keeps its entry, which the delta frames of
//! [`super::gif::GifWriter`] rely on. Each pixel takes the nearest entry, through a
//! cache ([`Lookup`]).

use crate::field::colour;
use crate::render::{method_colours, DIVERGED};
use std::sync::OnceLock;

/// The entry no pixel maps to: a GIF frame's transparent index, "unchanged since the
/// last frame".
pub const TRANSPARENT: u8 = 255;

/// Greys from black to white, both included, 255/31 ≈ 8 apart: text, axes and the
/// edges of black and white lines.
const GREYS: usize = 32;

/// Slots of a [`Lookup`]: a few times the distinct colours of a race's frame (the
/// heatmap's 1024 and the edges of lines, markers and text).
const SLOTS: usize = 1 << 16;

/// The palette: 255 colours and the transparent entry.
pub struct Palette {
    colours: Vec<[u8; 3]>,
}

/// The squared Euclidean distance between two colours in RGB.
fn distance_squared(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(&x, y)| (i32::from(x) - i32::from(y)).unsigned_abs().pow(2))
        .sum()
}

impl Palette {
    /// The race palette.
    pub fn race() -> &'static Palette {
        static PALETTE: OnceLock<Palette> = OnceLock::new();
        PALETTE.get_or_init(Palette::build)
    }

    /// Greys, then every method's colour in each of its shades and the divergence red,
    /// then as many samples along the heatmap's colour map as fill the 255 entries.
    fn build() -> Palette {
        let mut colours: Vec<[u8; 3]> = (0..GREYS)
            .map(|i| {
                let v = (255.0 * i as f64 / (GREYS - 1) as f64).round() as u8;
                [v, v, v]
            })
            .collect();
        for c in method_colours().chain([DIVERGED]) {
            let c = [c.0, c.1, c.2];
            if !colours.contains(&c) {
                colours.push(c);
            }
        }
        let samples = usize::from(TRANSPARENT) - colours.len();
        colours.extend((0..samples).map(|i| colour(i as f64 / (samples - 1) as f64)));
        colours.push([255, 255, 255]);
        Palette { colours }
    }

    /// The entry nearest `rgb` (squared distance in RGB; on a tie, the first), never
    /// [`TRANSPARENT`].
    pub fn nearest(&self, rgb: [u8; 3]) -> u8 {
        (0..TRANSPARENT)
            .min_by_key(|&k| distance_squared(self.colours[usize::from(k)], rgb))
            .unwrap_or(0)
    }

    /// Entry `index`'s colour.
    pub fn colour(&self, index: u8) -> [u8; 3] {
        self.colours[usize::from(index)]
    }

    /// The 256 colours as r, g, b, r, …: a GIF's global colour table.
    pub fn rgb(&self) -> Vec<u8> {
        self.colours.concat()
    }
}

/// [`Palette::nearest`] with a cache: a colour's entry is searched once, then read from
/// a slot chosen by the colour's hash (a colour that lands on another's slot takes it
/// over). A frame's pixels have few distinct colours, so nearly every pixel is a read.
pub struct Lookup {
    palette: &'static Palette,
    /// The colour's 24 bits, then its entry's 8; empty slots hold white with the
    /// transparent entry, which no colour maps to.
    slots: Vec<u32>,
}

impl Lookup {
    pub fn new(palette: &'static Palette) -> Lookup {
        Lookup {
            palette,
            slots: vec![u32::MAX; SLOTS],
        }
    }

    pub fn palette(&self) -> &'static Palette {
        self.palette
    }

    /// The entry of `rgb`: the nearest in the palette.
    pub fn index(&mut self, [r, g, b]: [u8; 3]) -> u8 {
        let key = (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b);
        // Fibonacci hashing: the top bits of the key times 2³² / φ.
        let slot = (key.wrapping_mul(0x9E37_79B9) >> (32 - SLOTS.trailing_zeros())) as usize;
        let held = self.slots[slot];
        if held >> 8 == key && held & 0xFF != u32::from(TRANSPARENT) {
            return held as u8;
        }
        let index = self.palette.nearest([r, g, b]);
        self.slots[slot] = (key << 8) | u32::from(index);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::CATALOGUE;
    use crate::render::style_of;

    fn error(lookup: &mut Lookup, c: [u8; 3]) -> f64 {
        let found = lookup.palette().colour(lookup.index(c));
        f64::from(distance_squared(found, c)).sqrt()
    }

    #[test]
    fn every_method_shade_red_and_grey_is_drawn_as_itself() {
        let mut lookup = Lookup::new(Palette::race());
        assert_eq!(Palette::race().rgb().len(), 256 * 3);
        // Every run of every method, a few shades past where they repeat.
        let shades = CATALOGUE
            .iter()
            .flat_map(|e| (0..8).map(|nth| style_of(e.id, nth).colour));
        for c in shades.chain([DIVERGED, plotters::style::BLACK, plotters::style::WHITE]) {
            assert_eq!(error(&mut lookup, [c.0, c.1, c.2]), 0.0, "{c:?}");
        }
        // A grey is at most half of 255/31 from one of the greys, in each channel.
        for v in 0..=255 {
            assert!(
                error(&mut lookup, [v, v, v]) <= 3f64.sqrt() * 4.2,
                "grey {v}"
            );
        }
    }

    #[test]
    fn the_heatmap_s_colours_find_a_close_entry() {
        let mut lookup = Lookup::new(Palette::race());
        // Samples of the map are 1/167 apart, a step of at most 2 in a channel.
        for i in 0..=1000 {
            let c = colour(f64::from(i) / 1000.0);
            let e = error(&mut lookup, c);
            assert!(
                e <= 2.0,
                "u = {}: {c:?} is {e} from its entry",
                f64::from(i) / 1000.0
            );
        }
    }

    #[test]
    fn the_cache_gives_the_nearest_entry_and_never_the_transparent_one() {
        let palette = Palette::race();
        let mut lookup = Lookup::new(palette);
        // Every colour of a coarse grid of the cube, twice: searched, then read back
        // (some from slots that other colours took over in between).
        let cube: Vec<[u8; 3]> = (0..=255u8)
            .step_by(5)
            .flat_map(|r| (0..=255u8).step_by(5).map(move |g| (r, g)))
            .flat_map(|(r, g)| (0..=255u8).step_by(5).map(move |b| [r, g, b]))
            .collect();
        for _ in 0..2 {
            for &c in &cube {
                let k = lookup.index(c);
                assert_ne!(k, TRANSPARENT);
                assert_eq!(k, palette.nearest(c));
            }
        }
        assert_eq!(
            lookup.index([255, 255, 255]),
            palette.nearest([255, 255, 255])
        );
    }
}
