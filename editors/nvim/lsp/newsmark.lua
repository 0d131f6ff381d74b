-- Neovim 0.11+ configuration for the Newsmark language server (`newsmark lsp`).
-- Put editors/nvim on 'runtimepath' and call vim.lsp.enable('newsmark').
--
-- Override fields with vim.lsp.config('newsmark', { ... }), for example a binary that is not
-- on PATH (`cmd = { '/path/to/newsmark', 'lsp' }`) or settings with the keys of newsmark.toml
-- (tolerance, window, include, exclude, severity):
--   init_options = { tolerance = 0.05 },              -- sent at start-up
--   settings = { newsmark = { tolerance = 0.05 } },   -- sent as workspace/didChangeConfiguration
---@type vim.lsp.Config
return {
  cmd = { 'newsmark', 'lsp' },
  filetypes = { 'newsmark' },
  root_markers = { 'newsmark.toml', '.git' },
}
