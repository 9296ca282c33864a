//! The policy: allowlist profiles and the deny list, shipped as data files, plus the user's additions.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use mlsc_core::Severity;

/// The built-in allowlist profiles, by name: one data file per library (`profiles/README.md` gives the rule each
/// entry was reviewed against).
const PROFILES: &[(&str, &str)] = &[
    ("stdlib", include_str!("../../profiles/stdlib.txt")),
    ("numpy", include_str!("../../profiles/numpy.txt")),
    ("torch", include_str!("../../profiles/torch.txt")),
    ("sklearn", include_str!("../../profiles/sklearn.txt")),
    ("pandas", include_str!("../../profiles/pandas.txt")),
    ("scipy", include_str!("../../profiles/scipy.txt")),
    (
        "statsmodels",
        include_str!("../../profiles/statsmodels.txt"),
    ),
    (
        "transformers",
        include_str!("../../profiles/transformers.txt"),
    ),
    ("accelerate", include_str!("../../profiles/accelerate.txt")),
    (
        "sentence_transformers",
        include_str!("../../profiles/sentence_transformers.txt"),
    ),
    (
        "torchvision",
        include_str!("../../profiles/torchvision.txt"),
    ),
    ("timm", include_str!("../../profiles/timm.txt")),
    (
        "torch_distcp",
        include_str!("../../profiles/torch_distcp.txt"),
    ),
    ("gensim", include_str!("../../profiles/gensim.txt")),
    ("xgboost", include_str!("../../profiles/xgboost.txt")),
    ("lightgbm", include_str!("../../profiles/lightgbm.txt")),
    ("catboost", include_str!("../../profiles/catboost.txt")),
    ("spacy", include_str!("../../profiles/spacy.txt")),
    ("fastai", include_str!("../../profiles/fastai.txt")),
    ("pyarrow", include_str!("../../profiles/pyarrow.txt")),
    ("xarray", include_str!("../../profiles/xarray.txt")),
    ("imblearn", include_str!("../../profiles/imblearn.txt")),
    (
        "category_encoders",
        include_str!("../../profiles/category_encoders.txt"),
    ),
    ("optuna", include_str!("../../profiles/optuna.txt")),
    ("networkx", include_str!("../../profiles/networkx.txt")),
    ("nltk", include_str!("../../profiles/nltk.txt")),
    ("pillow", include_str!("../../profiles/pillow.txt")),
    ("omegaconf", include_str!("../../profiles/omegaconf.txt")),
];
const DENYLIST: &str = include_str!("../../profiles/denylist.tsv");
const COMPAT: &str = include_str!("../../profiles/compat_pickle.tsv");

/// How the policy classifies a resolved global.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// On an allowlist profile or allowed by the user.
    Allowed,
    /// On the deny list: severity and why.
    Denied(Severity, &'static str),
    /// On neither list.
    Unknown,
}

#[derive(Debug)]
struct Builtin {
    allowed: HashSet<&'static str>,
    /// Entries marked `@new`: allowed as NEWOBJ (`cls.__new__`) but not called (`cls(...)` runs `__init__`).
    new_only: HashSet<&'static str>,
    /// Which profile allows each allowed name (the first one that lists it).
    profile_of: HashMap<&'static str, &'static str>,
    allowed_by_profile: Vec<(&'static str, Vec<&'static str>)>,
    exact: HashMap<&'static str, Denial>,
    /// `module.*` patterns, without the `.*`.
    modules: HashMap<&'static str, Denial>,
    import_mapping: HashMap<&'static str, &'static str>,
    name_mapping: HashMap<(&'static str, &'static str), (&'static str, &'static str)>,
}

fn builtin() -> &'static Builtin {
    static B: OnceLock<Builtin> = OnceLock::new();
    B.get_or_init(|| {
        let mut allowed = HashSet::new();
        let mut profile_of = HashMap::new();
        let mut allowed_by_profile = Vec::new();
        let mut new_only = HashSet::new();
        for (name, text) in PROFILES {
            let names: Vec<&'static str> = data_lines(text)
                .map(|l| match l.strip_suffix("@new") {
                    Some(n) => {
                        new_only.insert(n.trim_end());
                        n.trim_end()
                    }
                    None => l,
                })
                .collect();
            allowed.extend(names.iter().copied());
            for n in &names {
                profile_of.entry(*n).or_insert(*name);
            }
            allowed_by_profile.push((*name, names));
        }
        let mut exact = HashMap::new();
        let mut modules = HashMap::new();
        for line in data_lines(DENYLIST) {
            let mut cols = line.splitn(3, '\t');
            let (Some(sev), Some(pat), Some(why)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let sev: Severity = sev.parse().expect(
                "the deny list's severities are valid because a unit test parses every line",
            );
            match pat.strip_suffix(".*") {
                Some(module) => modules.entry(module).or_insert((sev, why, pat)),
                None => exact.entry(pat).or_insert((sev, why, pat)),
            };
        }
        let mut import_mapping = HashMap::new();
        let mut name_mapping = HashMap::new();
        for line in data_lines(COMPAT) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            match cols.as_slice() {
                ["M", old, new] => {
                    import_mapping.insert(*old, *new);
                }
                ["N", om, on, nm, nn] => {
                    name_mapping.insert((*om, *on), (*nm, *nn));
                }
                _ => {}
            }
        }
        Builtin {
            allowed,
            new_only,
            profile_of,
            allowed_by_profile,
            exact,
            modules,
            import_mapping,
            name_mapping,
        }
    })
}

/// A deny list entry: severity, why, and the pattern as written (`os.*`).
type Denial = (Severity, &'static str, &'static str);

/// The data lines of a profile or list: blank lines and `#` comments (whole-line, or after a space) are dropped.
fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|l| l.split_once(" #").map_or(l, |(data, _)| data).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Which callables a pickle may invoke: allowlist profiles, deny list, user additions.
///
/// Deny by default: a callable on no allowlist is suspicious when invoked. The deny list only ranks and explains.
/// User additions may allow anything the deny list ranks below critical; critical entries (`os.system`,
/// `builtins.eval`, …) stay denied because no model needs them.
///
/// ```
/// use mlsc_pickle::Policy;
/// let policy = Policy::default().with_allowed(["mypkg.models.Net"]);
/// assert!(policy.is_allowed("mypkg.models.Net"));
/// assert!(policy.is_allowed("torch._utils._rebuild_tensor_v2"));
/// assert!(!policy.is_allowed("posix.system"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Policy {
    user: Arc<Vec<String>>,
    no_profiles: bool,
}

impl Policy {
    /// This policy, also allowing `names`: callables as `module.qualname`, or whole modules as `module.*`.
    #[must_use]
    pub fn with_allowed<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut user = (*self.user).clone();
        user.extend(names.into_iter().map(Into::into));
        self.user = Arc::new(user);
        self
    }

    /// A policy with no allowlist profile at all: every global is at least suspicious.
    #[must_use]
    pub fn without_profiles(mut self) -> Self {
        self.no_profiles = true;
        self
    }

    /// The built-in allowlist profiles and the callables each allows.
    pub fn profiles() -> Vec<(&'static str, Vec<&'static str>)> {
        builtin().allowed_by_profile.clone()
    }

    /// True when invoking `name` (a resolved dotted name such as `collections.OrderedDict`) gives no finding.
    pub fn is_allowed(&self, name: &str) -> bool {
        self.classify(name, None) == Class::Allowed
    }

    /// True when a profile allows `name` only as NEWOBJ (its `__init__` can reach files or the network).
    pub(crate) fn is_new_only(&self, name: &str) -> bool {
        !self.no_profiles
            && builtin().new_only.contains(name)
            && !self.user.iter().any(|u| u == name)
    }

    fn user_allows(&self, name: &str) -> bool {
        self.user.iter().any(|u| user_matches(u, name))
    }

    /// Classifies a resolved dotted name. `attr_from` is the index in `name` where attribute traversal inside the
    /// global's name starts (after the module), so that `torch.serialization.os.system` is matched as `os.system`.
    pub(crate) fn classify(&self, name: &str, attr_from: Option<usize>) -> Class {
        let b = builtin();
        if !self.no_profiles && b.allowed.contains(name) {
            return Class::Allowed;
        }
        let denied = deny(b, name, attr_from);
        if self.user_allows(name) && !matches!(denied, Some((Severity::Critical, ..))) {
            return Class::Allowed;
        }
        match denied {
            Some((sev, why, _)) => Class::Denied(sev, why),
            None => Class::Unknown,
        }
    }

    /// Which list or rule decides about `name`: the allowlist profile that holds it, the user's allowlist entry
    /// that matches it, the deny list pattern that ranks it, or none. Findings carry this as their evidence.
    ///
    /// ```
    /// use mlsc_pickle::Policy;
    /// let p = Policy::default().with_allowed(["mypkg.*"]);
    /// assert_eq!(p.decided_by("collections.OrderedDict"), "allowlist profile `stdlib`");
    /// assert_eq!(p.decided_by("mypkg.layers.Net"), "user allowlist entry `mypkg.*`");
    /// assert_eq!(p.decided_by("posix.system"), "deny list entry `posix.*`");
    /// assert_eq!(p.decided_by("foo.bar"), "no allowlist profile and no deny list entry");
    /// ```
    pub fn decided_by(&self, name: &str) -> String {
        let b = builtin();
        if !self.no_profiles
            && let Some(p) = b.profile_of.get(name)
        {
            return format!("allowlist profile `{p}`");
        }
        let denied = deny(b, name, name.find('.').map(|d| d + 1));
        if !matches!(denied, Some((Severity::Critical, ..)))
            && let Some(u) = self.user.iter().find(|u| user_matches(u, name))
        {
            return format!("user allowlist entry `{u}`");
        }
        match denied {
            Some((_, _, pat)) => format!("deny list entry `{pat}`"),
            None => "no allowlist profile and no deny list entry".to_owned(),
        }
    }
}

/// A user allowlist entry matches a callable exactly, or as a module prefix (`mypkg.*` matches `mypkg.a.B`).
fn user_matches(entry: &str, name: &str) -> bool {
    match entry.strip_suffix(".*") {
        Some(m) => name.strip_prefix(m).is_some_and(|r| r.starts_with('.')),
        None => entry == name,
    }
}

fn deny_one(b: &Builtin, name: &str) -> Option<Denial> {
    if let Some(&d) = b.exact.get(name) {
        return Some(d);
    }
    // Every module prefix, longest first: `numpy.testing._private.utils.runstring` meets `numpy.testing.*`.
    let mut end = name.len();
    while let Some(dot) = name[..end].rfind('.') {
        if let Some(&d) = b.modules.get(&name[..dot]) {
            return Some(d);
        }
        end = dot;
    }
    None
}

fn deny(b: &Builtin, name: &str, attr_from: Option<usize>) -> Option<Denial> {
    let mut worst = deny_one(b, name);
    // Attribute traversal: each attribute may be a module the parent imported (`serialization.os`), so every
    // suffix that starts at an attribute is matched too.
    if let Some(from) = attr_from {
        let mut i = from;
        while i < name.len() {
            let suffix = &name[i..];
            if suffix.contains('.')
                && let Some(d) = deny_one(b, suffix)
                && worst.is_none_or(|w| d.0 > w.0)
            {
                worst = Some(d);
            }
            match name[i..].find('.') {
                Some(d) => i += d + 1,
                None => break,
            }
        }
    }
    worst
}

/// What `find_class` does with a module and name at protocol < 3: CPython's `_compat_pickle` mapping.
pub(crate) fn compat_map<'a>(module: &'a str, name: &'a str) -> (&'a str, &'a str) {
    let b = builtin();
    if let Some(&(m, n)) = b.name_mapping.get(&(module, name)) {
        return (m, n);
    }
    if let Some(&m) = b.import_mapping.get(module) {
        return (m, name);
    }
    (module, name)
}

/// The name under which the object is known to the interpreter, when it differs: `os.system` is `posix.system`.
pub(crate) fn canonical(module: &str, name: &str) -> Option<String> {
    let first = name.split('.').next().unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    match module {
        // os re-exports posix (nt on Windows); these are the functions os.py defines itself.
        "os" if !OS_OWN.contains(&first) => Some(format!("posix.{name}")),
        "os.path" => Some(format!("posixpath.{name}")),
        "__builtin__" | "__builtins__" => Some(format!("builtins.{name}")),
        "_pickle" | "cPickle" => Some(format!("pickle.{name}")),
        "_io" => Some(format!("io.{name}")),
        "_operator" => Some(format!("operator.{name}")),
        "_functools" => Some(format!("functools.{name}")),
        "_codecs" if first != "encode" => Some(format!("codecs.{name}")),
        _ => None,
    }
}

/// Functions `os.py` defines itself rather than importing from `posix`.
const OS_OWN: &[&str] = &[
    "popen",
    "execl",
    "execle",
    "execlp",
    "execlpe",
    "execvp",
    "execvpe",
    "spawnl",
    "spawnle",
    "spawnlp",
    "spawnlpe",
    "spawnv",
    "spawnve",
    "spawnvp",
    "spawnvpe",
    "makedirs",
    "removedirs",
    "renames",
    "walk",
    "fwalk",
    "getenv",
    "putenv",
    "unsetenv",
    "environ",
    "fdopen",
    "get_exec_path",
    "path",
    "name",
    "sep",
    "fsencode",
    "fsdecode",
    "PathLike",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        for line in data_lines(DENYLIST) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "deny list line {line:?}");
            cols[0].parse::<Severity>().expect("severity");
        }
        let b = builtin();
        assert!(b.allowed.len() > 200);
        assert!(b.import_mapping.contains_key("__builtin__"));
        // No callable is both allowed and exactly denied.
        for name in &b.allowed {
            assert!(!b.exact.contains_key(name), "{name} is allowed and denied");
        }
    }

    #[test]
    fn classification() {
        let p = Policy::default();
        assert_eq!(p.classify("collections.OrderedDict", None), Class::Allowed);
        assert!(matches!(
            p.classify("posix.system", None),
            Class::Denied(Severity::Critical, _)
        ));
        assert!(matches!(
            p.classify("numpy.testing._private.utils.runstring", None),
            Class::Denied(Severity::Critical, _)
        ));
        let n = "torch.serialization.os.system";
        assert_eq!(p.classify(n, None), Class::Unknown);
        assert!(matches!(
            p.classify(n, Some(6)),
            Class::Denied(Severity::Critical, _)
        ));
        assert_eq!(p.classify("mypkg.code.Net", None), Class::Unknown);
        assert_eq!(compat_map("__builtin__", "eval"), ("builtins", "eval"));
        assert_eq!(
            compat_map("copy_reg", "_reconstructor"),
            ("copyreg", "_reconstructor")
        );
        assert_eq!(canonical("os", "system").as_deref(), Some("posix.system"));
        assert_eq!(canonical("os", "popen"), None);
        let user = Policy::default().with_allowed(["functools.partial", "os.system", "mypkg.*"]);
        assert_eq!(user.classify("functools.partial", None), Class::Allowed);
        assert!(matches!(
            user.classify("os.system", None),
            Class::Denied(..)
        ));
        assert_eq!(user.classify("mypkg.a.B", None), Class::Allowed);
        assert_eq!(user.classify("mypkgx.B", None), Class::Unknown);
    }
}
