#!/bin/sh
# check_explain.sh TETRACC SRCDIR OUTDIR — `tetracc explain` of a compiled object: the text
# names the policy, hooks, flavours in order, arguments, selectors, actions and maps; --json
# is the .tetracc.meta document (valid JSON, format 1, the source's sha256); a file that is
# not a tetracc object is refused.
set -u
tc=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # DESC PATTERN FILE
	if grep -Eq -- "$2" "$3"; then :; else echo "[FAIL] $1: /$2/ not in $3"; sed 's/^/    /' "$3"; fail=1; fi
}
cp "$src/gen/kprobe-return.yaml" "$src/gen/tp-actions.yaml" "$src/gen/tp-large-sets.yaml" "$out/"
cd "$out" || exit 1
for p in kprobe-return tp-actions tp-large-sets; do
	"$tc" compile -q "$p.yaml" -o "$p.bpf.o" || { echo "[FAIL] $p does not compile"; exit 1; }
	"$tc" explain "$p.bpf.o" > "$p.txt" || { echo "[FAIL] explain $p"; fail=1; }
	"$tc" explain --json "$p.bpf.o" > "$p.json" || { echo "[FAIL] explain --json $p"; fail=1; }
	python3 -c 'import json,sys,hashlib; m=json.load(open(sys.argv[1])); assert m["format"]==1; assert m["policy"]["sha256"]==hashlib.sha256(open(sys.argv[2],"rb").read()).hexdigest(), "sha256"; assert m["hooks"]' \
		"$p.json" "$p.yaml" || { echo "[FAIL] $p.json"; fail=1; }
done
check "policy line" '^kprobe-return.bpf.o: policy "kprobe-return" \(TracingPolicy\), mode enforce' kprobe-return.txt
check "syscall hook" '^hook 0: kprobe __x64_sys_read -> process_kprobe \(syscall\) \(with return probe\)' kprobe-return.txt
check "fentry first, with fexit" 'attach 1: fentry +tc_h0_fentry \+ fexit tc_h0_fexit on __x64_sys_read' kprobe-return.txt
check "kprobe second, with kretprobe" 'attach 2: kprobe +tc_h0_kprobe \+ kretprobe tc_h0_kretprobe' kprobe-return.txt
check "returnCopy arg" 'arg 1: char_buf \(index 1, variable, returnCopy\)' kprobe-return.txt
check "return arg" 'return: int64' kprobe-return.txt
check "return actions" 'selector 0: Post; at return: Post' kprobe-return.txt
check "actions" 'selector 1: Signal 10' tp-actions.txt
check "rate limit and stacks" 'Post \(rateLimit 60000 ms, scope process\) \+kernel stack \+user stack' tp-actions.txt
check "message and tags" 'tags: observability.filesystem tetracc.test' tp-actions.txt
check "value-set maps" 'map tc_vset_str: hash, key 24 bytes, 11 entries \(11 filled at compile time\)' tp-large-sets.txt
check "mapinit" 'map entries: [0-9]+ bytes in .tetracc.mapinit' tp-large-sets.txt
printf 'not an object' > junk.o
if "$tc" explain junk.o 2> junk.err; then echo "[FAIL] explain accepted junk"; fail=1; fi
check "junk refused" 'not an ELF object' junk.err
[ $fail = 0 ] && echo "explain: all checks passed"
exit $fail
