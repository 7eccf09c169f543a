"""A stand-in for the GitHub Actions runner, enough to run a workflow job that uses planner's composite
action (action.yml) on this machine: tests/action/action_test.py drives it.

What it does as the runner does (docs.github.com, "Workflow syntax", "Metadata syntax for GitHub
Actions", "Evaluate expressions", "Workflow commands"):
- steps in order; `if:` evaluated (a condition without a status function gets `success() &&`);
  `${{ }}` substituted in `with:`, `env:`, the action's outputs and `run:`;
- a `run:` step with `shell: bash` is `bash --noprofile --norc -eo pipefail FILE`, in the workspace,
  with fresh GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and GITHUB_STATE files: `name=value` and
  `name<<DELIM` outputs become the step's outputs, GITHUB_ENV lines the later steps' environment,
  GITHUB_PATH lines go before PATH for the later steps (of the job, not only of the action);
- a composite action: its inputs from `with:` and the defaults (no INPUT_* variables: composite
  steps get none), GITHUB_ACTION_PATH its folder, its own `steps` context, its outputs from
  `outputs.*.value` (evaluated after its steps, failed or not); it fails when one of its steps
  fails. Inside it success() is the action's own status, not the job's: a composite that runs
  under `if: always()` after a failed step runs its steps (actions/runner at 258d6c8,
  src/Runner.Worker/Handlers/CompositeActionHandler.cs, action_status, and
  src/Runner.Worker/Expressions/SuccessFunction.cs);
- a failed step fails the job: later steps run only under always() / failure(); the exit status is
  the step's, and the job's result is failure;
- post steps (actions/cache's save) run at the end of the job, last first, under their post-if.

Stubs, for the steps that are not shell (their real code talks to GitHub's services):
- actions/checkout: nothing (the test puts the files in the workspace);
- actions/cache (restore now, save in the post step under post-if `success()`, as its action.yml
  says), actions/cache/restore and actions/cache/save: a cache service that is a folder of keys,
  an exact key only (no restore-keys), a key once saved never replaced;
- github/codeql-action/upload-sarif: records the sarif_file it was given, and fails, as the real one
  does, when the file is not there.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile


class ExpressionError(Exception):
    pass


_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||<=|>=|[!()<>,])"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z_*][A-Za-z0-9_\-]*|\[[^\]]*\])*))")


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == '':
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f'cannot read expression at {text[pos:]!r}')
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


def _number(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        if v.strip() == '':
            return 0.0
        try:
            return float(v)
        except ValueError:
            return float('nan')
    return float('nan')


def _equal(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b) and not isinstance(a, (int, float, bool)):
        return a == b
    x, y = _number(a), _number(b)
    return x == y  # NaN is equal to nothing


def truthy(v):
    if v is None or v is False or v == '':
        return False
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v == v and v != 0
    return True


def as_text(v):
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


class Expression:
    """GitHub's expression language: the part of it workflows and actions here use."""

    def __init__(self, text, contexts, status):
        self.toks = _tokens(text)
        self.i = 0
        self.contexts = contexts
        self.status = status  # 'success' | 'failure'

    def value(self):
        v = self._or()
        if self.i != len(self.toks):
            raise ExpressionError(f'unexpected {self.toks[self.i][1]!r}')
        return v

    def _peek(self, op):
        return self.i < len(self.toks) and self.toks[self.i] == ('op', op)

    def _or(self):
        v = self._and()
        while self._peek('||'):
            self.i += 1
            r = self._and()
            v = v if truthy(v) else r
        return v

    def _and(self):
        v = self._cmp()
        while self._peek('&&'):
            self.i += 1
            r = self._cmp()
            v = r if truthy(v) else v
        return v

    def _cmp(self):
        v = self._unary()
        while self.i < len(self.toks) and self.toks[self.i][0] == 'op' and self.toks[self.i][1] in ('==', '!='):
            op = self.toks[self.i][1]
            self.i += 1
            r = self._unary()
            v = _equal(v, r) if op == '==' else not _equal(v, r)
        return v

    def _unary(self):
        if self._peek('!'):
            self.i += 1
            return not truthy(self._unary())
        return self._primary()

    def _primary(self):
        if self.i >= len(self.toks):
            raise ExpressionError('expression ends early')
        kind, text = self.toks[self.i]
        self.i += 1
        if kind == 'str':
            return text[1:-1].replace("''", "'")
        if kind == 'num':
            return float(text)
        if kind == 'op' and text == '(':
            v = self._or()
            if not self._peek(')'):
                raise ExpressionError('missing )')
            self.i += 1
            return v
        if kind == 'name':
            if self._peek('('):
                self.i += 1
                if not self._peek(')'):
                    raise ExpressionError(f'{text}() with arguments is not supported here')
                self.i += 1
                return self._call(text)
            if text in ('true', 'false'):
                return text == 'true'
            if text == 'null':
                return None
            return self._lookup(text)
        raise ExpressionError(f'unexpected {text!r}')

    def _call(self, name):
        if name == 'always':
            return True
        if name == 'success':
            return self.status == 'success'
        if name == 'failure':
            return self.status == 'failure'
        if name == 'cancelled':
            return False
        raise ExpressionError(f'function {name}() is not supported here')

    def _lookup(self, path):
        parts = re.findall(r"[^.\[\]]+|\[[^\]]*\]", path)
        v = self.contexts
        for p in parts:
            key = p[1:-1].strip("'\"") if p.startswith('[') else p
            if isinstance(v, dict):
                # Contexts and their keys are case-insensitive.
                v = next((v[k] for k in v if k.lower() == key.lower()), None)
            else:
                return None
        return v


def uses_status_function(text):
    return re.search(r'\b(success|always|failure|cancelled)\s*\(', text) is not None


def strip_braces(text):
    m = re.fullmatch(r'\s*\$\{\{(.*)\}\}\s*', text, re.S)
    return m.group(1) if m else text


def evaluate_if(cond, contexts, status):
    if cond is None:
        cond = 'success()'
    if isinstance(cond, bool):
        return cond
    text = strip_braces(str(cond))
    if not uses_status_function(text):
        text = f'success() && ({text})'
    return truthy(Expression(text, contexts, status).value())


def substitute(value, contexts, status='success'):
    if value is None:
        return ''
    if not isinstance(value, str):
        return as_text(value)
    return re.sub(r'\$\{\{(.*?)\}\}', lambda m: as_text(Expression(m.group(1), contexts, status).value()), value,
                  flags=re.S)


def read_outputs(path):
    """A GITHUB_OUTPUT / GITHUB_ENV file: `name=value` lines and `name<<DELIM` ... `DELIM` blocks."""
    out = {}
    if not os.path.exists(path):
        return out
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == '':
            continue
        m = re.match(r'^([^=<]+)<<(.+)$', line)
        if m:
            name, delim, body = m.group(1), m.group(2), []
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise RuntimeError(f'{path}: no closing {delim} for {name}')
            i += 1
            out[name] = '\n'.join(body)
        elif '=' in line:
            name, value = line.split('=', 1)
            out[name] = value
        else:
            raise RuntimeError(f'{path}: a line that is neither name=value nor name<<DELIM: {line!r}')
    return out


class StepFailed(Exception):
    def __init__(self, message, outputs=None):
        super().__init__(message)
        self.outputs = outputs


class Runner:
    """One runner: a job at a time. `store` is the cache service's folder (shared between runners)."""

    def __init__(self, root, store, actions, base_env):
        self.root = root            # this runner's temp, tool cache, home
        self.store = store
        self.actions = actions      # {'owner/name': local folder of a composite action}
        self.base_env = base_env
        self.records = []           # every step run: dict(name, id, scope, outcome, exit, outputs, log)
        self.uploads = []           # upload-sarif's sarif_file arguments
        self.cache_log = []         # ('restore'|'save', key, hit/saved)
        os.makedirs(os.path.join(root, 'temp'), exist_ok=True)

    # --- the job
    def run_job(self, job, workspace):
        self.workspace = workspace
        self.job_env = {}
        self.path_prefix = []
        self.status = 'success'
        self.posts = []
        contexts = self._contexts({}, {})
        steps_ctx = contexts['steps']
        for n, step in enumerate(job['steps']):
            self._step(step, contexts, steps_ctx, f'job step {n + 1}', None)
        for post in reversed(self.posts):
            post()
        return self.status

    def _contexts(self, inputs, steps):
        return {'github': {'workspace': self.workspace, 'action_path': '', 'event_name': 'push'},
                'runner': {'os': 'Linux', 'arch': 'X64', 'temp': os.path.join(self.root, 'temp')},
                'env': dict(self.job_env), 'inputs': inputs, 'steps': steps, 'job': {'status': self.status}}

    def _step(self, step, contexts, steps_ctx, where, action_path):
        known = {'name', 'id', 'if', 'uses', 'with', 'run', 'shell', 'env'}
        unknown = set(step) - known
        if unknown:
            raise RuntimeError(f'{where}: keys this runner does not know: {sorted(unknown)}')
        contexts['env'] = dict(self.job_env)
        contexts['job'] = {'status': self.status}
        name = step.get('name') or step.get('uses') or step.get('run', '')[:40]
        record = {'name': name, 'id': step.get('id'), 'scope': where, 'outputs': {}, 'exit': None, 'log': ''}
        self.records.append(record)
        if not evaluate_if(step.get('if'), contexts, self.status):
            record['outcome'] = 'skipped'
            if step.get('id'):
                steps_ctx[step['id']] = {'outputs': {}, 'outcome': 'skipped', 'conclusion': 'skipped'}
            return
        env = {k: substitute(v, contexts, self.status) for k, v in (step.get('env') or {}).items()}
        try:
            if 'run' in step:
                record['outputs'] = self._run(step, contexts, env, record, action_path)
            else:
                with_ = {k: substitute(v, contexts, self.status) for k, v in (step.get('with') or {}).items()}
                record['outputs'] = self._uses(step['uses'], with_, env, record)
            record['outcome'] = 'success'
        except StepFailed as e:
            if e.outputs is not None:
                record['outputs'] = e.outputs
            record['outcome'] = 'failure'
            record['log'] += f'\n[runner] {e}'
            self.status = 'failure'
        if step.get('id'):
            steps_ctx[step['id']] = {'outputs': record['outputs'], 'outcome': record['outcome'],
                                     'conclusion': record['outcome']}

    def _process_env(self, env, action_path):
        full = dict(self.base_env)
        full.update({'CI': 'true', 'GITHUB_ACTIONS': 'true', 'GITHUB_WORKSPACE': self.workspace,
                     'RUNNER_OS': 'Linux', 'RUNNER_ARCH': 'X64', 'RUNNER_TEMP': os.path.join(self.root, 'temp'),
                     'RUNNER_TOOL_CACHE': os.path.join(self.root, 'tool-cache'), 'HOME': os.path.join(self.root, 'home')})
        if action_path:
            full['GITHUB_ACTION_PATH'] = action_path
        full.update(self.job_env)
        full.update(env)
        full['PATH'] = os.pathsep.join(self.path_prefix + [full.get('PATH', '/usr/bin:/bin')])
        return full

    def _run(self, step, contexts, env, record, action_path):
        shell = step.get('shell')
        if shell != 'bash':
            raise RuntimeError(f'{record["scope"]}: shell {shell!r}: only bash is run here (a composite step must name one)')
        files = tempfile.mkdtemp(dir=os.path.join(self.root, 'temp'), prefix='step-')
        script = os.path.join(files, 'step.sh')
        with open(script, 'w', encoding='utf-8') as f:
            f.write(substitute(step['run'], contexts, self.status))
        commands = {k: os.path.join(files, k.lower()) for k in ('GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH',
                                                                 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY')}
        for path in commands.values():
            open(path, 'w').close()
        full = self._process_env(env, action_path)
        full.update(commands)
        os.makedirs(full['HOME'], exist_ok=True)
        proc = subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', script], cwd=self.workspace,
                              env=full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=600)
        record['exit'] = proc.returncode
        record['log'] = proc.stdout.decode('utf-8', 'replace')
        outputs = read_outputs(commands['GITHUB_OUTPUT'])
        self.job_env.update(read_outputs(commands['GITHUB_ENV']))
        added = [line for line in open(commands['GITHUB_PATH'], encoding='utf-8').read().split('\n') if line]
        self.path_prefix = list(reversed(added)) + self.path_prefix
        if proc.returncode != 0:
            # The runner reads the step's file commands whatever its exit status: outputs stay set.
            raise StepFailed(f'exit status {proc.returncode}', outputs)
        return outputs

    # --- uses:
    def _uses(self, uses, with_, env, record):
        name, _, _ref = uses.partition('@')
        if name in self.actions:
            return self._composite(self.actions[name], with_, record)
        if name == 'actions/checkout':
            return {}
        if name in ('actions/cache', 'actions/cache/restore'):
            key, path = with_['key'], with_['path']
            hit = self._restore(key, path)
            if name == 'actions/cache' and not hit:
                # The post step: `post-if: success()` (actions/cache's action.yml): not after a failure.
                def post():
                    ok = self.status == 'success'
                    self.records.append({'name': f'Post {record["name"]}', 'id': None, 'scope': 'post',
                                         'outputs': {}, 'exit': None, 'log': '',
                                         'outcome': 'success' if ok else 'skipped'})
                    if ok:
                        self._save(key, path)
                self.posts.append(post)
            return {'cache-hit': 'true' if hit else 'false', 'cache-primary-key': key,
                    'cache-matched-key': key if hit else ''}
        if name == 'actions/cache/save':
            self._save(with_['key'], with_['path'])
            return {}
        if name == 'github/codeql-action/upload-sarif':
            sarif = with_.get('sarif_file', '')
            full = sarif if os.path.isabs(sarif) else os.path.join(self.workspace, sarif)
            if not sarif or not os.path.exists(full):
                raise StepFailed(f'upload-sarif: Path does not exist: {sarif!r}')
            self.uploads.append({'sarif_file': sarif, 'category': with_.get('category', ''),
                                 'log': json.load(open(full, encoding='utf-8'))})
            return {}
        raise RuntimeError(f'{record["scope"]}: no stub for {uses}')

    def _slot(self, key):
        return os.path.join(self.store, re.sub(r'[^A-Za-z0-9._-]', '_', key))

    def _restore(self, key, path):
        slot = self._slot(key)
        hit = os.path.isdir(slot)
        if hit:
            target = os.path.expanduser(path)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(os.path.join(slot, 'content'), target, symlinks=True)
        self.cache_log.append(('restore', key, hit))
        return hit

    def _save(self, key, path):
        slot = self._slot(key)
        source = os.path.expanduser(path)
        if os.path.isdir(slot) or not os.path.isdir(source):
            self.cache_log.append(('save', key, False))  # the real one warns: key taken, or nothing to save
            return
        shutil.copytree(source, os.path.join(slot, 'content'), symlinks=True)
        self.cache_log.append(('save', key, True))

    def _composite(self, action_dir, with_, record):
        meta = load_yaml(os.path.join(action_dir, 'action.yml'))
        if meta['runs'].get('using') != 'composite':
            raise RuntimeError(f'{action_dir}: not a composite action')
        declared = meta.get('inputs') or {}
        unknown = set(with_) - set(declared)
        if unknown:
            record['log'] += f'[runner] warning: unexpected inputs {sorted(unknown)}\n'
        inputs = {k: with_.get(k, as_text(v.get('default')) if v.get('default') is not None else '')
                  for k, v in declared.items()}
        steps = {}
        contexts = self._contexts(inputs, steps)
        contexts['github']['action_path'] = action_dir
        failed_before = self.status == 'failure'
        self.status = 'success'  # the action's own steps see its own status (it started because its if held)
        inner = len(self.records)
        for n, step in enumerate(meta['runs']['steps']):
            self._step(step, contexts, steps, f'{record["name"]}, step {n + 1}', action_dir)
        record['inner'] = self.records[inner:]
        outputs = {k: substitute(v.get('value'), contexts, self.status) for k, v in (meta.get('outputs') or {}).items()}
        failed = self.status == 'failure'
        self.status = 'failure' if (failed or failed_before) else 'success'
        if failed:
            raise StepFailed('a step of the composite action failed', outputs)
        return outputs


_YAML_TO_JSON = None


def set_yaml_to_json(path):
    global _YAML_TO_JSON
    _YAML_TO_JSON = path


def load_yaml(path):
    """YAML through the build's yaml_to_json (yaml-cpp), so no Python YAML module is needed."""
    with tempfile.NamedTemporaryFile(suffix='.json') as out:
        subprocess.run([_YAML_TO_JSON, path, out.name], check=True)
        return json.load(open(out.name, encoding='utf-8'))
