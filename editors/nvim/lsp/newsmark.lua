-- Neovim 0.11+ configuration for the Newsmark language server (`newsmark lsp`).
-- Put editors/nvim on 'runtimepath' and call vim.lsp.enable('newsmark').
--
-- Override fields with vim.lsp.config('newsmark', { ... }), for example a binary that is not
-- on PATH (`cmd = { '/path/to/newsmark', 'lsp' }`) or settings with the keys of newsmark.toml
-- (tolerance, window, include, exclude, severity) and the editor-only inlayHints switches:
--   init_options = { tolerance = 0.05, inlayHints = { speakers = false } },  -- at start-up
--   settings = { newsmark = { tolerance = 0.05 } },   -- sent as workspace/didChangeConfiguration
--
-- Inlay hints and code lenses are off in Neovim until enabled (docs/editors.md):
--   vim.lsp.inlay_hint.enable(true)
--   vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'TextChanged' }, {
--     pattern = '*.news.md', callback = function(a) vim.lsp.codelens.refresh({ bufnr = a.buf }) end })

--- The server's code lenses run `newsmark.showReferences` with VS Code's
--- `editor.action.showReferences` arguments (uri, position, locations): here they fill the
--- quickfix list and open it.
---@param command lsp.Command
---@param ctx table
local function show_references(command, ctx)
  local locations = (command.arguments or {})[3] or {}
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  if #locations == 0 then
    vim.notify('newsmark: nothing to show', vim.log.levels.INFO)
    return
  end
  vim.fn.setqflist({}, ' ', {
    title = command.title,
    items = vim.lsp.util.locations_to_items(locations, encoding),
  })
  vim.cmd('botright copen')
end

---@type vim.lsp.Config
return {
  cmd = { 'newsmark', 'lsp' },
  filetypes = { 'newsmark' },
  root_markers = { 'newsmark.toml', '.git' },
  commands = { ['newsmark.showReferences'] = show_references },
}
