-- A renderer that hands host.zip an entry name outside the archive.
local host = ...

host.renderer {
  id = "bad-zip",
  description = "host.zip with a bad entry name",
  extension = "badzip",
  render = function()
    return host.zip { { name = "word/document.xml", data = "<w/>" }, { name = "../escape.xml", data = "x" } }
  end,
}
