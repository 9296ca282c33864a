//! joblib's inline array data after a NumpyArrayWrapper: located and skipped so the stream goes on.

use super::*;

impl Machine<'_, '_> {
    /// joblib writes an array's bytes right after its wrapper's BUILD: skip them exactly as
    /// `NumpyArrayWrapper.read_array` reads them, or analyse them as the pickle they are for object arrays.
    pub(super) fn joblib_array<I: Input>(
        &mut self,
        inp: &mut I,
        f: JoblibFields,
        off: u64,
    ) -> io::Result<Step<()>> {
        // The wrapper is replaced by the array.
        let dtype = f.dtype.map(|d| self.dtypes[d as usize]);
        let Some(dtype) = dtype else {
            return Ok(Err(self.joblib_unknown(off, "its dtype is unknown")));
        };
        if dtype.object {
            // `pickle.load(unpickler.file_handle)`: a whole pickle, inline.
            let at = inp.offset();
            if self.depth + 1 >= self.opts.limits.max_depth {
                return Ok(Err(End::Limit(
                    at,
                    "joblib object arrays nested too deep".into(),
                )));
            }
            let mut inner = Machine::new(self.opts, self.depth + 1, self.whole);
            inner.nested_at = self.nested_at.clone();
            let stop = inner.run_stream(inp, true)?;
            let inner_out = std::mem::take(&mut inner.out);
            self.out.opcodes += inner_out.opcodes;
            for fnd in inner_out.findings {
                self.out.push(fnd);
            }
            self.out.inconclusive |= inner_out.inconclusive;
            for c in inner_out.calls {
                let s = self.out.summary(&c.callable, c.allowed, at);
                self.out.calls[s].count += c.count;
            }
            if stop.is_none() {
                return Ok(Err(End::Truncated(at, "inside a joblib object array")));
            }
            return Ok(Ok(()));
        }
        let (Some(count), Some(size)) = (f.count, dtype.itemsize) else {
            return Ok(Err(
                self.joblib_unknown(off, "its shape or item size is unknown")
            ));
        };
        if let Some(align) = f.align {
            let _ = align;
            let b = inp.fill(1)?;
            if b.is_empty() {
                return Ok(Err(End::Truncated(off, "before joblib array padding")));
            }
            let pad = u64::from(b[0]);
            inp.consume(1);
            if inp.skip(pad)? < pad {
                return Ok(Err(End::Truncated(off, "inside joblib array padding")));
            }
        }
        let Some(bytes) = count.checked_mul(size) else {
            return Ok(Err(self.joblib_unknown(off, "its size overflows")));
        };
        if inp.skip(bytes)? < bytes {
            return Ok(Err(End::Truncated(off, "inside joblib array data")));
        }
        Ok(Ok(()))
    }

    pub(super) fn joblib_unknown(&mut self, off: u64, why: &str) -> End {
        self.finding(
            &JOBLIB_ARRAY_UNREADABLE,
            Severity::Medium,
            off,
            format!("the joblib array after the NumpyArrayWrapper BUILD cannot be skipped: {why}"),
        );
        self.out.inconclusive = true;
        End::Limit(off, "joblib array data of unknown size".into())
    }
}
