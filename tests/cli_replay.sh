#!/bin/sh
# cli_replay — `cdnsim replay`: a hand-worked trace, the CSV columns, thread
# count independence, and bad input exiting 2 with no output file.
. "$(dirname "$0")/cli_common.sh"
# a b c a d a with LRU of 2 objects: a b c miss, a misses (evicted by c),
# d misses, a hits: 5 misses of 6
printf 'time,key,size\n0,1,10\n1,2,10\n2,3,10\n3,1,10\n4,4,10\n5,1,10\n' > "$dir/t.csv"
"$CDNSIM" replay "$dir/t.csv" --format csv --policy lru --size 2 --csv "$dir/o.csv" > /dev/null || fail "replay failed"
grep -qx 'policy,size,miss_ratio,byte_miss_ratio' "$dir/o.csv" || fail "csv header"
grep -qx 'lru,2,0.833333,0.833333' "$dir/o.csv" || fail "lru miss ratio: $(cat "$dir/o.csv")"
"$CDNSIM" tracegen --objects 500 --requests 20000 --alpha 0.8 --format oracleGeneral --out "$dir/z.bin" || fail tracegen
"$CDNSIM" replay "$dir/z.bin" --policy lru,s3fifo,arc --size 10,50 --threads 1 --csv "$dir/a.csv" > /dev/null || fail "1 thread"
"$CDNSIM" replay "$dir/z.bin" --policy lru,s3fifo,arc --size 10,50 --threads 2 --csv "$dir/b.csv" > /dev/null || fail "2 threads"
cmp -s "$dir/a.csv" "$dir/b.csv" || fail "thread count changed the output"
# the caches index the trace's key numbers (small keys: themselves; large or
# text keys: numbered in order) or hash the keys: the same counts either way
"$CDNSIM" tracegen --objects 3000 --requests 30000 --alpha 0.9 --size-dist lognormal --format csv --out "$dir/l.csv" || fail tracegen
awk -F, 'NR == 1 {print; next} {printf "%s,k%s,%s\n", $1, $2, $3}' "$dir/l.csv" > "$dir/h.csv"
pols=lru,fifo,lfu,sieve,s3fifo,arc,clock,random,belady,lfuda,gdsf,twoq,tinylfu
for t in z.bin:oracleGeneral l.csv:csv h.csv:csv; do
    f=${t%%:*} fmt=${t#*:}
    for unit in "--size 20,300" "--bytes --size 40000,900000"; do
        # shellcheck disable=SC2086
        "$CDNSIM" replay "$dir/$f" --format "$fmt" --policy $pols $unit --csv "$dir/d.csv" > /dev/null || fail "replay $f"
        # shellcheck disable=SC2086
        CDNSIM_REPLAY_KEYED=1 "$CDNSIM" replay "$dir/$f" --format "$fmt" --policy $pols $unit --csv "$dir/k.csv" > /dev/null || fail "keyed replay $f"
        cmp -s "$dir/d.csv" "$dir/k.csv" || fail "$f $unit: numbered keys and hashed keys differ: $(diff "$dir/d.csv" "$dir/k.csv" | head -4)"
    done
done
# a plain oracleGeneral file is replayed in place (mapped); its compressed
# twin is decoded into a buffer: the same counts
"$CDNSIM" tracegen --objects 500 --requests 20000 --alpha 0.8 --format oracleGeneral --zstd --out "$dir/z.zst" || fail tracegen
"$CDNSIM" replay "$dir/z.zst" --policy $pols --size 10,50 --csv "$dir/c.csv" > /dev/null || fail "replay z.zst"
"$CDNSIM" replay "$dir/z.bin" --policy $pols --size 10,50 --csv "$dir/m.csv" > /dev/null || fail "replay z.bin"
cmp -s "$dir/c.csv" "$dir/m.csv" || fail "mapped and decoded oracleGeneral differ: $(diff "$dir/c.csv" "$dir/m.csv" | head -4)"
# the mapped file is checked as the reader checks any: a cut record
{ cat "$dir/z.bin"; printf 'abcde'; } > "$dir/cut.bin"
"$CDNSIM" replay "$dir/cut.bin" --policy lru --size 5 > /dev/null 2> "$dir/cut.err"
rc=$?
[ $rc = 2 ] || fail "a cut record exited $rc, expected 2"
grep -q "cut.bin: record 20001: truncated (5 of 24 bytes)" "$dir/cut.err" || fail "cut record message: $(cat "$dir/cut.err")"
for bad in "--policy lru --size 0" "--policy lru, --size 5" "--policy lru --size ," "--policy nope --size 5" \
           "--policy lru --size 5 --sample 0" "--policy lru --size 5 --sample 1.5"; do
    # shellcheck disable=SC2086
    "$CDNSIM" replay "$dir/z.bin" $bad --csv "$dir/bad.csv" > /dev/null 2>&1
    rc=$?
    [ $rc = 2 ] || fail "'$bad' exited $rc, expected 2"
    [ ! -e "$dir/bad.csv" ] || fail "'$bad' left an output file"
done
finish
