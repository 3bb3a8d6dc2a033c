// End-to-end client: starts the built charrnn-server as a process and drives it over stdio with
// vscode-languageserver-protocol / vscode-jsonrpc, the client stack VS Code itself uses. It replays
// the typing of one line of a real C# file (an inline completion after every character), then an
// explicit request, an edit earlier in the file, the status request, shutdown and exit.
// Prints the transcript as JSON on stdout; problems go to stderr and make the exit code non-zero.
//
//   node client.mjs --server PATH/charrnn-server --checkpoint FILE.ckpt --file FILE.cs [--line N] [--typed N]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import lsp from 'vscode-languageserver-protocol/node';

const {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  InlineCompletionRequest, InlineCompletionTriggerKind, ShutdownRequest, ExitNotification,
  ShowMessageNotification, LogMessageNotification, WorkDoneProgressCreateRequest, RequestType0,
} = lsp;

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  value.startsWith('--') ? [...pairs, [value.slice(2), all[i + 1]]] : pairs, []));
for (const required of ['server', 'checkpoint', 'file']) {
  if (!args[required]) { console.error(`missing --${required}`); process.exit(2); }
}

const problems = [];
const check = (condition, message) => { if (!condition) problems.push(message); };
const StatusRequest = new RequestType0('charRnn/status');

const server = spawn(args.server, ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
let serverErrors = '';
server.stderr.on('data', chunk => { serverErrors += chunk; });
const exited = new Promise(resolve => server.on('exit', code => resolve(code)));
const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const received = [];
connection.onNotification(ShowMessageNotification.type, p => received.push({ method: 'window/showMessage', params: p }));
connection.onNotification(LogMessageNotification.type, p => received.push({ method: 'window/logMessage', params: p }));
connection.onNotification('$/progress', p => received.push({ method: '$/progress', params: p }));
connection.onRequest(WorkDoneProgressCreateRequest.type, p => { received.push({ method: 'window/workDoneProgress/create', params: p }); return null; });
connection.listen();

const source = readFileSync(args.file, 'utf8').replace(/\r\n/g, '\n');
const lines = source.split('\n');
// The line to type: the one given, else the first statement of some length inside a method body.
const lineIndex = args.line ? Number(args.line) - 1
  : lines.findIndex(l => /^ {8,}\S.*;$/.test(l) && l.trim().length > 24 && !l.trim().startsWith('//'));
const target = lines[lineIndex];
const indent = target.length - target.trimStart().length;
const typedCount = Math.min(Number(args.typed ?? 16), target.length - indent);
const uri = pathToFileURL(args.file).href;

const initialize = await connection.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  clientInfo: { name: 'charrnn-e2e', version: '1' },
  rootUri: null,
  capabilities: { window: { workDoneProgress: true }, textDocument: { inlineCompletion: {} } },
  initializationOptions: { checkpoint: args.checkpoint, temperature: 0.2, candidates: 4, maxChars: 60, rerank: true, seed: 1, timeBudgetMs: 10000 },
});
check(initialize.capabilities.inlineCompletionProvider === true, 'inlineCompletionProvider is not true');
check(initialize.capabilities.textDocumentSync?.change === 2, 'text sync is not incremental');
await connection.sendNotification(InitializedNotification.type, {});

let status = await connection.sendRequest(StatusRequest);
for (let i = 0; i < 600 && (status.state === 'loading' || status.state === 'noCheckpoint') && !received.some(r => r.method === 'window/logMessage'); i++) {
  await new Promise(resolve => setTimeout(resolve, 100));
  status = await connection.sendRequest(StatusRequest);
}
// The loop also ends on the load's log message, which can arrive after the last status was read: read it once more.
status = await connection.sendRequest(StatusRequest);
check(status.state === 'ready', `model state is ${status.state}: ${status.error ?? ''}`);

// Open the file with the target line cut back to its indentation, then type the line.
let version = 1;
let text = [...lines.slice(0, lineIndex), target.slice(0, indent), ...lines.slice(lineIndex + 1)].join('\n');
await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'csharp', version, text } });
const typing = [];
for (let i = 0; i < typedCount; i++) {
  const character = indent + i;
  const c = target[character];
  await connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: ++version },
    contentChanges: [{ range: { start: { line: lineIndex, character }, end: { line: lineIndex, character } }, text: c }],
  });
  const position = { line: lineIndex, character: character + 1 };
  const started = performance.now();
  const result = await connection.sendRequest(InlineCompletionRequest.type, {
    textDocument: { uri }, position, context: { triggerKind: InlineCompletionTriggerKind.Automatic },
  });
  const items = Array.isArray(result) ? result : result?.items ?? [];
  for (const item of items) {
    check(item.range && item.range.start.line === lineIndex && item.range.start.character === position.character,
      `item without an explicit range at the caret: ${JSON.stringify(item)}`);
  }
  check(items.length <= 1, 'an automatic request answered more than one item');
  typing.push({ typed: target.slice(indent, character + 1), ms: Math.round((performance.now() - started) * 10) / 10, items });
}

const caret = { line: lineIndex, character: indent + typedCount };
const invoked = await connection.sendRequest(InlineCompletionRequest.type, {
  textDocument: { uri }, position: caret, context: { triggerKind: InlineCompletionTriggerKind.Invoked },
});
check(typing.some(t => t.items.length > 0) || invoked.items.length > 0, 'no request got an item');

// An edit at the top of the file: the cached states after it are dropped, the next request resumes.
await connection.sendNotification(DidChangeTextDocumentNotification.type, {
  textDocument: { uri, version: ++version },
  contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }],
});
const afterEdit = await connection.sendRequest(InlineCompletionRequest.type, {
  textDocument: { uri }, position: { line: caret.line + 1, character: caret.character }, context: { triggerKind: InlineCompletionTriggerKind.Invoked },
});
status = await connection.sendRequest(StatusRequest);
check(status.cache.hits >= typedCount - 1, `cache hits ${status.cache.hits} < ${typedCount - 1}`);

await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
const exitCode = await exited;
check(exitCode === 0, `server exit code ${exitCode}`);
check(received.some(r => r.method === '$/progress' && r.params.value.kind === 'begin'), 'no progress begin');
check(received.some(r => r.method === '$/progress' && r.params.value.kind === 'end'), 'no progress end');
check(received.some(r => r.method === 'window/logMessage' && /loaded/.test(r.params.message)), 'no "loaded" log message');
connection.dispose();

const transcript = {
  file: args.file, line: lineIndex + 1, target, initialize, received, typing,
  invoked: { position: caret, result: invoked }, afterEdit, status, exitCode, problems,
};
console.log(JSON.stringify(transcript, null, 2));
if (problems.length > 0) {
  console.error(`E2E problems:\n- ${problems.join('\n- ')}\nserver stderr:\n${serverErrors}`);
  process.exit(1);
}
