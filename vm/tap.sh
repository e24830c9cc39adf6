# TAP for the check scripts that make check runs (sourced, from the top of
# the tree):
#   result STATUS DESCRIPTION   "ok N ..." for status 0, else "not ok N ...";
#                               a failure also prints the first 40 lines of
#                               the file $TAP_WHY (if set) as "# " lines.
#                               $TAP_WHY is emptied after every result.
#   tap_done                    the plan line; true only if all passed
# shellcheck shell=bash
n=0 failed=0
TAP_WHY=

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
		if [ -n "$TAP_WHY" ] && [ -s "$TAP_WHY" ]; then
			sed -n '1,40s/^/# /p' "$TAP_WHY"
		fi
	fi
	if [ -n "$TAP_WHY" ]; then : > "$TAP_WHY"; fi
	return 0
}

tap_done() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
