//! The `requirements` module (being written).
