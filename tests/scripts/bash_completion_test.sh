#!/usr/bin/env bash
# The bash completion of each tool (packaging/bash-completion) offers exactly
# the commands, options and option values of the tool's usage text. Needs the
# built tools (BUILD), not root.
# usage: BUILD=/path/to/build tests/scripts/bash_completion_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
failures=0

# candidates TOOL WORD...: what TAB offers after "TOOL WORD... ", sorted, one line.
candidates() {
  local tool=$1
  bash -c 'source "$1"; shift; COMP_WORDS=("$@" ""); COMP_CWORD=$#; "_$1"; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$root/packaging/bash-completion/$tool" "$tool" "${@:2}" | sort -u | tr '\n' ' '
}
# sorted WORD...: the words, sorted, one line (the form candidates prints).
sorted() { printf '%s\n' "$@" | sort -u | tr '\n' ' '; }
# The distinct "-word" options of standard input (as tests/scripts/usage_docs_test.sh).
options() { grep -oE '(^|[][ "])-[a-z]+(-[a-z]+)*' | sed 's/^[][ "]//'; }
expect() {
  local what=$1 got=$2 want=$3
  [[ $got == "$want" ]] || { echo "FAILED: $what: completion offers [$got], usage says [$want]"; failures=$((failures + 1)); }
}

usage=$("$BUILD/vnddconfig")
verbs=$(grep -oE '^  [a-z]+' <<<"$usage" | tr -d ' ')
# shellcheck disable=SC2046,SC2086 # word lists, split on purpose
{
  expect "vnddconfig <TAB>" "$(candidates vnddconfig)" "$(sorted -backend $verbs)"
  expect "vnddconfig -backend tap <TAB>" "$(candidates vnddconfig -backend tap)" "$(sorted $verbs)"
  expect "vnddconfig -backend <TAB>" "$(candidates vnddconfig -backend)" \
    "$(sorted $(grep -oE -- '-backend [a-z|]+' <<<"$usage" | cut -d' ' -f2 | tr '|' ' '))"
  expect "vnddconfig add vlan3 <TAB>" "$(candidates vnddconfig add vlan3)" \
    "$(sorted $(grep -E '^  add ' <<<"$usage" | grep -oE '\[[a-z]+' | tr -d '['))"
  expect "vnddconfig add vlan3 mtu 1400 noarp <TAB>" "$(candidates vnddconfig add vlan3 mtu 1400 noarp)" "$(sorted mac)"
  expect "vnddconfig status vlan3 <TAB>" "$(candidates vnddconfig status vlan3)" \
    "$(sorted $(grep -E '^  status ' <<<"$usage" | options))"
  # show's options include --json and --prometheus, which options() leaves out.
  expect "vnddconfig show vlan3 <TAB>" "$(candidates vnddconfig show vlan3)" \
    "$(sorted $(grep -E '^  show ' <<<"$usage" | grep -oE -- '[][ ]--?[a-z]+' | cut -c2-))"
  expect "vnddconfig show vlan3 --json <TAB>" "$(candidates vnddconfig show vlan3 --json)" "$(sorted -pidfile)"
  [[ " $(candidates vnddconfig show) " == *" lo "* && " $(candidates vnddconfig show) " == *" --prometheus "* ]] ||
    { echo "FAILED: vnddconfig show <TAB> does not offer the interface lo and the formats"; failures=$((failures + 1)); }
  for verb in up down; do
    expect "vnddconfig $verb vlan3 <TAB>" "$(candidates vnddconfig $verb vlan3)" \
      "$(sorted $(grep -E "^  $verb " <<<"$usage" | options))"
  done
  expect "every option of vnddconfig's usage is offered somewhere" \
    "$(sorted $(candidates vnddconfig | options) $(candidates vnddconfig status vlan3 | options) \
      $(candidates vnddconfig up vlan3 | options))" \
    "$(sorted $(options <<<"$usage"))"
  expect "vnddconfig up vlan3 -no-daemon <TAB>" "$(candidates vnddconfig up vlan3 -no-daemon)" "$(sorted -config)"
  expect "vnddconfig down vlan3 -config /a <TAB>" "$(candidates vnddconfig down vlan3 -config /a)" "$(sorted -no-daemon)"
  for verb in remove down; do
    [[ " $(candidates vnddconfig $verb) " == *" lo "* ]] ||
      { echo "FAILED: vnddconfig $verb <TAB> does not offer the interface lo"; failures=$((failures + 1)); }
  done

  usage=$("$BUILD/vnddvpnd")
  expect "vnddvpnd <TAB>" "$(candidates vnddvpnd)" "$(sorted $(options <<<"$usage"))"
  expect "vnddvpnd -backend <TAB>" "$(candidates vnddvpnd -backend)" \
    "$(sorted $(grep -oE -- '-backend [a-z|]+' <<<"$usage" | head -1 | cut -d' ' -f2 | tr '|' ' '))"
  expect "vnddvpnd -pwd k -cipher <TAB>" "$(candidates vnddvpnd -pwd k -cipher)" \
    "$(sorted $(grep -oE -- '-cipher [a-z]+' <<<"$usage" | head -1 | cut -d' ' -f2))"
  expect "vnddvpnd -tunnel vlan3 10.0.0.1 1 10.0.0.2 <TAB> (REMOTE_PORT)" \
    "$(candidates vnddvpnd -tunnel vlan3 10.0.0.1 1 10.0.0.2)" "$(sorted)"
  expect "vnddvpnd -tunnel vlan3 10.0.0.1 1 10.0.0.2 2 <TAB>" \
    "$(candidates vnddvpnd -tunnel vlan3 10.0.0.1 1 10.0.0.2 2)" "$(sorted $(options <<<"$usage"))"
  [[ " $(candidates vnddvpnd -tunnel) " == *" lo "* ]] ||
    { echo "FAILED: vnddvpnd -tunnel <TAB> does not offer the interface lo"; failures=$((failures + 1)); }
}
((failures == 0)) || { echo "$failures completion and usage mismatches"; exit 1; }
echo "ok: bash completions offer the commands, options and values of the usage texts"
