/** The lookup types live in core (shared with the rules); re-exported for the lookups' users. */
export * from '../../../core/src/registry/lookup';
