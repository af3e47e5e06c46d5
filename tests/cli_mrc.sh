#!/bin/sh
# cli_mrc — `cdnsim mrc`: the hand-worked trace of tests/check_mrc.c through
# the command (objects and bytes), curves equal to `cdnsim replay` at the
# same sizes, output independent of the thread count, the JSON's shape, and
# bad input exiting 2 with one line and no output file.
. "$(dirname "$0")/cli_common.sh"
# a b c b a d a c b a, sizes a=3 b=1 c=2 d=4 (worked in tests/check_mrc.c):
# LRU misses 10, 8, 6, 4 of 10 at 1..4 objects; 8, 7, 4 at 3, 6, 10 bytes
# (3 bytes is below the largest object, so simulated, not the stack's 9)
printf 'time,key,size\n0,1,3\n1,2,1\n2,3,2\n3,2,1\n4,1,3\n5,4,4\n6,1,3\n7,3,2\n8,2,1\n9,1,3\n' > "$dir/t.csv"
"$CDNSIM" mrc "$dir/t.csv" --format csv --policy lru --size 1,2,3,4 --csv "$dir/o.csv" > /dev/null || fail "mrc failed"
grep -qx 'policy,size,miss_ratio,byte_miss_ratio' "$dir/o.csv" || fail "csv header"
for l in 'lru,1,1.000000,1.000000' 'lru,2,0.800000,0.826087' 'lru,3,0.600000,0.565217' 'lru,4,0.400000,0.434783'; do
    grep -qx "$l" "$dir/o.csv" || fail "objects: no line $l in $(cat "$dir/o.csv")"
done
"$CDNSIM" mrc "$dir/t.csv" --format csv --policy lru --bytes --size 3,6,10 --csv "$dir/b.csv" > "$dir/b.txt" || fail "mrc --bytes failed"
for l in 'lru,3,0.800000,0.826087' 'lru,6,0.700000,0.695652' 'lru,10,0.400000,0.434783'; do
    grep -qx "$l" "$dir/b.csv" || fail "bytes: no line $l in $(cat "$dir/b.csv")"
done
grep -q '^lru  *3 .*simulation$' "$dir/b.txt" || fail "3 bytes not simulated: $(cat "$dir/b.txt")"
grep -q '^lru  *6 .*stack$' "$dir/b.txt" || fail "6 bytes not from the stack"
# a key whose size changes (1: 3 bytes, then 5): counted, said on standard
# error, and lru in bytes simulated (a cache keeps the size it stored, which
# no stack distance follows), so the curve is still replay's
printf 'time,key,size\n0,1,3\n1,2,1\n2,1,5\n3,2,1\n4,1,5\n5,3,2\n6,1,5\n' > "$dir/sc.csv"
"$CDNSIM" mrc "$dir/sc.csv" --format csv --policy lru --bytes --size 5,6,9 --csv "$dir/sc_m.csv" \
    --out "$dir/sc.json" > "$dir/sc.txt" 2> "$dir/sc.err" || fail "mrc with a size change failed"
"$CDNSIM" replay "$dir/sc.csv" --format csv --policy lru --bytes --size 5,6,9 --csv "$dir/sc_r.csv" > /dev/null ||
    fail "replay with a size change failed"
cmp -s "$dir/sc_m.csv" "$dir/sc_r.csv" || fail "size change: mrc differs from replay: $(diff "$dir/sc_m.csv" "$dir/sc_r.csv" | head -4)"
grep -q '"size_changes":[[:space:]]*1' "$dir/sc.json" || fail "size_changes 1 expected in the JSON"
grep -q "1 requests came with a size" "$dir/sc.err" || fail "size change not reported: $(cat "$dir/sc.err")"
grep -q 'stack$' "$dir/sc.txt" && fail "size change: lru in bytes still from the stack"
"$CDNSIM" mrc "$dir/t.csv" --format csv --policy lru --size 2 --out "$dir/nc.json" > /dev/null 2> "$dir/nc.err" || fail "mrc t.csv"
grep -q '"size_changes":[[:space:]]*0' "$dir/nc.json" || fail "size_changes 0 expected"
[ -s "$dir/nc.err" ] && fail "a note on standard error without a size change: $(cat "$dir/nc.err")"
# the curve equals full simulation at the same sizes, every policy
"$CDNSIM" tracegen --objects 2000 --requests 30000 --alpha 0.8 --size-dist lognormal --format oracleGeneral --out "$dir/z.bin" || fail tracegen
"$CDNSIM" mrc "$dir/z.bin" --policy lru,s3fifo,arc --size 1,7,50,333,1500,5000 --csv "$dir/m.csv" > /dev/null || fail "mrc zipf"
"$CDNSIM" replay "$dir/z.bin" --policy lru,s3fifo,arc --size 1,7,50,333,1500,5000 --csv "$dir/r.csv" > /dev/null || fail "replay zipf"
cmp -s "$dir/m.csv" "$dir/r.csv" || fail "mrc differs from replay: $(diff "$dir/m.csv" "$dir/r.csv" | head -4)"
"$CDNSIM" mrc "$dir/z.bin" --policy lru --bytes --size 100000,1000000,10000000 --csv "$dir/mb.csv" > /dev/null || fail "mrc bytes zipf"
"$CDNSIM" replay "$dir/z.bin" --policy lru --bytes --size 100000,1000000,10000000 --csv "$dir/rb.csv" > /dev/null || fail "replay bytes zipf"
cmp -s "$dir/mb.csv" "$dir/rb.csv" || fail "mrc --bytes differs from replay: $(diff "$dir/mb.csv" "$dir/rb.csv" | head -4)"
# sampled, on threads, as JSON
"$CDNSIM" mrc "$dir/z.bin" --policy lru,fifo --rate 0.5 --points 12 --threads 1 --out "$dir/a.json" --csv "$dir/a.csv" > /dev/null || fail "1 thread"
"$CDNSIM" mrc "$dir/z.bin" --policy lru,fifo --rate 0.5 --points 12 --threads 2 --csv "$dir/c.csv" > /dev/null || fail "2 threads"
cmp -s "$dir/a.csv" "$dir/c.csv" || fail "thread count changed the output"
[ "$(wc -l < "$dir/a.csv")" -eq 25 ] || fail "12 points a policy expected: $(wc -l < "$dir/a.csv") lines"
grep -q '"kind":[[:space:]]*"mrc"' "$dir/a.json" || fail "json kind"
grep -q '"method":[[:space:]]*"shards"' "$dir/a.json" || fail "json method shards"
grep -q '"method":[[:space:]]*"miniature"' "$dir/a.json" || fail "json method miniature"
# the plot: a line per policy on a log size axis, legends naming the method
CDNSIM_GNUPLOT= "$CDNSIM" plot "$dir/a.json" --out "$dir/p" 2> /dev/null || fail "plot (script only)"
grep -q 'set logscale x' "$dir/p/mrc.gp" || fail "plot: no log x axis"
grep -q '"lru (SHARDS, R = 0.5)"' "$dir/p/mrc.gp" || fail "plot: no lru legend"
grep -q '"fifo (miniature, R = 0.5)"' "$dir/p/mrc.gp" || fail "plot: no fifo legend"
[ "$(grep -c '^[0-9]' "$dir/p/mrc.dat")" = 24 ] || fail "plot: 24 points expected in mrc.dat"
if command -v gnuplot > /dev/null 2>&1; then
    "$CDNSIM" plot "$dir/a.json" --out "$dir/q" 2> /dev/null && [ -s "$dir/q/mrc.png" ] || fail "plot: no png"
fi
printf '{"kind": "mrc", "curves": [{"policy": "lru"}]}' > "$dir/badmrc.json"
"$CDNSIM" plot "$dir/badmrc.json" --out "$dir/bp" > /dev/null 2> "$dir/err"
[ $? = 2 ] || fail "a curve without points: plot did not exit 2"
grep -q 'curves\[0\]' "$dir/err" || fail "plot: the message does not name the curve: $(cat "$dir/err")"
mkdir "$dir/adir"
# unreadable: only when not root (root reads it anyway)
cp "$dir/z.bin" "$dir/locked.bin"; chmod 000 "$dir/locked.bin"
locked=; cat "$dir/locked.bin" > /dev/null 2>&1 || locked="$dir/locked.bin"
for bad in "--policy lru --rate 0" "--policy lru --rate 1.5" "--policy lru --rate -0.1" "--policy lru --rate x" \
           "--policy , " "--policy lru," "--policy nope" "--policy lru --points 0" "--policy lru --size 0" \
           "--policy" "--policy lru --sizes 5"; do
    # shellcheck disable=SC2086
    "$CDNSIM" mrc "$dir/z.bin" $bad --out "$dir/bad.json" --csv "$dir/bad.csv" > /dev/null 2> "$dir/err"
    rc=$?
    [ $rc = 2 ] || fail "'$bad' exited $rc, expected 2"
    [ "$(wc -l < "$dir/err")" = 1 ] || fail "'$bad': not one line: $(cat "$dir/err")"
    [ ! -e "$dir/bad.json" ] && [ ! -e "$dir/bad.csv" ] || fail "'$bad' left an output file"
done
"$CDNSIM" mrc "$dir/z.bin" --policy "" --out "$dir/bad.json" > /dev/null 2>&1
[ $? = 2 ] || fail "an empty policy list did not exit 2"
for t in "$dir/adir" "$dir/none.bin" $locked; do
    "$CDNSIM" mrc "$t" --policy lru --out "$dir/bad.json" --csv "$dir/bad.csv" > /dev/null 2> "$dir/err"
    rc=$?
    [ $rc = 2 ] || fail "trace $t exited $rc, expected 2"
    grep -q "$t" "$dir/err" || fail "trace $t: the message does not name it: $(cat "$dir/err")"
    [ ! -e "$dir/bad.json" ] && [ ! -e "$dir/bad.csv" ] || fail "trace $t left an output file"
done
finish
