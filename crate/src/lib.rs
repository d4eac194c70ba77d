//! gradscape: gradient-descent optimizers on 2D loss surfaces, in the notation of the
//! lecture "Neural networks and backpropagation".
//!
//! Data flows one way: [`surface`] and [`optim`] are pure maths; [`run`] and [`field`]
//! turn them into data (trajectories, sampled grids, contour lines); [`render`] turns
//! data into pixels on any plotters backend; [`web`] is the only module that knows the
//! browser. Nothing flows back up.

pub mod config;
pub mod field;
pub mod nn;
pub mod optim;
pub mod render;
pub mod run;
pub mod surface;
pub mod web;

pub use config::{Error, Spec};
