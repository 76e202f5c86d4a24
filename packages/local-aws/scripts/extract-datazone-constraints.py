#!/usr/bin/env python3
"""Extracts DataZone input constraints (required, pattern, length, range, enum) for the
operations the stand-in serves from the botocore service model installed with the AWS CLI.

The JS SDK's schemas carry no constraint traits, so the stand-in validates inputs against
this table. Re-run after adding an operation:
  python3 packages/local-aws/scripts/extract-datazone-constraints.py > packages/local-aws/src/datazone/model/constraints.json
"""
import gzip, json, os, sys
import botocore

OPS_FILE = os.path.join(os.path.dirname(__file__), '..', 'src', 'datazone', 'model', 'implemented-operations.json')
ops = json.load(open(OPS_FILE))
path = os.path.join(os.path.dirname(botocore.__file__), 'data', 'datazone', '2018-05-10', 'service-2.json.gz')
model = json.load(gzip.open(path))
shapes = model['shapes']
out_shapes = {}

def visit(name):
    if name in out_shapes:
        return
    s = shapes[name]
    o = {'type': s['type']}
    out_shapes[name] = o
    for k in ('pattern', 'min', 'max', 'enum'):
        if k in s:
            o[k] = s[k]
    if s['type'] == 'structure':
        o['members'] = {m: v['shape'] for m, v in s['members'].items()}
        if s.get('required'):
            o['required'] = s['required']
        if s.get('union'):
            o['union'] = True
        for v in s['members'].values():
            visit(v['shape'])
    elif s['type'] == 'list':
        o['member'] = s['member']['shape']
        visit(s['member']['shape'])
    elif s['type'] == 'map':
        o['key'] = s['key']['shape']
        o['value'] = s['value']['shape']
        visit(s['key']['shape'])
        visit(s['value']['shape'])

out_ops = {}
for op in ops:
    inp = model['operations'][op]['input']['shape']
    out_ops[op] = inp
    visit(inp)

json.dump({'source': 'botocore ' + botocore.__version__ + ' data/datazone/2018-05-10/service-2.json',
           'operations': out_ops, 'shapes': dict(sorted(out_shapes.items()))}, sys.stdout, indent=1, sort_keys=False)
sys.stdout.write('\n')
