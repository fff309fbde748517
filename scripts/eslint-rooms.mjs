// The lint rule that keeps each room of the house to its own imports (docs/ARCHITECTURE.md, "The
// rooms"). A relative specifier is resolved against the importing file and the room of the file it
// names is looked up, so `import`, `export … from`, `import()`, `require()` and `import('…').T` types
// are all checked, whatever their spelling. Package imports (vscode, node:fs) are no-restricted-imports'
// job in eslint.config.mjs.
import { dirname, relative, resolve, sep } from 'node:path';

/** Which rooms each room may import from (itself always). Rooms not listed here (test, bench, scripts) may import anything. */
export const ROOM_IMPORTS = {
  engine: [],
  protocol: ['engine'],
  src: ['engine', 'protocol'],
  webview: ['engine', 'protocol'],
  cli: ['engine', 'protocol', 'src'],
  build: ['src', 'cli'],
};

/** What the command line and the build may use of the host: its pure modules, never the vscode glue. */
const HOST_PARTS_OUTSIDE_THE_HOST = ['src/deck/', 'src/hover/content.ts', 'src/hover/equation.ts'];

const DEMOS = 'webview/lab/demos/';

/**
 * The room (top folder) of a path relative to the root, and the demo folder it is in, if any. The
 * registry (demos/index.ts) is in no demo's folder: it is the one file that imports them all.
 */
function placeOf(path) {
  const room = path.split('/')[0];
  const name = path.startsWith(DEMOS) ? path.slice(DEMOS.length).split('/')[0] : undefined;
  const demo = name === undefined || name === 'index' || name === 'index.ts' ? undefined : name;
  return { room, demo };
}

export function roomsPlugin(root) {
  const rel = (file) => relative(root, file).split(sep).join('/');
  const rule = {
    meta: {
      type: 'problem',
      docs: { description: 'each room of the house imports only the rooms it may (docs/ARCHITECTURE.md)' },
      schema: [],
      messages: {
        room: "{{from}}/ must not import {{to}}/ ('{{spec}}'): {{from}}/ may import {{allowed}}.",
        host: "{{from}}/ may use only the host's pure modules (src/deck/, src/hover/content.ts, src/hover/equation.ts), not '{{spec}}'.",
        demo: "a demo must not import another demo's folder ('{{spec}}' is in demos/{{to}}/): shared code goes to webview/lab/common/ or webview/ui/.",
        shell: "a demo must not import the lab shell ('{{spec}}'): the shell calls demos through the registry.",
      },
    },
    create(context) {
      const file = rel(context.filename);
      const here = placeOf(file);
      const allowed = ROOM_IMPORTS[here.room];
      if (!allowed) return {};
      const check = (node, spec) => {
        if (typeof spec !== 'string' || !spec.startsWith('.')) return;
        const target = rel(resolve(dirname(context.filename), spec));
        if (!target.includes('/') || target.startsWith('../')) return; // package.json, or outside the tree
        const there = placeOf(target);
        const data = { from: here.room, to: there.room, spec, allowed: [here.room, ...allowed].map((r) => `${r}/`).join(', ') };
        if (there.room !== here.room && !allowed.includes(there.room)) {
          context.report({ node, messageId: 'room', data });
        } else if (there.room === 'src' && here.room !== 'src' && !HOST_PARTS_OUTSIDE_THE_HOST.some((p) => target === p.replace(/\.ts$/, '') || target.startsWith(p))) {
          context.report({ node, messageId: 'host', data });
        } else if (here.demo !== undefined && there.demo !== undefined && there.demo !== here.demo) {
          context.report({ node, messageId: 'demo', data: { ...data, to: there.demo } });
        } else if (here.demo !== undefined && (target === 'webview/lab/main' || target === 'webview/lab/main.ts')) {
          context.report({ node, messageId: 'shell', data });
        }
      };
      const literal = (n) => (n && n.type === 'Literal' ? n.value : undefined);
      return {
        ImportDeclaration: (n) => check(n.source, n.source.value),
        ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
        ExportAllDeclaration: (n) => check(n.source, n.source.value),
        ImportExpression: (n) => check(n.source, literal(n.source)),
        'CallExpression[callee.name="require"]': (n) => check(n, literal(n.arguments[0])),
        TSImportType: (n) => check(n, literal(n.argument?.literal ?? n.argument)),
      };
    },
  };
  return { rules: { rooms: rule } };
}
