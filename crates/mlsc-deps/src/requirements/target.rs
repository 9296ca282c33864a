//! The target environment that environment markers are evaluated for.

use std::fmt;
use std::str::FromStr;

use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

/// An operating system and machine, as markers see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// Linux on x86-64 (`sys_platform == "linux"`, `platform_machine == "x86_64"`).
    LinuxX86_64,
    /// Linux on 64-bit ARM (`platform_machine == "aarch64"`).
    LinuxAarch64,
    /// macOS on Apple silicon (`sys_platform == "darwin"`, `platform_machine == "arm64"`).
    MacosArm64,
    /// macOS on Intel (`platform_machine == "x86_64"`).
    MacosX86_64,
    /// Windows on x86-64 (`sys_platform == "win32"`, `platform_machine == "AMD64"`).
    WindowsAmd64,
}

impl Platform {
    /// Every platform, in the order `--platform` lists them.
    pub const ALL: [Platform; 5] = [
        Platform::LinuxX86_64,
        Platform::LinuxAarch64,
        Platform::MacosArm64,
        Platform::MacosX86_64,
        Platform::WindowsAmd64,
    ];

    /// The name accepted on the command line: `linux`, `linux-aarch64`, `macos`, `macos-x86_64`, `windows`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::LinuxX86_64 => "linux",
            Platform::LinuxAarch64 => "linux-aarch64",
            Platform::MacosArm64 => "macos",
            Platform::MacosX86_64 => "macos-x86_64",
            Platform::WindowsAmd64 => "windows",
        }
    }

    fn parts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        // (sys_platform, platform_system, os_name, platform_machine)
        match self {
            Platform::LinuxX86_64 => ("linux", "Linux", "posix", "x86_64"),
            Platform::LinuxAarch64 => ("linux", "Linux", "posix", "aarch64"),
            Platform::MacosArm64 => ("darwin", "Darwin", "posix", "arm64"),
            Platform::MacosX86_64 => ("darwin", "Darwin", "posix", "x86_64"),
            Platform::WindowsAmd64 => ("win32", "Windows", "nt", "AMD64"),
        }
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.to_ascii_lowercase();
        Ok(match s.as_str() {
            "linux" | "linux-x86_64" | "linux-x86-64" | "manylinux" => Platform::LinuxX86_64,
            "linux-aarch64" | "linux-arm64" => Platform::LinuxAarch64,
            "macos" | "darwin" | "macos-arm64" | "macos-aarch64" => Platform::MacosArm64,
            "macos-x86_64" | "macos-x86-64" | "darwin-x86_64" => Platform::MacosX86_64,
            "windows" | "win32" | "win-amd64" | "windows-amd64" | "windows-x86_64" => {
                Platform::WindowsAmd64
            }
            _ => {
                return Err(format!(
                    "unknown platform `{s}` (expected linux, linux-aarch64, macos, macos-x86_64 or windows)"
                ));
            }
        })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The environment dependencies are read for: a CPython version and a platform.
///
/// Markers (`; sys_platform == "win32"`, `; python_version < "3.10"`) are evaluated against this target, never
/// against the machine mlsc runs on: an audit on a Mac laptop of a service deployed on Linux must see what Linux
/// installs.
///
/// ```
/// use mlsc_deps::{Platform, Target};
///
/// let t = Target::default();
/// assert_eq!(t.to_string(), "cpython 3.12 linux");
/// let win = Target::new("3.10", Platform::WindowsAmd64).unwrap();
/// assert_eq!(win.python_version(), "3.10");
/// assert!(Target::new("three", Platform::LinuxX86_64).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Target {
    python_version: String,
    python_full_version: String,
    platform: Platform,
    env: MarkerEnvironment,
}

impl Target {
    /// CPython `python_version` (`3.12` or `3.12.4`) on `platform`.
    ///
    /// # Errors
    /// When the version is not `MAJOR.MINOR[.PATCH]`.
    pub fn new(python_version: &str, platform: Platform) -> Result<Self, crate::Error> {
        let parts: Vec<&str> = python_version.trim().split('.').collect();
        let ok = (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() < 6 && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(crate::Error::InvalidTarget {
                value: python_version.to_owned(),
                reason: "expected a python version such as 3.12 or 3.12.4".to_owned(),
            });
        }
        let short = format!("{}.{}", parts[0], parts[1]);
        let full = if parts.len() == 3 {
            python_version.trim().to_owned()
        } else {
            format!("{short}.0")
        };
        let (sys_platform, platform_system, os_name, machine) = platform.parts();
        let env = MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
            implementation_name: "cpython",
            implementation_version: &full,
            os_name,
            platform_machine: machine,
            platform_python_implementation: "CPython",
            platform_release: "",
            platform_system,
            platform_version: "",
            python_full_version: &full,
            python_version: &short,
            sys_platform,
        })
        .map_err(|e| crate::Error::InvalidTarget {
            value: python_version.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Target {
            python_version: short,
            python_full_version: full,
            platform,
            env,
        })
    }

    /// `3.12`.
    pub fn python_version(&self) -> &str {
        &self.python_version
    }

    /// `3.12.0`.
    pub fn python_full_version(&self) -> &str {
        &self.python_full_version
    }

    /// The platform.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The marker environment.
    pub fn marker_environment(&self) -> &MarkerEnvironment {
        &self.env
    }

    /// Evaluates a PEP 508 marker with `extras` active. `None` when the marker does not parse.
    pub fn evaluate(&self, marker: &str, extras: &[String]) -> Option<bool> {
        // pep508_rs 0.9.2 panics building the error message of some malformed markers with multi-byte
        // characters (it slices inside one; found by fuzzing). PEP 508 markers are ASCII in practice, so anything
        // else is reported as unparsed instead of being handed to it.
        if !marker.is_ascii() {
            return None;
        }
        let tree = pep508_rs::MarkerTree::from_str(marker).ok()?;
        let extras: Vec<pep508_rs::ExtraName> = extras
            .iter()
            .filter_map(|e| pep508_rs::ExtraName::from_str(e).ok())
            .collect();
        Some(tree.evaluate(&self.env, &extras))
    }
}

impl Default for Target {
    /// CPython 3.12 on Linux x86-64: the most common deployment target of ML services. It is documented and fixed
    /// (not the host) so that an audit gives the same answer on every machine.
    fn default() -> Self {
        Target::new("3.12", Platform::LinuxX86_64)
            .expect("3.12 is a valid python version because it is a literal MAJOR.MINOR")
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cpython {} {}", self.python_version, self.platform)
    }
}
