//! The judgement of globals and calls: resolving GLOBAL/STACK_GLOBAL names against the policy, rendering call
//! chains for evidence, REDUCE/OBJ/NEWOBJ/BUILD invocations, mutations of imported objects, and the imports never
//! invoked.

use super::*;

impl Machine<'_, '_> {
    /// A tuple is kept only when an item says something (a name, a global, a call result, a string of a slice):
    /// tuples of numbers are opaque unless the stream is a joblib one, whose array shapes matter.
    pub(super) fn informative(&self, v: &Value) -> bool {
        match v {
            Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float
            | Value::BigInt
            | Value::List
            | Value::Set
            | Value::Dict(_)
            | Value::OpaqueTuple
            | Value::Buffer
            | Value::Tuple(_, 0) => false,
            Value::Span { lost: false, .. } => self.whole.is_some(),
            _ => true,
        }
    }

    // ----- rendering -------------------------------------------------------------------------------------------

    pub(super) fn render(&self, v: &Value, depth: u32, out: &mut String) {
        if out.len() > CHAIN_MAX {
            return;
        }
        match v {
            Value::Hole => out.push('?'),
            Value::None => out.push_str("None"),
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::BigInt => out.push_str("<int>"),
            Value::Float => out.push_str("<float>"),
            Value::ShortStr(_) | Value::Str(..) => {
                let s = String::from_utf8_lossy(self.text_of(v).unwrap_or_default());
                let s: String = s.chars().take(120).collect();
                out.push_str(&py_repr_str(&s));
            }
            Value::ShortBytes(_) | Value::Bytes(..) => {
                let b = self.text_of(v).unwrap_or_default();
                out.push_str(&py_repr_bytes(&b[..b.len().min(60)]));
            }
            Value::Span { bytes, len, .. } => match self.text_of(v) {
                Some(t) if *bytes => out.push_str(&py_repr_bytes(&t[..t.len().min(60)])),
                Some(t) => {
                    let s: String = String::from_utf8_lossy(&t[..t.len().min(480)])
                        .chars()
                        .take(120)
                        .collect();
                    out.push_str(&py_repr_str(&s));
                }
                None if *len == u32::MAX => out.push_str(if *bytes { "<bytes>" } else { "<str>" }),
                None => out.push_str(&format!(
                    "<{} of {len} bytes>",
                    if *bytes { "bytes" } else { "str" }
                )),
            },
            Value::Long(i) => {
                let (_, l, b) = self.longs[*i as usize];
                out.push_str(&format!(
                    "<{} of {l} bytes>",
                    if b { "bytes" } else { "str" }
                ));
            }
            Value::Tuple(..) => {
                let items = self.tuple_items(v).unwrap_or_default();
                out.push('(');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if depth > 6 {
                        out.push('…');
                        break;
                    }
                    self.render(it, depth + 1, out);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::OpaqueTuple => out.push_str("(…)"),
            Value::List => out.push_str("[…]"),
            Value::Dict(_) => out.push_str("{…}"),
            Value::Set => out.push_str("{…}"),
            Value::Global(g) => {
                let g = &self.globals[*g as usize];
                match (&g.via, depth) {
                    (Some(via), d) if d < 6 => out.push_str(via),
                    _ => out.push_str(g.canonical.as_ref().unwrap_or(&g.full)),
                }
            }
            Value::Call(c) => {
                if depth > 6 {
                    out.push('…');
                    return;
                }
                let c = self.calls[*c as usize];
                self.render(&c.callee, depth + 1, out);
                self.render_args(&c.args, depth + 1, out);
            }
            Value::Obj(g) => {
                out.push_str(&self.globals[*g as usize].full);
                out.push_str("(…)");
            }
            Value::Dtype(_) => out.push_str("numpy.dtype(…)"),
            Value::Persid => out.push_str("<persistent id>"),
            Value::Buffer => out.push_str("<buffer>"),
        }
    }

    pub(super) fn render_args(&self, args: &Value, depth: u32, out: &mut String) {
        match args {
            Value::Tuple(..) => {
                let items = self.tuple_items(args).unwrap_or_default();
                out.push('(');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.render(it, depth + 1, out);
                }
                out.push(')');
            }
            other => {
                out.push_str("(*");
                self.render(other, depth + 1, out);
                out.push(')');
            }
        }
        if out.len() > CHAIN_MAX {
            let mut cut = CHAIN_MAX;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
    }

    pub(super) fn chain(&self, callee: &Value, args: &Value) -> String {
        let mut s = String::new();
        self.render(callee, 0, &mut s);
        self.render_args(args, 0, &mut s);
        s
    }

    // ----- globals ---------------------------------------------------------------------------------------------

    /// Resolves `module` + `name` the way `find_class` does and records the global.
    pub(super) fn global(
        &mut self,
        module: &str,
        name: &str,
        off: u64,
        opcode: &'static str,
        via: Option<String>,
    ) -> Value {
        let (m, n) = if self.proto < 3 {
            compat_map(module, name)
        } else {
            (module, name)
        };
        let full = if n.is_empty() {
            m.to_owned()
        } else {
            format!("{m}.{n}")
        };
        if via.is_none()
            && let Some(&g) = self.gindex.get(&full)
        {
            return Value::Global(g);
        }
        let written = ((m, n) != (module, name)).then(|| format!("{module}.{name}"));
        let mut canonical = canonical(m, n);
        let attr_from = n.contains('.').then(|| m.len() + 1);
        // find_class walks dotted names; an attribute may be a module its parent imported
        // (`torch` + `serialization.os.system` is `os.system`): name the first suffix the deny list knows.
        if let Some(from) = attr_from {
            let mut i = from;
            while let Some(d) = full[i..].find('.') {
                let suffix = &full[i..];
                if let Class::Denied(..) = self.opts.policy.classify(suffix, None) {
                    let (sm, sn) = suffix.split_once('.').expect("the suffix has a dot");
                    canonical = Some(
                        crate::pickle::policy::canonical(sm, sn)
                            .unwrap_or_else(|| suffix.to_owned()),
                    );
                    break;
                }
                i += d + 1;
            }
        }
        let policy = &self.opts.policy;
        let mut class = policy.classify(&full, attr_from);
        if class != Class::Allowed
            && let Some(c) = &canonical
        {
            let c2 = policy.classify(c, attr_from.map(|_| c.find('.').map_or(0, |d| d + 1)));
            class = match (class, c2) {
                (_, Class::Allowed) => Class::Allowed,
                (Class::Denied(a, w), Class::Denied(b, _)) if a >= b => Class::Denied(a, w),
                (_, Class::Denied(b, w)) => Class::Denied(b, w),
                (c, Class::Unknown) => c,
            };
        }
        // A module object is denied when its whole namespace is.
        if n.is_empty() && class == Class::Unknown {
            class = policy.classify(&format!("{m}.__module__"), None);
            if matches!(class, Class::Allowed) {
                class = Class::Unknown;
            }
        }
        let dunder = class != Class::Allowed
            && n.split('.')
                .any(|p| p.len() > 4 && p.starts_with("__") && p.ends_with("__"));
        let special = special_of(canonical.as_deref().unwrap_or(&full)).max_with(special_of(&full));
        self.joblib_seen |= special == Special::JoblibWrapper;
        let rec = GlobalRec {
            full: full.clone(),
            written,
            canonical,
            class,
            dunder,
            special,
            offset: off,
            opcode,
            via,
            invoked: 0,
            passed: false,
            summary: None,
            module_only: n.is_empty(),
            new_only: class == Class::Allowed && policy.is_new_only(&full),
            stepped: false,
        };
        let idx = self.globals.len() as u32;
        self.globals.push(rec);
        if self.globals[idx as usize].via.is_none() {
            self.gindex.insert(full, idx);
        }
        Value::Global(idx)
    }

    /// The attribute `name` of `obj`, as a resolved global when `obj` is one.
    pub(super) fn attribute(
        &mut self,
        obj: &Value,
        name: &str,
        off: u64,
        op: &'static str,
        via: String,
    ) -> Option<Value> {
        match obj {
            Value::Global(g) => {
                let g = &self.globals[*g as usize];
                let full = g.canonical.clone().unwrap_or_else(|| g.full.clone());
                let (module, attr) = if g.module_only {
                    (full, name.to_owned())
                } else {
                    match full.split_once('.') {
                        Some((m, rest)) => (m.to_owned(), format!("{rest}.{name}")),
                        None => (full, name.to_owned()),
                    }
                };
                Some(self.global(&module, &attr, off, op, Some(via)))
            }
            _ => None,
        }
    }

    pub(super) fn mark_passed(&mut self, v: &Value, depth: u32) {
        match v {
            Value::Global(g) => self.globals[*g as usize].passed = true,
            Value::Tuple(..) if depth < 4 => {
                let items: Vec<Value> = self.tuple_items(v).unwrap_or_default().to_vec();
                for it in &items {
                    self.mark_passed(it, depth + 1);
                }
            }
            _ => {}
        }
    }

    // ----- invocations -----------------------------------------------------------------------------------------

    pub(super) fn invoke(
        &mut self,
        callee: Value,
        args: Value,
        op: &'static str,
        off: u64,
    ) -> Value {
        match callee {
            Value::Global(g) => self.invoke_global(g, callee, args, op, off),
            Value::Call(c) => {
                let rec = self.calls[c as usize];
                let chain = self.chain(&callee, &args);
                // What a call result is, when the machine knows: attrgetter(name)(obj), partial(f)(…).
                if let Value::Global(inner) = rec.callee {
                    let items: Vec<Value> =
                        self.tuple_items(&rec.args).unwrap_or_default().to_vec();
                    let now: Vec<Value> = self.tuple_items(&args).unwrap_or_default().to_vec();
                    match self.globals[inner as usize].special {
                        Special::Attrgetter => {
                            if let (Some(name), Some(obj)) =
                                (items.first().and_then(|n| self.str_of(n)), now.first())
                                && let Some(v) = self.attribute(obj, &name, off, op, chain.clone())
                            {
                                return v;
                            }
                        }
                        Special::Partial => {
                            if let Some(f) = items.first().copied() {
                                let mut all: Vec<Value> = items[1..].to_vec();
                                all.extend(now);
                                let start = self.tuples.len() as u32;
                                self.tuples.extend_from_slice(&all);
                                let packed = Value::Tuple(start, all.len() as u32);
                                return self.invoke(f, packed, op, off);
                            }
                        }
                        Special::Methodcaller => {
                            if let (Some(name), Some(obj)) =
                                (items.first().and_then(|n| self.str_of(n)), now.first())
                                && let Some(Value::Global(m)) =
                                    self.attribute(obj, &name, off, op, chain.clone())
                            {
                                let rest = Value::Tuple(0, 0);
                                return self.invoke_global(m, Value::Global(m), rest, op, off);
                            }
                        }
                        _ => {}
                    }
                }
                self.finding(
                    &COMPUTED_CALLABLE_INVOKED,
                    Severity::Critical,
                    off,
                    format!("{op} invokes a value computed at load time: {chain}"),
                );
                self.record_call(callee, args)
            }
            Value::Obj(_) | Value::Dtype(_) | Value::Persid | Value::Buffer | Value::Hole => {
                let chain = self.chain(&callee, &args);
                self.finding(
                    &COMPUTED_CALLABLE_INVOKED,
                    Severity::Critical,
                    off,
                    format!("{op} invokes an object made at load time: {chain}"),
                );
                self.record_call(callee, args)
            }
            other => {
                let chain = self.chain(&other, &args);
                self.finding(
                    &MALFORMED_PICKLE,
                    Severity::Medium,
                    off,
                    format!("{op} invokes a value that is not callable: {chain}"),
                );
                self.out.inconclusive = true;
                self.record_call(callee, args)
            }
        }
    }

    pub(super) fn record_call(&mut self, callee: Value, args: Value) -> Value {
        self.calls.push(CallRec { callee, args });
        Value::Call(self.calls.len() as u32 - 1)
    }

    pub(super) fn invoke_global(
        &mut self,
        g: u32,
        callee: Value,
        args: Value,
        op: &'static str,
        off: u64,
    ) -> Value {
        let gi = g as usize;
        // getattr's object is not "passed" when getattr reaches an allowlisted attribute (decided below).
        if self.globals[gi].special != Special::Getattr {
            self.mark_passed(&args, 0);
        }
        self.globals[gi].invoked += 1;
        let summary = match self.globals[gi].summary {
            Some(s) => s,
            None => {
                let name = self.globals[gi]
                    .canonical
                    .clone()
                    .unwrap_or_else(|| self.globals[gi].full.clone());
                let s = self.out.summary(&name, self.globals[gi].allowed(), off);
                self.globals[gi].summary = Some(s);
                s
            }
        };
        self.out.calls[summary].count += 1;
        let special = self.globals[gi].special;
        // REDUCE, OBJ and INST call the class, so its __init__ runs with the stream's arguments; NEWOBJ (and
        // copyreg's helpers) only call __new__. A profile entry marked `@new` is allowed only the second way.
        let runs_init = matches!(op, "REDUCE" | "OBJ" | "INST");
        let init_refused = self.globals[gi].new_only && runs_init;
        if self.globals[gi].allowed() && !init_refused {
            return match special {
                Special::NumpyDtype => {
                    let spec = self.tuple_items(&args).and_then(|a| a.first().copied());
                    let spec = spec.and_then(|s| self.str_of(&s)).unwrap_or_default();
                    self.dtypes.push(dtype_info(&spec));
                    Value::Dtype(self.dtypes.len() as u32 - 1)
                }
                Special::Reconstructor => {
                    // copyreg instantiates the class it is given: that class's __new__ is what runs. And
                    // `_reconstructor(cls, base, state)` also runs `base.__init__(obj, state)` unless base is
                    // object, so a base other than object is judged as a call.
                    let items: Vec<Value> = self.tuple_items(&args).unwrap_or_default().to_vec();
                    let reconstructor = self.globals[gi].full.ends_with("._reconstructor");
                    if reconstructor
                        && let Some(base @ Value::Global(b)) = items.get(1).copied()
                        && self.globals[b as usize].full != "builtins.object"
                    {
                        self.invoke_global(b, base, Value::OpaqueTuple, "REDUCE", off);
                    }
                    match items.first().copied() {
                        Some(cls @ Value::Global(c)) => {
                            self.invoke_global(c, cls, Value::OpaqueTuple, "NEWOBJ", off)
                        }
                        Some(other) => self.invoke(other, Value::OpaqueTuple, op, off),
                        None => Value::Obj(g),
                    }
                }
                Special::Loads => {
                    // An allowlisted loader (spaCy's `unpickle_doc` runs `srsly.pickle_loads` on its bytes): the
                    // bytes are a pickle of their own, and what they hold decides.
                    let items: Vec<Value> = self.tuple_items(&args).unwrap_or_default().to_vec();
                    self.nested_loader_args(&callee, &items, off);
                    Value::Obj(g)
                }
                _ => Value::Obj(g),
            };
        }
        let chain = self.chain(&callee, &args);
        let items: Vec<Value> = self.tuple_items(&args).unwrap_or_default().to_vec();
        let s0 = items.first().and_then(|v| self.str_of(v));
        let s1 = items.get(1).and_then(|v| self.str_of(v));
        // getattr and partial are judged by what they are applied to: `getattr(zoneinfo.ZoneInfo, '_unpickle')`
        // yields exactly what a GLOBAL of `zoneinfo.ZoneInfo._unpickle` would, and `partial(f, …)` only stores f,
        // so each is as safe as the allowlisted callable it reaches. Anything else (an attribute of an instance,
        // a name on no profile, a dunder path such as `numpy.__builtins__`) keeps its finding.
        let mut resolved = None;
        if special == Special::Getattr
            && let (Some(obj), Some(name)) = (items.first(), s1.as_deref())
        {
            resolved = match obj {
                // An attribute of an instance made by an allowlisted callable, for getattr only: named
                // `callable().attr`, which a profile may list (`re._compile().search`, the bound method spaCy's
                // tokenizer stores). Other gadgets (methodcaller on instances) keep their computed-call finding.
                Value::Obj(o) => {
                    let o = &self.globals[*o as usize];
                    let maker = format!("{}()", o.canonical.as_ref().unwrap_or(&o.full));
                    Some(self.global(&maker, name, off, op, Some(chain.clone())))
                }
                _ => self.attribute(obj, name, off, op, chain.clone()),
            };
        }
        // cloudpickle's `_builtin_type(name)` is `getattr(types, name)`: `MethodType` binds a method, `CodeType`
        // builds code (denied). It is judged by the type it returns, like getattr.
        if special == Special::BuiltinType
            && let Some(name) = s0.as_deref()
        {
            let name = if name == "ClassType" { "type" } else { name };
            let module = if name == "type" { "builtins" } else { "types" };
            resolved = Some(self.global(module, name, off, op, Some(chain.clone())));
        }
        let applied_to_allowed = match special {
            Special::Getattr => matches!(resolved, Some(Value::Global(r))
                if self.globals[r as usize].allowed() && !self.globals[r as usize].dunder),
            // A type that binds (MethodType) is judged when it is called, by what it binds.
            Special::BuiltinType => matches!(resolved, Some(Value::Global(r))
                if self.globals[r as usize].allowed() || self.globals[r as usize].special == Special::Partial),
            Special::Partial => matches!(items.first(), Some(Value::Global(f))
                if self.globals[*f as usize].allowed()),
            _ => false,
        };
        let invoked = self.globals[gi].invoked;
        if invoked <= PER_GLOBAL && !applied_to_allowed {
            let rec = &self.globals[gi];
            let display = rec.display();
            let (code, sev, why) = match (rec.dunder, rec.class) {
                (true, _) => (
                    &INTROSPECTION_ATTRIBUTE,
                    Severity::Critical,
                    "walks through dunder attributes",
                ),
                (_, Class::Denied(s, w)) => (&DANGEROUS_CALLABLE_INVOKED, s, w),
                (_, Class::Allowed) => (
                    &UNKNOWN_CALLABLE_INVOKED,
                    Severity::Medium,
                    "allowlisted for NEWOBJ only: calling it runs __init__, which can reach files or the network",
                ),
                _ => (
                    &UNKNOWN_CALLABLE_INVOKED,
                    Severity::Medium,
                    "on no allowlist profile",
                ),
            };
            let mut msg = format!("{op} invokes `{display}` ({why}): {chain}");
            if let Some(via) = &rec.via {
                msg.push_str(&format!("; the callable was reached as {via}"));
            }
            if invoked == PER_GLOBAL {
                msg.push_str("; further invocations of it are not listed");
            }
            let evidence = self.decided(gi);
            self.finding_with(code, sev, off, msg, Some(evidence));
        }
        if special == Special::Getattr {
            if applied_to_allowed {
                // The object getattr was applied to is only a step on the way to an allowlisted name.
                if let Some(Value::Global(o)) = items.first() {
                    self.globals[*o as usize].stepped = true;
                }
            } else {
                self.mark_passed(&args, 0);
            }
        }
        if special != Special::Loads {
            // Bytes that are a whole pickle, handed to a callable on no allowlist (an unknown loader such as a
            // config or datapipe decoder), are analysed as the pickle they would be.
            self.nested_args(&callee, &items, off);
        }
        // Names resolved at load time.
        match special {
            Special::Getattr | Special::BuiltinType => {
                if let Some(v) = resolved {
                    return v;
                }
            }
            Special::ImportModule => {
                if let Some(m) = s0 {
                    return self.global(&m, "", off, op, Some(chain));
                }
            }
            Special::Import => {
                if let Some(m) = s0 {
                    let top = m.split('.').next().unwrap_or(&m).to_owned();
                    return self.global(&top, "", off, op, Some(chain));
                }
            }
            Special::ResolveName => {
                if let Some(n) = s0 {
                    let (m, rest) = match n.split_once(':') {
                        Some((m, r)) => (m.to_owned(), r.to_owned()),
                        None => match n.split_once('.') {
                            Some((m, r)) => (m.to_owned(), r.to_owned()),
                            None => (n.clone(), String::new()),
                        },
                    };
                    return self.global(&m, &rest, off, op, Some(chain));
                }
            }
            Special::Lookup => {
                // dict.get(vars(X), name) / getitem(sys.modules, name)
                if let (Some(d), Some(name)) = (items.first(), s1) {
                    match d {
                        Value::Call(c) => {
                            let rec = self.calls[*c as usize];
                            if let Value::Global(vg) = rec.callee
                                && self.globals[vg as usize].special == Special::Vars
                                && let Some(obj) =
                                    self.tuple_items(&rec.args).and_then(|a| a.first().copied())
                                && let Some(v) = self.attribute(&obj, &name, off, op, chain.clone())
                            {
                                return v;
                            }
                        }
                        Value::Global(sg) if self.globals[*sg as usize].full == "sys.modules" => {
                            return self.global(&name, "", off, op, Some(chain));
                        }
                        _ => {}
                    }
                }
            }
            Special::Loads => self.nested_loader_args(&callee, &items, off),
            Special::AddExtension => {
                if let (Some(m), Some(n), Some(Value::Int(code))) = (s0, s1, items.get(2)) {
                    let v = self.global(&m, &n, off, op, Some(chain.clone()));
                    if let Value::Global(x) = v {
                        self.ext.insert(*code, x);
                    }
                }
            }
            _ => {}
        }
        self.record_call(callee, args)
    }

    /// BUILD, SETITEM, APPEND … on `target`: mutation of an imported object is injection.
    pub(super) fn mutate(&mut self, target: Value, what: &str, value: Option<Value>, off: u64) {
        if let Value::Global(g) = target {
            let rec = &self.globals[g as usize];
            let display = rec.display();
            let sev = match rec.class {
                Class::Denied(Severity::Critical, _) => Severity::Critical,
                _ => Severity::High,
            };
            let mut msg = format!("{what} changes the imported object `{display}`");
            if let Some(v) = value {
                msg.push_str(" with ");
                self.render(&v, 0, &mut msg);
            }
            self.globals[g as usize].passed = true;
            self.finding(&IMPORTED_OBJECT_MUTATED, sev, off, msg);
        }
    }

    /// Findings for globals imported but never invoked, at the end of a pickle.
    pub(super) fn report_imports(&mut self) {
        for i in 0..self.globals.len() {
            let rec = &self.globals[i];
            if rec.allowed() || rec.invoked > 0 || (rec.stepped && !rec.passed) {
                continue;
            }
            let display = rec.display();
            let how = if rec.passed {
                "is passed to a call or mutated"
            } else {
                "is imported but never invoked"
            };
            let (code, sev, why) = match (rec.dunder, rec.class, rec.passed) {
                (true, _, _) => (
                    &INTROSPECTION_ATTRIBUTE,
                    Severity::Critical,
                    "walks through dunder attributes",
                ),
                (_, Class::Denied(s, w), _) => {
                    (&DANGEROUS_GLOBAL_IMPORTED, s.min(Severity::High), w)
                }
                (_, _, true) => (
                    &UNKNOWN_CALLABLE_INVOKED,
                    Severity::Medium,
                    "on no allowlist profile",
                ),
                _ => (
                    &UNKNOWN_GLOBAL_IMPORTED,
                    Severity::Low,
                    "on no allowlist profile",
                ),
            };
            let mut msg = format!("{} `{display}` {how} ({why})", rec.opcode);
            if let Some(via) = &rec.via {
                msg.push_str(&format!("; reached as {via}"));
            }
            let off = rec.offset;
            let evidence = self.decided(i);
            self.finding_with(code, sev, off, msg, Some(evidence));
        }
    }

    // ----- the run ---------------------------------------------------------------------------------------------
}
