/**
 * Validation of manifests and indexes before any field is used. A registry's answer is
 * untrusted: `"manifests":[null]`, `"abc"`, `{}`, a top-level array, a size of `-1` or a
 * digest in an unknown algorithm each give a ManifestListError naming the registry, the
 * manifest and the field (`manifests[0].digest`), never a TypeError.
 */
import { checkDigest } from './digest';
import { ManifestListError } from './errors';
import { isImageManifestMediaType, isIndexMediaType } from './mediaTypes';
import { displayText } from './sanitize';

export interface RawPlatform {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface IndexEntryDescriptor extends Descriptor {
  readonly platform?: RawPlatform;
}

export interface IndexDocument {
  readonly kind: 'index';
  readonly mediaType?: string;
  readonly manifests: readonly IndexEntryDescriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageManifestDocument {
  readonly kind: 'image';
  readonly mediaType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** RFC 6838 `type/subtype` (parameters are not part of a descriptor's media type). */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${displayText(value, 80)}"`;
  // What is left of parsed JSON: numbers, booleans (and undefined for a missing field).
  const text = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? value.toString() : typeof value;
  return displayText(text, 80);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Invalid(field, `is ${value === undefined ? 'missing' : shown(value)}, expected an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Invalid(field, `is ${value === undefined ? 'missing' : shown(value)}, expected text`);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : string(value, field);
}

function mediaType(value: unknown, field: string): string {
  const text = string(value, field);
  if (!MEDIA_TYPE.test(text)) throw new Invalid(field, `is ${shown(text)}, not a media type (type/subtype)`);
  return text;
}

function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const o = object(value, field);
  for (const [k, v] of Object.entries(o)) string(v, `${field}.${displayText(k, 60)}`);
  return o as Record<string, string>;
}

function descriptor(value: unknown, field: string): Descriptor {
  const o = object(value, field);
  const type = mediaType(o.mediaType, `${field}.mediaType`);
  const digest = string(o.digest, `${field}.digest`);
  const check = checkDigest(digest);
  if (!check.ok) throw new Invalid(`${field}.digest`, `${shown(digest)} ${check.why}`);
  const size = o.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new Invalid(`${field}.size`, `is ${size === undefined ? 'missing' : shown(size)}, expected a byte count (a whole number ≥ 0)`);
  let urls: string[] | undefined;
  if (o.urls !== undefined) {
    if (!Array.isArray(o.urls)) throw new Invalid(`${field}.urls`, `is ${shown(o.urls)}, expected a list`);
    urls = o.urls.map((u, i) => string(u, `${field}.urls[${i}]`));
  }
  return { mediaType: type, digest, size, urls, annotations: stringMap(o.annotations, `${field}.annotations`) };
}

function platform(value: unknown, field: string): RawPlatform | undefined {
  if (value === undefined) return undefined;
  const o = object(value, field);
  const features = o['os.features'];
  if (features !== undefined && !Array.isArray(features))
    throw new Invalid(`${field}.os.features`, `is ${shown(features)}, expected a list`);
  return {
    os: optionalString(o.os, `${field}.os`),
    architecture: optionalString(o.architecture, `${field}.architecture`),
    variant: optionalString(o.variant, `${field}.variant`),
    'os.version': optionalString(o['os.version'], `${field}.os.version`),
    'os.features': features?.map((f, i) => string(f, `${field}.os.features[${i}]`)),
  };
}

/**
 * Parses and validates a manifest (`mediaType` decides: a list/index or an image manifest).
 * `where` names it for messages: `the manifest team/web:1.2 from 127.0.0.1:5000`.
 */
export function parseManifestDocument(bytes: Buffer, type: string, where: string): IndexDocument | ImageManifestDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ManifestListError(`${where} is not JSON (${bytes.length} bytes): the registry did not answer a manifest.`);
  }
  const index = isIndexMediaType(type);
  const what = index ? 'an image index / manifest list' : 'an image manifest';
  try {
    const doc = object(parsed, '(the document)');
    if (doc.schemaVersion !== undefined && doc.schemaVersion !== 2)
      throw new Invalid('schemaVersion', `is ${shown(doc.schemaVersion)}; only schema version 2 can be read`);
    const ownType = doc.mediaType === undefined ? undefined : mediaType(doc.mediaType, 'mediaType');
    const annotations = stringMap(doc.annotations, 'annotations');
    if (index) {
      if (!Array.isArray(doc.manifests))
        throw new Invalid('manifests', `is ${doc.manifests === undefined ? 'missing' : shown(doc.manifests)}, expected a list`);
      const manifests = doc.manifests.map((m, i): IndexEntryDescriptor => {
        const d = descriptor(m, `manifests[${i}]`);
        return { ...d, platform: platform((m as Record<string, unknown>).platform, `manifests[${i}].platform`) };
      });
      return { kind: 'index', mediaType: ownType, manifests, annotations };
    }
    if (!isImageManifestMediaType(type)) throw new Invalid('mediaType', `is ${shown(type)}, which is neither a list nor an image manifest`);
    const config = descriptor(doc.config, 'config');
    if (doc.layers !== undefined && !Array.isArray(doc.layers)) throw new Invalid('layers', `is ${shown(doc.layers)}, expected a list`);
    const layers = ((doc.layers as unknown[] | undefined) ?? []).map((l, i) => descriptor(l, `layers[${i}]`));
    return { kind: 'image', mediaType: ownType, config, layers, annotations };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const field = error.field === '(the document)' ? 'the document' : `"${error.field}"`;
    throw new ManifestListError(
      `${where} is not a valid ${what.replace(/^an? /, '')}: ${field} ${error.problem}. Green Cloud reads only well-formed OCI / Docker v2 manifests; re-push that tag with a current tool.`,
    );
  }
}

/** An image config: only the platform fields are read (os, architecture, variant, os.version, os.features). */
export function parseImageConfig(bytes: Buffer, where: string): RawPlatform {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ManifestListError(`${where} is not JSON: the registry did not answer an image config.`);
  }
  try {
    const doc = object(parsed, '(the document)');
    return (
      platform(
        {
          os: doc.os,
          architecture: doc.architecture,
          variant: doc.variant,
          'os.version': doc['os.version'],
          'os.features': doc['os.features'],
        },
        '',
      ) ?? {}
    );
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const field = error.field === '(the document)' ? 'the document' : `"${error.field.replace(/^\./, '')}"`;
    throw new ManifestListError(`${where} is not a valid image config: ${field} ${error.problem}.`);
  }
}
