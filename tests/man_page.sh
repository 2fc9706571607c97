#!/bin/sh
# Every long option that `btclint --help` names is documented in the man
# page, and the page is well-formed roff.
# usage: man_page.sh BTCLINT MANPAGE
set -u
btclint=$1 page=$2
fail=0
[ -f "$page" ] || { echo "FAIL: $page is missing"; exit 1; }
# In roff, '-' in option names is written '\-'.
text=$(sed 's/\\-/-/g' "$page")
for opt in $("$btclint" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	case $text in
	*"$opt"*) ;;
	*) echo "FAIL: $opt is not in $page"; fail=1 ;;
	esac
done
for cmd in check rules explain probe; do
	case $text in
	*".B $cmd"* | *".BI \"$cmd "*) ;;
	*) echo "FAIL: command $cmd is not in $page"; fail=1 ;;
	esac
done
for code in 0 1 2 3; do
	grep -q "^\.B $code\$" "$page" || { echo "FAIL: exit status $code is not in $page"; fail=1; }
done
if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warnings" ] || { echo "FAIL: groff: $warnings"; fail=1; }
fi
[ $fail = 0 ] && echo "man page: every option, command and exit status documented"
exit $fail
