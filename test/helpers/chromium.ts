/**
 * Launches Debian's Chromium through playwright-core with the flags that work on this machine.
 * Nothing is downloaded: the browser comes from the system (`apt-get install -y chromium`).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where the system Chromium lives; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags that keep headless Chromium off the (closed) network and working as root. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when a Chromium binary is present. */
export function hasChromium(): boolean {
  return existsSync(chromiumPath);
}

/**
 * True when Chromium is present; otherwise marks the test skipped, saying `what` is skipped, and returns false.
 * Under CI=true a missing Chromium throws instead, so CI can never pass by skipping.
 */
export function chromiumOrSkip(t: { skip: (message?: string) => void }, what: string): boolean {
  if (hasChromium()) return true;
  const message = `Chromium not found at ${chromiumPath} (apt-get install -y chromium): ${what}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  t.skip(message);
  return false;
}

/** A persistent browser context in a fresh profile directory, removed on close. */
export async function launchChromium(options: { webgpu?: boolean; offline?: boolean } = {}): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'fap-chromium-'));
  const args = [...chromiumArgs, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : [])];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args,
    headless: true,
    offline: options.offline ?? false,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
