# The layers of host/ (docs/architecture.md): a file includes headers of its
# own folder and of the folders below it only, so includes point one way and
# cannot form a cycle; the core (base, model, rules) includes no Lua header;
# no C file grows past 500 lines.

LAYERS="base model rules io store lua text api plugin cli"

# rank of a folder in LAYERS (1 = lowest), empty when unknown
rank_of() { local i=0 l; for l in $LAYERS; do i=$((i + 1)); if [ "$l" = "$1" ]; then echo $i; fi; done; }

test_includes_point_down_the_layers() {
  local f dir inc r ri
  for f in "$NB_ROOT"/host/*/*.[ch]; do
    dir=$(basename "$(dirname "$f")")
    r=$(rank_of "$dir")
    [ -n "$r" ] || { fail "host/$dir is not a known layer (add it to LAYERS and docs/architecture.md)"; continue; }
    for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
      [[ "$inc" == */* ]] || { fail "${f#$NB_ROOT/}: include \"$inc\" names no layer"; continue; }
      ri=$(rank_of "${inc%%/*}")
      [ -n "$ri" ] && [ "$ri" -le "$r" ] || fail "${f#$NB_ROOT/} ($dir) includes $inc from a layer above it"
    done
  done
}

test_no_c_files_at_the_top_of_host() {
  local extra; extra=$(ls "$NB_ROOT"/host/*.[ch] 2>/dev/null || true)
  [ -z "$extra" ] || fail "files outside the layers: $extra"
}

test_core_includes_no_lua() {
  ! grep -l -E '#include [<"](lua|lauxlib|lualib)' "$NB_ROOT"/host/{base,model,rules}/* ||
    fail "the core (base, model, rules) includes a Lua header"
}

test_c_files_stay_small() {
  local big
  big=$(wc -l "$NB_ROOT"/host/*/*.c | awk '$2 != "total" && $1 > 500 { print $2 " (" $1 " lines)" }')
  [ -z "$big" ] || fail "C files past 500 lines: $big"
}

test_the_layer_test_catches_an_upward_include() {
  # the check above can fail: a model file including a cli header is caught
  mkdir -p root/host/model root/host/cli
  printf '#include "cli/cli.h"\n' > root/host/model/bad.c
  : > root/host/cli/cli.h
  NB_ROOT=$PWD/root NB_FAILED=$PWD/mark bash -c "source '$NB_ROOT/tests/lib.sh'; source '$NB_ROOT/tests/cases/layers.sh'; test_includes_point_down_the_layers" > out.txt 2>&1 || true
  grep -q 'includes cli/cli.h from a layer above it' mark || { cat out.txt; fail "an upward include was not caught"; }
}
