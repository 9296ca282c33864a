//! The stack and the memo: pushes and pops under budgets, marks, PUT/GET/MEMOIZE slots, and the bytes kept for
//! the values that later judgements read (names, nested pickles).

use super::*;

impl Machine<'_, '_> {
    /// The stack budget at input offset `off`: the configured limit, or one item per 8 bytes read so far when
    /// that is more. Every item costs at least one input byte, so memory stays within twice the input (16-byte
    /// values) while a large benign tuple is never cut short.
    #[inline(always)]
    pub(super) fn stack_budget(&self, off: u64) -> u64 {
        self.opts.limits.max_stack.max(off / 8)
    }

    #[inline(always)]
    pub(super) fn push(&mut self, v: Value, off: u64) -> Step<()> {
        if (self.stack.len() + self.marks.len()) as u64 >= self.stack_budget(off) {
            return Err(End::Limit(
                off,
                format!("the stack exceeds {} items", self.stack_budget(off)),
            ));
        }
        self.stack.push(v);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    #[inline(always)]
    pub(super) fn pop(&mut self, off: u64, op: &str) -> Step<Value> {
        if self.stack.len() <= self.fence() {
            return Err(End::Malformed(
                off,
                format!("{op} pops from an empty stack (stack underflow)"),
            ));
        }
        Ok(self.stack.pop().expect("the length was checked above"))
    }

    #[inline(always)]
    pub(super) fn top(&mut self, off: u64, op: &str) -> Step<&mut Value> {
        if self.stack.len() <= self.fence() {
            return Err(End::Malformed(
                off,
                format!("{op} needs a value on the stack (stack underflow)"),
            ));
        }
        Ok(self.stack.last_mut().expect("the length was checked above"))
    }

    /// Pops everything down to the topmost MARK, and the mark; returns where the items started.
    pub(super) fn pop_mark(&mut self, off: u64, op: &str) -> Step<usize> {
        match self.marks.pop() {
            Some(m) => Ok(m),
            None => Err(End::Malformed(
                off,
                format!("{op} without a MARK on the stack"),
            )),
        }
    }

    // ----- the memo --------------------------------------------------------------------------------------------

    #[inline(always)]
    pub(super) fn memo_put(&mut self, idx: u64, off: u64) -> Step<()> {
        let len = self.stack.len();
        if len <= self.fence() {
            return Err(End::Malformed(
                off,
                "PUT needs a value on the stack (stack underflow)".into(),
            ));
        }
        // The common case: MEMOIZE, or BINPUT with the next index. The kind is read in place: copying the value
        // out first cost a store-forwarding stall per MEMOIZE.
        if idx == self.memo.len() as u64 {
            let top = self.stack[len - 1];
            let s = self.encode_slot(top);
            self.memo.push(s);
            return self.memo_counted(off);
        }
        let v = self.stack[len - 1];
        self.memo_put_slow(idx, v, off)
    }

    #[inline(always)]
    pub(super) fn encode_slot(&mut self, v: Value) -> u32 {
        if let Some(k) = slot::kind(&v, self.joblib_seen) {
            return k;
        }
        // Short strings, the most memoized values of large pickles (vocabularies, indexes), go to a byte arena as
        // a length byte and their bytes: 9 bytes for `w1234567` instead of a 16-byte value. Measured on the
        // 2-million-tuple stream of tests/large_pickle.rs: peak resident set 70 MiB before, see that test after.
        if let Value::ShortStr(sh) | Value::ShortBytes(sh) = v
            && self.memo_short.len() < slot::SHORT_SPAN
        {
            let at = self.memo_short.len() as u32;
            let tag = sh.len
                | if matches!(v, Value::ShortBytes(_)) {
                    0x80
                } else {
                    0
                };
            self.memo_short.push(tag);
            self.memo_short
                .extend_from_slice(&sh.buf[..usize::from(sh.len)]);
            return slot::SHORT_BASE + at;
        }
        self.memo_vals.push(v);
        // Indices stay below SHORT_BASE: 2^31 kept values would be 32 GiB, far past any input the reader allows.
        (self.memo_vals.len() - 1).min(slot::SHORT_BASE as usize - 1) as u32
    }

    #[inline(always)]
    pub(super) fn decode_slot(&self, s: u32) -> Value {
        if s >= slot::FIRST_KIND {
            // One 16-byte load from a table: building the value field by field stalled store forwarding (22% of
            // the benchmark's time in perf annotate).
            return slot::VALUES[(u32::MAX - s) as usize % slot::VALUES.len()];
        }
        if s >= slot::SHORT_BASE {
            return self.decode_short((s - slot::SHORT_BASE) as usize);
        }
        self.memo_vals
            .get(s as usize)
            .copied()
            .unwrap_or(Value::Hole)
    }

    #[cold]
    pub(super) fn decode_short(&self, at: usize) -> Value {
        let Some(&tag) = self.memo_short.get(at) else {
            return Value::Hole;
        };
        let len = usize::from(tag & 0x7f).min(INLINE);
        let mut buf = [0u8; INLINE];
        if let Some(b) = self.memo_short.get(at + 1..at + 1 + len) {
            buf[..len].copy_from_slice(b);
        }
        let sh = Short {
            len: len as u8,
            buf,
        };
        if tag & 0x80 != 0 {
            Value::ShortBytes(sh)
        } else {
            Value::ShortStr(sh)
        }
    }

    #[cold]
    pub(super) fn memo_put_slow(&mut self, idx: u64, v: Value, off: u64) -> Step<()> {
        let encoded = self.encode_slot(v);
        let slot = if idx < self.memo.len() as u64 {
            Some(&mut self.memo[idx as usize])
        } else if idx < 2 * self.memo.len() as u64 + 4096 {
            self.memo.resize(idx as usize + 1, slot::HOLE);
            Some(&mut self.memo[idx as usize])
        } else {
            None
        };
        let fresh = match slot {
            Some(s) => {
                let fresh = *s == slot::HOLE && !self.memo_sparse.contains_key(&idx);
                *s = encoded;
                fresh
            }
            None => self.memo_sparse.insert(idx, v).is_none(),
        };
        if fresh {
            self.memo_counted(off)
        } else {
            Ok(())
        }
    }

    /// The memo budget follows the input: the configured limit, or one entry per byte read so far when that is
    /// more. Each entry costs at least one input byte (MEMOIZE) and at most 4 + 16 bytes of memory, so a large
    /// benign pickle (a vocabulary, an index of millions of tuples) is never cut short, and memory stays linear
    /// in the input.
    #[inline(always)]
    pub(super) fn memo_counted(&mut self, off: u64) -> Step<()> {
        self.memo_len += 1;
        let budget = self
            .opts
            .limits
            .max_memo
            .max(off.saturating_add(1))
            .min(u64::from(slot::FIRST_KIND));
        if self.memo_len > budget {
            return Err(End::Limit(
                off,
                format!("the memo exceeds {budget} entries"),
            ));
        }
        Ok(())
    }

    /// The memo entry `idx`, or `Value::Hole` when it was never stored. Not a `Result`: wrapping the 16-byte
    /// value assembled it byte by byte on the stack (a store-forwarding stall on every GET).
    #[inline(always)]
    pub(super) fn memo_lookup(&self, idx: u64) -> Value {
        match self.memo.get(idx as usize) {
            Some(&s) if s != slot::HOLE => self.decode_slot(s),
            _ => self.memo_sparse_get(idx),
        }
    }

    #[cold]
    pub(super) fn memo_sparse_get(&self, idx: u64) -> Value {
        self.memo_sparse.get(&idx).copied().unwrap_or(Value::Hole)
    }

    // ----- strings ---------------------------------------------------------------------------------------------

    pub(super) fn keep(&mut self, bytes: &[u8], is_bytes: bool, offset: u64) -> Value {
        if bytes.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..bytes.len()].copy_from_slice(bytes);
            let s = Short {
                len: bytes.len() as u8,
                buf,
            };
            return if is_bytes {
                Value::ShortBytes(s)
            } else {
                Value::ShortStr(s)
            };
        }
        if self.worth_keeping(bytes, is_bytes, bytes.len() as u64) {
            let start = self.arena.len() as u32;
            self.arena.extend_from_slice(bytes);
            return if is_bytes {
                Value::Bytes(start, bytes.len() as u32)
            } else {
                Value::Str(start, bytes.len() as u32)
            };
        }
        if !is_bytes && is_name(bytes) {
            return self.span_lost(offset, bytes.len() as u64);
        }
        self.span(offset, bytes.len() as u64, is_bytes)
    }

    /// A string decoded from a protocol 0 line: its text is not in the input as such, so it is kept (or, beyond
    /// the budget, known only by its length).
    pub(super) fn keep_decoded(&mut self, text: &[u8]) -> Value {
        if text.len() > INLINE
            && (self.arena.len() + text.len() > ARENA_BUDGET
                || text.len() as u64 > self.opts.limits.max_string)
        {
            return self.long(u64::MAX, text.len() as u64, false);
        }
        if text.len() <= INLINE {
            return self.keep(text, false, 0);
        }
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(text);
        Value::Str(start, text.len() as u32)
    }

    /// Only what can matter is copied: names (ASCII identifier paths, which is all an import can use) and bytes
    /// that start like a pickle (a nested payload). Everything else stays in the input, as a span.
    pub(super) fn worth_keeping(&self, head: &[u8], is_bytes: bool, len: u64) -> bool {
        if self.arena.len() as u64 + len > ARENA_BUDGET as u64 || len > self.opts.limits.max_string
        {
            return false;
        }
        if is_bytes {
            return head
                .first()
                .is_some_and(|&b| b == op::PROTO || b == op::GLOBAL || b == op::MARK);
        }
        len <= NAME_MAX as u64 && is_name(head)
    }

    /// A name that could not be kept: readable again only from a slice.
    pub(super) fn span_lost(&mut self, offset: u64, len: u64) -> Value {
        Value::Span {
            bytes: false,
            lost: true,
            len: len as u32,
            off: offset,
        }
    }

    pub(super) fn span(&mut self, offset: u64, len: u64, is_bytes: bool) -> Value {
        match u32::try_from(len) {
            Ok(len) => Value::Span {
                bytes: is_bytes,
                lost: false,
                len,
                off: offset,
            },
            Err(_) => self.long(offset, len, is_bytes),
        }
    }

    pub(super) fn long(&mut self, offset: u64, len: u64, is_bytes: bool) -> Value {
        self.longs.push((offset, len, is_bytes));
        Value::Long(self.longs.len() as u32 - 1)
    }

    /// Reads a counted argument of `len` bytes: names and payload-like bytes are kept, the rest skipped.
    pub(super) fn counted<I: Input>(
        &mut self,
        inp: &mut I,
        len: u64,
        is_bytes: bool,
        off: u64,
    ) -> io::Result<Step<Value>> {
        let at = inp.offset();
        if len <= NAME_MAX as u64 {
            let buf = inp.fill(len as usize)?;
            need!(buf, len as usize, off, "inside a string argument");
            let v = self.keep(&buf[..len as usize], is_bytes, at);
            inp.consume(len as usize);
            return Ok(Ok(v));
        }
        let head = inp.fill(1)?;
        let keep = self.worth_keeping(&head[..head.len().min(1)], is_bytes, len);
        if keep {
            let start = self.arena.len();
            let mut left = len as usize;
            while left > 0 {
                let buf = inp.fill(left.min(1 << 16))?;
                if buf.is_empty() {
                    self.arena.truncate(start);
                    return Ok(Err(End::Truncated(off, "inside a string argument")));
                }
                let k = buf.len().min(left);
                self.arena.extend_from_slice(&buf[..k]);
                inp.consume(k);
                left -= k;
            }
            let v = if is_bytes {
                Value::Bytes(start as u32, len as u32)
            } else {
                Value::Str(start as u32, len as u32)
            };
            return Ok(Ok(v));
        }
        let got = inp.skip(len)?;
        if got < len {
            return Ok(Err(End::Truncated(off, "inside a string argument")));
        }
        Ok(Ok(self.span(at, len, is_bytes)))
    }

    /// The bytes of a string, if they were kept (or the input is a slice that still holds them).
    pub(super) fn text_of<'a>(&'a self, v: &'a Value) -> Option<&'a [u8]> {
        match v {
            Value::ShortStr(s) | Value::ShortBytes(s) => Some(&s.buf[..s.len as usize]),
            Value::Str(a, l) | Value::Bytes(a, l) => {
                self.arena.get(*a as usize..(*a + *l) as usize)
            }
            Value::Span { len, off, .. } => {
                let o = usize::try_from(*off).ok()?;
                self.whole?.get(o..o.checked_add(*len as usize)?)
            }
            Value::Long(i) => {
                let (o, l, _) = *self.longs.get(*i as usize)?;
                if o == u64::MAX {
                    return None;
                }
                self.whole?
                    .get(usize::try_from(o).ok()?..usize::try_from(o + l).ok()?)
            }
            _ => None,
        }
    }

    pub(super) fn is_str(v: &Value) -> bool {
        matches!(
            v,
            Value::ShortStr(_) | Value::Str(..) | Value::Long(_) | Value::Span { bytes: false, .. }
        )
    }

    pub(super) fn str_of(&self, v: &Value) -> Option<String> {
        match v {
            Value::ShortStr(_) | Value::Str(..) | Value::Span { bytes: false, .. } => self
                .text_of(v)
                .map(|b| String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }

    pub(super) fn tuple_items(&self, v: &Value) -> Option<&[Value]> {
        match v {
            Value::Tuple(s, l) => self.tuples.get(*s as usize..(*s + *l) as usize),
            _ => None,
        }
    }

    pub(super) fn make_tuple(&mut self, start: usize) -> Value {
        let n = self.stack.len() - start;
        let v = if n == 0 {
            Value::Tuple(0, 0)
        } else if n <= TUPLE_MAX
            && self.tuples.len() + n <= TUPLE_BUDGET
            && (self.joblib_seen || self.stack[start..].iter().any(|v| self.informative(v)))
        {
            let s = self.tuples.len() as u32;
            self.tuples.extend_from_slice(&self.stack[start..]);
            Value::Tuple(s, n as u32)
        } else {
            // Globals inside a tuple too long to keep still count as passed along.
            for i in start..self.stack.len() {
                if let Value::Global(g) = self.stack[i] {
                    self.globals[g as usize].passed = true;
                }
            }
            Value::OpaqueTuple
        };
        self.stack.truncate(start);
        v
    }
}
