/**
 * Pathological Dockerfiles: the inputs the linter must survive (test/unit/server/fuzz.test.ts)
 * and that the lint benchmark times (scripts/bench/lint.mjs), written once.
 */
const MB = 1024 * 1024;

/** `[name, make]`: `make()` builds the text (some are 1 MB or 10,000 instructions). */
export const PATHOLOGICAL_DOCKERFILES: readonly (readonly [string, () => string])[] = [
  ['an empty file', () => ''],
  ['a single newline', () => '\n'],
  ['only white space', () => ' \t \r\n\t\n   '],
  ['only comments', () => '# a comment\n#\n# platforms=linux/amd64\n# green-cloud global ignore=GC101\n'],
  ['only a comment without a final newline', () => '# escape=`'],
  ['NUL bytes', () => 'FROM alp\0ine\nRUN \0\0\0\n\0'],
  ['a file of NUL bytes', () => '\0'.repeat(10_000)],
  ['lone UTF-16 surrogates', () => 'FROM \uD800alpine\uDFFF:3\nRUN echo \uDBFF\nARG A=\uDC00\n'],
  ['a byte-order mark', () => '\uFEFFFROM arm64v8/alpine\nRUN [ "cross-build-start" ]\n'],
  ['Unicode line separators', () => 'FROM alpine\u2028RUN x\u2029RUN y\u0085\n'],
  ['a bare CR as line end', () => 'FROM resin/armv7hf-debian\rRUN [ "cross-build-start" ]\rRUN apt-get update\r'],
  [
    'CRLF everywhere',
    () =>
      'FROM --platform=linux/arm64 arm64v8/alpine:3.7 AS a\r\nARG TARGETARCH\r\nRUN [ "cross-build-start" ]\r\nRUN echo $TARGETARCH \\\r\n  && true\r\n',
  ],
  ['tabs everywhere', () => '\tFROM\t\tarm64v8/alpine:3.7\tAS\tx\n\tRUN\t["cross-build-start"]\n\t\tRUN\tapk add\t\tcurl\n'],
  [
    'unterminated JSON in exec form',
    () => 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start"\nRUN ["cross-build-end\nCMD ["a", \nENTRYPOINT [\nSHELL ["/bin/sh", "-c"',
  ],
  [
    'JSON with escapes and unicode',
    () => 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start\\u0000", "\\"", "\\\\" ]\nRUN ["\\uD800"]\n',
  ],
  [
    'heredocs',
    () =>
      'FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN <<EOF\napt-get update\nRUN [ "cross-build-end" ]\nEOF\nRUN <<-EOT bash\n\tcurl https://example.invalid/linux/amd64/kubectl\n\tEOT\nCOPY <<EOF /etc/x\nFROM arm64v8/alpine\nEOF\n',
  ],
  ['an unterminated heredoc', () => 'FROM alpine\nRUN <<EOF\napt-get update\nFROM arm64v8/alpine\n'],
  [
    '# escape=` with backtick continuations',
    () => '# escape=`\nFROM arm64v8/alpine:3.7 `\n  AS a\nRUN [ "cross-build-start" ]\nRUN echo `\n  hello\\\nRUN [ "cross-build-end" ]\n',
  ],
  ['# escape=\\ directive', () => '# escape=\\\nFROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN a \\\n  b\n'],
  ['a trailing escape character at end of file', () => 'FROM alpine\nRUN echo \\'],
  ['10,000 line continuations', () => `FROM alpine\nRUN echo ${'a \\\n'.repeat(10_000)}`],
  ['deeply nested variables', () => `ARG A=${'${'.repeat(5000)}x${'}'.repeat(5000)}\nFROM $A\n`],
  ['10,000 opening brackets', () => `FROM resin/armv7hf-debian\nRUN ${'['.repeat(10_000)}\n`],
  ['10,000 quotes', () => `FROM alpine\nRUN ["${'"'.repeat(10_000)}]\n`],
  [
    'a 1 MB RUN line',
    () => `FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN echo ${'x86_64 '.repeat(MB / 7)}\nRUN [ "cross-build-end" ]\n`,
  ],
  ['a 1 MB image name', () => `FROM ${'a'.repeat(MB)}:arm64\nRUN true\n`],
  ['a 1 MB comment line', () => `# platforms=${'linux/amd64,'.repeat(MB / 12)}\nFROM alpine\n`],
  ['a 1 MB line without a newline', () => `FROM alpine\nRUN ${'$'.repeat(MB)}`],
  ['a 1 MB platform flag', () => `FROM --platform=${'linux/arm64'.repeat(MB / 11)} alpine\n`],
  ['a 1 MB ARG default', () => `ARG BASE=${'arm64v8/'.repeat(MB / 8)}alpine\nFROM $BASE\n`],
  ['1 MB of junk code units', () => Array.from({ length: MB }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('')],
  [
    '10,000 instructions in 500 stages',
    () => {
      const lines = ['# platforms=linux/amd64,linux/arm64,linux/arm/v7', 'ARG BASE=arm64v8/alpine:3.7'];
      for (let s = 0; lines.length < 10_000; s++) {
        lines.push(
          s % 3 === 0
            ? `FROM --platform=linux/arm64 $BASE AS s${s}`
            : s % 3 === 1
              ? `FROM resin/armv7hf-debian AS s${s}`
              : `FROM --platform=$BUILDPLATFORM golang:1.22 AS s${s}`,
        );
        lines.push(
          'RUN [ "cross-build-start" ]',
          `RUN curl -o /k https://example.invalid/linux/amd64/kubectl-${s}`,
          'RUN echo $TARGETARCH',
          'COPY --from=0 /a /b',
        );
        lines.push(
          '# green-cloud ignore=GC101',
          'ENV A=x86_64',
          'RUN [ "/usr/bin/qemu-aarch64-static", "true" ]',
          'RUN [ "cross-build-end" ]',
          'RUN true',
        );
        lines.push(
          'ARG TARGETARCH',
          'RUN echo ${TARGETARCH}',
          'LABEL a=b',
          'WORKDIR /w',
          'CMD ["x"]',
          'RUN [ "cross-build-start" ]',
          'RUN x',
          'RUN y',
          'EXPOSE 1',
        );
      }
      return lines.join('\n');
    },
  ],
  ['10,000 FROM lines', () => Array.from({ length: 10_000 }, (_, i) => `FROM arm64v8/alpine:3.${i} AS s${i}`).join('\n')],
  ['10,000 comment lines between two instructions', () => `FROM alpine\n${'# green-cloud ignore=GC101\n'.repeat(10_000)}RUN true\n`],
  // Formerly timed in unit tests (the stage graph, GC107): their speed is the bench's to measure.
  [
    '2,000 stages copying from earlier stages',
    () => {
      const lines = ['FROM alpine AS s0'];
      for (let i = 1; i < 2000; i++) lines.push(`FROM s${i - 1} AS s${i}`, `COPY --from=s${Math.floor(i / 2)} /etc/x /etc/x${i}`);
      return lines.join('\n');
    },
  ],
  [
    '10,000 downloads through ARGs in one stage',
    () => {
      const lines = ['FROM debian', 'ARG ARCH=amd64', 'ARG OTHER'];
      for (let i = 0; i < 10_000; i++) lines.push(`RUN curl -fsSL https://example.com/${i}/tool-\${ARCH}-\${OTHER} -o /f${i}`);
      return lines.join('\n');
    },
  ],
  [
    'a chain of 3,000 stages reading TARGETARCH',
    () => {
      const chain = ['FROM alpine AS s0', 'ARG TARGETARCH'];
      for (let i = 1; i < 3000; i++) chain.push(`FROM s${i - 1} AS s${i}`, 'RUN echo $TARGETARCH');
      return chain.join('\n');
    },
  ],
];
