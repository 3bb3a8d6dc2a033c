// The status-bar item: what the language server is doing right now. A click opens the menu
// (commands.ts). Holds no logic beyond presentation: the server's state, two client-side facts
// (manual trigger mode, a pause) and a line on the last request held back for low confidence (its text
// made by lsp_ext.ts's heldBackText) are given to it.
import * as vscode from "vscode";

export const MENU_COMMAND = "charRnnCode.showMenu";

export type ServerState =
  | { kind: "starting" }
  | { kind: "loading"; detail?: string }
  | { kind: "ready"; model: string; defaultModel?: true; latencyMs?: number }
  | { kind: "noCheckpoint" }
  | { kind: "disabled" }
  | { kind: "paused"; until: Date }
  | { kind: "error"; message: string };

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ServerState = { kind: "starting" };
  private manual = false;
  private heldBack: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem("charRnnCode.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "CharRnnCode";
    this.item.command = MENU_COMMAND;
    this.show({ kind: "starting" });
  }

  /** Shown once the server starts (the first document of a configured language), not before. */
  reveal(): void {
    this.item.show();
  }

  get state(): ServerState {
    return this.current;
  }

  /** Manual trigger mode: ghost text only on Alt+\ (shown after the model, so that it is never missed). */
  setManual(manual: boolean): void {
    this.manual = manual;
    this.show(this.current);
  }

  /** "Last suggestion held back: confidence 0.31 below 0.50", or undefined once a request was not held back. */
  setHeldBack(text: string | undefined): void {
    if (text === this.heldBack) return;
    this.heldBack = text;
    this.show(this.current);
  }

  show(state: ServerState): void {
    this.current = state;
    const item = this.item;
    item.backgroundColor = undefined;
    const menu = "Click for the CharRnnCode menu.";
    switch (state.kind) {
      case "starting":
        item.text = "$(sync~spin) CharRnn";
        item.tooltip = `CharRnnCode: starting the language server. ${menu}`;
        break;
      case "loading":
        item.text = "$(sync~spin) CharRnn: loading model";
        item.tooltip = `CharRnnCode: loading the model${state.detail ? ` (${state.detail})` : ""}. ${menu}`;
        break;
      case "ready": {
        const latency = state.latencyMs === undefined ? "" : ` · ${Math.round(state.latencyMs)} ms`;
        item.text = `$(sparkle) CharRnn: ${state.model}${latency}${this.manual ? " · manual" : ""}`;
        item.tooltip =
          `CharRnnCode: ready (${state.model})` +
          (state.latencyMs === undefined ? "" : `; last completion took ${Math.round(state.latencyMs)} ms`) +
          (this.manual ? ". Manual mode: press Alt+\\ for a completion" : "") +
          (this.heldBack ? `. ${this.heldBack} (Alt+\\ shows it anyway)` : "") +
          (state.defaultModel
            ? ". No checkpoint is set, so the model that ships with the extension (trained on open-source C#) answers; choose a checkpoint or train on this workspace for one that knows your code"
            : "") +
          `. ${menu}`;
        break;
      }
      case "noCheckpoint":
        item.text = "$(warning) CharRnn: no checkpoint";
        item.tooltip = `CharRnnCode: no model checkpoint is set: choose one or train on this workspace. ${menu}`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        break;
      case "disabled":
        item.text = "$(circle-slash) CharRnn: off";
        item.tooltip = `CharRnnCode: automatic completions are off here (Alt+\\ still asks for one). ${menu}`;
        break;
      case "paused": {
        const until = state.until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        item.text = `$(debug-pause) CharRnn: paused until ${until}`;
        item.tooltip = `CharRnnCode: automatic completions are paused until ${until} (Alt+\\ still asks for one). ${menu}`;
        break;
      }
      case "error":
        item.text = "$(error) CharRnn: error";
        item.tooltip = `CharRnnCode: ${state.message}\n${menu}`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
