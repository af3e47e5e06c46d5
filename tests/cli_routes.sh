#!/bin/sh
# cli_routes — `cdnsim routes` end to end: the contract's JSON on a small
# graph worked by hand, and exit status 2 with file and line named (and no
# output file left behind) on bad input.
set -u
. "$(dirname "$0")/cli_common.sh"

# 1 is the provider of 2 and 3, which peer; 2 and 3 are providers of 4;
# 4 is the provider of 5; 6 and 7 are an island.
cat > "$dir/g.txt" <<'G'
# AS1|AS2|-1: AS1 is a provider of AS2
1|2|-1
1|3|-1
2|4|-1
3|4|-1
2|3|0|ignored source field
4|5|-1

6|7|0
G

# Anycast from 5 and 1: 4 takes the customer route to 5, and so do 2 and 3
# (through their customer 4), although origin 1 is one hop away: 1 is their
# provider, and a customer route beats a provider route of any length.
cat > "$dir/want.json" <<'W'
{"routes": {
"1": {"origin": 1, "next_hop": null, "path": [1], "relationship": "origin"},
"2": {"origin": 5, "next_hop": 4, "path": [2, 4, 5], "relationship": "customer"},
"3": {"origin": 5, "next_hop": 4, "path": [3, 4, 5], "relationship": "customer"},
"4": {"origin": 5, "next_hop": 5, "path": [4, 5], "relationship": "customer"},
"5": {"origin": 5, "next_hop": null, "path": [5], "relationship": "origin"}
},
"unreachable": [6, 7]}
W
"$CDNSIM" routes --as-rel "$dir/g.txt" --announce 5,1 --out "$dir/out.json"
rc=$?
[ $rc -eq 0 ] || fail "routes exited $rc"
cmp -s "$dir/out.json" "$dir/want.json" || { fail "routes output differs"; diff "$dir/want.json" "$dir/out.json" >&2; }

# the same on standard output, with repeated --announce flags
"$CDNSIM" routes --as-rel "$dir/g.txt" --announce 5 --announce 1 > "$dir/stdout.json" ||
    fail "routes to stdout failed"
cmp -s "$dir/stdout.json" "$dir/want.json" || fail "stdout output differs"

# a single origin at the bottom: 2 and 3 tie at 4 on length, and the lower
# next hop wins at 1 (via 2); 4's customer 5 takes a provider route
"$CDNSIM" routes --as-rel "$dir/g.txt" --announce 4 > "$dir/one.json" || fail "routes --announce 4"
grep -q '^"1": {"origin": 4, "next_hop": 2, "path": \[1, 2, 4\], "relationship": "customer"}' \
    "$dir/one.json" || fail "tie-break at AS 1"
grep -q '^"5": {"origin": 4, "next_hop": 4, "path": \[5, 4\], "relationship": "provider"}' \
    "$dir/one.json" || fail "provider route at AS 5"

"$CDNSIM" routes --help > "$dir/help.txt" 2>&1 || fail "--help exited nonzero"
grep -q -- "--announce" "$dir/help.txt" || fail "--help does not describe --announce"

# expect_2 NAME PIECE ARGS...: exit 2, PIECE in the message, no output file
expect_2() {
    name=$1; piece=$2; shift 2
    rm -f "$dir/bad.json"
    "$CDNSIM" routes "$@" --out "$dir/bad.json" 2> "$dir/err.txt"
    rc=$?
    [ $rc -eq 2 ] || fail "$name: exit $rc, want 2"
    grep -q -- "$piece" "$dir/err.txt" || { fail "$name: message lacks '$piece'"; cat "$dir/err.txt" >&2; }
    [ ! -e "$dir/bad.json" ] || fail "$name: left an output file"
}
printf '1|2|-1\n2|3|0\n3|x|-1\n' > "$dir/nonnum.txt"
printf '1|2|-1\n2|3|-1\n3|1|-1\n' > "$dir/cycle.txt"
printf '1|2|-1\n\n1|2|-1\n' > "$dir/dup.txt"
printf '1|2|-1\n2|1|0\n' > "$dir/contra.txt"
printf '1|2|-1\n5|5|0\n' > "$dir/self.txt"
printf '1|2|7\n' > "$dir/rel.txt"
expect_2 "non-numeric ASN" "nonnum.txt:3:" --as-rel "$dir/nonnum.txt" --announce 1
expect_2 "cycle" "cycle" --as-rel "$dir/cycle.txt" --announce 1
expect_2 "duplicate" "dup.txt:3:" --as-rel "$dir/dup.txt" --announce 1
expect_2 "contradiction" "contra.txt:2:" --as-rel "$dir/contra.txt" --announce 1
expect_2 "self link" "self.txt:2:" --as-rel "$dir/self.txt" --announce 1
expect_2 "relationship" "rel.txt:1:" --as-rel "$dir/rel.txt" --announce 1
expect_2 "unknown ASN" "AS 99" --as-rel "$dir/g.txt" --announce 1,99
expect_2 "bad announce" "announce" --as-rel "$dir/g.txt" --announce 1,x
expect_2 "empty announce" "announce" --as-rel "$dir/g.txt" --announce ""
expect_2 "missing file" "nofile.txt" --as-rel "$dir/nofile.txt" --announce 1
expect_2 "no --announce" "announce" --as-rel "$dir/g.txt"
expect_2 "no --as-rel" "as-rel" --announce 1
expect_2 "unknown option" "--frobnicate" --as-rel "$dir/g.txt" --announce 1 --frobnicate

# --topology reads GraphML and JSON topologies through the same checks
top=$(dirname "$0")/../topologies
"$CDNSIM" routes --topology "$top/zoo/asmini.graphml" --announce 64600 > "$dir/zoo.json" ||
    fail "routes --topology asmini.graphml"
grep -q '^"7922": {"origin": 64600, "next_hop": 174, "path": \[7922, 174, 64600\], "relationship": "provider"}' \
    "$dir/zoo.json" || fail "route of 7922 in asmini.graphml"
"$CDNSIM" routes --topology "$top/example_asgraph.json" --announce 64512 > /dev/null ||
    fail "routes --topology example_asgraph.json"
printf '<graphml><graph><node id="a"><data' > "$dir/broken.graphml"
expect_2 "broken GraphML" "broken.graphml" --topology "$dir/broken.graphml" --announce 1
printf '{"links": [{"a": 1, "b": 2, "rel": "peer", "latncy_ms": 1}]}' > "$dir/typo.json"
expect_2 "JSON typo" 'typo.json: \$.links\[0\].latncy_ms' --topology "$dir/typo.json" --announce 1

# a failed run leaves an existing result untouched, and no temporary files
cp "$dir/want.json" "$dir/keep.json"
"$CDNSIM" routes --as-rel "$dir/cycle.txt" --announce 1 --out "$dir/keep.json" 2>/dev/null
cmp -s "$dir/keep.json" "$dir/want.json" || fail "a failed run changed the existing output"
leftovers=$(ls "$dir" | grep -c '\.tmp\.' || true)
[ "$leftovers" -eq 0 ] || fail "temporary files left behind"

# topogen: deterministic, and its output is a valid routes input
"$CDNSIM" topogen --ases 500 --seed 3 --out "$dir/t1.txt" || fail "topogen failed"
"$CDNSIM" topogen --ases 500 --seed 3 > "$dir/t2.txt" || fail "topogen to stdout failed"
cmp -s "$dir/t1.txt" "$dir/t2.txt" || fail "topogen is not deterministic"
asn=$(grep -v '^#' "$dir/t1.txt" | head -1 | cut -d'|' -f1)
"$CDNSIM" routes --as-rel "$dir/t1.txt" --announce "$asn" --out "$dir/t.json" || fail "routes on topogen output"
grep -q '"unreachable": \[\]}' "$dir/t.json" || fail "topogen graph not connected"
"$CDNSIM" topogen --ases 3 > /dev/null 2>&1; [ $? -eq 2 ] || fail "topogen --ases 3 should exit 2"

# an output that names a folder is refused before any work (it failed with
# exit 1 after the work; topogen left its --out behind when --geo-out failed)
mkdir "$dir/folder"
"$CDNSIM" routes --as-rel "$dir/g.txt" --announce 1 --out "$dir/folder" 2> "$dir/err.txt"
[ $? -eq 2 ] && grep -q 'folder: is a directory' "$dir/err.txt" || fail "routes --out FOLDER: $(cat "$dir/err.txt")"
rm -f "$dir/t3.txt"
"$CDNSIM" topogen --ases 50 --out "$dir/t3.txt" --geo-out "$dir/folder" 2> "$dir/err.txt"
[ $? -eq 2 ] && grep -q 'folder: is a directory' "$dir/err.txt" || fail "topogen --geo-out FOLDER: $(cat "$dir/err.txt")"
[ ! -e "$dir/t3.txt" ] || fail "topogen --geo-out FOLDER left its --out file"
"$CDNSIM" tracegen --objects 10 --requests 10 --alpha 1 --format csv --out "$dir/folder" 2> "$dir/err.txt"
[ $? -eq 2 ] && grep -q 'folder: is a directory' "$dir/err.txt" || fail "tracegen --out FOLDER: $(cat "$dir/err.txt")"

# prepends are part of the path: 5 announces with 2 extra copies of its ASN,
# so 7's route has length 4 and shows 4 ASNs (it showed [7, 5]); with a
# second origin 6 unprepended, 1 prefers 6's shorter path
printf '7|5|-1\n1|5|-1\n1|6|-1\n' > "$dir/pre.txt"
"$CDNSIM" routes --as-rel "$dir/pre.txt" --announce 5:2 > "$dir/pre.json" 2> "$dir/err.txt" || fail "routes --announce 5:2: $(cat "$dir/err.txt")"
grep -qF '"7": {"origin": 5, "next_hop": 5, "path": [7, 5, 5, 5], "relationship": "customer"}' "$dir/pre.json" ||
    fail "prepended path of 7: $(grep '"7"' "$dir/pre.json")"
grep -qF '"5": {"origin": 5, "next_hop": null, "path": [5, 5, 5], "relationship": "origin"}' "$dir/pre.json" ||
    fail "prepended origin 5: $(grep '"5"' "$dir/pre.json")"
"$CDNSIM" routes --as-rel "$dir/pre.txt" --announce 5:2,6 > "$dir/pre.json" 2> "$dir/err.txt" || fail "routes --announce 5:2,6"
grep -qF '"1": {"origin": 6, "next_hop": 6, "path": [1, 6], "relationship": "customer"}' "$dir/pre.json" ||
    fail "1 should prefer the unprepended origin: $(grep '"1"' "$dir/pre.json")"
"$CDNSIM" routes --as-rel "$dir/pre.txt" --announce 5:2 --no-paths > "$dir/pre.json" 2> "$dir/err.txt" || fail "--no-paths"
grep -qF '"7": {"origin": 5, "next_hop": 5, "path_len": 4, "relationship": "customer"}' "$dir/pre.json" ||
    fail "--no-paths: $(grep '"7"' "$dir/pre.json")"
for bad in 5:256 5: 5:x :2; do
    "$CDNSIM" routes --as-rel "$dir/pre.txt" --announce "$bad" > /dev/null 2> "$dir/err.txt"
    [ $? -eq 2 ] && grep -q 'ASN:N' "$dir/err.txt" || fail "--announce $bad: $(cat "$dir/err.txt")"
done

# the output is bounded: a 30,000-AS provider chain's paths hold 450 million
# ASes (2.8 GB of JSON, built in memory before); refused at once, exit 2,
# with the way out named, and nothing written. --no-paths is linear.
awk 'BEGIN { for (i = 1; i < 30000; i++) print i + 1 "|" i "|-1" }' > "$dir/chain.txt"
rm -f "$dir/chain.json"
timeout 120 "$CDNSIM" routes --as-rel "$dir/chain.txt" --announce 1 --out "$dir/chain.json" 2> "$dir/err.txt"
rc=$?; [ $rc -eq 2 ] && grep -q 'chain.txt: the routes.* paths hold 450015000 ASes in all.*--no-paths' "$dir/err.txt" ||
    fail "30,000-AS chain: exit $rc: $(cat "$dir/err.txt")"
[ ! -e "$dir/chain.json" ] || fail "the refused chain left an output file"
timeout 120 "$CDNSIM" routes --as-rel "$dir/chain.txt" --announce 1 --no-paths --out "$dir/chain.json" 2> "$dir/err.txt" ||
    fail "30,000-AS chain --no-paths: $(cat "$dir/err.txt")"
grep -qF '"30000": {"origin": 1, "next_hop": 29999, "path_len": 30000, "relationship": "customer"}' "$dir/chain.json" ||
    fail "--no-paths on the chain: $(grep '"30000"' "$dir/chain.json")"

finish
