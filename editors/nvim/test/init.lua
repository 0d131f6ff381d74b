-- The whole user configuration the end-to-end test runs with: exactly the lines
-- docs/editors.md tells users to add to their init.lua (with this checkout's path).
local runtime = vim.env.NEWSMARK_NVIM_RUNTIME or vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)))
vim.opt.runtimepath:append(runtime)
vim.lsp.enable('newsmark')
