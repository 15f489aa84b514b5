/**
 * Lets the page paint (and handle input such as a Cancel click) before synchronous work blocks it.
 */

/** Longest wait for a frame: requestAnimationFrame does not fire in a hidden tab, and the work must go on there. */
const FRAME_WAIT_MS = 100;

/**
 * Resolves after the next frame was painted (a task after requestAnimationFrame), or after
 * {@link FRAME_WAIT_MS} when no frame comes (a background tab).
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      resolve();
    };
    const fallback = setTimeout(finish, FRAME_WAIT_MS);
    // The frame callback runs before that frame paints; the task after it runs once it has.
    requestAnimationFrame(() => setTimeout(finish, 0));
  });
}
