// The output channel for charRnnCode.trace.server. vscode-languageclient writes its LSP trace to a
// LogOutputChannel at the "trace" level, which the editor hides unless the user also lowers that
// channel's log level; this channel shows every line it is given, so the one setting is enough.
import * as vscode from "vscode";

export function createTraceChannel(name: string): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel(name);
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  const writer =
    (level: string) =>
    (message: string | Error, ...args: unknown[]): void => {
      const text = message instanceof Error ? (message.stack ?? message.message) : message;
      const extra = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
      channel.appendLine(`${new Date().toISOString()} [${level}] ${text}${extra ? ` ${extra}` : ""}`);
    };
  return {
    name: channel.name,
    logLevel: vscode.LogLevel.Trace,
    onDidChangeLogLevel: levelChanged.event,
    trace: writer("trace"),
    debug: writer("debug"),
    info: writer("info"),
    warn: writer("warn"),
    error: writer("error"),
    append: (value: string) => channel.append(value),
    appendLine: (value: string) => channel.appendLine(value),
    replace: (value: string) => channel.replace(value),
    clear: () => channel.clear(),
    show: (columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserve === "boolean" ? channel.show(columnOrPreserve) : channel.show(columnOrPreserve, preserveFocus),
    hide: () => channel.hide(),
    dispose: () => {
      levelChanged.dispose();
      channel.dispose();
    },
  };
}
