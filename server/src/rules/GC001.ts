/** GC001 — an invalid `# platforms=` directive (the file falls back to greenCloud.platforms). */
import { findPlatformsDirective } from '../../../core/src/dockerfile/directives';
import type { Rule } from './types';

/** The lint engine speaks to the editor and the CLI alike, so it names both ways to set the platforms. */
const FALLBACK = 'The file is linted for the configured platforms (greenCloud.platforms, or --platforms on the command line) instead.';

export const GC001: Rule = {
  code: 'GC001',
  title: 'Invalid platforms directive',
  description: "The '# platforms=' comment directive does not parse as a list of os/arch[/variant] platforms.",
  defaultSeverity: 'error',
  check({ model }) {
    const directive = findPlatformsDirective(model);
    if (!directive?.error) return [];
    const { message, range, invalidEntry } = directive.error;
    return [{ range, message: invalidEntry ? `${message} ${FALLBACK}` : message }];
  },
};
