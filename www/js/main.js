// Entry point of the page: wires the views to the wasm core.
