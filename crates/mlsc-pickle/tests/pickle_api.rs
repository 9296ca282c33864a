//! The analyser's contract beyond the fixture suite: limits make a verdict inconclusive with a finding, user
//! allowlist additions, call chains and offsets in findings, the list of resolved calls.

use mlsc_core::{Assessment, Completeness};
use mlsc_pickle::{AnalyseOptions, Policy, analyse_one, analyse_pickle};

/// `[{…} × n]` at protocol 4 with memoized dicts.
fn many_dicts(n: usize) -> Vec<u8> {
    let mut v = vec![0x80, 4, b']', 0x94, b'('];
    for i in 0..n {
        v.extend_from_slice(&[b'}', 0x94, 0x8c, 1, b'k', b'K', i as u8, b's']);
    }
    v.extend_from_slice(b"e.");
    v
}

#[test]
fn every_limit_is_inconclusive_with_a_finding() {
    let data = many_dicts(50);
    assert!(
        analyse_pickle(&data, &AnalyseOptions::default())
            .verdict
            .is_clean()
    );
    // The stack budget follows the input (one item per 8 bytes read, or the limit when more): a run of DUP
    // pushes one item per byte and outgrows it.
    let mut deep = vec![0x80, 4, b'N'];
    deep.extend(std::iter::repeat_n(b'2', 200));
    deep.push(b'.');
    type SetLimit = fn(&mut mlsc_core::Limits);
    let cases: [(&str, SetLimit); 1] = [("stack", |l| l.max_stack = 3)];
    let data = deep;
    for (what, set) in cases {
        let mut opts = AnalyseOptions::default();
        set(&mut opts.limits);
        let a = analyse_pickle(&data, &opts);
        assert_eq!(a.verdict.completeness, Completeness::Inconclusive, "{what}");
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "MLSC-PKL-000")
            .expect(what);
        assert!(f.message.contains(what), "{what}: {}", f.message);
        assert!(f.location.offset.is_some());
    }
}

#[test]
fn memo_and_opcode_budgets_follow_the_input() {
    // Every memo entry and every opcode costs at least one input byte, so their budgets are the configured limit
    // or the bytes read, whichever is more: a benign stream is never cut short for being large.
    let data = many_dicts(50);
    let mut opts = AnalyseOptions::default();
    opts.limits.max_memo = 10;
    opts.limits.max_opcodes = 20;
    let a = analyse_pickle(&data, &opts);
    assert_eq!(
        a.verdict.completeness,
        Completeness::Complete,
        "{:?}",
        a.findings
    );
    assert!(a.verdict.is_clean());
    assert!(a.opcodes > 20);
}

#[test]
fn user_allowlist_makes_an_unknown_class_clean_but_never_a_critical_one() {
    let data = b"\x80\x04\x8c\x0cmypkg.models\x8c\x03Net\x93)\x81.";
    let a = analyse_pickle(data, &AnalyseOptions::default());
    assert_eq!(a.verdict.assessment, Assessment::Suspicious);
    assert_eq!(a.findings[0].code, "MLSC-PKL-003");
    assert_eq!(a.calls[0].callable, "mypkg.models.Net");
    assert!(!a.calls[0].allowed);

    let mut opts = AnalyseOptions::default();
    opts.policy = Policy::default().with_allowed(["mypkg.models.*"]);
    let a = analyse_pickle(data, &opts);
    assert!(a.verdict.is_clean(), "{:?}", a.findings);
    assert!(a.calls[0].allowed);

    let evil = b"cos\nsystem\n(S'id'\ntR.";
    opts.policy = Policy::default().with_allowed(["os.system", "posix.system"]);
    assert_eq!(
        analyse_pickle(evil, &opts).verdict.assessment,
        Assessment::Malicious
    );
}

#[test]
fn findings_name_callable_opcode_offset_and_chain() {
    // builtins.getattr(importlib.import_module('os'), 'system')('id')
    let data = b"\x80\x04\x8c\x08builtins\x8c\x07getattr\x93\x8c\x09importlib\x8c\x0dimport_module\x93\x8c\x02os\x85R\x8c\x06system\x86R\x8c\x02id\x85R.";
    let a = analyse_pickle(data, &AnalyseOptions::default());
    assert_eq!(a.verdict.assessment, Assessment::Malicious);
    let last = a
        .findings
        .iter()
        .find(|f| f.message.contains("invokes `posix.system (os.system)`"))
        .expect("the resolved call is named");
    assert_eq!(last.code, "MLSC-PKL-001");
    assert!(last.message.contains("REDUCE"));
    assert!(
        last.message
            .contains("builtins.getattr(importlib.import_module('os'), 'system')('id')"),
        "{}",
        last.message
    );
    assert_eq!(last.location.offset, Some(data.len() as u64 - 2));
    let names: Vec<&str> = a.calls.iter().map(|c| c.callable.as_str()).collect();
    assert_eq!(
        names,
        [
            "importlib.import_module",
            "builtins.getattr",
            "posix.system"
        ]
    );
}

#[test]
fn torch_storages_are_expected_persistent_ids_and_others_are_noted() {
    // ('storage', torch.FloatStorage, '0', 'cpu', 4) through BINPERSID: nothing to report.
    let torch = b"\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQ.";
    let a = analyse_pickle(torch, &AnalyseOptions::default());
    assert!(a.verdict.is_clean(), "{:?}", a.findings);
    assert!(a.findings.is_empty());
    let other = b"Pwhatever\n.";
    let a = analyse_pickle(other, &AnalyseOptions::default());
    assert!(a.verdict.is_clean());
    assert_eq!(a.findings[0].code, "MLSC-PKL-013");
}

#[test]
fn analyse_one_ends_past_stop_and_reports_truncation() {
    let a = analyse_one(b"K\x01.K\x02.", &AnalyseOptions::default());
    assert_eq!(a.end, 3);
    let t = analyse_one(b"\x80\x04K\x01", &AnalyseOptions::default());
    assert_eq!(t.verdict.completeness, Completeness::Inconclusive);
    assert_eq!(t.findings[0].code, "MLSC-PKL-011");
}

#[test]
fn an_empty_stream_is_not_clean() {
    let a = analyse_pickle(b"", &AnalyseOptions::default());
    assert_eq!(a.verdict.completeness, Completeness::Inconclusive);
    assert_eq!(a.findings[0].code, "MLSC-PKL-011");
}
