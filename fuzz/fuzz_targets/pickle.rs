#![no_main]
//! The pickle analyser on any bytes: no panic, no hang, no allocation a length field asks for; the streaming path
//! agrees with the slice path; the disassembler never reads past the input.

use libfuzzer_sys::fuzz_target;
use mlsc_pickle::{AnalyseOptions, analyse_one, analyse_pickle, analyse_reader, disassemble};

fuzz_target!(|data: &[u8]| {
    let opts = AnalyseOptions::default();
    let a = analyse_pickle(data, &opts);
    assert!(a.end <= data.len());
    let one = analyse_one(data, &opts);
    assert!(one.end <= data.len());
    let b = analyse_reader(data, &opts).expect("reading a slice cannot fail");
    assert_eq!(a.verdict.assessment, b.verdict.assessment);
    let d = disassemble(data, 0);
    assert!(d.end as usize <= data.len());
    for i in &d.instructions {
        let _ = i.pickletools_line();
    }
});
