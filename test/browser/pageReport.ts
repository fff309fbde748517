// Page side of the browser tests and the bench: run the page's own script (under the page's CSP),
// then leave the result as JSON in <pre id="out"> and set the title to 'done' for the Node side to read.
export function reportToPage(main: () => Promise<unknown>, extraOnError: () => Record<string, unknown> = () => ({})): void {
  const pre = document.getElementById('out')!;
  main().then(
    (r) => {
      pre.textContent = JSON.stringify(r);
      document.title = 'done';
    },
    (e: unknown) => {
      pre.textContent = JSON.stringify({ error: String(e), stack: e instanceof Error ? e.stack : undefined, ...extraOnError() });
      document.title = 'done';
    },
  );
}
