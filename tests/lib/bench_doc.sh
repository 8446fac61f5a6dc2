# docs/BENCHMARKS.md has one section per benchmark writer, each between its
# own markers: <!-- host-bench --> ... <!-- /host-bench --> (make bench,
# tests/bench/bench.sh) and <!-- vm-bench --> ... <!-- /vm-bench -->
# (make bench VM=1, tests/vm/bench.sh), <!-- soak --> (make soak,
# tests/bench/soak.sh). A writer replaces its own section and
# leaves every other line of the file as it was. Sourced by each writer.

# write_doc_section FILE NAME: replaces the lines between "<!-- NAME -->" and
# "<!-- /NAME -->" in FILE with standard input (the markers stay), or appends
# the section when FILE has none; creates FILE, with the document's title, if
# missing. Leaves FILE untouched and fails if a section is not closed.
write_doc_section() {
  local file=$1 name=$2 body
  body=$(mktemp "${TMPDIR:-/tmp}/tvpn-doc-section.XXXXXX") || return 1
  cat >"$body"
  [[ -s $file ]] || printf '# TVPN benchmarks\n' >"$file" || { rm -f "$body"; return 1; }
  # The body is read from its file, not passed with awk -v (which would
  # interpret backslashes in it).
  awk -v first="<!-- $name -->" -v last="<!-- /$name -->" -v body="$body" '
    function emit(  line) {
      print first
      while ((getline line < body) > 0) print line
      print last
      done = 1
    }
    $0 == first { if (!done) emit(); skip = 1; next }
    skip && $0 == last { skip = 0; next }
    !skip { print }
    END { if (skip) exit 3; if (!done) { print ""; emit() } }
  ' "$file" >"$file.tmp"
  local rc=$?
  rm -f "$body"
  if ((rc != 0)); then
    rm -f "$file.tmp"
    ((rc == 3)) && echo "bench: $file: <!-- $name --> has no closing <!-- /$name -->; not rewritten" >&2
    return 1
  fi
  mv "$file.tmp" "$file"
}
