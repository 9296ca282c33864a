//! The Hub's vocabularies (licence ids, pipeline tags, library names, language codes), loaded from a directory of
//! one-value-a-line files, or a small built-in fallback.

use std::collections::HashSet;
use std::path::Path;

use crate::Error;

/// The Hugging Face Hub's controlled vocabularies that card metadata is checked against.
///
/// The lists drift as the Hub changes, so a value outside them is a warning naming the list's source, never an
/// error. [`Vocabularies::load`] reads a directory laid out as `license-ids.txt`, `pipeline-tags.txt`,
/// `library-names.txt`, `lang-iso639-1.txt`, `lang-iso639-3.txt` (and optionally `task-ids.txt`), one value a line;
/// [`Vocabularies::builtin`] is a small list compiled in (the most used values), for when no directory is given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Vocabularies {
    /// Licence ids (`apache-2.0`, `other`, …).
    pub licenses: HashSet<String>,
    /// Pipeline tags (`text-generation`, …).
    pub pipeline_tags: HashSet<String>,
    /// Library names (`transformers`, …).
    pub libraries: HashSet<String>,
    /// Language codes (ISO 639-1 and 639-3), lowercase.
    pub languages: HashSet<String>,
    /// Sub-task ids (`task_ids` of dataset cards); empty when unknown, and then not checked.
    pub task_ids: HashSet<String>,
    /// Where the lists came from, named in every vocabulary finding: `built-in (2026-11)` or the directory.
    pub source: String,
}

/// Licence ids the Hub documents (hub-docs `repositories-licenses.md`), the subset in common use.
const BUILTIN_LICENSES: &[&str] = &[
    "apache-2.0",
    "mit",
    "openrail",
    "openrail++",
    "bigscience-openrail-m",
    "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m",
    "afl-3.0",
    "artistic-2.0",
    "bsl-1.0",
    "bsd",
    "bsd-2-clause",
    "bsd-3-clause",
    "bsd-3-clause-clear",
    "c-uda",
    "cc",
    "cc0-1.0",
    "cc-by-2.0",
    "cc-by-2.5",
    "cc-by-3.0",
    "cc-by-4.0",
    "cc-by-sa-3.0",
    "cc-by-sa-4.0",
    "cc-by-nc-2.0",
    "cc-by-nc-3.0",
    "cc-by-nc-4.0",
    "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0",
    "cc-by-nc-sa-2.0",
    "cc-by-nc-sa-3.0",
    "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0",
    "cdla-permissive-1.0",
    "cdla-permissive-2.0",
    "wtfpl",
    "ecl-2.0",
    "epl-1.0",
    "epl-2.0",
    "eupl-1.1",
    "eupl-1.2",
    "agpl-3.0",
    "gfdl",
    "gpl",
    "gpl-2.0",
    "gpl-3.0",
    "lgpl",
    "lgpl-2.1",
    "lgpl-3.0",
    "isc",
    "mpl-2.0",
    "odc-by",
    "odbl",
    "osl-3.0",
    "postgresql",
    "ofl-1.1",
    "ncsa",
    "unlicense",
    "zlib",
    "pddl",
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "gemma",
    "unknown",
    "other",
];

/// Long-standing pipeline tags of huggingface.js `pipelines.ts`.
const BUILTIN_PIPELINE_TAGS: &[&str] = &[
    "text-classification",
    "token-classification",
    "table-question-answering",
    "question-answering",
    "zero-shot-classification",
    "translation",
    "summarization",
    "feature-extraction",
    "text-generation",
    "fill-mask",
    "sentence-similarity",
    "text-to-speech",
    "text-to-audio",
    "automatic-speech-recognition",
    "audio-to-audio",
    "audio-classification",
    "voice-activity-detection",
    "depth-estimation",
    "image-classification",
    "object-detection",
    "image-segmentation",
    "text-to-image",
    "image-to-text",
    "image-to-image",
    "image-to-video",
    "unconditional-image-generation",
    "video-classification",
    "reinforcement-learning",
    "robotics",
    "tabular-classification",
    "tabular-regression",
    "table-to-text",
    "multiple-choice",
    "text-ranking",
    "text-retrieval",
    "time-series-forecasting",
    "text-to-video",
    "image-text-to-text",
    "visual-question-answering",
    "document-question-answering",
    "zero-shot-image-classification",
    "graph-ml",
    "mask-generation",
    "zero-shot-object-detection",
    "text-to-3d",
    "image-to-3d",
    "image-feature-extraction",
    "video-text-to-text",
    "keypoint-detection",
    "any-to-any",
    "other",
];

/// The most used library names of huggingface.js `model-libraries.ts`.
const BUILTIN_LIBRARIES: &[&str] = &[
    "adapter-transformers",
    "allennlp",
    "asteroid",
    "bertopic",
    "diffusers",
    "espnet",
    "fairseq",
    "fastai",
    "fasttext",
    "flair",
    "keras",
    "tf-keras",
    "k2",
    "mlx",
    "ml-agents",
    "nemo",
    "open_clip",
    "paddlenlp",
    "peft",
    "pyannote-audio",
    "sample-factory",
    "sentence-transformers",
    "setfit",
    "sklearn",
    "spacy",
    "span-marker",
    "speechbrain",
    "stable-baselines3",
    "stanza",
    "timm",
    "transformers",
    "transformers.js",
    "unity-sentis",
    "mlc-llm",
];

/// ISO 639-1 codes of the most represented languages on the Hub, plus the Hub's special values.
const BUILTIN_LANGUAGES: &[&str] = &[
    "af",
    "am",
    "ar",
    "as",
    "az",
    "be",
    "bg",
    "bn",
    "bo",
    "br",
    "bs",
    "ca",
    "cs",
    "cy",
    "da",
    "de",
    "el",
    "en",
    "eo",
    "es",
    "et",
    "eu",
    "fa",
    "fi",
    "fr",
    "ga",
    "gl",
    "gu",
    "ha",
    "he",
    "hi",
    "hr",
    "ht",
    "hu",
    "hy",
    "id",
    "ig",
    "is",
    "it",
    "ja",
    "jv",
    "ka",
    "kk",
    "km",
    "kn",
    "ko",
    "ku",
    "ky",
    "la",
    "lb",
    "lo",
    "lt",
    "lv",
    "mg",
    "mk",
    "ml",
    "mn",
    "mr",
    "ms",
    "mt",
    "my",
    "nb",
    "ne",
    "nl",
    "nn",
    "no",
    "ny",
    "oc",
    "or",
    "pa",
    "pl",
    "ps",
    "pt",
    "ro",
    "ru",
    "rw",
    "sa",
    "sd",
    "si",
    "sk",
    "sl",
    "so",
    "sq",
    "sr",
    "su",
    "sv",
    "sw",
    "ta",
    "te",
    "tg",
    "th",
    "tk",
    "tl",
    "tr",
    "tt",
    "ug",
    "uk",
    "ur",
    "uz",
    "vi",
    "wo",
    "xh",
    "yi",
    "yo",
    "zh",
    "zu",
    "code",
    "multilingual",
];

fn set(items: &[&str]) -> HashSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn read_list(path: &Path) -> Result<HashSet<String>, Error> {
    let text = fs_err::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

impl Vocabularies {
    /// The built-in lists: a subset (about 70 licences, 50 pipeline tags, 40 libraries, 110 languages) of the
    /// Hub's, as of 2026-11. Prefer [`Vocabularies::load`] with a current copy of the full lists.
    pub fn builtin() -> Vocabularies {
        Vocabularies {
            licenses: set(BUILTIN_LICENSES),
            pipeline_tags: set(BUILTIN_PIPELINE_TAGS),
            libraries: set(BUILTIN_LIBRARIES),
            languages: set(BUILTIN_LANGUAGES),
            task_ids: HashSet::new(),
            source: "built-in subset (2026-11)".to_owned(),
        }
    }

    /// Reads the lists from `dir`. The licence, pipeline-tag and library files are required; language files are
    /// optional (the built-in list is used when both are absent); `task-ids.txt` is optional.
    pub fn load(dir: impl AsRef<Path>) -> Result<Vocabularies, Error> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(Error::Input {
                path: dir.to_owned(),
                message: "not a directory of Hub vocabularies".to_owned(),
            });
        }
        let mut languages = HashSet::new();
        for name in ["lang-iso639-1.txt", "lang-iso639-3.txt"] {
            let p = dir.join(name);
            if p.is_file() {
                languages.extend(read_list(&p)?.into_iter().map(|l| l.to_lowercase()));
            }
        }
        if languages.is_empty() {
            languages = set(BUILTIN_LANGUAGES);
        }
        languages.extend(["code".to_owned(), "multilingual".to_owned()]);
        let task_ids = if dir.join("task-ids.txt").is_file() {
            read_list(&dir.join("task-ids.txt"))?
        } else {
            HashSet::new()
        };
        Ok(Vocabularies {
            licenses: read_list(&dir.join("license-ids.txt"))?,
            pipeline_tags: read_list(&dir.join("pipeline-tags.txt"))?,
            libraries: read_list(&dir.join("library-names.txt"))?,
            languages,
            task_ids,
            source: dir.display().to_string(),
        })
    }

    /// True when `code` (`en`, `eng`, `en-US`, `zh_Hans`) names a known language: its primary subtag is checked.
    pub fn is_language(&self, code: &str) -> bool {
        let primary = code.split(['-', '_']).next().unwrap_or(code).to_lowercase();
        self.languages.contains(&primary)
    }
}

impl Default for Vocabularies {
    fn default() -> Self {
        Vocabularies::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_and_load() {
        let b = Vocabularies::builtin();
        assert!(b.licenses.contains("apache-2.0"));
        assert!(b.is_language("en-US"));
        assert!(!b.is_language("xx"));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/hf-hub");
        if !Path::new(dir).is_dir() {
            #[allow(clippy::print_stderr)] // a skipped test says why
            {
                eprintln!("skipping: {dir} is absent");
            }
            return;
        }
        let v = Vocabularies::load(Path::new(dir)).unwrap();
        assert!(v.licenses.len() > b.licenses.len());
        assert!(
            v.licenses.is_superset(&b.licenses),
            "built-in licences must be Hub ids: {:?}",
            b.licenses.difference(&v.licenses).collect::<Vec<_>>()
        );
        assert!(
            v.pipeline_tags.is_superset(&b.pipeline_tags),
            "{:?}",
            b.pipeline_tags
                .difference(&v.pipeline_tags)
                .collect::<Vec<_>>()
        );
        assert!(
            v.libraries.is_superset(&b.libraries),
            "{:?}",
            b.libraries.difference(&v.libraries).collect::<Vec<_>>()
        );
        assert!(v.is_language("eng"));
        assert!(Vocabularies::load(Path::new("/nonexistent")).is_err());
    }
}
