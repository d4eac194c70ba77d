//! Where the 3-D view is seen from.

use crate::config::Error;
use serde::Serialize;
use std::f64::consts::{PI, TAU};

/// Where the camera looks from, in radians: `yaw` its azimuth around the vertical axis,
/// counter-clockwise seen from above, 0 on the side of y_min (the map's bottom edge
/// nearest the viewer, x to the right); `pitch` its elevation above the horizon, π/2
/// straight above (the map itself).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    yaw: f64,
    pitch: f64,
}

/// The lowest and highest pitch, in degrees: from just above the horizon (never level
/// with the surface, where the painter's order would no longer hold) to just short of
/// straight above, where the height axis would vanish.
pub const PITCH_RANGE: (f64, f64) = (3.0, 86.0);

/// Looking down at 35° from a corner, as Radford's animations do: the camera moved 35°
/// clockwise around the box from the side of y_min, so that the corner (x_min, y_min)
/// is nearest. Yaw and pitch in degrees.
pub const DEFAULT_CAMERA: (f64, f64) = (-35.0, 35.0);

/// The camera as the page's controls and links see it, in degrees: the default yaw
/// and pitch, and the range the pitch is clamped to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CameraDegrees {
    pub yaw: f64,
    pub pitch: f64,
    pub pitch_range: [f64; 2],
}

/// [`DEFAULT_CAMERA`] and [`PITCH_RANGE`], for the catalogue.
pub const CAMERA_DEGREES: CameraDegrees = CameraDegrees {
    yaw: DEFAULT_CAMERA.0,
    pitch: DEFAULT_CAMERA.1,
    pitch_range: [PITCH_RANGE.0, PITCH_RANGE.1],
};

impl Camera {
    /// A camera at `yaw` and `pitch` radians: the yaw wrapped into (−π, π], the pitch
    /// clamped into [`PITCH_RANGE`] (a drag past the top or the horizon stops there);
    /// non-finite angles are refused.
    pub fn new(yaw: f64, pitch: f64) -> Result<Camera, Error> {
        if !(yaw.is_finite() && pitch.is_finite()) {
            return Err(Error::new(format!(
                "a camera's yaw and pitch must be finite angles, not {yaw} and {pitch}"
            )));
        }
        let mut yaw = yaw.rem_euclid(TAU);
        if yaw > PI {
            yaw -= TAU;
        }
        Ok(Camera {
            yaw,
            pitch: pitch.clamp(PITCH_RANGE.0.to_radians(), PITCH_RANGE.1.to_radians()),
        })
    }

    /// [`Camera::new`] from degrees, as the page and the CLI give them.
    pub fn from_degrees(yaw: f64, pitch: f64) -> Result<Camera, Error> {
        Camera::new(yaw.to_radians(), pitch.to_radians())
            .map_err(|_| Error::new(format!("the camera's yaw and pitch must be finite numbers of degrees, not {yaw} and {pitch}")))
    }

    pub fn yaw(self) -> f64 {
        self.yaw
    }

    pub fn pitch(self) -> f64 {
        self.pitch
    }

    /// [yaw, pitch] in degrees.
    pub fn degrees(self) -> [f64; 2] {
        [self.yaw.to_degrees(), self.pitch.to_degrees()]
    }

    /// Where a point of the unit square [0, 1]² (the view box, normalized) lies along
    /// the horizontal view direction (−sin yaw, cos yaw): larger is farther.
    pub(super) fn depth(self, (u, v): (f64, f64)) -> f64 {
        -self.yaw.sin() * u + self.yaw.cos() * v
    }
}

impl Default for Camera {
    /// [`DEFAULT_CAMERA`].
    fn default() -> Self {
        Camera {
            yaw: DEFAULT_CAMERA.0.to_radians(),
            pitch: DEFAULT_CAMERA.1.to_radians(),
        }
    }
}
