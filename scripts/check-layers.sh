#!/bin/sh
# check-layers — fails when an #include points up the layering that
# docs/ARCHITECTURE.md draws:
#   cli/ -> analysis/ -> models/ -> sim/
# Inside models/ each subfolder may include only itself, sim/ and the
# subfolders its README.md names on its "Uses:" line, and no two subfolders
# may use each other; no two modules may include each other, directly or
# round a longer circle (tsort finds the loop).
set -u
cd "$(dirname "$0")/.."
fail=0
bad() { echo "check-layers: $1" >&2; fail=1; }

includes() { # file -> the project headers it includes, one a line
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"
}

for d in models/*/; do [ -f "${d}README.md" ] || bad "${d}README.md is missing"; done

for f in $(find sim models analysis cli -name '*.[ch]' | sort); do
    case "$f" in
    sim/*)      allowed="sim/" ;;
    models/*/*) sub=${f#models/}; sub=models/${sub%%/*}/
                allowed="sim/ $sub $(sed -n 's/^Uses:[[:space:]]*//p' "${sub}README.md" 2>/dev/null | tr -d ',')" ;;
    models/*)   bad "$f: models/ holds subfolders only"; allowed="" ;;
    analysis/*) allowed="sim/ models/ analysis/" ;;
    cli/*)      allowed="sim/ models/ analysis/ cli/" ;;
    esac
    for h in $(includes "$f"); do
        ok=0
        for a in $allowed; do case "$h" in "$a"*) ok=1 ;; esac; done
        [ $ok = 1 ] || bad "$f includes $h, above its layer (allowed: $allowed)"
    done
done

# Folders that use each other: models/a -> models/b and models/b -> models/a.
pairs=$(for f in $(find models -name '*.[ch]'); do
            a=$(echo "$f" | cut -d/ -f2)
            for h in $(includes "$f"); do
                case "$h" in models/*/*) b=$(echo "$h" | cut -d/ -f2); [ "$a" != "$b" ] && echo "$a $b" ;; esac
            done
        done | sort -u)
mutual=$(echo "$pairs" | while read -r a b; do
             [ -n "$a" ] && echo "$pairs" | grep -qx "$b $a" && echo "$a $b"
         done | awk '$1 < $2')
[ -z "$mutual" ] || echo "$mutual" | while read -r a b; do echo "check-layers: models/$a and models/$b use each other" >&2; done
[ -z "$mutual" ] || fail=1

# Circles between modules. A module is a .c with its .h; a header a_b.h with
# no a_b.c but beside an a.c is a's private header (cache_policy.h is the
# cache's interface to its policies), so a file including it uses module a.
module() {
    m=${1%.*}
    if [ ! -f "$m.c" ] && [ "${m%_*}" != "$m" ] && [ -f "${m%_*}.c" ]; then m=${m%_*}; fi
    echo "$m"
}
edges=$(for f in $(find sim models analysis cli -name '*.[ch]'); do
            m=$(module "$f")
            for h in $(includes "$f"); do n=$(module "$h"); [ "$n" != "$m" ] && echo "$m $n"; done
        done)
if ! echo "$edges" | tsort >/dev/null 2>/tmp/check-layers.$$; then
    bad "modules include each other in a circle:"; sed 's/^tsort: /  /' /tmp/check-layers.$$ >&2
fi
rm -f /tmp/check-layers.$$
[ $fail = 0 ] && echo "check-layers: ok"
exit $fail
