-- *.news.md files are Newsmark articles (checked before the generic *.md → markdown rule).
vim.filetype.add({
  pattern = {
    ['.*%.news%.md'] = { 'newsmark', { priority = 10 } },
  },
})
