//! `sniff` on real headers: one file per format in `tests/fixtures/sniff/`, written by the reference libraries via
//! `tests/gen/gen_sniff.py`.

use std::path::PathBuf;

use mlsc_core::{Format, SNIFF_LEN, pickle_protocol, sniff};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/sniff")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sniff_file(name: &str) -> Format {
    let data = fixture(name);
    sniff(&data[..data.len().min(SNIFF_LEN)])
}

#[test]
fn every_fixture_has_its_format() {
    let cases = [
        ("pickle-p0.pkl", Format::Pickle),
        ("pickle-p1.pkl", Format::Pickle),
        ("pickle-p2.pkl", Format::Pickle),
        ("pickle-p3.pkl", Format::Pickle),
        ("pickle-p4.pkl", Format::Pickle),
        ("pickle-p5.pkl", Format::Pickle),
        ("pickle-ordereddict-p2.pkl", Format::Pickle),
        ("torch-legacy.pt", Format::PytorchLegacy),
        ("torch-zip.pt", Format::Zip),
        ("array-v1.npy", Format::Numpy),
        ("array-v2.npy", Format::Numpy),
        ("array-v3.npy", Format::Numpy),
        ("joblib-zf.pkl", Format::JoblibZf),
        ("pickle.gz", Format::Gzip),
        ("pickle.bz2", Format::Bzip2),
        ("pickle.xz", Format::Xz),
        ("pickle.lzma", Format::LzmaAlone),
        ("pickle.zlib", Format::Zlib),
        ("pickle.zst", Format::Zstd),
        ("pickle.lz4", Format::Lz4),
        ("ustar.tar", Format::Tar),
        ("gnu.tar", Format::Tar),
        ("archive.7z", Format::SevenZip),
        ("model.safetensors", Format::Safetensors),
        ("model.gguf", Format::Gguf),
        ("model.onnx", Format::Onnx),
        ("model.h5", Format::Hdf5),
        ("config.json", Format::Json),
        ("tokenizer.yaml", Format::Yaml),
        ("README.md", Format::Markdown),
        ("notes.txt", Format::Text),
        ("empty.bin", Format::Empty),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, want)| {
            let got = sniff_file(name);
            (got != *want).then(|| format!("{name}: got {got}, want {want}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn pickle_protocols_are_read_from_content() {
    for p in 0..=5u8 {
        let data = fixture(&format!("pickle-p{p}.pkl"));
        // Protocols 0 and 1 carry no PROTO opcode: both read as 0.
        assert_eq!(
            pickle_protocol(&data),
            Some(if p < 2 { 0 } else { p }),
            "protocol {p}"
        );
    }
    assert_eq!(pickle_protocol(&fixture("config.json")), None);
}

#[test]
fn a_prefix_is_enough() {
    // Scanners sniff the first bytes of a file: every format must survive being cut short (tar needs 512).
    for name in [
        "pickle-p0.pkl",
        "pickle-p4.pkl",
        "torch-zip.pt",
        "model.safetensors",
        "ustar.tar",
    ] {
        let data = fixture(name);
        let cut = &data[..data.len().min(600).max(data.len() * 2 / 3)];
        assert_eq!(sniff(cut), sniff(&data), "{name}");
    }
}

#[test]
fn the_extension_never_counts_and_noise_is_unknown() {
    // The same bytes under any name: sniff never sees a name. Random bytes and binary junk are unknown.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8 | 0x80
        })
        .collect();
    assert_eq!(sniff(&noise), Format::Unknown);
    assert_eq!(sniff(b"\x00\x01\x02\x03binary"), Format::Unknown);
    // Text that happens to start with pickle opcode letters is still text.
    assert_eq!(
        sniff(b"I am a model card without front matter.\n"),
        Format::Text
    );
    assert_eq!(sniff(b"cat\ndog\nbird and more words\n"), Format::Text);
    assert_eq!(sniff(b"S'unterminated\n"), Format::Text);
}

#[test]
fn polyglot_prefix_is_the_pickle() {
    // A pickle followed by a zip: torch unpickles the prefix, so sniff reports the pickle and containers look
    // for the zip trailer themselves.
    let mut data = fixture("pickle-p2.pkl");
    data.extend_from_slice(&fixture("torch-zip.pt"));
    assert_eq!(sniff(&data), Format::Pickle);
}

#[test]
fn fuzz_regression_empty_input_has_no_protocol() {
    // cargo fuzz (target `sniff`) found `pickle_protocol(b"")` indexing past the end.
    assert_eq!(pickle_protocol(b""), None);
    assert_eq!(sniff(b""), Format::Empty);
}

/// `pickle.dumps(obj, protocol=4)` with its `PROTO 4` and `FRAME` opcodes removed: `pickle.loads` runs it all the
/// same (neither opcode is required), so it must still be a pickle. `os.system('echo pwned')`, never run here.
const PROTOLESS_P4: &[u8] =
    b"\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x0aecho pwned\x94\x85\x94R\x94.";

#[test]
fn a_pickle_is_recognised_from_any_first_opcode() {
    assert_eq!(sniff(PROTOLESS_P4), Format::Pickle);
    assert_eq!(pickle_protocol(PROTOLESS_P4), Some(0));
    // Every protocol's own fixture, with its PROTO/FRAME header cut off, is still a pickle.
    for p in 2..=5u8 {
        let data = fixture(&format!("pickle-p{p}.pkl"));
        let body = if p >= 4 { &data[11..] } else { &data[2..] };
        assert_eq!(sniff(body), Format::Pickle, "protocol {p} without PROTO");
    }
    // Other first opcodes of binary protocols: EMPTY_DICT, BININT1, EMPTY_LIST, BINUNICODE, NEWTRUE, EMPTY_TUPLE.
    for data in [
        &b"}q\x00(X\x01\x00\x00\x00aq\x01K\x01u."[..],
        b"K\x07.",
        b"]\x94(K\x01K\x02e.",
        b"X\x03\x00\x00\x00abcq\x00.",
        b"\x88.",
        b").",
        b"cposix\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.",
    ] {
        assert_eq!(sniff(data), Format::Pickle, "{data:?}");
    }
}

#[test]
fn text_starting_with_an_opcode_byte_is_not_a_pickle() {
    // Every line starts with a byte that is a protocol-0/1 opcode; none obeys the unpickler's stack discipline.
    let texts: &[&[u8]] = &[
        b"(see the model card for details)\n",
        b"(a) the weights; (b) the tokenizer\n",
        b"cat\ndog\nbird and more words\n",
        b"config\nmodel\nb",
        b"I am a model card without front matter.\n",
        b"I0\nI1\nI2\n",
        b"S'quoted'\nS'again'\ns",
        b"]: not a list\n",
        b"}\n",
        b"] ] ] ] ]",
        b"Keras model exported on 2024-05-01.\n",
        b"LICENSE: Apache-2.0\n",
        b"Np.",
        b"N\n",
        b"Note: weights are in model.safetensors\n",
        b"VERSION 1\n",
        b"X-Header: 1\n",
        b"uuid = 1\n",
        b"0.1.2\n",
        b"\x88\x89\x88\x89",
        b"gpt2\n",
        b"p0\n",
        b"hello world\n",
    ];
    let wrong: Vec<String> = texts
        .iter()
        .filter(|t| sniff(t) == Format::Pickle)
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    assert!(wrong.is_empty(), "sniffed as pickle: {wrong:#?}");
}

#[test]
fn no_text_file_of_this_repository_is_a_pickle() {
    // Several hundred real text files (Rust, Python, Markdown, JSON, TOML): none is a pickle.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack = vec![
        root.join("crates"),
        root.join("tests/gen"),
        root.join("docs"),
    ];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with("target") && !p.ends_with("snapshots") {
                    stack.push(p);
                }
                continue;
            }
            let text = matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("rs" | "py" | "md" | "toml" | "txt" | "json" | "yaml" | "yml")
            );
            if !text {
                continue;
            }
            let data = std::fs::read(&p).expect("read");
            seen += 1;
            assert_ne!(
                sniff(&data[..data.len().min(SNIFF_LEN)]),
                Format::Pickle,
                "{}",
                p.display()
            );
        }
    }
    assert!(seen > 100, "only {seen} text files found");
}

#[test]
fn random_bytes_starting_with_opcodes_are_not_pickles() {
    // 20,000 pseudo-random buffers forced to start with each opcode byte: none passes as a pickle without PROTO.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 24) as u8
    };
    let mut hits = Vec::new();
    for op in mlsc_core::pickle_ops::OPCODES {
        if op.code == 0x80 {
            continue;
        }
        for _ in 0..300 {
            let mut buf: Vec<u8> = (0..512).map(|_| next()).collect();
            buf[0] = op.code;
            if sniff(&buf) == Format::Pickle {
                hits.push(buf[..16].to_vec());
            }
        }
    }
    assert!(
        hits.len() <= 2,
        "{} random buffers sniffed as pickles: {hits:?}",
        hits.len()
    );
}
