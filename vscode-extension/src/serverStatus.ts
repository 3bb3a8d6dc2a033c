// Turns the server's answer to `charRnn/status` into the state the status bar shows. Pure, so the
// mapping is tested without an editor; tolerant of fields it does not know.

export type ServerState =
  | { kind: "loading"; detail?: string }
  | { kind: "ready"; model: string }
  | { kind: "noCheckpoint" }
  | { kind: "error"; message: string };

export const STATUS_METHOD = "charRnn/status";

export function parseServerStatus(raw: unknown): ServerState {
  if (typeof raw !== "object" || raw === null) return { kind: "error", message: "the server sent no status" };
  const r = raw as Record<string, unknown>;
  const state = String(r.state ?? "").toLowerCase();
  const text = (x: unknown) => (typeof x === "string" && x.trim() ? x.trim() : undefined);
  switch (state) {
    case "ready":
      return { kind: "ready", model: shortModelName(text(r.model) ?? text(r.description) ?? text(r.checkpoint) ?? "model") };
    case "loading":
    case "starting":
      return { kind: "loading", detail: text(r.checkpoint) };
    case "nocheckpoint":
    case "no-checkpoint":
    case "idle":
      return { kind: "noCheckpoint" };
    case "failed":
    case "error":
      return { kind: "error", message: text(r.error) ?? text(r.message) ?? "the server could not load the model" };
    default:
      return { kind: "error", message: `the server sent an unknown status ${JSON.stringify(r.state)}` };
  }
}

/** The status bar has little room: keep the file name of a path, cut long descriptions. */
export function shortModelName(model: string): string {
  const base = model.split(/[\\/]/).pop() ?? model;
  return base.length > 40 ? `${base.slice(0, 39)}…` : base;
}
