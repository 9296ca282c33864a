//! Nested pickles: bytes handed to a known loader inside the pickle are analysed as pickles of their own.

use super::*;

impl Machine<'_, '_> {
    /// True when `v` holds kept bytes that start like a pickle of protocol 2 to 5 and end with STOP.
    pub(super) fn looks_like_pickle(&self, v: &Value) -> bool {
        self.text_of(v).is_some_and(|b| {
            b.len() >= 4
                && b[0] == op::PROTO
                && (2..=5).contains(&b[1])
                && b.last() == Some(&op::STOP)
        })
    }

    /// The arguments of a loader: every bytes argument is a payload (the first of `pickle.loads`, the second of a
    /// datapipe decoder `basichandlers(extension, data)` or of an unbound `ConfigModule.load_config(self, data)`,
    /// several for spaCy's `unpickle_vocab`). A payload that cannot be read back is not analysed: inconclusive.
    pub(super) fn nested_loader_args(&mut self, callee: &Value, items: &[Value], off: u64) {
        let mut any = false;
        for v in items {
            let bytes_like = matches!(
                v,
                Value::ShortBytes(_)
                    | Value::Bytes(..)
                    | Value::Span { bytes: true, .. }
                    | Value::Long(_)
            );
            if self.looks_like_pickle(v) || (bytes_like && self.text_of(v).is_none()) {
                any = true;
                self.nested(callee, Some(*v), off);
            }
        }
        if !any {
            // No argument is a pickle: `pickle.loads(b'')` and similar; the loader's own finding stands, and the
            // first argument is still tried so that a short or odd payload is reported as what it is.
            self.nested(callee, items.first().copied(), off);
        }
    }

    /// Arguments of a call that are whole pickles: each is analysed as a nested pickle.
    pub(super) fn nested_args(&mut self, callee: &Value, items: &[Value], off: u64) {
        for v in items {
            if self.looks_like_pickle(v) {
                self.nested(callee, Some(*v), off);
            }
        }
    }

    /// Analyses the bytes handed to a loader as a pickle of their own.
    pub(super) fn nested(&mut self, callee: &Value, arg: Option<Value>, off: u64) {
        let mut name = String::new();
        self.render(callee, 0, &mut name);
        let Some(arg) = arg else { return };
        let bytes: Option<Vec<u8>> = self.text_of(&arg).map(<[u8]>::to_vec);
        let Some(bytes) = bytes else {
            if matches!(arg, Value::Long(_) | Value::Span { bytes: true, .. }) {
                self.finding(
                    &PICKLE_NOT_FULLY_ANALYSED,
                    Severity::Medium,
                    off,
                    format!("the payload handed to {name} is longer than the kept-string limit and was not analysed"),
                );
                self.out.inconclusive = true;
            }
            return;
        };
        let identity = match arg {
            Value::Bytes(a, l) | Value::Str(a, l) => (0, u64::from(a), u64::from(l)),
            Value::Span { off, len, .. } => (1, off, u64::from(len)),
            Value::Long(i) => (2, u64::from(i), 0),
            // Short payloads cost nothing to analyse again.
            _ => (3, self.nested_seen.len() as u64, 0),
        };
        if !self.nested_seen.insert(identity) {
            return;
        }
        if self.depth + 1 >= self.opts.limits.max_depth {
            self.finding(
                &PICKLE_NOT_FULLY_ANALYSED,
                Severity::Medium,
                off,
                format!("the pickle handed to {name} is nested too deep to analyse"),
            );
            self.out.inconclusive = true;
            return;
        }
        let ctx = format!("in the pickle handed to {name} at offset {off}");
        let mut inner = Machine::new(self.opts, self.depth + 1, Some(&bytes));
        inner.nested_at = Some((self.nested_at.as_ref().map_or(off, |n| n.0), ctx.clone()));
        let mut input = SliceInput::new(&bytes);
        let result = inner.run_stream(&mut input, false);
        let inner_out = std::mem::take(&mut inner.out);
        if result.is_err() {
            return;
        }
        let n = inner_out.findings.len();
        // A nested pickle analysed completely with nothing inside is reported for transparency only; anything
        // inside (or an incomplete analysis) makes the nesting itself high.
        let clean = inner_out
            .findings
            .iter()
            .all(|f| f.severity <= Severity::Info)
            && !inner_out.inconclusive;
        let sev = if clean {
            Severity::Info
        } else {
            Severity::High
        };
        self.finding(
            &NESTED_PICKLE,
            sev,
            off,
            format!(
                "{name} unpickles {} bytes at load time; {n} finding(s) inside follow",
                bytes.len()
            ),
        );
        for f in inner_out.findings {
            self.out.push(f);
        }
        self.out.inconclusive |= inner_out.inconclusive;
        for c in inner_out.calls {
            let s = self.out.summary(&c.callable, c.allowed, off);
            self.out.calls[s].count += c.count;
        }
    }
}
