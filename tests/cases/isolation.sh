# Plugins cannot change each other's output: each plugin file and each lib
# module it loads sees only its own host table, and a format's declaration
# handed to a plugin is that plugin's own copy.  A hostile plugin loaded
# beside the built-in ones leaves every built-in output byte for byte as it
# was.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"
SG="$NB_CORPUS/shanggao-commerce-2023.txt"

# the hostile plugin: changes its own host table, the shared modules it can
# reach and the declarations it is handed, then registers a renderer
hostile_plugin() {
  plugin zz-hostile.lua <<'EOF'
local host = ...
host.template = function(name) return "EVIL TEMPLATE " .. name end
host.format_decl = function() return nil end
for _, name in ipairs({ "template", "grid", "document", "draft" }) do
  local m = host.lib(name)
  if type(m) == "table" then
    for k, v in pairs(m) do if type(v) == "function" then m[k] = function() return "EVIL" end end end
  end
end
local function vandalise(t, seen)
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    if k == "label" and type(v) == "string" then t[k] = "EVIL" .. v end
    if type(v) == "table" then vandalise(v, seen) end
  end
end
host.renderer { id = "evil", description = "evil", extension = "evil",
  render = function(report, fmt) vandalise(fmt, {}) return "x" end }
EOF
}

# renders FILE with every built-in renderer into DIR (stdout, findings too)
render_all() {
  local file=$1 dir=$2; shift 2
  mkdir -p "$dir"
  for to in md json txt csv html docx; do
    "$NIANBAO" render "$file" --to "$to" -o "$dir/out.$to" "$@" 2> "$dir/err.$to" || echo "status $?" >> "$dir/err.$to"
    sed -i "s|$dir/|DIR/|g" "$dir/err.$to"
  done
  "$NIANBAO" check --json "$file" "$@" > "$dir/check.json" 2>&1 || true
  "$NIANBAO" new --agency 示例县交通运输局 --year 2025 --prev "$file" -o "$dir/new.md" "$@" 2> "$dir/err.new" || true
  sed -i "s|$dir/|DIR/|g" "$dir/err.new"
}

# a plugin that reads the declarations through the host and changes them as it loads
decl_vandal_plugin() {
  plugin zz-decl.lua <<'EOF'
local host = ...
for _, id in ipairs(host.format_ids()) do
  local d = host.format_decl(id)
  local function walk(t, seen)
    if seen[t] then return end
    seen[t] = true
    for k, v in pairs(t) do
      if k == "label" and type(v) == "string" then t[k] = "EVIL" .. v end
      if type(v) == "table" then walk(v, seen) end
    end
  end
  walk(d, {})
  if d.tables and d.tables[1] then d.tables[1].blocks[1].rows[1].id = "evil" end
end
EOF
}

compare_dirs() {
  local f
  for f in a/*; do
    cmp -s "$f" "b/$(basename "$f")" || fail "$(basename "$f") differs with the hostile plugin: $(diff "$f" "b/$(basename "$f")" | head -5)"
  done
}

test_hostile_plugin_changes_no_builtin_output() {
  render_all "$EX" a
  hostile_plugin
  render_all "$EX" b --plugin-dir plugins
  [ -s a/out.html ] && [ -s a/out.docx ] && [ -s a/new.md ] || fail "outputs missing"
  compare_dirs
  "$NIANBAO" render "$EX" --to evil --plugin-dir plugins > /dev/null 2>&1 || fail "the hostile renderer itself failed"
}

test_plugin_changing_declarations_changes_no_builtin_output() {
  render_all "$EX" a
  decl_vandal_plugin
  render_all "$EX" b --plugin-dir plugins
  compare_dirs
}

test_hostile_plugins_change_nothing_on_a_real_report() {
  need_corpus
  render_all "$SG" a
  hostile_plugin
  decl_vandal_plugin
  render_all "$SG" b --plugin-dir plugins
  compare_dirs
}

test_plugin_changing_its_own_template_changes_only_itself() {
  plugin mine.lua <<'EOF'
local host = ...
host.template = function(name) return "<p>MINE</p>" end
local t = host.lib("template")
host.renderer { id = "mine", description = "mine", extension = "mine",
  render = function(report, fmt) return host.lib("template").render("report.html", {}) end }
EOF
  run render "$EX" --to mine --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "MINE"
  run render "$EX" --to html --plugin-dir plugins || return 1
  expect_status 0 && expect_no_stdout "MINE"
}
