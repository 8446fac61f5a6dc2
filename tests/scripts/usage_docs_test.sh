#!/usr/bin/env bash
# The usage text of each tool (printed without arguments), its man page's
# SYNOPSIS and README's Usage block name the same options. Needs the built
# tools (BUILD), not root.
# usage: BUILD=/path/to/build tests/scripts/usage_docs_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
failures=0

# options: the distinct "-word" (or "-two-words") options in standard input (after a space, '[',
# '"' or at the start of a line, so that "AES-256" or "DES-ECB" do not count).
options() { grep -oE '(^|[][ "])-[a-z]+(-[a-z]+)*' | sed 's/^[][ "]//' | sort -u | tr '\n' ' '; }
# man_synopsis TOOL: the SYNOPSIS section of docs/TOOL.8, roff's \- made plain.
man_synopsis() { sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$root/docs/$1.8" | sed 's/\\-/-/g'; }
# readme_usage TOOL: the lines of README's Usage block (Reference, Usage) for TOOL (continuation
# lines, indented, belong to the tool named above them).
readme_usage() {
  sed -n '/^### Usage$/,/^##/p' "$root/README.md" | awk -v tool="$1" '/^[^ \t]/ { cur = $1 } cur == tool'
}

for tool in vnddconfig vnddvpnd; do
  usage=$("$BUILD/$tool" | options)
  synopsis=$(man_synopsis "$tool" | options)
  readme=$(readme_usage "$tool" | options)
  [[ -n $usage ]] || { echo "FAILED: no options found in $tool's usage"; failures=$((failures + 1)); continue; }
  [[ $synopsis == "$usage" ]] || { echo "FAILED: docs/$tool.8 SYNOPSIS has [$synopsis], $tool's usage [$usage]"; failures=$((failures + 1)); }
  [[ $readme == "$usage" ]] || { echo "FAILED: README's Usage block has [$readme] for $tool, its usage [$usage]"; failures=$((failures + 1)); }
done
((failures == 0)) || { echo "$failures usage and documentation mismatches"; exit 1; }
echo "ok: usage texts, man page synopses and README's Usage block name the same options"
