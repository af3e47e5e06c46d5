#!/bin/sh
# cli_catchments — `cdnsim catchments` end to end on the hand-made world of
# tests/check_world.c (three PoPs on the equator; AS1001's only provider buys
# transit near the far PoP CCC), and exit status 2 naming the JSON path, with
# no output file left behind, on bad input.
set -u
. "$(dirname "$0")/cli_common.sh"

printf 'iata,city,country,continent,lat,lon\nAAA,Alpha,XX,EU,0,0\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n' > "$dir/pops.csv"
printf 'name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,3\nMB,XX,EU,0,10,1\nMC,XX,EU,0,20,2\n' > "$dir/metros.csv"
printf '100|200|0\n100|150|-1\n100|300|-1\n200|1001|-1\n100|1003|-1\n200|1003|-1\n' > "$dir/g.txt"
cat > "$dir/geo.json" <<'G'
{"metros": ["MA", "MB", "MC"], "ases": [
{"asn": 100, "tier": "tier1", "metro": 0}, {"asn": 200, "tier": "tier1", "metro": 2},
{"asn": 150, "tier": "transit", "metro": 1}, {"asn": 300, "tier": "regional", "metro": 0},
{"asn": 1001, "tier": "stub", "metro": 1}, {"asn": 1003, "tier": "stub", "metro": 0}]}
G
cat > "$dir/s.json" <<'S'
{"name": "hand", "seed": 1, "duration_s": 10,
 "workload": {"type": "zipf", "objects": 10, "alpha": 0.8, "rate_rps": 10, "size_bytes": 1},
 "cache": {"policy": "lru", "capacity_objects": 5},
 "topology": {"pops_file": "pops.csv", "metros_file": "metros.csv",
              "as_rel_file": "g.txt", "as_geo_file": "geo.json"}}
S

# field GROUP_ASN KEY: one value of a group from the result on stdin
# (groups are flat objects: squeeze the whitespace out and cut one out by its ASN)
field() {
    tr -d ' \t\n' | grep -o "{\"name\":\"[^\"]*\",\"asn\":$1,[^}]*}" |
        sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}

out=$("$CDNSIM" catchments "$dir/s.json") || fail "catchments exit $?"
[ "$(echo "$out" | field 1001 anycast_pop)" = CCC ] || fail "AS1001 should land at CCC"
[ "$(echo "$out" | field 1001 nearest_pop)" = BBB ] || fail "AS1001's nearest PoP is BBB"
# 2 x 1,111.95 km x 2 / 204,000 km/s
[ "$(echo "$out" | field 1001 extra_rtt_ms)" = 21.803 ] || fail "AS1001's extra RTT: $(echo "$out" | field 1001 extra_rtt_ms)"
[ "$(echo "$out" | field 1003 anycast_pop)" = AAA ] || fail "AS1003 should land at AAA"

# the what-if: prepending AAA moves AS1003 to CCC
out=$("$CDNSIM" catchments "$dir/s.json" --set 'topology.sites=[{"id": "AAA", "prepend": 1}]') \
    || fail "prepend exit $?"
[ "$(echo "$out" | field 1003 anycast_pop)" = CCC ] || fail "prepended AAA: AS1003 should move to CCC"

# --out writes the file and prints the table
"$CDNSIM" catchments "$dir/s.json" --out "$dir/c.json" > "$dir/table.txt" || fail "--out exit $?"
[ -s "$dir/c.json" ] || fail "no output file"
grep -q "not at its nearest PoP" "$dir/table.txt" || fail "no summary table"

# the catchment map: every routed group is one two-point segment in the
# anycast panel's data, every group one in the geo panel's
"$CDNSIM" catchments "$dir/s.json" --out "$dir/c.json" --map "$dir/map" --quiet || fail "--map exit $?"
[ -s "$dir/map/catchments.gp" ] || fail "--map wrote no script"
segs=$(awk 'BEGIN {RS=""} NR > 1' "$dir/map/catchments.dat" | grep -c .)
routed=$(grep -c '"anycast_pop":	"' "$dir/c.json")
groups=$(grep -c '"nearest_pop":	"' "$dir/c.json")
[ "$segs" -eq $((routed * 2 + groups * 2)) ] || fail "--map: $segs segment points for $routed routed groups and $groups groups"
if command -v gnuplot > /dev/null; then
    [ -s "$dir/map/catchments.png" ] || fail "--map drew no image although gnuplot is here"
fi
"$CDNSIM" catchments "$dir/s.json" --map 2> /dev/null; [ $? -eq 2 ] || fail "--map without a folder: want exit 2"

# bad input: exit 2, the JSON path named, no file written
"$CDNSIM" catchments "$dir/s.json" --set 'topology.sites=[{"id": "ZZZ"}]' --out "$dir/bad.json" 2> "$dir/err"
[ $? -eq 2 ] || fail "unknown site: expected exit 2"
grep -q 'topology.sites\[0\].id' "$dir/err" || fail "unknown site: path not named: $(cat "$dir/err")"
[ ! -e "$dir/bad.json" ] || fail "output written on bad input"
"$CDNSIM" catchments "$dir/s.json" --set 'topology.pops=["AAA", "NOPE"]' 2> "$dir/err" > /dev/null
[ $? -eq 2 ] || fail "unknown PoP: expected exit 2"
grep -q 'topology.pops\[1\]' "$dir/err" || fail "unknown PoP: path not named: $(cat "$dir/err")"
printf 'iata,city,country,continent,lat,lon\nAAA,Alpha,XX,EU,zero,0\n' > "$dir/pops.csv"
"$CDNSIM" catchments "$dir/s.json" 2> "$dir/err" > /dev/null
[ $? -eq 2 ] || fail "bad PoP file: expected exit 2"
grep -q 'pops.csv:2:' "$dir/err" || fail "bad PoP file: line not named: $(cat "$dir/err")"

finish
