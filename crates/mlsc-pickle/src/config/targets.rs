//! How a `_target_` is rated: the pickle policy first (its allowlist and deny list, shared with the pickle
//! analyser), then the config table `profiles/config_targets.tsv`, whose header explains the reasoning.

use std::sync::OnceLock;

use mlsc_core::Severity;

use crate::pickle::{Class, Policy, canonical};

const TABLE: &str = include_str!("../../profiles/config_targets.tsv");

/// What instantiating a target does, as far as a static look can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rating {
    /// On the pickle deny list: severity and why (the name matched, when a suffix matched).
    Denied(Severity, String),
    /// A generic instantiation or loading gadget from the config table.
    Gadget(Severity, String),
    /// Loads another artefact (a model, a checkpoint, a repository).
    Loader(String),
    /// Allowed by the pickle allowlist, or a class of a framework namespace.
    Known,
    /// A function of a framework namespace.
    FrameworkFunction,
    /// A private name in a framework namespace.
    FrameworkPrivate,
    /// Not a dotted Python name: Hydra cannot locate it.
    Invalid,
    /// On no list.
    Unknown,
}

#[derive(Debug)]
struct Table {
    frameworks: Vec<&'static str>,
    gadgets: Vec<(&'static str, Severity, &'static str)>,
    loaders: Vec<(&'static str, &'static str)>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Table {
            frameworks: Vec::new(),
            gadgets: Vec::new(),
            loaders: Vec::new(),
        };
        for line in TABLE.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            match cols.as_slice() {
                ["framework", p, _, _] => t.frameworks.push(p),
                ["gadget", p, sev, why] => t.gadgets.push((
                    p,
                    sev.parse().expect(
                        "the config table's severities are valid because a unit test parses every line",
                    ),
                    why,
                )),
                ["loader", p, _, why] => t.loaders.push((p, why)),
                _ => {}
            }
        }
        t
    })
}

fn matches(pattern: &str, name: &str) -> bool {
    if let Some(method) = pattern.strip_prefix("*.") {
        return name.rsplit('.').next() == Some(method) && name.contains('.');
    }
    if pattern.ends_with('.') {
        return name.starts_with(pattern);
    }
    pattern == name
}

/// Modules that packages commonly import and that a dotted walk can reach through another package
/// (`nemo.utils.os.system` is `os.system` when `nemo.utils` imports `os`). Suffix matches are limited to these:
/// matching every suffix against the whole deny list would rate `nemo.collections.common.data.io.X` as stdlib
/// `io`, a false positive on real configs.
const REACHABLE: &[&str] = &[
    "os",
    "posix",
    "nt",
    "subprocess",
    "sys",
    "builtins",
    "shutil",
    "socket",
    "pickle",
    "marshal",
    "importlib",
    "runpy",
    "pty",
    "ctypes",
    "pydoc",
    "pkgutil",
    "multiprocessing",
    "torch",
    "hydra",
    "yaml",
    "dill",
    "cloudpickle",
    "joblib",
    "numpy",
    "code",
    "webbrowser",
    "requests",
    "urllib",
];

/// True when `name` is a dotted Python name (`a.b.C`).
pub(crate) fn is_dotted(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|p| {
            let mut c = p.chars();
            c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
                && c.all(|x| x.is_alphanumeric() || x == '_')
        })
}

fn deny_rating(policy: &Policy, name: &str) -> Option<(Severity, String)> {
    let rate = |n: &str| -> Option<(Severity, String)> {
        let mut class = policy.classify(n, None);
        if let Some((m, rest)) = n.split_once('.')
            && let Some(c) = canonical(m, rest)
            && let Class::Denied(s, w) = policy.classify(&c, None)
            && !matches!(class, Class::Denied(s0, _) if s0 >= s)
        {
            class = Class::Denied(s, w);
        }
        match class {
            Class::Denied(s, why) => Some((s, why.to_owned())),
            _ => None,
        }
    };
    let mut worst = rate(name);
    let mut rest = name;
    while let Some((_, tail)) = rest.split_once('.') {
        rest = tail;
        let first = tail.split('.').next().unwrap_or(tail);
        if tail.contains('.')
            && REACHABLE.contains(&first)
            && let Some((s, why)) = rate(tail)
            && worst.as_ref().is_none_or(|w| s > w.0)
        {
            worst = Some((s, format!("{why} (`{tail}` reached through `{name}`)")));
        }
    }
    worst
}

/// Rates the dotted name a config instantiates.
pub(crate) fn rate(policy: &Policy, name: &str) -> Rating {
    if !is_dotted(name) {
        return Rating::Invalid;
    }
    let t = table();
    // A loader named in a config (`transformers.AutoModel.from_pretrained`) is rated by what the config asks of it
    // (medium; high with trust_remote_code), before the pickle deny list, which rates the same callable critical
    // because a pickle that calls it runs it with arguments the attacker chose.
    if let Some((_, why)) = t.loaders.iter().find(|(p, _)| matches(p, name)) {
        return Rating::Loader((*why).to_owned());
    }
    if let Some((s, why)) = deny_rating(policy, name) {
        return Rating::Denied(s, why);
    }
    if let Some((_, s, why)) = t.gadgets.iter().find(|(p, _, _)| matches(p, name)) {
        return Rating::Gadget(*s, (*why).to_owned());
    }
    if policy.is_allowed(name) {
        return Rating::Known;
    }
    if t.frameworks.iter().any(|p| name.starts_with(p)) {
        if name.split('.').any(|p| p.starts_with('_')) {
            return Rating::FrameworkPrivate;
        }
        let last = name.rsplit('.').next().unwrap_or(name);
        return if last.chars().next().is_some_and(char::is_uppercase) {
            Rating::Known
        } else {
            Rating::FrameworkFunction
        };
    }
    Rating::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses() {
        for line in TABLE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "{line:?}");
            assert!(
                matches!(cols[0], "framework" | "gadget" | "loader"),
                "{line:?}"
            );
            if cols[0] == "gadget" {
                cols[2].parse::<Severity>().expect("severity");
            }
        }
        let t = table();
        assert!(t.frameworks.len() > 20 && t.gadgets.len() > 10 && t.loaders.len() > 5);
    }

    #[test]
    fn ratings() {
        let p = Policy::default();
        assert!(matches!(
            rate(&p, "os.system"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "posix.system"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "builtins.eval"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "torch.hub.load"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "torch.load"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "nemo.utils.os.system"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "subprocess.Popen"),
            Rating::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "hydra.utils.get_method"),
            Rating::Gadget(Severity::Critical, _)
        ));
        assert!(matches!(
            rate(&p, "transformers.AutoModel.from_pretrained"),
            Rating::Loader(_)
        ));
        assert_eq!(
            rate(&p, "nemo.collections.asr.models.EncDecCTCModel"),
            Rating::Known
        );
        assert_eq!(
            rate(&p, "nemo.collections.common.data.io.Reader"),
            Rating::Known
        );
        assert_eq!(rate(&p, "torch.optim.AdamW"), Rating::Known);
        assert_eq!(rate(&p, "builtins.dict"), Rating::Known);
        assert_eq!(
            rate(&p, "torch.optim.lr_scheduler.get_x"),
            Rating::FrameworkFunction
        );
        assert_eq!(rate(&p, "lightning.pytorch.x._y"), Rating::FrameworkPrivate);
        assert_eq!(rate(&p, "mypkg.Net"), Rating::Unknown);
        assert_eq!(rate(&p, "os.system; echo"), Rating::Invalid);
    }
}
