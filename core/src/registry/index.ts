/** The registry module: OCI distribution client, credentials, manifest lists, engine pushes. */
export * from './client';
export * from './credentials';
export * from './errors';
export * from './format';
export * from './manifestList';
export * from './mediaTypes';
export * from './publish';
export * from './push';
export * from './wwwAuthenticate';
