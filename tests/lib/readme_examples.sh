# shellcheck shell=bash
# README.md's marked examples, read and run as written. An example is a
# fenced block right after a marker line:
#   <!-- example NAME host=HOST[,HOST...] [background] [file=PATH] -->
# NAME names it for the test; each HOST is a host (namespace) of the test
# that runs it; `background` runs it in the background (a daemon in the
# foreground: one command); `file=PATH` makes the block the content of the
# file PATH on each host rather than commands. Commands run with bash -e,
# `sudo` as a no-op (the test is root) and the tools of $BUILD first on PATH,
# in the host's private /etc (private_etc.sh). Source after netns.sh and
# private_etc.sh.
#   readme_examples_load FILE  reads every marked example; a bad or
#                              unterminated marker, or a name given twice, fails
#   example_text NAME          prints the example (fails if README has none)
#   run_example NAME [HOST]    runs it on each of its hosts (or on HOST only)
#   run_example_as NAME HOST SED   runs it on HOST with sed script SED applied
#                              (another spoke from spoke1's example)
#   examples_not_run           prints the marked examples no run_example ran

declare -A EX_TEXT=() EX_HOSTS=() EX_BG=() EX_FILE=() EX_RAN=() EX_PID=()
EX_ORDER=()

readme_examples_load() {
  local readme=$1 line n=0 name='' attrs in_block=0 text='' a
  [[ -r $readme ]] || { echo "FAILED: cannot read $readme"; return 1; }
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    if ((in_block)); then
      if [[ $line == '```'* ]]; then
        EX_TEXT[$name]=$text
        in_block=0 name='' text=''
      else
        text+=$line$'\n'
      fi
      continue
    fi
    if [[ -n $name ]]; then
      [[ $line == '```'* ]] || { echo "FAILED: README.md:$n: example $name: its marker is not followed by a fenced block"; return 1; }
      in_block=1
      continue
    fi
    [[ $line == '<!-- example '* ]] || continue
    [[ $line =~ ^'<!-- example '([a-z0-9-]+)' '(.*)' -->'$ ]] ||
      { echo "FAILED: README.md:$n: bad example marker: $line"; return 1; }
    name=${BASH_REMATCH[1]} attrs=${BASH_REMATCH[2]}
    [[ -v EX_TEXT[$name] || -v EX_HOSTS[$name] ]] && { echo "FAILED: README.md:$n: example $name is marked twice"; return 1; }
    EX_BG[$name]=0 EX_FILE[$name]=
    for a in $attrs; do
      case $a in
        host=?*) EX_HOSTS[$name]=${a#host=} ;;
        background) EX_BG[$name]=1 ;;
        file=/?*) EX_FILE[$name]=${a#file=} ;;
        *) echo "FAILED: README.md:$n: example $name: unknown attribute '$a'"; return 1 ;;
      esac
    done
    [[ -n ${EX_HOSTS[$name]-} ]] || { echo "FAILED: README.md:$n: example $name names no host=HOST"; return 1; }
    EX_ORDER+=("$name")
  done <"$readme"
  [[ -z $name ]] || { echo "FAILED: README.md: example $name: its block never ends"; return 1; }
  ((${#EX_ORDER[@]} > 0)) || { echo "FAILED: $readme has no marked examples"; return 1; }
}

example_text() {
  [[ -v EX_TEXT[$1] ]] || { echo "FAILED: README.md has no example '$1' (renamed or removed? <!-- example $1 host=... -->)" >&2; return 1; }
  printf '%s' "${EX_TEXT[$1]}"
}

# The shell an example runs in: stop at the first failing command.
EX_PRELUDE='set -eu; sudo() { "$@"; }; '

# run_example_text NAME HOST TEXT: TEXT (NAME's, perhaps edited) on HOST, as NAME says.
run_example_text() {
  local name=$1 h=$2 text=$3 log=$TVPN_TMP/example-$1-$2.log
  EX_RAN[$name]=1
  [[ -n ${TVPN_ETC_HOLDER[$h]-} ]] || { echo "FAILED: example $name names host $h, which the test has not made"; return 1; }
  if [[ -n ${EX_FILE[$name]} ]]; then
    printf '%s' "$text" | on_host "$h" sh -c 'mkdir -p "$(dirname "$1")" && cat >"$1"' _ "${EX_FILE[$name]}" ||
      { echo "FAILED: example $name: cannot write ${EX_FILE[$name]} on $h"; return 1; }
    echo "[$h] wrote ${EX_FILE[$name]} (example $name)"
  elif ((EX_BG[$name])); then
    # One command: bash execs it, so the PID is the daemon's (a line
    # continued with a backslash is still one command).
    start_bg "$h" "$log" nsenter --target "${TVPN_ETC_HOLDER[$h]}" --mount --net -- \
      env PATH="$BUILD:$PATH" bash -c "sudo() { exec \"\$@\"; }; $text"
    EX_PID[$name@$h]=$LAST_PID
    echo "[$h] started in the background (example $name): $text"
  else
    echo "[$h] example $name:"
    on_host "$h" env PATH="$BUILD:$PATH" bash -c "$EX_PRELUDE$text" >"$log" 2>&1 ||
      { sed 's/^/      /' "$log"; echo "FAILED: example $name on $h"; return 1; }
    sed 's/^/      /' "$log"
  fi
}

run_example() {
  local name=$1 text h
  text=$(example_text "$name") || return 1
  text+=$'\n'
  for h in ${EX_HOSTS[$name]//,/ }; do
    [[ -n ${2-} && $h != "$2" ]] && continue
    run_example_text "$name" "$h" "$text" || return 1
  done
}

run_example_as() {
  local name=$1 h=$2 text
  text=$(example_text "$name") || return 1
  run_example_text "$name" "$h" "$(sed "$3" <<<"$text")"$'\n'
}

# example_log NAME HOST: the output of NAME on HOST (a background one's log).
example_log() { cat "$TVPN_TMP/example-$1-$2.log" 2>/dev/null; }

# stop_example NAME HOST: stops a background example (as Ctrl-C would).
stop_example() { stop_pid "${EX_PID[$1@$2]:?no background example $1 on $2}"; }

examples_not_run() {
  local name
  for name in "${EX_ORDER[@]}"; do [[ -v EX_RAN[$name] ]] || echo "$name"; done
}
