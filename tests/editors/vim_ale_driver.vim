" tests/editors/run.sh's Vim + ALE driver: vim -u VIMRC (docs/editors.md's block) -S THIS CONFIG.
" ALE lints the buffer through `planner check --stdin-filename FILE -`; this writes to $EDITORS_OUT
" what ALE holds for planner: open.json after opening, and after an unsaved edit edit.yaml (the
" buffer) and edit.json. Lines, columns, codes, severities and texts as ALE's loclist has them.
let s:out = $EDITORS_OUT
let s:timeout_ms = 20000

function! s:Fail(msg) abort
  call writefile(['vim-ale driver: ' . a:msg], '/dev/stderr')
  cquit 1
endfunction

let s:lints = 0
autocmd User ALELintPost let s:lints += 1

" Lints now and waits for ALE to finish (ALELintPost); :sleep lets the job's callbacks run.
function! s:Lint(what) abort
  let l:before = s:lints
  ALELint
  let l:waited = 0
  while s:lints == l:before || ale#engine#IsCheckingBuffer(bufnr(''))
    if l:waited >= s:timeout_ms
      call s:Fail('timed out waiting for ' . a:what)
    endif
    sleep 20m
    let l:waited += 20
  endwhile
endfunction

function! s:Shown() abort
  let l:names = {'E': 'error', 'W': 'warning', 'I': 'info'}
  let l:list = []
  for l:item in ale#engine#GetLoclist(bufnr(''))
    if l:item.linter_name is# 'planner'
      call add(l:list, {'line': l:item.lnum, 'column': l:item.col, 'code': get(l:item, 'code', ''),
      \ 'severity': l:names[l:item.type], 'message': l:item.text})
    endif
  endfor
  return json_encode(l:list)
endfunction

function! s:Main() abort
  if &filetype isnot# 'yaml.planner'
    call s:Fail('the config has filetype ' . &filetype . ', not yaml.planner')
  endif
  call s:Lint('the findings on open')
  call writefile([s:Shown()], s:out . '/open.json')
  let l:row = search('^  max_context_tokens: 8192$', 'nw')
  if l:row == 0
    call s:Fail('no max_context_tokens: 8192 line in the config')
  endif
  call setline(l:row, '  max_context_tokens: 4096')
  call s:Lint('the findings after the edit')
  call writefile(getline(1, '$'), s:out . '/edit.yaml')
  call writefile([s:Shown()], s:out . '/edit.json')
  qall!
endfunction

try
  call s:Main()
catch
  call s:Fail(v:exception . ' at ' . v:throwpoint)
endtry
