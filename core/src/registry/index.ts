/** The registry module: OCI distribution client, credentials, manifest lists, engine pushes. */
export * from './client';
export * from './credentials';
export * from './errors';
export * from './format';
export * from './authPolicy';
export * from './digest';
export * from './inspect';
export * from './sourceArgument';
export * from './manifestList';
export * from './platformEntries';
export * from './sanitize';
export * from './schema';
export * from './mediaTypes';
export * from './publish';
export * from './push';
export * from './wwwAuthenticate';
