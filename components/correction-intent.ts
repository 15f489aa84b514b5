/**
 * Corrections of the grouping by person as the parts ask for them: `fap-correct` (bubbling, composed, so it
 * leaves the part's shadow root) with what to correct; the element applies it to its workspace.
 */
import type { Workspace } from '../src/index.ts';

/** Detail of `fap-correct`: one correction, or undoing the latest. */
export type CorrectionIntent =
  | { kind: 'not-person'; faceId: string }
  | { kind: 'move'; faceId: string; groupId: string }
  | { kind: 'not-face'; faceId: string }
  | { kind: 'merge'; keepId: string; otherId: string }
  | { kind: 'strictness'; scale: number }
  | { kind: 'undo' };

/** Dispatches `fap-correct` from `from`. */
export function askCorrection(from: EventTarget, intent: CorrectionIntent): void {
  from.dispatchEvent(new CustomEvent<CorrectionIntent>('fap-correct', { detail: intent, bubbles: true, composed: true }));
}

/** Applies `intent` to the workspace. @returns whether the faces themselves changed ("not a face" or its undo). */
export async function applyCorrection(ws: Workspace, intent: CorrectionIntent): Promise<boolean> {
  const faces = ws.faces;
  switch (intent.kind) {
    case 'not-person': await ws.notThisPerson(intent.faceId); break;
    case 'move': await ws.moveFace(intent.faceId, intent.groupId); break;
    case 'not-face': await ws.notAFace(intent.faceId); break;
    case 'merge': await ws.mergePeople(intent.keepId, intent.otherId); break;
    case 'strictness': await ws.setStrictness(intent.scale); break;
    case 'undo': await ws.undo(); break;
  }
  return ws.faces !== faces;
}

/** What the status line says while a correction is applied. */
export function correctionLabel(intent: CorrectionIntent): string {
  return intent.kind === 'undo' ? 'Undoing…' : intent.kind === 'strictness' ? 'Grouping people again…' : 'Correcting…';
}
