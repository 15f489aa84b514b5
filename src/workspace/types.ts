/**
 * What the workspace reports to whoever drives it (the element, a test, a script): progress, what a batch
 * of photos added, failures, where probed faces fall, and storage figures. Plain data throughout.
 */

/** Progress of a batch of photos: after each photo. */
export interface WorkProgress {
  /** Photos finished (succeeded or failed). */
  done: number;
  total: number;
  /**
   * Faces so far: when adding photos, the faces kept (stored with their photos, so the same count the
   * workspace's collection, people and storage show at that moment); when probing, the faces found.
   */
  faces: number;
  /** Photos that failed so far. */
  failed: number;
  /** The photo just finished. */
  name: string;
}

/** A face's photo, for showing the face in it (see `Workspace.facePhoto`). */
export interface FacePhoto {
  /** The photo's file name. */
  name: string;
  /** The photo's size in px (after EXIF orientation). */
  width: number;
  height: number;
  /** The face's box in the photo's px. */
  box: { x: number; y: number; width: number; height: number };
  /** The photo's small copy (same aspect ratio), absent for photos stored before previews were kept. */
  preview?: { type: string; bytes: Uint8Array; width: number; height: number };
}

/** A photo that could not be used, with the reason. */
export interface PhotoFailure {
  name: string;
  /** The project's error code, e.g. 'decode'. */
  code: string;
  message: string;
}

/** A batch of photos finished (or was cancelled). */
export interface IngestSummary {
  /** Photos the engine finished (stored, duplicate or failed); fewer than given when cancelled. */
  processed: number;
  /** Photos newly stored (duplicates of stored photos are not counted). */
  photos: number;
  /** Faces newly stored. */
  faces: number;
  /** Photos already in the store (same content). */
  duplicates: number;
  failures: PhotoFailure[];
  /** True when Cancel stopped the batch; what finished was kept. */
  cancelled: boolean;
  /** Faces in the whole collection now. */
  totalFaces: number;
}

/** One probe face and where it falls. */
export interface GroupAssignment {
  /** The photo's name. */
  photo: string;
  /** The face's index in its photo. */
  face: number;
  /** The name the probe gives the face, and its calibrated probability (faces given p are right about p of the time). */
  group: string;
  confidence: number;
  /** False when the face's person could not be told, so who they are could not be taken out (identity-removed probes). */
  identityRemoved: boolean;
  /** Where an attribute head points to another name than the probe, in words; else null. */
  disagreement: string | null;
  /** The supervised heads, when they ran. */
  age: number | undefined;
  gender: string | undefined;
  genderProbability: number | undefined;
  /** The most likely expression and its probability. */
  expression: string | undefined;
  expressionProbability: number | undefined;
}

/** Storage used by this origin, as the browser reports it. */
export interface StorageSummary {
  /** Bytes used (undefined where the browser does not say). */
  usage: number | undefined;
  quota: number | undefined;
  persisted: boolean | undefined;
  /** Bytes of `usage` held by IndexedDB, where the browser says (Chromium). */
  databaseUsage?: number | undefined;
  photos: number;
  faces: number;
}
