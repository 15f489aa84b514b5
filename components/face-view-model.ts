/**
 * What the face dialog (`<fap-face-view>`, face-view.ts) shows, built from the workspace: a module of its own, so the
 * element builds it while the dialog's code loads only once there are faces to open.
 */
import type { Workspace } from '../src/index.ts';
import type { FaceLookup } from './face-thumb.ts';
import type { FacePhotoLoader } from './photo-view.ts';

/** What the corrections of one face offer. */
export interface FaceCorrectionsModel {
  faceId: string;
  /** The person the face belongs to, when it belongs to one. */
  person: { id: string; name: string } | undefined;
  /** The people it can be moved to (everyone else). */
  others: { id: string; name: string }[];
}

/** The corrections offered for face `faceId` of `ws`. */
export function faceCorrectionsModel(ws: Workspace, faceId: string): FaceCorrectionsModel {
  const person = ws.personOf(faceId)?.group;
  return {
    faceId,
    person: person ? { id: person.id, name: person.name } : undefined,
    others: ws.people.filter((p) => p.group !== person).map((p) => ({ id: p.group.id, name: p.group.name })),
  };
}

/** What the dialog shows about a face. */
export interface FaceViewModel {
  faceId: string;
  /** The photo's file name (with the face's number when the photo holds several). */
  label: string;
  /** The face's thumbnail URL. */
  thumb: string | undefined;
  /** The person it belongs to, or undefined when seen once. */
  person: string | undefined;
  /** Words for how the face was found, e.g. 'found by the detector'. */
  foundBy: string;
  /** The face's box in its photo, in pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** The corrections offered for it. */
  corrections?: FaceCorrectionsModel;
  /** Reads the face's photo (with its preview) to show the face in it. */
  photo: FacePhotoLoader;
}

const FOUND_BY_WORDS: Record<string, string> = {
  'detected': 'found by the face detector',
  'padded': 'found after padding the photo',
  'lower-threshold': 'found with a lower detection threshold (less certain)',
  'whole-image': 'the whole photo was taken as the face',
};

/** How a face was found, in words. */
export function foundByWords(foundBy: string): string {
  return FOUND_BY_WORDS[foundBy] ?? foundBy;
}

/** What the dialog shows for face `faceId` of `ws`, or undefined when the workspace no longer has it. */
export function faceViewModel(ws: Workspace, faces: FaceLookup, faceId: string): FaceViewModel | undefined {
  const face = ws.collection?.face(faceId);
  if (!face) return undefined;
  return {
    faceId,
    label: faces.label(faceId),
    thumb: faces.thumb(faceId),
    person: ws.people.find((p) => p.group.faceIds.includes(faceId))?.group.name,
    foundBy: face.foundBy,
    box: face.box,
    corrections: faceCorrectionsModel(ws, faceId),
    photo: (id) => ws.facePhoto(id),
  };
}
