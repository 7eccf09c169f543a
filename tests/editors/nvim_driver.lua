-- tests/editors/run.sh's Neovim driver: nvim --headless -u INIT (docs/editors.md's block) -c 'luafile THIS' CONFIG.
-- With planner attached as that config makes it, it writes to $EDITORS_OUT what the editor holds:
--   open.json      the diagnostics after opening CONFIG;
--   hover.txt      the hover window K opens on route code's model:;
--   edit.yaml, edit.json   the buffer after an unsaved edit, and the diagnostics then;
--   quickfix.yaml  the buffer after vim.lsp.buf.code_action chose the LI030 quick fix;
--   fixall.yaml    the buffer after vim.lsp.buf.code_action chose source.fixAll.planner.
-- The choice goes through vim.ui.select, as a user's would (replaced here by one that picks by kind and title).
local out = assert(os.getenv('EDITORS_OUT'), 'EDITORS_OUT not set')
local timeout_ms = 20000

local function fail(msg)
  io.stderr:write('nvim driver: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function write(name, text)
  local f = assert(io.open(out .. '/' .. name, 'w'))
  f:write(text)
  f:close()
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
end

-- Every diagnostics update counts; a step waits for the next one.
local updates = 0
vim.api.nvim_create_autocmd('DiagnosticChanged', { callback = function() updates = updates + 1 end })

local severity = { [vim.diagnostic.severity.ERROR] = 'error', [vim.diagnostic.severity.WARN] = 'warning',
  [vim.diagnostic.severity.INFO] = 'info', [vim.diagnostic.severity.HINT] = 'hint' }

local function shown(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { line = d.lnum + 1, column = d.col + 1, code = d.code, severity = severity[d.severity],
      source = d.source, message = d.message })
  end
  return vim.fn.json_encode(list)
end

local function wait_for(what, cond)
  if not vim.wait(timeout_ms, cond, 20) then fail('timed out waiting for ' .. what) end
end

-- The clients attached to a buffer, and code_action's argument, as each Neovim version names them
-- (tried on 0.7.2 only: docs/editors.md, "Tried with").
local function clients(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf }) end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end
local function request_code_action(context)
  if vim.fn.has('nvim-0.8') == 1 then return vim.lsp.buf.code_action({ context = context }) end
  return vim.lsp.buf.code_action(context)
end

local function main()
  local buf = vim.api.nvim_get_current_buf()
  wait_for('planner to attach', function() return #clients(buf) > 0 end)
  if clients(buf)[1].name ~= 'planner' then fail('attached client is ' .. clients(buf)[1].name) end
  wait_for('diagnostics on open', function() return #vim.diagnostic.get(buf) > 0 end)
  write('open.json', shown(buf))

  -- Hover (K, as the configuration maps it) on route code's model: the floating window's text.
  local model_row
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:match('^    model: deepseek%-coder%-v2%-7b$') then model_row = i end
  end
  if not model_row then fail("no model: deepseek-coder-v2-7b line in the config") end
  vim.api.nvim_win_set_cursor(0, { model_row, 14 })
  vim.cmd('normal K')
  local float
  wait_for('the hover window', function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then float = w end
    end
    return float ~= nil
  end)
  write('hover.txt', buffer_text(vim.api.nvim_win_get_buf(float)))
  vim.api.nvim_win_close(float, true)
  local original = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

  -- An unsaved edit: the inference context 8192 -> 4096 (LI030 goes, LI012 changes).
  local before = updates
  local row
  for i, l in ipairs(original) do
    if l:match('^  max_context_tokens: 8192$') then row = i - 1 end
  end
  if not row then fail('no max_context_tokens: 8192 line in the config') end
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '  max_context_tokens: 4096' })
  wait_for('diagnostics after the edit', function() return updates > before end)
  write('edit.yaml', buffer_text(buf))
  write('edit.json', shown(buf))

  local function code_action(context, pick, what)
    local before_text = buffer_text(buf)
    local offered
    vim.ui.select = function(items, _, on_choice)
      offered = items
      for _, item in ipairs(items) do
        if pick(item[2]) then return on_choice(item) end
      end
      on_choice(nil)
    end
    request_code_action(context)
    wait_for(what .. ' offered', function() return offered ~= nil end)
    wait_for(what .. ' applied', function() return buffer_text(buf) ~= before_text end)
  end

  -- Back to the file's text, then the quick fix at LI030's place (line 12, column 23).
  before = updates
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, original)
  wait_for('diagnostics after the undo', function() return updates > before end)
  vim.api.nvim_win_set_cursor(0, { row + 1, 22 })
  code_action({ only = { 'quickfix' } }, function(a)
    return a.kind == 'quickfix' and a.title:find("max_context_tokens: 4096 on route 'quick_qa'", 1, true) ~= nil
  end, 'the LI030 quick fix')
  write('quickfix.yaml', buffer_text(buf))

  before = updates
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, original)
  wait_for('diagnostics after the undo', function() return updates > before end)
  code_action({ only = { 'source.fixAll' }, diagnostics = {} },
    function(a) return a.kind == 'source.fixAll.planner' end, 'source.fixAll.planner')
  write('fixall.yaml', buffer_text(buf))
  vim.cmd('qall!')
end

local ok, err = pcall(main)
if not ok then fail(tostring(err)) end
