/** Compose services: their image, `platform` and `build.platforms`. */
import { isMap, isSeq, type Document, type Node } from 'yaml';
import { parsePlatformList, type Platform } from '../../../core/src/platforms';
import type { ImageUse, Workload } from './model';
import { deref, get, keyName, nodeSpan, pairOf, resolveTemplated, stringOf, valueSpan } from './nodes';

// ---------------------------------------------------------------------------------------------
// Compose

export function composeWorkloads(doc: Document, text: string, targets: readonly Platform[], out: Workload[]): void {
  const services = get(doc, doc.contents, 'services');
  if (!isMap(services)) return;
  for (const pair of services.items) {
    const serviceName = keyName(pair);
    const service = deref(doc, pair.value);
    if (!serviceName || !isMap(service)) continue;
    const where = `service '${serviceName}'`;
    const images: ImageUse[] = [];
    const imageNode = get(doc, service, 'image');
    const written = stringOf(imageNode);
    if (written !== undefined && imageNode) {
      const image = resolveTemplated(written.trim());
      const located = valueSpan(text, imageNode);
      if (image !== undefined && image !== '' && located) {
        images.push({ image, span: located.span, literal: located.literal && image === written, tokenOffset: located.tokenOffset, where });
      }
    }
    const build = get(doc, service, 'build');
    let platformValue: Workload['platformValue'];
    let platforms: Platform[] = [...targets];
    let uncertain = false;
    const platformPair = pairOf(doc, service, 'platform');
    const platformNode = platformPair ? deref(doc, platformPair.value) : undefined;
    const platformWritten = stringOf(platformNode);
    if (platformPair && platformNode && platformWritten !== undefined) {
      const resolved = resolveTemplated(platformWritten.trim());
      const located = valueSpan(text, platformNode);
      const keyOffset = (platformPair.key as Node | null)?.range?.[0];
      if (resolved === undefined) uncertain = true;
      else {
        try {
          const list = parsePlatformList(resolved);
          if (list.length === 1) platforms = list;
          else uncertain = true;
        } catch {
          uncertain = true;
        }
      }
      if (located && keyOffset !== undefined) {
        platformValue = {
          value: platformWritten,
          span: located.span,
          constant: resolved === platformWritten,
          keyOffset,
          inherited: !service.items.includes(platformPair),
        };
      }
    } else if (build !== undefined) {
      const buildPlatforms = get(doc, build, 'platforms');
      if (isSeq(buildPlatforms)) {
        const values = buildPlatforms.items.map((v) => stringOf(deref(doc, v)));
        try {
          if (values.every((v) => v !== undefined && resolveTemplated(v) === v)) {
            const list = parsePlatformList((values as string[]).join(','));
            if (list.length > 0) platforms = list;
          }
        } catch {
          uncertain = true;
        }
      }
    }
    out.push({
      flavour: 'compose',
      name: where,
      span: nodeSpan(pair.key as Node, { start: 0, end: 0 }),
      targets,
      platforms,
      constraints: [],
      uncertain,
      images,
      platformValue,
      builds: build !== undefined,
    });
  }
}
