# cli_common.sh — the preamble every tests/cli_*.sh sources, as its first
# command after `set -u`:   . "$(dirname "$0")/cli_common.sh"
# It gives the test $CDNSIM (default build/cdnsim), a private temporary
# folder $dir removed on exit (made writable first: some tests take rights
# away), fail, expect_exit and finish. Not a test itself: the Makefile's
# test-cli leaves it out. POSIX sh; its own names start with _cc_ so as not
# to clobber the test's variables.
: "${CDNSIM:=build/cdnsim}"
_cc_name=$(basename "$0" .sh)
dir=$(mktemp -d "${TMPDIR:-/tmp}/$_cc_name.XXXXXX") || { echo "$_cc_name: no temporary folder" >&2; exit 1; }
trap 'chmod -R u+rwx "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
fails=0
# The test's own standard error, kept on fd 3, so that a failure shows even
# when it is found inside a call whose standard error goes to a file.
exec 3>&2

# fail WHAT: count a failed assertion and say which
fail() { echo "FAIL: $*" >&3; fails=$((fails + 1)); }

# expect_exit WANT WHAT COMMAND...: run COMMAND (redirect it at the call),
# fail unless it exits WANT; its status stays in $rc
expect_exit() {
    _cc_want=$1 _cc_what=$2
    shift 2
    "$@"
    rc=$?
    [ "$rc" = "$_cc_want" ] || fail "$_cc_what: exit $rc, want $_cc_want"
}

# finish: the verdict, last thing of a test: exit 1 after any failure
# (not the count: 256 failures would read as success), else say ok
finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$_cc_name: $fails failure(s)" >&2
        exit 1
    fi
    echo "$_cc_name: ok"
    exit 0
}
