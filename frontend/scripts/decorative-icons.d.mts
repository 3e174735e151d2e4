// Types of decorative-icons.mjs (plain ESM run by Node at build time, outside the app's tsconfig).
import type { Plugin } from 'vite';

export function hideDecorativeIcons(code: string): string;
export function decorativeIcons(): Plugin;
