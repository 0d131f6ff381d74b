#!/usr/bin/env python3
"""Start-up of the language server alone: `python3 benches/server_ready.py BIN DIR`.

Starts `BIN lsp` on the folder DIR (no file opened), waits until every
`*.news.md` under DIR has had its diagnostics published, and prints the
time that took and the peak RSS (VmHWM). lsp_bench measures start-up too,
but only with its whole edit scenario after it; at 100k articles that
scenario (the busiest id retyped, ~82,000 files re-published each time)
takes most of an hour on a shared machine."""
import json, os, subprocess, sys, time, pathlib
bin_, root = sys.argv[1], os.path.abspath(sys.argv[2])
files = sum(1 for _ in pathlib.Path(root).rglob('*.news.md'))
p = subprocess.Popen([bin_, 'lsp'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body); p.stdin.flush()
def recv():
    length = 0
    while True:
        line = p.stdout.readline()
        if not line: return None
        line = line.strip()
        if not line: break
        if line.lower().startswith(b'content-length:'): length = int(line.split(b':')[1])
    return json.loads(p.stdout.read(length))
t0 = time.time()
uri = pathlib.Path(root).as_uri()
send({'jsonrpc': '2.0', 'id': 1, 'method': 'initialize', 'params': {'processId': None, 'rootUri': uri, 'workspaceFolders': [{'uri': uri, 'name': 'w'}], 'capabilities': {}}})
seen = set()
while True:
    m = recv()
    if m is None: sys.exit('server ended')
    if m.get('id') == 1 and 'result' in m:
        send({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}})
    elif m.get('method') == 'textDocument/publishDiagnostics':
        seen.add(m['params']['uri'])
        if len(seen) >= files: break
    elif 'id' in m and 'method' in m:
        send({'jsonrpc': '2.0', 'id': m['id'], 'result': None})
ready = time.time() - t0
hwm = [l for l in open(f'/proc/{p.pid}/status') if l.startswith('VmHWM')][0].split()[1]
print(f'files={files} ready_s={ready:.1f} vmhwm_kb={hwm}')
p.kill()
