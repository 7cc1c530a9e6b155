#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""gen-policy-docs.py — generate docs/policies.md and the monitor twins of the policy library.

The curated policies in policies/<concern>/*.yaml each start with a machine-readable header
(policies/README.md describes it).  This script reads those headers and the YAML they describe,
checks that the two agree and that the library follows its conventions, and writes:

  * docs/policies.md — a table of every policy plus a section per concern folder;
  * policies/enforce/<name>-monitor.yaml — the monitor-mode twin of every enforcing policy,
    derived mechanically from it (enforcement actions replaced by one Post, name and messages
    adjusted), so the pair cannot drift apart.

Usage:
  gen-policy-docs.py [--root DIR]          check, then write the generated files
  gen-policy-docs.py --check [--root DIR]  check, and fail if a generated file is stale
  gen-policy-docs.py --fix-headers         re-wrap header fields to 100 columns in place

Only the Python standard library is used (no network, no PyYAML): the YAML reader below accepts
the block-style subset the library is written in and reports anything else as an error.  The
output depends only on the input files, so running the script twice gives identical output.
"""

import argparse
import os
import re
import sys
import textwrap

HEADER_KEYS = ("detects", "why", "noise", "tune", "hooks", "kernels", "enforce")
HOOK_SECTIONS = {
	"kprobes": "kprobe",
	"fentries": "fentry",
	"tracepoints": "tracepoint",
	"uprobes": "uprobe",
	"usdts": "usdt",
	"lsmhooks": "lsm",
}
HOST_KINDS = ("tracepoint", "rawtp", "uprobe", "usdt")
ENFORCE_ACTIONS = ("Override", "Sigkill", "Signal", "NotifyEnforcer", "Set")
ACTIONS = ENFORCE_ACTIONS + ("Post", "NoPost", "GetUrl", "DnsLookup", "TrackSock", "UntrackSock",
			     "CleanupEnforcerNotification")
OPERATORS = ("Equal", "NotEqual", "GT", "GreaterThan", "LT", "LessThan", "Mask", "InMap",
	     "NotInMap", "InRange", "NotInRange", "Prefix", "NotPrefix", "Postfix", "NotPostfix",
	     "SubString", "SubStringIgnCase", "FileType", "NotFileType", "SAddr", "NotSAddr",
	     "DAddr", "NotDAddr", "SPort", "NotSPort", "DPort", "NotDPort", "SPortPriv",
	     "NotSportPriv", "DPortPriv", "NotDPortPriv", "Protocol", "Family", "State",
	     "CapabilitiesGained", "CelExpr")
BIN_OPERATORS = ("In", "NotIn", "Prefix", "NotPrefix", "Postfix", "NotPostfix")
ARG_TYPES = ("auto", "int", "int32", "sint32", "uint32", "int16", "sint16", "uint16", "int8",
	     "sint8", "uint8", "long", "int64", "sint64", "ulong", "uint64", "size_t",
	     "syscall64", "bpf_cmd", "string", "data_loc", "net_device", "char_buf",
	     "char_iovec", "iov_iter", "const_buf", "filename", "fd", "file", "path", "dentry",
	     "kiocb", "linux_binprm", "skb", "sock", "socket", "sockaddr", "sockaddr_un", "cred",
	     "kernel_cap_t", "cap_inheritable", "cap_permitted", "cap_effective", "capability",
	     "user_namespace", "bpf_attr", "bpf_prog", "bpf_map", "perf_event", "load_info",
	     "module", "nop")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
ATTACK_TAG = re.compile(r"^attack\.t(\d{4})(?:\.(\d{3}))?$")
MAX_COLS = 100
INDENT = "#" + " " * 11		# continuation lines of a header field: value column is 12

# One paragraph per concern folder, shown in docs/policies.md; folders not listed get none.
FOLDERS = {
	"credentials": "Changes of user, group and capabilities: the moments a process becomes more "
		       "privileged than it was.",
	"files": "Reads and writes of files that hold credentials or system code.",
	"kubernetes": "Node-level Kubernetes secrets and configuration: service-account tokens, "
		      "kubelet credentials, static pods.",
	"kernel": "Code entering the kernel (modules, BPF) and raw access to kernel memory.",
	"process": "How processes start and interfere with each other: fileless execution, "
		   "download tools, package managers, ptrace, /proc/<pid>/mem, shell input.",
	"network": "Connections out, listening sockets, DNS and shells bound to sockets.",
	"container-escape": "Primitives used to leave a container: mounts, namespace switches, "
			    "kernel helper hooks and runtime sockets.",
	"persistence": "Ways to be started again after a reboot or on a schedule.",
	"defense-evasion": "Removing the traces: logs and shell history.",
	"enforce": "Policies that block or kill, each next to its generated monitor-mode twin "
		   "(`*-monitor.yaml`) that reports the same events without acting.",
}


class PolicyError(Exception):
	"""A problem in one file, reported as file:line: message."""

	def __init__(self, line, msg):
		super().__init__(msg)
		self.line = line
		self.msg = msg


# ---------------------------------------------------------------------------------------------
# A reader for the block-style YAML subset the library uses.

class Map(dict):
	"""A mapping that remembers the line of each key."""

	def __init__(self):
		super().__init__()
		self.lines = {}
		self.line = 0


class Seq(list):
	"""A sequence that remembers its first line."""

	def __init__(self):
		super().__init__()
		self.line = 0


class Str(str):
	"""A scalar string; `quoted` tells whether it was written in quotes."""

	quoted = False


def strip_comment(text):
	"""Remove a trailing # comment that is outside quotes."""
	quote = None
	for i, c in enumerate(text):
		if quote:
			if c == quote:
				quote = None
		elif c in "\"'":
			quote = c
		elif c == "#" and (i == 0 or text[i - 1] in " \t"):
			return text[:i].rstrip()
	return text.rstrip()


def parse_scalar(text, line):
	"""A scalar: "double", 'single', a [flow, list] of scalars, or plain."""
	if text.startswith('"'):
		if len(text) < 2 or not text.endswith('"'):
			raise PolicyError(line, "unterminated double-quoted string")
		body = text[1:-1]
		out = []
		i = 0
		while i < len(body):
			c = body[i]
			if c == "\\":
				if i + 1 >= len(body):
					raise PolicyError(line, "dangling backslash in string")
				e = body[i + 1]
				out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(e, "\\" + e))
				i += 2
				continue
			if c == '"':
				raise PolicyError(line, "unescaped quote inside a string")
			out.append(c)
			i += 1
		s = Str("".join(out))
		s.quoted = True
		return s
	if text.startswith("'"):
		if len(text) < 2 or not text.endswith("'"):
			raise PolicyError(line, "unterminated single-quoted string")
		s = Str(text[1:-1].replace("''", "'"))
		s.quoted = True
		return s
	if text.startswith("["):
		if not text.endswith("]"):
			raise PolicyError(line, "unterminated flow sequence")
		seq = Seq()
		seq.line = line
		inner = text[1:-1].strip()
		if inner:
			for part in inner.split(","):
				seq.append(parse_scalar(part.strip(), line))
		return seq
	if text.startswith(("{", "&", "*", "!", "|", ">")):
		raise PolicyError(line, "unsupported YAML construct '%s'" % text[0])
	if text in ("true", "false"):
		return text == "true"
	if text in ("null", "~"):
		return None
	if re.fullmatch(r"-?\d+", text):
		return int(text)
	return Str(text)


def split_key(content, line):
	"""Split `key: value` (the key may be quoted); None when the line is not a mapping entry."""
	m = re.match(r'^("(?:[^"\\]|\\.)*"|\'[^\']*\'|[^"\'\s][^:]*?)\s*:(?:\s+(.*))?$', content)
	if not m:
		return None
	key = m.group(1)
	if key[0] in "\"'":
		key = str(parse_scalar(key, line))
	return key, (m.group(2) or "")


class YamlReader:
	"""Indentation-driven recursive descent over (line number, indent, content) triples."""

	def __init__(self, text):
		self.rows = []
		for n, raw in enumerate(text.split("\n"), 1):
			if "\t" in raw[:len(raw) - len(raw.lstrip())]:
				raise PolicyError(n, "tab in indentation")
			content = strip_comment(raw)
			if not content.strip():
				continue
			if content.strip() in ("---", "..."):
				raise PolicyError(n, "one document per file")
			indent = len(content) - len(content.lstrip(" "))
			self.rows.append([n, indent, content.strip()])
		self.pos = 0

	def peek(self):
		return self.rows[self.pos] if self.pos < len(self.rows) else None

	def parse(self):
		if not self.rows:
			raise PolicyError(1, "empty document")
		node = self.block(self.rows[0][1])
		if self.peek():
			raise PolicyError(self.peek()[0], "unexpected indentation")
		return node

	def block(self, indent):
		row = self.peek()
		if row[2] == "-" or row[2].startswith("- "):
			return self.seq(indent)
		return self.map(indent)

	def seq(self, indent):
		out = Seq()
		out.line = self.peek()[0]
		while True:
			row = self.peek()
			if not row or row[1] != indent or not (row[2] == "-" or row[2].startswith("- ")):
				break
			rest = row[2][1:].lstrip()
			if not rest:
				self.pos += 1
				nxt = self.peek()
				if not nxt or nxt[1] <= indent:
					out.append(None)
				else:
					out.append(self.block(nxt[1]))
				continue
			col = indent + len(row[2]) - len(rest)
			if split_key(rest, row[0]) or rest.startswith("- "):
				row[1], row[2] = col, rest	# re-read the item as a block at its column
				out.append(self.block(col))
			else:
				self.pos += 1
				out.append(parse_scalar(rest, row[0]))
		return out

	def map(self, indent):
		out = Map()
		out.line = self.peek()[0]
		while True:
			row = self.peek()
			if not row or row[1] < indent:
				break
			if row[1] > indent:
				raise PolicyError(row[0], "unexpected indentation")
			if row[2] == "-" or row[2].startswith("- "):
				break
			kv = split_key(row[2], row[0])
			if not kv:
				raise PolicyError(row[0], "expected 'key: value'")
			key, value = kv
			if key in out:
				raise PolicyError(row[0], "duplicate key '%s'" % key)
			out.lines[key] = row[0]
			self.pos += 1
			if value:
				out[key] = parse_scalar(value, row[0])
				continue
			nxt = self.peek()
			if nxt and nxt[1] > indent:
				out[key] = self.block(nxt[1])
			elif nxt and nxt[1] == indent and (nxt[2] == "-" or nxt[2].startswith("- ")):
				out[key] = self.seq(indent)
			else:
				out[key] = None
		return out


def seq(node):
	"""NODE if it is a sequence, else an empty one (a wrong shape is reported by check_shape)."""
	return node if isinstance(node, list) else Seq()


# Keys whose value must be a sequence or a mapping, wherever they appear.
SEQ_KEYS = ("kprobes", "fentries", "tracepoints", "uprobes", "usdts", "lsmhooks", "args", "data",
	    "selectors", "tags", "values", "symbols", "matchArgs", "matchData", "matchReturnArgs",
	    "matchBinaries", "matchParentBinaries", "matchNamespaces", "matchCapabilities",
	    "matchActions", "matchReturnActions", "macros", "options", "lists", "matchPIDs")
MAP_KEYS = ("metadata", "spec", "selectorsMacros", "returnArg", "ignore")


def check_shape(p, node):
	"""Report SEQ_KEYS/MAP_KEYS entries of the wrong shape anywhere under NODE."""
	if isinstance(node, Map):
		for k, v in node.items():
			line = node.lines.get(k, node.line)
			if k in SEQ_KEYS and v is not None and not isinstance(v, list):
				p.problem(line, "'%s' must be a list" % k)
			elif k in MAP_KEYS and v is not None and not isinstance(v, Map):
				p.problem(line, "'%s' must be a mapping" % k)
			check_shape(p, v)
	elif isinstance(node, list):
		for v in node:
			check_shape(p, v)


# ---------------------------------------------------------------------------------------------
# Headers.

def parse_header(lines):
	"""Return ({key: text}, {key: line}, end) for the leading comment block; lines[end:] is
	what follows the last field (free comment text, then the YAML)."""
	fields, where, order = {}, {}, []
	cur = None
	end = 0
	for i, raw in enumerate(lines):
		if not raw.startswith("#"):
			break
		m = re.match(r"^# ([a-z]+):\s+(\S.*)$", raw)
		if m and cur is not False:
			key = m.group(1)
			if key not in HEADER_KEYS:
				raise PolicyError(i + 1, "unknown header field '%s'" % key)
			if key in fields:
				raise PolicyError(i + 1, "header field '%s' given twice" % key)
			fields[key] = m.group(2).strip()
			where[key] = i + 1
			order.append(key)
			cur = key
			end = i + 1
			continue
		m = re.match(r"^#\s{3,}(\S.*)$", raw)
		if m and cur:
			fields[cur] += " " + m.group(1).strip()
			end = i + 1
			continue
		cur = False		# free text after the fields ends them (and is kept)
	for key in HEADER_KEYS:
		if key not in fields:
			raise PolicyError(1, "header field '%s' missing (see policies/README.md)" % key)
	if tuple(order) != HEADER_KEYS:
		raise PolicyError(1, "header fields must come in the order: " + ", ".join(HEADER_KEYS))
	return fields, where, end


def wrap_field(key, text):
	"""Lay out one header field at 100 columns, value column 12."""
	first = "# %-9s " % (key + ":")
	return textwrap.wrap(text, width=MAX_COLS, initial_indent=first, subsequent_indent=INDENT,
			     break_long_words=False, break_on_hyphens=False)


def parse_enforce(text, line):
	"""`no`, `no — twin: NAME` or `yes (ACTIONS) — twin: NAME` → (enforces, actions, twin)."""
	if text == "no":
		return False, None, None
	m = re.fullmatch(r"no — twin: (tetracc-[a-z0-9-]+)", text)
	if m:
		return False, None, m.group(1)
	m = re.fullmatch(r"yes \(([^)]+)\) — twin: (tetracc-[a-z0-9-]+)", text)
	if m:
		return True, m.group(1), m.group(2)
	raise PolicyError(line, "enforce: must be 'no', 'no — twin: NAME' or "
			  "'yes (ACTIONS) — twin: NAME', not '%s'" % text)


# ---------------------------------------------------------------------------------------------
# One policy.

class Policy:
	"""One policy file: its header fields, its YAML tree and the problems found in it."""

	def __init__(self, root, rel, text=None):
		self.rel = rel
		self.folder = rel.split("/")[1]
		self.stem = os.path.basename(rel)[:-len(".yaml")]
		if text is None:
			with open(os.path.join(root, rel), encoding="utf-8") as f:
				text = f.read()
		self.text = text
		self.lines = self.text.split("\n")
		self.header, self.header_lines, self.header_end = parse_header(self.lines)
		# (enforces, actions, twin name)
		self.enforce = parse_enforce(self.header["enforce"], self.header_lines["enforce"])
		self.doc = YamlReader(self.text).parse()
		self.problems = []

	def problem(self, line, msg):
		if (line, msg) not in self.problems:	# selectors() runs more than once
			self.problems.append((line, msg))

	@property
	def name(self):
		md = self.doc.get("metadata") if isinstance(self.doc, Map) else None
		return str(md.get("name")) if isinstance(md, Map) and md.get("name") else ""

	def spec(self):
		spec = self.doc.get("spec") if isinstance(self.doc, Map) else None
		return spec if isinstance(spec, Map) else Map()

	def section(self):
		for key in HOOK_SECTIONS:
			if key in self.spec():
				return key
		return None

	def hooks(self):
		"""(kind:target, hook mapping) for every hook of the policy."""
		sec = self.section()
		out = []
		items = self.spec().get(sec) if sec else None
		if not isinstance(items, Seq):
			return out
		for h in items:
			if not isinstance(h, Map):
				continue
			if sec in ("kprobes", "fentries"):
				out.append(("%s:%s" % (HOOK_SECTIONS[sec], h.get("call")), h))
			elif sec == "lsmhooks":
				out.append(("lsm:%s" % h.get("hook"), h))
			elif sec == "tracepoints":
				kind = "rawtp" if h.get("raw") is True else "tracepoint"
				out.append(("%s:%s/%s" % (kind, h.get("subsystem"), h.get("event")), h))
			elif sec == "uprobes":
				for sym in seq(h.get("symbols")):
					out.append(("uprobe:%s:%s" % (h.get("path"), sym), h))
			elif sec == "usdts":
				out.append(("usdt:%s:%s:%s" % (h.get("path"), h.get("provider"),
								h.get("name")), h))
		return out

	def selectors(self, hook):
		"""Every selector of a hook with its macros merged in (field clashes are reported)."""
		macros = self.spec().get("selectorsMacros")
		out = []
		for sel in seq(hook.get("selectors")):
			if not isinstance(sel, Map):
				continue
			merged = Map()
			merged.line = sel.line
			for k, v in sel.items():
				if k != "macros":
					merged[k] = v
			for mname in seq(sel.get("macros")):
				mac = macros.get(str(mname)) if isinstance(macros, Map) else None
				if not isinstance(mac, Map):
					self.problem(sel.line, "undefined macro '%s'" % mname)
					continue
				for k, v in mac.items():
					if k in merged:
						self.problem(sel.line, "field '%s' comes from both the selector "
							     "and macro '%s'" % (k, mname))
					merged[k] = v
			out.append(merged)
		return out

	def actions(self):
		acts = []
		for _, hook in self.hooks():
			for sel in self.selectors(hook):
				for a in seq(sel.get("matchActions")):
					if isinstance(a, Map):
						acts.append(str(a.get("action")))
		return acts

	def tags(self):
		tags = []
		for _, hook in self.hooks():
			for t in seq(hook.get("tags")):
				if str(t) not in tags:
					tags.append(str(t))
		return tags

	def attack_ids(self):
		ids = []
		for t in self.tags():
			m = ATTACK_TAG.match(t)
			if m:
				tid = "T" + m.group(1) + ("." + m.group(2) if m.group(2) else "")
				if tid not in ids:
					ids.append(tid)
		return sorted(ids)

	def host_attachable(self):
		return all(k.split(":")[0] in HOST_KINDS for k, _ in self.hooks())


def check_policy(p):
	"""Every convention of the library that can be checked without a kernel."""
	doc = p.doc
	if not isinstance(doc, Map):
		p.problem(1, "the document must be a mapping")
		return
	if doc.get("apiVersion") != "cilium.io/v1alpha1":
		p.problem(doc.lines.get("apiVersion", 1), "apiVersion must be cilium.io/v1alpha1")
	if doc.get("kind") != "TracingPolicy":
		p.problem(doc.lines.get("kind", 1), "kind must be TracingPolicy")
	check_shape(p, doc)
	name = p.name
	md_line = doc.lines.get("metadata", 1)
	if not name:
		p.problem(md_line, "metadata.name missing")
	else:
		if len(name) > 253 or not DNS_SUBDOMAIN.match(name):
			p.problem(md_line, "metadata.name '%s' is not a DNS subdomain" % name)
		if name != "tetracc-" + p.stem:
			p.problem(md_line, "metadata.name must be 'tetracc-%s' (tetracc- + file name)"
				  % p.stem)
	spec = doc.get("spec")
	if not isinstance(spec, Map):
		p.problem(doc.lines.get("spec", 1), "spec missing")
		return
	secs = [k for k in HOOK_SECTIONS if k in spec]
	if len(secs) != 1:
		p.problem(spec.line, "exactly one hook section is allowed, found: %s"
			  % (", ".join(secs) or "none"))
		return
	for i, line in enumerate(p.lines, 1):
		if len(line) > MAX_COLS:
			p.problem(i, "line longer than %d columns" % MAX_COLS)
	if p.header["noise"].split(" ")[0] not in ("low", "medium", "high") or \
	   " — " not in p.header["noise"]:
		p.problem(p.header_lines["noise"], "noise: must be 'low|medium|high — what triggers it'")

	# hooks: header against the YAML
	declared = [h.strip() for h in p.header["hooks"].split(",")]
	actual = [k for k, _ in p.hooks()]
	if sorted(set(declared)) != sorted(set(actual)):
		p.problem(p.header_lines["hooks"], "hooks: says %s but the policy has %s"
			  % (", ".join(declared), ", ".join(actual)))

	for key, hook in p.hooks():
		line = hook.line
		msg = hook.get("message")
		if not isinstance(msg, str) or not 2 <= len(msg) <= 256:
			p.problem(line, "%s: message of 2..256 characters required" % key)
		tags = [str(t) for t in seq(hook.get("tags"))]
		if not tags or len(tags) > 16 or any(len(t) < 2 for t in tags):
			p.problem(line, "%s: 1..16 tags of at least 2 characters required" % key)
		if not any(ATTACK_TAG.match(t) for t in tags):
			p.problem(line, "%s: tags need a MITRE ATT&CK id (attack.tNNNN[.NNN])" % key)
		if not any(t.startswith("observability.") for t in tags):
			p.problem(line, "%s: tags need an observability.* category" % key)
		if secs[0] in ("kprobes", "fentries"):
			call = str(hook.get("call"))
			sysc = hook.get("syscall", True)
			if call.startswith("sys_") and sysc is not True:
				p.problem(line, "%s: a syscall needs syscall: true" % key)
			if not call.startswith("sys_") and "syscall" not in hook:
				p.problem(line, "%s: write syscall: false (it defaults to true)" % key)
		args = seq(hook.get("args"))
		data = seq(hook.get("data"))
		indexes = [a.get("index") for a in args if isinstance(a, Map)]
		for a in list(args) + list(data):
			if isinstance(a, Map) and a.get("type") is not None and \
			   str(a.get("type")) not in ARG_TYPES:
				p.problem(a.line, "unknown argument type '%s'" % a.get("type"))
		for sel in p.selectors(hook):
			check_selector(p, key, sel, indexes, len(args) + len(data), len(data))
		ret = hook.get("returnArg")
		if hook.get("return") is True and not isinstance(ret, Map):
			p.problem(line, "%s: return: true needs returnArg" % key)

	enforces, _, twin = p.enforce
	has = [a for a in p.actions() if a in ENFORCE_ACTIONS]
	if enforces and not has:
		p.problem(p.header_lines["enforce"], "enforce: yes but no enforcement action")
	if not enforces and has:
		p.problem(p.header_lines["enforce"], "enforce: no but the policy uses " + ", ".join(has))
	if enforces and p.folder != "enforce":
		p.problem(p.header_lines["enforce"], "enforcing policies live in policies/enforce/")
	if enforces and twin != p.name + "-monitor":
		p.problem(p.header_lines["enforce"], "the twin of %s must be %s-monitor"
			  % (p.name, p.name))


def check_selector(p, key, sel, indexes, nslots, ndata):
	for f in seq(sel.get("matchArgs")):
		if not isinstance(f, Map):
			continue
		check_operator(p, key, f)
		if "args" in f:
			for pos in seq(f.get("args")):
				if not isinstance(pos, int) or not 0 <= pos < nslots:
					p.problem(f.line, "%s: matchArgs args: position %s out of range"
						  % (key, pos))
		elif f.get("index", 0) not in indexes:
			p.problem(f.line, "%s: matchArgs index %s names no entry of args"
				  % (key, f.get("index", 0)))
	for f in seq(sel.get("matchData")):
		if isinstance(f, Map):
			check_operator(p, key, f)
			idx = f.get("index", 0)
			if not isinstance(idx, int) or not 0 <= idx < ndata:
				p.problem(f.line, "%s: matchData index %s is not a position in data"
					  % (key, f.get("index", 0)))
	for f in list(seq(sel.get("matchBinaries"))) + list(seq(sel.get("matchParentBinaries"))):
		if isinstance(f, Map) and str(f.get("operator")) not in BIN_OPERATORS:
			p.problem(f.line, "%s: matchBinaries operator '%s'" % (key, f.get("operator")))
	for a in seq(sel.get("matchActions")):
		if isinstance(a, Map) and str(a.get("action")) not in ACTIONS:
			p.problem(a.line, "%s: unknown action '%s'" % (key, a.get("action")))
	if len(seq(sel.get("matchActions"))) > 3:
		p.problem(sel.line, "%s: at most 3 actions per selector" % key)


def check_operator(p, key, f):
	if str(f.get("operator")) not in OPERATORS:
		p.problem(f.line, "%s: unknown operator '%s'" % (key, f.get("operator")))
	for v in seq(f.get("values")):
		if not isinstance(v, Str) or not v.quoted:
			p.problem(f.line, "%s: values must be quoted strings (got %r)" % (key, v))


# ---------------------------------------------------------------------------------------------
# Monitor twins.

def twin_text(p):
	"""The monitor-mode twin of an enforcing policy, derived from its text."""
	name = p.name
	h = dict(p.header)
	detects = h["detects"]
	cut = detects.rfind(" — and ")
	if cut < 0:
		raise PolicyError(p.header_lines["detects"], "an enforcing policy's detects: must end "
				  "with ' — and <what it does>' (cut in the monitor twin)")
	h["detects"] = detects[:cut] + ". Monitor-mode twin of %s: reports, blocks nothing." % name
	tune = h["tune"]
	if not tune.startswith("run the monitor twin first; "):
		raise PolicyError(p.header_lines["tune"], "an enforcing policy's tune: must start "
				  "with 'run the monitor twin first; '")
	h["tune"] = "load this before %s to see what it would block; %s" % (
		name, tune[len("run the monitor twin first; "):])
	h["enforce"] = "no — twin: %s" % name
	out = []
	for key in HEADER_KEYS:
		out += wrap_field(key, h[key])
	out += p.lines[p.header_end:]
	body = []
	skip_indent = None
	inserted = -1		# index in body of the Post standing in for the dropped actions
	for line in out:
		indent = len(line) - len(line.lstrip(" "))
		if skip_indent is not None:
			if line.strip() and indent > skip_indent:
				continue		# parameters of a dropped action
			skip_indent = None
		m = re.match(r'^(\s*)- action: "?(%s)"?\s*$' % "|".join(ENFORCE_ACTIONS), line)
		if m:
			skip_indent = len(m.group(1))
			if inserted != len(body) - 1:
				body.append('%s- action: "Post"' % m.group(1))
				inserted = len(body) - 1
			continue
		body.append(line)
	text = "\n".join(body)
	text = re.sub(r'^(  name: )"%s"$' % re.escape(name), r'\1"%s-monitor"' % name, text,
		      count=1, flags=re.M)
	text = re.sub(r'^(\s*message: ".*)\[([^\]]+)\]"$', r'\1[monitor: would be \2]"', text,
		      flags=re.M)
	return text


# ---------------------------------------------------------------------------------------------
# docs/policies.md

def md(text):
	"""Header text as Markdown: `code` spans kept, elsewhere * _ < > escaped (paths such as
	/proc/<pid>/mem and prototypes such as struct file * must show literally)."""
	parts = text.split("`")
	for i in range(0, len(parts), 2):	# outside code spans
		p = parts[i]
		for c in ("\\", "*", "_", "[", "]"):
			p = p.replace(c, "\\" + c)
		parts[i] = p.replace("<", "&lt;").replace(">", "&gt;")
	return "`".join(parts)


def cell(text):
	return md(text).replace("|", "\\|").replace("\n", " ")


def attack_link(tid):
	return "[%s](https://attack.mitre.org/techniques/%s/)" % (tid, tid.replace(".", "/"))


XFAIL_NOTE = " (expected failure: a known tetracc/tetraload bug)"


def trigger_tests(root):
	"""stem -> "where it is tested" from tests/vm/e2e/library.py's table (the policy's trigger
	test), or None when there is no such table."""
	path = os.path.join(root, "tests", "vm", "e2e", "library.py")
	if not os.path.exists(path):	# a copy of policies/ and docs/ alone: this script's tree
		path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vm",
				    "e2e", "library.py")
	if not os.path.exists(path):
		return None
	import importlib.util
	spec = importlib.util.spec_from_file_location("tc_policy_library", path)
	lib = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(lib)
	names = {"debian-6.1": "6.1", "debian-6.12": "6.12", "host": "host (6.18)"}
	out = {}
	for r in lib.LIBRARY:
		cells = []
		for k in ("debian-6.1", "debian-6.12", "host"):
			if k in r["where"]:
				xf = (k, r["stem"]) in lib.EXPECTED_FAILURES
				cells.append(names[k] + (XFAIL_NOTE if xf else ""))
		out[r["stem"]] = ", ".join(cells)
	return out


def render_docs(policies, tested=None):
	out = []
	w = out.append
	w("<!-- Generated by scripts/gen-policy-docs.py from the headers and YAML of "
	  "policies/*/*.yaml; do not edit by hand: run the script. -->")
	w("")
	w("# The tetracc policy library")
	w("")
	host = [p for p in policies if p.host_attachable()]
	enf = [p for p in policies if p.enforce[0]]
	twins = [p for p in policies if p.enforce[2] and not p.enforce[0]]
	folders = sorted({p.folder for p in policies})
	w("%d policies in %d folders. %d attach on any kernel with tracepoints or uprobes "
	  "(they run on the development host, 6.18); the other %d need kprobes, fentry or BPF LSM "
	  "(Debian 6.1 and 6.12 under qemu). %d enforce (kill or deny), each with a generated "
	  "monitor-mode twin (%d twins)." % (len(policies), len(folders), len(host),
					     len(policies) - len(host), len(enf), len(twins)))
	w("")
	w("The header format, the twin convention and how to tune a policy are described in "
	  "[policies/README.md](../policies/README.md). Check a policy against your kernels with "
	  "`tetracc check --target ... policies/<folder>/<file>.yaml`.")
	w("")
	if tested is not None:
		w("Every policy has a trigger test that makes it fire with a real action and checks "
		  "its event (for an enforcing policy also the effect and a benign neighbour): "
		  "`tests/vm/e2e/library.py`, ctest `vm.<kernel>.lib.<file>`; the **tested** line of "
		  "each policy says where, the results are in "
		  "[docs/kernel-support.md](kernel-support.md#the-policy-library).")
		w("")
	w("## All policies")
	w("")
	w("| policy | detects | hooks | noise | runs on | enforce | ATT&CK |")
	w("|---|---|---|---|---|---|---|")
	for p in policies:
		enforces, acts, twin = p.enforce
		if enforces:
			e = "yes: %s" % acts
		elif twin:
			e = "monitor twin of `%s`" % twin
		else:
			e = "no"
		hooks = "<br>".join("`%s`" % k for k in dict.fromkeys(k for k, _ in p.hooks()))
		w("| [`%s`](../%s) | %s | %s | %s | %s | %s | %s |" % (
			p.name, p.rel, cell(p.header["detects"]), hooks,
			p.header["noise"].split(" ")[0],
			"host (6.18) + qemu" if p.host_attachable() else "qemu (6.1, 6.12)",
			cell(e), " ".join(attack_link(t) for t in p.attack_ids())))
	w("")
	for folder in folders:
		w("## %s" % folder)
		w("")
		if folder in FOLDERS:
			w(FOLDERS[folder])
			w("")
		for p in [q for q in policies if q.folder == folder]:
			w("### %s" % p.name)
			w("")
			w("File: [`%s`](../%s)" % (p.rel, p.rel))
			w("")
			for key in ("detects", "why", "noise", "tune", "kernels", "enforce"):
				w("- **%s**: %s" % (key, md(p.header[key])))
			w("- **hooks**: %s" % ", ".join("`%s`" % k for k in
							 dict.fromkeys(k for k, _ in p.hooks())))
			w("- **tags**: %s" % ", ".join("`%s`" % t for t in p.tags()))
			if tested is not None:
				w("- **tested**: %s" % (tested.get(p.stem) or
							"**no trigger test** (add a row to "
							"tests/vm/e2e/library.py)"))
			w("")
	return "\n".join(out)


# ---------------------------------------------------------------------------------------------

def find_policies(root):
	rels = []
	base = os.path.join(root, "policies")
	for folder in sorted(os.listdir(base)):
		d = os.path.join(base, folder)
		if not os.path.isdir(d):
			continue
		for f in sorted(os.listdir(d)):
			if f.endswith(".yaml"):
				rels.append("policies/%s/%s" % (folder, f))
	return rels


def fix_headers(root, rels):
	for rel in rels:
		path = os.path.join(root, rel)
		with open(path, encoding="utf-8") as f:
			lines = f.read().split("\n")
		fields, _, end = parse_header(lines)
		new = []
		for key in HEADER_KEYS:
			new += wrap_field(key, fields[key])
		text = "\n".join(new + lines[end:])
		with open(path, "w", encoding="utf-8") as f:
			f.write(text)


def load(root):
	"""Read and check every policy, deriving the monitor twins from their enforcing policies.

	Returns (policies sorted by path, error lines, {twin path: generated text}).  Twin files on
	disk are not read: their content is whatever the enforcing policy generates, checked here
	before it is written."""
	errors = []
	sources = []
	for rel in find_policies(root):
		try:
			sources.append(Policy(root, rel))
		except PolicyError as e:
			errors.append("%s:%d: %s" % (rel, e.line, e.msg))
		except (OSError, UnicodeDecodeError) as e:
			errors.append("%s: %s" % (rel, e))

	twins = {}
	twin_policies = []
	for p in sources:
		try:
			if not p.enforce[0]:
				continue
			rel = "policies/enforce/%s-monitor.yaml" % p.stem
			twins[rel] = twin_text(p)
			twin_policies.append(Policy(root, rel, twins[rel]))
		except PolicyError as e:
			errors.append("%s:%d: %s" % (p.rel, e.line, e.msg))
	policies = [p for p in sources if p.rel not in twins] + twin_policies
	policies.sort(key=lambda q: (q.folder, q.stem))	# "x" before "x-tp" and "x-monitor"

	by_name = {}
	for p in policies:
		check_policy(p)
		where = p.rel + (" (generated monitor twin)" if p.rel in twins else "")
		errors += ["%s:%d: %s" % (where, line, msg) for line, msg in p.problems]
		if p.name in by_name:
			errors.append("%s:1: metadata.name '%s' also used by %s"
				      % (p.rel, p.name, by_name[p.name].rel))
		by_name[p.name] = p
	for p in policies:
		enforces, _, twin = p.enforce
		if twin and not enforces and p.rel not in twins:
			errors.append("%s:%d: names twin %s, but no enforcing policy generates this file"
				      % (p.rel, p.header_lines["enforce"], twin))
	return policies, errors, twins


def sync(root, generated, check):
	"""Write (or, with check, compare) generated files; return the stale or written paths."""
	changed = []
	for rel, text in sorted(generated.items()):
		path = os.path.join(root, rel)
		try:
			with open(path, encoding="utf-8") as f:
				old = f.read()
		except OSError:
			old = None
		if old == text:
			continue
		changed.append(rel)
		if check:
			print("%s: stale or missing, run scripts/gen-policy-docs.py" % rel,
			      file=sys.stderr)
			continue
		os.makedirs(os.path.dirname(path), exist_ok=True)
		with open(path, "w", encoding="utf-8") as f:
			f.write(text)
		print("wrote %s" % rel)
	return changed


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
							 ".."))
	ap.add_argument("--check", action="store_true",
			help="write nothing; fail if a policy breaks a rule or a generated file is stale")
	ap.add_argument("--fix-headers", action="store_true",
			help="re-wrap the header fields of every policy to 100 columns")
	ap.add_argument("--list-hooks", action="store_true",
			help="print 'file<TAB>policy<TAB>kind:hook' for every hook and write nothing")
	args = ap.parse_args()
	root = os.path.normpath(args.root)
	if args.fix_headers:
		fix_headers(root, find_policies(root))
		return 0

	policies, errors, twins = load(root)
	if errors:
		print("\n".join(errors), file=sys.stderr)
		print("gen-policy-docs: %d problem(s)" % len(errors), file=sys.stderr)
		return 1
	if args.list_hooks:
		for p in policies:
			for key in dict.fromkeys(k for k, _ in p.hooks()):
				print("%s\t%s\t%s" % (p.rel, p.name, key))
		return 0
	generated = dict(twins)
	generated["docs/policies.md"] = render_docs(policies, trigger_tests(root)) + "\n"
	if sync(root, generated, args.check) and args.check:
		return 1
	if args.check:
		print("gen-policy-docs: %d policies checked, generated files up to date"
		      % len(policies))
	return 0


if __name__ == "__main__":
	sys.exit(main())
