#!/usr/bin/env python3
"""
idlgen: a server protocol's interface file (include/tessera/proto/NAME.idl)
in, three C headers out (docs/ARCHITECTURE.md, "Protocols: the IDL"):

  NAME.h         labels, constants, enums, a struct per request and reply,
                 their word counts checked against TS_MSG_WORDS, and the
                 client's marshalling (NAME_CALL_start / NAME_CALL_finish);
  NAME_client.h  the blocking stubs NAME_CALL_call(ep, ...);
  NAME_server.h  checked unpacking, reply packing and NAME_dispatch, with
                 (under IDL_FUZZ) handlers the host fuzz test serves with.

    idlgen.py FILE.idl OUTDIR        write the three headers into OUTDIR
    idlgen.py --check FILE.idl       parse only (errors: "FILE:LINE: message")

The language, one item per statement, '#' comments to the end of a line
(those right above an item are its documentation, copied into the header):

    protocol names 0x100;                 the prefix and the first call's label
    include <tessera/proto/pm_types.h>;   a header the types below need
    const NAME_MAX 16;                    NAMES_NAME_MAX, usable as a size
    enum topic { DEVICE_ADDED = 1, DEVICE_REMOVED = 2 };
    call lookup(char[NAME_MAX] name, bool wait) -> (cap service) errors ENOENT;

Calls get consecutive labels in the order written. An argument or result is
TYPE NAME; TYPE is one of
    u8 u16 u32 u64 i8 i16 i32 i64 bool    one message word, range-checked
    ENUM                                  one word, one of the enum's values
    cap                                   the message's capability (one at most)
    char[N]                               a string of fewer than N bytes, NUL-padded,
                                          in ceil(N/8) words
    u8[N]                                 up to N bytes: a length word, then the bytes
    in|out|inout grant ELEM[N]            (arguments only) the caller's buffer of up
                                          to N ELEMs (u8, char, uN, iN, struct X),
                                          which the server reads (in) or writes (out)
A call's value travels in the reply's label: >= 0 is the handler's result,
< 0 an errno; "errors" lists those the handler may answer. The generated
code answers malformed messages itself: -ENOSYS (unknown label), -EINVAL
(a word out of range, a string without its NUL, a length past its maximum,
a capability or grant the call does not take), -EBADF (no capability where
one is required), -EFAULT (a grant without the access its direction needs).

How it reads: tokenize() splits the file into tokens with their lines;
Parser has one method per item and per grammar rule and builds a dict per
call (its arguments and results, each a dict with its kind and word count);
Writer has one method per generated function, each returning C lines.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCALARS = {
    "u8": "uint8_t", "u16": "uint16_t", "u32": "uint32_t", "u64": "uint64_t",
    "i8": "int8_t", "i16": "int16_t", "i32": "int32_t", "i64": "int64_t", "bool": "bool",
}
C_KEYWORDS = set("""auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static struct
switch typedef union unsigned void volatile while bool""".split())
# errnos the generated code itself may answer
CHECK_ERRNOS = ["ENOSYS", "EINVAL", "EBADF", "EFAULT"]


class IdlError(Exception):
    pass


# --- reading: tokens, then items ---------------------------------------------------

# a comment, a number, a name, or punctuation (an include's <header> is one token)
TOKEN = re.compile(r"\s*(?:(#[^\n]*)|(0x[0-9a-fA-F]+|\d+)|([A-Za-z_]\w*)"
                   r"|(->|<[^>\n]*>|[(){}\[\],;=]))")
SPACE = re.compile(r"\s*")
KIND_NAMES = {"id": "a name", "num": "a number", "punct": "punctuation", None: "more"}


def tokenize(text, path):
    """Tokens as (kind, text, line); comments on lines of their own become 'doc'
    tokens, those after something on their line are dropped."""
    tokens, pos, line = [], 0, 1
    while True:
        space = SPACE.match(text, pos)
        line += text.count("\n", pos, space.end())
        pos = space.end()
        if pos >= len(text):
            return tokens
        m = TOKEN.match(text, pos)
        if not m:
            raise IdlError(f"{path}:{line}: unexpected character {text[pos]!r}")
        comment, number, ident, punct = m.groups()
        if comment is not None:
            if not tokens or tokens[-1][2] != line or tokens[-1][0] == "doc":
                tokens.append(("doc", comment[1:].strip(), line))
        elif number is not None:
            tokens.append(("num", number, line))
        elif ident is not None:
            tokens.append(("id", ident, line))
        else:
            tokens.append(("punct", punct, line))
        pos = m.end()


class Parser:
    def __init__(self, text, path, errnos):
        self.path, self.errnos = path, errnos
        self.tokens, self.i, self.doc = tokenize(text, path), 0, []
        self.proto = None
        self.includes, self.consts, self.enums, self.calls = [], {}, {}, []

    def fail(self, msg, line=None):
        if line is None:
            tok = self.peek()
            line = tok[2] if tok[0] != "eof" else self.last_line()
        raise IdlError(f"{self.path}:{line}: {msg}")

    def last_line(self):
        return self.tokens[-1][2] if self.tokens else 1

    def peek(self):
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "doc":
            self.doc.append(self.tokens[self.i][1])
            self.i += 1
        return self.tokens[self.i] if self.i < len(self.tokens) else ("eof", "", None)

    def take(self, kind=None, text=None):
        tok, want = self.peek(), repr(text) if text else KIND_NAMES[kind]
        if tok[0] == "eof":
            self.fail(f"expected {want}, found the end of the file")
        if (kind and tok[0] != kind) or (text and tok[1] != text):
            self.fail(f"expected {want}, found {tok[1]!r}")
        self.i += 1
        return tok

    def accept(self, text):
        tok = self.peek()
        if tok[0] in ("punct", "id") and tok[1] == text:
            self.i += 1
            return True
        return False

    def name(self, what):
        tok = self.take("id")
        if tok[1] in C_KEYWORDS:
            self.fail(f"{what} {tok[1]!r} is a C keyword", tok[2])
        return tok[1]

    def size(self):
        """A number or a const of this file, as (C expression, value)."""
        tok = self.take()
        if tok[0] == "num":
            value = int(tok[1], 0)
            expr = tok[1]
        elif tok[0] == "id" and tok[1] in self.consts:
            value = self.consts[tok[1]][0]
            expr = f"{self.proto['prefix']}_{tok[1]}"
        elif tok[0] == "id" and tok[1].isupper():
            return tok[1], None                 # a constant of an included header
        else:
            self.fail(f"unknown size {tok[1]!r}", tok[2])
        if value <= 0:
            self.fail(f"size {tok[1]} is not positive", tok[2])
        return expr, value

    def parse(self):
        while self.peek()[0] != "eof":
            tok, doc = self.peek(), self.doc     # the comments above the item
            keyword = self.take("id")[1]
            if self.proto is None and keyword != "protocol":
                self.fail("the file must begin with 'protocol NAME FIRST_LABEL;'", tok[2])
            handler = {"protocol": self.protocol, "include": self.include, "const": self.const,
                       "enum": self.enum, "call": self.call}.get(keyword)
            if not handler:
                self.fail(f"unknown item {keyword!r}", tok[2])
            self.doc = []
            handler(tok[2], doc)
            self.take("punct", ";")
            self.doc = []
        if self.proto is None:
            self.fail("no 'protocol' line", 1)
        return self

    def protocol(self, line, doc):
        if self.proto is not None:
            self.fail("a second 'protocol' line", line)
        name = self.name("protocol")
        if name != os.path.splitext(os.path.basename(self.path))[0]:
            self.fail(f"protocol {name} must be in {name}.idl", line)
        first = int(self.take("num")[1], 0)
        self.proto = {"name": name, "prefix": name.upper(), "first": first, "doc": doc}

    def include(self, line, doc):
        tok = self.take("punct")
        if not tok[1].startswith("<"):
            self.fail("include takes <header>", line)
        self.includes.append(tok[1])

    def const(self, line, doc):
        name = self.take("id")[1]
        if name in self.consts:
            self.fail(f"const {name} defined twice", line)
        self.consts[name] = (int(self.take("num")[1], 0), doc)

    def enum(self, line, doc):
        name = self.name("enum")
        if name in self.enums or name in SCALARS:
            self.fail(f"enum {name} defined twice", line)
        self.take("punct", "{")
        values = []
        while True:
            vname = self.take("id")[1]
            self.take("punct", "=")
            values.append((vname, int(self.take("num")[1], 0)))
            if not self.accept(","):
                break
        self.take("punct", "}")
        self.enums[name] = {"values": values, "doc": doc}

    def call(self, line, doc):
        name = self.take("id")[1]              # always prefixed: a keyword will do
        if any(c["name"] == name for c in self.calls):
            self.fail(f"call {name} defined twice", line)
        args = self.params(name, "argument")
        results = []
        if self.accept("->"):
            results = self.params(name, "result")
        errors = []
        if self.accept("errors"):
            while self.peek()[0] == "id":
                tok = self.take("id")
                if tok[1] not in self.errnos:
                    self.fail(f"unknown errno {tok[1]!r}", tok[2])
                errors.append(tok[1])
        call = {"name": name, "line": line, "doc": doc, "args": args, "results": results,
                "errors": errors, "label": self.proto["first"] + len(self.calls)}
        for params, what in ((args, "request"), (results, "reply")):
            words = sum(p["words"] for p in params)
            if words > 6:
                self.fail(f"call {name}: the {what} needs {words} words, a message has 6", line)
            for kind in ("cap", "grant"):
                if sum(p["kind"] == kind for p in params) > 1:
                    self.fail(f"call {name}: a {what} carries one {kind} at most", line)
        self.calls.append(call)

    def params(self, call, what):
        self.take("punct", "(")
        params = []
        while not self.accept(")"):
            if params:
                self.take("punct", ",")
            line = self.peek()[2]
            p = self.param(what)
            if p["name"] in [q["name"] for q in params]:
                self.fail(f"call {call}: {what} {p['name']!r} named twice", line)
            params.append(p)
        return params

    def param(self, what):
        tok = self.take("id")
        direction = None
        if tok[1] in ("in", "out", "inout"):
            if what == "result":
                self.fail("a result cannot be a grant (grant an out buffer instead)", tok[2])
            direction = tok[1]
            self.take("id", "grant")
            tok = self.take("id")
            elem = tok[1]
            if elem == "struct":
                elem = "struct " + self.take("id")[1]
                ctype = elem
            elif elem in SCALARS or elem == "char":
                ctype = SCALARS.get(elem, "char")
            else:
                self.fail(f"unknown grant element {elem!r}", tok[2])
            self.take("punct", "[")
            size = self.size()
            self.take("punct", "]")
            return {"kind": "grant", "dir": direction, "ctype": ctype, "size": size,
                    "name": self.name(what), "words": 0}
        t = tok[1]
        if t in ("char", "u8") and self.peek()[1] == "[":
            self.take("punct", "[")
            expr, value = self.size()
            if value is None:
                self.fail(f"an inline {t}[] needs a size this file knows", tok[2])
            self.take("punct", "]")
            kind = "chars" if t == "char" else "bytes"
            words = (value + 7) // 8 + (kind == "bytes")
            return {"kind": kind, "size": (expr, value), "name": self.name(what),
                    "words": words, "ctype": "char" if t == "char" else "uint8_t"}
        if t in SCALARS:
            return {"kind": "scalar", "type": t, "ctype": SCALARS[t], "name": self.name(what),
                    "words": 1}
        if t in self.enums:
            return {"kind": "enum", "type": t, "ctype": f"enum {self.proto['name']}_{t}",
                    "name": self.name(what), "words": 1}
        if t == "cap":
            return {"kind": "cap", "ctype": "uint32_t", "name": self.name(what), "words": 0}
        self.fail(f"unknown type {t!r}", tok[2])


def known_errnos():
    with open(os.path.join(ROOT, "include/tessera/errno.h")) as f:
        return set(re.findall(r"#define\s+(E[A-Z0-9]+)\s", f.read()))


def parse_file(path):
    with open(path) as f:
        return Parser(f.read(), path, known_errnos()).parse()


# --- writing ---------------------------------------------------------------------

def comment(lines, indent=""):
    if not lines:
        return []
    if len(lines) == 1:
        return [f"{indent}/* {lines[0]} */"]
    return [f"{indent}/*"] + [f"{indent} * {l}".rstrip() for l in lines] + [f"{indent} */"]


class Writer:
    def __init__(self, p, source):
        self.p, self.source = p, source
        self.pn, self.PN = p.proto["name"], p.proto["prefix"]

    def fn(self, call, suffix):
        return f"{self.pn}_{call['name']}_{suffix}"

    def label(self, call):
        return f"{self.PN}_{call['name'].upper()}"

    def banner(self, what):
        return [f"/* {what}: generated by scripts/idlgen.py from",
                f" * {self.source}; do not edit. */"]

    # -- NAME.h: the protocol's types and the client's marshalling --

    def header(self):
        p, pn, PN = self.p, self.pn, self.PN
        out = self.banner(f"The {pn} protocol") + comment(p.proto["doc"])
        out += [f"#ifndef GEN_PROTO_{PN}_H", f"#define GEN_PROTO_{PN}_H", "",
                "#include <tessera/idl.h>"]
        out += [f"#include {inc}" for inc in p.includes] + [""]
        for name, (value, doc) in p.consts.items():
            out += comment(doc) + [f"#define {PN}_{name} {value}"]
        for name, enum in p.enums.items():
            out += comment(enum["doc"]) + [f"enum {pn}_{name} {{"]
            out += [f"\t{PN}_{v} = {n}," for v, n in enum["values"]] + ["};"]
        out += ["", f"enum {pn}_label {{"]
        for c in p.calls:
            out += [f"\t{self.label(c)} = {c['label']:#x},"]
        out += ["};", f"#define {PN}_LABEL_FIRST {p.proto['first']:#x}",
                f"#define {PN}_LABEL_END {p.proto['first'] + len(p.calls):#x}", ""]
        for c in p.calls:
            out += self.structs(c) + self.client_pack(c) + self.client_unpack(c)
        out += self.errors()
        return out + ["", "#endif"]

    def fields(self, params):
        out = []
        for q in params:
            if q["kind"] == "chars":
                out.append(f"\tchar {q['name']}[{q['size'][0]}];")
            elif q["kind"] == "bytes":
                out.append(f"\tuint64_t {q['name']}_len;")
                out.append(f"\tuint8_t {q['name']}[{q['size'][0]}];")
            elif q["kind"] == "grant":
                out.append(f"\tuint64_t {q['name']}_len;    "
                           f"/* bytes granted ({q['dir']}): up to {q['size'][0]} {q['ctype']} */")
            elif q["kind"] == "cap":
                out.append(f"\tuint32_t {q['name']};    /* a capability slot */")
            else:
                out.append(f"\t{q['ctype']} {q['name']};")
        return out

    def structs(self, c):
        name, L = f"{self.pn}_{c['name']}", self.label(c)
        out = comment(c["doc"] + [f"errors: {' '.join(c['errors']) or 'none'}"])
        out += [f"struct {name}_req {{",
                "\tuint64_t badge, reply;    /* the caller, and the handle that answers it */"]
        out += self.fields(c["args"]) + ["};", f"struct {name}_rep {{"]
        out += self.fields(c["results"]) or ["\tchar none;    /* no results: the value only */"]
        out += ["};"]
        for params, what in ((c["args"], "REQ"), (c["results"], "REP")):
            words = " + ".join(self.words_expr(q) for q in params if q["words"]) or "0"
            tail = [q["kind"] for q in params if q["kind"] in ("cap", "grant")]
            out += [f"#define {L}_{what}_WORDS ({words})",
                    f"#define {L}_{what}_TAIL {1 if tail else 0}    "
                    f"/* {' and '.join(tail) or 'nothing'} in the tail */",
                    f"_Static_assert({L}_{what}_WORDS <= TS_MSG_WORDS, "
                    f"\"{self.pn} {c['name']}: {what.lower()} words\");"]
        return out + [""]

    def words_expr(self, q):
        if q["kind"] in ("chars", "bytes"):
            return f"IDL_WORDS({q['size'][0]})" + (" + 1" if q["kind"] == "bytes" else "")
        return "1"

    def c_params(self, params, out):
        """The C parameters a stub takes for these arguments (out: results, whose
        names get the prefix out_, so that they may repeat an argument's)."""
        res = []
        for q in params:
            if out:
                q = dict(q, name="out_" + q["name"])
            if q["kind"] == "chars":
                res.append(f"char *{q['name']}" if out else f"const char *{q['name']}")
            elif q["kind"] == "bytes" and out:
                res += [f"void *{q['name']}", f"uint64_t *{q['name']}_len"]
            elif q["kind"] == "bytes":
                res += [f"const void *{q['name']}", f"uint64_t {q['name']}_len"]
            elif q["kind"] == "grant":
                const = "const " if q["dir"] == "in" else ""
                res += [f"{const}void *{q['name']}", f"uint64_t {q['name']}_len"]
            else:
                res.append(f"{q['ctype']} *{q['name']}" if out else f"{q['ctype']} {q['name']}")
        return res

    def client_pack(self, c):
        """NAME_CALL_start: a request message from typed arguments."""
        params = ", ".join(["struct ts_msg *m"] + self.c_params(c["args"], False))
        out = [f"/* The {c['name']} request in m: 0, or -EINVAL for an argument that",
               " * does not fit it. */",
               f"static inline long {self.fn(c, 'start')}({params})", "{",
               f"\tidl_msg_init(m, {self.label(c)});"]
        word = 0
        for q in c["args"]:
            n = q["name"]
            if q["kind"] == "chars":
                out.append(f"\tif (idl_put_chars(m, {word}, {n}, {q['size'][0]}))")
                out.append("\t\treturn -EINVAL;")
            elif q["kind"] == "bytes":
                out.append(f"\tif ({n}_len > {q['size'][0]})")
                out.append("\t\treturn -EINVAL;")
                out.append(f"\tm->word[{word}] = {n}_len;")
                out.append(f"\tidl_put_bytes(m, {word + 1}, {n}, {n}_len);")
            elif q["kind"] == "grant":
                out.append(f"\tif ({n}_len > (uint64_t){q['size'][0]} * sizeof({q['ctype']}))")
                out.append("\t\treturn -EINVAL;")
                flags = {"in": "TS_GRANT_READ", "out": "TS_GRANT_WRITE",
                         "inout": "TS_GRANT_READ | TS_GRANT_WRITE"}[q["dir"]]
                out.append(f"\tidl_put_grant(m, {n}, {n}_len, {flags});")
            elif q["kind"] == "cap":
                out.append(f"\tm->cap = {n};")
            elif q["kind"] == "scalar" and q["type"].startswith("i"):
                out.append(f"\tm->word[{word}] = (uint64_t)(int64_t){n};")
            else:
                out.append(f"\tm->word[{word}] = (uint64_t){n};")
            word += q["words"]
        return out + ["\treturn 0;", "}"]

    def client_unpack(self, c):
        """NAME_CALL_finish: the value of a reply, its results into pointers (NULL: not
        wanted)."""
        params = ", ".join(["const struct ts_msg *m"] + self.c_params(c["results"], True))
        out = [f"/* The value of the {c['name']} reply m (or -errno), its results stored. */",
               f"static inline long {self.fn(c, 'finish')}({params})", "{",
               "\tlong r = (long)m->label;", ""]
        if not c["results"]:
            return out[:-1] + ["\treturn r;", "}", ""]
        out[-1:] = ["\tif (r < 0)", "\t\treturn r;"]
        word = 0
        for q in c["results"]:
            n = "out_" + q["name"]
            if q["kind"] == "cap":
                out += ["\tif (m->cap == TS_NOCAP)", "\t\treturn -EPROTO;",
                        f"\tif ({n})", f"\t\t*{n} = m->cap;"]
            elif q["kind"] == "chars":
                out += [f"\tif ({n})", f"\t\tidl_get_chars(m, {word}, {n}, {q['size'][0]});"]
            elif q["kind"] == "bytes":
                out += [f"\tif (m->word[{word}] > {q['size'][0]})", "\t\treturn -EPROTO;",
                        f"\tif ({n})", f"\t\tidl_get_bytes(m, {word + 1}, {n}, m->word[{word}]);",
                        f"\tif ({n}_len)", f"\t\t*{n}_len = m->word[{word}];"]
            else:
                out += [f"\tif ({n})", f"\t\t*{n} = ({q['ctype']})m->word[{word}];"]
            word += q["words"]
        return out + ["\treturn r;", "}", ""]

    def errors(self):
        """The errnos each call may answer, for the fuzz test and for readers."""
        out = [f"/* The errnos a {self.pn} call may answer, 0-terminated; NULL: no such call. */",
               f"static inline const int *{self.pn}_errors(uint64_t label)", "{"]
        for c in self.p.calls:
            errs = ", ".join(sorted(set(c["errors"] + CHECK_ERRNOS)) + ["0"])
            out.append(f"\tstatic const int e_{c['name']}[] = {{ {errs} }};")
        out += ["", "\tswitch (label) {"]
        for c in self.p.calls:
            out += [f"\tcase {self.label(c)}:", f"\t\treturn e_{c['name']};"]
        return out + ["\tdefault:", "\t\treturn (const int *)0;", "\t}", "}"]

    # -- NAME_client.h: blocking stubs --

    def client(self):
        PN = self.PN
        out = self.banner(f"The {self.pn} protocol's client stubs")
        out += [f"#ifndef GEN_PROTO_{PN}_CLIENT_H", f"#define GEN_PROTO_{PN}_CLIENT_H", "",
                "#include <tessera.h>", f"#include <proto/{self.pn}.h>", ""]
        for c in self.p.calls:
            params = ", ".join(["uint32_t ep"] + self.c_params(c["args"], False) +
                               self.c_params(c["results"], True))
            names = [a for q in c["args"] for a in self.arg_names(q)]
            rnames = ["out_" + a for q in c["results"] for a in self.arg_names(q)]
            out += [f"/* {c['name']} on ep: its value, or -errno. */",
                    f"static inline long {self.fn(c, 'call')}({params})", "{",
                    "\tstruct ts_msg m;",
                    f"\tlong err = {self.fn(c, 'start')}({', '.join(['&m'] + names)});", "",
                    "\tif (err == 0)", "\t\terr = ts_call(ep, &m);",
                    f"\treturn err ? err : {self.fn(c, 'finish')}({', '.join(['&m'] + rnames)});",
                    "}", ""]
        return out + ["#endif"]

    def arg_names(self, q):
        if q["kind"] in ("bytes", "grant"):
            return [q["name"], q["name"] + "_len"]
        return [q["name"]]

    # -- NAME_server.h: checked unpacking, reply packing, dispatch --

    def server(self):
        pn, PN = self.pn, self.PN
        out = self.banner(f"The {pn} protocol's server side")
        out += [f"#ifndef GEN_PROTO_{PN}_SERVER_H", f"#define GEN_PROTO_{PN}_SERVER_H", "",
                f"#include <proto/{pn}.h>", "",
                "/* A server's handlers: each returns the call's value (>= 0), -errno, or",
                " * TS_NO_REPLY after keeping req->reply to answer later. NULL: -ENOSYS. */",
                f"struct {pn}_handlers {{",
                "\t/* required: a capability that came with a message no handler took */",
                "\tvoid (*drop_cap)(uint32_t slot);"]
        for c in self.p.calls:
            out.append(f"\tlong (*on_{c['name']})(const struct {pn}_{c['name']}_req *,"
                       f" struct {pn}_{c['name']}_rep *);")
        out += ["};", ""]
        for c in self.p.calls:
            out += self.server_unpack(c) + self.server_reply(c) + self.serve(c)
        out += self.dispatch() + self.fuzz_handlers()
        return out + ["", "#endif"]

    def server_unpack(self, c):
        out = [f"/* The {c['name']} request of m, checked: 0 or the errno that answers it. */",
               f"static inline long {self.fn(c, 'unpack')}(const struct ts_msg *m, "
               f"struct {self.pn}_{c['name']}_req *q)", "{",
               "\tq->badge = m->badge;", "\tq->reply = m->reply;"]
        if not any(q["kind"] == "cap" for q in c["args"]):
            out += ["\tif (m->cap != TS_NOCAP)", "\t\treturn -EINVAL;"]
        if not any(q["kind"] == "grant" for q in c["args"]):
            out += ["\tif (m->buf_len)", "\t\treturn -EINVAL;"]
        word = 0
        for q in c["args"]:
            n, w = q["name"], f"m->word[{word}]"
            if q["kind"] == "cap":
                out += ["\tif (m->cap == TS_NOCAP)", "\t\treturn -EBADF;", f"\tq->{n} = m->cap;"]
            elif q["kind"] == "chars":
                out += [f"\tif (idl_get_chars(m, {word}, q->{n}, {q['size'][0]}))",
                        "\t\treturn -EINVAL;"]
            elif q["kind"] == "bytes":
                out += [f"\tif ({w} > {q['size'][0]})", "\t\treturn -EINVAL;",
                        f"\tq->{n}_len = {w};", f"\tidl_get_bytes(m, {word + 1}, q->{n}, {w});"]
            elif q["kind"] == "grant":
                need = {"in": "TS_GRANT_READ", "out": "TS_GRANT_WRITE",
                        "inout": "TS_GRANT_READ | TS_GRANT_WRITE"}[q["dir"]]
                whole = "" if q["ctype"] in ("char", "uint8_t") else \
                    f" ||\n\t    m->buf_len % sizeof({q['ctype']})"
                out += [f"\tif (m->buf_len > (uint64_t){q['size'][0]} * sizeof({q['ctype']})"
                        f"{whole})", "\t\treturn -EINVAL;",
                        f"\tif (m->buf_len && (m->buf_flags & ({need})) != ({need}))",
                        "\t\treturn -EFAULT;", f"\tq->{n}_len = m->buf_len;"]
            elif q["kind"] == "enum":
                values = self.p.enums[q["type"]]["values"]
                test = " && ".join(f"{w} != {self.PN}_{v}" for v, _ in values)
                out += [f"\tif ({test})", "\t\treturn -EINVAL;",
                        f"\tq->{n} = ({q['ctype']}){w};"]
            else:
                if q["type"] not in ("u64", "i64"):
                    out += [f"\tif (!idl_fits_{q['type']}({w}))", "\t\treturn -EINVAL;"]
                out += [f"\tq->{n} = ({q['ctype']}){w};"]
            word += q["words"]
        return out + ["\treturn 0;", "}", ""]

    def server_reply(self, c):
        out = [f"/* The reply to {c['name']} with value r in out (r < 0: no results). */",
               f"static inline void {self.fn(c, 'reply')}(struct ts_msg *out, uint64_t reply, "
               f"long r, const struct {self.pn}_{c['name']}_rep *p)", "{",
               "\tidl_msg_init(out, (uint64_t)r);", "\tout->reply = reply;"]
        if not c["results"]:
            return out + ["\t(void)p;", "}", ""]
        out += ["\tif (r < 0)", "\t\treturn;"]
        word = 0
        for q in c["results"]:
            n = q["name"]
            if q["kind"] == "cap":
                out.append(f"\tout->cap = p->{n};")
            elif q["kind"] == "chars":
                out.append(f"\tidl_put_chars(out, {word}, p->{n}, {q['size'][0]});")
            elif q["kind"] == "bytes":
                out += [f"\tout->word[{word}] = p->{n}_len < {q['size'][0]} ? "
                        f"p->{n}_len : {q['size'][0]};",
                        f"\tidl_put_bytes(out, {word + 1}, p->{n}, out->word[{word}]);"]
            elif q["kind"] == "scalar" and q["type"].startswith("i"):
                out.append(f"\tout->word[{word}] = (uint64_t)(int64_t)p->{n};")
            else:
                out.append(f"\tout->word[{word}] = (uint64_t)p->{n};")
            word += q["words"]
        return out + ["}", ""]

    def serve(self, c):
        pn, name = self.pn, f"{self.pn}_{c['name']}"
        takes_cap = any(q["kind"] == "cap" for q in c["args"])
        out = [f"static inline long {self.fn(c, 'serve')}(const struct {pn}_handlers *h, "
               "const struct ts_msg *m,", "\t\tstruct ts_msg *out)", "{",
               f"\tstruct {name}_req q;", f"\tstruct {name}_rep p = {{ 0 }};",
               f"\tlong r = {self.fn(c, 'unpack')}(m, &q);", "",
               f"\tif (r == 0 && !h->on_{c['name']})", "\t\tr = -ENOSYS;"]
        if takes_cap:
            out += ["\tif (r && m->cap != TS_NOCAP)", "\t\th->drop_cap(m->cap);"]
        else:
            out += ["\tif (m->cap != TS_NOCAP)", "\t\th->drop_cap(m->cap);"]
        out += ["\tif (r == 0)", f"\t\tr = h->on_{c['name']}(&q, &p);",
                "\tif (r != TS_NO_REPLY)", f"\t\t{self.fn(c, 'reply')}(out, q.reply, r, &p);",
                "\treturn r;", "}", ""]
        return out

    def dispatch(self):
        pn, PN = self.pn, self.PN
        out = [f"typedef long {pn}_serve_fn(const struct {pn}_handlers *, const struct ts_msg *,",
               "\t\tstruct ts_msg *);", "",
               "/*",
               f" * One request m to a {pn} server: checked, handed to its handler, and the",
               " * reply (unless the value is TS_NO_REPLY) built in out, which may be m.",
               " */",
               f"static inline long {pn}_dispatch(const struct {pn}_handlers *h, "
               "const struct ts_msg *m,", "\t\tstruct ts_msg *out)", "{",
               f"\tstatic {pn}_serve_fn *const table[] = {{"]
        out += [f"\t\t{self.fn(c, 'serve')}," for c in self.p.calls]
        out += ["\t};", f"\tuint64_t i = m->label - {PN}_LABEL_FIRST;", "",
                "\tif (m->label < " + f"{PN}_LABEL_FIRST || i >= IDL_COUNT(table)) {{",
                "\t\tuint64_t reply = m->reply;", "",
                "\t\tif (m->cap != TS_NOCAP)", "\t\t\th->drop_cap(m->cap);",
                "\t\tidl_msg_init(out, (uint64_t)-ENOSYS);", "\t\tout->reply = reply;",
                "\t\treturn -ENOSYS;", "\t}", "\treturn table[i](h, m, out);", "}"]
        return out

    def fuzz_handlers(self):
        """Handlers that check what the generated code promised them, and answer a value
        idl_fuzz_result picks among the call's declared errnos (tests/unit)."""
        pn = self.pn
        out = ["", "#ifdef IDL_FUZZ"]
        for c in self.p.calls:
            name = f"{pn}_{c['name']}"
            out += [f"static long {name}_fuzz(const struct {name}_req *q, "
                    f"struct {name}_rep *p)", "{", "\t(void)q;"]
            for q in c["args"]:
                n = q["name"]
                if q["kind"] == "chars":
                    out.append(f"\tIDL_FUZZ_CHECK(memchr(q->{n}, 0, sizeof q->{n}));")
                elif q["kind"] == "bytes":
                    out.append(f"\tIDL_FUZZ_CHECK(q->{n}_len <= sizeof q->{n});")
                elif q["kind"] == "grant":
                    out.append(f"\tIDL_FUZZ_CHECK(q->{n}_len <= (uint64_t){q['size'][0]} * "
                               f"sizeof({q['ctype']}));")
                elif q["kind"] == "cap":
                    out.append(f"\tidl_fuzz_took_cap(q->{n});")
                elif q["kind"] == "enum":
                    values = self.p.enums[q["type"]]["values"]
                    test = " || ".join(f"q->{n} == {self.PN}_{v}" for v, _ in values)
                    out.append(f"\tIDL_FUZZ_CHECK({test});")
                elif q["type"] == "bool":
                    out.append(f"\tIDL_FUZZ_CHECK((unsigned char)q->{n} <= 1);")
            out += ["\tidl_fuzz_fill(p, sizeof *p);"]
            out += [f"\t*(uint8_t *)&p->{q['name']} &= 1;    /* a bool's bytes: 0 or 1 */"
                    for q in c["results"] if q.get("type") == "bool"]
            out += [
                    f"\treturn idl_fuzz_result({self.label(c)}, {pn}_errors({self.label(c)}));",
                    "}"]
        out += [f"static const struct {pn}_handlers {pn}_fuzz_handlers = {{",
                "\t.drop_cap = idl_fuzz_drop_cap,"]
        out += [f"\t.on_{c['name']} = {pn}_{c['name']}_fuzz," for c in self.p.calls]
        return out + ["};", "#endif"]


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        try:
            parse_file(argv[2])
        except IdlError as e:
            print(e, file=sys.stderr)
            return 1
        return 0
    if len(argv) != 3:
        print("usage: idlgen.py FILE.idl OUTDIR | idlgen.py --check FILE.idl", file=sys.stderr)
        return 2
    path, outdir = argv[1], argv[2]
    try:
        p = parse_file(path)
    except IdlError as e:
        print(e, file=sys.stderr)
        return 1
    w = Writer(p, os.path.relpath(path, ROOT) if path.startswith(ROOT) else path)
    os.makedirs(outdir, exist_ok=True)
    for suffix, lines in (("", w.header()), ("_client", w.client()), ("_server", w.server())):
        target = os.path.join(outdir, f"{p.proto['name']}{suffix}.h")
        with open(target + ".tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(target + ".tmp", target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
