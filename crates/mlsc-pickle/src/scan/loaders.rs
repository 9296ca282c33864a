//! Which ML loader a file's name calls. Formats are identified by content only; the name is consulted for one
//! thing: when the content is *not* identified as a model format, a name that makes a loader open it anyway
//! (`model.pkl` full of bytes mlsc cannot read) must not pass as clean. `pickle.load` does not look at magic
//! bytes, and neither do the loaders below.

use mlsc_core::Location;

/// Extensions and the loader that opens files so named, lowercase, without the dot.
const LOADERS: &[(&str, &str)] = &[
    ("pkl", "`pickle.load`"),
    ("pickle", "`pickle.load`"),
    ("pck", "`pickle.load`"),
    ("dill", "`dill.load`"),
    ("pt", "`torch.load`"),
    ("pth", "`torch.load`"),
    ("bin", "`torch.load` (transformers' `pytorch_model.bin`)"),
    ("ckpt", "`torch.load` (Lightning checkpoints)"),
    ("pt2", "`torch.export.load`"),
    ("joblib", "`joblib.load`"),
    ("sav", "`joblib.load`"),
    ("safetensors", "`safetensors.safe_open`"),
    ("gguf", "llama.cpp's GGUF loader"),
    ("ggml", "llama.cpp's GGML loader"),
    ("onnx", "`onnx.load` / ONNX Runtime"),
    ("keras", "`keras.saving.load_model`"),
    ("h5", "`keras.models.load_model` (HDF5)"),
    ("hdf5", "`keras.models.load_model` (HDF5)"),
    ("npy", "`numpy.load`"),
    ("npz", "`numpy.load`"),
    ("nemo", "NeMo's `restore_from`"),
    ("mar", "TorchServe's model archiver"),
    ("msgpack", "`flax.serialization.msgpack_restore`"),
    ("pb", "`tf.saved_model.load`"),
    ("tflite", "the TensorFlow Lite interpreter"),
];

/// Compression suffixes a loader strips (`model.pkl.gz` is a pickle to `joblib.load` and `pandas.read_pickle`).
const COMPRESSED: &[&str] = &["gz", "bz2", "xz", "lzma", "zst", "lz4", "z"];

/// The name a part is known by, and the loader that name calls, if any.
pub(crate) fn loader_for(loc: &Location) -> Option<(String, &'static str)> {
    // The innermost real name: `<gzip>` and the like name a decompressed stream after its container.
    let mut strip = 0;
    let mut name = None;
    for m in loc.members.iter().rev() {
        if m.starts_with('<') && m.ends_with('>') {
            strip += 1;
        } else {
            name = Some(m.as_str());
            break;
        }
    }
    let name = name.unwrap_or(&loc.path);
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut stem = base;
    for _ in 0..strip {
        match stem.rsplit_once('.') {
            Some((s, ext)) if COMPRESSED.contains(&ext.to_ascii_lowercase().as_str()) => stem = s,
            _ => break,
        }
    }
    let ext = stem.rsplit_once('.')?.1.to_ascii_lowercase();
    let loader = LOADERS.iter().find(|(e, _)| *e == ext)?.1;
    Some((stem.to_owned(), loader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_call_loaders() {
        let at = |path: &str, members: &[&str]| {
            let mut l = Location::file(path);
            for m in members {
                l = l.member(*m);
            }
            loader_for(&l).map(|(n, _)| n)
        };
        assert_eq!(at("dir/model.PKL", &[]), Some("model.PKL".into()));
        assert_eq!(
            at("model.nemo", &["./weights/model.ckpt"]),
            Some("model.ckpt".into())
        );
        assert_eq!(at("model.pkl.gz", &["<gzip>"]), Some("model.pkl".into()));
        assert_eq!(at("notes.txt", &[]), None);
        assert_eq!(at("README", &[]), None);
        assert_eq!(at("archive.tar.gz", &["<gzip>"]), None);
    }
}
