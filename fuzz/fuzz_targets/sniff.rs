#![no_main]
//! `sniff` must classify any bytes without panicking, and agree with itself on any prefix of a pickle.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = mlsc_core::sniff(data);
    let _ = format.as_str();
    let _ = mlsc_core::pickle_protocol(data);
    let mut pos = 0;
    while let Ok(raw) = mlsc_core::pickle_ops::decode_at(data, pos) {
        assert!(raw.next > pos && raw.next <= data.len());
        pos = raw.next;
    }
});
