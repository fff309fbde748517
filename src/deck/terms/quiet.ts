// Quiet spans: where a term's name is part of an address or a label, not a mention

const FILE_EXTENSIONS = 'png|jpe?g|gif|svg|webp|pdf|txt|csv|tsv|json|ya?ml|md|rst|html?|ipynb|py|pt|pth|ckpt|h5|hdf5|onnx|npy|npz|pkl|wav|flac|mp3|tar|gz|zip|cpp|hpp|jl';
const FILE_NAME_END = new RegExp(String.raw`\.(?:${FILE_EXTENSIONS})(?![\w(])`);
const PATH_CALL = /\b(?:join|Path|open|exists|isfile|isdir|makedirs|listdir|glob)\(/;

/**
 * Parts of a line where a term is only part of a name or address: nobody hovering there wants a
 * flashcard. Each pattern runs only on lines holding its marker, and none of them backtracks over
 * more than one token, so the check stays linear in the line.
 */
const QUIET: readonly { marker: (line: string) => boolean; pattern: RegExp }[] = [
  // URLs
  { marker: (s) => s.includes('://') || s.includes('www.'), pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"'`()[\]]*|\bwww\.[^\s<>"'`()[\]]+/g },
  // C and C++ includes
  { marker: (s) => s.includes('#'), pattern: /^\s*#\s*(?:include|import)\s*[<"].*$/g },
  // Module paths in imports: they name modules and packages (`torch.nn.utils.rnn`, `ctcdecode`,
  // Julia's `using Flux, cuDNN`, Rust's `use tch::nn::`), not the concepts. What an import brings
  // in is still a term (`pack_padded_sequence`, `LSTM`), except a lower-case module (`rnn` in
  // `from mxnet.gluon import rnn`).
  { marker: (s) => s.includes('import') || s.includes('using'), pattern: /^\s*(?:from\s+[\w.]+(?=\s+import\b)|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*$|(?:using|import)\s+[\w.]+(?:\s*,\s*[\w.]+)*(?=\s*(?::|$)))|(?<=^\s*from\s+[\w.]+\s+import\s+\(?(?:[\w\s,]*[\s,(])?)[a-z][a-z0-9]*(?=\s*(?:,|\)|$|\s+as\b))/g },
  { marker: (s) => s.includes('use '), pattern: /^\s*(?:pub\s+)?use\s+(?:\w+::)+/g },
  { marker: (s) => s.includes('library(') || s.includes('require'), pattern: /\b(?:library|require|requireNamespace)\(\s*[\w."']+\s*\)|\brequire\(\s*(['"])[^'"\n]*\1\s*\)/g },
  { marker: (s) => s.includes('from') || s.includes('import'), pattern: /\bfrom\s+(['"])[^'"\n]*\1|^\s*import\s+(['"])[^'"\n]*\2/g },
  // Markdown images (alt text and target), link targets, reference definitions
  { marker: (s) => s.includes(']'), pattern: /!\[[^[\]]*\]\([^()]*\)|\]\([^()\s[\]]*(?:\s+"[^"]*")?\)|^\s*\[[^\]]+\]:\s*\S+/g },
  // reStructuredText document roles, figure and image directives, directive options
  { marker: (s) => s.includes(':`') || s.includes('..') || /^\s*(?:#+|\/\/+|\*)?\s*:/.test(s), pattern: /:(?:doc|ref|download|numref|eqref|eqlabel|cite|file|label|any|rfc|pep):`[^`]*`|^\s*(?:#+|\/\/+|\*)?\s*\.\.\s+(?:figure|image|include|literalinclude|video|download|raw)::.*$|^\s*(?:#+|\/\/+|\*)?\s*:(?:alt|target|align|width|height|scale|class|name|figwidth|figclass):(?!`).*$/g },
  // HTML images and address attributes
  { marker: (s) => s.includes('=') || s.includes('<img'), pattern: /<img\b[^<>]*>|\b(?:src|href|alt)\s*=\s*(?:"[^"\n]*"|'[^'\n]*')/gi },
  // file paths: a string holding a slash, a path from `/`, `./`, `~/`, a file name with an extension
  { marker: (s) => s.includes('/') || s.includes('\\'), pattern: /"[^"\s]*[/\\][^"\s]*"|'[^'\s]*[/\\][^'\s]*'|(?:^|(?<=[\s(=,[]))(?:~|\.{1,2})?\/[\w.-]+(?:\/[\w.-]*)*/g },
  { marker: (s) => FILE_NAME_END.test(s), pattern: new RegExp(String.raw`(?<![\w/-])[\w/-]*[\w-]\.(?:${FILE_EXTENSIONS})(?![\w(])`, 'g') },
  // strings that only name something: dict keys, subscripts, names given to layers, RNG streams, scopes
  { marker: (s) => s.includes('"') || s.includes("'"), pattern: /(?<=(?:^|[{,])\s*)(?:"[A-Za-z_][\w.-]*"|'[A-Za-z_][\w.-]*')(?=\s*:(?!:))|(?<=[\w)\]]\s*\[\s*)(?:"[A-Za-z_][\w.-]*"|'[A-Za-z_][\w.-]*')(?=\s*\])|(?<=\b(?:make_rng|param|variable|get_variable|name_scope|variable_scope|register_buffer|register_parameter|add_module|get_submodule|get_parameter|sow)\(\s*|\b(?:name|scope|prefix|rng_name|collection)\s*=\s*)(?:"[^"\n]*"|'[^'\n]*')/g },
  // strings that build paths (`os.path.join(root, 'lstm')`)
  { marker: (s) => PATH_CALL.test(s), pattern: /(?<=\b(?:join|Path|open|exists|isfile|isdir|makedirs|listdir|glob)\([^()\n]{0,80})(?:"[^"\n]*"|'[^'\n]*')/g },
  // the product's own name
  { marker: (s) => s.includes('ens'), pattern: /(?<![A-Za-z0-9])[Rr][Nn][Nn][ _-]?[Ll]ens(?![a-z])/g },
];

/** The quiet spans of a line (or of the window of it that the matcher reads), as [start, end). */
export function quietSpans(s: string): [number, number][] {
  const out: [number, number][] = [];
  for (const { marker, pattern } of QUIET) {
    if (!marker(s)) continue;
    for (const m of s.matchAll(pattern)) if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

export const isQuiet = (quiet: readonly [number, number][], c: { start: number; end: number }): boolean =>
  quiet.some(([qs, qe]) => c.start < qe && qs < c.end);
