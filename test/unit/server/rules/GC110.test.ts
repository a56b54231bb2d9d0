import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const GO_STAGE = lines(
  'FROM golang:1.22-alpine AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go mod download && \\',
  '    go build -o /out/app ./cmd/app',
  '',
  'FROM alpine:3.20',
  'COPY --from=build /out/app /usr/local/bin/app',
  'ENTRYPOINT ["app"]',
);

describe('GC110 compile step under emulation', () => {
  it('warns on go build in a target-platform stage, on the command words, and explains the cost', () => {
    const [d, ...rest] = lintStrict(GO_STAGE);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC110');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } });
    assert.match(
      d.message,
      /^'go build' compiles under QEMU emulation, several times slower, for every target platform foreign to the build machine\. /,
    );
    assert.match(d.message, /FROM --platform=\$BUILDPLATFORM/);
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC110\.md$/);
  });

  it('quick fix: build platform, ARG TARGETOS TARGETARCH TARGETVARIANT, GOOS/GOARCH/GOARM and CGO_ENABLED=0; re-lints clean', () => {
    const [d] = lintStrict(GO_STAGE);
    assert.equal(d.data.fixes[0].title, 'Cross-compile on the build platform');
    const fixed = applyFix(GO_STAGE, d, 'Cross-compile');
    assert.equal(
      fixed,
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build',
        'ARG TARGETOS TARGETARCH TARGETVARIANT',
        'WORKDIR /src',
        'COPY . .',
        'RUN go mod download && \\',
        '    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app ./cmd/app',
        '',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('declares only TARGETOS TARGETARCH without an arm/v6 or arm/v7 target, and keeps an existing CGO_ENABLED=0', () => {
    const text = lines(
      '# platforms=linux/amd64,linux/arm64',
      'FROM golang:1.22 AS build',
      'ARG TARGETARCH',
      'COPY . /src',
      'RUN cd /src && CGO_ENABLED=0 go build -o /out/app .',
      'FROM gcr.io/distroless/static-debian12',
      'COPY --from=build /out/app /app',
    );
    const [d] = lintStrict(text);
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      lines(
        '# platforms=linux/amd64,linux/arm64',
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
        'ARG TARGETOS',
        'ARG TARGETARCH',
        'COPY . /src',
        'RUN cd /src && CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
      ),
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('a cross-compiled go install lands in $GOPATH/bin/GOOS_GOARCH: the fix moves it back where later stages copy from', () => {
    const text = lines(
      'FROM golang:1.22-bookworm AS tools',
      'RUN go install github.com/example/migrate@v4.17.0',
      'FROM debian:bookworm-slim',
      'COPY --from=tools /go/bin/migrate /usr/local/bin/migrate',
    );
    const [d] = lintStrict(text);
    const fixed = applyFix(text, d);
    assert.match(
      fixed,
      /RUN CGO_ENABLED=0 GOOS=\$TARGETOS GOARCH=\$TARGETARCH GOARM=\$\{TARGETVARIANT#v\} go install github\.com\/example\/migrate@v4\.17\.0 && \{ \[ ! -d "\$\(go env GOPATH\)\/bin\/\$\{TARGETOS\}_\$\{TARGETARCH\}" \] \|\| mv "\$\(go env GOPATH\)\/bin\/\$\{TARGETOS\}_\$\{TARGETARCH\}"\/\* "\$\(go env GOPATH\)\/bin\/"; \}\n/,
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('sees the compile after RUN --mount flags and a line continuation; the fix keeps both', () => {
    const text = lines(
      'FROM golang:1.22-alpine AS build',
      'RUN --mount=type=cache,target=/root/.cache/go-build \\',
      '    CGO_ENABLED=0 go build -o /out/api ./cmd/api',
      'FROM alpine',
      'COPY --from=build /out/api /api',
    );
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 2, character: 18 }, end: { line: 2, character: 26 } });
    const fixed = applyFix(text, d);
    assert.match(
      fixed,
      /RUN --mount=type=cache,target=\/root\/\.cache\/go-build \\\n {4}CGO_ENABLED=0 GOOS=\$TARGETOS GOARCH=\$TARGETARCH GOARM=\$\{TARGETVARIANT#v\} go build -o \/out\/api \.\/cmd\/api\n/,
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('heredoc bodies, a backtick escape, CRLF and shell conditionals: found, fixed in place, clean after', () => {
    const cases: [string, string][] = [
      [
        'FROM golang:1.22 AS b\nRUN <<EOF\nset -e\ngo build -o /app .\nEOF\nFROM alpine\nCOPY --from=b /app /app\n',
        'GC110 warning 3:0-3:8',
      ],
      [
        '# escape=`\nFROM golang:1.22 AS b\nRUN CGO_ENABLED=0 `\n    go build -o /app .\nFROM alpine\nCOPY --from=b /app /app\n',
        'GC110 warning 3:4-3:12',
      ],
      ['FROM golang:1.22 AS b\r\nRUN go build -o /app .\r\nFROM alpine\r\nCOPY --from=b /app /app\r\n', 'GC110 warning 1:4-1:12'],
      [
        'FROM golang:1.22 AS b\nRUN if [ -f go.mod ]; then go build -o /app .; fi\nFROM alpine\nCOPY --from=b /app /app\n',
        'GC110 warning 1:27-1:35',
      ],
    ];
    for (const [text, expected] of cases) {
      assert.deepEqual(lintSummary(text), [expected], text);
      const fixed = applyFix(text, lintStrict(text)[0]);
      assert.match(fixed, /GOOS=\$TARGETOS GOARCH=\$TARGETARCH GOARM=\$\{TARGETVARIANT#v\} go build -o \/app \./, fixed);
      assert.equal(fixed.includes('\r\n'), text.includes('\r\n'));
      assert.deepEqual(lintSummary(fixed), [], fixed);
    }
  });

  it('no fix when GOBIN is set with go install (Go refuses cross-compiled installs there)', () => {
    const text = lines(
      'FROM golang:1.22 AS tools',
      'ENV GOBIN=/out',
      'RUN go install example.com/tool@v1',
      'FROM alpine',
      'COPY --from=tools /out/tool /usr/bin/',
    );
    const [d] = lintStrict(text);
    assert.equal(d.code, 'GC110');
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
    assert.match(d.message, /GOBIN/);
  });

  it('no fix when the stage needs cgo, and says so', () => {
    const text = lines(
      'FROM golang:1.22-alpine AS build',
      'RUN apk add --no-cache gcc musl-dev',
      'COPY . /src',
      'RUN cd /src && go build -o /out/app .',
      'FROM alpine',
      'COPY --from=build /out/app /app',
    );
    const [d] = lintStrict(text);
    assert.match(d.message, /needs? cgo \(it installs a C toolchain or C libraries\)/);
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
    const [e] = lintStrict(text.replace('RUN apk add --no-cache gcc musl-dev', 'ENV CGO_ENABLED=1'));
    assert.match(e.message, /CGO_ENABLED=1 is set/);
  });

  it('the final stage gets the warning with advice to split it, and no fix', () => {
    const text = lines('FROM golang:1.22-alpine', 'COPY . /src', 'RUN cd /src && go build -o /usr/local/bin/app .', 'CMD ["app"]');
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 2);
    assert.match(d.message, /image itself: compile in a separate FROM --platform=\$BUILDPLATFORM stage/);
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('a stage the final stage is built FROM counts as the image (no fix)', () => {
    const text = lines('FROM golang:1.22 AS base', 'RUN go build -o /app ./...', 'FROM base', 'CMD ["/app"]');
    const [d] = lintStrict(text);
    assert.match(d.message, /image itself/);
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('other compilers get info with their toolchain advice and no fix', () => {
    const cases: [string, string, RegExp][] = [
      ['RUN cargo build --release', 'cargo build', /cargo build --target/],
      ['RUN cargo install --locked ripgrep', 'cargo install', /xx-cargo/],
      ['RUN make -j4 && make install', 'make', /tonistiigi\/xx/],
      ['RUN gcc -O2 -o /out/app main.c', 'gcc', /crossbuild-essential/],
      ['RUN cmake -S . -B b && cmake --build b', 'cmake --build', /tonistiigi\/xx/],
      ['RUN mvn -B package', 'mvn', /jar once/],
      ['RUN ./gradlew build', './gradlew', /jar once/],
    ];
    for (const [run, label, advice] of cases) {
      const text = lines(
        'FROM debian:bookworm AS build',
        'COPY . /src',
        'WORKDIR /src',
        run,
        'FROM debian:bookworm-slim',
        'COPY --from=build /src/out /opt/app',
      );
      const found = lintStrict(text);
      assert.equal(found.length, 1, `${run}: ${found.map((f) => f.message).join(' | ')}`);
      assert.equal(found[0].severity, 3, run);
      assert.ok(found[0].message.startsWith(`'${label}' compiles under QEMU emulation`), found[0].message);
      assert.match(found[0].message, advice);
      assert.deepEqual(
        found[0].data.fixes.filter((f) => !f.title.startsWith('Ignore')),
        [],
        run,
      );
    }
  });

  it('nothing on stages and files that do not compile under emulation', () => {
    const negatives: string[] = [
      // the build platform, itself or through the FROM parent
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
        'FROM alpine',
        'COPY --from=build /app /app',
      ),
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS base',
        'FROM base AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
        'FROM alpine',
        'COPY --from=build /app /app',
      ),
      lines(
        'FROM --platform=${BUILDPLATFORM} rust:1.79 AS build',
        'RUN cargo build --release',
        'FROM debian',
        'COPY --from=build /t/app /app',
      ),
      // a single-platform file
      lines('# platforms=linux/arm/v7', 'FROM golang:1.22', 'RUN go build -o /app .'),
      lines('# platforms=linux/amd64', 'FROM rust:1.79', 'RUN cargo build --release'),
      // go commands that build nothing to ship
      lines(
        'FROM golang:1.22',
        'RUN go version',
        'RUN go env GOPATH GOARCH',
        'RUN go test ./...',
        'RUN go vet ./... && go mod download',
        'RUN go run ./gen --help || true',
        'RUN echo "go build" && printf "%s\\n" "go install"',
      ),
      lines('FROM golang:1.22', 'RUN ["go", "version"]', '# RUN go build ./...', 'RUN true # go build ./...'),
      lines('FROM golang:1.22', "RUN echo 'go build'", 'RUN gobuild=1 && echo $gobuild', 'RUN mgo build || true'),
      // already cross-compiling
      lines(
        'FROM golang:1.22 AS release',
        'RUN for p in linux/amd64 linux/arm64; do GOOS=${p%%/*} GOARCH=$(echo $p | cut -d/ -f2) go build -o "dist/$(echo $p | tr / -)" .; done',
        'FROM scratch',
        'COPY --from=release /go/dist/ /dist/',
      ),
      lines(
        'FROM golang:1.22 AS build',
        'ENV GOOS=linux GOARCH=arm64',
        'RUN go build -o /app .',
        'FROM scratch',
        'COPY --from=build /app /app',
      ),
      lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        'FROM golang:1.22-alpine AS build',
        'COPY --from=xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go build -o /app . && xx-verify /app',
        'FROM alpine',
        'COPY --from=build /app /app',
      ),
      lines(
        'FROM rust:1.79 AS build',
        'RUN cargo build --release --target aarch64-unknown-linux-gnu',
        'FROM debian',
        'COPY --from=build /t/app /app',
      ),
      lines(
        'FROM debian AS build',
        'RUN CC=aarch64-linux-gnu-gcc make',
        'RUN aarch64-linux-gnu-gcc -o /app main.c',
        'FROM debian',
        'COPY --from=build /app /app',
      ),
      // toolchains asked for their version, make clean, cmake configure only
      lines('FROM gcc:13', 'RUN gcc --version && make --version && cargo --version || true', 'RUN make clean', 'RUN cmake -S . -B build'),
      // a stage the build never reaches, a Windows stage
      lines('FROM golang:1.22 AS unused', 'RUN go build -o /app .', 'FROM alpine', 'RUN echo hi'),
      lines('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN go build -o C:\\app.exe .'),
      // other platform flags belong to GC104/GC105: a variable platform is deliberate
      lines(
        'ARG P=linux/amd64',
        'FROM --platform=$P golang:1.22 AS build',
        'RUN go build -o /app .',
        'FROM alpine',
        'COPY --from=build /app /app',
      ),
    ];
    for (const text of negatives)
      assert.deepEqual(
        lintSummary(text).filter((s) => s.startsWith('GC110')),
        [],
        text,
      );
  });

  it('the info and warning findings are in source order, one per RUN', () => {
    const text = lines(
      'FROM golang:1.22 AS b',
      'RUN go build -o /a . && go build -o /b ./cmd/b',
      'RUN make',
      'FROM alpine',
      'COPY --from=b /a /b /usr/bin/',
    );
    assert.deepEqual(lintSummary(text), ['GC110 warning 1:4-1:12', 'GC110 info 2:4-2:8']);
  });

  it('never throws on junk', () => {
    for (const text of [
      'RUN go build',
      'FROM golang\nRUN $(( go build',
      'FROM x\nRUN `go build\nRUN go',
      'FROM a AS b\nRUN ((((go install\nFROM c\nCOPY --from=b / /',
    ]) {
      lintStrict(text);
    }
  });
});
