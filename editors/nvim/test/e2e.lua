-- Headless end-to-end test of editors/nvim against the real `newsmark lsp`.
-- Run by editors/nvim/test/run.sh:
--   nvim --headless --clean -u test/init.lua -c 'luafile test/e2e.lua' WORKSPACE/FILE.news.md
-- The current buffer is the article under test. Expectations come from the environment:
--   NEWSMARK_E2E_ROOT              the workspace folder (a copy of seeds/)
--   NEWSMARK_E2E_CODES             comma-separated codes expected on the open file
--   NEWSMARK_E2E_WORKSPACE_CODES   codes expected on some other (never opened) workspace file
--   NEWSMARK_E2E_HOVER_AT          text right after an entity mention, e.g. ]{ent=stoltenberg}
--   NEWSMARK_E2E_HOVER_EXPECT      text the hover must contain, e.g. Secretary General of NATO
--   NEWSMARK_E2E_DEFINITION_FILE   file the mention's definition is in, e.g. entities.news.md
--   NEWSMARK_E2E_TIMEOUT_MS        per-wait timeout (default 20000)
local env = vim.env
local timeout = tonumber(env.NEWSMARK_E2E_TIMEOUT_MS or '') or 20000
local passed, failed = 0, 0

local function out(msg)
  io.stdout:write(msg .. '\n')
  io.stdout:flush()
end

local function finish()
  out(string.format('checks: %d passed, %d failed', passed, failed))
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

-- A hard stop in case something blocks without returning (run.sh also wraps nvim in timeout).
vim.defer_fn(function()
  out('FAIL watchdog: the test did not finish in time')
  failed = failed + 1
  finish()
end, 8 * timeout)

local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out('PASS ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. ': ' .. tostring(err))
  end
  return ok
end

local function split(s)
  local list = {}
  for item in (s or ''):gmatch('[^,%s]+') do
    table.insert(list, item)
  end
  return list
end

local function codes_of(diags)
  local set, list = {}, {}
  for _, d in ipairs(diags) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code and not set[code] then
      set[code] = true
      table.insert(list, code)
    end
  end
  table.sort(list)
  return set, list
end

local buf = vim.api.nvim_get_current_buf()
local file = vim.api.nvim_buf_get_name(buf)
local root = env.NEWSMARK_E2E_ROOT and vim.fs.normalize(env.NEWSMARK_E2E_ROOT) or vim.fs.dirname(file)
out('file: ' .. file)

check('filetype is newsmark', function()
  assert(vim.bo[buf].filetype == 'newsmark', "filetype is '" .. vim.bo[buf].filetype .. "'")
end)

local client
local attached = check('newsmark client attaches', function()
  local ok = vim.wait(timeout, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'newsmark' })[1]
    return client ~= nil and client.initialized == true
  end, 50)
  assert(ok, 'no initialized newsmark client after ' .. timeout .. ' ms; log: ' .. vim.lsp.get_log_path())
  out('  server: ' .. vim.inspect(client.server_info, { newline = ' ', indent = '' }) .. ', position encoding: ' .. client.offset_encoding)
  local real = function(p)
    return vim.uv.fs_realpath(p) or p
  end
  assert(client.root_dir and real(client.root_dir) == real(root), 'root_dir is ' .. tostring(client.root_dir) .. ', expected ' .. root)
end)
if not attached then
  return finish()
end

local expected = split(env.NEWSMARK_E2E_CODES)
check('diagnostics on the open file: ' .. table.concat(expected, ', '), function()
  local have, list = {}, {}
  local ok = vim.wait(timeout, function()
    have, list = codes_of(vim.diagnostic.get(buf))
    for _, code in ipairs(expected) do
      if not have[code] then
        return false
      end
    end
    return true
  end, 50)
  assert(ok, 'got codes {' .. table.concat(list, ', ') .. '}')
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    assert(d.source == 'newsmark', 'diagnostic source is ' .. tostring(d.source))
  end
  out('  codes on the open file: ' .. table.concat(list, ', '))
end)

local ws_expected = split(env.NEWSMARK_E2E_WORKSPACE_CODES)
if #ws_expected > 0 then
  check('diagnostics on unopened workspace files: ' .. table.concat(ws_expected, ', '), function()
    local seen = {}
    local ok = vim.wait(timeout, function()
      seen = {}
      for _, d in ipairs(vim.diagnostic.get()) do
        if d.bufnr ~= buf then
          seen[d.code or '?'] = vim.fs.basename(vim.api.nvim_buf_get_name(d.bufnr))
        end
      end
      for _, code in ipairs(ws_expected) do
        if not seen[code] then
          return false
        end
      end
      return true
    end, 50)
    assert(ok, 'codes on other files: ' .. vim.inspect(seen))
    for _, code in ipairs(ws_expected) do
      out('  ' .. code .. ' on ' .. seen[code])
    end
  end)
end

-- Position of an entity mention's text: the `[` that opens the span ending in HOVER_AT.
local function mention_position()
  local needle = assert(env.NEWSMARK_E2E_HOVER_AT, 'NEWSMARK_E2E_HOVER_AT is not set')
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      local depth, i = 0, s
      while i > 1 do
        i = i - 1
        local c = line:sub(i, i)
        if c == ']' then
          depth = depth + 1
        elseif c == '[' then
          if depth == 0 then
            break
          end
          depth = depth - 1
        end
      end
      -- one character into the mention's text (byte column, 0-based, for the cursor)
      return lnum - 1, i, line
    end
  end
  error('no line contains ' .. needle)
end

local function request_at(method, row, col)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, timeout)
  assert(responses, method .. ' failed: ' .. tostring(err))
  local r = responses[client.id]
  assert(r, method .. ': no response from newsmark')
  assert(not r.err, method .. ' error: ' .. vim.inspect(r.err))
  return r.result
end

if env.NEWSMARK_E2E_HOVER_EXPECT then
  check('hover on an entity mention shows "' .. env.NEWSMARK_E2E_HOVER_EXPECT .. '"', function()
    local row, col, line = mention_position()
    out('  hovering line ' .. (row + 1) .. ' byte ' .. col .. ': ' .. line:sub(1, 100))
    local result = request_at('textDocument/hover', row, col)
    assert(result and result.contents, 'empty hover')
    local text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(result.contents), '\n')
    assert(text:find(env.NEWSMARK_E2E_HOVER_EXPECT, 1, true), 'hover text: ' .. text)
  end)
end

if env.NEWSMARK_E2E_DEFINITION_FILE then
  check('go to definition of the mention lands in ' .. env.NEWSMARK_E2E_DEFINITION_FILE, function()
    local row, col = mention_position()
    local result = request_at('textDocument/definition', row, col)
    assert(result, 'no definition')
    if result.uri or result.targetUri then
      result = { result }
    end
    assert(#result > 0, 'no definition')
    local uri = result[1].uri or result[1].targetUri
    assert(vim.endswith(uri, '/' .. env.NEWSMARK_E2E_DEFINITION_FILE), 'definition in ' .. uri)
  end)
end

-- Neovim 0.11 pulls diagnostics but takes no workspace/diagnostic/refresh, so the server pushes
-- them to it (an edit elsewhere can change this file's findings) and does not offer pulling.
check('diagnostics are pushed, pulling is not offered to this client', function()
  assert(client.server_capabilities.diagnosticProvider == nil, 'diagnosticProvider offered: ' .. vim.inspect(client.server_capabilities.diagnosticProvider))
end)

--- The line (0-based) holding `needle`, and the character just after it in the client's encoding.
local function after_needle(needle)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s, e = line:find(needle, 1, true)
    if s then
      return lnum - 1, vim.str_utfindex(line, client.offset_encoding, e), line
    end
  end
  error('no line contains ' .. needle)
end

check('inlay hints (vim.lsp.inlay_hint.enable) show a figure\'s reading and a speaker', function()
  vim.lsp.inlay_hint.enable(true, { bufnr = buf })
  local want = {
    { label = '= 5,200 · Jan 13–Feb 13 2020', after = '[5,200 US personnel]{fig=us-iraq.personnel}' },
    { label = '— Jens Stoltenberg', after = 'current training activities,"' },
  }
  local hints = {}
  local ok = vim.wait(timeout, function()
    hints = vim.lsp.inlay_hint.get({ bufnr = buf })
    return #hints >= #want
  end, 50)
  assert(ok, 'got ' .. #hints .. ' inlay hints')
  for _, w in ipairs(want) do
    local line, character = after_needle(w.after)
    local found
    for _, h in ipairs(hints) do
      local label = type(h.inlay_hint.label) == 'string' and h.inlay_hint.label or ''
      local p = h.inlay_hint.position
      if label == w.label and p.line == line and p.character == character then
        found = h
      end
    end
    assert(found, string.format('no hint %q at %d:%d; hints: %s', w.label, line, character, vim.inspect(vim.tbl_map(function(h)
      return { h.inlay_hint.label, h.inlay_hint.position }
    end, hints))))
    out(string.format('  %q at %d:%d', w.label, line + 1, character))
  end
  assert(vim.lsp.inlay_hint.is_enabled({ bufnr = buf }))
end)

check('code lenses (vim.lsp.codelens.refresh) count other values, and their command fills the quickfix list', function()
  vim.lsp.codelens.refresh({ bufnr = buf })
  local lens
  local ok = vim.wait(timeout, function()
    for _, l in ipairs(vim.lsp.codelens.get(buf)) do
      if l.command and l.command.title:find('other value for us-iraq.personnel', 1, true) then
        lens = l
      end
    end
    return lens ~= nil
  end, 50)
  assert(ok, 'lenses: ' .. vim.inspect(vim.tbl_map(function(l)
    return l.command and l.command.title
  end, vim.lsp.codelens.get(buf))))
  out('  ' .. lens.command.title .. ' on line ' .. (lens.range.start.line + 1))
  local line = after_needle('[5,200 US personnel]')
  assert(lens.range.start.line == line, 'lens on line ' .. lens.range.start.line .. ', figure on ' .. line)
  vim.fn.setqflist({}, 'r')
  client:exec_cmd(lens.command, { bufnr = buf })
  local items = vim.fn.getqflist()
  assert(#items == 1, 'quickfix has ' .. #items .. ' items')
  local name = vim.api.nvim_buf_get_name(items[1].bufnr)
  assert(not vim.endswith(name, vim.fs.basename(file)), 'the other value is in another file, not ' .. name)
  out('  quickfix: ' .. vim.fs.basename(name) .. ':' .. items[1].lnum .. ': ' .. vim.trim(items[1].text):sub(1, 80))
  vim.cmd('cclose')
  vim.api.nvim_set_current_buf(buf)
end)

-- Incremental sync: an edit that introduces an unknown entity is reported on the right line,
-- and undoing it clears the report.
check('an edit is re-checked (unknown-entity appears on the new line, then goes on undo)', function()
  local function unknown_on(lnum)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'unknown-entity' and d.lnum == lnum then
        return d
      end
    end
  end
  local last = vim.api.nvim_buf_line_count(buf)
  local text = 'Emoji 🎉 and “quotes” before [Nobody]{ent=no-such-entity-e2e} here.'
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '', text })
  local d
  assert(
    vim.wait(timeout, function()
      d = unknown_on(last + 1)
      return d ~= nil
    end, 50),
    'no unknown-entity on line ' .. (last + 2)
  )
  -- the range (converted from the negotiated position encoding) covers the mention or its id
  local covered = text:sub(d.col + 1, d.end_col)
  assert(
    covered:find('no-such-entity-e2e', 1, true) or covered:find('Nobody', 1, true),
    string.format('range %d..%d covers %q, not the mention', d.col, d.end_col, covered)
  )
  out(string.format('  unknown-entity at line %d bytes %d..%d: %s', d.lnum + 1, d.col, d.end_col, d.message))
  vim.api.nvim_buf_set_lines(buf, last, last + 2, false, {})
  assert(
    vim.wait(timeout, function()
      return unknown_on(last + 1) == nil
    end, 50),
    'unknown-entity still reported after the edit was removed'
  )
end)

finish()
