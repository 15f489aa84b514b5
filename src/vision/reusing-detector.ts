/**
 * One network run per image, however many thresholds are tried: findFaces asks again at lower thresholds on the
 * same image (and on the same padded canvas) when nothing is found. The network's output does not depend on the
 * threshold, only its decoding does, and a decoding at a lower threshold keeps every face a higher one keeps
 * (both detectors' NMS is greedy by score), so the output is kept per image and decoded again: the same faces,
 * found with up to three times fewer network runs.
 */
import type { Detection, Detector } from './find-faces.ts';
import type { RgbImage } from './image.ts';

/**
 * A {@link Detector} that runs `run` once per image object and decodes its output at each threshold asked.
 * Images are taken as immutable (the pipeline never changes an image once made); outputs are held only as long
 * as their image is (a WeakMap), and a failed or aborted run is not kept, so the next call runs again.
 * @param run the network run (the costly part), independent of the threshold.
 * @param decode the detections scoring above `minConfidence` (it checks the threshold's range).
 */
export function reusingDetector<R>(
  run: (image: RgbImage, signal?: AbortSignal) => Promise<R>,
  decode: (output: R, minConfidence: number) => Detection[],
): Detector {
  const outputs = new WeakMap<RgbImage, Promise<R>>();
  return async (image, { minConfidence, signal }) => {
    let output = outputs.get(image);
    if (!output) {
      output = run(image, signal);
      outputs.set(image, output);
      const kept = output;
      kept.catch(() => {
        if (outputs.get(image) === kept) outputs.delete(image);
      });
    }
    return decode(await output, minConfidence);
  };
}
