-- A renderer that fills test/main.txt (from the user template directory the
-- test sets up) with fixed values, to test the template engine itself.
local host = ...

local template = host.lib("template")

host.renderer {
  id = "template-test",
  description = "fills test/main.txt with fixed values",
  extension = "tt",
  render = function()
    return template.render("test/main.txt", {
      name = "<甲&乙>", list = { { n = 1 }, { n = 2 }, { n = 3 } }, empty = {}, flag = true, no = false,
      zero = 0, nested = { inner = { v = "深" } }, items = { "a", "b" }, n = "outer",
    }, template.escape_markup)
  end,
}

-- an escape function of the plugin's own, which the engine cannot know to
-- give the same text for the same value: it must be called for every value
local calls = 0
host.renderer {
  id = "template-count",
  description = "fills test/main.txt, numbering every escaped value",
  extension = "tc",
  render = function()
    return template.render("test/main.txt", { items = { "a", "b", "a" }, n = 7 }, function(s)
      calls = calls + 1
      return s .. "#" .. calls
    end)
  end,
}

-- an escape function that fills a template itself, while the outer render
-- is running: each render has its own list of pieces
host.renderer {
  id = "template-nested",
  description = "fills test/nest.txt, each value through test/inner.txt",
  extension = "tn",
  render = function()
    return template.render("test/nest.txt", { x = 1, y = "二", list = { "a", "b" } }, function(s)
      return "[" .. template.render("test/inner.txt", { v = s }) .. "]"
    end)
  end,
}
