//! The `bom` module (being written).
