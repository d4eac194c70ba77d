//! The digits: scikit-learn's `load_digits`, the 1,797 handwritten digits of the UCI
//! "Optical Recognition of Handwritten Digits" test set, each an 8 × 8 image of pixels
//! 0 ..= 16 with its label 0 ..= 9 (`crate/data/README.md` has the source, license and
//! citation). `crate/data/digits.bin` holds them, a byte per pixel (the format is in
//! `crate/data/digits.py`, which writes it).
//!
//! The native build embeds the file. The page fetches it only when the digits are
//! chosen and hands it to [`load`]; until then a setup with the digits has a problem on
//! its dataset.

use super::data::Dataset;
use super::network::Targets;
use crate::config::Error;
use nalgebra::DMatrix;
use std::sync::OnceLock;

/// An image's rows and columns.
pub const SHAPE: [usize; 2] = [8, 8];

/// Pixels per image: the network's inputs.
pub const PIXELS: usize = SHAPE[0] * SHAPE[1];

/// The largest pixel value: the count of a 4 × 4 block's pixels that are on.
pub const LARGEST: u8 = 16;

/// The classes, 0 to 9.
pub const CLASSES: usize = 10;

/// The file's first bytes.
const MAGIC: &[u8; 8] = b"GSDIGITS";

/// The version of the format this code reads.
const VERSION: u8 = 1;

/// The header: magic, version, rows, columns, largest value, count (u32, little-endian).
const HEADER: usize = 16;

/// The digits as the file holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digits {
    labels: Vec<u8>,
    /// The images one after another, each row by row from the top.
    pixels: Vec<u8>,
}

impl Digits {
    /// Reads and checks a `digits.bin`.
    pub fn decode(bytes: &[u8]) -> Result<Digits, Error> {
        let bad = |why: String| Error::new(format!("not a digits file: {why}"));
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(bad("it does not start with GSDIGITS".into()));
        }
        let [version, rows, columns, largest] = [bytes[8], bytes[9], bytes[10], bytes[11]];
        if version != VERSION {
            return Err(bad(format!(
                "version {version}; this page reads version {VERSION}"
            )));
        }
        if [rows as usize, columns as usize] != SHAPE || largest != LARGEST {
            return Err(bad(format!(
                "its images are {rows} × {columns} of pixels 0 to {largest}, not 8 × 8 of 0 to 16"
            )));
        }
        let count = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
        let expected = count
            .checked_mul(1 + PIXELS)
            .and_then(|body| body.checked_add(HEADER));
        if count == 0 || expected != Some(bytes.len()) {
            return Err(bad(format!(
                "{} bytes do not hold the {count} digits its header announces",
                bytes.len()
            )));
        }
        let (labels, pixels) = bytes[HEADER..].split_at(count);
        if let Some(i) = labels.iter().position(|&y| y as usize >= CLASSES) {
            return Err(bad(format!("digit {i} has the label {}", labels[i])));
        }
        if let Some(p) = pixels.iter().position(|&v| v > LARGEST) {
            return Err(bad(format!(
                "pixel {} of digit {} is {}, above {LARGEST}",
                p % PIXELS,
                p / PIXELS,
                pixels[p]
            )));
        }
        Ok(Digits {
            labels: labels.to_vec(),
            pixels: pixels.to_vec(),
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Digit `i`'s pixels, row by row from the top.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// The digits as a dataset: each image a column of 64 inputs, its pixels over 16
    /// (so in [0, 1], as large as the other datasets' coordinates), row by row.
    pub fn dataset(&self) -> Dataset {
        let scale = 1.0 / f64::from(LARGEST);
        Dataset {
            x: DMatrix::from_iterator(
                PIXELS,
                self.len(),
                self.pixels.iter().map(|&v| f64::from(v) * scale),
            ),
            targets: Targets::Classes(self.labels.iter().map(|&y| y as usize).collect()),
            classes: CLASSES,
        }
    }
}

/// The digits once read: natively from the embedded file, in the page from [`load`].
static LOADED: OnceLock<Digits> = OnceLock::new();

/// The file, built into the native CLI and tests.
#[cfg(not(target_arch = "wasm32"))]
pub const EMBEDDED: &[u8] = include_bytes!("../../data/digits.bin");

/// Reads `bytes` (a `digits.bin`) as the digits every setup with `digits` uses. Loading
/// the same digits again does nothing; other digits after them are refused.
pub fn load(bytes: &[u8]) -> Result<(), Error> {
    let digits = Digits::decode(bytes)?;
    let loaded = LOADED.get_or_init(|| digits.clone());
    if *loaded != digits {
        return Err(Error::new(
            "other digits are loaded already; reload the page to use these",
        ));
    }
    Ok(())
}

/// The digits, or why there are none yet.
pub fn loaded() -> Result<&'static Digits, Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if LOADED.get().is_none() {
        load(EMBEDDED)?;
    }
    LOADED.get().ok_or_else(|| {
        Error::new(
            "dataset: the digits are not loaded yet; the page fetches them (digits.bin) before it opens them",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_holds_load_digits() {
        let digits = Digits::decode(EMBEDDED).unwrap();
        // As load_digits documents them: 1797 samples of 64 integers 0 to 16, in 10
        // classes, and as the UCI page counts the test set's classes.
        assert_eq!(digits.len(), 1797);
        assert_eq!(digits.pixels.len(), 1797 * 64);
        assert_eq!(digits.pixels.iter().max(), Some(&16));
        let mut counts = [0; CLASSES];
        digits.labels.iter().for_each(|&y| counts[y as usize] += 1);
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        let data = digits.dataset();
        assert_eq!(data.x.shape(), (64, 1797));
        assert!(data.x.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert_eq!(data.x[(5, 1)] * 16.0, f64::from(digits.image(1)[5]));
        assert!(load(EMBEDDED).is_ok(), "loading the same digits again");
        assert_eq!(loaded().unwrap().len(), 1797);
    }

    #[test]
    fn a_malformed_file_is_refused_with_its_fault() {
        let fault = |edit: &dyn Fn(&mut Vec<u8>)| {
            let mut bytes = EMBEDDED.to_vec();
            edit(&mut bytes);
            Digits::decode(&bytes).unwrap_err().0
        };
        assert!(fault(&|b| b[0] = b'X').contains("GSDIGITS"));
        assert!(Digits::decode(b"GSDIG").is_err());
        assert!(fault(&|b| b[8] = 2).contains("version 2"));
        assert!(fault(&|b| b[9] = 16).contains("16 × 8"));
        assert!(fault(&|b| b.truncate(b.len() - 1)).contains("do not hold"));
        assert!(
            fault(&|b| b[12..16].copy_from_slice(&u32::MAX.to_le_bytes())).contains("do not hold")
        );
        assert!(fault(&|b| b[HEADER + 3] = 10).contains("digit 3 has the label 10"));
        assert!(fault(&|b| b[HEADER + 1797 + 64 + 2] = 17).contains("pixel 2 of digit 1 is 17"));
        // Valid digits, but not those every setup has been using.
        loaded().unwrap();
        let mut other = EMBEDDED.to_vec();
        other[HEADER] = (other[HEADER] + 1) % 10;
        assert!(load(&other).unwrap_err().0.contains("loaded already"));
    }
}
