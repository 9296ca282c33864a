//! CVSS v3.0/v3.1 base scores from a vector string, by the specification's formula (FIRST, CVSS v3.1
//! Specification Document, section 7.1 and appendix A for `Roundup`).
//!
//! CVSS v4.0 is not scored here: its score is looked up in the specification's table of 270 macro vectors
//! and interpolated, which we do not carry; a v4 record is rated by its `database_specific.severity` word.

use mlsc_core::Severity;

/// The base score of a `CVSS:3.x/...` vector, in tenths (`98` for 9.8), or `None` when the vector is not a
/// complete v3 base vector.
pub(crate) fn v3_base_score(vector: &str) -> Option<u8> {
    let mut parts = vector.trim().split('/');
    let version = parts.next()?;
    if version != "CVSS:3.1" && version != "CVSS:3.0" {
        return None;
    }
    let (mut av, mut ac, mut pr, mut ui, mut s, mut c, mut i, mut a) =
        (None, None, None, None, None, None, None, None);
    for p in parts {
        let (k, v) = p.split_once(':')?;
        match k {
            "AV" => av = Some(v),
            "AC" => ac = Some(v),
            "PR" => pr = Some(v),
            "UI" => ui = Some(v),
            "S" => s = Some(v),
            "C" => c = Some(v),
            "I" => i = Some(v),
            "A" => a = Some(v),
            // Temporal and environmental metrics do not change the base score.
            _ => {}
        }
    }
    let changed = match s? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match av? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match ac? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (pr?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match ui? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |x: Option<&str>| -> Option<f64> {
        match x? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia(c)?, cia(i)?, cia(a)?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    let score = if impact <= 0.0 {
        0.0
    } else if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    };
    // 0.0..=10.0 in steps of 0.1, so the cast is exact.
    Some((score * 10.0).round() as u8)
}

/// CVSS v3.1 `Roundup`: the smallest number with one decimal that is at least `x`, computed on integers so that
/// floating-point error cannot push 4.000000001 to 4.1.
fn roundup(x: f64) -> f64 {
    let n = (x * 100_000.0).round() as i64;
    if n % 10_000 == 0 {
        n as f64 / 100_000.0
    } else {
        ((n / 10_000) + 1) as f64 / 10.0
    }
}

/// The qualitative rating of a score in tenths (CVSS v3.1 table 14): 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high,
/// 9.0–10.0 critical. A 0.0 score is rated low: the record still names a vulnerability.
pub(crate) fn rating(tenths: u8) -> Severity {
    match tenths {
        0..=39 => Severity::Low,
        40..=69 => Severity::Medium,
        70..=89 => Severity::High,
        _ => Severity::Critical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors with the scores NVD and the FIRST calculator give them (the CVEs are examples of each).
    #[test]
    fn known_vectors() {
        let cases = [
            // CVE-2021-44228 (Log4Shell): scope changed, everything high.
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100),
            // The most common network RCE vector.
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78),
            ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 59),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 53),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 65),
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0),
            // Temporal metrics are ignored for the base score.
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C",
                98,
            ),
        ];
        for (v, want) in cases {
            assert_eq!(v3_base_score(v), Some(want), "{v}");
        }
        assert_eq!(
            v3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            None
        );
        assert_eq!(v3_base_score("CVSS:3.1/AV:N/AC:L"), None);
        assert_eq!(
            v3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            None
        );
        assert_eq!(roundup(4.000_000_01), 4.0);
        assert_eq!(roundup(4.02), 4.1);
        assert_eq!(rating(98), Severity::Critical);
        assert_eq!(rating(75), Severity::High);
        assert_eq!(rating(53), Severity::Medium);
        assert_eq!(rating(39), Severity::Low);
    }
}
