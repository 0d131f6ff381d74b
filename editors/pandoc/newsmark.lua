--[[
newsmark.lua — render Newsmark articles for readers with stock pandoc.

  pandoc --lua-filter editors/pandoc/newsmark.lua -s article.news.md -o article.html

Written for pandoc 2.17 (Debian's, Lua 5.3) and later. What it does (docs/rendering.md):

  * front matter  -> a byline under the headline (outlet, agency, author, date, link)
  * [..]{fig=K}   -> the figure, with its quantity's label, declared value and as-of
                     period as a tooltip (title attribute) and/or a footnote
  * [..]{by=E}    -> the quote, with its speaker's name and role as tooltip/footnote
  * [..]{ent=E}   -> the mention, with the entity's name and role as tooltip
  * [@id]         -> readable text ("Reuters, 12 February 2020") linked to the cited
                     article's output file, its url, or its entry in a "Sources" list
  * definition blocks, `::: {.entity #id}` and `::: entity id` alike -> a glossary
  * -M newsmark-notes=tooltips|footnotes|both   (default: tooltips for HTML, footnotes otherwise)
  * -M newsmark-workspace=DIR (repeatable)       where definitions and other articles live
                                                 (default: the input file's folder)

Definitions and cited articles usually live in other files, so the filter reads every
`*.news.md` file of the workspace folder(s) with pandoc.read. Nothing here may stop a
render: every lookup tolerates missing ids and fields, and any Lua error inside one
element leaves that element as pandoc read it (with one warning on stderr).
]]

local stringify = pandoc.utils.stringify

local DEFINITION_KINDS = { entity = true, source = true, quantity = true }

local warned = {}
local function warn(message)
  if not warned[message] then
    warned[message] = true
    io.stderr:write("[newsmark.lua] " .. message .. "\n")
  end
end

-- Runs `f(...)`; on a Lua error, warns and returns nil so that the caller (a pandoc filter
-- function) leaves the element unchanged.
local function guarded(what, f, ...)
  local ok, result = pcall(f, ...)
  if ok then
    return result
  end
  warn(what .. " left as is: " .. tostring(result))
  return nil
end

local function trim(s)
  return (tostring(s or ""):gsub("^%s+", ""):gsub("%s+$", ""))
end

local function nonempty(s)
  if s == nil then
    return nil
  end
  s = trim(s)
  if s == "" then
    return nil
  end
  return s
end

-- pandoc 2.17 gives a metadata list as a List (pandoc.utils.type "List"), older ones a
-- table tagged MetaList; inlines are lists too, so the type is asked, not guessed.
local function is_meta_list(value)
  if type(value) ~= "table" then
    return false
  end
  if value.t == "MetaList" then
    return true
  end
  return pandoc.utils.type ~= nil and pandoc.utils.type(value) == "List"
end

-- Text of a metadata value, whatever its pandoc type (string, inlines, blocks, bool, list).
local meta_text
function meta_text(value)
  if value == nil then
    return nil
  end
  if type(value) == "boolean" then
    return value and "true" or "false"
  end
  if is_meta_list(value) then
    local items = {}
    for _, item in ipairs(value) do
      items[#items + 1] = meta_text(item)
    end
    return nonempty(table.concat(items, ", "))
  end
  local ok, text = pcall(stringify, value)
  if ok then
    return nonempty(text)
  end
  return nil
end

-- A metadata value that may be given once or several times (-M k=a -M k=b makes a list).
local function meta_list(value)
  local out = {}
  if value == nil then
    return out
  end
  if is_meta_list(value) then
    for _, item in ipairs(value) do
      local text = meta_text(item)
      if text then
        out[#out + 1] = text
      end
    end
  else
    local text = meta_text(value)
    if text then
      out[1] = text
    end
  end
  return out
end

------------------------------------------------------------------------------------------
-- Dates, values and periods as readers write them
------------------------------------------------------------------------------------------

local MONTHS = {
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
}

-- "2020-02-13" -> "13 February 2020", "2020-02" -> "February 2020"; anything else unchanged.
local function format_date(text)
  text = nonempty(text)
  if not text then
    return nil
  end
  local y, m, d = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if y and MONTHS[tonumber(m)] then
    return string.format("%d %s %s", tonumber(d), MONTHS[tonumber(m)], y)
  end
  y, m = text:match("^(%d%d%d%d)%-(%d%d)$")
  if y and MONTHS[tonumber(m)] then
    return MONTHS[tonumber(m)] .. " " .. y
  end
  return text
end

-- The two ends of a range `A..B`, or nil when `text` is not one.
local function split_range(text)
  return text:match("^(.-)%.%.(.*)$")
end

-- An `asof=` period: a date, or a range `A..B`.
local function format_period(text)
  text = nonempty(text)
  if not text then
    return nil
  end
  local from, to = split_range(text)
  if from then
    return (format_date(from) or "…") .. " – " .. (format_date(to) or "…")
  end
  return format_date(text)
end

-- A `value=` as the author declared it: `500`, `450..550`, `~500`, `>=5200`, `<500` …
local function format_value(text)
  text = nonempty(text)
  if not text then
    return nil
  end
  local low, high = split_range(text)
  if low then
    return trim(low) .. "–" .. trim(high)
  end
  local bounds = {
    { "^>=%s*(.+)$", "at least " },
    { "^<=%s*(.+)$", "at most " },
    { "^>%s*(.+)$", "more than " },
    { "^<%s*(.+)$", "less than " },
    { "^~%s*(.+)$", "about " },
  }
  for _, bound in ipairs(bounds) do
    local n = text:match(bound[1])
    if n then
      return bound[2] .. n
    end
  end
  return text
end

------------------------------------------------------------------------------------------
-- Definition blocks, in both forms
------------------------------------------------------------------------------------------

-- Splits a list of inlines into lines (at soft and hard breaks), each a list of inlines.
local function split_lines(inlines)
  local lines, current = {}, pandoc.List()
  for _, el in ipairs(inlines) do
    if el.t == "SoftBreak" or el.t == "LineBreak" then
      lines[#lines + 1] = current
      current = pandoc.List()
    else
      current:insert(el)
    end
  end
  lines[#lines + 1] = current
  return lines
end

local function line_text(line)
  return trim(stringify(line))
end

-- The lines of a definition block's body (its blocks, as pandoc read them), each with its
-- text and, where it has them, its inlines (so a value's emphasis, mentions and citations
-- render in the glossary).
local function body_lines(blocks)
  local lines = {}
  for _, block in ipairs(blocks) do
    if block.t == "Para" or block.t == "Plain" then
      for _, line in ipairs(split_lines(block.content)) do
        lines[#lines + 1] = { text = line_text(line), inlines = line }
      end
    else
      lines[#lines + 1] = { text = trim(stringify(block)) }
    end
  end
  return lines
end

-- The inlines of `key: value` after the key, or nil when they do not start as expected.
local function value_inlines(inlines, key)
  if not inlines or #inlines == 0 or inlines[1].t ~= "Str" then
    return nil
  end
  local first = inlines[1].text
  local colon = first:find(":", 1, true)
  if not colon or first:sub(1, colon - 1):lower() ~= key then
    return nil
  end
  local rest = pandoc.List()
  local after = first:sub(colon + 1)
  local start = 2
  if after ~= "" then
    rest:insert(pandoc.Str(after))
  else
    while inlines[start] and inlines[start].t == "Space" do
      start = start + 1
    end
  end
  for i = start, #inlines do
    rest:insert(inlines[i])
  end
  if #rest == 0 then
    return nil
  end
  return rest
end

-- A definition from its kind, id and `key: value` lines. Lines that are not `key: value`
-- are kept as free text, so nothing the author wrote disappears from the glossary.
local function make_definition(kind, id, lines, path)
  local def = { kind = kind, id = id, fields = {}, inlines = {}, order = {}, extra = {}, path = path }
  for _, line in ipairs(lines) do
    local key, value = line.text:match("^([%w_%-]+)%s*:%s*(.-)%s*$")
    if key and value ~= "" then
      key = key:lower()
      if def.fields[key] == nil then
        def.order[#def.order + 1] = key
      end
      def.fields[key] = value
      def.inlines[key] = value_inlines(line.inlines, key)
    elseif line.text ~= "" then
      def.extra[#def.extra + 1] = line
    end
  end
  return def
end

-- `::: {.entity #id}`: a pandoc Div with a definition class and an id.
local function definition_of_div(div, path)
  if div.t ~= "Div" or div.identifier == nil or div.identifier == "" then
    return nil
  end
  for _, class in ipairs(div.classes) do
    if DEFINITION_KINDS[class] then
      return make_definition(class, div.identifier, body_lines(div.content), path)
    end
  end
  return nil
end

-- `::: entity id` is not a pandoc div: pandoc reads it as a paragraph whose first line is
-- `::: entity id` and whose last is `:::`. Returns kind and id when `line` opens one.
local function legacy_opening(line)
  local kind, id = line:match("^:::+%s*(%a+)%s+([%w][%w._%-]*)%s*:*$")
  if kind and DEFINITION_KINDS[kind] then
    return kind, id
  end
  return nil
end

local function is_closing(line)
  return line:match("^:::+$") ~= nil
end

-- Finds the definition blocks in one list of blocks. Returns a list of items, each either
-- { block = B } (not a definition) or { def = D } in order; a legacy block may span several
-- paragraphs, and text after its closing `:::` in the same paragraph stays a paragraph.
local function scan_blocks(blocks, path)
  local items = {}
  local i, n = 1, #blocks
  while i <= n do
    local block = blocks[i]
    local def = definition_of_div(block, path)
    if def then
      items[#items + 1] = { def = def }
      i = i + 1
    elseif block.t == "Para" or block.t == "Plain" then
      local lines = split_lines(block.content)
      local kind, id = legacy_opening(line_text(lines[1]))
      if not kind then
        items[#items + 1] = { block = block }
        i = i + 1
      else
        -- Collect lines up to the closing `:::`, across paragraphs if need be.
        local texts, j, k, closed, rest = {}, i, 2, false, nil
        while j <= n and not closed do
          local current = blocks[j]
          if j > i then
            if current.t ~= "Para" and current.t ~= "Plain" then
              break
            end
            lines, k = split_lines(current.content), 1
          end
          while k <= #lines do
            local text = line_text(lines[k])
            if is_closing(text) then
              closed = true
              if k < #lines then
                rest = pandoc.List()
                for m = k + 1, #lines do
                  if m > k + 1 then
                    rest:insert(pandoc.SoftBreak())
                  end
                  rest:extend(lines[m])
                end
              end
              break
            end
            texts[#texts + 1] = { text = text, inlines = lines[k] }
            k = k + 1
          end
          j = j + 1
        end
        if closed then
          items[#items + 1] = { def = make_definition(kind, id, texts, path) }
          if rest then
            items[#items + 1] = { block = pandoc.Para(rest) }
          end
          i = j
        else
          -- Unclosed: `newsmark check` reports it; render what pandoc read.
          items[#items + 1] = { block = block }
          i = i + 1
        end
      end
    else
      items[#items + 1] = { block = block }
      i = i + 1
    end
  end
  return items
end

------------------------------------------------------------------------------------------
-- The workspace: every definition and article the rendered file may refer to
------------------------------------------------------------------------------------------

local Workspace = {}
Workspace.__index = Workspace

local function new_workspace()
  return setmetatable({ entities = {}, quantities = {}, citable = {} }, Workspace)
end

-- First definition wins: a duplicate id is `newsmark check`'s finding, not ours to resolve.
function Workspace:add_definition(def)
  local table_of = {
    entity = self.entities,
    quantity = self.quantities,
    source = self.citable,
  }
  local into = table_of[def.kind]
  if into and into[def.id] == nil then
    into[def.id] = def
  end
end

function Workspace:add_article(fields, path)
  local id = nonempty(fields.id)
  if id and self.citable[id] == nil then
    self.citable[id] = { kind = "article", id = id, fields = fields, path = path }
  end
end

-- Records the front matter and every definition block of one parsed document.
function Workspace:add_document(doc, path)
  local fields = {}
  for key, value in pairs(doc.meta) do
    fields[tostring(key):lower()] = meta_text(value)
  end
  self:add_article(fields, path)
  local ws = self
  doc:walk({
    Blocks = function(blocks)
      for _, item in ipairs(scan_blocks(blocks, path)) do
        if item.def then
          ws:add_definition(item.def)
        end
      end
      return nil
    end,
  })
end

local function is_windows()
  return pandoc.system.os == "mingw32" or package.config:sub(1, 1) == "\\"
end

local function shell_quote(s)
  if is_windows() then
    return '"' .. s:gsub('"', "") .. '"'
  end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The `*.news.md` files of a folder, sorted. pandoc 2.17 has no list_directory; later
-- versions do, and it is preferred when present.
local function news_files(dir)
  local names = {}
  if pandoc.system.list_directory then
    local ok, listed = pcall(pandoc.system.list_directory, dir)
    if ok then
      names = listed
    else
      warn("workspace folder " .. dir .. " cannot be listed: skipped")
    end
  else
    local command = is_windows() and ("dir /b " .. shell_quote(dir) .. " 2>nul")
      or ("ls -1 " .. shell_quote(dir) .. " 2>/dev/null")
    local ok, pipe = pcall(io.popen, command)
    if ok and pipe then
      for name in pipe:lines() do
        names[#names + 1] = name
      end
      if not pipe:close() then
        warn("workspace folder " .. dir .. " cannot be listed: skipped")
      end
    else
      warn("cannot list workspace folder " .. dir .. " (no io.popen): only this document's definitions are used")
    end
  end
  local files = {}
  for _, name in ipairs(names) do
    if name:match("%.news%.md$") then
      files[#files + 1] = pandoc.path.join({ dir, name })
    end
  end
  table.sort(files)
  return files
end

local function read_file(path)
  local handle = io.open(path, "rb")
  if not handle then
    return nil
  end
  local text = handle:read("a")
  handle:close()
  return text
end

-- Flat `key: value` front matter, read by hand when pandoc's YAML reader refuses the file
-- (e.g. `title: Iraq: the mission`), so that one odd file does not hide its definitions.
local function split_front_matter(text)
  local opening = text:match("^%-%-%-[ \t]*\r?\n")
  if not opening then
    return {}, text
  end
  local fields = {}
  local pos = #opening + 1
  while pos <= #text do
    local line_end = text:find("\n", pos, true) or (#text + 1)
    local line = text:sub(pos, line_end - 1):gsub("\r$", "")
    pos = line_end + 1
    if line:match("^%-%-%-%s*$") or line:match("^%.%.%.%s*$") then
      return fields, text:sub(pos)
    end
    local key, value = line:match("^([%w_%-]+)%s*:%s*(.-)%s*$")
    if key and value ~= "" then
      fields[key:lower()] = (value:gsub('^"(.*)"$', "%1"):gsub("^'(.*)'$", "%1"))
    end
  end
  return {}, text -- unclosed: not front matter
end

function Workspace:add_file(path)
  local text = read_file(path)
  if not text then
    warn("cannot read " .. path)
    return
  end
  local ok, doc = pcall(pandoc.read, text, "markdown")
  if ok then
    self:add_document(doc, path)
    return
  end
  local fields, body = split_front_matter(text)
  self:add_article(fields, path)
  ok, doc = pcall(pandoc.read, body, "markdown")
  if ok then
    doc.meta = {}
    self:add_document(doc, path)
  else
    warn("pandoc cannot read " .. path .. ": its definitions are not used")
  end
end

local function absolute(path)
  if pandoc.path.is_absolute(path) then
    return pandoc.path.normalize(path)
  end
  return pandoc.path.normalize(pandoc.path.join({ pandoc.system.get_working_directory(), path }))
end

------------------------------------------------------------------------------------------
-- Rendering
------------------------------------------------------------------------------------------

local Renderer = {}
Renderer.__index = Renderer

local function is_html_format(format)
  return format:match("html") ~= nil or format == "revealjs" or format == "slidy"
    or format == "slideous" or format == "s5" or format == "dzslides" or format == "epub"
    or format:match("^epub") ~= nil
end

function Renderer.new(doc)
  local self = setmetatable({}, Renderer)
  self.html = is_html_format(FORMAT or "html")
  local notes = (meta_text(doc.meta["newsmark-notes"]) or ""):lower()
  if notes == "" then
    notes = self.html and "tooltips" or "footnotes"
  end
  self.tooltips = notes == "tooltips" or notes == "both"
  self.footnotes = notes == "footnotes" or notes == "both"
  if not (self.tooltips or self.footnotes) then
    warn("newsmark-notes must be tooltips, footnotes or both; using tooltips and footnotes")
    self.tooltips, self.footnotes = true, true
  end

  local input = PANDOC_STATE.input_files[1]
  if input == nil or input == "-" then
    self.input = nil
    self.input_dir = pandoc.system.get_working_directory()
  else
    self.input = absolute(input)
    self.input_dir = pandoc.path.directory(self.input)
  end
  local output = PANDOC_STATE.output_file
  local extension = output and output ~= "-" and select(2, pandoc.path.split_extension(output))
  self.output_extension = (extension and extension ~= "") and extension or ".html"

  self.workspace = new_workspace()
  -- The document being rendered first: its text (perhaps stdin) wins over the file on disk.
  self.workspace:add_document(doc, self.input)
  local folders = meta_list(doc.meta["newsmark-workspace"])
  if #folders == 0 then
    folders = { self.input_dir }
  end
  for _, folder in ipairs(folders) do
    for _, path in ipairs(news_files(folder)) do
      if absolute(path) ~= self.input then
        guarded("workspace file " .. path, self.workspace.add_file, self.workspace, path)
      end
    end
  end
  self.cited = {} -- ids cited by the document, in order of first citation
  self.cited_seen = {}
  return self
end

local function text_inlines(text)
  return pandoc.List({ pandoc.Str(text) })
end

-- Adds `title` (a tooltip) to a span's attributes and a class, keeping the span's own
-- attributes (pandoc writes them as data-fig=…, data-by=…, so the markup survives).
local function decorate(span, class, tooltip)
  span.classes:insert(class)
  if tooltip then
    span.attributes.title = tooltip
  end
  return span
end

-- Joins the non-empty strings among `...` (which may hold nils) with `separator`.
local function join(separator, ...)
  local kept = {}
  for i = 1, select("#", ...) do
    local part = select(i, ...)
    if part and part ~= "" then
      kept[#kept + 1] = part
    end
  end
  return table.concat(kept, separator)
end

-- "1 October 2014 – 1 October 2024", "since 7 June 2018", or nil.
local function tenure(fields)
  local from, until_ = format_date(fields.from), format_date(fields["until"])
  if from and until_ then
    return from .. " – " .. until_
  elseif from then
    return "since " .. from
  elseif until_ then
    return "until " .. until_
  end
  return nil
end

-- "Jens Stoltenberg, Secretary General of NATO (1 October 2014 – 1 October 2024)"
function Renderer:describe_entity(id)
  local def = id and self.workspace.entities[id]
  if not def then
    return nil
  end
  local f = def.fields
  local role = f.role
  local dates = tenure(f)
  if role and dates then
    role = role .. " (" .. dates .. ")"
  end
  return join(", ", f.name or id, role or f.kind)
end

-- "Personnel serving in NATO Mission Iraq: at most 500 troops; as of January 2020"
function Renderer:describe_figure(span, published)
  local key = span.attributes.fig
  local def = self.workspace.quantities[key]
  local label = def and def.fields.label or key
  local unit = def and def.fields.unit
  local value = format_value(span.attributes.value)
  if value and unit then
    value = value .. " " .. unit
  end
  local period = format_period(span.attributes.asof)
  local when = period and ("as of " .. period)
    or (published and ("as reported on " .. published))
  return join("; ", join(": ", label, value), when)
end

function Renderer:note(text)
  return pandoc.Note({ pandoc.Para(text_inlines(text .. ".")) })
end

-- Renders one span by its kind; returns the span (decorated) or a list (span + note).
function Renderer:span(span, published)
  local attrs = span.attributes
  if attrs.fig then
    local description = self:describe_figure(span, published)
    decorate(span, "newsmark-figure", self.tooltips and description or nil)
    if self.footnotes and description ~= "" then
      return { span, self:note(description) }
    end
    return span
  elseif attrs.by then
    local speaker = self:describe_entity(attrs.by)
    if not speaker then
      return decorate(span, "newsmark-quote", nil)
    end
    decorate(span, "newsmark-quote", self.tooltips and ("Said by " .. speaker) or nil)
    if self.footnotes then
      return { span, self:note("Said by " .. speaker) }
    end
    return span
  elseif attrs.ent then
    return decorate(span, "newsmark-entity", self:describe_entity(attrs.ent))
  end
  return nil
end

-- Where a citation of `rec` links to: a workspace article's rendered file (HTML output),
-- else its `url:`, else the entry in this page's Sources list.
-- The rendered page of workspace file `path` (HTML output only): `other.html` beside this
-- page, or a relative path; nil for this page itself, other formats or an unknown path.
function Renderer:page_of(path)
  if not (self.html and path) or absolute(path) == self.input then
    return nil
  end
  local base = pandoc.path.filename(path):gsub("%.news%.md$", "")
  local dir = pandoc.path.directory(absolute(path))
  local file = base .. self.output_extension
  if dir == self.input_dir then
    return file
  end
  local ok, relative = pcall(pandoc.path.make_relative, pandoc.path.join({ dir, file }), self.input_dir, true)
  if ok and relative then
    return relative
  end
  return nil
end

-- Where a citation of `rec` links to: a workspace article's rendered page (HTML output),
-- else its `url:`, else the entry in this page's Sources list.
function Renderer:citation_target(rec)
  local page = rec.kind == "article" and self:page_of(rec.path)
  if page then
    return page
  end
  if nonempty(rec.fields.url) then
    return rec.fields.url
  end
  return "#newsmark-source-" .. rec.id
end

function Renderer:cite_one(citation)
  local rec = self.workspace.citable[citation.id]
  local prefix = pandoc.List(citation.prefix or {})
  local suffix = pandoc.List(citation.suffix or {})
  local out = pandoc.List()
  if #prefix > 0 then
    out:extend(prefix)
    out:insert(pandoc.Space())
  end
  if not rec then
    -- Unknown id (`newsmark check` reports it): the id as plain text, never `[@id]`.
    local shown = citation.mode == "AuthorInText" and ("@" .. citation.id) or citation.id
    out:insert(pandoc.Span(text_inlines(shown), pandoc.Attr("", { "newsmark-unknown-source" }, {})))
    out:extend(suffix)
    return out
  end
  if not self.cited_seen[rec.id] then
    self.cited_seen[rec.id] = true
    self.cited[#self.cited + 1] = rec
  end
  local f = rec.fields
  local who = f.outlet or f.title or rec.id
  local date = format_date(f.published)
  local label
  if citation.mode == "SuppressAuthor" then
    label = date or who
  elseif citation.mode == "AuthorInText" then
    label = date and (who .. " (" .. date .. ")") or who
  else
    label = join(", ", who, date)
  end
  local tooltip = join(" — ", f.title, f.outlet, date)
  out:insert(pandoc.Link(text_inlines(label), self:citation_target(rec), tooltip))
  out:extend(suffix)
  return out
end

-- A pandoc Cite, rendered as readable, linked text: `(Reuters, 12 February 2020; NATO, …)`.
function Renderer:cite(cite)
  local out = pandoc.List()
  local bracketed = false
  for index, citation in ipairs(cite.citations) do
    if citation.mode ~= "AuthorInText" then
      bracketed = true
    end
    if index > 1 then
      out:insert(pandoc.Str(";"))
      out:insert(pandoc.Space())
    end
    out:extend(self:cite_one(citation))
  end
  if bracketed then
    out:insert(1, pandoc.Str("("))
    out:insert(pandoc.Str(")"))
  end
  return pandoc.Span(out, pandoc.Attr("", { "newsmark-cite" }, {}))
end

local function is_break(el)
  return el == nil or el.t == "Space" or el.t == "SoftBreak" or el.t == "LineBreak"
end

-- Citations in a list of inlines; a citation glued to a span (`]{…}[@id]`) gets a space.
function Renderer:inlines(inlines)
  local out, changed = pandoc.List(), false
  for _, el in ipairs(inlines) do
    if el.t == "Cite" then
      local rendered = guarded("citation", self.cite, self, el)
      if rendered then
        changed = true
        if not is_break(out[#out]) then
          out:insert(pandoc.Space())
        end
        out:insert(rendered)
      else
        out:insert(el)
      end
    else
      out:insert(el)
    end
  end
  return changed and out or nil
end

local function definition_list_item(term, paragraphs)
  local blocks = {}
  for _, inlines in ipairs(paragraphs) do
    if inlines and #inlines > 0 then
      blocks[#blocks + 1] = pandoc.Para(inlines)
    end
  end
  return { term, { blocks } }
end

-- The fields a glossary entry shows on its own line; any others are listed as `key: value`.
local SHOWN = {
  entity = { name = true, kind = true, role = true, from = true, ["until"] = true, about = true, aliases = true },
  source = { title = true, outlet = true, author = true, published = true, url = true },
  quantity = { label = true, unit = true },
}

function Renderer:glossary_item(def)
  local f = def.fields
  -- A field as the author wrote it (mentions, emphasis, citations), else as text.
  local function shown(key, fallback)
    if def.inlines[key] then
      return pandoc.List(def.inlines[key])
    end
    return text_inlines(f[key] or fallback)
  end
  local anchor = pandoc.Attr(def.id, {}, {})
  local term, lines
  if def.kind == "entity" then
    term = pandoc.Span({ pandoc.Strong(shown("name", def.id)) }, anchor)
    local first = pandoc.List()
    if f.kind then
      first:insert(pandoc.Emph(text_inlines(f.kind)))
    end
    local role = join(" ", f.role, tenure(f) and ("(" .. tenure(f) .. ")"))
    if role ~= "" then
      if #first > 0 then
        first:insert(pandoc.Str(","))
        first:insert(pandoc.Space())
      end
      first:insert(pandoc.Str(role))
    end
    lines = { first }
    if f.about then
      lines[#lines + 1] = shown("about")
    end
    if f.aliases then
      lines[#lines + 1] = pandoc.List({ pandoc.Emph(text_inlines("Also called:")), pandoc.Space(), pandoc.Str(f.aliases) })
    end
  elseif def.kind == "source" then
    local title = shown("title", def.id)
    if nonempty(f.url) then
      title = pandoc.List({ pandoc.Link(title, f.url) })
    end
    term = pandoc.Span(title, anchor)
    lines = { text_inlines(join(" · ", f.outlet, f.author and ("by " .. f.author), format_date(f.published))) }
  else
    term = pandoc.Span(shown("label", def.id), anchor)
    lines = { pandoc.List({ pandoc.Code(def.id), pandoc.Str(f.unit and (" · counted in " .. f.unit) or "") }) }
  end
  for _, key in ipairs(def.order) do
    if not SHOWN[def.kind][key] then
      lines[#lines + 1] = pandoc.List({ pandoc.Str(key .. ":"), pandoc.Space() }) .. shown(key)
    end
  end
  for _, extra in ipairs(def.extra) do
    lines[#lines + 1] = extra.inlines and pandoc.List(extra.inlines) or text_inlines(extra.text)
  end
  return definition_list_item(term, lines)
end

-- Definition blocks become glossary lists: consecutive blocks of one kind form one list.
function Renderer:blocks(blocks)
  local items = scan_blocks(blocks, self.input)
  local any = false
  for _, item in ipairs(items) do
    if item.def then
      any = true
      break
    end
  end
  if not any then
    return nil
  end
  local out = pandoc.List()
  local run, run_kind = {}, nil
  local function flush()
    if #run > 0 then
      out:insert(pandoc.Div({ pandoc.DefinitionList(run) }, pandoc.Attr("", { "newsmark-glossary", "newsmark-glossary-" .. run_kind }, {})))
    end
    run, run_kind = {}, nil
  end
  for _, item in ipairs(items) do
    if item.def then
      if run_kind ~= item.def.kind then
        flush()
        run_kind = item.def.kind
      end
      local entry = guarded("definition " .. item.def.id, self.glossary_item, self, item.def)
      if entry then
        run[#run + 1] = entry
      end
    else
      flush()
      out:insert(item.block)
    end
  end
  flush()
  return out
end

function Renderer:byline(meta)
  local outlet = meta_text(meta.outlet)
  local agency = meta_text(meta.agency)
  local author = meta_text(meta.author)
  local date = format_date(meta_text(meta.published))
  local url = meta_text(meta.url)
  local parts = pandoc.List()
  local function add(inlines, class)
    if #parts > 0 then
      parts:extend({ pandoc.Space(), pandoc.Str("·"), pandoc.Space() })
    end
    parts:insert(pandoc.Span(inlines, pandoc.Attr("", { class }, {})))
  end
  if outlet then
    add(text_inlines(agency and (outlet .. ", via " .. agency) or outlet), "newsmark-outlet")
  elseif agency then
    add(text_inlines(agency), "newsmark-outlet")
  end
  if author then
    add(text_inlines("By " .. author), "newsmark-author")
  end
  if date then
    add(text_inlines(date), "newsmark-date")
  end
  if url then
    add({ pandoc.Link(text_inlines("Original article"), url) }, "newsmark-url")
  end
  if #parts == 0 then
    return nil
  end
  return pandoc.Div({ pandoc.Para(parts) }, pandoc.Attr("", { "newsmark-byline" }, {}))
end

function Renderer:sources_section()
  if #self.cited == 0 then
    return {}
  end
  local items = {}
  for _, rec in ipairs(self.cited) do
    local f = rec.fields
    local title = text_inlines(f.title or rec.id)
    local target = self:citation_target(rec)
    if target:sub(1, 1) == "#" then
      -- No page or url of its own: link to its glossary entry on the page of the file that
      -- defines it (sources.html#id), where there is one.
      local page = self:page_of(rec.path)
      target = page and (page .. "#" .. rec.id)
    end
    if target then
      title = pandoc.List({ pandoc.Link(title, target) })
    end
    local entry = pandoc.List(title)
    local details = join(" · ", f.outlet, f.author and ("by " .. f.author), format_date(f.published))
    if details ~= "" then
      entry:extend({ pandoc.Str("."), pandoc.Space(), pandoc.Str(details) })
    end
    items[#items + 1] = { pandoc.Plain({ pandoc.Span(entry, pandoc.Attr("newsmark-source-" .. rec.id, {}, {})) }) }
  end
  return {
    pandoc.Header(2, text_inlines("Sources"), pandoc.Attr("newsmark-sources", {}, {})),
    pandoc.BulletList(items),
  }
end

local STYLE = [[
<style>
.newsmark-figure { border-bottom: 1px dotted currentColor; cursor: help; }
.newsmark-quote[title], .newsmark-entity[title] { cursor: help; }
.newsmark-quote[title] { background: rgba(255, 220, 120, 0.18); }
.newsmark-byline { color: #555; margin: -0.5em 0 2em; }
.newsmark-cite, .newsmark-cite a { color: #3b5b8c; font-size: 0.92em; text-decoration: none; }
.newsmark-cite a:hover { text-decoration: underline; }
.newsmark-unknown-source { color: #999; }
.newsmark-glossary dt { margin-top: 0.8em; font-weight: 600; }
.newsmark-glossary dd { margin-left: 1.5em; color: #333; }
.newsmark-glossary dd p { margin: 0.1em 0; }
</style>
]]

local function add_header_include(meta, raw)
  local existing = meta["header-includes"]
  local list = pandoc.MetaList({})
  if existing ~= nil then
    if is_meta_list(existing) then
      list = existing
    else
      list:insert(existing)
    end
  end
  list:insert(pandoc.MetaBlocks({ pandoc.RawBlock("html", raw) }))
  meta["header-includes"] = list
end

function Renderer:document(doc)
  local meta = doc.meta
  local published = format_date(meta_text(meta.published))
  local renderer = self

  doc = doc:walk({
    Blocks = function(blocks)
      return guarded("definition blocks", renderer.blocks, renderer, blocks)
    end,
  })
  doc = doc:walk({
    Inlines = function(inlines)
      return renderer:inlines(inlines)
    end,
  })
  doc = doc:walk({
    Span = function(span)
      return guarded("span", renderer.span, renderer, span, published)
    end,
  })

  -- Byline under the headline; the headline is the first level-1 heading when it repeats
  -- the title (as articles do), else the title becomes one.
  local title = meta_text(meta.title)
  local byline = self:byline(meta)
  local blocks = pandoc.List(doc.blocks)
  local first = blocks[1]
  local head = pandoc.List()
  local has_headline = first and first.t == "Header" and first.level == 1
    and (title == nil or trim(stringify(first.content)) == title)
  if has_headline then
    head:insert(blocks:remove(1))
  elseif title then
    head:insert(pandoc.Header(1, text_inlines(title), pandoc.Attr("", { "title" }, {})))
  end
  if byline then
    head:insert(byline)
  end
  blocks = head .. blocks .. pandoc.List(self:sources_section())

  -- The template's own title block would repeat the headline: the page title is kept in
  -- <title> and the author/date in <meta>, the visible ones are ours.
  local page_title = title or (has_headline and trim(stringify(head[1].content)))
  if not page_title then
    -- Any first heading, else the file's name: pandoc warns about an empty <title>.
    for _, block in ipairs(blocks) do
      if block.t == "Header" then
        page_title = nonempty(stringify(block.content))
        break
      end
    end
    page_title = page_title or (self.input and (pandoc.path.filename(self.input):gsub("%.news%.md$", ""):gsub("%.md$", "")))
      or "Newsmark article"
  end
  if page_title and not meta.pagetitle then
    meta.pagetitle = page_title
  end
  if meta.author and not meta["author-meta"] then
    meta["author-meta"] = meta_text(meta.author)
  end
  if meta.published and not meta["date-meta"] then
    meta["date-meta"] = meta_text(meta.published)
  end
  meta.title, meta.author, meta.date = nil, nil, nil
  if self.html then
    add_header_include(meta, STYLE)
  end
  return pandoc.Pandoc(blocks, meta)
end

function Pandoc(doc)
  local result = guarded("document", function()
    return Renderer.new(doc):document(doc)
  end)
  return result or doc
end
