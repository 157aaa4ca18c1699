#!/bin/sh
# usage: expect_failure.sh REGEX COMMAND...
# Passes when COMMAND exits non-zero, prints a message matching REGEX, and leaves no file named by $NO_FILE.
pattern=$1
shift
output=$("$@" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -eq 0 ]; then echo "FAIL: expected a non-zero exit status"; exit 1; fi
if ! printf '%s' "$output" | grep -Eq -- "$pattern"; then echo "FAIL: output does not match /$pattern/"; exit 1; fi
if [ -n "$NO_FILE" ] && [ -e "$NO_FILE" ]; then echo "FAIL: $NO_FILE was written"; exit 1; fi
exit 0
