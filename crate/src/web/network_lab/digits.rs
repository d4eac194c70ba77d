//! The digits on the page's handle: loading them, and their views — the grid of
//! validation digits, the confusion matrix, the first layer's weights as images.

use super::NetworkLab;
use crate::lab::images::{Confusion, Prediction};
use crate::layout::Margins;
use crate::nn::network::Forward;
use crate::render::digits::{
    confusion_matrix, digit_grid, filter_colours, filter_grid, ink, note, ImageGrid,
};
use crate::web::canvas;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the digits' views keep between frames.
#[derive(Default)]
pub(super) struct Views {
    /// The grid the digits were last drawn in: `digit_at` maps the pointer through it.
    grid: Option<ImageGrid>,
    /// The validation digits' mosaic for that grid, which training does not change.
    mosaic: Vec<u8>,
    /// The forward pass over the validation set.
    forward: Forward,
    /// The predictions on the validation set, and the weights they were made for (the
    /// update after which, and whether training had stopped: early stopping may restore
    /// earlier weights). The grid and the confusion matrix share them, and a frame
    /// without an update reuses them.
    predictions: Option<((usize, bool), Vec<Prediction>)>,
}

impl Views {
    /// Weights changed without an update (a model was loaded): predict again.
    pub(super) fn weights_changed(&mut self) {
        self.predictions = None;
    }

    /// What [`NetworkLab::predict`] made last.
    fn predictions(&self) -> &[Prediction] {
        self.predictions.as_ref().map_or(&[], |(_, p)| p)
    }
}

/// Reads the digits (the bytes of `pkg/digits.bin`) for every lab to use: call it, then
/// open a lab with the dataset `digits`. A file that is not a digits file is an error
/// saying what is wrong with it.
#[wasm_bindgen]
pub fn load_digits(bytes: &[u8]) -> Result<(), JsError> {
    Ok(crate::nn::digits::load(bytes)?)
}

impl NetworkLab {
    /// Predicts the validation set for the weights as they are, once per update.
    fn predict(&mut self) {
        let t = self.runs.current().trainer();
        let weights = (t.updates, t.stopped.is_some());
        let views = &mut self.images;
        if views.predictions.as_ref().map(|(at, _)| *at) != Some(weights) {
            let made = self
                .runs
                .current()
                .validation_predictions(&mut views.forward);
            views.predictions = Some((weights, made));
        }
    }
}

#[wasm_bindgen]
impl NetworkLab {
    /// The validation digits, as many as fit in cells of at least 40 CSS pixels, in the
    /// validation set's order: each with the predicted class and its probability, the
    /// errors framed with their true class, the digit numbered `selected` (as `inspect`
    /// numbers it; −1 for none) ringed, under the title "validation: E errors of N".
    /// `scratch` is a canvas the images are put on before they are scaled. For data
    /// that are not images, a note.
    pub fn draw_digits(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
        selected: i32,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let area = canvas::area(canvas)?;
        let Some(shape) = self.lab().image() else {
            self.images.grid = None;
            note(
                &area,
                &layout,
                "the digits show here when the data are images",
            )?;
            return Ok(());
        };
        let grid = ImageGrid::filling(&layout, shape);
        if self.images.grid != Some(grid) {
            let pixels = self.lab().validation_images();
            self.images.mosaic = grid.mosaic(pixels.ncols(), |cell, p| ink(pixels[(p, cell)]));
            self.images.grid = Some(grid);
        }
        self.predict();
        let predictions = self.images.predictions();
        let selected = usize::try_from(selected).ok();
        let mosaic = &self.images.mosaic;
        digit_grid(&area, &layout, &grid, predictions, selected, || {
            if grid.cells() == 0 {
                return Ok(());
            }
            let width = grid.mosaic_size().0 as u32;
            canvas::put_scaled(canvas, scratch, mosaic, width, grid.placement())
        })?;
        Ok(())
    }

    /// The digit under device pixel (u, v) of the last `draw_digits` canvas, as
    /// `inspect` numbers it, or −1.
    pub fn digit_at(&self, u: f64, v: f64) -> i32 {
        let t = self.lab().trainer();
        self.images
            .grid
            .and_then(|grid| grid.cell_at(u, v))
            .filter(|&cell| cell < t.data.validation.len())
            .map_or(-1, |cell| (t.data.train.len() + cell) as i32)
    }

    /// The confusion matrix on the validation set: rows the true class, columns the
    /// predicted one, each cell coloured by its count and the count written in it. For
    /// a regression or without a validation set, a note.
    pub fn draw_confusion(
        &mut self,
        canvas: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let area = canvas::area(canvas)?;
        self.predict();
        let predictions = self.images.predictions();
        if predictions.is_empty() {
            note(
                &area,
                &layout,
                "the confusion matrix needs classes and a validation set",
            )?;
            return Ok(());
        }
        let confusion = Confusion::of(predictions, self.lab().status().classes);
        confusion_matrix(&area, &layout, &confusion)?;
        Ok(())
    }

    /// The first layer's weights, one image per unit (row j of W, a weight per pixel),
    /// in a grid as large as fits, on one diverging scale ±max |Wⱼᵢ| shared by all:
    /// blue positive, orange negative, white 0. `scratch` as for `draw_digits`. For
    /// data that are not images, a note.
    pub fn draw_filters(
        &mut self,
        canvas: &HtmlCanvasElement,
        scratch: &HtmlCanvasElement,
        pixel_ratio: f64,
    ) -> Result<(), JsError> {
        let layout = canvas::layout(canvas, pixel_ratio, Margins::SURFACE);
        let area = canvas::area(canvas)?;
        let Some(shape) = self.lab().image() else {
            note(
                &area,
                &layout,
                "the weights show as images when the data are images",
            )?;
            return Ok(());
        };
        let filters = self.lab().filters();
        let grid = ImageGrid::holding(&layout, shape, filters.rows.len());
        let colours = filter_colours(&filters);
        let mosaic = grid.mosaic(colours.len(), |cell, p| colours[cell][p]);
        filter_grid(&area, &layout, &grid, &filters, || {
            let width = grid.mosaic_size().0 as u32;
            canvas::put_scaled(canvas, scratch, &mosaic, width, grid.placement())
        })?;
        Ok(())
    }
}
