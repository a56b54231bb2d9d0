import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../../../core/src/dockerfile/model';
import { isDataSource, stageUses } from '../../../../core/src/dockerfile/stageGraph';

function uses(lines: string[]): string[] {
  const model = buildModel(`${lines.join('\n')}\n`);
  return stageUses(model).map(
    (u, i) =>
      `${model.stages[i].name ?? i}:${u.reached ? 'reached' : 'unreached'}${u.dataOnly ? ',data' : ''}${u.windows ? ',windows' : ''}`,
  );
}

describe('stage graph (which stages the build reaches and how it uses them)', () => {
  it('reaches the last stage and what it names through FROM, COPY --from and RUN --mount from=, transitively', () => {
    assert.deepEqual(
      uses([
        'FROM alpine AS tools',
        'RUN apk add curl',
        'FROM tools AS fetch',
        'RUN curl -fsSLo /tool https://example.com/tool',
        'FROM alpine AS cache-source',
        'RUN mkdir /cache',
        'FROM alpine AS leftover',
        'RUN echo never built',
        'FROM alpine',
        'COPY --from=fetch /tool /usr/local/bin/tool',
        'RUN --mount=type=cache,from=cache-source,source=/cache,target=/cache ls /cache',
      ]),
      ['tools:reached', 'fetch:reached', 'cache-source:reached', 'leftover:unreached', '4:reached'],
    );
  });

  it('counts a stage named only by a stage that is itself never reached as unreached', () => {
    assert.deepEqual(uses(['FROM alpine AS a', 'RUN true', 'FROM a AS b', 'RUN true', 'FROM alpine', 'RUN true']), [
      'a:unreached',
      'b:unreached',
      '2:reached',
    ]);
  });

  it('follows numeric COPY --from and references through variables (any stage the pattern matches)', () => {
    assert.deepEqual(
      uses([
        'FROM alpine AS base-amd64',
        'FROM arm64v8/alpine AS base-arm64',
        'FROM alpine AS other',
        'RUN true',
        'FROM alpine AS numbered',
        'RUN true',
        'FROM base-${TARGETARCH}',
        'COPY --from=3 /usr/local/bin/x /x',
      ]),
      ['base-amd64:reached', 'base-arm64:reached', 'other:unreached', 'numbered:reached', '4:reached'],
    );
  });

  it('marks a stage that runs nothing and only supplies data files or QEMU emulators as data-only', () => {
    assert.deepEqual(
      uses([
        'FROM multiarch/qemu-user-static:x86_64-aarch64 AS qemu',
        'FROM alpine:3.20 AS certs',
        'FROM certs AS certs-child',
        'FROM arm64v8/debian AS assets',
        'COPY site /site',
        'FROM debian:bookworm',
        'COPY --from=qemu /usr/bin/qemu-aarch64-static /usr/bin/',
        'COPY --from=certs-child /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=assets /site/index.html /site/app.js /var/www/',
      ]),
      ['qemu:reached,data', 'certs:reached,data', 'certs-child:reached,data', 'assets:reached,data', '4:reached'],
    );
  });

  it('keeps a stage that supplies binaries, runs something, or is mounted as a real stage', () => {
    assert.deepEqual(
      uses([
        'FROM arm64v8/alpine AS bin',
        'FROM alpine AS runs',
        'RUN apk add jq',
        'FROM alpine AS mounted',
        'FROM alpine AS mixed',
        'FROM debian:bookworm',
        'COPY --from=bin /usr/local/bin/tool /usr/local/bin/',
        'COPY --from=runs /etc/jq.conf /etc/',
        'RUN --mount=from=mounted,target=/m ls /m',
        'COPY --from=mixed /etc/app.conf /usr/bin/app /opt/',
      ]),
      ['bin:reached', 'runs:reached', 'mounted:reached', 'mixed:reached', '4:reached'],
    );
  });

  it('classifies COPY sources', () => {
    for (const data of [
      '/etc/ssl/certs',
      '/usr/share/zoneinfo',
      '/app/dist/',
      'config.yaml',
      '/usr/bin/qemu-arm-static',
      'entrypoint.sh',
      '/srv/app.jar',
      'public',
    ]) {
      assert.equal(isDataSource(data), true, data);
    }
    for (const binary of [
      '/usr/local/bin/tool',
      '/go/bin/app',
      '/',
      '.',
      '/out/*',
      '/usr/lib/libfoo.so',
      '/app',
      '/opt/node_modules',
      '/usr/share/dotnet',
    ]) {
      assert.equal(isDataSource(binary), false, binary);
    }
  });

  it('recognises Windows stages by image, tag and --platform, and their children', () => {
    assert.deepEqual(
      uses([
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS a',
        'FROM mcr.microsoft.com/windows/nanoserver:1809 AS b',
        'FROM golang:1.22-windowsservercore-ltsc2022 AS c',
        'FROM --platform=windows/amd64 mcr.microsoft.com/dotnet/sdk:8.0 AS d',
        'FROM d AS e',
        'FROM eclipse-temurin:21-jdk-nanoserver AS f',
        'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8 AS fw',
        'FROM debian:bookworm AS g',
        'FROM scratch',
        'COPY --from=a /x /a',
        'COPY --from=b /x /b',
        'COPY --from=c /x /c',
        'COPY --from=e /x /e',
        'COPY --from=f /x /f',
        'COPY --from=fw /x /fw',
        'COPY --from=g /x /g',
      ]),
      [
        'a:reached,windows',
        'b:reached,windows',
        'c:reached,windows',
        'd:reached,windows',
        'e:reached,windows',
        'f:reached,windows',
        'fw:reached,windows',
        'g:reached',
        '8:reached',
      ],
    );
  });

  // Its speed is measured by `npm run bench` (scripts/bench/lint.mjs, the pathological inputs), not here.
  it('never throws on many stages', () => {
    const lines = ['FROM alpine AS s0'];
    for (let i = 1; i < 2000; i++) lines.push(`FROM s${i - 1} AS s${i}`, `COPY --from=s${Math.floor(i / 2)} /etc/x /etc/x${i}`);
    const result = uses(lines);
    assert.equal(result.length, 2000);
    assert.deepEqual(uses([]), []);
    assert.deepEqual(uses(['FROM', 'COPY --from= /a /b', 'COPY --from=${ /a /b', 'RUN --mount=from,from=,=x true']).length, 1);
  });
});
