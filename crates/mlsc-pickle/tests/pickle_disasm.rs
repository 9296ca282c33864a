//! The disassembler prints what `python -m pickletools` prints, line for line, on the fixtures whose
//! `pickletools.dis` output the generator recorded in `tests/fixtures/pickle/dis/`.

use std::path::PathBuf;

#[test]
fn matches_pickletools() {
    let root = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pickle"
    ));
    let mut n = 0;
    for entry in std::fs::read_dir(root.join("dis")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        let source = root.join(name.trim_end_matches(".txt").replace("__", "/"));
        let data = std::fs::read(&source).unwrap();
        let d = mlsc_pickle::disassemble(&data, 0);
        assert!(d.error.is_none(), "{name}: {:?}", d.error);
        let mut ours: String = d
            .instructions
            .iter()
            .map(|i| i.pickletools_line() + "\n")
            .collect();
        ours.push_str(&format!(
            "highest protocol among opcodes = {}\n",
            d.max_proto
        ));
        let theirs = std::fs::read_to_string(&path).unwrap();
        for (i, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
            assert_eq!(a, b, "{name} line {}", i + 1);
        }
        assert_eq!(ours.lines().count(), theirs.lines().count(), "{name}");
        n += 1;
    }
    assert!(n >= 10);
}

#[test]
fn every_opcode_is_decoded_with_its_offset() {
    // A protocol 5 pickle using the protocol 4/5 opcodes.
    let data = b"\x80\x05\x95\x20\x00\x00\x00\x00\x00\x00\x00\x96\x02\x00\x00\x00\x00\x00\x00\x00ab\x97\x98\x8f\x94(\x90\x8a\x01\xff\x8b\x01\x00\x00\x00\x01e.";
    let d = mlsc_pickle::disassemble(data, 0);
    let names: Vec<&str> = d.instructions.iter().map(|i| i.name).collect();
    assert_eq!(
        names,
        [
            "PROTO",
            "FRAME",
            "BYTEARRAY8",
            "NEXT_BUFFER",
            "READONLY_BUFFER",
            "EMPTY_SET",
            "MEMOIZE",
            "MARK",
            "ADDITEMS",
            "LONG1",
            "LONG4",
            "APPENDS",
            "STOP"
        ]
    );
    assert_eq!(d.instructions[2].arg.as_deref(), Some("bytearray(b'ab')"));
    assert_eq!(d.instructions[9].arg.as_deref(), Some("-1"));
    assert_eq!(d.instructions[9].offset, 28);
}
