//! Python code that loading a model runs: `.py` sources, the `code/` of TorchScript archives, the modules of
//! torch.package archives, and Hugging Face repositories that run their own code (`auto_map`,
//! `trust_remote_code`, local `_target_` classes).
//!
//! [`python`] is the analyser, a pure function of the source bytes. This module turns its facts into findings
//! (`MLSC-CODE-*`, [`RULES`]); [`torchscript`] judges TorchScript calls; [`repo`] is the directory-level check that
//! runs after the walk, when the configuration files of a directory can be read beside each other.

pub(crate) mod python;
pub(crate) mod repo;
pub(crate) mod rules;
pub(crate) mod torchscript;

use mlsc_core::{Finding, Location, Rule, Severity};

use self::python::{Category, PyFacts};
pub(crate) use self::rules::RULES;
use crate::scan::{Ctx, Here};

/// Most findings one source produces for dangerous calls; the rest are counted in the last one.
const MAX_FINDINGS_PER_SOURCE: usize = 32;

/// [`Ctx::emit`] for a `MLSC-CODE` rule.
pub(crate) fn emit<'c>(
    ctx: &'c mut Ctx<'_>,
    rule: &'static Rule,
    severity: Severity,
    location: Location,
    message: impl Into<String>,
) -> &'c mut Finding {
    ctx.emit(rule, severity, location, message)
}

/// [`Ctx::not_analysed`] for a `MLSC-CODE` rule: the verdict becomes inconclusive.
pub(crate) fn not_analysed(
    ctx: &mut Ctx<'_>,
    rule: &'static Rule,
    location: Location,
    message: String,
) {
    ctx.not_analysed(rule, location, message);
}

/// A finding for a [`crate::code::python::Reach`] outside a `ctx` (the repository check builds findings itself).
pub(crate) fn finding(
    rule: &'static Rule,
    severity: Severity,
    location: Location,
    message: String,
) -> Finding {
    rule.finding_at(severity, message).at(location)
}

/// True when `callable` (`pkg.mod.Class`) lives in one of the `packaged` modules of a torch.package archive and
/// cannot be a standard module the deny list ranks (a package may ship its own `os.py`; that name still means
/// danger to every other reader).
pub(crate) fn is_packaged(packaged: &[String], callable: &str) -> bool {
    const RESERVED: &[&str] = &[
        "builtins",
        "__builtin__",
        "os",
        "posix",
        "nt",
        "sys",
        "subprocess",
        "importlib",
        "runpy",
        "pickle",
        "_pickle",
        "socket",
        "shutil",
        "ctypes",
        "types",
        "code",
        "codeop",
        "pty",
        "marshal",
        "pydoc",
        "pkgutil",
        "operator",
        "functools",
        "copyreg",
        "io",
        "tempfile",
        "webbrowser",
        "torch",
        "numpy",
        "dill",
        "joblib",
    ];
    let root = callable.split('.').next().unwrap_or("");
    !RESERVED.contains(&root)
        && packaged.iter().any(|m| {
            callable
                .strip_prefix(m.as_str())
                .is_some_and(|rest| rest.starts_with('.') && !rest[1..].contains('.'))
        })
}

/// True for a file or member name that Python imports as a module.
pub(crate) fn is_python_name(loc: &Location) -> bool {
    let name = loc.members.last().unwrap_or(&loc.path);
    name.ends_with(".py")
}

/// The code and severity of a dangerous call that runs at import time.
fn at_import_code(category: Category) -> (&'static Rule, Severity) {
    match category {
        Category::Process => (&crate::rules::PYTHON_PROCESS_AT_IMPORT, Severity::Critical),
        Category::Eval => (&crate::rules::PYTHON_EVAL_AT_IMPORT, Severity::Critical),
        Category::DynamicImport => (&crate::rules::PYTHON_EVAL_AT_IMPORT, Severity::High),
        Category::FileWrite => (&crate::rules::PYTHON_FILE_WRITE_AT_IMPORT, Severity::High),
        Category::Network => (&crate::rules::PYTHON_NETWORK_AT_IMPORT, Severity::High),
        Category::Native => (&crate::rules::PYTHON_NATIVE_CODE_AT_IMPORT, Severity::High),
        Category::Deserialise => (&crate::rules::PYTHON_DESERIALISE_AT_IMPORT, Severity::High),
        Category::Obfuscated => (&crate::rules::PYTHON_OBFUSCATED_EXEC, Severity::Critical),
        Category::FileRead => (&crate::rules::PYTHON_FILE_READ_AT_IMPORT, Severity::Low),
    }
}

/// Analyses one Python source at `here`. Returns its facts, or `None` when it could not be analysed (then the
/// verdict is inconclusive and a finding says why). `what` names the source in messages ("Python source",
/// "TorchScript code", "packaged module").
pub(crate) fn analyse_source(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    here: &Here,
    what: &str,
) -> Option<PyFacts> {
    let facts = match python::analyse(data) {
        Ok(f) => f,
        Err(e) => {
            not_analysed(
                ctx,
                &crate::rules::PYTHON_UNPARSABLE,
                here.loc.clone(),
                format!("{what} not analysed: {e}; what it runs when loaded is unknown"),
            );
            return None;
        }
    };
    Some(facts)
}

/// Findings for the dangerous calls of analysed facts.
pub(crate) fn report_reaches(ctx: &mut Ctx<'_>, facts: &PyFacts, here: &Here, what: &str) {
    let mut emitted = 0usize;
    let mut dropped = 0usize;
    for r in &facts.reaches {
        if emitted == MAX_FINDINGS_PER_SOURCE {
            dropped += 1;
            continue;
        }
        emitted += 1;
        let loc = here.loc.clone().at_line(r.line);
        if r.import_time {
            let (code, sev) = at_import_code(r.category);
            let how = if r.scope == "<module>" {
                "at import time".to_owned()
            } else {
                format!("at import time (in `{}`, which runs on import)", r.scope)
            };
            emit(
                ctx,
                code,
                sev,
                loc,
                format!(
                    "{what} calls `{}` {how}: it {}",
                    r.name,
                    r.category.describe()
                ),
            );
        } else {
            let sev = if r.category == Category::Obfuscated {
                Severity::Medium
            } else {
                Severity::Low
            };
            let code = if r.category == Category::Obfuscated {
                &crate::rules::PYTHON_OBFUSCATED_EXEC
            } else {
                &crate::rules::PYTHON_REACH_IN_FUNCTION
            };
            let place = if r.scope == "<module>" {
                "under `if __name__ == \"__main__\"`".to_owned()
            } else {
                format!("in `{}`", r.scope)
            };
            emit(
                ctx,
                code,
                sev,
                loc,
                format!(
                    "{what} calls `{}` {place} ({}), which nothing calls at import time",
                    r.name,
                    r.category.describe()
                ),
            );
        }
    }
    if dropped > 0 {
        emit(
            ctx,
            &crate::rules::PYTHON_REACH_IN_FUNCTION,
            Severity::Low,
            here.loc.clone(),
            format!("{dropped} more dangerous call(s) in this {what} not listed"),
        );
    }
}

/// The modules a source imports, deduplicated, for a summary.
pub(crate) fn import_list(facts: &PyFacts, max: usize) -> String {
    let mut seen = std::collections::BTreeSet::new();
    for i in &facts.imports {
        seen.insert(i.module.as_str());
    }
    let n = seen.len();
    let mut list: Vec<String> = seen
        .into_iter()
        .take(max)
        .map(|m| format!("`{m}`"))
        .collect();
    if n > max {
        list.push(format!("{} more", n - max));
    }
    if list.is_empty() {
        "nothing".to_owned()
    } else {
        list.join(", ")
    }
}

/// A `.py` file met on its own (top level or an archive member): analysed, and an info summary when it does
/// nothing dangerous at import time. It stays a non-model file for the scanner.
pub(crate) fn scan_python_file(ctx: &mut Ctx<'_>, data: &[u8], here: &Here) {
    let Some(facts) = analyse_source(ctx, data, here, "Python source") else {
        return;
    };
    report_reaches(ctx, &facts, here, "Python source");
    if !facts.at_import().any(|r| r.category != Category::FileRead) {
        emit(
            ctx,
            &crate::rules::PYTHON_SOURCE,
            Severity::Info,
            here.loc.clone(),
            format!(
                "Python source; imports {}; calls nothing that starts processes, writes files, opens connections or evaluates code at import time",
                import_list(&facts, 12)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES
            .iter()
            .chain(crate::scan::RULES)
            .chain(crate::pickle::RULES)
        {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
        }
        for r in RULES {
            assert!(r.code.starts_with("MLSC-CODE-"), "{}", r.code);
            assert!(!r.summary.is_empty());
        }
        let list: Vec<String> = RULES
            .iter()
            .map(|r| format!("{} {} {} {:?}", r.code, r.name, r.default_severity, r.tags))
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}
