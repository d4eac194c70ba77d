//! gradscape: gradient-descent optimizers on 2D loss surfaces, in the notation of the
//! lecture "Neural networks and backpropagation".
//!
//! Data flows one way: [`surface`], [`optim`] and [`nn`] are pure maths; [`run`],
//! [`field`], [`tune`], [`rates`], [`anatomy`] and [`lab`] turn them into data
//! (trajectories, sampled grids, rate maps, contour lines, tuned learning rates, a step
//! taken apart, each page's settings and state); [`render`] turns data into pixels on
//! any plotters backend; [`media`] records a race as a GIF or an MP4 file; [`web`] is
//! the only module that knows the browser. Nothing flows back up.

pub mod anatomy;
pub mod config;
pub mod field;
pub mod lab;
pub mod layout;
#[cfg(any(feature = "media", not(target_arch = "wasm32")))]
pub mod media;
pub mod nn;
pub mod optim;
pub mod rates;
pub mod render;
pub mod run;
pub mod surface;
pub mod text;
pub mod tune;
#[cfg(all(
    target_arch = "wasm32",
    any(feature = "optimizer-lab", feature = "network-lab", feature = "media")
))]
pub mod web;
#[cfg(any(test, feature = "media"))]
pub mod webm;

pub use config::{Error, Spec};
