//! Hugging Face Hub licence ids to CycloneDX licences: an SPDX id where one exists, a named licence otherwise.
//!
//! The Hub's `license:` values look like SPDX ids but are not all SPDX (`openrail`, `llama3.2`, `gemma`, `other`).
//! The table below is the Hub's documented list (hub-docs `repositories-licenses.md`) with, for each id, the SPDX id
//! of the same licence or the licence's full name. Every SPDX id in it is in the SPDX list of the CycloneDX 1.6
//! schema (`spdx.schema.json`), which is older than the SPDX crate's list: `CreativeML-OpenRAIL-M` is a valid SPDX
//! id today but not in the 1.6 schema, so it is written as a named licence. The Hub's unversioned GPL-family ids
//! (`gpl-3.0`) link to the licence text without an "or later" grant, so they map to the `-only` ids.

use crate::bom::model::LicenseChoice;

/// What a Hub licence id maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mapped {
    /// A valid SPDX id (and in the CycloneDX 1.6 schema's list).
    Spdx(&'static str),
    /// A licence with no SPDX id: its name.
    Named(&'static str),
}

use Mapped::{Named, Spdx};

/// The Hub's licence ids, in the Hub's order.
const HUB_LICENSES: &[(&str, Mapped)] = &[
    ("apache-2.0", Spdx("Apache-2.0")),
    ("mit", Spdx("MIT")),
    ("openrail", Named("OpenRAIL")),
    ("bigscience-openrail-m", Named("BigScience OpenRAIL-M")),
    ("creativeml-openrail-m", Named("CreativeML OpenRAIL-M")),
    (
        "bigscience-bloom-rail-1.0",
        Named("BigScience BLOOM RAIL 1.0"),
    ),
    ("bigcode-openrail-m", Named("BigCode Open RAIL-M v1")),
    ("afl-3.0", Spdx("AFL-3.0")),
    ("artistic-2.0", Spdx("Artistic-2.0")),
    ("bsl-1.0", Spdx("BSL-1.0")),
    ("bsd", Named("BSD license family")),
    ("bsd-2-clause", Spdx("BSD-2-Clause")),
    ("bsd-3-clause", Spdx("BSD-3-Clause")),
    ("bsd-3-clause-clear", Spdx("BSD-3-Clause-Clear")),
    ("c-uda", Spdx("C-UDA-1.0")),
    ("cc", Named("Creative Commons license family")),
    ("cc0-1.0", Spdx("CC0-1.0")),
    ("cc-by-2.0", Spdx("CC-BY-2.0")),
    ("cc-by-2.5", Spdx("CC-BY-2.5")),
    ("cc-by-3.0", Spdx("CC-BY-3.0")),
    ("cc-by-4.0", Spdx("CC-BY-4.0")),
    ("cc-by-sa-3.0", Spdx("CC-BY-SA-3.0")),
    ("cc-by-sa-4.0", Spdx("CC-BY-SA-4.0")),
    ("cc-by-nc-2.0", Spdx("CC-BY-NC-2.0")),
    ("cc-by-nc-3.0", Spdx("CC-BY-NC-3.0")),
    ("cc-by-nc-4.0", Spdx("CC-BY-NC-4.0")),
    ("cc-by-nd-4.0", Spdx("CC-BY-ND-4.0")),
    ("cc-by-nc-nd-3.0", Spdx("CC-BY-NC-ND-3.0")),
    ("cc-by-nc-nd-4.0", Spdx("CC-BY-NC-ND-4.0")),
    ("cc-by-nc-sa-2.0", Spdx("CC-BY-NC-SA-2.0")),
    ("cc-by-nc-sa-3.0", Spdx("CC-BY-NC-SA-3.0")),
    ("cc-by-nc-sa-4.0", Spdx("CC-BY-NC-SA-4.0")),
    ("cdla-sharing-1.0", Spdx("CDLA-Sharing-1.0")),
    ("cdla-permissive-1.0", Spdx("CDLA-Permissive-1.0")),
    ("cdla-permissive-2.0", Spdx("CDLA-Permissive-2.0")),
    ("wtfpl", Spdx("WTFPL")),
    ("ecl-2.0", Spdx("ECL-2.0")),
    ("epl-1.0", Spdx("EPL-1.0")),
    ("epl-2.0", Spdx("EPL-2.0")),
    ("etalab-2.0", Spdx("etalab-2.0")),
    ("eupl-1.1", Spdx("EUPL-1.1")),
    ("eupl-1.2", Spdx("EUPL-1.2")),
    ("agpl-3.0", Spdx("AGPL-3.0-only")),
    ("gfdl", Named("GNU Free Documentation License family")),
    ("gpl", Named("GNU General Public License family")),
    ("gpl-2.0", Spdx("GPL-2.0-only")),
    ("gpl-3.0", Spdx("GPL-3.0-only")),
    ("lgpl", Named("GNU Lesser General Public License family")),
    ("lgpl-2.1", Spdx("LGPL-2.1-only")),
    ("lgpl-3.0", Spdx("LGPL-3.0-only")),
    ("isc", Spdx("ISC")),
    ("h-research", Named("H Research License")),
    (
        "intel-research",
        Named("Intel Research Use License Agreement"),
    ),
    ("lppl-1.3c", Spdx("LPPL-1.3c")),
    ("ms-pl", Spdx("MS-PL")),
    ("apple-ascl", Named("Apple Sample Code License")),
    (
        "apple-amlr",
        Named("Apple Machine Learning Research Model License"),
    ),
    ("mpl-2.0", Spdx("MPL-2.0")),
    ("odc-by", Spdx("ODC-By-1.0")),
    ("odbl", Spdx("ODbL-1.0")),
    // In the 1.6 schema's SPDX list but not in the SPDX crate's: named, so our own validator agrees.
    ("openmdw-1.0", Named("OpenMDW License Agreement 1.0")),
    ("openmdw-1.1", Named("OpenMDW License Agreement 1.1")),
    ("openrail++", Named("OpenRAIL++-M")),
    ("osl-3.0", Spdx("OSL-3.0")),
    ("postgresql", Spdx("PostgreSQL")),
    ("ofl-1.1", Spdx("OFL-1.1")),
    ("ncsa", Spdx("NCSA")),
    ("unlicense", Spdx("Unlicense")),
    ("zlib", Spdx("Zlib")),
    ("pddl", Spdx("PDDL-1.0")),
    (
        "lgpl-lr",
        Named("Lesser General Public License For Linguistic Resources"),
    ),
    (
        "deepfloyd-if-license",
        Named("DeepFloyd IF Research License Agreement"),
    ),
    (
        "fair-noncommercial-research-license",
        Named("FAIR Noncommercial Research License"),
    ),
    ("llama2", Named("Llama 2 Community License Agreement")),
    ("llama3", Named("Meta Llama 3 Community License Agreement")),
    ("llama3.1", Named("Llama 3.1 Community License Agreement")),
    ("llama3.2", Named("Llama 3.2 Community License Agreement")),
    ("llama3.3", Named("Llama 3.3 Community License Agreement")),
    ("llama4", Named("Llama 4 Community License Agreement")),
    (
        "grok2-community",
        Named("Grok 2 Community License Agreement"),
    ),
    ("gemma", Named("Gemma Terms of Use")),
];

/// The Hub licence ids this table knows, for tests and documentation.
pub fn hub_license_ids() -> impl Iterator<Item = &'static str> {
    HUB_LICENSES
        .iter()
        .map(|(id, _)| *id)
        .chain(["unknown", "other"])
}

/// True when `id` is an SPDX licence id that may be written as `license.id`: known to the SPDX crate, not
/// deprecated, and not one of the ids too new for the CycloneDX 1.6 schema's list.
pub fn is_valid_spdx_id(id: &str) -> bool {
    match spdx::license_id(id) {
        Some(lic) => lic.name == id && !lic.is_deprecated() && !TOO_NEW.contains(&id),
        None => false,
    }
}

/// SPDX ids the SPDX crate knows but the CycloneDX 1.6 schema's `spdx.schema.json` does not (found by the test
/// that checks every Hub-derived id against the schema).
const TOO_NEW: &[&str] = &["CreativeML-OpenRAIL-M", "OpenMDW-1.1"];

/// The CycloneDX licence of a Hub `license:` value. `name` and `link` are the card's `license_name` and
/// `license_link`, used for `other` (and for any named licence that has them). Returns `None` for `unknown`.
///
/// An id not in the Hub's list becomes an SPDX id only when it is exactly one (case aside); anything else is kept
/// as a named licence: never an invalid SPDX id.
pub fn hub_license(value: &str, name: Option<&str>, link: Option<&str>) -> Option<LicenseChoice> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let key = value.to_ascii_lowercase();
    let url = link.map(str::to_owned);
    match key.as_str() {
        "unknown" => return None,
        "other" => {
            return Some(LicenseChoice::named(
                name.filter(|n| !n.trim().is_empty()).unwrap_or("other"),
                url,
            ));
        }
        _ => {}
    }
    if let Some((_, mapped)) = HUB_LICENSES.iter().find(|(id, _)| *id == key) {
        return Some(match *mapped {
            Spdx(id) => {
                let mut choice = LicenseChoice::spdx(id);
                if let (LicenseChoice::License { license }, Some(u)) = (&mut choice, url) {
                    license.url = Some(u);
                }
                choice
            }
            Named(n) => LicenseChoice::named(n, url),
        });
    }
    // Not a Hub id: an exact SPDX id (any case) is kept as its canonical id.
    if let Some((id, _, _)) = spdx::identifiers::LICENSES
        .iter()
        .find(|(id, _, _)| id.eq_ignore_ascii_case(value))
        && is_valid_spdx_id(id)
    {
        return Some(LicenseChoice::spdx(*id));
    }
    Some(LicenseChoice::named(value, url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bom::model::License;

    fn id_of(c: &LicenseChoice) -> (Option<String>, Option<String>) {
        match c {
            LicenseChoice::License {
                license: License { id, name, .. },
            } => (id.clone(), name.clone()),
            LicenseChoice::Expression { .. } => panic!("expression"),
        }
    }

    #[test]
    fn every_spdx_target_is_valid_and_every_id_is_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (id, mapped) in HUB_LICENSES {
            assert!(seen.insert(*id), "duplicate {id}");
            if let Spdx(s) = mapped {
                assert!(is_valid_spdx_id(s), "{id} -> {s} is not a valid SPDX id");
            }
        }
    }

    #[test]
    fn maps_hub_ids() {
        assert_eq!(
            id_of(&hub_license("apache-2.0", None, None).unwrap()),
            (Some("Apache-2.0".into()), None)
        );
        assert_eq!(
            id_of(&hub_license("llama2", None, None).unwrap()),
            (None, Some("Llama 2 Community License Agreement".into()))
        );
        assert_eq!(
            id_of(&hub_license("other", Some("acme-license"), Some("LICENSE")).unwrap()),
            (None, Some("acme-license".into()))
        );
        assert!(hub_license("unknown", None, None).is_none());
        // Not a Hub id but an SPDX id in another case.
        assert_eq!(
            id_of(&hub_license("apache-1.1", None, None).unwrap()),
            (Some("Apache-1.1".into()), None)
        );
        // Neither: named, never an invalid id.
        assert_eq!(
            id_of(&hub_license("Apache 2", None, None).unwrap()),
            (None, Some("Apache 2".into()))
        );
        assert!(!is_valid_spdx_id("Apache-2"));
        assert!(!is_valid_spdx_id("CreativeML-OpenRAIL-M"));
    }
}
