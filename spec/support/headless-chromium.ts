import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from './system-tool';

/** Debian's Chromium, headless, with the flags it needs as root in a container without a GPU or a network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM.command,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
