//! A recorded race's duration, written into its WebM file. A browser's MediaRecorder
//! streams WebM as it records, so it never writes the Segment's Duration: players then
//! show no length and cannot seek. [`with_duration`] adds it afterwards.
//!
//! WebM is EBML (Matroska's binary format): each element is an ID, a size and its data,
//! IDs and sizes as variable-length integers whose leading zero bits give their length.
//! The Duration (ID 0x4489, a float in TimecodeScale units) belongs in the Segment's
//! Info element.

use crate::config::Error;

const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
/// The default TimecodeScale: a timecode unit is 1 ms.
const NANOSECONDS_PER_UNIT: f64 = 1e6;

/// A variable-length integer at `at`: its value (for an ID, with its length marker) and
/// its length in bytes.
fn vint(bytes: &[u8], at: usize, keep_marker: bool) -> Result<(u64, usize), Error> {
    let first = *bytes.get(at).ok_or_else(truncated)?;
    let length = first.leading_zeros() as usize + 1;
    if length > 8 || at + length > bytes.len() {
        return Err(Error::new("this is not a WebM file the page recorded"));
    }
    let mask = if keep_marker {
        0xFF
    } else {
        (0xFF_u16 >> length) as u8
    };
    let value = bytes[at + 1..at + length]
        .iter()
        .fold(u64::from(first & mask), |v, &b| (v << 8) | u64::from(b));
    Ok((value, length))
}

fn truncated() -> Error {
    Error::new("the WebM file ends too early")
}

/// An element's header at `at`: ID, where its data starts, and its size (None: unknown,
/// as for a stream's Segment), with the size's offset and length for rewriting it.
struct Header {
    id: u32,
    size_at: usize,
    size_length: usize,
    data: usize,
    size: Option<usize>,
}

fn header(bytes: &[u8], at: usize) -> Result<Header, Error> {
    let (id, id_length) = vint(bytes, at, true)?;
    let size_at = at + id_length;
    let (size, size_length) = vint(bytes, size_at, false)?;
    let unknown = size == (1u64 << (7 * size_length)) - 1;
    Ok(Header {
        id: id as u32,
        size_at,
        size_length,
        data: size_at + size_length,
        size: (!unknown).then_some(size as usize),
    })
}

/// `value` as a size of exactly `length` bytes, if it fits (all ones means unknown).
fn write_size(value: usize, length: usize) -> Option<Vec<u8>> {
    let value = value as u64;
    if length == 0 || length > 8 || value >= (1u64 << (7 * length)) - 1 {
        return None;
    }
    let marked = value | (1u64 << (7 * length));
    Some(marked.to_be_bytes()[8 - length..].to_vec())
}

/// The first child of `parent` with `id`, looking from `from` to `end`.
fn child(bytes: &[u8], from: usize, end: usize, id: u32) -> Result<Option<Header>, Error> {
    let mut at = from;
    while at < end {
        let element = header(bytes, at)?;
        if element.id == id {
            return Ok(Some(element));
        }
        let Some(size) = element.size else {
            return Ok(None);
        };
        at = element.data + size;
    }
    Ok(None)
}

/// `webm` with its Segment's duration set to `milliseconds`: replaced if present, added
/// to the Info element (and its size, and a known Segment size, grown) if not.
pub fn with_duration(webm: &[u8], milliseconds: f64) -> Result<Vec<u8>, Error> {
    if !(milliseconds.is_finite() && milliseconds >= 0.0) {
        return Err(Error::new(format!(
            "a duration must be a finite number of milliseconds, not {milliseconds}"
        )));
    }
    let ebml = header(webm, 0)?;
    let segment_at = ebml.data + ebml.size.ok_or_else(truncated)?;
    let segment = header(webm, segment_at)?;
    if segment.id != SEGMENT {
        return Err(Error::new("this WebM file has no Segment after its header"));
    }
    let segment_end = segment.size.map_or(webm.len(), |s| segment.data + s);
    let info = child(webm, segment.data, segment_end, INFO)?
        .ok_or_else(|| Error::new("this WebM file has no Info element"))?;
    let info_end = info.data + info.size.ok_or_else(truncated)?;
    if info_end > webm.len() {
        return Err(truncated());
    }
    let scale = match child(webm, info.data, info_end, TIMECODE_SCALE)? {
        Some(h) => {
            let size = h.size.ok_or_else(truncated)?;
            let digits = webm.get(h.data..h.data + size).ok_or_else(truncated)?;
            digits.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)) as f64
        }
        None => NANOSECONDS_PER_UNIT,
    };
    let units = milliseconds * NANOSECONDS_PER_UNIT / scale;

    let mut out = webm.to_vec();
    if let Some(existing) = child(webm, info.data, info_end, DURATION)? {
        match existing.size {
            Some(4) => {
                out[existing.data..existing.data + 4].copy_from_slice(&(units as f32).to_be_bytes())
            }
            Some(8) => out[existing.data..existing.data + 8].copy_from_slice(&units.to_be_bytes()),
            _ => return Err(Error::new("this WebM file's duration is not a float")),
        }
        return Ok(out);
    }
    // ID 0x4489, size 8, a big-endian f64.
    let mut element = vec![0x44, 0x89, 0x88];
    element.extend_from_slice(&units.to_be_bytes());
    let grown = |size: usize, length: usize| {
        write_size(size + element.len(), length)
            .ok_or_else(|| Error::new("this WebM file's Info has no room for a duration"))
    };
    let info_size = grown(info_end - info.data, info.size_length)?;
    out.splice(info_end..info_end, element.iter().copied());
    out.splice(
        info.size_at..info.size_at + info.size_length,
        info_size.iter().copied(),
    );
    if let Some(size) = segment.size {
        let segment_size = grown(size, segment.size_length)?;
        out.splice(
            segment.size_at..segment.size_at + segment.size_length,
            segment_size.iter().copied(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(id: &[u8], data: &[u8]) -> Vec<u8> {
        let mut e = id.to_vec();
        e.extend(write_size(data.len(), 8).unwrap());
        e.extend_from_slice(data);
        e
    }

    /// A stream as MediaRecorder writes it: a header, a Segment of unknown size holding
    /// an Info (TimecodeScale 1 ms, the writing app) and a Cluster.
    fn recorded(segment_size: Option<usize>) -> Vec<u8> {
        let header = element(&[0x1A, 0x45, 0xDF, 0xA3], &element(&[0x42, 0x82], b"webm"));
        let info = element(
            &[0x15, 0x49, 0xA9, 0x66],
            &[
                element(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]),
                element(&[0x57, 0x41], b"Chrome"),
            ]
            .concat(),
        );
        let cluster = element(&[0x1F, 0x43, 0xB6, 0x75], &[0xE7, 0x81, 0x00]);
        let body = [info, cluster].concat();
        let mut segment = vec![0x18, 0x53, 0x80, 0x67];
        match segment_size {
            None => segment.extend([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            Some(_) => segment.extend(write_size(body.len(), 8).unwrap()),
        }
        [header, segment, body].concat()
    }

    /// The duration a reader finds: walks the file from the start, as a player does.
    fn duration(webm: &[u8]) -> Option<f64> {
        let ebml = header(webm, 0).unwrap();
        let segment = header(webm, ebml.data + ebml.size.unwrap()).unwrap();
        let end = segment.size.map_or(webm.len(), |s| segment.data + s);
        assert_eq!(end, webm.len(), "the Segment's size covers the file");
        let info = child(webm, segment.data, end, INFO).unwrap().unwrap();
        let info_end = info.data + info.size.unwrap();
        // Every child of Info still parses up to its end exactly.
        let mut at = info.data;
        while at < info_end {
            let h = header(webm, at).unwrap();
            at = h.data + h.size.unwrap();
        }
        assert_eq!(at, info_end);
        let d = child(webm, info.data, info_end, DURATION).unwrap()?;
        Some(f64::from_be_bytes(
            webm[d.data..d.data + 8].try_into().unwrap(),
        ))
    }

    #[test]
    fn adds_the_duration_to_a_stream() {
        let before = recorded(None);
        assert_eq!(duration(&before), None);
        let after = with_duration(&before, 12_345.5).unwrap();
        assert_eq!(duration(&after), Some(12_345.5));
        assert_eq!(after.len(), before.len() + 11);
        // The clusters follow untouched.
        assert!(
            after.ends_with(&[0x1F, 0x43, 0xB6, 0x75, 0x01, 0, 0, 0, 0, 0, 0, 3, 0xE7, 0x81, 0x00])
        );
    }

    #[test]
    fn grows_a_known_segment_size_and_replaces_an_existing_duration() {
        let once = with_duration(&recorded(Some(0)), 1000.0).unwrap();
        assert_eq!(duration(&once), Some(1000.0));
        let twice = with_duration(&once, 2500.0).unwrap();
        assert_eq!(duration(&twice), Some(2500.0));
        assert_eq!(twice.len(), once.len());
    }

    #[test]
    fn refuses_what_is_not_a_recording() {
        assert!(with_duration(&[], 1.0).is_err());
        assert!(with_duration(b"not a webm file at all", 1.0).is_err());
        assert!(with_duration(&recorded(None)[..20], 1.0).is_err());
        assert!(with_duration(&recorded(None), f64::NAN).is_err());
    }
}
