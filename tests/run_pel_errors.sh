#!/usr/bin/env bash
# run_pel_errors.sh PELC PEL DIR
#   Every program of DIR (tests/errors) fails to compile through `pel` with
#   exactly the diagnostics pelc prints, and status 1; only the tool's name
#   in messages about the file itself differs ("pelc: error:" / "pel: error:").
set -u
pelc=$1 pel=$2 dir=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1
fails=0 n=0
for f in *.pel; do
    n=$((n + 1))
    timeout -k 5 60 "$pelc" "$f" -o "$tmp/a.out" > /dev/null 2> "$tmp/pelc.err" < /dev/null
    timeout -k 5 60 "$pel" "$f" > "$tmp/pel.out" 2> "$tmp/pel.err" < /dev/null
    st=$?
    sed -i 's/^pelc: error:/pel: error:/' "$tmp/pelc.err"
    if [ "$st" -ne 1 ]; then
        echo "FAIL $f: pel exited with status $st, expected 1"
        fails=$((fails + 1))
    elif ! cmp -s "$tmp/pelc.err" "$tmp/pel.err"; then
        echo "FAIL $f: pel's diagnostics differ from pelc's"
        diff -u --label pelc --label pel "$tmp/pelc.err" "$tmp/pel.err" | head -20
        fails=$((fails + 1))
    elif ! grep -q 'error:' "$tmp/pel.err"; then
        echo "FAIL $f: no error message"
        fails=$((fails + 1))
    elif [ -s "$tmp/pel.out" ]; then
        echo "FAIL $f: pel wrote to stdout"
        fails=$((fails + 1))
    fi
done
echo "$((n - fails)) of $n error programs give pelc's diagnostics through pel"
[ "$fails" -eq 0 ]
