-- Newsmark articles are Markdown: reuse Markdown's tree-sitter highlighting when available
-- (the server's semantic tokens add the Newsmark-specific colours on top).
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.bo.commentstring = '<!-- %s -->'
vim.bo.comments = ''

pcall(vim.treesitter.language.register, 'markdown', 'newsmark')
pcall(vim.treesitter.start, 0, 'markdown')

vim.b.undo_ftplugin = 'setlocal commentstring< comments< | lua pcall(vim.treesitter.stop)'
