#!/usr/bin/env python3
"""ctest `action`: planner's composite action (action.yml) run as GitHub would run it, through
examples/github-actions/planner-action.yml's job, by tests/action/runner.py (a stand-in for the
runner: its docstring says what it does and which steps are stubs).

Usage: action_test.py PLANNER_BIN SOURCE_DIR BUILD_DIR (BUILD_DIR holds yaml_to_json).

The action's build step calls the action's own scripts/setup; here that is a stub that copies
PLANNER_BIN (a static build takes minutes; .ci/run builds with the real one) and counts its calls.
Everything else in the action is the repository's: action.yml, scripts/action/*, the sources the
cache key hashes. Jobs run:
  1. a cold cache, the seed config (errors): planner built once although the action is used twice;
     on PATH for the steps after it; the SARIF written and uploaded (the log planner writes for
     these inputs); the annotations step fails with planner's exit status; the binary is in the
     cache all the same (the job failed);
  2. a new runner, the same cache: nothing built, the cached planner on PATH, the same results;
  3. a clean config: the job passes, exit-code 0, the SARIF uploaded;
  4. no config: the SARIF step fails with exit 2 and writes no log (an old one is removed), so the
     upload is skipped; the annotations step runs (always()) and fails with exit 2.
And every `run:` body of action.yml and of the example workflows passes shellcheck (where installed).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner as gh  # noqa: E402

planner, src, build = (os.path.abspath(a) for a in sys.argv[1:4])
gh.set_yaml_to_json(os.path.join(build, 'yaml_to_json'))
failures = 0


def check(what, got, expected):
    global failures
    if got == expected:
        print(f'ok - {what}')
    else:
        failures += 1
        print(f'FAIL - {what}\n  expected: {expected!r}\n  got:      {got!r}')


def planner_run(args, cwd):
    p = subprocess.run([planner] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode()


work = tempfile.mkdtemp(prefix='planner-action-')
try:
    # The action as a checkout of planner at a tag would have it, its scripts/setup a stub.
    action = os.path.join(work, 'action')
    os.makedirs(os.path.join(action, 'scripts'))
    for part in ('action.yml', 'CMakeLists.txt'):
        shutil.copy(os.path.join(src, part), action)
    for part in ('cmake', 'planner', 'rules', 'data', 'schema', 'scripts/action'):
        shutil.copytree(os.path.join(src, part), os.path.join(action, part))
    builds = os.path.join(work, 'builds.log')
    with open(os.path.join(action, 'scripts', 'setup'), 'w') as f:
        f.write('#!/usr/bin/env bash\n# tests/action: stands in for scripts/setup: "builds" by copying the tested planner.\n'
                'set -euo pipefail\necho "$PLANNER_BUILD_DIR" >>"$PLANNER_TEST_BUILDS"\n'
                'mkdir -p "$PLANNER_BUILD_DIR"\ncp "$PLANNER_TEST_BINARY" "$PLANNER_BUILD_DIR/planner"\n')
    os.chmod(os.path.join(action, 'scripts', 'setup'), 0o755)

    # A runner's PATH, without any planner on it.
    path = os.pathsep.join(d for d in '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'.split(':')
                           if not os.path.exists(os.path.join(d, 'planner')))
    base_env = {'PATH': path, 'LANG': 'C.UTF-8', 'PLANNER_TEST_BINARY': planner, 'PLANNER_TEST_BUILDS': builds}
    store = os.path.join(work, 'cache-service')
    os.makedirs(store)

    workflow = gh.load_yaml(os.path.join(src, 'examples/github-actions/planner-action.yml'))
    job = workflow['jobs']['check']
    uses = sorted({s['uses'].split('@')[0] for s in job['steps'] if 'uses' in s})
    check('the workflow uses checkout, the action, upload-sarif', uses,
          ['actions/checkout', 'github/codeql-action/upload-sarif', 'planner/planner'])
    # One step more, after the workflow's: which planner a later step of the job finds.
    job['steps'].append({'name': 'planner on PATH', 'if': 'always()', 'shell': 'bash',
                         'run': 'command -v planner; planner --version'})

    def run_job(name, config):
        workspace = os.path.join(work, name, 'workspace')
        os.makedirs(workspace)
        if config:
            shutil.copy(os.path.join(src, config), os.path.join(workspace, 'local-inference-config.yaml'))
        r = gh.Runner(os.path.join(work, name, 'runner'), store, {'planner/planner': action}, base_env)
        status = r.run_job(json.loads(json.dumps(job)), workspace)
        return r, status, workspace

    def step(r, name, scope=None):
        found = [s for s in r.records if s['name'] == name and (scope is None or s['scope'].startswith(scope))]
        return found[0] if found else {'outcome': 'absent', 'outputs': {}, 'log': '', 'inner': []}

    def inner(r, action_step, name):
        found = [s for s in step(r, action_step).get('inner', []) if s['name'] == name]
        return found[0] if found else {'outcome': 'absent', 'outputs': {}, 'log': ''}

    def build_count():
        return len(open(builds).read().splitlines()) if os.path.exists(builds) else 0

    def dump(r):
        for s in r.records:
            print(f"  [{s['scope']}] {s['name']}: {s['outcome']} exit={s['exit']} outputs={s['outputs']}")
            for line in s['log'].splitlines()[-5:]:
                print(f'      | {line}')

    SARIF, GITHUB = 'planner check (SARIF)', 'planner check (annotations)'
    version = subprocess.run([planner, '--version'], stdout=subprocess.PIPE).stdout.decode().strip()

    # 1. A cold cache, the seed config.
    r, status, ws = run_job('cold', 'examples/seed/local-inference-config.yaml')
    seed_status, seed_github = planner_run(['check', '--format', 'github', 'local-inference-config.yaml'], ws)
    check('cold: the job fails (the seed has errors)', status, 'failure')
    check('cold: planner built once for two uses of the action', build_count(), 1)
    key = inner(r, SARIF, 'planner version and cache key')['outputs']
    check('cold: the key step gives key and dir', sorted(key), ['dir', 'key'])
    check('cold: the cache missed on the first use', inner(r, SARIF, 'Restore planner from the cache')['outputs'].get('cache-hit'), 'false')
    check('cold: the second use found it cached or built: no build step ran',
          inner(r, GITHUB, 'Build planner (not cached yet)')['outcome'] in ('skipped', 'success') and build_count() == 1, True)
    check('cold: the SARIF step passes with findings', step(r, SARIF)['outcome'], 'success')
    check('cold: its outputs: exit-code of planner, the log written',
          step(r, SARIF)['outputs'], {'sarif-file': 'planner.sarif', 'exit-code': str(seed_status)})
    expected_rc, _ = planner_run(['check', '--format', 'sarif', '--output-file', os.path.join(work, 'seed.sarif'),
                                  'local-inference-config.yaml'], ws)
    check('cold: planner itself exits 1 on the seed', expected_rc, 1)
    uploaded = r.uploads[0]['log'] if r.uploads else None
    check('cold: upload-sarif got planner.sarif, category planner',
          [(u['sarif_file'], u['category']) for u in r.uploads], [('planner.sarif', 'planner')])
    check('cold: the uploaded log is the one planner writes for these inputs',
          uploaded, json.load(open(os.path.join(work, 'seed.sarif'))))
    check('cold: the annotations step fails, exit-code 1, no SARIF',
          (step(r, GITHUB)['outcome'], step(r, GITHUB)['outputs']), ('failure', {'sarif-file': '', 'exit-code': '1'}))
    annotations = [l for l in inner(r, GITHUB, 'planner check')['log'].splitlines() if l.startswith('::')]
    check('cold: its annotations are planner check --format github\'s',
          annotations, [l for l in seed_github.splitlines() if l.startswith('::')])
    check('cold: the annotations hold the seed\'s errors', sum(l.startswith('::error ') for l in annotations), 2)
    later = step(r, 'planner on PATH')
    check('cold: a later step finds the built planner on PATH',
          later['log'].splitlines()[:2], [os.path.join(key.get('dir', '?'), 'planner'), version])
    saved = [c for c in r.cache_log if c[0] == 'save' and c[2]]
    check('cold: the binary is saved to the cache although the job failed', [c[1] for c in saved], [key.get('key')])
    if failures:
        dump(r)

    # 2. A new runner, the same cache service.
    before = failures
    r, status, ws = run_job('warm', 'examples/seed/local-inference-config.yaml')
    check('warm: the cache hit', inner(r, SARIF, 'Restore planner from the cache')['outputs'].get('cache-hit'), 'true')
    check('warm: no build', (inner(r, SARIF, 'Build planner (not cached yet)')['outcome'], build_count()), ('skipped', 1))
    check('warm: the same outputs', (step(r, SARIF)['outputs'], step(r, GITHUB)['outputs']),
          ({'sarif-file': 'planner.sarif', 'exit-code': '1'}, {'sarif-file': '', 'exit-code': '1'}))
    warm_key = inner(r, SARIF, 'planner version and cache key')['outputs']
    check('warm: the same key on a new runner', warm_key.get('key'), key.get('key'))
    check('warm: a later step finds the cached planner', step(r, 'planner on PATH')['log'].splitlines()[:2],
          [os.path.join(warm_key.get('dir', '?'), 'planner'), version])
    if failures > before:
        dump(r)

    # 3. A clean config.
    before = failures
    clean = 'examples/decision-matrix/01-8gb-air-general-qa.yaml'
    r, status, ws = run_job('clean', clean)
    check('clean: planner itself exits 0', planner_run(['check', 'local-inference-config.yaml'], ws)[0], 0)
    check('clean: the job passes', status, 'success')
    check('clean: exit-code 0 from both uses', (step(r, SARIF)['outputs'].get('exit-code'), step(r, GITHUB)['outputs'].get('exit-code')), ('0', '0'))
    check('clean: the SARIF uploaded', [u['sarif_file'] for u in r.uploads], ['planner.sarif'])
    if failures > before:
        dump(r)

    # 4. No config (and a stale log from an earlier run in the workspace).
    before = failures
    workspace = os.path.join(work, 'missing', 'workspace')
    os.makedirs(workspace)
    with open(os.path.join(workspace, 'planner.sarif'), 'w') as f:
        f.write('{"stale": true}\n')
    r = gh.Runner(os.path.join(work, 'missing', 'runner'), store, {'planner/planner': action}, base_env)
    status = r.run_job(json.loads(json.dumps(job)), workspace)
    check('missing: planner itself exits 2', planner_run(['check', 'local-inference-config.yaml'], workspace)[0], 2)
    check('missing: the SARIF step fails, exit-code 2, no log path',
          (step(r, SARIF)['outcome'], step(r, SARIF)['outputs']), ('failure', {'sarif-file': '', 'exit-code': '2'}))
    check('missing: no SARIF left in the workspace (the stale one removed)', os.path.exists(os.path.join(workspace, 'planner.sarif')), False)
    check('missing: the upload is skipped', (step(r, 'Upload SARIF')['outcome'], r.uploads), ('skipped', []))
    check('missing: the annotations step runs (always()) and fails with exit-code 2',
          (step(r, GITHUB)['outcome'], step(r, GITHUB)['outputs'].get('exit-code')), ('failure', '2'))
    check('missing: the job fails', status, 'failure')
    if failures > before:
        dump(r)

    # The run: bodies, as the runner hands them to bash, through shellcheck.
    if shutil.which('shellcheck'):
        bodies = []
        meta = gh.load_yaml(os.path.join(src, 'action.yml'))
        bodies += [('action.yml ' + s.get('name', ''), s['run']) for s in meta['runs']['steps'] if 'run' in s]
        for wf in ('planner-action.yml', 'planner.yml'):
            w = gh.load_yaml(os.path.join(src, 'examples/github-actions', wf))
            for j in w['jobs'].values():
                bodies += [(f'{wf} {s.get("name", "")}', s['run']) for s in j['steps'] if 'run' in s]
        check('shellcheck: the action has four run steps', sum(b[0].startswith('action.yml') for b in bodies), 4)
        for name, body in bodies:
            script = os.path.join(work, 'body.sh')
            with open(script, 'w') as f:
                # ${{ }} is substituted before bash sees the body: a word stands for it here.
                f.write('#!/usr/bin/env bash\n' + re.sub(r'\$\{\{.*?\}\}', 'EXPRESSION', body))
            p = subprocess.run(['shellcheck', '-s', 'bash', script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            check(f'shellcheck: {name}', p.stdout.decode().replace(script, 'run'), '')
    else:
        print('skip - shellcheck is not installed: the run: bodies are not checked')
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f'{failures} failure(s)' if failures else 'all passed')
sys.exit(1 if failures else 0)
