//! The `vuln` module (being written).
