/** GC001 — an invalid `# platforms=` directive (the file falls back to greenCloud.platforms). */
import { findPlatformsDirective } from '../../../core/src/dockerfile/directives';
import type { Rule } from './types';

export const GC001: Rule = {
  code: 'GC001',
  title: 'Invalid platforms directive',
  description: "The '# platforms=' comment directive does not parse as a list of os/arch[/variant] platforms.",
  defaultSeverity: 'error',
  check({ model }) {
    const directive = findPlatformsDirective(model);
    if (!directive?.error) return [];
    return [{ range: directive.error.range, message: directive.error.message }];
  },
};
