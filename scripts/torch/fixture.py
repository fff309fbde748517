"""Writing a fixture: compact JSON and a final newline, and one line saying what was written."""
import json
import os
import sys


def write_json(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)', file=sys.stderr)
