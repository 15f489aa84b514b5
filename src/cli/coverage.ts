/**
 * Coverage figures of a reproduced experiment: what `reproduce` computes and its HTML report shows (a file of
 * its own, so the command and the report do not import each other).
 */

/** How the images of one experiment fared in the pipeline. */
export interface CoverageFigures {
  /** Images with a face / images of the experiment. */
  coverage: number;
  images: number;
  /** How each used face was found. */
  found_by: Record<string, number>;
  /** Images left out (no face, or could not be read), with why. */
  left_out: Array<{ image: string; reason: string }>;
}
