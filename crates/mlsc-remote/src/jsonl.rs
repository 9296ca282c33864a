//! The JSON-lines stream of a bulk scan as a sink: each artefact's record, one line, as soon as it is judged.

use std::io::Write;
use std::sync::{Mutex, PoisonError};

use mlsc_core::{Finished, ScanSink};

/// A [`ScanSink`] that writes the record of each finished artefact ([`Finished::json`], which
/// [`scan_inputs`](crate::scan_inputs) sets) as one line to `W` and flushes it: standard output for a live
/// stream, a `Vec<u8>` to keep the lines for later. Records without JSON are skipped. The first write error
/// is kept (see [`JsonLines::error`]) and later lines are still attempted.
///
/// ```
/// use std::sync::Arc;
/// use mlsc_core::{Finished, ScanSink as _};
///
/// let lines = Arc::new(mlsc_remote::JsonLines::new(Vec::new()));
/// lines.finished(&Finished::new("a.bin").with_json(Some(r#"{"uri":"a.bin"}"#)));
/// assert_eq!(lines.take(), b"{\"uri\":\"a.bin\"}\n");
/// ```
#[derive(Debug)]
pub struct JsonLines<W> {
    out: Mutex<W>,
    failed: Mutex<Option<std::io::Error>>,
}

impl<W: Write> JsonLines<W> {
    /// Lines written to `out`.
    pub fn new(out: W) -> Self {
        JsonLines {
            out: Mutex::new(out),
            failed: Mutex::new(None),
        }
    }

    /// The first write error, taken (a closed pipe, a full disk), if any.
    pub fn error(&self) -> Option<std::io::Error> {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// What was written so far, taken, leaving an empty writer (for `W = Vec<u8>`).
    pub fn take(&self) -> W
    where
        W: Default,
    {
        std::mem::take(&mut *self.out.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<W: Write + Send> ScanSink for JsonLines<W> {
    fn finished(&self, done: &Finished<'_>) {
        let Some(json) = done.json else {
            return;
        };
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = writeln!(out, "{json}").and_then(|()| out.flush()) {
            self.failed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(e);
        }
    }
}
