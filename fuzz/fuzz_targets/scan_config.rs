#![no_main]
//! The config analyser (YAML, JSON, TOML, chat templates, configs replayed from pickles) on any bytes: never a
//! panic, a hang or an allocation the input asks for. The first byte picks the name the bytes are scanned under,
//! which picks the language; a pickle mode prefixes a `_target_` string so the pickle replay always runs.

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "config.yaml",
    "config.json",
    "config.toml",
    "tokenizer_config.json",
    "chat_template.jinja",
    "notes",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut options = mlsc_pickle::ScanOptions::default();
    options.max_memory_bytes = 64 << 20;
    options.limits.max_decompressed_bytes = 64 << 20;
    let report = if usize::from(mode) % (NAMES.len() + 1) == NAMES.len() {
        let mut input = b"\x80\x04\x8c\x08_target_\x94".to_vec();
        input.extend_from_slice(rest);
        mlsc_pickle::scan_bytes("model.pkl", &input, &options)
    } else {
        mlsc_pickle::scan_bytes(NAMES[usize::from(mode) % (NAMES.len() + 1)], rest, &options)
    };
    assert_eq!(report.artifacts.len(), 1);
});
