// The status-bar item: what the completion engine is doing right now. Clicking it shows details
// (the server output on error, the statistics otherwise). Holds no logic beyond presentation.
import * as vscode from "vscode";

export type EngineState =
  | { kind: "starting" }
  | { kind: "loading"; detail?: string }
  | { kind: "ready"; model: string; latencyMs?: number }
  | { kind: "noCheckpoint" }
  | { kind: "disabled" }
  | { kind: "error"; message: string };

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: EngineState = { kind: "starting" };

  constructor() {
    this.item = vscode.window.createStatusBarItem("charRnnCode.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "CharRnnCode";
    this.show({ kind: "starting" });
    this.item.show();
  }

  get state(): EngineState {
    return this.current;
  }

  show(state: EngineState): void {
    this.current = state;
    const item = this.item;
    item.backgroundColor = undefined;
    item.command = "charRnnCode.showStatistics";
    switch (state.kind) {
      case "starting":
        item.text = "$(sync~spin) CharRnn";
        item.tooltip = "CharRnnCode: starting the language server";
        break;
      case "loading":
        item.text = "$(sync~spin) CharRnn: loading model";
        item.tooltip = `CharRnnCode: loading the model${state.detail ? ` (${state.detail})` : ""}`;
        break;
      case "ready":
        item.text = `$(sparkle) CharRnn: ${state.model}${state.latencyMs === undefined ? "" : ` · ${Math.round(state.latencyMs)} ms`}`;
        item.tooltip = `CharRnnCode: ready (${state.model})${state.latencyMs === undefined ? "" : `; last completion took ${Math.round(state.latencyMs)} ms`}. Click for statistics.`;
        break;
      case "noCheckpoint":
        item.text = "$(warning) CharRnn: no checkpoint";
        item.tooltip = "CharRnnCode: no model checkpoint is set. Click to choose one.";
        item.command = "charRnnCode.chooseCheckpoint";
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        break;
      case "disabled":
        item.text = "$(circle-slash) CharRnn: off";
        item.tooltip = "CharRnnCode: completions are disabled. Click to enable them.";
        item.command = "charRnnCode.enableCompletions";
        break;
      case "error":
        item.text = "$(error) CharRnn: error";
        item.tooltip = `CharRnnCode: ${state.message}\nClick for details.`;
        item.command = "charRnnCode.showErrorDetails";
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
